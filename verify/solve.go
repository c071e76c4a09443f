package verify

import (
	"strconv"
	"strings"
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
// word), preferring small values. ok is false when none exists. The search
// is exact.
func solveWord(cs []constraint) (v uint32, ok bool) {
	full := true
	for _, c := range cs {
		if c.Mask != 0xffffffff {
			full = false
			break
		}
	}
	if full {
		return solveInterval(cs)
	}
	s := bitSolver{cs: cs, dead: map[string]bool{}}
	st := make([]uint8, len(cs))
	return s.search(31, 0, st)
}

// solveInterval handles unmasked constraints: an interval minus a set.
func solveInterval(cs []constraint) (uint32, bool) {
	lo, hi := uint64(0), uint64(0xffffffff)
	ne := make(map[uint64]bool)
	for _, c := range cs {
		k := uint64(c.C)
		switch c.Op {
		case opEQ:
			lo, hi = max(lo, k), min(hi, k)
		case opGT:
			lo = max(lo, k+1)
		case opLE:
			hi = min(hi, k)
		case opNE:
			ne[k] = true
		}
	}
	for ne[lo] && lo <= hi {
		lo++
	}
	if lo > hi {
		return 0, false
	}
	return uint32(lo), true
}

// bitSolver decides masked constraints bit by bit from the most significant
// bit, remembering dead (bit, state) pairs so that the search stays small.
//
// Per-constraint state: for == nothing (a mismatch prunes at once); for !=
// 0 = equal so far, 1 = differs; for > and <= 0 = equal so far,
// 1 = greater, 2 = less.
type bitSolver struct {
	cs   []constraint
	dead map[string]bool
}

func (s *bitSolver) search(bit int, prefix uint32, st []uint8) (uint32, bool) {
	if bit < 0 {
		for i, c := range s.cs {
			switch c.Op {
			case opNE:
				if st[i] != 1 {
					return 0, false
				}
			case opGT:
				if st[i] != 1 {
					return 0, false
				}
			}
		}
		return prefix, true
	}
	key := strconv.Itoa(bit) + ":" + string(st)
	if s.dead[key] {
		return 0, false
	}
	for b := uint32(0); b <= 1; b++ {
		next := make([]uint8, len(st))
		ok := true
		for i, c := range s.cs {
			next[i] = st[i]
			mb := (c.Mask >> bit) & 1
			vb := b & mb
			cb := (c.C >> bit) & 1
			switch c.Op {
			case opEQ:
				if (c.C>>bit)&1 != 0 && mb == 0 {
					ok = false // C has a bit outside the mask
				} else if vb != cb {
					ok = false
				}
			case opNE:
				if vb != cb || (mb == 0 && cb != 0) {
					next[i] = 1
				}
			case opGT, opLE:
				if st[i] == 0 && vb != cb {
					if vb > cb {
						next[i] = 1
					} else {
						next[i] = 2
					}
				}
				if c.Op == opGT && next[i] == 2 || c.Op == opLE && next[i] == 1 {
					ok = false
				}
			}
			if !ok {
				break
			}
		}
		if !ok {
			continue
		}
		if v, found := s.search(bit-1, prefix|b<<bit, next); found {
			return v, true
		}
	}
	s.dead[key] = true
	return 0, false
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
	// Fast paths: once a word is pinned by an unmasked equality, every
	// other constraint on it is just evaluated (a syscall number compared
	// along a chain of hundreds of tests, say).
	if c.Op == opEQ && c.Mask == 0xffffffff {
		for _, d := range cs {
			if d.Word == c.Word && !d.holds(c.C) {
				return false
			}
		}
		return true
	}
	for _, d := range cs {
		if d.Word == c.Word && d.Op == opEQ && d.Mask == 0xffffffff {
			return c.holds(d.C)
		}
	}
	_, ok := solveWord(append(cs.onWord(c.Word), c))
	return ok
}

// solve returns one solution of cs for every word (0 where unconstrained).
func (cs conj) solve() (words [16]uint32, ok bool) {
	for w := uint8(0); w < 16; w++ {
		on := cs.onWord(w)
		if len(on) == 0 {
			continue
		}
		v, ok := solveWord(on)
		if !ok {
			return words, false
		}
		words[w] = v
	}
	return words, true
}

func (cs conj) String() string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, " && ")
}
