package asm

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cbpfkit/cbpf/diag"
)

type tokKind int

const (
	tEOF   tokKind = iota
	tNL            // end of line
	tIdent         // mnemonic, label, register, extension name
	tNum           // unsigned number, value in tok.val
	tPunct         // one of : , # % [ ] ( ) + - * &
	tDir           // directive such as .insn
	tErr           // the lexer failed: its error is lexer.err
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
	return quoteSnippet(t.text)
}

// maxQuoted bounds the text an error message quotes from the input, so a
// 10 MB token does not make a 10 MB message.
const maxQuoted = 40

// quoteSnippet quotes s for a message, cut to maxQuoted bytes (at a rune
// boundary) with "..." when longer.
func quoteSnippet(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "..."
}

// lexer splits bpf_asm source into tokens on demand, so that memory stays
// proportional to what the parser keeps (at most 4096 instructions), not to
// the input. Like bpf_exp.l it is caseless for keywords (the parser
// lowercases), skips "; ..." and "/* ... */" comments and lines that start
// with '#' in the first column.
type lexer struct {
	name            string
	src             []byte
	text            string // one copy of src; token texts are slices of it
	i               int
	line, lineStart int
	err             error // set with the first tErr token; sticky until resume
	fatal           bool  // err ends the input: nothing after it can be read
}

func newLexer(name string, src []byte) *lexer {
	return &lexer{name: name, src: src, text: string(src), line: 1}
}

func (l *lexer) fail(pos int, code diag.Code, format string, args ...any) token {
	l.err = diag.Errorf(diag.At(l.name, l.line, pos-l.lineStart+1), code, format, args...)
	return token{kind: tErr, line: l.line, col: pos - l.lineStart + 1}
}

// resume drops the rest of the line after an error, so that the next
// line is lexed afresh; it reports false when the error ends the input.
func (l *lexer) resume() bool {
	if l.err == nil {
		return true
	}
	if l.fatal {
		return false
	}
	l.err = nil
	if end := bytes.IndexByte(l.src[l.i:], '\n'); end >= 0 {
		l.i += end
	} else {
		l.i = len(l.src)
	}
	return true
}

func (l *lexer) tok(k tokKind, start, end int, val uint32) token {
	return token{kind: k, text: l.text[start:end], val: val, line: l.line, col: start - l.lineStart + 1}
}

// next returns the next token: tEOF at the end, tErr (again and again)
// after an error.
func (l *lexer) next() token {
	if l.err != nil {
		return token{kind: tErr, line: l.line, col: l.i - l.lineStart + 1}
	}
	src := l.src
	for l.i < len(src) {
		i := l.i
		c := src[i]
		switch {
		case c == '\n':
			t := l.tok(tNL, i, i, 0)
			l.i++
			l.line, l.lineStart = l.line+1, l.i
			return t
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			l.i++
		case c == ';' || (c == '#' && i == l.lineStart):
			if end := bytes.IndexByte(src[i:], '\n'); end >= 0 {
				l.i = i + end
			} else {
				l.i = len(src)
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				l.fatal = true
				return l.fail(i, diag.CodeSyntax, "unterminated /* comment")
			}
			l.i = i + 2 + end + 2
			// A comment that spans lines still ends the line it started on.
			if n := bytes.Count(src[i:l.i], []byte("\n")); n > 0 {
				t := l.tok(tNL, i, i, 0)
				l.line += n
				l.lineStart = i + bytes.LastIndexByte(src[i:l.i], '\n') + 1
				return t
			}
		case isLetter(c) || c == '_':
			j := i
			for j < len(src) && (isLetter(src[j]) || isDigit(src[j]) || src[j] == '_') {
				j++
			}
			l.i = j
			return l.tok(tIdent, i, j, 0)
		case c == '.' && i+1 < len(src) && isLetter(src[i+1]):
			j := i + 1
			for j < len(src) && (isLetter(src[j]) || isDigit(src[j]) || src[j] == '_') {
				j++
			}
			l.i = j
			return l.tok(tDir, i, j, 0)
		case isDigit(c):
			j := i
			for j < len(src) && (isLetter(src[j]) || isDigit(src[j]) || src[j] == '_') {
				j++
			}
			v, err := parseNum(l.text[i:j])
			if err != nil {
				code := diag.CodeSyntax
				if strings.Contains(err.Error(), "does not fit") {
					code = diag.CodeRange
				}
				return l.fail(i, code, "%s", err)
			}
			l.i = j
			return l.tok(tNum, i, j, v)
		case strings.IndexByte(":,#%[]()+-*&", c) >= 0:
			l.i++
			return l.tok(tPunct, i, i+1, 0)
		default:
			if c >= 0x20 && c < 0x7f {
				return l.fail(i, diag.CodeSyntax, "unexpected character '%c'", c)
			}
			return l.fail(i, diag.CodeSyntax, "unexpected byte 0x%02x", c)
		}
	}
	return token{kind: tEOF, line: l.line, col: l.i - l.lineStart + 1}
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
		return 0, fmt.Errorf("invalid number %s", quoteSnippet(s))
	}
	v, err := strconv.ParseUint(digits, base, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("number %s does not fit in 32 bits", snippet(s))
		}
		return 0, fmt.Errorf("invalid number %s", quoteSnippet(s))
	}
	if v > 0xffffffff {
		return 0, fmt.Errorf("number %s does not fit in 32 bits", s)
	}
	return uint32(v), nil
}

// snippet is s cut to maxQuoted bytes, with "..." and its length when
// longer (for numbers, which read better unquoted).
func snippet(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d characters)", s[:cut], len(s))
}
