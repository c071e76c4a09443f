package verify

import (
	"math/rand/v2"
	"testing"
)

// TestSolveWord checks the solver against brute force: with masks and
// constants confined to the low 10 bits, (w & m) depends only on those
// bits, so trying 0..1023 decides every conjunction exactly.
func TestSolveWord(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	var sat, unsat int
	for i := 0; i < 20000; i++ {
		full := r.IntN(3) == 0
		cs := make([]constraint, 1+r.IntN(6))
		for j := range cs {
			c := constraint{Op: relOp(r.IntN(4)), Mask: uint32(r.IntN(1024)), C: uint32(r.IntN(1024))}
			if full {
				c.Mask, c.C = 0xffffffff, uint32(r.IntN(40))
			} else if r.IntN(2) == 0 {
				c.C &= c.Mask // usually satisfiable equalities
			}
			cs[j] = c
		}
		limit := uint32(1024)
		if full {
			limit = 100
		}
		want := false
		for v := uint32(0); v < limit && !want; v++ {
			want = all(cs, v)
		}
		v, ok := solveWord(cs)
		if ok != want {
			t.Fatalf("solveWord(%v) ok = %v, want %v", conj(cs), ok, want)
		}
		if ok {
			sat++
			if !all(cs, v) {
				t.Fatalf("solveWord(%v) = %#x, which does not satisfy it", conj(cs), v)
			}
		} else {
			unsat++
		}
	}
	if sat < 1000 || unsat < 1000 {
		t.Errorf("sat %d, unsat %d: not a balanced test", sat, unsat)
	}
}

func all(cs []constraint, v uint32) bool {
	for _, c := range cs {
		if !c.holds(v) {
			return false
		}
	}
	return true
}
