package asm

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"
)

// How libpcap 1.10's bpf_image prints an instruction's operand.
type pcapOperand int

const (
	pkNone   pcapOperand = iota // ""
	pkRetK                      // "#%d"
	pkAbs                       // "[%d]" or "[name]" for Linux ancillary offsets
	pkPktLen                    // "#pktlen"
	pkInd                       // "[x + %d]"
	pkImmHex                    // "#0x%x"
	pkMsh                       // "4*([%d]&0xf)"
	pkMem                       // "M[%d]"
	pkJa                        // "%d", the absolute target
	pkX                         // "x"
	pkDec                       // "#%d"
)

type tcpdumpOp struct {
	name string
	kind pcapOperand
}

// tcpdumpOps lists every opcode bpf_image knows, keyed by the full opcode:
// any other value (including a known one with stray bits) prints as unimp.
var tcpdumpOps = map[uint16]tcpdumpOp{
	0x06: {"ret", pkRetK},
	0x16: {"ret", pkNone},
	0x20: {"ld", pkAbs},
	0x28: {"ldh", pkAbs},
	0x30: {"ldb", pkAbs},
	0x80: {"ld", pkPktLen},
	0x40: {"ld", pkInd},
	0x48: {"ldh", pkInd},
	0x50: {"ldb", pkInd},
	0x00: {"ld", pkImmHex},
	0x01: {"ldx", pkImmHex},
	0xb1: {"ldxb", pkMsh},
	0x60: {"ld", pkMem},
	0x61: {"ldx", pkMem},
	0x02: {"st", pkMem},
	0x03: {"stx", pkMem},
	0x05: {"ja", pkJa},
	0x25: {"jgt", pkImmHex},
	0x35: {"jge", pkImmHex},
	0x15: {"jeq", pkImmHex},
	0x45: {"jset", pkImmHex},
	0x2d: {"jgt", pkX},
	0x3d: {"jge", pkX},
	0x1d: {"jeq", pkX},
	0x4d: {"jset", pkX},
	0x0c: {"add", pkX},
	0x1c: {"sub", pkX},
	0x2c: {"mul", pkX},
	0x3c: {"div", pkX},
	0x9c: {"mod", pkX},
	0x5c: {"and", pkX},
	0x4c: {"or", pkX},
	0xac: {"xor", pkX},
	0x6c: {"lsh", pkX},
	0x7c: {"rsh", pkX},
	0x04: {"add", pkDec},
	0x14: {"sub", pkDec},
	0x24: {"mul", pkDec},
	0x34: {"div", pkDec},
	0x94: {"mod", pkDec},
	0x54: {"and", pkImmHex},
	0x44: {"or", pkImmHex},
	0xa4: {"xor", pkImmHex},
	0x64: {"lsh", pkDec},
	0x74: {"rsh", pkDec},
	0x84: {"neg", pkNone},
	0x07: {"tax", pkNone},
	0x87: {"txa", pkNone},
}

// pcapAdOff is SKF_AD_OFF (-0x1000): Linux ancillary data is loaded from
// absolute offsets at and above it.
const pcapAdOff = 0xfffff000

// pcapAdNames are libpcap's names for the Linux SKF_AD_* offsets.
var pcapAdNames = map[uint32]string{
	0:  "proto",
	4:  "type",
	8:  "ifidx",
	12: "nla",
	16: "nlan",
	20: "mark",
	24: "queue",
	28: "hatype",
	32: "rxhash",
	36: "cpu",
	40: "xor_x",
	44: "vlan_tci",
	48: "vlanp",
	52: "poff",
	56: "random",
	60: "vlan_tpid",
}

// pcapCondJump reports whether tcpdump prints jt/jf targets for op.
func pcapCondJump(op uint16) bool { return op&0x07 == 0x05 && op&0xf0 != 0x00 }

// tcpdumpLine formats instruction n as tcpdump -d does, trailing blanks
// included.
func tcpdumpLine(ins bpf.RawInstruction, n int) string {
	name, operand := "unimp", fmt.Sprintf("0x%x", ins.Op)
	if op, ok := tcpdumpOps[ins.Op]; ok {
		name = op.name
		k := int32(ins.K) // libpcap prints k with %d
		switch op.kind {
		case pkNone:
			operand = ""
		case pkRetK, pkDec:
			operand = fmt.Sprintf("#%d", k)
		case pkAbs:
			operand = fmt.Sprintf("[%d]", k)
			if ins.K >= pcapAdOff {
				if s, ok := pcapAdNames[ins.K-pcapAdOff]; ok {
					operand = "[" + s + "]"
				}
			}
		case pkPktLen:
			operand = "#pktlen"
		case pkInd:
			operand = fmt.Sprintf("[x + %d]", k)
		case pkImmHex:
			operand = fmt.Sprintf("#0x%x", ins.K)
		case pkMsh:
			operand = fmt.Sprintf("4*([%d]&0xf)", k)
		case pkMem:
			operand = fmt.Sprintf("M[%d]", k)
		case pkJa:
			operand = fmt.Sprintf("%d", int32(uint32(n)+1+ins.K))
		case pkX:
			operand = "x"
		}
	}
	if pcapCondJump(ins.Op) {
		return fmt.Sprintf("(%03d) %-8s %-16s jt %d\tjf %d", n, name, operand, n+1+int(ins.Jt), n+1+int(ins.Jf))
	}
	return fmt.Sprintf("(%03d) %-8s %s", n, name, operand)
}

// tcpdumpCanonical is ins with the fields tcpdump -d does not print set to
// zero: jt and jf of all but conditional jumps (those of a "ja" too), k
// where the operand does not show it (tax, txa, neg, ret a, #pktlen, x
// operands), and k of an opcode it calls "unimp".
func tcpdumpCanonical(ins bpf.RawInstruction) bpf.RawInstruction {
	if !pcapCondJump(ins.Op) {
		ins.Jt, ins.Jf = 0, 0
	}
	if op, known := tcpdumpOps[ins.Op]; !known || op.kind == pkNone || op.kind == pkPktLen || op.kind == pkX {
		ins.K = 0
	}
	return ins
}

func writeTcpdump(w io.Writer, prog []bpf.RawInstruction) error {
	bw := bufio.NewWriter(w)
	for i, ins := range prog {
		bw.WriteString(tcpdumpLine(ins, i))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// maxTcpdumpWords bounds the blank-separated words of one line: the longest
// tcpdump writes is a conditional jump, "(000) jeq #0x1 jt 1 jf 2".
const maxTcpdumpWords = 8

// readTcpdump reads tcpdump -d text. It is lossy where tcpdump is: the
// fields tcpdump does not print (see tcpdumpCanonical) read as zero.
func readTcpdump(name string, data []byte) ([]bpf.RawInstruction, error) {
	s := &lineScanner{name: name, data: data}
	var prog []bpf.RawInstruction
	for lineStart := 0; lineStart < len(data); {
		end := bytes.IndexByte(data[lineStart:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += lineStart
		}
		line := string(data[lineStart:end])
		if strings.TrimSpace(line) != "" {
			ins, err := parseTcpdumpLine(s, lineStart, line, len(prog))
			if err != nil {
				return nil, err
			}
			prog = append(prog, ins)
		}
		lineStart = end + 1
	}
	return prog, nil
}

// splitBlanks splits a line at blanks, keeping each field's offset. It
// stops after max+1 words.
func splitBlanks(line string, max int) (words []string, offs []int) {
	i := 0
	for i < len(line) && len(words) <= max {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
			i++
		}
		start := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' {
			i++
		}
		if i > start {
			words = append(words, line[start:i])
			offs = append(offs, start)
		}
	}
	return words, offs
}

// parseSignedK parses a %d-printed k (libpcap prints k as a signed int).
func parseSignedK(s string) (uint32, bool) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < -1<<31 || v > 1<<32-1 {
		return 0, false
	}
	return uint32(v), true
}

func parseHexK(s string) (uint32, bool) {
	if !strings.HasPrefix(s, "0x") {
		return 0, false
	}
	v, err := strconv.ParseUint(s[2:], 16, 32)
	return uint32(v), err == nil
}

// parseTcpdumpLine reads line n, which starts at offset base, as tcpdump -d
// prints it.
func parseTcpdumpLine(s *lineScanner, base int, line string, n int) (bpf.RawInstruction, error) {
	var ins bpf.RawInstruction
	words, offs := splitBlanks(line, maxTcpdumpWords)
	errAt := func(i int, format string, args ...any) error {
		off := base + len(line)
		if i < len(offs) {
			off = base + offs[i]
		}
		return s.errAt(off, format, args...)
	}
	want := fmt.Sprintf("(%03d)", n)
	if len(words) > maxTcpdumpWords {
		return ins, errAt(maxTcpdumpWords, "too many fields: a tcpdump -d line has at most %d", maxTcpdumpWords)
	}
	if words[0] != want {
		return ins, errAt(0, "want instruction number %s, found %s", want, quoteSnippet(words[0]))
	}
	if len(words) < 2 {
		return ins, errAt(1, "missing opcode after %s", want)
	}
	name := words[1]
	rest := words[2:]
	restOff := 2
	// A conditional jump ends in "jt N jf M".
	var jt, jf int
	cond := false
	if len(rest) >= 4 && rest[len(rest)-4] == "jt" && rest[len(rest)-2] == "jf" {
		cond = true
		for j, p := range []*int{&jt, &jf} {
			i := len(rest) - 3 + 2*j
			v, err := strconv.Atoi(rest[i])
			if err != nil {
				return ins, errAt(restOff+i, "bad jump target %s", quoteSnippet(rest[i]))
			}
			if v <= n || v-n-1 > limJump {
				return ins, errAt(restOff+i, "jump target %d not in %d..%d (conditional jumps go 0..255 forward)", v, n+1, n+1+limJump)
			}
			*p = v - n - 1
		}
		rest = rest[:len(rest)-4]
	}
	operand := strings.Join(rest, " ")
	if name == "unimp" {
		if v, ok := parseHexK(operand); ok && v <= limCode {
			ins.Op = uint16(v)
			if pcapCondJump(ins.Op) != cond {
				return ins, errAt(1, "jt/jf targets present on a non-jump or missing on a jump")
			}
			ins.Jt, ins.Jf = uint8(jt), uint8(jf)
			return ins, nil
		}
		return ins, errAt(restOff, "unimp wants a 0x-hex opcode, found %s", quoteSnippet(operand))
	}
	known := false
	for code, op := range tcpdumpOps {
		if op.name != name {
			continue
		}
		known = true
		k, ok := matchOperand(op.kind, operand, n)
		if !ok {
			continue
		}
		if pcapCondJump(code) != cond {
			if cond {
				return ins, errAt(restOff, "%s takes no jt/jf targets", name)
			}
			return ins, errAt(len(words), "%s needs jt and jf targets", name)
		}
		return bpf.RawInstruction{Op: code, Jt: uint8(jt), Jf: uint8(jf), K: k}, nil
	}
	if !known {
		return ins, errAt(1, "unknown opcode %s", quoteSnippet(name))
	}
	return ins, errAt(restOff, "bad operand %s for %s", quoteSnippet(operand), name)
}

func matchOperand(kind pcapOperand, s string, n int) (uint32, bool) {
	inner := func(prefix, suffix string) (string, bool) {
		if strings.HasPrefix(s, prefix) && strings.HasSuffix(s, suffix) && len(s) >= len(prefix)+len(suffix) {
			return s[len(prefix) : len(s)-len(suffix)], true
		}
		return "", false
	}
	switch kind {
	case pkNone:
		return 0, s == ""
	case pkRetK, pkDec:
		if v, ok := inner("#", ""); ok {
			return parseSignedK(v)
		}
	case pkAbs:
		if v, ok := inner("[", "]"); ok {
			for off, name := range pcapAdNames {
				if v == name {
					return pcapAdOff + off, true
				}
			}
			return parseSignedK(v)
		}
	case pkPktLen:
		return 0, s == "#pktlen"
	case pkInd:
		if v, ok := inner("[x + ", "]"); ok {
			return parseSignedK(v)
		}
	case pkImmHex:
		if v, ok := inner("#", ""); ok {
			return parseHexK(v)
		}
	case pkMsh:
		if v, ok := inner("4*([", "]&0xf)"); ok {
			return parseSignedK(v)
		}
	case pkMem:
		if v, ok := inner("M[", "]"); ok {
			return parseSignedK(v)
		}
	case pkJa:
		if v, err := strconv.ParseInt(s, 10, 64); err == nil && v >= -1<<31 && v < 1<<31 {
			return uint32(v) - uint32(n) - 1, true
		}
	case pkX:
		return 0, s == "x"
	}
	return 0, false
}
