package asm

import (
	"bufio"
	"bytes"
	"fmt"
	"go/format"
	"go/scanner"
	gotoken "go/token"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"
)

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
	line, col := posLineCol(s.data, off)
	return &Error{File: s.name, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
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
		return 0, s.errAt(off, "%s %s is negative; write it as an unsigned number", what, lit)
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
			return 0, s.errAt(off, "%s %s out of range (0..%d)", what, lit, max)
		}
		return 0, s.errAt(off, "bad %s %q: want a decimal or 0x-hex number", what, lit)
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
	var prog []bpf.RawInstruction
	for {
		s.skipBlank(true)
		if s.eof() {
			break
		}
		if uint64(len(prog)) == count {
			return nil, s.errAt(s.off, "more instructions than the count %d on line 1", count)
		}
		ins, err := s.insn()
		if err != nil {
			return nil, err
		}
		if err := s.endOfLine(); err != nil {
			return nil, err
		}
		prog = append(prog, ins)
	}
	if uint64(len(prog)) != count {
		return nil, s.errAt(countOff, "count says %d instructions but %d follow", count, len(prog))
	}
	return prog, nil
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
	var prog []bpf.RawInstruction
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
// instruction commented with its tcpdump -d line.
func writeGo(w io.Writer, prog []bpf.RawInstruction) error {
	var b bytes.Buffer
	b.WriteString("[]bpf.RawInstruction{\n")
	for i, ins := range prog {
		fmt.Fprintf(&b, "\t{Op: 0x%02x, Jt: 0x%02x, Jf: 0x%02x, K: 0x%08x}, // %s\n",
			ins.Op, ins.Jt, ins.Jf, ins.K, strings.TrimRight(strings.ReplaceAll(tcpdumpLine(ins, i), "\t", " "), " "))
	}
	b.WriteString("}\n")
	// With every opcode two hex digits wide the comments are aligned
	// already. Otherwise let gofmt align them (it is slow on long
	// programs), so the output is byte-for-byte what gofmt would leave.
	wide := len(prog) == 0
	for _, ins := range prog {
		wide = wide || ins.Op > 0xff
	}
	if !wide {
		_, err := w.Write(b.Bytes())
		return err
	}
	if out, err := format.Source(b.Bytes()); err == nil {
		b.Reset()
		b.Write(out)
		if !bytes.HasSuffix(out, []byte("\n")) {
			b.WriteByte('\n')
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// srcToken is one token of C or Go source.
type srcToken struct {
	off int
	tok gotoken.Token
	lit string
}

// scanSource splits C or Go source with go/scanner: both languages share the
// tokens these formats use (braces, commas, integers, identifiers, comments).
func scanSource(name string, data []byte) ([]srcToken, *lineScanner, error) {
	ts := &lineScanner{name: name, data: data}
	fset := gotoken.NewFileSet()
	file := fset.AddFile(name, -1, len(data))
	var firstErr error
	var sc scanner.Scanner
	sc.Init(file, data, func(pos gotoken.Position, msg string) {
		if firstErr == nil {
			firstErr = ts.errAt(pos.Offset, "%s", msg)
		}
	}, 0)
	var toks []srcToken
	for {
		pos, tok, lit := sc.Scan()
		if firstErr != nil {
			return nil, ts, firstErr
		}
		off := file.Offset(pos)
		if tok == gotoken.EOF {
			toks = append(toks, srcToken{off: len(data), tok: tok})
			return toks, ts, nil
		}
		if tok == gotoken.SEMICOLON && lit == "\n" {
			continue // inserted by the Go scanner, not written
		}
		if tok == gotoken.ILLEGAL {
			return nil, ts, ts.errAt(off, "unexpected %q", lit)
		}
		if tok == gotoken.IDENT && len(toks) > 0 {
			// C integer suffixes (12u, 0x1fUL) scan as INT then IDENT.
			prev := toks[len(toks)-1]
			if prev.tok == gotoken.INT && prev.off+len(prev.lit) == off && strings.Trim(lit, "uUlL") == "" {
				continue
			}
		}
		if tok == gotoken.INT || tok == gotoken.IDENT {
			// keep lit
		} else if lit == "" {
			lit = tok.String()
		}
		toks = append(toks, srcToken{off: off, tok: tok, lit: lit})
	}
}

// srcParser consumes the token list of the C and Go readers.
type srcParser struct {
	s    *lineScanner
	toks []srcToken
	i    int
	goOK bool // Go syntax: keyed splitBlanks allowed
}

func (p *srcParser) peek() srcToken { return p.toks[p.i] }
func (p *srcParser) next() srcToken {
	t := p.toks[p.i]
	if t.tok != gotoken.EOF {
		p.i++
	}
	return t
}

func (p *srcParser) describe(t srcToken) string {
	if t.tok == gotoken.EOF {
		return "end of input"
	}
	return strconv.Quote(t.lit)
}

func (p *srcParser) expect(tok gotoken.Token) error {
	t := p.next()
	if t.tok != tok {
		return p.s.errAt(t.off, "want %q, found %s", tok.String(), p.describe(t))
	}
	return nil
}

func (p *srcParser) value(what string, max uint64) (uint64, error) {
	t := p.next()
	if t.tok == gotoken.SUB {
		return 0, p.s.errAt(t.off, "%s is negative; write it as an unsigned number", what)
	}
	if t.tok != gotoken.INT {
		return 0, p.s.errAt(t.off, "want %s (an integer), found %s", what, p.describe(t))
	}
	return parseInsnField(p.s, t.off, t.lit, what, max, true)
}

// element reads "{ code, jt, jf, k }" or, in Go, "{Op: .., Jt: .., Jf: .., K: ..}".
func (p *srcParser) element() (bpf.RawInstruction, error) {
	var ins bpf.RawInstruction
	open := p.peek()
	if err := p.expect(gotoken.LBRACE); err != nil {
		return ins, err
	}
	if p.goOK && p.peek().tok == gotoken.IDENT && p.toks[p.i+1].tok == gotoken.COLON {
		seen := map[string]bool{}
		for p.peek().tok != gotoken.RBRACE {
			key := p.next()
			if key.tok != gotoken.IDENT {
				return ins, p.s.errAt(key.off, "want a field name (Op, Jt, Jf, K), found %s", p.describe(key))
			}
			if seen[key.lit] {
				return ins, p.s.errAt(key.off, "duplicate field %s", key.lit)
			}
			seen[key.lit] = true
			if err := p.expect(gotoken.COLON); err != nil {
				return ins, err
			}
			switch key.lit {
			case "Op":
				v, err := p.value("Op", limCode)
				if err != nil {
					return ins, err
				}
				ins.Op = uint16(v)
			case "Jt", "Jf":
				v, err := p.value(key.lit, limJump)
				if err != nil {
					return ins, err
				}
				if key.lit == "Jt" {
					ins.Jt = uint8(v)
				} else {
					ins.Jf = uint8(v)
				}
			case "K":
				v, err := p.value("K", limK)
				if err != nil {
					return ins, err
				}
				ins.K = uint32(v)
			default:
				return ins, p.s.errAt(key.off, "unknown field %s (want Op, Jt, Jf, K)", key.lit)
			}
			if p.peek().tok == gotoken.COMMA {
				p.next()
			} else if p.peek().tok != gotoken.RBRACE {
				return ins, p.s.errAt(p.peek().off, "want ',' or '}', found %s", p.describe(p.peek()))
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
		return ins, p.s.errAt(t.off, "want '}' closing the instruction opened at %d:%d, found %s",
			srcLineOf(p.s, open.off), srcColOf(p.s, open.off), p.describe(t))
	}
	return bpf.RawInstruction{Op: uint16(f[0]), Jt: uint8(f[1]), Jf: uint8(f[2]), K: uint32(f[3])}, nil
}

func srcLineOf(s *lineScanner, off int) int { l, _ := posLineCol(s.data, off); return l }
func srcColOf(s *lineScanner, off int) int  { _, c := posLineCol(s.data, off); return c }

// elements reads instructions separated by optional commas until stop.
func (p *srcParser) elements(stop gotoken.Token) ([]bpf.RawInstruction, error) {
	var prog []bpf.RawInstruction
	for p.peek().tok != stop {
		if p.goOK && p.peek().tok == gotoken.IDENT {
			// an explicit element type: bpf.RawInstruction{...}
			p.next()
			if p.peek().tok == gotoken.PERIOD {
				p.next()
				if t := p.next(); t.tok != gotoken.IDENT {
					return nil, p.s.errAt(t.off, "want a type name, found %s", p.describe(t))
				}
			}
		}
		if p.peek().tok != gotoken.LBRACE {
			return nil, p.s.errAt(p.peek().off, "want '{' starting an instruction, found %s", p.describe(p.peek()))
		}
		ins, err := p.element()
		if err != nil {
			return nil, err
		}
		prog = append(prog, ins)
		if p.peek().tok == gotoken.COMMA {
			p.next()
		} else if p.peek().tok != stop {
			return nil, p.s.errAt(p.peek().off, "want ',' after the instruction, found %s", p.describe(p.peek()))
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
		return p.s.errAt(t.off, "unexpected %s after the program", p.describe(t))
	}
	return nil
}

// readC reads tcpdump -dd output, or a C initializer of struct sock_filter.
func readC(name string, data []byte) ([]bpf.RawInstruction, error) {
	toks, s, err := scanSource(name, data)
	if err != nil {
		return nil, err
	}
	p := &srcParser{s: s, toks: toks}
	outer := false
	switch {
	case p.peek().tok == gotoken.LBRACE && len(toks) > 1 && toks[1].tok == gotoken.LBRACE:
		// "{ { ... }, ... }" without a declaration
		p.next()
		outer = true
	case p.peek().tok != gotoken.LBRACE && p.peek().tok != gotoken.EOF:
		// a declaration: skip to its '='
		for p.peek().tok != gotoken.ASSIGN {
			if p.peek().tok == gotoken.EOF {
				return nil, s.errAt(toks[0].off, "want tcpdump -dd lines or a struct sock_filter initializer, found %s", p.describe(toks[0]))
			}
			p.next()
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
	toks, s, err := scanSource(name, data)
	if err != nil {
		return nil, err
	}
	p := &srcParser{s: s, toks: toks, goOK: true}
	start := -1
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].tok == gotoken.IDENT && toks[i].lit == "RawInstruction" && toks[i+1].tok == gotoken.LBRACE {
			start = i + 1
			break
		}
	}
	if start < 0 {
		if toks[0].tok != gotoken.LBRACE {
			return nil, s.errAt(toks[0].off, "want a []bpf.RawInstruction{...} literal, found %s", p.describe(toks[0]))
		}
		start = 0
	}
	p.i = start + 1
	prog, err := p.elements(gotoken.RBRACE)
	if err != nil {
		return nil, err
	}
	p.next()
	return prog, p.finish()
}
