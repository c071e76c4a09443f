package asm

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

type tokKind int

const (
	tEOF   tokKind = iota
	tNL            // end of line
	tIdent         // mnemonic, label, register, extension name
	tNum           // unsigned number, value in tok.val
	tPunct         // one of : , # % [ ] ( ) + - * &
	tDir           // directive such as .insn
)

type token struct {
	kind      tokKind
	text      string
	val       uint32
	line, col int
}

func (t token) String() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tNL:
		return "end of line"
	}
	return strconv.Quote(t.text)
}

// lex splits bpf_asm source into tokens. Like bpf_exp.l it is caseless for
// keywords (the parser lowercases), skips "; ..." and "/* ... */" comments
// and lines that start with '#' in the first column.
func lex(name string, src []byte) ([]token, error) {
	text := string(src) // one copy; token texts are slices of it
	toks := make([]token, 0, len(src)/3+1)
	line, lineStart := 1, 0
	i := 0
	errAt := func(pos int, format string, args ...any) error {
		return &Error{File: name, Line: line, Col: pos - lineStart + 1, Msg: fmt.Sprintf(format, args...)}
	}
	emit := func(k tokKind, start, end int, val uint32) {
		toks = append(toks, token{kind: k, text: text[start:end], val: val, line: line, col: start - lineStart + 1})
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			emit(tNL, i, i, 0)
			i++
			line, lineStart = line+1, i
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			i++
		case c == ';' || (c == '#' && i == lineStart):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			start, startLine, startCol := i, line, i-lineStart+1
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return nil, &Error{File: name, Line: startLine, Col: startCol, Msg: "unterminated /* comment"}
			}
			i += 2 + end + 2
			// A comment that spans lines still ends the line it started on.
			if n := bytes.Count(src[start:i], []byte("\n")); n > 0 {
				emit(tNL, start, start, 0)
				line += n
				lineStart = start + bytes.LastIndexByte(src[start:i], '\n') + 1
			}
		case isLetter(c) || c == '_':
			start := i
			for i < len(src) && (isLetter(src[i]) || isDigit(src[i]) || src[i] == '_') {
				i++
			}
			emit(tIdent, start, i, 0)
		case c == '.' && i+1 < len(src) && isLetter(src[i+1]):
			start := i
			i++
			for i < len(src) && (isLetter(src[i]) || isDigit(src[i]) || src[i] == '_') {
				i++
			}
			emit(tDir, start, i, 0)
		case isDigit(c):
			start := i
			for i < len(src) && (isLetter(src[i]) || isDigit(src[i]) || src[i] == '_') {
				i++
			}
			v, err := parseNum(text[start:i])
			if err != nil {
				return nil, errAt(start, "%s", err)
			}
			emit(tNum, start, i, v)
		case strings.IndexByte(":,#%[]()+-*&", c) >= 0:
			emit(tPunct, i, i+1, 0)
			i++
		default:
			if c >= 0x20 && c < 0x7f {
				return nil, errAt(i, "unexpected character '%c'", c)
			}
			return nil, errAt(i, "unexpected byte 0x%02x", c)
		}
	}
	toks = append(toks, token{kind: tEOF, line: line, col: i - lineStart + 1})
	return toks, nil
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// parseNum reads an unsigned number the way bpf_exp.l does: 0x hex, 0b
// binary, a leading 0 octal, otherwise decimal. It must fit in 32 bits.
func parseNum(s string) (uint32, error) {
	digits, base := s, 10
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		digits, base = s[2:], 16
	case len(s) > 2 && (s[:2] == "0b" || s[:2] == "0B"):
		digits, base = s[2:], 2
	case len(s) > 1 && s[0] == '0':
		digits, base = s[1:], 8
	}
	if strings.IndexByte(digits, '_') >= 0 {
		return 0, fmt.Errorf("invalid number %q", s)
	}
	v, err := strconv.ParseUint(digits, base, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("number %s does not fit in 32 bits", s)
		}
		return 0, fmt.Errorf("invalid number %q", s)
	}
	if v > 0xffffffff {
		return 0, fmt.Errorf("number %s does not fit in 32 bits", s)
	}
	return uint32(v), nil
}
