package ivals

import (
	"math/rand/v2"
	"testing"
)

// TestAgainstBitmaps checks every operation against sets of small values
// kept as bitmaps.
func TestAgainstBitmaps(t *testing.T) {
	const top = 63
	r := rand.New(rand.NewPCG(1, 2))
	random := func() (Set, uint64) {
		var s Set
		var bits uint64
		for i := 0; i < r.IntN(4); i++ {
			lo := uint64(r.IntN(top + 1))
			hi := lo + uint64(r.IntN(int(top-lo)+1))
			s = s.Union(Set{{lo, hi}})
			for v := lo; v <= hi; v++ {
				bits |= 1 << v
			}
		}
		return s, bits
	}
	bitsOf := func(s Set) uint64 {
		var b uint64
		for i, iv := range s {
			if iv.Lo > iv.Hi || i > 0 && iv.Lo <= s[i-1].Hi+1 {
				t.Fatalf("%v is not sorted, disjoint and non-adjacent", s)
			}
			for v := iv.Lo; v <= iv.Hi; v++ {
				b |= 1 << v
			}
		}
		return b
	}
	for i := 0; i < 5000; i++ {
		a, ab := random()
		b, bb := random()
		if got := bitsOf(a.Union(b)); got != ab|bb {
			t.Fatalf("%v ∪ %v = %b, want %b", a, b, got, ab|bb)
		}
		if got := bitsOf(a.Intersect(b)); got != ab&bb {
			t.Fatalf("%v ∩ %v = %b, want %b", a, b, got, ab&bb)
		}
		if got := bitsOf(a.Complement(top)); got != ^ab {
			t.Fatalf("¬%v = %b, want %b", a, got, ^ab)
		}
	}
	if got := (Set{{0, ^uint64(0)}}).Complement(^uint64(0)); len(got) != 0 {
		t.Errorf("complement of everything: %v", got)
	}
}
