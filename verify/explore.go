package verify

import (
	"math/rand/v2"

	"golang.org/x/net/bpf"
)

// leaf is one path through a program: the constraints on the input words
// that lead to it, the value it returns, and the branch pcs it took.
type leaf struct {
	cs    conj
	ret   symVal
	retPC int
	// inexact: the path went through a computed condition (ecs) or an
	// unknown one (blind); cs then over-approximates the inputs that
	// take it.
	inexact bool
	// ecs are the computed conditions on the path, in order: together with
	// cs exactly the inputs that take it, unless blind.
	ecs   []ecmp
	blind bool // a branch on a value explain cannot compute (none in valid filters)
}

// holds reports whether words take the path (exact unless blind).
func (l leaf) holds(w *[16]uint32) bool {
	for _, k := range l.cs {
		if !k.holds(w[k.Word&15]) {
			return false
		}
	}
	for _, e := range l.ecs {
		if !e.holds(w) {
			return false
		}
	}
	return true
}

// deps returns the words the computed conditions of l depend on, and
// those its constraints after the first skip are on.
func (l leaf) deps(skip int) uint16 {
	var d uint16
	for _, c := range l.ecs {
		d |= c.L.deps() | c.R.deps()
	}
	for _, c := range l.cs[skip:] {
		d |= 1 << c.Word
	}
	return d
}

// explorer enumerates the feasible paths of one seccomp program.
type explorer struct {
	prog   []bpf.RawInstruction
	nodes  int
	budget int
	over   bool
	// weigh: a path that reaches a return also counts its constraints
	// against the budget (they are kept), bounding memory as well as time.
	weigh bool
	// onBranch, if set, is called at every symbolic branch with the path's
	// constraints so far; lints use it.
	onBranch func(pc int, st symStep, cs conj)
	visit    func(l leaf)
}

// run explores from the start under the initial constraints cs.
func (e *explorer) run(cs conj) {
	if e.budget == 0 {
		e.budget = maxEquivNodes
	}
	e.walk(symState{a: constVal(0), x: constVal(0)}, cs, nil, false)
}

func (e *explorer) walk(st symState, cs conj, ecs []ecmp, blind bool) {
	if e.over {
		return
	}
	if e.nodes++; e.nodes > e.budget {
		e.over = true
		return
	}
	s := advanceIn(e.prog, &st, cs, true)
	// Branches that do not split the path cost nothing more: a path is at
	// most as long as the program, and only splits multiply paths.
	for !s.ret && !s.zeroDiv {
		if e.onBranch != nil && !s.decided {
			e.onBranch(st.pc, s, cs)
		}
		switch {
		case s.decided && !s.taken:
			st.pc = s.jf
		case s.decided || s.jt == s.jf:
			st.pc = s.jt
		case s.computed || s.unknown:
			e.fork(s, cs, ecs, blind, e.next(st, s.jt), e.next(st, s.jf))
			return
		default:
			neg := negated(s.cond)
			t, f := cs.feasibleWith(s.cond), cs.feasibleWith(neg)
			switch {
			case t && f && s.cond.Op == opEQ:
				// The fall-through of an equality first: a chain of
				// them (a deny-list, say) ends at the default, which a
				// budget cut then does not miss.
				e.next(st, s.jf)(append(cs[:len(cs):len(cs)], neg), ecs, blind)
				e.next(st, s.jt)(append(cs[:len(cs):len(cs)], s.cond), ecs, blind)
				return
			case t && f:
				e.next(st, s.jt)(append(cs[:len(cs):len(cs)], s.cond), ecs, blind)
				e.next(st, s.jf)(append(cs[:len(cs):len(cs)], neg), ecs, blind)
				return
			case t: // implied by cs: nothing to add
				st.pc = s.jt
			case f:
				st.pc = s.jf
			default:
				return // cs admits no input (not the case for a feasible path)
			}
		}
		s = advanceIn(e.prog, &st, cs, true)
	}
	if s.ret && e.weigh {
		if e.nodes += len(cs) + len(ecs); e.nodes > e.budget {
			e.over = true
			return
		}
	}
	if s.ret {
		e.visit(leaf{cs: cs, ret: s.retVal, retPC: st.pc, inexact: blind || len(ecs) > 0, ecs: ecs, blind: blind})
		return
	}
	if s.zeroDiv {
		pc := st.pc
		e.fork(s, cs, ecs, blind, func(cs conj, ecs []ecmp, blind bool) {
			e.visit(leaf{cs: cs, ret: constVal(0), retPC: pc, inexact: blind || len(ecs) > 0, ecs: ecs, blind: blind})
		}, func(cs conj, ecs []ecmp, blind bool) {
			n := st
			n.divOK = true
			e.walk(n, cs, ecs, blind)
		})
		return
	}
}

// next continues the walk from st at pc.
func (e *explorer) next(st symState, pc int) func(conj, []ecmp, bool) {
	return func(cs conj, ecs []ecmp, blind bool) {
		n := st
		n.pc = pc
		e.walk(n, cs, ecs, blind)
	}
}

// fork follows each outcome of the condition of s that can happen: yes
// where it holds, no where it does not.
func (e *explorer) fork(s symStep, cs conj, ecs []ecmp, blind bool, yes, no func(conj, []ecmp, bool)) {
	switch {
	case s.decided:
		if s.taken {
			yes(cs, ecs, blind)
		} else {
			no(cs, ecs, blind)
		}
	case s.computed:
		for _, c := range ecs {
			switch c {
			case *s.ec:
				yes(cs, ecs, blind)
				return
			case s.ec.negate():
				no(cs, ecs, blind)
				return
			}
		}
		yes(cs, append(ecs[:len(ecs):len(ecs)], *s.ec), blind)
		no(cs, append(ecs[:len(ecs):len(ecs)], s.ec.negate()), blind)
	case s.unknown:
		yes(cs, ecs, true)
		no(cs, ecs, true)
	default:
		neg := negated(s.cond)
		t, f := cs.feasibleWith(s.cond), cs.feasibleWith(neg)
		switch {
		case t && f:
			yes(append(cs[:len(cs):len(cs)], s.cond), ecs, blind)
			no(append(cs[:len(cs):len(cs)], neg), ecs, blind)
		case t: // implied by cs: nothing to add
			yes(cs, ecs, blind)
		case f:
			no(cs, ecs, blind)
		}
	}
}

// witnesser looks for inputs that take paths with computed conditions:
// values of the words involved drawn from the constants of the path and
// simple combinations of them, checked exactly. Finding one proves the
// path feasible; not finding one proves nothing. Its work is bounded per
// decision.
type witnesser struct {
	r    *rand.Rand
	left int
}

func newWitnesser() *witnesser {
	return &witnesser{r: rand.New(rand.NewPCG(9, 9)), left: 3000}
}

// find returns an input that takes p, if it finds one.
func (wt *witnesser) find(p leaf) ([16]uint32, bool) {
	if p.blind {
		return [16]uint32{}, false
	}
	base, ok := p.cs.solve()
	if !ok {
		return base, false
	}
	if p.holds(&base) {
		return base, true
	}
	if wt.left <= 0 {
		return base, false
	}
	// What one try costs: evaluating the conditions (a few operations
	// cost about what a try's bookkeeping does).
	cost := 0
	for _, c := range p.ecs {
		cost += c.L.depth() + c.R.depth()
	}
	cost = 1 + cost/16
	var dep uint16
	var ks []uint32
	seen := map[*expr]bool{}
	var consts func(v symVal)
	consts = func(v symVal) {
		switch v.Kind {
		case symConst:
			ks = append(ks, v.C)
		case symWord:
			if v.Mask != 0xffffffff {
				ks = append(ks, v.Mask)
			}
		case symExpr:
			if !seen[v.E] && len(ks) < 32 {
				seen[v.E] = true
				consts(v.E.l)
				consts(v.E.r)
			}
		}
	}
	for _, c := range p.ecs {
		dep |= c.L.deps() | c.R.deps()
		consts(c.L)
		consts(c.R)
	}
	for _, c := range p.cs {
		if dep&(1<<c.Word) != 0 {
			ks = append(ks, c.C)
		}
	}
	// Candidates: the constants, off by one, negated, and one operation
	// of two of them (what inverting one step of the computation gives).
	cands := make([]uint32, 0, 6+5*len(ks)+6*144)
	cands = append(cands, 0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff)
	for _, k := range ks {
		cands = append(cands, k, k+1, k-1, -k, ^k)
	}
	pairs := ks[:min(len(ks), 12)]
	for _, a := range pairs {
		for _, b := range pairs {
			cands = append(cands, a-b, a+b, a^b, a>>(b&31), a<<(b&31))
			if b != 0 {
				cands = append(cands, a/b)
			}
		}
	}
	// The constraints on each word involved: unmasked inequalities (a
	// number against hundreds of syscall numbers, say) as a set.
	type wordCs struct {
		w    uint8
		ne   map[uint32]bool
		rest []constraint
	}
	var ws []wordCs
	for w := uint8(0); w < 16; w++ {
		if dep&(1<<w) == 0 {
			continue
		}
		x := wordCs{w: w}
		for _, c := range p.cs.onWord(w) {
			if c.Op == opNE && c.Mask == 0xffffffff {
				if x.ne == nil {
					x.ne = map[uint32]bool{}
				}
				x.ne[c.C] = true
			} else {
				x.rest = append(x.rest, c)
			}
		}
		ws = append(ws, x)
	}
	fits := func(x *wordCs, v uint32) bool {
		if x.ne[v] {
			return false
		}
		for _, c := range x.rest {
			if !c.holds(v) {
				return false
			}
		}
		return true
	}
	pick := func() uint32 {
		switch x := wt.r.IntN(8); {
		case x == 0:
			return wt.r.Uint32()
		case x == 1:
			return uint32(wt.r.IntN(64))
		}
		return cands[wt.r.IntN(len(cands))]
	}
	// Greedy: make each condition hold in turn by changing one word it
	// depends on, keeping the conditions before it true; a few rounds and
	// restarts.
	holdsUpTo := func(words *[16]uint32, n int) bool {
		for _, c := range p.ecs[:n] {
			if !c.holds(words) {
				return false
			}
		}
		return true
	}
	for restart := 0; restart < 4 && wt.left > 0; restart++ {
		words := base
		for i := range ws {
			if restart > 0 && wt.r.IntN(2) == 0 {
				if v := pick(); fits(&ws[i], v) {
					words[ws[i].w] = v
				}
			}
		}
		for round := 0; round < 3 && wt.left > 0; round++ {
			all := true
			for i, c := range p.ecs {
				if c.holds(&words) {
					continue
				}
				fixed := false
				d := c.L.deps() | c.R.deps()
				for j := range ws {
					if d&(1<<ws[j].w) == 0 {
						continue
					}
					w := ws[j].w
					old := words[w]
					for t := 0; t < 48 && wt.left > 0 && !fixed; t++ {
						wt.left -= cost
						v := pick()
						if t%2 == 0 { // or a bit of the value flipped (bit tests)
							v = old ^ 1<<wt.r.IntN(32)
						}
						if !fits(&ws[j], v) {
							continue
						}
						words[w] = v
						fixed = c.holds(&words) && holdsUpTo(&words, i)
					}
					if fixed {
						break
					}
					words[w] = old
				}
				all = all && fixed
			}
			if all && holdsUpTo(&words, len(p.ecs)) {
				return words, true
			}
		}
	}
	return base, false
}
