package policy

import (
	"fmt"
	"strings"
)

// The policy language is line-based: every statement fits on one line, so
// the lexer works a line at a time and tokens carry their column.

type tokKind uint8

const (
	tEOL    tokKind = iota // end of the line (or a comment)
	tIdent                 // read, arg0, O_RDONLY, bad-arch
	tNumber                // 42, 0x2a, 0o52, 052, 0b101010 (checked by the parser)
	tPunct                 // && || == != <= >= => & | ! < > ( ) , : [ ] -
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
	case tNumber:
		return "number " + t.text
	}
	return fmt.Sprintf("%q", t.text)
}

// stripComment returns line up to its # comment.
func stripComment(line string) string {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		return line[:i]
	}
	return line
}

// lexLine splits one line (without its newline) into tokens, ending with
// tEOL. A character that cannot start a token is an error at its column.
func lexLine(line string) ([]token, int, error) {
	line = stripComment(line)
	var toks []token
	i := 0
	for i < len(line) {
		c := line[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
			continue
		case isIdentStart(c):
			for i < len(line) && isIdentChar(line[i]) {
				i++
			}
			// bad-arch is the one keyword with a hyphen.
			if line[start:i] == "bad" && strings.HasPrefix(line[i:], "-arch") && (i+5 == len(line) || !isIdentChar(line[i+5])) {
				i += 5
			}
			toks = append(toks, token{tIdent, line[start:i], start + 1})
			continue
		case c >= '0' && c <= '9':
			for i < len(line) && isIdentChar(line[i]) {
				i++
			}
			toks = append(toks, token{tNumber, line[start:i], start + 1})
			continue
		}
		if i+1 < len(line) {
			switch two := line[i : i+2]; two {
			case "&&", "||", "==", "!=", "<=", ">=", "=>":
				toks = append(toks, token{tPunct, two, start + 1})
				i += 2
				continue
			}
		}
		switch c {
		case '&', '|', '!', '<', '>', '(', ')', ',', ':', '[', ']', '-':
			toks = append(toks, token{tPunct, string(c), start + 1})
			i++
			continue
		case '=':
			return nil, start + 1, fmt.Errorf("unexpected '=': compare with '==', or write '=>' before an action")
		}
		r := []rune(line[i:])[0]
		return nil, start + 1, fmt.Errorf("unexpected character %q", r)
	}
	toks = append(toks, token{tEOL, "", len(line) + 1})
	return toks, 0, nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }
