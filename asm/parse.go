package asm

import (
	"errors"
	"strings"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/diag"
	"github.com/cbpfkit/cbpf/link"
)

// Assemble parses bpf_asm text (the syntax of the kernel's tools/bpf/bpf_asm,
// see Documentation/networking/filter.rst) into a program.
//
// One instruction a line, optionally preceded by labels ("name:", on the same
// line or on lines of their own). Keywords are caseless, labels are not.
// Comments run from ';' to the end of the line, between "/*" and "*/", and
// over lines whose first column is '#'. Numbers are decimal, 0x hex, 0b
// binary or 0-prefixed octal; a leading '-' gives the 32-bit two's
// complement.
//
// Conditional jumps take one target, taken when the condition holds, or two
// (where to go when it holds, where when it does not); with one target the
// other case falls through. jne (jneq), jlt and jle are encoded as jeq, jge
// and jgt with the targets swapped, as bpf_asm does: "jlt #5, L" is jge #5
// with jt=0 and jf=L. Jumps only go forward.
//
// A conditional jump whose target lies more than 255 instructions ahead gets
// an unconditional "ja" trampoline (32-bit offset) inserted right after it;
// every label is re-resolved until no jump is out of range. The result may
// not exceed 4096 instructions (BPF_MAXINSNS).
//
// Every error is an *Error with the line and column of the problem. A bad
// line does not end the parse: the errors of every bad line come in a
// diag.List, at most diag.MaxErrors of them (labels are then not
// resolved: undefined ones would be those of the bad lines).
//
// ".insn CODE, JT, JF, K" emits the given 8 bytes exactly. Its JT, JF (and K
// for a ja) are raw offsets, not labels: they count instructions of the
// output, so Assemble refuses to insert a trampoline inside their span.
func Assemble(name string, src []byte) ([]bpf.RawInstruction, error) {
	p := &parser{name: name, lex: newLexer(name, src), labels: map[string]labelDef{}, items: make([]item, 0, min(len(src)/8+1, opcode.MaxInsns))}
	p.parse()
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return p.link()
}

type itemKind int

const (
	kPlain itemKind = iota
	kCond           // conditional jump: targets t and f
	kJA             // unconditional jump: target t
	kRaw            // .insn: bytes as given
)

// ref is a jump target as written: a label, or the fall-through.
type ref struct {
	label string // "" for the fall-through
	tok   token
}

type item struct {
	ins   bpf.RawInstruction
	kind  itemKind
	t, f  ref
	tok   token // start of the instruction, for errors
	marks int   // how many labels name it (their names are next in parser.marks)
}

type labelDef struct {
	tok token
}

// maxLabels bounds the label table: a program has at most 4096
// instructions, so more names than 4 per instruction is no program, and an
// input of nothing but labels must not grow the table without end.
const maxLabels = 4 * opcode.MaxInsns

type parser struct {
	name    string
	lex     *lexer
	ahead   []token // tokens read from lex and not yet consumed
	items   []item
	labels  map[string]labelDef
	pending []token  // labels waiting for their instruction
	marks   []string // the labels of each item, in order (item.marks)
	errs    diag.List
	stop    bool // the last error ends the parse (a limit, the input unreadable)
}

// peekAt returns the token n places ahead without consuming it.
func (p *parser) peekAt(n int) token {
	for len(p.ahead) <= n {
		p.ahead = append(p.ahead, p.lex.next())
	}
	return p.ahead[n]
}

func (p *parser) peek() token { return p.peekAt(0) }

// next consumes a token. End of input and a lexer error are sticky.
func (p *parser) next() token {
	t := p.peekAt(0)
	if t.kind != tEOF && t.kind != tErr {
		p.skip(1)
	}
	return t
}

func (p *parser) skip(n int) {
	p.ahead = append(p.ahead[:0], p.ahead[n:]...)
}

// errAt reports a problem at token t. When t is where the lexer failed, the
// lexer's error is the one to report: no rule of the grammar accepts a tErr
// token, so every parse of one ends here.
func (p *parser) errAt(t token, format string, args ...any) error {
	return p.codeAt(t, diag.CodeSyntax, format, args...)
}

// codeAt is errAt with a code other than CodeSyntax.
func (p *parser) codeAt(t token, code diag.Code, format string, args ...any) error {
	if t.kind == tErr {
		return p.lex.err
	}
	return diag.Errorf(diag.At(p.name, t.line, t.col), code, format, args...)
}

// limitAt is codeAt for an error after which the parse stops.
func (p *parser) limitAt(t token, code diag.Code, format string, args ...any) error {
	p.stop = true
	return p.codeAt(t, code, format, args...)
}

// add adds an error to p.errs and reports whether the parse may go on.
func (p *parser) add(err error) bool { return addErr(&p.errs, err) }

// skipLine drops the rest of the line after an error, so that the next
// line starts afresh; it reports false when nothing more can be read.
func (p *parser) skipLine() bool {
	for {
		switch t := p.peek(); t.kind {
		case tNL, tEOF:
			return true
		case tErr:
			if !p.lex.resume() {
				return false
			}
			p.ahead = p.ahead[:0] // more tErr tokens: the lexer's error is sticky
		default:
			p.skip(1)
		}
	}
}

func (p *parser) isPunct(t token, s string) bool { return t.kind == tPunct && t.text == s }

func (p *parser) expect(s, context string) error {
	t := p.next()
	if !p.isPunct(t, s) {
		return p.errAt(t, "expected '%s' %s, found %s", s, context, t)
	}
	return nil
}

// parse reads the program into p.items, its errors into p.errs: after an
// error it goes on with the next line, until the list is full or the error
// is one that ends the parse.
func (p *parser) parse() {
	for {
		t := p.next()
		if t.kind == tEOF {
			break
		}
		err := p.statement(t)
		if err == nil {
			continue
		}
		if !p.add(err) || p.stop || !p.skipLine() {
			return
		}
	}
	if len(p.pending) > 0 {
		l := p.pending[0]
		p.add(p.errAt(l, "label %s does not label an instruction", quoteSnippet(l.text)))
	}
	if len(p.items) == 0 && len(p.errs) == 0 {
		p.add(p.codeAt(p.next(), diag.CodeMissing, "no instructions"))
	}
}

// statement reads what starts with t: a label or an instruction and the
// end of its line.
func (p *parser) statement(t token) error {
	switch {
	case t.kind == tNL:
		return nil
	case t.kind == tIdent && p.isPunct(p.peek(), ":"):
		p.next()
		if d, dup := p.labels[t.text]; dup {
			return p.codeAt(t, diag.CodeDuplicate, "label %s already defined at line %d", quoteSnippet(t.text), d.tok.line)
		}
		if len(p.labels) >= maxLabels {
			return p.limitAt(t, diag.CodeTooLong, "more than %d labels (4 for each of the %d instructions a program may have)", maxLabels, opcode.MaxInsns)
		}
		p.labels[t.text] = labelDef{tok: t}
		p.pending = append(p.pending, t)
		return nil
	}
	if len(p.items) >= opcode.MaxInsns {
		return p.limitAt(t, diag.CodeTooLong, "more than %d instructions", opcode.MaxInsns)
	}
	it := item{tok: t}
	var err error
	switch t.kind {
	case tIdent:
		err = p.instruction(strings.ToLower(t.text), &it)
	case tDir:
		if strings.ToLower(t.text) != ".insn" {
			return p.codeAt(t, diag.CodeUnknownName, "unknown directive %s (the only one is .insn)", quoteSnippet(t.text))
		}
		err = p.rawInsn(&it)
	default:
		return p.errAt(t, "expected an instruction or a label, found %s", t)
	}
	if err != nil {
		return err
	}
	if e := p.peek(); e.kind != tNL && e.kind != tEOF {
		if p.isPunct(e, ",") && it.kind == kCond {
			return p.errAt(e, "conditional jump needs 1 or 2 targets")
		}
		return p.errAt(e, "expected end of line after instruction, found %s", e)
	}
	it.marks = len(p.pending)
	for _, l := range p.pending {
		p.marks = append(p.marks, l.text)
	}
	p.items = append(p.items, it)
	p.pending = p.pending[:0]
	return nil
}

// number reads an optionally signed number. A '-' gives the 32-bit two's
// complement, from -2147483648 up.
func (p *parser) number(what string) (uint32, error) {
	t := p.next()
	neg := false
	if p.isPunct(t, "-") || p.isPunct(t, "+") {
		neg = t.text == "-"
		n := p.next()
		if n.kind != tNum {
			return 0, p.errAt(n, "expected a number after '%s', found %s", t.text, n)
		}
		if neg && n.val > 0x80000000 {
			return 0, p.codeAt(t, diag.CodeRange, "number -%s does not fit in 32 bits", snippet(n.text))
		}
		t.val = n.val
	} else if t.kind != tNum {
		return 0, p.errAt(t, "expected %s, found %s", what, t)
	}
	if neg {
		return -t.val, nil
	}
	return t.val, nil
}

// register reports whether the next tokens are "x" or "%x" (r is 'x' or 'a')
// and consumes them if so.
func (p *parser) register(r string) bool {
	t := p.peek()
	if p.isPunct(t, "%") {
		if n := p.peekAt(1); n.kind == tIdent && strings.ToLower(n.text) == r {
			p.skip(2)
			return true
		}
		return false
	}
	if t.kind == tIdent && strings.ToLower(t.text) == r {
		p.skip(1)
		return true
	}
	return false
}

// word reports whether the next token is the caseless identifier w,
// optionally preceded by '#', and consumes them if so.
func (p *parser) hashWord(match func(string) bool) (string, bool) {
	i := 0
	if p.isPunct(p.peekAt(0), "#") {
		i++
	}
	t := p.peekAt(i)
	if t.kind == tIdent && match(strings.ToLower(t.text)) {
		p.skip(i + 1)
		return strings.ToLower(t.text), true
	}
	return "", false
}

func isLen(s string) bool { _, ok := opcode.AncillaryByName(s); return s == "len" || ok }

// memIndex reads "M[k]" after its mnemonic.
func (p *parser) memIndex(mn string) (uint32, error) {
	t := p.next()
	if t.kind != tIdent || strings.ToLower(t.text) != "m" {
		return 0, p.errAt(t, "expected M[k] after %s, found %s", mn, t)
	}
	if err := p.expect("[", "after M"); err != nil {
		return 0, err
	}
	nt := p.peek()
	k, err := p.number("a scratch index")
	if err != nil {
		return 0, err
	}
	if k >= opcode.MemWords {
		return 0, p.codeAt(nt, diag.CodeRange, "M[%s]: scratch index must be 0..15", snippet(nt.text))
	}
	return k, p.expect("]", "after scratch index")
}

// packet reads "[k]" or "[x + k]" (the '[' already consumed) and returns the
// mode and offset.
func (p *parser) packet() (opcode.Op, uint32, error) {
	mode := opcode.ABS
	if p.register("x") {
		mode = opcode.IND
		if err := p.expect("+", "after x in [x + k]"); err != nil {
			return 0, 0, err
		}
	}
	k, err := p.number("a packet offset")
	if err != nil {
		return 0, 0, err
	}
	return mode, k, p.expect("]", "after packet offset")
}

// msh reads "4*([k]&0xf)".
func (p *parser) msh() (uint32, error) {
	t := p.peek()
	if n, err := p.number("4*([k]&0xf)"); err != nil {
		return 0, err
	} else if n != 4 {
		return 0, p.errAt(t, "only 4*([k]&0xf) can be encoded")
	}
	if err := p.expect("*", "in 4*([k]&0xf)"); err != nil {
		return 0, err
	}
	if err := p.expect("(", "in 4*([k]&0xf)"); err != nil {
		return 0, err
	}
	if err := p.expect("[", "in 4*([k]&0xf)"); err != nil {
		return 0, err
	}
	k, err := p.number("a packet offset")
	if err != nil {
		return 0, err
	}
	if err := p.expect("]", "in 4*([k]&0xf)"); err != nil {
		return 0, err
	}
	if err := p.expect("&", "in 4*([k]&0xf)"); err != nil {
		return 0, err
	}
	t = p.peek()
	if m, err := p.number("0xf"); err != nil {
		return 0, err
	} else if m != 0xf {
		return 0, p.errAt(t, "only 4*([k]&0xf) can be encoded")
	}
	return k, p.expect(")", "in 4*([k]&0xf)")
}

// target reads a jump target label.
func (p *parser) target() (ref, error) {
	t := p.next()
	if t.kind != tIdent {
		return ref{}, p.errAt(t, "expected a jump target label, found %s", t)
	}
	return ref{label: t.text, tok: t}, nil
}

var condOps = map[string]opcode.Op{
	"jeq": opcode.JEQ, "jneq": opcode.JEQ, "jne": opcode.JEQ, "jlt": opcode.JGE, "jle": opcode.JGT,
	"jgt": opcode.JGT, "jge": opcode.JGE, "jset": opcode.JSET,
}

var aluOps = map[string]opcode.Op{
	"add": opcode.ADD, "sub": opcode.SUB, "mul": opcode.MUL, "div": opcode.DIV, "mod": opcode.MOD,
	"and": opcode.AND, "or": opcode.OR, "xor": opcode.XOR, "lsh": opcode.LSH, "rsh": opcode.RSH,
}

func (p *parser) instruction(mn string, it *item) error {
	ins := &it.ins
	if op, ok := aluOps[mn]; ok {
		ins.Op = uint16(opcode.ALU | op)
		if p.register("x") {
			ins.Op |= uint16(opcode.X)
			return nil
		}
		if !p.isPunct(p.peek(), "#") {
			return p.errAt(p.peek(), "expected #k or x after %s, found %s", mn, p.peek())
		}
		p.next()
		k, err := p.number("a number after '#'")
		ins.K = k
		return err
	}
	if op, ok := condOps[mn]; ok {
		return p.condJump(mn, op, it)
	}
	switch mn {
	case "ld", "ldh", "ldb":
		size := map[string]opcode.Op{"ld": opcode.W, "ldh": opcode.H, "ldb": opcode.B}[mn]
		if name, ok := p.hashWord(isLen); ok {
			if name == "len" {
				if mn != "ld" {
					return p.errAt(it.tok, "%s cannot load the packet length; use ld #len", mn)
				}
				ins.Op = uint16(opcode.LD | opcode.W | opcode.LEN)
				return nil
			}
			off, _ := opcode.AncillaryByName(name)
			ins.Op, ins.K = uint16(opcode.LD|size|opcode.ABS), opcode.SkfAdOff+off
			return nil
		}
		t := p.peek()
		switch {
		case p.isPunct(t, "["):
			p.next()
			mode, k, err := p.packet()
			ins.Op, ins.K = uint16(opcode.LD|size|mode), k
			return err
		case mn == "ld" && p.isPunct(t, "#"):
			p.next()
			k, err := p.number("a number, len or an extension after '#'")
			ins.Op, ins.K = uint16(opcode.LD|opcode.IMM), k
			return err
		case mn == "ld" && t.kind == tIdent && strings.ToLower(t.text) == "m":
			k, err := p.memIndex(mn)
			ins.Op, ins.K = uint16(opcode.LD|opcode.MEM), k
			return err
		}
		if mn == "ld" {
			return p.errAt(t, "expected #k, #len, M[k], [k], [x + k] or an extension such as #proto after ld, found %s", t)
		}
		return p.errAt(t, "expected [k], [x + k] or an extension such as #proto after %s, found %s", mn, t)
	case "ldi", "ldxi":
		if p.isPunct(p.peek(), "#") {
			p.next()
		}
		k, err := p.number("a number after " + mn)
		ins.Op, ins.K = uint16(map[string]opcode.Op{"ldi": opcode.LD, "ldxi": opcode.LDX}[mn]|opcode.IMM), k
		return err
	case "ldx":
		if _, ok := p.hashWord(func(s string) bool { return s == "len" }); ok {
			ins.Op = uint16(opcode.LDX | opcode.W | opcode.LEN)
			return nil
		}
		t := p.peek()
		switch {
		case p.isPunct(t, "#"):
			p.next()
			k, err := p.number("a number or len after '#'")
			ins.Op, ins.K = uint16(opcode.LDX|opcode.IMM), k
			return err
		case t.kind == tIdent && strings.ToLower(t.text) == "m":
			k, err := p.memIndex(mn)
			ins.Op, ins.K = uint16(opcode.LDX|opcode.MEM), k
			return err
		case t.kind == tNum:
			k, err := p.msh()
			ins.Op, ins.K = uint16(opcode.LDX|opcode.B|opcode.MSH), k
			return err
		}
		return p.errAt(t, "expected #k, #len, M[k] or 4*([k]&0xf) after ldx, found %s", t)
	case "ldxb":
		k, err := p.msh()
		ins.Op, ins.K = uint16(opcode.LDX|opcode.B|opcode.MSH), k
		return err
	case "st", "stx":
		k, err := p.memIndex(mn)
		ins.Op, ins.K = uint16(map[string]opcode.Op{"st": opcode.ST, "stx": opcode.STX}[mn]), k
		return err
	case "ja", "jmp":
		r, err := p.target()
		ins.Op, it.kind, it.t = uint16(opcode.JMP|opcode.JA), kJA, r
		return err
	case "neg":
		ins.Op = uint16(opcode.ALU | opcode.NEG)
		return nil
	case "tax":
		ins.Op = uint16(opcode.MISC | opcode.TAX)
		return nil
	case "txa":
		ins.Op = uint16(opcode.MISC | opcode.TXA)
		return nil
	case "ret":
		switch {
		case p.register("a"):
			ins.Op = uint16(opcode.RET | opcode.A)
			return nil
		case p.register("x"):
			ins.Op = uint16(opcode.RET | opcode.X)
			return nil
		case p.isPunct(p.peek(), "#"):
			p.next()
			k, err := p.number("a number after '#'")
			ins.Op, ins.K = uint16(opcode.RET|opcode.K), k
			return err
		}
		return p.errAt(p.peek(), "expected #k, a or x after ret, found %s", p.peek())
	}
	return p.codeAt(it.tok, diag.CodeUnknownName, "unknown mnemonic %s", quoteSnippet(it.tok.text))
}

func (p *parser) condJump(mn string, op opcode.Op, it *item) error {
	it.kind = kCond
	it.ins.Op = uint16(opcode.JMP | op)
	if p.register("x") {
		it.ins.Op |= uint16(opcode.X)
	} else if p.isPunct(p.peek(), "#") {
		p.next()
		k, err := p.number("a number after '#'")
		if err != nil {
			return err
		}
		it.ins.K = k
	} else {
		return p.errAt(p.peek(), "expected #k or x after %s, found %s", mn, p.peek())
	}
	if err := p.expect(",", "after jump condition"); err != nil {
		return err
	}
	first, err := p.target()
	if err != nil {
		return err
	}
	var second ref
	two := p.isPunct(p.peek(), ",")
	if two {
		p.next()
		if second, err = p.target(); err != nil {
			return err
		}
	}
	switch {
	case two && (mn == "jlt" || mn == "jle" || mn == "jne" || mn == "jneq"):
		it.t, it.f = second, first // "jlt #k, a, b" is "jge #k, b, a"
	case two:
		it.t, it.f = first, second
	case mn == "jlt" || mn == "jle" || mn == "jne" || mn == "jneq":
		it.f = first
	default:
		it.t = first
	}
	return nil
}

func (p *parser) rawInsn(it *item) error {
	it.kind = kRaw
	var f [4]uint32
	names := [4]string{"CODE", "JT", "JF", "K"}
	limits := [4]uint32{0xffff, 0xff, 0xff, 0xffffffff}
	for i := range f {
		if i > 0 {
			if err := p.expect(",", "between .insn fields (.insn CODE, JT, JF, K)"); err != nil {
				return err
			}
		}
		t := p.peek()
		v, err := p.number(".insn " + names[i])
		if err != nil {
			return err
		}
		if v > limits[i] || (i < 3 && p.isPunct(t, "-")) {
			return p.codeAt(t, diag.CodeRange, ".insn %s must be 0..%d", names[i], limits[i])
		}
		f[i] = v
	}
	it.ins = bpf.RawInstruction{Op: uint16(f[0]), Jt: uint8(f[1]), Jf: uint8(f[2]), K: f[3]}
	return nil
}

// link resolves labels, inserts trampolines for conditional jumps that
// cannot reach their targets, and encodes the offsets (package link, with
// the Keep layout: every instruction stays, in order), then says in terms
// of the source what went wrong.
func (p *parser) link() ([]bpf.RawInstruction, error) {
	var b link.Builder
	ids := make(map[string]link.Label, len(p.labels))
	id := func(name string) link.Label {
		if name == "" {
			return link.None // the fall-through
		}
		l, ok := ids[name]
		if !ok {
			l = b.NewLabel()
			ids[name] = l
		}
		return l
	}
	b.Code = make([]link.Insn, 0, len(p.items)+len(p.labels))
	marks := p.marks
	for i := range p.items {
		it := &p.items[i]
		for _, name := range marks[:it.marks] {
			b.Mark(id(name))
		}
		marks = marks[it.marks:]
		switch it.kind {
		case kPlain:
			b.Emit(opcode.Op(it.ins.Op), it.ins.K)
		case kCond:
			b.Jump(opcode.Op(it.ins.Op), it.ins.K, id(it.t.label), id(it.f.label))
		case kJA:
			b.Ja(id(it.t.label))
		case kRaw:
			b.Raw(it.ins)
		}
	}
	out, err := b.Link(link.Options{Layout: link.Keep})
	var e *link.Error
	if err == nil || !errors.As(err, &e) || e.Insn < 0 || e.Insn >= len(p.items) {
		return out, err
	}
	it := &p.items[e.Insn]
	r := &it.t
	if e.Side == 1 {
		r = &it.f
	}
	switch e.Code {
	case link.Undefined:
		return nil, p.codeAt(r.tok, diag.CodeUndefinedLabel, "label %s is not defined", quoteSnippet(r.label))
	case link.Backward:
		return nil, p.codeAt(r.tok, diag.CodeJump, "label %s (line %d) is not ahead of this jump; jumps only go forward", quoteSnippet(r.label), p.labels[r.label].tok.line)
	case link.TooLong:
		return nil, p.codeAt(it.tok, diag.CodeTooLong, "program has %d instructions after inserting %d long-jump trampolines; the limit is %d", e.Len, e.Len-len(p.items), opcode.MaxInsns)
	case link.RawSpan:
		return nil, p.codeAt(it.tok, diag.CodeJump, "a long-jump trampoline would be inserted inside the span of this .insn jump, whose offsets are raw; use a labelled jump")
	}
	return nil, p.codeAt(it.tok, diag.CodeInternal, "internal error: %v", e)
}
