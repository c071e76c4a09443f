package verify

import (
	"fmt"
	"strings"

	"github.com/cbpfkit/cbpf/internal/ivals"
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
	s := ivals64{{Lo: 0, Hi: 0xffffffff}}
	for _, c := range cs {
		if c.Mask != 0xffffffff {
			return nil, false
		}
		k := uint64(c.C)
		var t ivals64
		switch c.Op {
		case opEQ:
			t = ivals64{{Lo: k, Hi: k}}
		case opNE:
			t = ivals64{{Lo: k, Hi: k}}.Complement(0xffffffff)
		case opGT:
			if k == 0xffffffff {
				return nil, true
			}
			t = ivals64{{Lo: k + 1, Hi: 0xffffffff}}
		case opLE:
			t = ivals64{{Lo: 0, Hi: k}}
		}
		s = s.Intersect(t)
	}
	return s, true
}

type (
	ival64  = ivals.Interval
	ivals64 = ivals.Set
)

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
	case len(hi) == 1 && hi[0].Lo == hi[0].Hi:
		h := hi[0].Lo << 32
		for _, l := range lo {
			out = append(out, ival64{Lo: h | l.Lo, Hi: h | l.Hi})
		}
	case len(lo) == 1 && lo[0] == ival64{Lo: 0, Hi: 0xffffffff}:
		for _, h := range hi {
			out = append(out, ival64{Lo: h.Lo << 32, Hi: h.Hi<<32 | 0xffffffff})
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
		if x.Lo != x.Hi && x.Hi-x.Lo < 2 {
			// Two values read better as two equalities.
			parts = append(parts, fmt.Sprintf("%s == %s || %s == %s", name, val(x.Lo), name, val(x.Hi)))
			continue
		}
		switch {
		case x.Lo == x.Hi:
			parts = append(parts, fmt.Sprintf("%s == %s", name, val(x.Lo)))
		case x.Lo == 0:
			parts = append(parts, fmt.Sprintf("%s <= %s", name, num(x.Hi)))
		case x.Hi == ^uint64(0):
			parts = append(parts, fmt.Sprintf("%s >= %s", name, num(x.Lo)))
		default:
			parts = append(parts, fmt.Sprintf("(%s >= %s && %s <= %s)", name, num(x.Lo), name, num(x.Hi)))
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
