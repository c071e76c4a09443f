package verify

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/vm"
)

// Verdict is the answer of Equivalent.
type Verdict uint8

const (
	Equal     Verdict = iota // proven to return the same value for every input
	Different                // a counterexample input is given
	Unknown                  // neither proven nor refuted
)

func (v Verdict) String() string {
	return [...]string{"equal", "different", "unknown"}[v]
}

// Equivalence is the result of Equivalent.
type Equivalence struct {
	Verdict Verdict
	// For Different: an input on which the programs differ, and what each
	// returns on it (checked by running both in the VM).
	Seccomp    vm.SeccompData // seccomp mode
	Packet     []byte         // packet mode
	RetA, RetB uint32
	Reason     string // for Unknown: why no proof was found
}

// maxEquivNodes bounds the symbolic search; past it the answer is Unknown.
const maxEquivNodes = 2_000_000

// Equivalent reports whether a and b return the same value for every
// input in mode. For seccomp programs whose loaded words reach only
// comparisons with constants and masks (what compilers emit) the answer is
// exact: it explores both programs together, path by path, keeping the
// constraints each path puts on the words of seccomp_data and pruning
// paths no input can take. Otherwise, and for packet programs, it searches
// for a counterexample by running both on many inputs and answers Unknown
// if it finds none (or Equal for identical programs).
func Equivalent(a, b []bpf.RawInstruction, mode Mode) (Equivalence, error) {
	for i, p := range [][]bpf.RawInstruction{a, b} {
		if ds := KernelCheck(p, mode); len(ds) > 0 {
			return Equivalence{}, fmt.Errorf("program %c is not valid: %v", 'A'+i, ds[0])
		}
	}
	ma, err := vm.New(a, mode)
	if err != nil {
		return Equivalence{}, err
	}
	mb, err := vm.New(b, mode)
	if err != nil {
		return Equivalence{}, err
	}
	if equalProgs(a, b) {
		return Equivalence{Verdict: Equal}, nil
	}
	if mode == Packet {
		return samplePacket(ma, mb), nil
	}
	e := &equiv{a: a, b: b, ma: ma, mb: mb}
	e.walk(symState{a: constVal(0), x: constVal(0)}, symState{a: constVal(0), x: constVal(0)}, nil, false)
	if e.found {
		return Equivalence{Verdict: Different, Seccomp: e.cex, RetA: e.retA, RetB: e.retB}, nil
	}
	if e.bogus {
		return Equivalence{}, errors.New("verify: internal error: the symbolic counterexample does not differ in the VM")
	}
	if !e.inexact && !e.overBudget {
		return Equivalence{Verdict: Equal}, nil
	}
	r := sampleSeccomp(ma, mb, a, b, 200_000)
	if r.Verdict == Unknown {
		if e.overBudget {
			r.Reason = "the programs have too many paths to compare exactly; no counterexample found by sampling"
		} else {
			r.Reason = "the programs compute on loaded words beyond comparisons and masks; no counterexample found by sampling"
		}
	}
	return r, nil
}

func equalProgs(a, b []bpf.RawInstruction) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

type equiv struct {
	a, b       []bpf.RawInstruction
	ma, mb     *vm.Machine
	nodes      int
	inexact    bool
	overBudget bool
	found      bool
	bogus      bool // an exact path gave a counterexample the VM refutes
	cex        vm.SeccompData
	retA, retB uint32
}

// walk explores a and b together from sa and sb under constraints cs
// (known satisfiable). approx is set once the path went through a branch
// on an unknown value: its constraints then over-approximate the inputs
// that take it. It stops at the first counterexample.
func (e *equiv) walk(sa, sb symState, cs conj, approx bool) {
	if e.found || e.overBudget || e.bogus {
		return
	}
	if e.nodes++; e.nodes > maxEquivNodes {
		e.overBudget = true
		return
	}
	stA := advance(e.a, &sa)
	if !stA.ret {
		e.split(stA, cs, approx, func(pc int, cs conj, approx bool) {
			s := sa
			s.pc = pc
			e.walk(s, sb, cs, approx)
		})
		return
	}
	stB := advance(e.b, &sb)
	if !stB.ret {
		e.split(stB, cs, approx, func(pc int, cs conj, approx bool) {
			s := sb
			s.pc = pc
			e.walk(sa, s, cs, approx)
		})
		return
	}
	e.compare(stA.retVal, stB.retVal, cs, approx)
}

// split follows each feasible outcome of a branch.
func (e *equiv) split(st symStep, cs conj, approx bool, next func(pc int, cs conj, approx bool)) {
	switch {
	case st.decided:
		if st.taken {
			next(st.jt, cs, approx)
		} else {
			next(st.jf, cs, approx)
		}
	case st.unknown:
		e.inexact = true
		next(st.jt, cs, true)
		next(st.jf, cs, true)
	default:
		if st.jt == st.jf {
			next(st.jt, cs, approx)
			return
		}
		t, f := cs.feasibleWith(st.cond), cs.feasibleWith(negated(st.cond))
		switch {
		case t && f:
			next(st.jt, append(cs[:len(cs):len(cs)], st.cond), approx)
			next(st.jf, append(cs[:len(cs):len(cs)], negated(st.cond)), approx)
		case t: // implied by cs: nothing to add
			next(st.jt, cs, approx)
		case f:
			next(st.jf, cs, approx)
		}
	}
}

func negated(c constraint) constraint {
	c.Op = c.Op.negate()
	return c
}

// compare records a counterexample if the two returns can differ under cs.
func (e *equiv) compare(ra, rb symVal, cs conj, approx bool) {
	switch {
	case ra.Kind == symConst && rb.Kind == symConst:
		if ra.C != rb.C {
			e.setCex(cs, approx)
		}
	case ra.Kind == symConst && rb.Kind == symWord:
		e.differs(rb, ra.C, cs, approx)
	case ra.Kind == symWord && rb.Kind == symConst:
		e.differs(ra, rb.C, cs, approx)
	case ra.Kind == symWord && rb.Kind == symWord && ra.Word == rb.Word && ra.Mask == rb.Mask:
		// the same value
	default:
		e.inexact = true
	}
}

func (e *equiv) differs(w symVal, c uint32, cs conj, approx bool) {
	ne := constraint{Word: w.Word, Op: opNE, Mask: w.Mask, C: c}
	if cs.feasibleWith(ne) {
		e.setCex(append(cs[:len(cs):len(cs)], ne), approx)
	}
}

// setCex checks a candidate counterexample in the VM. On an approximate
// path the candidate may be an input that does not take the path at all:
// then the search goes on (and can no longer prove Equal).
func (e *equiv) setCex(cs conj, approx bool) {
	words, ok := cs.solve()
	if !ok {
		return
	}
	d := wordsToData(words)
	ra, rb := e.ma.RunSeccomp(d).Ret, e.mb.RunSeccomp(d).Ret
	switch {
	case ra != rb:
		e.found, e.cex, e.retA, e.retB = true, d, ra, rb
	case approx:
		e.inexact = true
	default:
		e.bogus = true
	}
}

// wordsToData lays 16 words of seccomp_data out as the fields they are,
// in the byte order of the arch in word 1 (__AUDIT_ARCH_LE = 0x40000000).
func wordsToData(w [16]uint32) vm.SeccompData {
	var raw [64]byte
	bo := byteOrder(w[1])
	for i, v := range w {
		bo.PutUint32(raw[4*i:], v)
	}
	return dataFromBytes(raw, bo)
}

func byteOrder(archWord uint32) binary.ByteOrder {
	if archWord&0x40000000 != 0 {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

func dataFromBytes(raw [64]byte, bo binary.ByteOrder) vm.SeccompData {
	d := vm.SeccompData{
		Nr:                 int32(bo.Uint32(raw[0:])),
		Arch:               bo.Uint32(raw[4:]),
		InstructionPointer: bo.Uint64(raw[8:]),
	}
	for i := range d.Args {
		d.Args[i] = bo.Uint64(raw[16+8*i:])
	}
	return d
}

// sampleSeccomp looks for a counterexample by running both programs on
// inputs built from the constants they contain.
func sampleSeccomp(ma, mb *vm.Machine, a, b []bpf.RawInstruction, n int) Equivalence {
	consts := programConstants(a, b)
	r := rand.New(rand.NewPCG(1, 2))
	pick := func() uint32 {
		switch r.IntN(4) {
		case 0:
			return r.Uint32()
		case 1:
			return 0
		}
		c := consts[r.IntN(len(consts))]
		return c + uint32(r.IntN(3)) - 1
	}
	for i := 0; i < n; i++ {
		var w [16]uint32
		for j := range w {
			w[j] = pick()
		}
		d := wordsToData(w)
		ra, rb := ma.RunSeccomp(d).Ret, mb.RunSeccomp(d).Ret
		if ra != rb {
			return Equivalence{Verdict: Different, Seccomp: d, RetA: ra, RetB: rb}
		}
	}
	return Equivalence{Verdict: Unknown}
}

func samplePacket(ma, mb *vm.Machine) Equivalence {
	r := rand.New(rand.NewPCG(3, 4))
	pkt := make([]byte, 0, 256)
	for i := 0; i < 100_000; i++ {
		pkt = pkt[:r.IntN(cap(pkt))]
		for j := range pkt {
			pkt[j] = byte(r.Uint32())
		}
		ra, rb := ma.RunPacket(pkt, nil).Ret, mb.RunPacket(pkt, nil).Ret
		if ra != rb {
			return Equivalence{Verdict: Different, Packet: append([]byte(nil), pkt...), RetA: ra, RetB: rb}
		}
	}
	return Equivalence{Verdict: Unknown, Reason: "packet programs are compared by sampling only; no counterexample found"}
}

func programConstants(progs ...[]bpf.RawInstruction) []uint32 {
	consts := []uint32{0, 1, 0xffffffff, 0x40000000, 0x80000000}
	for _, p := range progs {
		for _, ins := range p {
			consts = append(consts, ins.K)
		}
	}
	return consts
}
