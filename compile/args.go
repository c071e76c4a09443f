package compile

import (
	"slices"
	"sort"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/opcode"
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

// valueSets emits a range dispatch for each group of two or more
// comparisons of one argument and width in an Or (value sets and bounds,
// such as Docker's list of socket families), jumping to t on a hit; it
// returns the operands left to test.
func (g *argGen) valueSets(or policy.Or, t label) []policy.Expr {
	type key struct{ arg, bits int }
	count := map[key]int{}
	sets := map[key]valueSet{}
	for _, x := range or {
		if c, ok := rangeCmp(x); ok {
			k := key{c.Arg, c.Bits}
			count[k]++
			sets[k] = append(sets[k], cmpSet(c)...)
		}
	}
	for k, s := range sets {
		sets[k] = s.Union(nil) // once: thousands of values are common
	}
	var rest []policy.Expr
	done := map[key]bool{}
	for _, x := range or {
		c, ok := rangeCmp(x)
		if !ok || count[key{c.Arg, c.Bits}] < 2 {
			rest = append(rest, x)
			continue
		}
		k := key{c.Arg, c.Bits}
		if done[k] {
			continue
		}
		done[k] = true
		next := g.b.newLabel()
		g.inSet(c.Arg, c.Bits, sets[k], t, next)
		g.b.mark(next)
	}
	return rest
}

// inSet goes to t if argument i is in s, else to f: a dispatch on the high
// word (64-bit only), then on the low word where the set cuts through it.
func (g *argGen) inSet(i, bits int, s valueSet, t, f label) {
	leafFor := func(in, out label) func(r rng) label {
		return func(r rng) label {
			if r.out.tag == 1 {
				return in
			}
			return out
		}
	}
	low := func(s valueSet) {
		g.b.load(g.off(i, false))
		if len(s) <= 3 && !slices.ContainsFunc(s, func(iv ival) bool { return iv.Lo != iv.Hi }) {
			// A few values: a chain of jeq beats a tree of ranges.
			for n, iv := range s {
				next := f
				if n < len(s)-1 {
					next = g.b.newLabel()
				}
				g.b.jump(opcode.JEQ, uint32(iv.Lo), t, next)
				if next != f {
					g.b.mark(next)
				}
			}
			return
		}
		rs := setRanges(s)
		emitTree(g.b, buildTree(rs), rs, leafFor(t, f))
	}
	// No test needed for the empty set or all values ("arg1 >= 0 ||
	// ..."): no load either.
	top := ^uint64(0)
	if bits == 32 {
		top = 0xffffffff
	}
	switch {
	case len(s) == 0:
		g.b.ja(f)
		return
	case len(s) == 1 && s[0] == ival{Lo: 0, Hi: top}:
		g.b.ja(t)
		return
	}
	if bits == 32 {
		low(s)
		return
	}
	// High words: every high word an interval starts or ends in gets its
	// own low-word dispatch; in between, all of a high word is in or out.
	cut := map[uint64]bool{0: true}
	for _, iv := range s {
		for _, h := range []uint64{iv.Lo >> 32, iv.Hi >> 32} {
			cut[h] = true
			if h < 0xffffffff {
				cut[h+1] = true
			}
		}
	}
	starts := make([]uint64, 0, len(cut))
	for h := range cut {
		starts = append(starts, h)
	}
	sort.Slice(starts, func(a, b int) bool { return starts[a] < starts[b] })
	type partial struct {
		l   label
		low valueSet
	}
	var parts []partial
	var hs []rng
	for n, lo := range starts {
		hi := uint64(0xffffffff)
		if n+1 < len(starts) {
			hi = starts[n+1] - 1
		}
		// The values of s with high word lo.
		var low valueSet
		for _, iv := range s {
			a, b := max(iv.Lo, lo<<32), min(iv.Hi, lo<<32|0xffffffff)
			if a <= b {
				low = append(low, ival{Lo: a & 0xffffffff, Hi: b & 0xffffffff})
			}
		}
		tag := 2 // out
		switch {
		case len(low) == 1 && low[0] == ival{Lo: 0, Hi: 0xffffffff}:
			tag = 1 // in, whole high word (and, by the cuts, the whole range)
		case len(low) > 0:
			tag = 3 + len(parts)
			parts = append(parts, partial{l: g.b.newLabel(), low: low})
		}
		r := rng{lo: uint32(lo), hi: uint32(hi), out: outcome{tag: tag}, weight: 1}
		if n := len(hs); n > 0 && hs[n-1].out.same(r.out) {
			hs[n-1].hi = r.hi
			continue
		}
		hs = append(hs, r)
	}
	g.b.load(g.off(i, true))
	emitTree(g.b, buildTree(hs), hs, func(r rng) label {
		switch r.out.tag {
		case 1:
			return t
		case 2:
			return f
		}
		return parts[r.out.tag-3].l
	})
	for _, p := range parts {
		g.b.mark(p.l)
		low(p.low)
	}
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
		g.b.jump(opcode.JEQ, vh, next, f)
		g.b.mark(next)
		g.b.load(g.off(c.Arg, false))
		g.b.jump(opcode.JEQ, vl, t, f)
	case policy.GT, policy.GE, policy.LT, policy.LE:
		// a > v: high > vh, or high == vh and low > vl (>= for GE).
		strict := c.Op == policy.GT || c.Op == policy.LE
		if c.Op == policy.LT || c.Op == policy.LE {
			t, f = f, t // a < v is !(a >= v); a <= v is !(a > v)
		}
		lowOp := opcode.JGE
		if strict {
			lowOp = opcode.JGT
		}
		if !strict && c.Value == 0 {
			g.b.ja(t)
			return
		}
		tie, low := g.b.newLabel(), g.b.newLabel()
		g.b.load(g.off(c.Arg, true))
		switch vh {
		case 0xffffffff: // high > vh impossible
			g.b.jump(opcode.JEQ, vh, low, f)
		case 0: // high > 0, else high == 0
			g.b.jump(opcode.JGT, vh, t, low)
		default:
			g.b.jump(opcode.JGT, vh, t, tie)
			g.b.mark(tie)
			g.b.jump(opcode.JEQ, vh, low, f)
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
		g.b.jump(opcode.JEQ, v, t, f)
	case policy.GT:
		g.b.jump(opcode.JGT, v, t, f)
	case policy.GE:
		g.b.jump(opcode.JGE, v, t, f)
	case policy.MaskedEQ:
		switch {
		case v == 0: // no bit of mask set
			g.b.jump(opcode.JSET, mask, f, t)
		case v == mask && mask&(mask-1) == 0: // the single bit set
			g.b.jump(opcode.JSET, mask, t, f)
		case mask == 0xffffffff:
			g.b.jump(opcode.JEQ, v, t, f)
		default:
			g.b.emit(opcode.ALU|opcode.AND|opcode.K, mask)
			g.b.jump(opcode.JEQ, v, t, f)
		}
	}
}
