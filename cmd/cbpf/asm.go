package main

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/asm"
)

// exampleProgram is the filter "cbpf disasm --example" shows.
//
//go:embed example.asm
var exampleProgram []byte

func formatList(readable bool) string {
	var names []string
	for _, f := range asm.Formats() {
		if !readable || f.Readable() {
			names = append(names, string(f))
		}
	}
	return strings.Join(names, ", ")
}

const formatHelp = `
Formats:
  raw       struct sock_filter array, 8 bytes an instruction, little endian
  raw-be    the same, big endian
  ddd       tcpdump -ddd: a count line, then "code jt jf k" in decimal
  xt        one line "count,code jt jf k,..." (bpf_asm -c style, iptables xt_bpf)
  c         tcpdump -dd: "{ 0x28, 0, 0, 0x0000000c },"
  go        a Go []bpf.RawInstruction literal with the disassembly as comments
  asm       bpf_asm text (kernel tools/bpf syntax), read back losslessly
  tcpdump   the text of tcpdump -d, exactly as tcpdump prints it; it cannot
            show jt/jf of a non-jump or k of an instruction that does not
            use it (tax, ret a, ...): cbpf warns when a program has them
  pseudo    C-like listing of a seccomp filter (write only; a field the
            kernel ignores that is set is noted on its line: "also jf=1")
  dot       Graphviz control-flow graph (write only, tcpdump -d lines with
            the same notes): cbpf disasm -o dot F | dot -Tsvg
`

var asmCommand = &command{
	name:    "asm",
	args:    "[FILE|-]",
	summary: "assemble bpf_asm text (or any text format) into a program",
	about: `Assemble a program. The input is bpf_asm text unless -i names another
format; the output is tcpdump -ddd text unless -o names another. FILE is
read, or stdin when it is absent or "-".

Example:
  printf 'ld [0]\njeq #39, ok, deny\nok: ret #0x7fff0000\ndeny: ret #0\n' | cbpf asm -o c
` + formatHelp,
	run: func(e *env, fs *flags, args []string) error {
		return convert(e, fs, args, asm.Asm, asm.DDD)
	},
}

var disasmCommand = &command{
	name:    "disasm",
	args:    "[FILE|-]",
	summary: "disassemble a program into bpf_asm text or another format",
	about: `Disassemble a program. The input format is detected from the content (raw
binary versus the text formats) unless -i names it; the output is bpf_asm text
unless -o names another format. FILE is read, or stdin when it is absent or
"-".

Examples:
  cbpf disasm --example -o pseudo
  tcpdump -ddd -y EN10MB 'tcp port 22' | cbpf disasm -o tcpdump
` + formatHelp,
	run: func(e *env, fs *flags, args []string) error {
		return convert(e, fs, args, "", asm.Asm)
	},
}

// convert reads a program in one format and writes it in another: asm
// and disasm, which differ in their default formats (and disasm has
// --example).
func convert(e *env, fs *flags, args []string, defIn, defOut asm.Format) error {
	name := fs.name
	in := fs.String("i", string(defIn), "input `format` ("+formatList(true)+"; empty: detect)")
	out := fs.String("o", string(defOut), "output `format` ("+formatList(false)+")")
	var example *bool
	if name == "disasm" {
		example = fs.Bool("example", false, "use the embedded example x86_64 seccomp filter instead of FILE")
	}
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 1 {
		return fs.usageError("at most one FILE, got %d", len(fs.positional))
	}
	if example != nil && *example && len(fs.positional) > 0 {
		return fs.usageError("--example and FILE are exclusive")
	}
	of, err := asm.ParseFormat(*out)
	if err != nil {
		return fs.usageError("-o: %v", err)
	}
	path := ""
	if len(fs.positional) == 1 {
		path = fs.positional[0]
	}
	var prog []bpf.RawInstruction
	if example != nil && *example {
		if prog, err = asm.Assemble("example.asm", exampleProgram); err != nil {
			return fail(exitBad, "cbpf %s: embedded example: %v", name, err)
		}
	} else if prog, _, err = readProgram(e, name, path, *in); err != nil {
		return err
	}
	return writeProgram(e, name, prog, of)
}

// writeProgram writes prog to stdout in format f, then warns of what f
// could not hold (warnDropped).
func writeProgram(e *env, cmd string, prog []bpf.RawInstruction, f asm.Format) error {
	w := bufio.NewWriter(e.stdout)
	if err := asm.Write(w, prog, f); err != nil {
		return fail(exitBad, "cbpf %s: %v", cmd, err)
	}
	if err := w.Flush(); err != nil {
		return ioError(cmd, err)
	}
	warnDropped(e, cmd, prog, f)
	return nil
}

// maxDropLines bounds the instructions a lossy-output warning lists.
const maxDropLines = 10

// warnDropped says on stderr which bits of prog the output format f cannot
// hold (see asm.Dropped), so that a lossy round trip is never silent.
func warnDropped(e *env, cmd string, prog []bpf.RawInstruction, f asm.Format) {
	drops, total := asm.Dropped(prog, f, maxDropLines)
	if total == 0 {
		return
	}
	n := "1 instruction has"
	if total > 1 {
		n = fmt.Sprintf("%d instructions have", total)
	}
	fmt.Fprintf(e.stderr, "cbpf %s: warning: %s fields that %s text cannot show; reading the text back sets them to 0:\n", cmd, n, f)
	for _, d := range drops {
		fmt.Fprintf(e.stderr, "  instruction %d (%s): %s\n", d.PC, asm.InsnString(d.Read, d.PC), d.Fields())
	}
	if total > len(drops) {
		fmt.Fprintf(e.stderr, "  ... and %d more\n", total-len(drops))
	}
	fmt.Fprintf(e.stderr, "cbpf %s: -o asm, raw, ddd, c, go or xt keeps every bit\n", cmd)
}
