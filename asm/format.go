package asm

import (
	"fmt"
	"io"
	"strings"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// Format names a program representation.
type Format string

// The formats cbpf reads and writes.
const (
	Raw     Format = "raw"     // struct sock_filter array, little endian, 8 bytes an instruction
	RawBE   Format = "raw-be"  // the same, big endian
	DDD     Format = "ddd"     // tcpdump -ddd: a count line, then "code jt jf k" in decimal
	XT      Format = "xt"      // one line "count,code jt jf k,..." (bpf_asm, iptables xt_bpf)
	C       Format = "c"       // tcpdump -dd: "{ 0x28, 0, 0, 0x0000000c },"
	Go      Format = "go"      // a Go []bpf.RawInstruction literal
	Asm     Format = "asm"     // bpf_asm text, lossless
	Tcpdump Format = "tcpdump" // tcpdump -d text
	Pseudo  Format = "pseudo"  // C-like listing for seccomp filters (write only)
	Dot     Format = "dot"     // Graphviz control-flow graph (write only)
)

// Formats returns every format, in the order of the list above.
func Formats() []Format {
	return []Format{Raw, RawBE, DDD, XT, C, Go, Asm, Tcpdump, Pseudo, Dot}
}

// Readable reports whether Read accepts the format.
func (f Format) Readable() bool { return f != Pseudo && f != Dot }

// ParseFormat returns the format with the given name.
func ParseFormat(name string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == strings.ToLower(name) {
			return f, nil
		}
	}
	names := make([]string, 0, 10)
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown format %q (want one of %s)", name, strings.Join(names, ", "))
}

// Read decodes a program in format f. An empty f detects the format from the
// content (see Detect). name is used in error positions (a file name, or
// "<stdin>"). When the input is malformed in f but plainly in another
// format, a *FormatError says which (its Looks). Detected input that is
// not text (so raw) but not a whole number of instructions either, and that
// plainly is a text format but for some bytes, reports the text format's
// error, which points at the first such byte.
func Read(name string, data []byte, f Format) ([]bpf.RawInstruction, error) {
	detected := f == ""
	if detected {
		f = Detect(data)
	}
	prog, err := read(name, data, f)
	if err != nil && detected && f == Raw {
		// Not a whole number of instructions, nor text: when it is plainly
		// a text format but for a stray byte, the text reader's error
		// points at that byte.
		if g, sure := sniffText(data); sure {
			if _, terr := read(name, data, g); terr != nil {
				return nil, terr
			}
		}
	}
	if err != nil {
		return nil, hint(err, data, f)
	}
	return prog, nil
}

// codec is how one format is read and written; a nil read or write is a
// format that goes one way only.
type codec struct {
	read  func(name string, data []byte) ([]bpf.RawInstruction, error)
	write func(w io.Writer, prog []bpf.RawInstruction) error
}

var codecs = map[Format]codec{
	Raw: {func(n string, d []byte) ([]bpf.RawInstruction, error) { return readRaw(n, d, false) },
		func(w io.Writer, p []bpf.RawInstruction) error { return writeRaw(w, p, false) }},
	RawBE: {func(n string, d []byte) ([]bpf.RawInstruction, error) { return readRaw(n, d, true) },
		func(w io.Writer, p []bpf.RawInstruction) error { return writeRaw(w, p, true) }},
	DDD:     {readDDD, writeDDD},
	XT:      {readXT, writeXT},
	C:       {readC, writeC},
	Go:      {readGo, writeGo},
	Asm:     {Assemble, Disassemble},
	Tcpdump: {readTcpdump, writeTcpdump},
	Pseudo:  {nil, writePseudo},
	Dot:     {nil, writeDot},
}

func read(name string, data []byte, f Format) ([]bpf.RawInstruction, error) {
	c, ok := codecs[f]
	if !ok {
		return nil, fmt.Errorf("%s: unknown format %q", name, f)
	}
	if c.read == nil {
		return nil, fmt.Errorf("%s: format %s can be written but not read", name, f)
	}
	return c.read(name, data)
}

// Write encodes prog in format f.
func Write(w io.Writer, prog []bpf.RawInstruction, f Format) error {
	c, ok := codecs[f]
	if !ok {
		return fmt.Errorf("unknown format %q", f)
	}
	return c.write(w, prog)
}

// Drop is an instruction that a format cannot write with every bit: the
// text reads back as Read, not as Insn.
type Drop struct {
	PC   int                // its index in the program
	Insn bpf.RawInstruction // as in the program
	Read bpf.RawInstruction // as the text reads back
}

// Fields names the fields the text loses, with their values: "jf=1",
// "jt=3 k=0x5".
func (d Drop) Fields() string { return fieldDiff(d.Insn, d.Read) }

// fieldDiff lists the fields of ins that differ from shown.
func fieldDiff(ins, shown bpf.RawInstruction) string {
	var parts []string
	if ins.Op != shown.Op {
		parts = append(parts, fmt.Sprintf("code=0x%x", ins.Op))
	}
	if ins.Jt != shown.Jt {
		parts = append(parts, fmt.Sprintf("jt=%d", ins.Jt))
	}
	if ins.Jf != shown.Jf {
		parts = append(parts, fmt.Sprintf("jf=%d", ins.Jf))
	}
	if ins.K != shown.K {
		parts = append(parts, "k="+opcode.Hex(ins.K))
	}
	return strings.Join(parts, " ")
}

// Dropped lists the first max instructions of prog (all, if max < 0) that
// Write in format f cannot write with every bit, in order, and counts them
// all. Every readable format keeps every bit (asm through its .insn
// escape) except tcpdump: its fixed syntax does not show jt and jf of
// anything but a conditional jump, k of an instruction whose operand does
// not use it (tax, txa, neg, ret a, len loads, x operands), or anything but
// the opcode of one it calls "unimp". The write-only listings (pseudo,
// dot) print such fields next to their instruction instead, so nothing is
// dropped without a word: Dropped returns none for them.
func Dropped(prog []bpf.RawInstruction, f Format, max int) (drops []Drop, total int) {
	if f != Tcpdump {
		return nil, 0
	}
	for i, ins := range prog {
		if c := tcpdumpCanonical(ins); c != ins {
			if max < 0 || total < max {
				drops = append(drops, Drop{PC: i, Insn: ins, Read: c})
			}
			total++
		}
	}
	return drops, total
}
