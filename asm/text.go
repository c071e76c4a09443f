package asm

import (
	"bufio"
	"bytes"
	"fmt"
	"go/scanner"
	gotoken "go/token"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/diag"
)

// minInsnText is the fewest bytes an instruction takes in ddd or xt text
// ("6 0 0 0\n", ",6 0 0 0"), so a count never reserves more memory than
// the text could fill.
const minInsnText = 8

// minCInsn is the fewest bytes of a C instruction, "{0,0,0,0}".
const minCInsn = 9

// reserve returns an empty program with room for count instructions, or
// for most if the count is larger (a count is not to be trusted).
func reserve(count uint64, most int) []bpf.RawInstruction {
	if count == 0 {
		return nil
	}
	return make([]bpf.RawInstruction, 0, min(count, uint64(most)+1))
}

// Field limits of struct sock_filter.
const (
	limCode = 1<<16 - 1
	limJump = 1<<8 - 1
	limK    = 1<<32 - 1
)

// posLineCol converts a byte offset in data to a 1-based line and byte column.
func posLineCol(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, off - start + 1
}

// lineScanner walks the simple line formats (ddd, xt) by byte offset and
// converts offsets to line:col only when it reports an error.
type lineScanner struct {
	name string
	data []byte
	off  int
}

func (s *lineScanner) errAt(off int, format string, args ...any) *Error {
	return s.codeAt(off, diag.CodeSyntax, format, args...)
}

func (s *lineScanner) codeAt(off int, code diag.Code, format string, args ...any) *Error {
	line, col := posLineCol(s.data, off)
	return diag.Errorf(diag.At(s.name, line, col), code, format, args...)
}

func (s *lineScanner) eof() bool { return s.off >= len(s.data) }

// skipBlank skips spaces and tabs (and carriage returns, so CRLF files work);
// with newlines it also skips line breaks.
func (s *lineScanner) skipBlank(newlines bool) {
	for s.off < len(s.data) {
		switch s.data[s.off] {
		case ' ', '\t', '\r':
		case '\n':
			if !newlines {
				return
			}
		default:
			return
		}
		s.off++
	}
}

func isNumByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' || c == '+'
}

// number reads an unsigned decimal or 0x-hex number no larger than max.
func (s *lineScanner) number(what string, max uint64) (uint64, error) {
	start := s.off
	for s.off < len(s.data) && isNumByte(s.data[s.off]) {
		s.off++
	}
	return parseInsnField(s, start, string(s.data[start:s.off]), what, max, false)
}

// parseInsnField checks one number of an instruction. cLike selects C/Go literal
// rules (a leading 0 means octal); otherwise a leading 0 is decimal, as
// tcpdump and iptables read it.
func parseInsnField(s *lineScanner, off int, lit, what string, max uint64, cLike bool) (uint64, error) {
	if lit == "" {
		if s.eof() {
			return 0, s.errAt(off, "unexpected end of input, want %s", what)
		}
		return 0, s.errAt(off, "want %s, found %q", what, snippetAt(s.data, off))
	}
	if strings.HasPrefix(lit, "-") {
		return 0, s.errAt(off, "%s %s is negative; write it as an unsigned number", what, snippet(lit))
	}
	var v uint64
	var err error
	switch {
	case cLike:
		v, err = strconv.ParseUint(lit, 0, 64)
	case len(lit) > 2 && (lit[:2] == "0x" || lit[:2] == "0X"):
		v, err = strconv.ParseUint(lit[2:], 16, 64)
	default:
		v, err = strconv.ParseUint(lit, 10, 64)
	}
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, s.errAt(off, "%s %s out of range (0..%d)", what, snippet(lit), max)
		}
		return 0, s.errAt(off, "bad %s %s: want a decimal or 0x-hex number", what, quoteSnippet(lit))
	}
	if v > max {
		return 0, s.errAt(off, "%s %s out of range (0..%d)", what, lit, max)
	}
	return v, nil
}

func snippetAt(data []byte, off int) string {
	if off >= len(data) {
		return "end of input"
	}
	end := off + 1
	for end < len(data) && end-off < 16 && data[end] != '\n' && data[end] != ' ' {
		end++
	}
	return string(data[off:end])
}

// insn reads "code jt jf k" separated by blanks.
func (s *lineScanner) insn() (bpf.RawInstruction, error) {
	var f [4]uint64
	names := [4]string{"opcode", "jt", "jf", "k"}
	maxes := [4]uint64{limCode, limJump, limJump, limK}
	for i := range f {
		if i > 0 {
			before := s.off
			s.skipBlank(false)
			if s.off == before && !s.eof() && s.data[s.off] != '\n' {
				return bpf.RawInstruction{}, s.errAt(s.off, "want a blank before %s, found %q", names[i], snippetAt(s.data, s.off))
			}
		}
		v, err := s.number(names[i], maxes[i])
		if err != nil {
			return bpf.RawInstruction{}, err
		}
		f[i] = v
	}
	return bpf.RawInstruction{Op: uint16(f[0]), Jt: uint8(f[1]), Jf: uint8(f[2]), K: uint32(f[3])}, nil
}

// readDDD reads tcpdump -ddd: a count line, then one "code jt jf k" a line.
// A bad instruction line does not end the read: the errors of every bad
// line come in a diag.List (at most diag.MaxErrors).
func readDDD(name string, data []byte) ([]bpf.RawInstruction, error) {
	s := &lineScanner{name: name, data: data}
	s.skipBlank(true)
	countOff := s.off
	count, err := s.number("instruction count", 1<<31-1)
	if err != nil {
		return nil, err
	}
	if err := s.endOfLine(); err != nil {
		return nil, err
	}
	prog := reserve(count, len(data)/minInsnText)
	var errs diag.List
	for {
		s.skipBlank(true)
		if s.eof() {
			break
		}
		if uint64(len(prog)) == count {
			errs.Add(s.errAt(s.off, "more instructions than the count %d on line 1", count))
			return nil, errs
		}
		ins, err := s.insn()
		if err == nil {
			err = s.endOfLine()
		}
		if err != nil {
			if !addErr(&errs, err) {
				return nil, errs
			}
			s.skipLine()
		}
		prog = append(prog, ins) // a bad line counts as an instruction
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if uint64(len(prog)) != count {
		return nil, s.errAt(countOff, "count says %d instructions but %d follow", count, len(prog))
	}
	return prog, nil
}

// skipLine moves past the end of the line, after an error on it.
func (s *lineScanner) skipLine() {
	if i := bytes.IndexByte(s.data[s.off:], '\n'); i >= 0 {
		s.off += i + 1
	} else {
		s.off = len(s.data)
	}
}

// endOfLine accepts trailing blanks, then a newline or the end of input.
func (s *lineScanner) endOfLine() error {
	s.skipBlank(false)
	if s.eof() {
		return nil
	}
	if s.data[s.off] != '\n' {
		return s.errAt(s.off, "unexpected %q at end of line", snippetAt(s.data, s.off))
	}
	s.off++
	return nil
}

func writeDDD(w io.Writer, prog []bpf.RawInstruction) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d\n", len(prog))
	for _, ins := range prog {
		fmt.Fprintf(bw, "%d %d %d %d\n", ins.Op, ins.Jt, ins.Jf, ins.K)
	}
	return bw.Flush()
}

// readXT reads "count,code jt jf k,code jt jf k,...", optionally quoted and
// with a trailing comma, as bpf_asm prints it and iptables reads it.
func readXT(name string, data []byte) ([]bpf.RawInstruction, error) {
	s := &lineScanner{name: name, data: data}
	s.skipBlank(true)
	var quote byte
	if !s.eof() && (s.data[s.off] == '\'' || s.data[s.off] == '"') {
		quote = s.data[s.off]
		s.off++
		s.skipBlank(true)
	}
	countOff := s.off
	count, err := s.number("instruction count", 1<<31-1)
	if err != nil {
		return nil, err
	}
	prog := reserve(count, len(data)/minInsnText)
	for {
		s.skipBlank(true)
		if s.eof() || s.data[s.off] != ',' {
			break
		}
		s.off++
		s.skipBlank(true)
		if s.eof() || s.data[s.off] == quote && quote != 0 {
			break // trailing comma
		}
		if uint64(len(prog)) == count {
			return nil, s.errAt(s.off, "more instructions than the count %d", count)
		}
		ins, err := s.insn()
		if err != nil {
			return nil, err
		}
		prog = append(prog, ins)
	}
	if quote != 0 {
		if s.eof() || s.data[s.off] != quote {
			return nil, s.errAt(s.off, "want ',' or closing %c, found %q", quote, snippetAt(s.data, s.off))
		}
		s.off++
		s.skipBlank(true)
	}
	if !s.eof() {
		return nil, s.errAt(s.off, "want ',' or end of input, found %q", snippetAt(s.data, s.off))
	}
	if uint64(len(prog)) != count {
		return nil, s.errAt(countOff, "count says %d instructions but %d follow", count, len(prog))
	}
	return prog, nil
}

// writeXT writes the form iptables' --bytecode documents: no trailing comma.
func writeXT(w io.Writer, prog []bpf.RawInstruction) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d", len(prog))
	for _, ins := range prog {
		fmt.Fprintf(bw, ",%d %d %d %d", ins.Op, ins.Jt, ins.Jf, ins.K)
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// writeC writes exactly what tcpdump -dd prints.
func writeC(w io.Writer, prog []bpf.RawInstruction) error {
	bw := bufio.NewWriter(w)
	for _, ins := range prog {
		fmt.Fprintf(bw, "{ 0x%x, %d, %d, 0x%08x },\n", ins.Op, ins.Jt, ins.Jf, ins.K)
	}
	return bw.Flush()
}

// writeGo writes a gofmt-clean []bpf.RawInstruction literal, each
// instruction commented with its tcpdump -d line. Every opcode is printed
// with the same number of hex digits (2, or 4 when one needs more), so the
// lines are equally long and the comments aligned as gofmt aligns them,
// without running gofmt (which is slow and hungry on long programs).
func writeGo(w io.Writer, prog []bpf.RawInstruction) error {
	opFmt := "\t{Op: 0x%02x, Jt: 0x%02x, Jf: 0x%02x, K: 0x%08x}, // %s\n"
	for _, ins := range prog {
		if ins.Op > 0xff {
			opFmt = "\t{Op: 0x%04x, Jt: 0x%02x, Jf: 0x%02x, K: 0x%08x}, // %s\n"
			break
		}
	}
	if len(prog) == 0 {
		_, err := io.WriteString(w, "[]bpf.RawInstruction{}\n") // as gofmt puts it
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("[]bpf.RawInstruction{\n")
	for i, ins := range prog {
		fmt.Fprintf(bw, opFmt, ins.Op, ins.Jt, ins.Jf, ins.K,
			strings.TrimRight(strings.ReplaceAll(tcpdumpLine(ins, i), "\t", " "), " "))
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// srcToken is one token of C or Go source. A token where scanning failed
// has tok ILLEGAL and err set.
type srcToken struct {
	off int
	tok gotoken.Token
	lit string
	err error
}

// srcScanner splits C or Go source with go/scanner (both languages share
// the tokens these formats use: braces, commas, integers, identifiers,
// comments), one token at a time, so memory does not grow with the number
// of tokens.
type srcScanner struct {
	ls   *lineScanner
	file *gotoken.File
	sc   scanner.Scanner
	err  error     // the first scan error
	held *srcToken // a token read ahead to check for an integer suffix
	last *srcToken // EOF or an error, once returned: sticky
}

func newSrcScanner(ls *lineScanner) *srcScanner {
	s := &srcScanner{ls: ls}
	fset := gotoken.NewFileSet()
	s.file = fset.AddFile(ls.name, -1, len(ls.data))
	s.sc.Init(s.file, ls.data, func(pos gotoken.Position, msg string) {
		if s.err == nil {
			s.err = ls.errAt(pos.Offset, "%s", msg)
		}
	}, 0)
	return s
}

func (s *srcScanner) scan() srcToken {
	if s.held != nil {
		t := *s.held
		s.held = nil
		return t
	}
	for {
		pos, tok, lit := s.sc.Scan()
		if s.err != nil {
			return srcToken{off: s.file.Offset(pos), tok: gotoken.ILLEGAL, err: s.err}
		}
		off := s.file.Offset(pos)
		switch {
		case tok == gotoken.EOF:
			return srcToken{off: len(s.ls.data), tok: tok}
		case tok == gotoken.SEMICOLON && lit == "\n":
			continue // inserted by the Go scanner, not written
		case tok == gotoken.ILLEGAL:
			return srcToken{off: off, tok: tok, err: s.ls.errAt(off, "unexpected %s", quoteSnippet(lit))}
		case tok != gotoken.INT && tok != gotoken.IDENT && lit == "":
			lit = tok.String()
		}
		return srcToken{off: off, tok: tok, lit: lit}
	}
}

func (s *srcScanner) next() srcToken {
	if s.last != nil {
		return *s.last
	}
	t := s.scan()
	if t.tok == gotoken.INT {
		// C integer suffixes (12u, 0x1fUL) scan as INT then IDENT.
		n := s.scan()
		if !(n.tok == gotoken.IDENT && t.off+len(t.lit) == n.off && strings.Trim(n.lit, "uUlL") == "") {
			s.held = &n
		}
	}
	if t.tok == gotoken.EOF || t.err != nil {
		s.last = &t
	}
	return t
}

// srcParser reads the tokens of the C and Go readers.
type srcParser struct {
	s     *lineScanner
	src   *srcScanner
	ahead []srcToken
	goOK  bool // Go syntax: keyed fields allowed
}

func newSrcParser(name string, data []byte, goOK bool) *srcParser {
	ls := &lineScanner{name: name, data: data}
	return &srcParser{s: ls, src: newSrcScanner(ls), goOK: goOK}
}

func (p *srcParser) peekAt(n int) srcToken {
	for len(p.ahead) <= n {
		p.ahead = append(p.ahead, p.src.next())
	}
	return p.ahead[n]
}

func (p *srcParser) peek() srcToken { return p.peekAt(0) }

// next consumes a token; the end of input and a scan error are sticky.
func (p *srcParser) next() srcToken {
	t := p.peekAt(0)
	if t.tok != gotoken.EOF && t.err == nil {
		p.ahead = append(p.ahead[:0], p.ahead[1:]...)
	}
	return t
}

// errAt reports a problem at token t; at a token that failed to scan, the
// scan error.
func (p *srcParser) errAt(t srcToken, format string, args ...any) error {
	if t.err != nil {
		return t.err
	}
	return p.s.errAt(t.off, format, args...)
}

func (p *srcParser) describe(t srcToken) string {
	if t.tok == gotoken.EOF {
		return "end of input"
	}
	return quoteSnippet(t.lit)
}

func (p *srcParser) expect(tok gotoken.Token) error {
	t := p.next()
	if t.tok != tok {
		return p.errAt(t, "want %q, found %s", tok.String(), p.describe(t))
	}
	return nil
}

func (p *srcParser) value(what string, max uint64) (uint64, error) {
	t := p.next()
	if t.tok == gotoken.SUB {
		return 0, p.errAt(t, "%s is negative; write it as an unsigned number", what)
	}
	if t.tok != gotoken.INT {
		return 0, p.errAt(t, "want %s (an integer), found %s", what, p.describe(t))
	}
	return parseInsnField(p.s, t.off, t.lit, what, max, true)
}

// goFields numbers the fields of bpf.RawInstruction.
var goFields = map[string]int{"Op": 0, "Jt": 1, "Jf": 2, "K": 3}

// element reads "{ code, jt, jf, k }" or, in Go, "{Op: .., Jt: .., Jf: .., K: ..}".
func (p *srcParser) element() (bpf.RawInstruction, error) {
	var ins bpf.RawInstruction
	open := p.peek()
	if err := p.expect(gotoken.LBRACE); err != nil {
		return ins, err
	}
	if p.goOK && p.peek().tok == gotoken.IDENT && p.peekAt(1).tok == gotoken.COLON {
		var seen [4]bool
		for p.peek().tok != gotoken.RBRACE {
			key := p.next()
			if key.tok != gotoken.IDENT {
				return ins, p.errAt(key, "want a field name (Op, Jt, Jf, K), found %s", p.describe(key))
			}
			i, known := goFields[key.lit]
			if !known {
				return ins, p.errAt(key, "unknown field %s (want Op, Jt, Jf, K)", snippet(key.lit))
			}
			if seen[i] {
				return ins, p.errAt(key, "duplicate field %s", key.lit)
			}
			seen[i] = true
			if err := p.expect(gotoken.COLON); err != nil {
				return ins, err
			}
			v, err := p.value(key.lit, [4]uint64{limCode, limJump, limJump, limK}[i])
			if err != nil {
				return ins, err
			}
			switch i {
			case 0:
				ins.Op = uint16(v)
			case 1:
				ins.Jt = uint8(v)
			case 2:
				ins.Jf = uint8(v)
			case 3:
				ins.K = uint32(v)
			}
			if p.peek().tok == gotoken.COMMA {
				p.next()
			} else if p.peek().tok != gotoken.RBRACE {
				return ins, p.errAt(p.peek(), "want ',' or '}', found %s", p.describe(p.peek()))
			}
		}
		p.next()
		return ins, nil
	}
	if p.peek().tok == gotoken.RBRACE && p.goOK {
		p.next()
		return ins, nil // RawInstruction{} is all zero
	}
	names := [4]string{"opcode", "jt", "jf", "k"}
	maxes := [4]uint64{limCode, limJump, limJump, limK}
	var f [4]uint64
	for i := range f {
		if i > 0 {
			if err := p.expect(gotoken.COMMA); err != nil {
				return ins, err
			}
		}
		v, err := p.value(names[i], maxes[i])
		if err != nil {
			return ins, err
		}
		f[i] = v
	}
	if p.peek().tok == gotoken.COMMA {
		p.next()
	}
	if t := p.next(); t.tok != gotoken.RBRACE {
		line, col := posLineCol(p.s.data, open.off)
		return ins, p.errAt(t, "want '}' closing the instruction opened at %d:%d, found %s", line, col, p.describe(t))
	}
	return bpf.RawInstruction{Op: uint16(f[0]), Jt: uint8(f[1]), Jf: uint8(f[2]), K: uint32(f[3])}, nil
}

// elements reads instructions separated by optional commas until stop.
func (p *srcParser) elements(stop gotoken.Token) ([]bpf.RawInstruction, error) {
	var prog []bpf.RawInstruction
	if !p.goOK {
		// "{0,0,0,0}" is the shortest C instruction: reserving for that
		// many costs at most the size of the text, and saves growing.
		prog = make([]bpf.RawInstruction, 0, len(p.s.data)/minCInsn+1)
	}
	for p.peek().tok != stop {
		if p.goOK && p.peek().tok == gotoken.IDENT {
			// an explicit element type: bpf.RawInstruction{...}
			p.next()
			if p.peek().tok == gotoken.PERIOD {
				p.next()
				if t := p.next(); t.tok != gotoken.IDENT {
					return nil, p.errAt(t, "want a type name, found %s", p.describe(t))
				}
			}
		}
		if p.peek().tok != gotoken.LBRACE {
			return nil, p.errAt(p.peek(), "want '{' starting an instruction, found %s", p.describe(p.peek()))
		}
		ins, err := p.element()
		if err != nil {
			return nil, err
		}
		prog = append(prog, ins)
		if p.peek().tok == gotoken.COMMA {
			p.next()
		} else if p.peek().tok != stop {
			return nil, p.errAt(p.peek(), "want ',' after the instruction, found %s", p.describe(p.peek()))
		}
	}
	return prog, nil
}

// finish accepts trailing semicolons, then requires the end of input.
func (p *srcParser) finish() error {
	for p.peek().tok == gotoken.SEMICOLON {
		p.next()
	}
	if t := p.peek(); t.tok != gotoken.EOF {
		return p.errAt(t, "unexpected %s after the program", p.describe(t))
	}
	return nil
}

// readC reads tcpdump -dd output, or a C initializer of struct sock_filter.
func readC(name string, data []byte) ([]bpf.RawInstruction, error) {
	p := newSrcParser(name, data, false)
	first := p.peek()
	if first.err != nil {
		return nil, first.err
	}
	outer := false
	switch {
	case first.tok == gotoken.LBRACE && p.peekAt(1).tok == gotoken.LBRACE:
		// "{ { ... }, ... }" without a declaration
		p.next()
		outer = true
	case first.tok != gotoken.LBRACE && first.tok != gotoken.EOF:
		// a declaration: skip to its '='
		for p.peek().tok != gotoken.ASSIGN {
			t := p.next()
			if t.err != nil {
				return nil, t.err
			}
			if t.tok == gotoken.EOF {
				return nil, p.errAt(first, "want tcpdump -dd lines or a struct sock_filter initializer, found %s", p.describe(first))
			}
		}
		p.next()
		if err := p.expect(gotoken.LBRACE); err != nil {
			return nil, err
		}
		outer = true
	}
	stop := gotoken.EOF
	if outer {
		stop = gotoken.RBRACE
	}
	prog, err := p.elements(stop)
	if err != nil {
		return nil, err
	}
	if outer {
		p.next()
	}
	return prog, p.finish()
}

// readGo reads a []bpf.RawInstruction composite literal, with an optional
// declaration before it ("var filter = ", "x := ").
func readGo(name string, data []byte) ([]bpf.RawInstruction, error) {
	p := newSrcParser(name, data, true)
	first := p.peek()
	if first.err != nil {
		return nil, first.err
	}
	if first.tok != gotoken.LBRACE {
		// skip the declaration up to "RawInstruction{"
		for {
			t := p.next()
			if t.err != nil {
				return nil, t.err
			}
			if t.tok == gotoken.EOF {
				return nil, p.errAt(first, "want a []bpf.RawInstruction{...} literal, found %s", p.describe(first))
			}
			if t.tok == gotoken.IDENT && t.lit == "RawInstruction" && p.peek().tok == gotoken.LBRACE {
				break
			}
		}
	}
	p.next() // the literal's '{'
	prog, err := p.elements(gotoken.RBRACE)
	if err != nil {
		return nil, err
	}
	p.next()
	return prog, p.finish()
}
