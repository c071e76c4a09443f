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
		want, wantV := false, uint32(0)
		for v := uint32(0); v < limit && !want; v++ {
			want, wantV = all(cs, v), v
		}
		v, ok := solveWord(cs)
		if ok != want {
			t.Fatalf("solveWord(%v) ok = %v, want %v", conj(cs), ok, want)
		}
		if ok {
			sat++
			if v != wantV {
				t.Fatalf("solveWord(%v) = %#x, want the smallest solution %#x", conj(cs), v, wantV)
			}
		} else {
			unsat++
		}
	}
	if sat < 1000 || unsat < 1000 {
		t.Errorf("sat %d, unsat %d: not a balanced test", sat, unsat)
	}
}

// TestSolveWordShapes checks the solver against brute force on the
// shapes filters produce, with the bits spread over the whole word: the
// constraints see only a random set of 10 bit positions, so trying the
// 1024 assignments of those positions (the others 0) decides each
// conjunction and gives its smallest solution. Masks are single bits,
// contiguous runs of the positions, or any subset; comparisons come in
// long lists (many !=, as on the default path of a deny-list), and the
// constants are often near the masks' extremes.
func TestSolveWordShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	counts := map[bool]int{}
	for i := 0; i < 4000; i++ {
		var pos []uint32 // the positions, highest first
		for _, p := range r.Perm(32)[:10] {
			pos = append(pos, uint32(p))
		}
		sortDesc(pos)
		spread := func(x uint32) uint32 { // bit j of x to position pos[len-1-j]
			var w uint32
			for j := range pos {
				if x>>j&1 != 0 {
					w |= 1 << pos[len(pos)-1-j]
				}
			}
			return w
		}
		n := 1 + r.IntN(40)
		cs := make([]constraint, n)
		shape := r.IntN(4)
		for j := range cs {
			var m uint32
			s := shape
			if s == 3 { // mixed
				s = r.IntN(3)
			}
			switch s {
			case 0: // a single bit
				m = spread(1 << r.IntN(len(pos)))
			case 1: // a run of positions
				lo := r.IntN(len(pos))
				hi := lo + r.IntN(len(pos)-lo)
				m = spread((1<<(hi+1) - 1) &^ (1<<lo - 1))
			default: // any subset
				m = spread(uint32(r.IntN(1 << len(pos))))
			}
			var c uint32
			switch r.IntN(4) {
			case 0:
				c = m
			case 1:
				c = 0
			case 2:
				c = spread(uint32(r.IntN(1<<len(pos)))) & m
			default:
				c = spread(uint32(r.IntN(1 << len(pos))))
			}
			op := relOp(r.IntN(4))
			if r.IntN(3) != 0 {
				op = opNE // lists of != dominate real paths
			}
			cs[j] = constraint{Op: op, Mask: m, C: c}
		}
		want, wantV, wantMax := false, uint32(0), uint32(0)
		for x := uint32(0); x < 1<<len(pos); x++ {
			if v := spread(x); all(cs, v) {
				if !want || v < wantV {
					wantV = v
				}
				want, wantMax = true, max(wantMax, v)
			}
		}
		v, ok := solveWord(cs)
		if ok != want || ok && v != wantV {
			t.Fatalf("solveWord(%v) = %#x, %v; want %#x, %v", conj(cs), v, ok, wantV, want)
		}
		// The largest: the bits no constraint sees are 1.
		wantMax |= ^spread(1<<len(pos) - 1)
		if v, st := solveWordMaxWithin(cs, nil); (st == solved) != want || want && v != wantMax {
			t.Fatalf("solveWordMax(%v) = %#x, %v; want %#x, %v", conj(cs), v, st, wantMax, want)
		}
		counts[ok]++
	}
	if counts[true] < 500 || counts[false] < 500 {
		t.Errorf("sat %d, unsat %d: not a balanced test", counts[true], counts[false])
	}
}

func sortDesc(p []uint32) {
	for i := range p {
		for j := i + 1; j < len(p); j++ {
			if p[j] > p[i] {
				p[i], p[j] = p[j], p[i]
			}
		}
	}
}

// TestConjSolve: solve solves every word, and fails when one word has no
// solution.
func TestConjSolve(t *testing.T) {
	cs := conj{
		{Word: 0, Op: opGT, Mask: 0xffffffff, C: 56},
		{Word: 1, Op: opEQ, Mask: 0xffffffff, C: 0xc000003e},
		{Word: 4, Op: opNE, Mask: 0x100, C: 0},
		{Word: 4, Op: opNE, Mask: 0x1, C: 1},
	}
	words, ok := cs.solve()
	if !ok || words[0] != 57 || words[1] != 0xc000003e || words[4] != 0x100 || words[2] != 0 {
		t.Errorf("solve = %#x, %v", words, ok)
	}
	if _, ok := append(cs, constraint{Word: 4, Op: opLE, Mask: 0xffff, C: 0xff}).solve(); ok {
		t.Errorf("solve: a solution with (w4 & 0x100) != 0 and (w4 & 0xffff) <= 0xff")
	}
}

// TestSolveWordSteps pins the cost of the cases that used to be
// exponential: conjunctions of single-bit tests (QEMU's clone flags, in
// both senses) are decided without branching, and a trie of != constants
// under a contiguous mask costs a few nodes per constant.
func TestSolveWordSteps(t *testing.T) {
	bitsNE := func(n int, last relOp) []constraint {
		var cs []constraint
		for i := 31; i > 31-n; i-- {
			cs = append(cs, constraint{Op: opNE, Mask: 1 << i, C: 1 << i})
		}
		// and a test on the last bit: == makes it unsatisfiable
		return append(cs, constraint{Op: last, Mask: 1 << (31 - n + 1), C: 1 << (31 - n + 1)})
	}
	var contig []constraint
	for k := uint32(0); k < 300; k++ {
		contig = append(contig, constraint{Op: opNE, Mask: 0xff00, C: k * 0x100 % 0x10000})
	}
	contig = append(contig, constraint{Op: opLE, Mask: 0xff00, C: 0x2b00})
	for _, c := range []struct {
		name     string
		cs       []constraint
		ok       bool
		v        uint32
		maxSteps int64
	}{
		{"32 single bits, unsatisfiable", bitsNE(32, opEQ), false, 0, 1},
		{"32 single bits", bitsNE(32, opNE), true, 0, 1},
		{"23 flags set or clear", qemuCloneDefault(), true, 0x003d0f00, 1},
		{"256 != under a mask, and <=", contig, false, 0, 32 * 300},
	} {
		lim := &limit{}
		v, st := solveWordWithin(c.cs, lim)
		if (st == solved) != c.ok || st == solved && v != c.v {
			t.Errorf("%s: %#x, %v; want %#x, %v", c.name, v, st, c.v, c.ok)
		}
		if lim.steps > c.maxSteps {
			t.Errorf("%s: %d steps, want at most %d", c.name, lim.steps, c.maxSteps)
		}
		t.Logf("%s: %d steps", c.name, lim.steps)
	}
}

// qemuCloneDefault is the path to QEMU's default ALLOW for clone: the
// low word of args[0] has every required flag and no forbidden one, and a
// flag outside CSIGNAL.
func qemuCloneDefault() []constraint {
	cs := []constraint{{Op: opNE, Mask: 0xffffff00, C: 0}}
	for _, f := range []uint32{0x100, 0x200, 0x400, 0x800, 0x10000, 0x40000, 0x80000, 0x100000, 0x200000} {
		cs = append(cs, constraint{Op: opNE, Mask: f, C: 0})
	}
	for _, f := range []uint32{0x1000, 0x2000, 0x4000, 0x8000, 0x20000, 0x800000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000, 0x80000000} {
		cs = append(cs, constraint{Op: opNE, Mask: f, C: f})
	}
	return cs
}

// TestSolveWordWithin: a conjunction that needs a search (!= on
// overlapping masks that say "no two of these bits agree", which no three
// bits can do) gives up when the limit runs out, and is decided exactly
// without one.
func TestSolveWordWithin(t *testing.T) {
	var cs []constraint
	for i := 0; i < 12; i++ {
		for j := i + 1; j < 12; j++ {
			m := uint32(1)<<i | 1<<j
			cs = append(cs, constraint{Op: opNE, Mask: m, C: 0}, constraint{Op: opNE, Mask: m, C: m})
		}
	}
	if _, st := solveWordWithin(cs, &limit{max: 2}); st != gaveUp {
		t.Errorf("with 2 steps: %v, want gaveUp", st)
	}
	if _, ok := solveWord(cs); ok {
		t.Errorf("solveWord: a solution to an unsatisfiable conjunction")
	}
}
