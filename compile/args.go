package compile

import (
	"sort"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
)

// Argument tests. Each 64-bit comparison looks at the high word first and
// the low word only when the high words tie; 32-bit comparisons look at
// the low word. A value set (arg == v1 || arg == v2 || ...) is searched
// with a binary tree, not scanned.

type argGen struct {
	b *builder
	a *arch.Arch
}

func (g *argGen) off(i int, high bool) uint32 { return g.a.ArgOffset(i, high) }

// expr emits code that goes to t when e holds, else to f.
func (g *argGen) expr(e policy.Expr, t, f label) {
	switch e := e.(type) {
	case *policy.Cmp:
		g.cmp(e, t, f)
	case policy.And:
		if len(e) == 0 {
			g.b.ja(t)
			return
		}
		for i, x := range e {
			if i == len(e)-1 {
				g.expr(x, t, f)
				break
			}
			next := g.b.newLabel()
			g.expr(x, next, f)
			g.b.mark(next)
		}
	case policy.Or:
		if len(e) == 0 {
			g.b.ja(f)
			return
		}
		rest := g.valueSets(e, t)
		for i, x := range rest {
			if i == len(rest)-1 {
				g.expr(x, t, f)
				break
			}
			next := g.b.newLabel()
			g.expr(x, t, next)
			g.b.mark(next)
		}
		if len(rest) == 0 {
			g.b.ja(f)
		}
	case *policy.Not:
		g.expr(e.X, f, t)
	default:
		g.b.ja(t) // nil: always
	}
}

// valueSets emits a search for each group of four or more equalities on
// the same argument and width in an Or, jumping to t on a hit; it returns
// the operands left to test.
func (g *argGen) valueSets(or policy.Or, t label) []policy.Expr {
	type key struct{ arg, bits int }
	groups := map[key][]uint64{}
	for _, x := range or {
		if c, ok := x.(*policy.Cmp); ok && c.Op == policy.EQ {
			k := key{c.Arg, c.Bits}
			groups[k] = append(groups[k], c.Value)
		}
	}
	var rest []policy.Expr
	done := map[key]bool{}
	for _, x := range or {
		c, ok := x.(*policy.Cmp)
		if !ok || c.Op != policy.EQ || len(groups[key{c.Arg, c.Bits}]) < 4 {
			rest = append(rest, x)
			continue
		}
		k := key{c.Arg, c.Bits}
		if done[k] {
			continue
		}
		done[k] = true
		next := g.b.newLabel()
		g.valueSet(c.Arg, c.Bits, groups[k], t, next)
		g.b.mark(next)
	}
	return rest
}

// valueSet goes to t if argument i equals one of vs, else to f.
func (g *argGen) valueSet(i, bits int, vs []uint64, t, f label) {
	byHigh := map[uint32][]uint32{}
	var highs []uint32
	for _, v := range vs {
		h := uint32(v >> 32)
		if bits == 32 {
			h = 0
		}
		if _, ok := byHigh[h]; !ok {
			highs = append(highs, h)
		}
		byHigh[h] = append(byHigh[h], uint32(v))
	}
	sort.Slice(highs, func(a, b int) bool { return highs[a] < highs[b] })
	for n, h := range highs {
		lows := dedupSorted(byHigh[h])
		miss := f
		if n < len(highs)-1 {
			miss = g.b.newLabel()
		}
		if bits == 64 {
			hit := g.b.newLabel()
			g.b.load(g.off(i, true))
			g.b.jump(unix.BPF_JEQ, h, hit, miss)
			g.b.mark(hit)
		}
		g.b.load(g.off(i, false))
		g.search(lows, t, miss)
		if miss != f {
			g.b.mark(miss)
		}
	}
}

func dedupSorted(xs []uint32) []uint32 {
	sort.Slice(xs, func(a, b int) bool { return xs[a] < xs[b] })
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// search tests A against the sorted values: a binary tree of jge down to
// short jeq chains.
func (g *argGen) search(vs []uint32, t, f label) {
	if len(vs) <= 3 {
		for n, v := range vs {
			next := f
			if n < len(vs)-1 {
				next = g.b.newLabel()
			}
			g.b.jump(unix.BPF_JEQ, v, t, next)
			if next != f {
				g.b.mark(next)
			}
		}
		return
	}
	mid := len(vs) / 2
	left, right := g.b.newLabel(), g.b.newLabel()
	g.b.jump(unix.BPF_JGE, vs[mid], right, left)
	g.b.mark(left)
	g.search(vs[:mid], t, f)
	g.b.mark(right)
	g.search(vs[mid:], t, f)
}

// cmp emits one comparison.
func (g *argGen) cmp(c *policy.Cmp, t, f label) {
	if c.Bits == 32 {
		g.half(c.Op, c.Arg, false, uint32(c.Mask), uint32(c.Value), t, f)
		return
	}
	vh, vl := uint32(c.Value>>32), uint32(c.Value)
	switch c.Op {
	case policy.EQ, policy.NE:
		if c.Op == policy.NE {
			t, f = f, t
		}
		next := g.b.newLabel()
		g.b.load(g.off(c.Arg, true))
		g.b.jump(unix.BPF_JEQ, vh, next, f)
		g.b.mark(next)
		g.b.load(g.off(c.Arg, false))
		g.b.jump(unix.BPF_JEQ, vl, t, f)
	case policy.GT, policy.GE, policy.LT, policy.LE:
		// a > v: high > vh, or high == vh and low > vl (>= for GE).
		strict := c.Op == policy.GT || c.Op == policy.LE
		if c.Op == policy.LT || c.Op == policy.LE {
			t, f = f, t // a < v is !(a >= v); a <= v is !(a > v)
		}
		lowOp := uint16(unix.BPF_JGE)
		if strict {
			lowOp = unix.BPF_JGT
		}
		if !strict && c.Value == 0 {
			g.b.ja(t)
			return
		}
		tie, low := g.b.newLabel(), g.b.newLabel()
		g.b.load(g.off(c.Arg, true))
		switch vh {
		case 0xffffffff: // high > vh impossible
			g.b.jump(unix.BPF_JEQ, vh, low, f)
		case 0: // high > 0, else high == 0
			g.b.jump(unix.BPF_JGT, vh, t, low)
		default:
			g.b.jump(unix.BPF_JGT, vh, t, tie)
			g.b.mark(tie)
			g.b.jump(unix.BPF_JEQ, vh, low, f)
		}
		g.b.mark(low)
		g.b.load(g.off(c.Arg, false))
		g.b.jump(lowOp, vl, t, f)
		if vh == 0 || vh == 0xffffffff {
			g.b.mark(tie) // unused; keeps every label defined
		}
	case policy.MaskedEQ:
		mh, ml := uint32(c.Mask>>32), uint32(c.Mask)
		next := g.b.newLabel()
		switch {
		case mh == 0 && vh != 0:
			g.b.ja(f) // never holds
		case mh == 0:
			g.b.ja(next)
		default:
			g.half(policy.MaskedEQ, c.Arg, true, mh, vh, next, f)
		}
		g.b.mark(next)
		g.half(policy.MaskedEQ, c.Arg, false, ml, vl, t, f)
	}
}

// half compares one 32-bit half of argument i.
func (g *argGen) half(op policy.Op, i int, high bool, mask, v uint32, t, f label) {
	switch op {
	case policy.NE:
		op, t, f = policy.EQ, f, t
	case policy.LT:
		op, t, f = policy.GE, f, t
	case policy.LE:
		op, t, f = policy.GT, f, t
	}
	if op == policy.GE && v == 0 {
		g.b.ja(t)
		return
	}
	if op == policy.MaskedEQ {
		if v&^mask != 0 {
			g.b.ja(f)
			return
		}
		if mask == 0 {
			g.b.ja(t)
			return
		}
	}
	g.b.load(g.off(i, high))
	switch op {
	case policy.EQ:
		g.b.jump(unix.BPF_JEQ, v, t, f)
	case policy.GT:
		g.b.jump(unix.BPF_JGT, v, t, f)
	case policy.GE:
		g.b.jump(unix.BPF_JGE, v, t, f)
	case policy.MaskedEQ:
		switch {
		case v == 0: // no bit of mask set
			g.b.jump(unix.BPF_JSET, mask, f, t)
		case v == mask && mask&(mask-1) == 0: // the single bit set
			g.b.jump(unix.BPF_JSET, mask, t, f)
		case mask == 0xffffffff:
			g.b.jump(unix.BPF_JEQ, v, t, f)
		default:
			g.b.emit(unix.BPF_ALU|unix.BPF_AND|unix.BPF_K, mask)
			g.b.jump(unix.BPF_JEQ, v, t, f)
		}
	}
}
