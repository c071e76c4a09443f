package asm

import (
	"fmt"
	"io"
	"strings"

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
// "<stdin>").
func Read(name string, data []byte, f Format) ([]bpf.RawInstruction, error) {
	if f == "" {
		f = Detect(data)
	}
	switch f {
	case Raw:
		return readRaw(name, data, false)
	case RawBE:
		return readRaw(name, data, true)
	case DDD:
		return readDDD(name, data)
	case XT:
		return readXT(name, data)
	case C:
		return readC(name, data)
	case Go:
		return readGo(name, data)
	case Asm:
		return Assemble(name, data)
	case Tcpdump:
		return readTcpdump(name, data)
	case Pseudo, Dot:
		return nil, fmt.Errorf("%s: format %s can be written but not read", name, f)
	}
	return nil, fmt.Errorf("%s: unknown format %q", name, f)
}

// Write encodes prog in format f.
func Write(w io.Writer, prog []bpf.RawInstruction, f Format) error {
	switch f {
	case Raw:
		return writeRaw(w, prog, false)
	case RawBE:
		return writeRaw(w, prog, true)
	case DDD:
		return writeDDD(w, prog)
	case XT:
		return writeXT(w, prog)
	case C:
		return writeC(w, prog)
	case Go:
		return writeGo(w, prog)
	case Asm:
		return Disassemble(w, prog)
	case Tcpdump:
		return writeTcpdump(w, prog)
	case Pseudo:
		return writePseudo(w, prog)
	case Dot:
		return writeDot(w, prog)
	}
	return fmt.Errorf("unknown format %q", f)
}
