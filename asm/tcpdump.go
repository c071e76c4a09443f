package asm

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cbpfkit/cbpf/diag"
	"github.com/cbpfkit/cbpf/opcode"
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
var tcpdumpOps = map[opcode.Op]tcpdumpOp{
	opcode.RetK:                         {"ret", pkRetK},
	opcode.RetA:                         {"ret", pkNone},
	opcode.LdAbsW:                       {"ld", pkAbs},
	opcode.LD | opcode.H | opcode.ABS:   {"ldh", pkAbs},
	opcode.LD | opcode.B | opcode.ABS:   {"ldb", pkAbs},
	opcode.LD | opcode.W | opcode.LEN:   {"ld", pkPktLen},
	opcode.LD | opcode.W | opcode.IND:   {"ld", pkInd},
	opcode.LD | opcode.H | opcode.IND:   {"ldh", pkInd},
	opcode.LD | opcode.B | opcode.IND:   {"ldb", pkInd},
	opcode.LdImm:                        {"ld", pkImmHex},
	opcode.LdxImm:                       {"ldx", pkImmHex},
	opcode.LDX | opcode.B | opcode.MSH:  {"ldxb", pkMsh},
	opcode.LD | opcode.MEM:              {"ld", pkMem},
	opcode.LDX | opcode.MEM:             {"ldx", pkMem},
	opcode.ST:                           {"st", pkMem},
	opcode.STX:                          {"stx", pkMem},
	opcode.Ja:                           {"ja", pkJa},
	opcode.JMP | opcode.JGT | opcode.K:  {"jgt", pkImmHex},
	opcode.JMP | opcode.JGE | opcode.K:  {"jge", pkImmHex},
	opcode.JMP | opcode.JEQ | opcode.K:  {"jeq", pkImmHex},
	opcode.JMP | opcode.JSET | opcode.K: {"jset", pkImmHex},
	opcode.JMP | opcode.JGT | opcode.X:  {"jgt", pkX},
	opcode.JMP | opcode.JGE | opcode.X:  {"jge", pkX},
	opcode.JMP | opcode.JEQ | opcode.X:  {"jeq", pkX},
	opcode.JMP | opcode.JSET | opcode.X: {"jset", pkX},
	opcode.ALU | opcode.ADD | opcode.X:  {"add", pkX},
	opcode.ALU | opcode.SUB | opcode.X:  {"sub", pkX},
	opcode.ALU | opcode.MUL | opcode.X:  {"mul", pkX},
	opcode.ALU | opcode.DIV | opcode.X:  {"div", pkX},
	opcode.ALU | opcode.MOD | opcode.X:  {"mod", pkX},
	opcode.ALU | opcode.AND | opcode.X:  {"and", pkX},
	opcode.ALU | opcode.OR | opcode.X:   {"or", pkX},
	opcode.ALU | opcode.XOR | opcode.X:  {"xor", pkX},
	opcode.ALU | opcode.LSH | opcode.X:  {"lsh", pkX},
	opcode.ALU | opcode.RSH | opcode.X:  {"rsh", pkX},
	opcode.ALU | opcode.ADD | opcode.K:  {"add", pkDec},
	opcode.ALU | opcode.SUB | opcode.K:  {"sub", pkDec},
	opcode.ALU | opcode.MUL | opcode.K:  {"mul", pkDec},
	opcode.ALU | opcode.DIV | opcode.K:  {"div", pkDec},
	opcode.ALU | opcode.MOD | opcode.K:  {"mod", pkDec},
	opcode.ALU | opcode.AND | opcode.K:  {"and", pkImmHex},
	opcode.ALU | opcode.OR | opcode.K:   {"or", pkImmHex},
	opcode.ALU | opcode.XOR | opcode.K:  {"xor", pkImmHex},
	opcode.ALU | opcode.LSH | opcode.K:  {"lsh", pkDec},
	opcode.ALU | opcode.RSH | opcode.K:  {"rsh", pkDec},
	opcode.ALU | opcode.NEG:             {"neg", pkNone},
	opcode.MISC | opcode.TAX:            {"tax", pkNone},
	opcode.MISC | opcode.TXA:            {"txa", pkNone},
}

// pcapAdNames are libpcap's names for the Linux SKF_AD_* offsets.
var pcapAdNames = map[uint32]string{
	opcode.AdProtocol:    "proto",
	opcode.AdPktType:     "type",
	opcode.AdIfindex:     "ifidx",
	opcode.AdNlattr:      "nla",
	opcode.AdNlattrNest:  "nlan",
	opcode.AdMark:        "mark",
	opcode.AdQueue:       "queue",
	opcode.AdHatype:      "hatype",
	opcode.AdRxhash:      "rxhash",
	opcode.AdCPU:         "cpu",
	opcode.AdAluXorX:     "xor_x",
	opcode.AdVlanTag:     "vlan_tci",
	opcode.AdVlanPresent: "vlanp",
	opcode.AdPayOffset:   "poff",
	opcode.AdRandom:      "random",
	opcode.AdVlanTPID:    "vlan_tpid",
}

// tcpdumpLine formats instruction n as tcpdump -d does, trailing blanks
// included.
func tcpdumpLine(ins bpf.RawInstruction, n int) string {
	name, operand := "unimp", fmt.Sprintf("0x%x", ins.Op)
	if op, ok := tcpdumpOps[opcode.Op(ins.Op)]; ok {
		name = op.name
		k := int32(ins.K) // libpcap prints k with %d
		switch op.kind {
		case pkNone:
			operand = ""
		case pkRetK, pkDec:
			operand = fmt.Sprintf("#%d", k)
		case pkAbs:
			operand = fmt.Sprintf("[%d]", k)
			if ins.K >= opcode.SkfAdOff {
				if s, ok := pcapAdNames[ins.K-opcode.SkfAdOff]; ok {
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
	if opcode.Op(ins.Op).IsCondJump() {
		return fmt.Sprintf("(%03d) %-8s %-16s jt %d\tjf %d", n, name, operand, n+1+int(ins.Jt), n+1+int(ins.Jf))
	}
	return fmt.Sprintf("(%03d) %-8s %s", n, name, operand)
}

// tcpdumpCanonical is ins with the fields tcpdump -d does not print set to
// zero: jt and jf of all but conditional jumps (those of a "ja" too), k
// where the operand does not show it (tax, txa, neg, ret a, #pktlen, x
// operands), and k of an opcode it calls "unimp".
func tcpdumpCanonical(ins bpf.RawInstruction) bpf.RawInstruction {
	if !opcode.Op(ins.Op).IsCondJump() {
		ins.Jt, ins.Jf = 0, 0
	}
	if op, known := tcpdumpOps[opcode.Op(ins.Op)]; !known || op.kind == pkNone || op.kind == pkPktLen || op.kind == pkX {
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
// fields tcpdump does not print (see tcpdumpCanonical) read as zero. A bad
// line does not end the read: the errors of every bad line come in a
// diag.List (at most diag.MaxErrors).
func readTcpdump(name string, data []byte) ([]bpf.RawInstruction, error) {
	s := &lineScanner{name: name, data: data}
	var prog []bpf.RawInstruction
	var errs diag.List
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
				if !addErr(&errs, err) {
					break
				}
			}
			prog = append(prog, ins) // a bad line keeps the numbering of the next
		}
		lineStart = end + 1
	}
	if len(errs) > 0 {
		return nil, errs
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
			if opcode.Op(ins.Op).IsCondJump() != cond {
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
		if code.IsCondJump() != cond {
			if cond {
				return ins, errAt(restOff, "%s takes no jt/jf targets", name)
			}
			return ins, errAt(len(words), "%s needs jt and jf targets", name)
		}
		return bpf.RawInstruction{Op: uint16(code), Jt: uint8(jt), Jf: uint8(jf), K: k}, nil
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
					return opcode.SkfAdOff + off, true
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
