package verify

import (
	"fmt"
	"strings"
	"sync"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// Symbolic execution of seccomp filters. A value is a constant, a loaded
// word of seccomp_data under a mask ((word & mask)), a computed value (an
// ALU expression over those, symExpr), or unknown. Paths split at
// conditional jumps on non-constant values; each path carries the
// conjunction of constraints that leads to it.
//
// Two modes share the code. advance, for Equivalent, keeps to constants
// and masked words: anything else is unknown, as it always was. advanceIn,
// for the explorer (explain, the lints), also computes: it folds ALU on
// constants exactly as the kernel does, reads a word that the path's
// constraints pin as that constant, keeps other arithmetic as an
// expression, turns comparisons of invertible expressions (w + k == c)
// into constraints on the word, and splits a division by a non-constant X
// into "X == 0: the program returns 0" and the quotient. A condition it
// cannot turn into a constraint stays a computed condition (ecmp): a branch
// marked unknown, which callers that only read constraints treat as they
// treated unknown branches before.

type symKind uint8

const (
	symConst symKind = iota
	symWord
	symUnknown
	symExpr // computed: E holds the expression (only from advanceIn)
)

type symVal struct {
	Kind symKind
	Word uint8  // for symWord: offset/4
	Mask uint32 // for symWord
	C    uint32 // for symConst
	E    *expr  // for symExpr
}

func constVal(c uint32) symVal { return symVal{Kind: symConst, C: c} }

var unknownVal = symVal{Kind: symUnknown}

// expr is an ALU operation on two values (one for NEG). Expressions are
// immutable and shared between paths; the value of an expression is the
// kernel's 32-bit result.
type expr struct {
	op    opcode.Op // ALU operation bits: opcode.ADD ... opcode.XOR
	l, r  symVal
	pc    int    // the instruction that computed it
	deps  uint16 // the words it depends on, a bit per word
	size  int    // nodes in the expression written out as a tree (saturates)
	depth int    // the longest chain of operations: what evaluating it costs, about

	// A large expression is evaluated as a list of its distinct
	// operations, made once.
	once sync.Once
	flat []flatOp
}

// flatOp is one operation of a flattened expression: its operands are
// earlier results (index >= 0) or leaves.
type flatOp struct {
	op     opcode.Op
	li, ri int32 // index of the operand's result, or -1: lv, rv
	lv, rv symVal
}

const maxExprSize = 1 << 20

// deps returns the words v depends on.
func (v symVal) deps() uint16 {
	switch v.Kind {
	case symWord:
		return 1 << v.Word
	case symExpr:
		return v.E.deps
	case symUnknown:
		return 0xffff
	}
	return 0
}

func (v symVal) size() int {
	if v.Kind == symExpr {
		return v.E.size
	}
	return 1
}

func (v symVal) depth() int {
	if v.Kind == symExpr {
		return v.E.depth
	}
	return 0
}

func newExpr(op opcode.Op, l, r symVal, pc int) symVal {
	return symVal{Kind: symExpr, E: &expr{op: op, l: l, r: r, pc: pc,
		deps: l.deps() | r.deps(), size: min(maxExprSize, 1+l.size()+r.size()), depth: 1 + max(l.depth(), r.depth())}}
}

// symState is the machine state on one path.
type symState struct {
	pc   int
	a, x symVal
	// mem is scratch memory, shared between the states of paths that
	// forked: a store copies it (nil: nothing stored yet).
	mem *[16]symVal
	// divOK: the division by X at pc is known not to divide by zero
	// (advanceIn then computes it instead of splitting).
	divOK bool
}

func (st *symState) load(k uint32) symVal {
	if st.mem == nil {
		return constVal(0) // never read before written in a valid filter
	}
	return st.mem[k&15]
}

func (st *symState) store(k uint32, v symVal) {
	m := new([16]symVal)
	if st.mem != nil {
		*m = *st.mem
	}
	m[k&15] = v
	st.mem = m
}

// symStep is what advancing a state to its next decision point yields:
// either a return or a branch on a condition (with the two successors).
type symStep struct {
	ret    bool
	retVal symVal
	// For a branch: the condition "lhs op rhs" with rhs constant, or
	// decided (taken known) when both sides are constant.
	decided bool
	taken   bool
	cond    constraint // valid when !decided and !unknown
	unknown bool       // the condition involves an unknown or computed value
	jt, jf  int        // successors' pcs
	// From advanceIn only. computed: the unknown condition is ec, exact.
	computed bool
	ec       *ecmp
	// zeroDiv: not a jump but the division at pc by a non-constant X;
	// the condition (decided, cond or ec as for a branch) is "X == 0",
	// where the program returns 0. Otherwise the division goes on
	// (symState.divOK).
	zeroDiv bool
}

// ecmp is a comparison "L op R" (op a jump condition: BPF_JEQ, BPF_JGT,
// BPF_JGE or BPF_JSET, negated when Neg) where a side is computed.
type ecmp struct {
	Op   opcode.Op
	Neg  bool
	L, R symVal
}

func (c ecmp) negate() ecmp { c.Neg = !c.Neg; return c }

// advance runs st forward through straight-line instructions until a
// return or a conditional jump, and describes it. prog must be valid for
// seccomp (verify.Check) so that no bounds checks are needed here.
// Arithmetic on loaded words yields unknown values.
func advance(prog []bpf.RawInstruction, st *symState) symStep {
	return advanceIn(prog, st, nil, false)
}

// advanceIn is advance for a path constrained by cs; with rich set it
// computes (see the top of this file).
func advanceIn(prog []bpf.RawInstruction, st *symState, cs conj, rich bool) symStep {
	for {
		ins := prog[st.pc]
		switch opcode.Op(ins.Op).Class() {
		case opcode.LD:
			switch opcode.Op(ins.Op) {
			case opcode.LD | opcode.W | opcode.ABS:
				st.a = symVal{Kind: symWord, Word: uint8(ins.K / 4), Mask: 0xffffffff}
			case opcode.LD | opcode.W | opcode.LEN:
				st.a = constVal(64)
			case opcode.LD | opcode.IMM:
				st.a = constVal(ins.K)
			case opcode.LD | opcode.MEM:
				st.a = st.load(ins.K)
			default:
				st.a = unknownVal
			}
		case opcode.LDX:
			switch opcode.Op(ins.Op) {
			case opcode.LDX | opcode.W | opcode.LEN:
				st.x = constVal(64)
			case opcode.LDX | opcode.IMM:
				st.x = constVal(ins.K)
			case opcode.LDX | opcode.MEM:
				st.x = st.load(ins.K)
			default:
				st.x = unknownVal
			}
		case opcode.ST:
			st.store(ins.K, st.a)
		case opcode.STX:
			st.store(ins.K, st.x)
		case opcode.ALU:
			op := opcode.Op(ins.Op).ALUOp()
			if op == opcode.NEG {
				st.a = symALU(op, resolve(st.a, cs), constVal(0), st.pc, rich)
				break
			}
			src := constVal(ins.K)
			if opcode.Op(ins.Op).Src() == opcode.X {
				src = resolve(st.x, cs)
			}
			if (op == opcode.DIV || op == opcode.MOD) && src.Kind != symConst && !st.divOK {
				if !rich {
					st.a = unknownVal
					break
				}
				// The kernel ends the program with 0 when X is 0.
				s := compare(opcode.JEQ, src, constVal(0), cs)
				s.zeroDiv = true
				return s
			}
			st.divOK = false
			if (op == opcode.DIV || op == opcode.MOD) && src.Kind == symConst && src.C == 0 {
				return symStep{ret: true, retVal: constVal(0)}
			}
			st.a = symALU(op, resolve(st.a, cs), src, st.pc, rich)
		case opcode.MISC:
			if opcode.Op(ins.Op).MiscOp() == opcode.TAX {
				st.x = st.a
			} else {
				st.a = st.x
			}
		case opcode.RET:
			if opcode.Op(ins.Op).Size() == opcode.A {
				return symStep{ret: true, retVal: resolve(st.a, cs)}
			}
			return symStep{ret: true, retVal: constVal(ins.K)}
		case opcode.JMP:
			if opcode.Op(ins.Op).JumpOp() == opcode.JA {
				st.pc += 1 + int(ins.K)
				continue
			}
			rhs := constVal(ins.K)
			if opcode.Op(ins.Op).Src() == opcode.X {
				rhs = st.x
			}
			var s symStep
			if rich && (st.a.Kind != symWord || rhs.Kind != symConst) {
				s = compare(opcode.Op(ins.Op).JumpOp(), st.a, rhs, cs)
			} else {
				s = compareWord(opcode.Op(ins.Op).JumpOp(), st.a, rhs)
			}
			s.jt, s.jf = st.pc+1+int(ins.Jt), st.pc+1+int(ins.Jf)
			return s
		}
		st.pc++
	}
}

// compareWord describes "lhs op rhs" for a branch when the sides are
// constants or a masked word against a constant; anything else is unknown.
func compareWord(op opcode.Op, lhs, rhs symVal) symStep {
	var s symStep
	if lhs.Kind == symConst && rhs.Kind == symConst {
		s.decided = true
		s.taken = opcode.Holds(op, lhs.C, rhs.C)
		return s
	}
	if lhs.Kind != symWord || rhs.Kind != symConst {
		s.unknown = true
		return s
	}
	k := rhs.C
	c := constraint{Word: lhs.Word, Mask: lhs.Mask}
	switch op {
	case opcode.JEQ:
		c.Op, c.C = opEQ, k
	case opcode.JGT:
		c.Op, c.C = opGT, k
	case opcode.JGE:
		if k == 0 {
			s.decided, s.taken = true, true
			return s
		}
		c.Op, c.C = opGT, k-1
	case opcode.JSET:
		// (w & m) & k != 0  <=>  (w & (m&k)) != 0
		c.Op, c.Mask, c.C = opNE, lhs.Mask&k, 0
		if c.Mask == 0 {
			s.decided, s.taken = true, false
			return s
		}
	}
	s.cond = c
	return s
}

// compare describes "lhs op rhs" on a path constrained by cs, computing:
// pinned words are constants, comparisons a constraint can express become
// constraints, and the rest a computed condition.
func compare(op opcode.Op, lhs, rhs symVal, cs conj) symStep {
	if lhs.Kind == symWord && rhs.Kind == symConst {
		return compareWord(op, lhs, rhs)
	}
	lhs, rhs = resolve(lhs, cs), resolve(rhs, cs)
	switch {
	case lhs.Kind == symConst && rhs.Kind == symConst, lhs.Kind == symWord && rhs.Kind == symConst:
		return compareWord(op, lhs, rhs)
	case lhs.Kind == symConst && rhs.Kind == symWord:
		// k op w, turned around.
		k := lhs.C
		switch op {
		case opcode.JEQ, opcode.JSET:
			return compareWord(op, rhs, lhs)
		case opcode.JGT: // k > w  <=>  !(w > k-1)
			if k == 0 {
				return symStep{decided: true, taken: false}
			}
			s := compareWord(opcode.JGT, rhs, constVal(k-1))
			s.cond = negated(s.cond)
			return s
		case opcode.JGE: // k >= w  <=>  !(w > k)
			s := compareWord(opcode.JGT, rhs, lhs)
			s.cond = negated(s.cond)
			return s
		}
	case lhs == rhs && lhs.Kind != symUnknown:
		switch op {
		case opcode.JEQ, opcode.JGE:
			return symStep{decided: true, taken: true}
		case opcode.JGT:
			return symStep{decided: true, taken: false}
		}
		if lhs.Kind == symWord { // (v & v) != 0
			return compareWord(op, lhs, constVal(0xffffffff))
		}
	}
	if lhs.Kind == symUnknown || rhs.Kind == symUnknown {
		return symStep{unknown: true}
	}
	if rhs.Kind == symConst {
		k := rhs.C
		switch {
		case op == opcode.JGE && k == 0:
			return symStep{decided: true, taken: true}
		case op == opcode.JGT && k == 0xffffffff, op == opcode.JSET && k == 0:
			return symStep{decided: true, taken: false}
		case op == opcode.JEQ:
			if w, c, ok := invert(lhs, k); ok {
				return compareWord(op, w, constVal(c))
			}
		}
	}
	if lhs.Kind == symConst && op == opcode.JEQ {
		if w, c, ok := invert(rhs, lhs.C); ok {
			return compareWord(op, w, constVal(c))
		}
	}
	return symStep{unknown: true, computed: true, ec: &ecmp{Op: op, L: lhs, R: rhs}}
}

// invert solves v == c for the word under v when v is a chain of
// operations that are one-to-one on 32-bit values (adding, subtracting or
// xoring a constant, negating, multiplying by an odd constant): v == c
// exactly when w == c2.
func invert(v symVal, c uint32) (w symVal, c2 uint32, ok bool) {
	for {
		switch v.Kind {
		case symWord:
			return v, c, true
		case symExpr:
		default:
			return v, 0, false
		}
		e := v.E
		switch {
		case e.op == opcode.NEG:
			v, c = e.l, -c
		case e.r.Kind == symConst && e.op == opcode.ADD:
			v, c = e.l, c-e.r.C
		case e.r.Kind == symConst && e.op == opcode.SUB:
			v, c = e.l, c+e.r.C
		case e.l.Kind == symConst && e.op == opcode.SUB: // k - x == c
			v, c = e.r, e.l.C-c
		case e.r.Kind == symConst && e.op == opcode.XOR:
			v, c = e.l, c^e.r.C
		case e.r.Kind == symConst && e.op == opcode.MUL && e.r.C&1 == 1:
			v, c = e.l, c*inverseOdd(e.r.C)
		default:
			return v, 0, false
		}
	}
}

// inverseOdd returns the multiplicative inverse of odd k modulo 2^32.
func inverseOdd(k uint32) uint32 {
	x := k // Newton's iteration; correct to 3 bits to start with
	for i := 0; i < 5; i++ {
		x *= 2 - k*x
	}
	return x
}

// resolve replaces the words in v that cs pins (an equality on a mask
// covering v's) with their values, and folds what becomes constant.
func resolve(v symVal, cs conj) symVal {
	if len(cs) == 0 || v.Kind == symConst || v.Kind == symUnknown {
		return v
	}
	var pinned uint16
	for _, c := range cs {
		if c.Op == opEQ {
			pinned |= 1 << c.Word
		}
	}
	if v.deps()&pinned == 0 {
		return v
	}
	r := resolver{cs: cs, pinned: pinned}
	return r.val(v)
}

type resolver struct {
	cs     conj
	pinned uint16
	memo   map[*expr]symVal
}

func (r *resolver) val(v symVal) symVal {
	switch {
	case v.deps()&r.pinned == 0:
		return v
	case v.Kind == symWord:
		for _, c := range r.cs {
			if c.Op == opEQ && c.Word == v.Word && v.Mask&^c.Mask == 0 {
				return constVal(c.C & v.Mask)
			}
		}
		return v
	case v.Kind != symExpr:
		return v
	}
	if out, ok := r.memo[v.E]; ok {
		return out
	}
	out := symALU(v.E.op, r.val(v.E.l), r.val(v.E.r), v.E.pc, true)
	if r.memo == nil {
		r.memo = map[*expr]symVal{}
	}
	r.memo[v.E] = out
	return out
}

// symALU applies ALU operation op (the op bits of the instruction) to a
// and src. Constants fold exactly as the kernel computes (32-bit wrap,
// shifts by X modulo 32); identities (x + 0, x & 0xffffffff ...) keep x;
// masks of words stay masked words. Without rich, anything else is
// unknown; with it, an expression. A division by a constant zero is the
// caller's (the program returns 0).
func symALU(op opcode.Op, a, src symVal, pc int, rich bool) symVal {
	if op == opcode.NEG {
		switch {
		case a.Kind == symConst:
			return constVal(-a.C)
		case a.Kind == symExpr && a.E.op == opcode.NEG:
			return a.E.l
		case !rich || a.Kind == symUnknown:
			return unknownVal
		}
		return newExpr(op, a, constVal(0), pc)
	}
	if a.Kind == symConst && src.Kind == symConst {
		if v, ok := opcode.Compute(op, a.C, src.C); ok {
			return constVal(v)
		}
		return unknownVal
	}
	switch op {
	case opcode.ADD, opcode.MUL, opcode.AND, opcode.OR, opcode.XOR:
		if a.Kind == symConst {
			a, src = src, a
		}
	}
	if src.Kind == symConst && (op == opcode.LSH || op == opcode.RSH) {
		src = constVal(src.C & 31) // the kernel shifts by X mod 32
	}
	if src.Kind == symConst {
		k := src.C
		switch {
		case k == 0 && (op == opcode.ADD || op == opcode.SUB || op == opcode.OR || op == opcode.XOR),
			k&31 == 0 && (op == opcode.LSH || op == opcode.RSH),
			k == 1 && (op == opcode.MUL || op == opcode.DIV),
			k == 0xffffffff && op == opcode.AND:
			return a
		case k == 0 && (op == opcode.AND || op == opcode.MUL):
			return constVal(0)
		case k == 0xffffffff && op == opcode.OR:
			return constVal(0xffffffff)
		case op == opcode.AND && a.Kind == symWord:
			if a.Mask&k == 0 {
				return constVal(0)
			}
			return symVal{Kind: symWord, Word: a.Word, Mask: a.Mask & k}
		case op == opcode.AND && rich && a.Kind == symExpr && a.E.op == opcode.AND && a.E.r.Kind == symConst:
			return symALU(op, a.E.l, constVal(a.E.r.C&k), pc, rich)
		}
	}
	if !rich || a.Kind == symUnknown || src.Kind == symUnknown {
		return unknownVal
	}
	return newExpr(op, a, src, pc)
}

// eval computes v on the words of a seccomp_data; ok is false when it
// divides by zero (or v is unknown).
func (v symVal) eval(w *[16]uint32) (uint32, bool) {
	switch v.Kind {
	case symConst:
		return v.C, true
	case symWord:
		return w[v.Word&15] & v.Mask, true
	case symUnknown:
		return 0, false
	}
	e := v.E
	if e.size > 64 { // maybe shared subexpressions: once each
		return e.evalFlat(w)
	}
	l, ok := e.l.eval(w)
	if !ok {
		return 0, false
	}
	r, ok := e.r.eval(w)
	if !ok {
		return 0, false
	}
	return opcode.Compute(e.op, l, r)
}

func (e *expr) evalFlat(w *[16]uint32) (uint32, bool) {
	e.once.Do(e.flatten)
	vals := make([]uint32, len(e.flat))
	for i, f := range e.flat {
		l, r := uint32(0), uint32(0)
		var ok bool
		if f.li >= 0 {
			l = vals[f.li]
		} else if l, ok = f.lv.eval(w); !ok {
			return 0, false
		}
		if f.ri >= 0 {
			r = vals[f.ri]
		} else if r, ok = f.rv.eval(w); !ok {
			return 0, false
		}
		if vals[i], ok = opcode.Compute(f.op, l, r); !ok {
			return 0, false
		}
	}
	return vals[len(vals)-1], true
}

// flatten lists the distinct operations of e, operands first.
func (e *expr) flatten() {
	index := map[*expr]int32{}
	var walk func(x *expr) int32
	walk = func(x *expr) int32 {
		if i, ok := index[x]; ok {
			return i
		}
		f := flatOp{op: x.op, li: -1, ri: -1, lv: x.l, rv: x.r}
		if x.l.Kind == symExpr {
			f.li = walk(x.l.E)
		}
		if x.r.Kind == symExpr {
			f.ri = walk(x.r.E)
		}
		index[x] = int32(len(e.flat))
		e.flat = append(e.flat, f)
		return index[x]
	}
	walk(e)
}

// holds reports whether the comparison holds on the words; false where a
// side divides by zero.
func (c ecmp) holds(w *[16]uint32) bool {
	l, ok := c.L.eval(w)
	if !ok {
		return false
	}
	r, ok := c.R.eval(w)
	if !ok {
		return false
	}
	return opcode.Holds(c.Op, l, r) != c.Neg
}

// Writing values. words names a word of seccomp_data ("nr",
// "(u32)args[0]", "args[0] >> 32").

// maxWritten bounds the expression written out; a larger one is written
// as the instruction that computed it.
const maxWritten = 48

var aluSym = map[opcode.Op]string{
	opcode.ADD: "+", opcode.SUB: "-", opcode.MUL: "*", opcode.DIV: "/", opcode.MOD: "%",
	opcode.AND: "&", opcode.OR: "|", opcode.XOR: "^", opcode.LSH: "<<", opcode.RSH: ">>",
}

// write writes v as C reads it (32-bit unsigned arithmetic that wraps).
func (v symVal) write(words func(uint8) string) string {
	switch v.Kind {
	case symConst:
		return num(uint64(v.C))
	case symWord:
		n := words(v.Word)
		if v.Mask == 0xffffffff {
			return n
		}
		if strings.Contains(n, " ") {
			n = "(" + n + ")"
		}
		return fmt.Sprintf("(%s & %s)", n, maskText(v.Mask))
	case symUnknown:
		return "?"
	}
	e := v.E
	if e.size > maxWritten {
		return fmt.Sprintf("[the value computed by insn %d]", e.pc)
	}
	if e.op == opcode.NEG {
		return "-" + e.l.operand(words)
	}
	r := e.r.operand(words)
	switch e.op {
	case opcode.AND, opcode.OR, opcode.XOR:
		if e.r.Kind == symConst {
			r = maskText(e.r.C)
		}
	case opcode.LSH, opcode.RSH:
		if e.r.Kind != symConst {
			r = "(" + r + " & 31)" // the kernel shifts by X mod 32
		}
	}
	return e.l.operand(words) + " " + aluSym[e.op] + " " + r
}

// maskText writes a constant used as bits (a mask): in hex unless small.
func maskText(v uint32) string {
	if v < 10 {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%#x", v)
}

// operand writes v as an operand of an operator: in parentheses unless
// it is a constant or a whole word.
func (v symVal) operand(words func(uint8) string) string {
	s := v.write(words)
	if v.Kind == symExpr && v.E.size <= maxWritten || v.Kind == symWord && strings.Contains(s, " ") && !strings.HasPrefix(s, "(") {
		return "(" + s + ")"
	}
	return s
}

// write writes the comparison, e.g. "(u32)args[0] + 3 == 4".
func (c ecmp) write(words func(uint8) string) string {
	side := func(v symVal) string {
		if v.Kind == symExpr {
			switch v.E.op {
			case opcode.AND, opcode.OR, opcode.XOR: // below == in C
				return v.operand(words)
			}
		}
		return v.write(words)
	}
	if c.Op == opcode.JSET {
		op := "!="
		if c.Neg {
			op = "=="
		}
		r := c.R.operand(words)
		if c.R.Kind == symConst {
			r = maskText(c.R.C)
		}
		return fmt.Sprintf("(%s & %s) %s 0", c.L.operand(words), r, op)
	}
	ops := map[opcode.Op][2]string{opcode.JEQ: {"==", "!="}, opcode.JGT: {">", "<="}, opcode.JGE: {">=", "<"}}[c.Op]
	op := ops[0]
	if c.Neg {
		op = ops[1]
	}
	return side(c.L) + " " + op + " " + side(c.R)
}

// wordName names word w of seccomp_data in a byte order: "nr", "arch",
// "(u32)args[0]" for a low half, "args[0] >> 32" for a high one.
func wordName(w uint8, le bool) string {
	switch w {
	case 0:
		return "nr"
	case 1:
		return "arch"
	}
	f := int(w-2) / 2
	name := "instruction_pointer"
	if f > 0 {
		name = fmt.Sprintf("args[%d]", f-1)
	}
	if lo, _ := fieldWords(f, le); w == lo {
		return "(u32)" + name
	}
	return name + " >> 32"
}

// fieldName names the field of seccomp_data word w is part of.
func fieldName(w uint8) string {
	switch w {
	case 0:
		return "nr"
	case 1:
		return "arch"
	case 2, 3:
		return "instruction_pointer"
	}
	return fmt.Sprintf("args[%d]", (w-4)/2)
}
