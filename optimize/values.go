package optimize

import (
	"math"

	"github.com/cbpfkit/cbpf/opcode"
)

// value names what a register or scratch word holds, as far as the
// optimizer knows. Two equal values other than unknown hold the same
// number in every run that reaches both places: the input of a run does
// not change while it runs, and each node runs at most once per run (the
// graph is acyclic), so "the result of node n" is one number per run.
type value struct {
	kind vkind
	size opcode.Op // vLoad: W, H or B
	k    uint32    // vConst: the number; vLoad: the offset; vNode: the node
}

type vkind uint8

const (
	vUnknown vkind = iota // anything (never equal to another value)
	vConst                // the constant k
	vLoad                 // the input's bytes at offset k, size size (absolute load)
	vLen                  // the input's length
	vNode                 // what node k computed
	vExpr                 // the expression numbered k (graph.vn)
)

// vnKey is an expression the optimizer numbers: an operation and its
// operands' values. Equal keys compute equal numbers.
type vnKey struct {
	op   opcode.Op
	k    uint32
	a, b value
}

// expr returns the value of an expression, numbering it the first time.
func (g *graph) expr(op opcode.Op, k uint32, a, b value) value {
	key := vnKey{op, k, a, b}
	id, ok := g.vn[key]
	if !ok {
		id = uint32(len(g.vn))
		g.vn[key] = id
	}
	return value{kind: vExpr, k: id}
}

func (v value) known() bool { return v.kind != vUnknown }

// same reports whether a and b certainly hold the same number.
func same(a, b value) bool { return a.known() && a == b }

// ival is what the conditional jumps taken so far say about a value: it
// lies in [lo, hi], differs from each of ne, has the bits of one set and
// those of zero clear.
type ival struct {
	lo, hi    uint32
	one, zero uint32
	ne        []uint32
	nz        []uint32 // masks the value has some bit of (jset taken)
}

var fullIval = ival{lo: 0, hi: math.MaxUint32}

func (iv ival) empty() bool {
	for _, m := range iv.nz {
		if m&^iv.zero == 0 {
			return true
		}
	}
	return iv.lo > iv.hi || iv.one&iv.zero != 0 || iv.lo == iv.hi && iv.excludes(iv.lo)
}

// excludes reports whether no number the facts allow equals c.
func (iv ival) excludes(c uint32) bool {
	if c < iv.lo || c > iv.hi || c&iv.zero != 0 || c&iv.one != iv.one {
		return true
	}
	for _, x := range iv.ne {
		if x == c {
			return true
		}
	}
	return false
}

// hull is the facts that hold on both of two paths.
func hull(a, b ival) ival {
	r := ival{lo: min(a.lo, b.lo), hi: max(a.hi, b.hi), one: a.one & b.one, zero: a.zero & b.zero}
	for _, x := range a.ne {
		if b.excludes(x) {
			r.ne = append(r.ne, x)
		}
	}
	for _, m := range a.nz {
		for _, n := range b.nz {
			if n&^m == 0 { // b's value has a bit of n, so of m
				r.nz = append(r.nz, m)
				break
			}
		}
	}
	return r
}

// state is what is known before an instruction runs.
type state struct {
	a, x  value
	m     [opcode.MemWords]value
	facts map[value]ival
	dead  bool // no run gets here
	// inb is a length the packet is known to have: every path here made
	// an absolute load that ends there (and did not fail).
	inb uint32
}

func (s *state) clone() *state {
	c := *s
	c.facts = make(map[value]ival, len(s.facts))
	for v, iv := range s.facts {
		c.facts[v] = iv
	}
	return &c
}

func (s *state) fact(v value) ival {
	if iv, ok := s.facts[v]; ok {
		return iv
	}
	if v.kind == vConst {
		return ival{lo: v.k, hi: v.k, one: v.k, zero: ^v.k}
	}
	return fullIval
}

// meet is what holds on both paths into a join.
func meet(a, b *state) *state {
	if a == nil || a.dead {
		return b
	}
	if b == nil || b.dead {
		return a
	}
	r := &state{facts: map[value]ival{}}
	m := func(x, y value) value {
		if x == y {
			return x
		}
		return value{}
	}
	r.a, r.x = m(a.a, b.a), m(a.x, b.x)
	r.inb = min(a.inb, b.inb)
	for i := range r.m {
		r.m[i] = m(a.m[i], b.m[i])
	}
	for v, iv := range a.facts {
		if jv, ok := b.facts[v]; ok {
			r.facts[v] = hull(iv, jv)
		}
	}
	return r
}

// initial is the state at the entry: the kernel clears A and X.
func initial() *state {
	s := &state{a: value{kind: vConst}, x: value{kind: vConst}, facts: map[value]ival{}}
	return s
}

// pureLoad reports whether an absolute load at k reads the input (the
// same number every time in a run) rather than an ancillary value or
// an offset relative to a header.
func pureLoad(k uint32) bool { return k < 0x80000000 }

// loadValue is what an instruction that loads into a register reads,
// unknown if it is not one the optimizer follows.
func (g *graph) loadValue(s *state, i int) value {
	nd := &g.nodes[i]
	op := nd.op
	switch op.Mode() {
	case opcode.IMM:
		return value{kind: vConst, k: nd.k}
	case opcode.LEN:
		if g.mode == Seccomp {
			return value{kind: vConst, k: opcode.SeccompDataSize}
		}
		return value{kind: vLen}
	case opcode.MEM:
		if nd.k < opcode.MemWords {
			return s.m[nd.k]
		}
	case opcode.ABS:
		if op.Class() == opcode.LD && pureLoad(nd.k) {
			return value{kind: vLoad, size: op.Size(), k: nd.k}
		}
	case opcode.IND:
		if s.x.known() {
			return g.expr(op, nd.k, s.x, value{})
		}
	case opcode.MSH:
		if pureLoad(nd.k) {
			return g.expr(op, nd.k, value{}, value{})
		}
	}
	return value{kind: vNode, k: uint32(i)}
}

// transfer returns the state after node i (not a jump) given s, and
// whether the node ends the run (division by X known zero).
func (g *graph) transfer(s *state, i int) *state {
	nd := &g.nodes[i]
	// No instruction but a jump adds facts, and branch clones before it
	// adds one: the facts map is shared, not copied (threading follows
	// up to 256 nodes an edge, and copying it at each made a 4001-node
	// program take 15 s and 460 MB).
	c := *s
	r := &c
	if end, ok := loadEnd(nd); ok {
		r.inb = max(r.inb, end)
	}
	switch op := nd.op; op.Class() {
	case opcode.LD:
		r.a = g.loadValue(s, i)
	case opcode.LDX:
		r.x = g.loadValue(s, i)
	case opcode.ST:
		if nd.k < opcode.MemWords {
			r.m[nd.k] = s.a
		}
	case opcode.STX:
		if nd.k < opcode.MemWords {
			r.m[nd.k] = s.x
		}
	case opcode.ALU:
		if c, ok := g.fold(s, i); ok {
			r.a = value{kind: vConst, k: c}
		} else if g.identity(s, i) {
			r.a = s.a
		} else if v, ok := g.copiesX(s, i); ok {
			r.a = v
		} else if b := g.operand(s, i); s.a.known() && (b.known() || nd.op.ALUOp() == opcode.NEG) {
			if nd.op.ALUOp() == opcode.NEG {
				b = value{}
			}
			r.a = g.expr(nd.op&^opcode.X, 0, s.a, b)
		} else {
			r.a = value{kind: vNode, k: uint32(i)}
		}
	case opcode.MISC:
		if op.MiscOp() == opcode.TAX {
			r.x = s.a
		} else {
			r.a = s.x
		}
	}
	return r
}

// loadEnd returns where an absolute packet load (or ldxb 4*([k]&0xf))
// ends: past it, the packet is known to be that long.
func loadEnd(nd *node) (uint32, bool) {
	op := nd.op
	if !op.IsLoad() || !pureLoad(nd.k) || nd.k >= 1<<24 {
		return 0, false
	}
	switch op.Mode() {
	case opcode.ABS:
		if op.Class() != opcode.LD {
			return 0, false
		}
		return nd.k + uint32(op.LoadBytes()), true
	case opcode.MSH:
		return nd.k + 1, true
	}
	return 0, false
}

// safeLoad reports whether node i, a load that may fail in packet mode,
// cannot fail in state s.
func (g *graph) safeLoad(s *state, i int) bool {
	nd := &g.nodes[i]
	if end, ok := loadEnd(nd); ok && end <= s.inb {
		return true
	}
	if !nd.op.IsLoad() || nd.op.Mode() != opcode.IND && nd.op.Mode() != opcode.MSH && nd.op.Mode() != opcode.ABS {
		return false
	}
	// A load whose value some register or word holds ran before on
	// every path here (the same load: the same place), and did not fail.
	v := g.loadValue(s, i)
	if v.kind == vNode || !v.known() {
		return false
	}
	if same(s.a, v) || same(s.x, v) {
		return true
	}
	for _, m := range s.m {
		if same(m, v) {
			return true
		}
	}
	return false
}

// operand is the second operand of an ALU or jump node.
func (g *graph) operand(s *state, i int) value {
	nd := &g.nodes[i]
	if nd.op.Src() == opcode.X {
		return s.x
	}
	return value{kind: vConst, k: nd.k}
}

// copiesX reports whether ALU node i sets A to X's value in state s
// (0 + x, 0 | x, 0 ^ x, 1 * x), and returns it.
func (g *graph) copiesX(s *state, i int) (value, bool) {
	nd := &g.nodes[i]
	if nd.op.Src() != opcode.X || nd.op.ALUOp() == opcode.NEG || s.a.kind != vConst || !s.x.known() {
		return value{}, false
	}
	switch nd.op.ALUOp() {
	case opcode.ADD, opcode.OR, opcode.XOR:
		return s.x, s.a.k == 0
	case opcode.MUL:
		return s.x, s.a.k == 1
	}
	return value{}, false
}

// identity reports whether ALU node i leaves A as it is in state s
// (add #0, mul #1, and #0xffffffff and the like).
func (g *graph) identity(s *state, i int) bool {
	nd := &g.nodes[i]
	b := g.operand(s, i)
	if nd.op.ALUOp() == opcode.NEG || b.kind != vConst {
		return false
	}
	switch nd.op.ALUOp() {
	case opcode.ADD, opcode.SUB, opcode.OR, opcode.XOR:
		return b.k == 0
	case opcode.LSH, opcode.RSH:
		return b.k&31 == 0
	case opcode.MUL, opcode.DIV:
		return b.k == 1
	case opcode.AND:
		return b.k == math.MaxUint32
	}
	return false
}

// fold computes an ALU node whose operands are constants (or whose result
// is known whatever A: and #0, mul #0). It fails for a
// division or modulo by zero (X = 0 ends the run; the kernel rejects a
// constant 0).
func (g *graph) fold(s *state, i int) (uint32, bool) {
	nd := &g.nodes[i]
	if s.a.kind != vConst {
		if b := g.operand(s, i); nd.op.ALUOp() != opcode.NEG && b.kind == vConst && b.k == 0 &&
			(nd.op.ALUOp() == opcode.AND || nd.op.ALUOp() == opcode.MUL) {
			return 0, true
		}
		return 0, false
	}
	a := s.a.k
	if nd.op.ALUOp() == opcode.NEG {
		return -a, true
	}
	b := g.operand(s, i)
	if b.kind != vConst {
		return 0, false
	}
	return opcode.Compute(nd.op, a, b.k)
}

// decide says which way conditional node i goes in state s: 0 (true), 1
// (false), or -1 when either may happen.
func (g *graph) decide(s *state, i int) int {
	nd := &g.nodes[i]
	a, b := s.a, g.operand(s, i)
	if a.kind == vConst && b.kind == vConst {
		if opcode.Holds(nd.op.JumpOp(), a.k, b.k) {
			return 0
		}
		return 1
	}
	if same(a, b) {
		switch nd.op.JumpOp() {
		case opcode.JEQ, opcode.JGE:
			return 0
		case opcode.JGT:
			return 1
		}
		b = value{kind: vConst, k: math.MaxUint32} // a & a != 0 iff a != 0
	}
	if b.kind != vConst || !a.known() {
		return -1
	}
	iv, k := s.fact(a), b.k
	tr, fa := restrict(iv, nd.op.JumpOp(), k, true), restrict(iv, nd.op.JumpOp(), k, false)
	switch {
	case tr.empty() && !fa.empty():
		return 1
	case fa.empty() && !tr.empty():
		return 0
	}
	return -1
}

// restrict returns the facts iv plus "a op k is taken" (or not).
func restrict(iv ival, op opcode.Op, k uint32, taken bool) ival {
	iv.ne = append([]uint32(nil), iv.ne...)
	switch {
	case op == opcode.JEQ && taken:
		if iv.excludes(k) {
			iv.lo, iv.hi = 1, 0
		} else {
			iv = ival{lo: k, hi: k, one: k, zero: ^k}
		}
	case op == opcode.JEQ:
		iv.ne = append(iv.ne, k)
	case op == opcode.JGT && taken:
		if k == math.MaxUint32 {
			iv.lo, iv.hi = 1, 0
		} else {
			iv.lo = max(iv.lo, k+1)
		}
	case op == opcode.JGT:
		iv.hi = min(iv.hi, k)
	case op == opcode.JGE && taken:
		iv.lo = max(iv.lo, k)
	case op == opcode.JGE:
		if k == 0 {
			iv.lo, iv.hi = 1, 0
		} else {
			iv.hi = min(iv.hi, k-1)
		}
	case op == opcode.JSET && taken:
		if k == 0 {
			iv.lo, iv.hi = 1, 0
		}
		if k&(k-1) == 0 {
			iv.one |= k
		} else if len(iv.nz) < 4 {
			iv.nz = append(append([]uint32(nil), iv.nz...), k)
		}
		iv.lo = max(iv.lo, 1)
		if k&^iv.zero == 0 {
			iv.lo, iv.hi = 1, 0
		}
	case op == opcode.JSET:
		iv.zero |= k
	}
	// Tighten the bounds past excluded ends, so that the empty test sees
	// a range of excluded numbers.
	for n := 0; n < 64 && iv.lo <= iv.hi && iv.excludes(iv.lo); n++ {
		if iv.lo == math.MaxUint32 {
			iv.lo, iv.hi = 1, 0
			break
		}
		iv.lo++
	}
	for n := 0; n < 64 && iv.lo <= iv.hi && iv.excludes(iv.hi); n++ {
		if iv.hi == 0 {
			iv.lo, iv.hi = 1, 0
			break
		}
		iv.hi--
	}
	return iv
}

// branch returns the state on side (0 true, 1 false) of conditional node
// i: s with what the jump learnt.
func (g *graph) branch(s *state, i, side int) *state {
	nd := &g.nodes[i]
	switch g.decide(s, i) {
	case -1:
	case side:
		return s
	default:
		return &state{dead: true}
	}
	a, b := s.a, g.operand(s, i)
	if !a.known() || a.kind == vConst || b.kind != vConst {
		return s
	}
	r := s.clone()
	iv := restrict(s.fact(a), nd.op.JumpOp(), b.k, side == 0)
	if len(iv.ne) > 8 {
		iv.ne = iv.ne[len(iv.ne)-8:]
	}
	if iv.empty() {
		return &state{dead: true}
	}
	r.facts[a] = iv
	return r
}

// analyze computes the state before every node (nil for unreachable
// ones), meeting over the predecessors, in index order.
func (g *graph) analyze() []*state {
	n := len(g.nodes)
	in := make([]*state, n)
	in[g.entry] = initial()
	for i := g.entry; i < n; i++ {
		s := in[i]
		if s == nil || s.dead {
			continue
		}
		nd := &g.nodes[i]
		switch {
		case nd.isRet():
		case nd.isCond():
			for side := 0; side < 2; side++ {
				t := nd.succ[side]
				in[t] = meet(in[t], g.branch(s, i, side))
			}
		default:
			t := nd.succ[0]
			in[t] = meet(in[t], g.transfer(s, i))
		}
	}
	return in
}
