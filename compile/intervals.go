package compile

import (
	"github.com/cbpfkit/cbpf/internal/ivals"
	"github.com/cbpfkit/cbpf/policy"
)

// Sets of argument values as sorted, disjoint, non-adjacent intervals, so
// that a run of comparisons on one argument ("arg0 < 3 || arg0 == 7 ||
// ...") becomes a range dispatch like the one on syscall numbers.

type (
	ival     = ivals.Interval
	valueSet = ivals.Set
)

// cmpSet is the set of values of an argument (limited to its low 32 bits
// when bits is 32) for which c holds. MaskedEQ is not an interval set.
func cmpSet(c *policy.Cmp) valueSet {
	top := ^uint64(0)
	v := c.Value
	if c.Bits == 32 {
		top, v = 0xffffffff, v&0xffffffff
	}
	switch c.Op {
	case policy.EQ:
		return valueSet{{Lo: v, Hi: v}}
	case policy.NE:
		return valueSet{{Lo: v, Hi: v}}.Complement(top)
	case policy.LT:
		if v == 0 {
			return nil
		}
		return valueSet{{Lo: 0, Hi: v - 1}}
	case policy.LE:
		return valueSet{{Lo: 0, Hi: v}}
	case policy.GT:
		if v == top {
			return nil
		}
		return valueSet{{Lo: v + 1, Hi: top}}
	case policy.GE:
		return valueSet{{Lo: v, Hi: top}}
	}
	return nil
}

// rangeCmp reports whether e is a comparison rangeSets can take.
func rangeCmp(e policy.Expr) (*policy.Cmp, bool) {
	c, ok := e.(*policy.Cmp)
	return c, ok && c.Op != policy.MaskedEQ
}

// setRanges turns a set of 32-bit values into ranges covering 0..2^32-1
// whose tag says in (1) or out (2).
func setRanges(s valueSet) []rng {
	var rs []rng
	next := uint64(0)
	add := func(lo, hi uint64, tag int) {
		rs = append(rs, rng{lo: uint32(lo), hi: uint32(hi), out: outcome{tag: tag}, weight: 1})
	}
	for _, iv := range s {
		if iv.Lo > next {
			add(next, iv.Lo-1, 2)
		}
		add(iv.Lo, iv.Hi, 1)
		next = iv.Hi + 1
	}
	if next <= 0xffffffff {
		add(next, 0xffffffff, 2)
	}
	return rs
}
