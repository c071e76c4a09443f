package compile

import (
	"sort"

	"github.com/cbpfkit/cbpf/policy"
)

// Sets of argument values as sorted, disjoint, non-adjacent intervals, so
// that a run of comparisons on one argument ("arg0 < 3 || arg0 == 7 ||
// ...") becomes a range dispatch like the one on syscall numbers.

type ival struct{ lo, hi uint64 }

type ivals []ival

// cmpSet is the set of values of an argument (limited to its low 32 bits
// when bits is 32) for which c holds. MaskedEQ is not an interval set.
func cmpSet(c *policy.Cmp) ivals {
	top := ^uint64(0)
	v := c.Value
	if c.Bits == 32 {
		top, v = 0xffffffff, v&0xffffffff
	}
	switch c.Op {
	case policy.EQ:
		return ivals{{v, v}}
	case policy.NE:
		return complementSet(ivals{{v, v}}, top)
	case policy.LT:
		if v == 0 {
			return nil
		}
		return ivals{{0, v - 1}}
	case policy.LE:
		return ivals{{0, v}}
	case policy.GT:
		if v == top {
			return nil
		}
		return ivals{{v + 1, top}}
	case policy.GE:
		return ivals{{v, top}}
	}
	return nil
}

func unionSet(a, b ivals) ivals {
	all := append(append(ivals{}, a...), b...)
	sort.Slice(all, func(i, j int) bool { return all[i].lo < all[j].lo })
	var out ivals
	for _, iv := range all {
		if n := len(out); n > 0 && (iv.lo <= out[n-1].hi || out[n-1].hi != ^uint64(0) && iv.lo == out[n-1].hi+1) {
			if iv.hi > out[n-1].hi {
				out[n-1].hi = iv.hi
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

func complementSet(a ivals, top uint64) ivals {
	var out ivals
	next := uint64(0)
	done := false
	for _, iv := range a {
		if iv.lo > next {
			out = append(out, ival{next, iv.lo - 1})
		}
		if iv.hi >= top {
			done = true
			break
		}
		next = iv.hi + 1
	}
	if !done {
		out = append(out, ival{next, top})
	}
	return out
}

// rangeCmp reports whether e is a comparison rangeSets can take.
func rangeCmp(e policy.Expr) (*policy.Cmp, bool) {
	c, ok := e.(*policy.Cmp)
	return c, ok && c.Op != policy.MaskedEQ
}

// setRanges turns a set of 32-bit values into ranges covering 0..2^32-1
// whose tag says in (1) or out (2).
func setRanges(s ivals) []rng {
	var rs []rng
	next := uint64(0)
	add := func(lo, hi uint64, tag int) {
		rs = append(rs, rng{lo: uint32(lo), hi: uint32(hi), out: outcome{tag: tag}, weight: 1})
	}
	for _, iv := range s {
		if iv.lo > next {
			add(next, iv.lo-1, 2)
		}
		add(iv.lo, iv.hi, 1)
		next = iv.hi + 1
	}
	if next <= 0xffffffff {
		add(next, 0xffffffff, 2)
	}
	return rs
}
