package verify

import "golang.org/x/net/bpf"

// leaf is one path through a program: the constraints on the input words
// that lead to it, the value it returns, and the branch pcs it took.
type leaf struct {
	cs      conj
	ret     symVal
	retPC   int
	inexact bool // the path went through a branch on an unknown value
}

// explorer enumerates the feasible paths of one seccomp program.
type explorer struct {
	prog   []bpf.RawInstruction
	nodes  int
	budget int
	over   bool
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
	e.walk(symState{a: constVal(0), x: constVal(0)}, cs, false)
}

func (e *explorer) walk(st symState, cs conj, inexact bool) {
	if e.over {
		return
	}
	if e.nodes++; e.nodes > e.budget {
		e.over = true
		return
	}
	s := advance(e.prog, &st)
	if s.ret {
		e.visit(leaf{cs: cs, ret: s.retVal, retPC: st.pc, inexact: inexact})
		return
	}
	if e.onBranch != nil && !s.decided {
		e.onBranch(st.pc, s, cs)
	}
	next := func(pc int, cs conj, inexact bool) {
		n := st
		n.pc = pc
		e.walk(n, cs, inexact)
	}
	switch {
	case s.decided:
		if s.taken {
			next(s.jt, cs, inexact)
		} else {
			next(s.jf, cs, inexact)
		}
	case s.unknown:
		next(s.jt, cs, true)
		next(s.jf, cs, true)
	case s.jt == s.jf:
		next(s.jt, cs, inexact)
	default:
		neg := negated(s.cond)
		t, f := cs.feasibleWith(s.cond), cs.feasibleWith(neg)
		switch {
		case t && f:
			next(s.jt, append(cs[:len(cs):len(cs)], s.cond), inexact)
			next(s.jf, append(cs[:len(cs):len(cs)], neg), inexact)
		case t: // implied by cs: nothing to add
			next(s.jt, cs, inexact)
		case f:
			next(s.jf, cs, inexact)
		}
	}
}
