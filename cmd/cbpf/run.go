package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/internal/pcap"
	"github.com/cbpfkit/cbpf/vm"
)

func runCommand() *command {
	return &command{
		name:    "run",
		summary: "run a program on seccomp_data inputs or on the packets of a pcap file",
		run:     runRun,
	}
}

const runAbout = `
Run a program in the VM, exactly as the Linux kernel would, and print what it
returns for each input. PROG is read in any format of "cbpf asm -h" (-i names
it; default: detect).

Seccomp mode (the default) reads inputs from --input FILE, or from stdin,
one a line:

  ARCH NR [A0 [A1 [A2 [A3 [A4 [A5 [IP]]]]]]]

ARCH is an arch name (x86_64, i386, aarch64, ...) or an AUDIT_ARCH value.
Numbers are decimal, 0x hex, or negative decimal (two's complement: 32 bits
for NR, 64 bits for the arguments and IP). Missing arguments and IP are 0.
Blank lines and lines starting with # are skipped. Output, one line an input:

  0x00050001 ERRNO(1) insns=9

Packet mode (--mode packet) runs the program on every packet of a pcap file
(--pcap FILE; microsecond or nanosecond, either byte order) and prints
"INDEX RET insns=N" (1-based INDEX, RET in decimal). As in libpcap, "len"
reads the packet's length on the wire and loads stop at the captured bytes.

--trace prints each step before the result line: the instruction index, the
instruction, and A and X after it.

Example:
  echo 'x86_64 39' | cbpf run filter.asm
  cbpf run --mode packet --pcap capture.pcap prog.ddd
`

func runRun(e *env, args []string) int {
	fs := newFlags(e, "run", "[flags] PROG", runAbout)
	mode := fs.String("mode", "seccomp", "`mode`: seccomp or packet")
	in := fs.String("i", "", "program `format` ("+formatList(true)+"; empty: detect)")
	input := fs.String("input", "", "seccomp inputs `file` (default stdin)")
	pcapFile := fs.String("pcap", "", "pcap `file` of packets (packet mode)")
	trace := fs.Bool("trace", false, "print every step")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if len(fs.positional) != 1 {
		return fs.usageError("want one PROG, got %d arguments", len(fs.positional))
	}
	m, err := modeFlag(*mode)
	if err != nil {
		return fs.usageError("--mode: %v", err)
	}
	switch m {
	case vm.Seccomp:
		if *pcapFile != "" {
			return fs.usageError("--pcap needs --mode packet")
		}
		if (*input == "" || *input == "-") && fs.positional[0] == "-" {
			return fs.usageError("PROG and the inputs cannot both be stdin; use --input FILE")
		}
	case vm.Packet:
		if *pcapFile == "" {
			return fs.usageError("packet mode needs --pcap FILE")
		}
		if *input != "" {
			return fs.usageError("--input is for seccomp mode; packet mode reads --pcap")
		}
	}
	prog, progName, code, ok := readProgram(e, "run", fs.positional[0], *in)
	if !ok {
		return code
	}
	mach, err := vm.New(prog, m)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", progName, err)
		return exitBad
	}
	w := bufio.NewWriter(e.stdout)
	var opts *vm.Options
	if *trace {
		opts = &vm.Options{Trace: func(s vm.Step) {
			end := ""
			if s.Fault {
				end = "  (fault: returns 0)"
			}
			fmt.Fprintf(w, "  %4d: %-32s A=0x%08x X=0x%08x%s\n", s.PC, asm.InsnString(s.Insn, s.PC), s.A, s.X, end)
		}}
	}
	if m == vm.Seccomp {
		code = runSeccompInputs(e, w, mach, *input, opts)
	} else {
		code = runPcap(e, w, mach, *pcapFile, opts)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "cbpf run: %v\n", err)
		return exitUsage
	}
	return code
}

func runSeccompInputs(e *env, w *bufio.Writer, m *vm.Machine, path string, opts *vm.Options) int {
	name, data, err := readInput(e, path)
	if err != nil {
		fmt.Fprintf(e.stderr, "cbpf run: %v\n", err)
		return exitUsage
	}
	for n, rest := 1, data; len(rest) > 0; n++ {
		line, after, _ := bytes.Cut(rest, []byte("\n"))
		rest = after
		d, ok, err := parseSeccompLine(string(line))
		if err != nil {
			w.Flush()
			fmt.Fprintf(e.stderr, "%s:%d:%v\n", name, n, err)
			return exitBad
		}
		if !ok {
			continue
		}
		r := m.RunSeccompOpts(d, opts)
		fmt.Fprintf(w, "0x%08x %s insns=%d\n", r.Ret, action.String(r.Ret), r.Insns)
	}
	return exitOK
}

// maxQuoted bounds the input a message quotes.
const maxQuoted = 40

// quote quotes s for a message, cut to maxQuoted bytes.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf("... (%d bytes)", len(s))
}

// colError is an error at a 1-based column; it prints as "COL: msg".
type colError struct {
	col int
	msg string
}

func (e *colError) Error() string { return fmt.Sprintf("%d: %s", e.col, e.msg) }

// parseSeccompLine parses "ARCH NR [A0..A5 [IP]]". ok is false for blank
// and comment lines.
func parseSeccompLine(line string) (d vm.SeccompData, ok bool, err error) {
	line = strings.TrimRight(line, "\r")
	type field struct {
		s   string
		col int
	}
	var fields []field
	for i := 0; i < len(line) && len(fields) < 10; {
		if line[i] == ' ' || line[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' {
			j++
		}
		fields = append(fields, field{line[i:j], i + 1})
		i = j
	}
	if len(fields) == 0 || strings.HasPrefix(fields[0].s, "#") {
		return d, false, nil
	}
	if len(fields) < 2 {
		return d, false, &colError{len(line) + 1, "want ARCH NR [A0..A5 [IP]]: missing NR"}
	}
	if len(fields) > 9 {
		return d, false, &colError{fields[9].col, "too many fields: want ARCH NR, six arguments and IP at most (9)"}
	}
	d.Arch, err = parseArch(fields[0].s)
	if err != nil {
		return d, false, &colError{fields[0].col, err.Error()}
	}
	nr, err := parseNum(fields[1].s, 32)
	if err != nil {
		// A syscall name of the arch's table (x32 names on x86_64 need the
		// x32 arch name).
		a, lerr := arch.Lookup(fields[0].s)
		n, ok := uint32(0), false
		if lerr == nil {
			n, ok = a.SyscallNumber(fields[1].s)
		}
		if !ok {
			return d, false, &colError{fields[1].col, "NR: " + err.Error() + ", nor a syscall name of the arch"}
		}
		nr = uint64(n)
	}
	d.Nr = int32(uint32(nr))
	for i, f := range fields[2:] {
		v, err := parseNum(f.s, 64)
		if err != nil {
			what := "IP"
			if i < 6 {
				what = fmt.Sprintf("A%d", i)
			}
			return d, false, &colError{f.col, what + ": " + err.Error()}
		}
		if i < 6 {
			d.Args[i] = v
		} else {
			d.InstructionPointer = v
		}
	}
	return d, true, nil
}

func parseArch(s string) (uint32, error) {
	if a, err := arch.Lookup(s); err == nil && a != nil {
		return a.Audit, nil
	}
	// Any AUDIT_ARCH value, known to the table or not (to try a filter's
	// bad-arch path).
	if v, err := parseNum(s, 32); err == nil && !strings.HasPrefix(s, "-") {
		return uint32(v), nil
	}
	return 0, fmt.Errorf("unknown arch %s (a name such as x86_64, or an AUDIT_ARCH value)", quote(s))
}

// parseNum reads decimal, 0x hex, or negative decimal as two's complement
// in bits (32 or 64).
func parseNum(s string, bits int) (uint64, error) {
	if strings.HasPrefix(s, "-") {
		v, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			return 0, fmt.Errorf("bad number %s (negative numbers must fit in %d bits, decimal)", quote(s), bits)
		}
		if bits == 32 {
			return uint64(uint32(v)), nil
		}
		return uint64(v), nil
	}
	base := 10
	t := s
	if strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0X") {
		base, t = 16, t[2:]
	}
	v, err := strconv.ParseUint(t, base, bits)
	if err != nil {
		return 0, fmt.Errorf("bad number %s (want decimal, 0x hex or negative decimal within %d bits)", quote(s), bits)
	}
	return v, nil
}

func runPcap(e *env, w *bufio.Writer, m *vm.Machine, path string, opts *vm.Options) int {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "cbpf run: %v\n", err)
		return exitUsage
	}
	defer f.Close()
	rd, err := pcap.NewReader(f) // one packet at a time
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", path, err)
		return exitBad
	}
	meta := &vm.Meta{NetOffset: netOffset(rd.Header().LinkType)}
	for i := 1; ; i++ {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return exitOK
		}
		if err != nil {
			w.Flush()
			fmt.Fprintf(e.stderr, "%s: packet %d: %v\n", path, i, err)
			return exitBad
		}
		meta.WireLen = rec.OrigLen
		if rec.OrigLen < uint32(len(rec.Data)) {
			meta.WireLen = uint32(len(rec.Data))
		}
		r := m.RunPacketOpts(rec.Data, meta, opts)
		fmt.Fprintf(w, "%d %d insns=%d\n", i, r.Ret, r.Insns)
	}
}

// netOffset is where the network header starts for a link type: the base
// of SKF_NET_OFF loads.
func netOffset(linkType uint32) int {
	switch linkType {
	case pcap.LinkTypeEthernet:
		return 14
	case pcap.LinkTypeNull:
		return 4
	case pcap.LinkTypeLinuxSLL:
		return 16
	}
	return 0
}
