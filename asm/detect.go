package asm

import (
	"bytes"
	"github.com/cbpfkit/cbpf/diag"
	"unicode/utf8"
)

// Detect guesses the format of data from its content; doc.go lists the
// rules. It never fails: input that is not text is Raw (little endian), and
// text that matches no rule is Asm.
func Detect(data []byte) Format {
	f, _ := sniff(data)
	return f
}

// sniff is Detect, and whether the guess is confident: the content has a
// mark that no other format has (binary bytes, "(000) ", a bpf_asm
// mnemonic first, "RawInstruction", a count and "code jt jf k" lines).
// Only a confident guess is offered when reading in another format fails.
func sniff(data []byte) (Format, bool) {
	if !isText(data) {
		return Raw, true
	}
	return sniffText(data)
}

// sniffText is sniff for data taken as text, whatever bytes it holds.
func sniffText(data []byte) (Format, bool) {
	t := bytes.TrimLeft(data, " \t\r\n")
	switch {
	case bytes.HasPrefix(t, []byte("(000) ")):
		return Tcpdump, true
	case looksAsm(t):
		return Asm, true
	case bytes.Contains(data, []byte("RawInstruction")) || hasKeyedOp(data):
		return Go, true
	case bytes.HasPrefix(t, []byte("{")) || bytes.Contains(data, []byte("sock_filter")):
		return C, true
	}
	if looksXT(t) {
		return XT, true
	}
	if ok, sure := looksDDD(t); ok {
		return DDD, sure
	}
	return Asm, false
}

// formatLooks describes a format by what its text looks like, for the
// message that suggests it.
var formatLooks = map[Format]string{
	Raw:     "binary (a raw struct sock_filter array, 8 bytes an instruction)",
	RawBE:   "binary (a raw struct sock_filter array, 8 bytes an instruction)",
	DDD:     `tcpdump -ddd output (a count, then "code jt jf k" lines)`,
	XT:      `xt_bpf bytecode ("count,code jt jf k,...")`,
	C:       `tcpdump -dd output or a C struct sock_filter initializer ("{ 0x28, 0, 0, 0x0000000c },")`,
	Go:      "a Go []bpf.RawInstruction literal",
	Asm:     `bpf_asm text ("ld [0]", "jeq #1, L1")`,
	Tcpdump: `tcpdump -d output ("(000) ldh [12]" lines)`,
}

// hint returns err with a note naming the format data looks like, when
// reading it as f failed, the guess is confident and is another format.
// The hint replaces the list of errors of the reader: they are those of
// input in another format, so the first one is enough.
func hint(err error, data []byte, f Format) error {
	es := diag.Errors(err)
	if len(es) == 0 {
		return err
	}
	g, sure := sniff(data)
	if !sure || g == f || g == Raw && f == RawBE {
		return err
	}
	c := *es[0]
	c.Code = diag.CodeFormat
	c.Msg += "; this looks like " + formatLooks[g] + ", not " + formatName(f)
	return &FormatError{Looks: g, Err: &c}
}

func formatName(f Format) string {
	switch f {
	case Raw, RawBE:
		return string(f) + " binary"
	case Asm:
		return "bpf_asm text"
	case Tcpdump:
		return "tcpdump -d text"
	case DDD:
		return "tcpdump -ddd text"
	case C:
		return "C (tcpdump -dd) text"
	case Go:
		return "a Go literal"
	case XT:
		return "xt_bpf bytecode"
	}
	return string(f)
}

// asmMnemonics are the words a bpf_asm instruction starts with.
var asmMnemonics = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"ld", "ldh", "ldb", "ldi", "ldx", "ldxi", "ldxb", "st", "stx", "ja", "jmp",
		"neg", "tax", "txa", "ret", ".insn"} {
		m[w] = true
	}
	for w := range condOps {
		m[w] = true
	}
	for w := range aluOps {
		m[w] = true
	}
	return m
}()

// looksAsm: past blank lines and comments, the first word is a bpf_asm
// mnemonic followed by a blank or the end of the line, or a label "name:".
func looksAsm(t []byte) bool {
	for len(t) > 0 {
		switch {
		case t[0] == ' ' || t[0] == '\t' || t[0] == '\r' || t[0] == '\n':
			t = t[1:]
			continue
		case t[0] == ';' || t[0] == '#':
			i := bytes.IndexByte(t, '\n')
			if i < 0 {
				return false
			}
			t = t[i+1:]
			continue
		case bytes.HasPrefix(t, []byte("/*")):
			i := bytes.Index(t, []byte("*/"))
			if i < 0 {
				return false
			}
			t = t[i+2:]
			continue
		}
		break
	}
	i := 0
	for i < len(t) && (isLetter(t[i]) || isDigit(t[i]) || t[i] == '_' || t[i] == '.' && i == 0) {
		i++
	}
	if i == 0 || isDigit(t[0]) {
		return false
	}
	word := string(bytes.ToLower(t[:i]))
	if i < len(t) && t[i] == ':' && word[0] != '.' && (i+1 == len(t) || t[i+1] != '=') {
		return true
	}
	return asmMnemonics[word] && (i == len(t) || t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')
}

// isText reports whether data is UTF-8 without control characters other
// than tab, CR and LF. Raw programs nearly always hold zero bytes.
func isText(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return true
}

// hasKeyedOp reports whether data holds "{Op:", blanks allowed between the
// brace, the key and the colon.
func hasKeyedOp(data []byte) bool {
	blank := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	for i := 0; i < len(data); i++ {
		if data[i] != '{' {
			continue
		}
		j := i + 1
		for j < len(data) && blank(data[j]) {
			j++
		}
		if !bytes.HasPrefix(data[j:], []byte("Op")) {
			continue
		}
		j += 2
		for j < len(data) && blank(data[j]) {
			j++
		}
		if j < len(data) && data[j] == ':' {
			return true
		}
	}
	return false
}

// looksXT: optionally quoted digits then a comma.
func looksXT(t []byte) bool {
	t = bytes.TrimLeft(t, "'\"")
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i < len(t) && t[i] == ','
}

// looksDDD: the first line a lone number, and the second (if any) four
// numbers (decimal or 0x hex, possibly signed: out of range or negative,
// they are still ddd, for the ddd reader to refuse with a position). sure
// is whether the second line is there.
func looksDDD(t []byte) (ok, sure bool) {
	first, rest, _ := bytes.Cut(t, []byte("\n"))
	if !allDigits(bytes.TrimRight(first, " \t\r")) {
		return false, false
	}
	second, _, _ := bytes.Cut(rest, []byte("\n"))
	second = bytes.Trim(second, " \t\r")
	if len(second) == 0 {
		return true, false
	}
	n := 0
	for len(second) > 0 {
		i := bytes.IndexAny(second, " \t")
		if i < 0 {
			i = len(second)
		}
		if n++; n > 4 || !looksNumber(second[:i]) {
			return false, false
		}
		second = bytes.TrimLeft(second[i:], " \t")
	}
	return n == 4, n == 4
}

// looksNumber: decimal or 0x hex digits, with an optional sign.
func looksNumber(b []byte) bool {
	b = bytes.TrimLeft(b, "+-")
	if len(b) > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') {
		for _, c := range b[2:] {
			if !isDigit(c) && !(c|0x20 >= 'a' && c|0x20 <= 'f') {
				return false
			}
		}
		return true
	}
	return allDigits(b)
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
