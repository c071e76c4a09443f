package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The policy language is line-based: every statement fits on one line, so
// the lexer works a line at a time and tokens carry their column. It makes
// tokens on demand, so that the memory a line costs does not grow with its
// number of tokens.

type tokKind uint8

const (
	tEOL    tokKind = iota // end of the line (or a comment)
	tIdent                 // read, arg0, O_RDONLY, bad-arch
	tNumber                // 42, 0x2a, 0o52, 052, 0b101010 (checked by the parser)
	tPunct                 // && || == != <= >= => & | ! < > ( ) , : [ ] - { }
	tString                // "/etc/passwd" (Go syntax; the text keeps the quotes)
	tError                 // a character that cannot start a token (lexer.msg says which)
)

type token struct {
	kind tokKind
	text string
	col  int // 1-based byte column
}

func (t token) String() string {
	switch t.kind {
	case tEOL:
		return "end of line"
	case tError:
		return "an invalid character"
	case tNumber:
		return "number " + shorten(t.text)
	case tString:
		return "string " + shorten(t.text)
	}
	return quote(t.text)
}

// maxQuoted is the longest piece of the input a message quotes whole: a
// message about a 10 MB token should not be 10 MB.
const maxQuoted = 64

// shorten cuts s to maxQuoted bytes (on a rune boundary), marking the cut.
func shorten(s string) string {
	if len(s) <= maxQuoted {
		return s
	}
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return fmt.Sprintf("%s... (%d bytes)", s[:n], len(s))
}

// quote is %q of s, shortened.
func quote(s string) string {
	if len(s) <= maxQuoted {
		return fmt.Sprintf("%q", s)
	}
	return shorten(fmt.Sprintf("%q", s))
}

// stripComment returns line up to its # comment (a # inside a string is
// not one).
func stripComment(line string) string {
	i := strings.IndexByte(line, '#')
	switch {
	case i < 0:
		return line
	case strings.IndexByte(line[:i], '"') < 0:
		return line[:i]
	}
	in := false
	for j := 0; j < len(line); j++ {
		switch c := line[j]; {
		case in && c == '\\':
			j++
		case c == '"':
			in = !in
		case !in && c == '#':
			return line[:j]
		}
	}
	return line
}

// lexer splits one line (without its newline) into tokens, ending with
// tEOL. A character that cannot start a token gives a tError token at its
// column, again on every later call, with the message in msg.
type lexer struct {
	line string // without its comment
	i    int
	err  *token // the tError token, once met
	msg  string
}

func newLexer(line string) lexer { return lexer{line: stripComment(line)} }

func (l *lexer) next() token {
	if l.err != nil {
		return *l.err
	}
	line := l.line
	i := l.i
	for i < len(line) {
		c := line[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
			i++
			continue
		}
		break
	}
	if i == len(line) {
		l.i = i
		return token{tEOL, "", len(line) + 1}
	}
	start := i
	c := line[i]
	switch {
	case isIdentStart(c):
		for i < len(line) && isIdentChar(line[i]) {
			i++
		}
		// bad-arch is the one keyword with a hyphen.
		if line[start:i] == "bad" && strings.HasPrefix(line[i:], "-arch") && (i+5 == len(line) || !isIdentChar(line[i+5])) {
			i += 5
		}
		l.i = i
		return token{tIdent, line[start:i], start + 1}
	case c >= '0' && c <= '9':
		for i < len(line) && isIdentChar(line[i]) {
			i++
		}
		l.i = i
		return token{tNumber, line[start:i], start + 1}
	}
	if i+1 < len(line) {
		switch two := line[i : i+2]; two {
		case "&&", "||", "==", "!=", "<=", ">=", "=>":
			l.i = i + 2
			return token{tPunct, two, start + 1}
		}
	}
	switch c {
	case '&', '|', '!', '<', '>', '(', ')', ',', ':', '[', ']', '-', '{', '}':
		l.i = i + 1
		return token{tPunct, line[i : i+1], start + 1}
	case '"':
		for j := i + 1; j < len(line); j++ {
			switch line[j] {
			case '\\':
				j++
			case '"':
				l.i = j + 1
				return token{tString, line[i : j+1], start + 1}
			}
		}
		l.msg = "unterminated string: a string ends with \" on the same line"
	case '=':
		l.msg = "unexpected '=': compare with '==', or write '=>' before an action"
	default:
		if r, size := utf8.DecodeRuneInString(line[i:]); r == utf8.RuneError && size == 1 {
			l.msg = fmt.Sprintf("unexpected byte %#02x (not UTF-8 text)", c)
		} else {
			l.msg = fmt.Sprintf("unexpected character %q", r)
		}
	}
	l.err = &token{tError, "", start + 1}
	return *l.err
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }
