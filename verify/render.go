package verify

import (
	"fmt"
	"sort"
	"strings"
)

// Readable predicates from the paths of one outcome. A search tree leaves
// many paths with chains of bounds ("a > 24 && a > 36 && a <= 40"); when
// all the paths of an outcome test one argument, they are merged into the
// set of its values and written as values and ranges.

// fieldWords returns the words of field f (0 instruction_pointer, 1..6
// args[0..5]) in the given byte order: low, high.
func fieldWords(f int, le bool) (lo, hi uint8) {
	lo, hi = uint8(2+2*f), uint8(3+2*f)
	if !le {
		lo, hi = hi, lo
	}
	return lo, hi
}

// wordSet is the set of 32-bit values that satisfy unmasked constraints.
func wordSet(cs []constraint) (ivals64, bool) {
	s := ivals64{{0, 0xffffffff}}
	for _, c := range cs {
		if c.Mask != 0xffffffff {
			return nil, false
		}
		k := uint64(c.C)
		var t ivals64
		switch c.Op {
		case opEQ:
			t = ivals64{{k, k}}
		case opNE:
			t = ivals64{{0, k - 1}, {k + 1, 0xffffffff}}
			if k == 0 {
				t = ivals64{{1, 0xffffffff}}
			} else if k == 0xffffffff {
				t = ivals64{{0, k - 1}}
			}
		case opGT:
			if k == 0xffffffff {
				return nil, true
			}
			t = ivals64{{k + 1, 0xffffffff}}
		case opLE:
			t = ivals64{{0, k}}
		}
		s = s.intersect(t)
	}
	return s, true
}

type ival64 struct{ lo, hi uint64 }
type ivals64 []ival64

func (a ivals64) intersect(b ivals64) ivals64 {
	var out ivals64
	for _, x := range a {
		for _, y := range b {
			lo, hi := max(x.lo, y.lo), min(x.hi, y.hi)
			if lo <= hi {
				out = append(out, ival64{lo, hi})
			}
		}
	}
	return out
}

func (a ivals64) union(b ivals64) ivals64 {
	all := append(append(ivals64{}, a...), b...)
	sort.Slice(all, func(i, j int) bool { return all[i].lo < all[j].lo })
	var out ivals64
	for _, x := range all {
		if n := len(out); n > 0 && (x.lo <= out[n-1].hi || out[n-1].hi != ^uint64(0) && x.lo == out[n-1].hi+1) {
			out[n-1].hi = max(out[n-1].hi, x.hi)
			continue
		}
		out = append(out, x)
	}
	return out
}

// fieldSet is the set of 64-bit values of field f a path allows, when its
// constraints on f are unmasked and describe such a set simply.
func fieldSet(cs conj, f int, le bool) (ivals64, bool) {
	lw, hw := fieldWords(f, le)
	lo, ok1 := wordSet(cs.onWord(lw))
	hi, ok2 := wordSet(cs.onWord(hw))
	if !ok1 || !ok2 {
		return nil, false
	}
	var out ivals64
	switch {
	case len(hi) == 1 && hi[0].lo == hi[0].hi:
		h := hi[0].lo << 32
		for _, l := range lo {
			out = append(out, ival64{h | l.lo, h | l.hi})
		}
	case len(lo) == 1 && lo[0] == ival64{0, 0xffffffff}:
		for _, h := range hi {
			out = append(out, ival64{h.lo << 32, h.hi<<32 | 0xffffffff})
		}
	case len(hi) == 0 || len(lo) == 0:
	default:
		return nil, false
	}
	return out, true
}

// singleField returns the field all the paths' constraints (after the
// prefix) are about, if there is exactly one (nr and arch aside).
func singleField(paths []conj, skip int, le bool) (int, bool) {
	field := -1
	for _, p := range paths {
		for _, c := range p[skip:] {
			if c.Word < 2 {
				return 0, false
			}
			f := int(c.Word-2) / 2
			if field >= 0 && f != field {
				return 0, false
			}
			field = f
		}
	}
	return field, field >= 0
}

// renderSet writes a set of values of a field as a disjunction.
func renderSet(name string, s ivals64, val func(uint64) string) string {
	var parts []string
	for _, x := range s {
		if x.lo != x.hi && x.hi-x.lo < 2 {
			// Two values read better as two equalities.
			parts = append(parts, fmt.Sprintf("%s == %s || %s == %s", name, val(x.lo), name, val(x.hi)))
			continue
		}
		switch {
		case x.lo == x.hi:
			parts = append(parts, fmt.Sprintf("%s == %s", name, val(x.lo)))
		case x.lo == 0:
			parts = append(parts, fmt.Sprintf("%s <= %s", name, num(x.hi)))
		case x.hi == ^uint64(0):
			parts = append(parts, fmt.Sprintf("%s >= %s", name, num(x.lo)))
		default:
			parts = append(parts, fmt.Sprintf("(%s >= %s && %s <= %s)", name, num(x.lo), name, num(x.hi)))
		}
	}
	if len(parts) == 0 {
		return "false"
	}
	return strings.Join(parts, " || ")
}

// tighten drops bounds implied by others on the same word: of several
// "> c" the largest stays, of several "<= c" the smallest, and "!= c"
// outside the bounds goes.
func tighten(cs conj) conj {
	type bounds struct {
		gt, le       uint32
		hasGT, hasLE bool
	}
	b := map[uint8]*bounds{}
	for _, c := range cs {
		if c.Mask != 0xffffffff {
			continue
		}
		x := b[c.Word]
		if x == nil {
			x = &bounds{}
			b[c.Word] = x
		}
		switch c.Op {
		case opGT:
			if !x.hasGT || c.C > x.gt {
				x.gt, x.hasGT = c.C, true
			}
		case opLE:
			if !x.hasLE || c.C < x.le {
				x.le, x.hasLE = c.C, true
			}
		}
	}
	var out conj
	for _, c := range cs {
		x := b[c.Word]
		if c.Mask == 0xffffffff && x != nil {
			switch c.Op {
			case opGT:
				if c.C != x.gt {
					continue
				}
			case opLE:
				if c.C != x.le {
					continue
				}
			case opNE:
				if x.hasGT && c.C <= x.gt || x.hasLE && c.C > x.le {
					continue
				}
			}
		}
		out = append(out, c)
	}
	return out
}
