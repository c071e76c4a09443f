package verify

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Constraints over the 32-bit words of seccomp_data. A path through a
// filter that only compares loaded words (optionally masked) with
// constants is a conjunction of such constraints; deciding whether a
// conjunction has a solution, and finding one, is what explain, the lints
// and Equivalent are built on.

// relOp is a comparison between (word & mask) and a constant.
type relOp uint8

const (
	opEQ relOp = iota // ==
	opNE              // !=
	opGT              // >  (unsigned)
	opLE              // <= (unsigned)
)

func (o relOp) negate() relOp {
	switch o {
	case opEQ:
		return opNE
	case opNE:
		return opEQ
	case opGT:
		return opLE
	}
	return opGT
}

func (o relOp) String() string { return [...]string{"==", "!=", ">", "<="}[o] }

// constraint says (word[Word] & Mask) Op C.
type constraint struct {
	Word uint8
	Op   relOp
	Mask uint32
	C    uint32
}

func (c constraint) String() string {
	s := "w" + strconv.Itoa(int(c.Word))
	if c.Mask != 0xffffffff {
		s = "(" + s + " & 0x" + strconv.FormatUint(uint64(c.Mask), 16) + ")"
	}
	return s + " " + c.Op.String() + " 0x" + strconv.FormatUint(uint64(c.C), 16)
}

// holds reports whether v satisfies c.
func (c constraint) holds(v uint32) bool {
	m := v & c.Mask
	switch c.Op {
	case opEQ:
		return m == c.C
	case opNE:
		return m != c.C
	case opGT:
		return m > c.C
	}
	return m <= c.C
}

// solveWord finds a value satisfying every constraint in cs (all about one
// word): the smallest one. ok is false when none exists. The search is
// exact and, for the conjunctions filters produce (unmasked comparisons,
// single-bit and contiguous masks, many != constraints), polynomial; only
// contrived conjunctions of != on overlapping multi-bit masks (which can
// encode any boolean formula over the 32 bits) make it search long, and
// solveWordWithin bounds that.
func solveWord(cs []constraint) (v uint32, ok bool) {
	v, st := solveWordWithin(cs, nil)
	return v, st == solved
}

// solveStatus is the outcome of a bounded search.
type solveStatus uint8

const (
	noSolution solveStatus = iota
	solved
	gaveUp // the limit ran out first
)

// limit bounds a search: at most max steps (0: no bound) and no step
// after deadline (zero: none). A nil *limit is no limit.
type limit struct {
	steps, max int64
	deadline   time.Time
	out        bool
}

// tick counts one step and reports whether the search may go on.
func (l *limit) tick() bool {
	if l == nil {
		return true
	}
	if l.out {
		return false
	}
	l.steps++
	if l.max > 0 && l.steps > l.max {
		l.out = true
	} else if l.steps&1023 == 0 && !l.deadline.IsZero() && time.Now().After(l.deadline) {
		l.out = true
	}
	return !l.out
}

// solveWordWithin is solveWord within lim.
func solveWordWithin(cs []constraint, lim *limit) (uint32, solveStatus) {
	full := true
	for _, c := range cs {
		if c.Mask != 0xffffffff {
			full = false
			break
		}
	}
	if full {
		v, ok := solveInterval(cs)
		if ok {
			return v, solved
		}
		return 0, noSolution
	}
	s, known, val, ok := newBitSolver(cs, lim)
	if !ok {
		return 0, noSolution
	}
	return s.search(known, val)
}

// solveWordMaxWithin finds the largest value satisfying cs within lim.
// With w' = ^w, (w & m) = m - (w' & m): the constraints on w' are the
// mirror images of those on w, and the smallest w' is the largest w.
func solveWordMaxWithin(cs []constraint, lim *limit) (uint32, solveStatus) {
	flipped := make([]constraint, 0, len(cs))
	for _, c := range cs {
		f := c
		switch c.Op {
		case opEQ, opNE:
			f.C = c.Mask ^ c.C // a bit of C outside the mask stays outside
		case opGT: // m - x > c  <=>  x < m - c  <=>  x <= m - c - 1
			if c.C >= c.Mask {
				return 0, noSolution
			}
			f.Op, f.C = opLE, c.Mask-c.C-1
		case opLE: // m - x <= c  <=>  x >= m - c  <=>  x > m - c - 1
			if c.C >= c.Mask {
				continue // always true
			}
			f.Op, f.C = opGT, c.Mask-c.C-1
		}
		flipped = append(flipped, f)
	}
	v, st := solveWordWithin(flipped, lim)
	return ^v, st
}

// interval reads the constraints of cs on word w (all of cs when w < 0)
// as [lo, hi] less the values in ne (appended to ne[:0], unsorted), when
// none of them is masked; full is false otherwise.
func interval(cs []constraint, w int, ne []uint64) (lo, hi uint64, _ []uint64, full bool) {
	lo, hi, ne = 0, 0xffffffff, ne[:0]
	for _, c := range cs {
		if w >= 0 && int(c.Word) != w {
			continue
		}
		if c.Mask != 0xffffffff {
			return 0, 0, ne, false
		}
		if c.Op == opNE {
			ne = append(ne, uint64(c.C))
		}
		lo, hi = c.bound(lo, hi)
	}
	return lo, hi, ne, true
}

// bound narrows the interval [lo, hi] of an unmasked word to the values
// that meet c; != constraints leave it as it is.
func (c constraint) bound(lo, hi uint64) (uint64, uint64) {
	k := uint64(c.C)
	switch c.Op {
	case opEQ:
		return max(lo, k), min(hi, k)
	case opGT:
		return max(lo, k+1), hi
	case opLE:
		return lo, min(hi, k)
	}
	return lo, hi
}

// smallest is the least value of [lo, hi] not in ne (which it sorts).
func smallest(lo, hi uint64, ne []uint64) (uint32, bool) {
	slices.Sort(ne)
	for _, k := range ne {
		if k == lo {
			lo++
		}
	}
	if lo > hi {
		return 0, false
	}
	return uint32(lo), true
}

// solveInterval handles unmasked constraints: an interval minus a set.
func solveInterval(cs []constraint) (uint32, bool) {
	lo, hi, ne, _ := interval(cs, -1, nil)
	return smallest(lo, hi, ne)
}

// bitSolver decides masked constraints on one word as a problem over its
// 32 bits. A node of the search is a partial assignment: the bits in
// known have the values in val. At each node every constraint is checked
// on its own, which is exact and cheap for one constraint: the values
// (w & m) can take are those between the assignment with every free bit 0
// and the one with every free bit 1, any bit free. That settles the
// constraints that hold or fail whatever the free bits are, and fixes the
// bits a constraint forces (the last free bit of a !=, the high bits a >
// needs, the bits a <= cannot afford); repeated until nothing changes,
// this decides every conjunction of single-bit tests without branching.
// What is left is searched by the highest free bit, 0 first, so that the
// first solution found is the smallest; subproblems proven dead are
// remembered by what is left of them (the open constraints and the bits
// they see), which keeps a trie of != constants or independent fields
// from being searched more than once.
type bitSolver struct {
	cs   []constraint // != (C within the mask), > and <= (not trivially true)
	lim  *limit
	dead map[string]bool
	memo int   // bytes of keys in dead
	open []int // scratch: the constraints still open at the current node
}

// maxSolverMemo bounds the memory of the dead-subproblem memo; past it
// the search goes on without remembering (as exactly, if slower).
const maxSolverMemo = 8 << 20

// newBitSolver folds the == constraints into an assignment, drops the
// constraints that always hold, and reports ok = false when one never
// holds.
func newBitSolver(cs []constraint, lim *limit) (s *bitSolver, known, val uint32, ok bool) {
	s = &bitSolver{lim: lim}
	for _, c := range cs {
		switch c.Op {
		case opEQ:
			if c.C&^c.Mask != 0 || known&c.Mask&(val^c.C) != 0 {
				return nil, 0, 0, false
			}
			known |= c.Mask
			val |= c.C
		case opNE:
			if c.C&^c.Mask != 0 {
				continue // (w & m) has no bit where C has one
			}
			s.cs = append(s.cs, c)
		case opGT:
			if c.C >= c.Mask {
				return nil, 0, 0, false // (w & m) <= m
			}
			s.cs = append(s.cs, c)
		case opLE:
			if c.C >= c.Mask {
				continue
			}
			s.cs = append(s.cs, c)
		}
	}
	return s, known, val, true
}

// propagate settles the constraints under the assignment (known, val),
// fixing forced bits until nothing changes. It returns the extended
// assignment, the indices of the constraints still open, and ok = false
// if one fails whatever the free bits are.
func (s *bitSolver) propagate(known, val uint32) (uint32, uint32, []int, bool) {
	open := s.open[:0]
	for i := range s.cs {
		open = append(open, i)
	}
	for changed := true; changed; {
		changed = false
		n := 0
		for _, i := range open {
			c := s.cs[i]
			free := c.Mask &^ known
			lo := uint64(val & c.Mask)            // every free bit 0
			hi := uint64((val | ^known) & c.Mask) // every free bit 1
			k := uint64(c.C)
			var force, to uint32 // bits to fix, and their values
			switch c.Op {
			case opNE:
				if (val^c.C)&c.Mask&known != 0 {
					continue // a known bit differs: holds
				}
				switch bits.OnesCount32(free) {
				case 0:
					return 0, 0, nil, false
				case 1:
					force, to = free, ^c.C
				}
			case opGT:
				if lo > k {
					continue
				}
				if hi <= k {
					return 0, 0, nil, false
				}
				// Without a free bit q the most is hi - 2^q: every free
				// bit with 2^q >= hi - k is needed.
				force, to = free&^lowBits(hi-k), 0xffffffff
			case opLE:
				if hi <= k {
					continue
				}
				if lo > k {
					return 0, 0, nil, false
				}
				// With a free bit q the least is lo + 2^q: every free bit
				// with 2^q > k - lo is excluded.
				force, to = free&^lowBits(k-lo+1), 0
			}
			if force != 0 {
				known |= force
				val = val&^force | to&force
				changed = true
				if force == free {
					// Settled: the constraint is decided by the known bits,
					// and the forcing made it hold.
					continue
				}
			}
			open[n] = i
			n++
		}
		open = open[:n]
	}
	s.open = open
	return known, val, open, true
}

// lowBits is the mask of the bits q with 2^q < t (t >= 1): the bits a
// number below t can use.
func lowBits(t uint64) uint32 {
	// The smallest q with 2^q >= t is bits.Len64(t-1).
	q := bits.Len64(t - 1)
	if q >= 32 {
		return 0xffffffff
	}
	return uint32(1)<<q - 1
}

func (s *bitSolver) search(known, val uint32) (uint32, solveStatus) {
	if !s.lim.tick() {
		return 0, gaveUp
	}
	known, val, open, ok := s.propagate(known, val)
	if !ok {
		return 0, noSolution
	}
	if len(open) == 0 {
		return val & known, solved // every free bit 0: the smallest
	}
	var seen uint32 // the bits the open constraints look at
	for _, i := range open {
		seen |= s.cs[i].Mask
	}
	key := make([]byte, 8, 8+2*len(open))
	binary.LittleEndian.PutUint32(key, known&seen)
	binary.LittleEndian.PutUint32(key[4:], val&seen)
	for _, i := range open {
		key = binary.LittleEndian.AppendUint16(key, uint16(i))
	}
	if s.dead[string(key)] {
		return 0, noSolution
	}
	// The open constraints need a free bit each (else they would be
	// settled): branch on the highest.
	bit := uint32(1) << (31 - bits.LeadingZeros32(seen&^known))
	for _, b := range [2]uint32{0, bit} {
		v, st := s.search(known|bit, val|b)
		if st != noSolution {
			return v, st
		}
	}
	if s.memo += len(key); s.memo <= maxSolverMemo {
		if s.dead == nil {
			s.dead = map[string]bool{}
		}
		s.dead[string(key)] = true
	}
	return 0, noSolution
}

// conj is a conjunction of constraints over all words.
type conj []constraint

// onWord returns the constraints about word w.
func (cs conj) onWord(w uint8) []constraint {
	var out []constraint
	for _, c := range cs {
		if c.Word == w {
			out = append(out, c)
		}
	}
	return out
}

// feasibleWith reports whether cs plus c has a solution. Only c's word
// needs solving again: the others were feasible before.
func (cs conj) feasibleWith(c constraint) bool {
	ok, _ := cs.feasibleWithin(c, nil)
	return ok
}

// feasibleWithin is feasibleWith within lim; known is false when the
// limit ran out before the answer.
func (cs conj) feasibleWithin(c constraint, lim *limit) (ok, known bool) {
	// Fast paths: once a word is pinned by an unmasked equality, every
	// other constraint on it is just evaluated (a syscall number compared
	// along a chain of hundreds of tests, say).
	if c.Op == opEQ && c.Mask == 0xffffffff {
		for _, d := range cs {
			if d.Word == c.Word && !d.holds(c.C) {
				return false, true
			}
		}
		return true, true
	}
	for _, d := range cs {
		if d.Word == c.Word && d.Op == opEQ && d.Mask == 0xffffffff {
			return c.holds(d.C), true
		}
	}
	_, st := solveWordWithin(append(cs.onWord(c.Word), c), lim)
	return st == solved, st != gaveUp
}

// solve returns one solution of cs for every word (0 where unconstrained).
func (cs conj) solve() (words [16]uint32, ok bool) {
	words, st := cs.solveWithin(nil)
	return words, st == solved
}

// solveWithin is solve within lim.
func (cs conj) solveWithin(lim *limit) (words [16]uint32, st solveStatus) {
	return cs.solveEach(lim, solveWordWithin)
}

// solveMaxWithin is solveWithin with the largest value of each
// constrained word (0 where unconstrained).
func (cs conj) solveMaxWithin(lim *limit) (words [16]uint32, st solveStatus) {
	return cs.solveEach(lim, solveWordMaxWithin)
}

func (cs conj) solveEach(lim *limit, solve func([]constraint, *limit) (uint32, solveStatus)) (words [16]uint32, st solveStatus) {
	for w := uint8(0); w < 16; w++ {
		on := cs.onWord(w)
		if len(on) == 0 {
			continue
		}
		v, st := solve(on, lim)
		if st != solved {
			return words, st
		}
		words[w] = v
	}
	return words, solved
}

func (cs conj) String() string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, " && ")
}
