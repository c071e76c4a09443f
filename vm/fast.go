package vm

// The fast path: runs without Options go through runFast, a loop over a
// second decoded form of the program (finsn) built for speed. The trace
// and coverage path (run, exec in run.go) keeps the plain one-for-one form.
//
// What makes it fast, each measured with callgrind and go test -bench (see
// bench_test.go):
//
//   - Superinstructions. A load followed by a conditional jump on A is one
//     dispatch instead of two (tcpdump and seccomp filters are mostly
//     "load, compare, load, compare"), and so is "ldx msh; ld [x+k]".
//   - Jump chains. A run of "jeq #k" whose false branches fall through to
//     the next one (an OR of values: "host a or host b", a syscall list) is
//     one dispatch that scans the constants in a dense array.
//   - No bounds checks in the loop: pc and jump targets were checked by New
//     (check), so instructions are reached by pointer arithmetic; packet
//     loads do their own check against len(pkt) and then read through a
//     pointer.
//   - A, X, pc and the instruction count live in registers: no state
//     struct, no hooks, and the rare loads (ancillary, negative offsets,
//     indirect loads that miss the simple bounds check) are calls out of
//     the loop.
//
// The source instructions stay in their slots: a superinstruction at pc
// covers pc and pc+1 (or a chain from pc+1 on), but a jump may still land
// on pc+1, which has its own entry.

// Superinstruction and chain ops, numbered after the plain ones of run.go
// so the switch in runFast stays dense (Go compiles it to a jump table).
const (
	opJeqChain op = opTxa + 1 + iota // jeq #k run over [pc, end)

	// load (AbsW, AbsH, AbsB: packet; Sec: seccomp word) then a jump on A
	// with k2 as the constant and jt/jf of the jump.
	opLdAbsWJeq
	opLdAbsHJeq
	opLdAbsBJeq
	opLdSecJeq
	opLdAbsWJset
	opLdAbsHJset
	opLdAbsBJset
	opLdSecJset
	opLdSecJgt
	opLdSecJge
	opLdAbsHJgt
	opLdAbsHJge

	// load then a jeq chain over [pc+1, end)
	opLdAbsWChain
	opLdAbsHChain
	opLdAbsBChain
	opLdSecChain

	// indirect half-word / byte load then jeq (single or chain)
	opLdIndHJeq
	opLdIndBJeq
	opLdIndHChain
	opLdIndBChain

	// ldx msh at k, then ld{h,b} [x+k2]
	opMshLdIndH
	opMshLdIndB

	opLast
)

// finsn is one instruction of the fast form: 16 bytes, so an index scales
// with a shift. Jumps are relative: jt and jf count bytes from this
// one (for a superinstruction, from its first instruction).
type finsn struct {
	op     op
	_      uint8
	jt, jf uint16
	end    uint16 // chains: how many jeq #k (from pc+1 for a superinstruction); opLdNeg: the load size
	k      uint32 // the operand (for a superinstruction, the load's)
	k2     uint32 // a superinstruction's second operand
}

const finsnSize = 16

// compileFast builds the fast form from the checked, decoded program.
func compileFast(ins []insn) []finsn {
	n := len(ins)
	fp := make([]finsn, n)
	// chain[i] is how many jeq #k the chain that starts at i has: 1 for
	// a lone jeq, more when its false branch is the next instruction and
	// that is a jeq #k too (a run of "or"s). Following false branches
	// further away would make the scan chase pointers: each load would
	// wait for the one before (measured: slower than dispatching).
	chain := make([]uint16, n+1)
	for i := n - 1; i >= 0; i-- {
		if ins[i].op != opJeqK {
			continue
		}
		chain[i] = 1
		if int(ins[i].jf) == i+1 && ins[i+1].op == opJeqK {
			chain[i] = chain[i+1] + 1
		}
	}
	// Jumps go forward by at most 4095 instructions: in bytes that still
	// fits 16 bits.
	rel := func(target uint16, pc int) uint16 { return (target - uint16(pc)) * finsnSize }
	for i, in := range ins {
		f := finsn{op: in.op, k: in.k}
		switch in.op {
		case opJa, opJeqK, opJgtK, opJgeK, opJsetK, opJeqX, opJgtX, opJgeX, opJsetX:
			f.jt, f.jf = rel(in.jt, i), rel(in.jf, i)
		case opLdNeg:
			f.end = in.jt // the size
		case opLdSec:
			f.k = 4 * in.k // back to the byte offset
		}
		if in.op == opJeqK && chain[i] > 1 {
			f.op, f.end = opJeqChain, chain[i]
		}
		if i+1 < n {
			next := ins[i+1]
			if op, ok := fuse(in.op, next.op, chain[i+1] > 1); ok {
				f.op, f.k2, f.end = op, next.k, chain[i+1]
				if next.op != opLdIndH && next.op != opLdIndB { // a jump
					f.jt, f.jf = rel(next.jt, i), rel(next.jf, i)
				}
			}
		}
		fp[i] = f
	}
	return fp
}

// fuse names the superinstruction for first followed by second, if there
// is one. chain says second starts a jeq chain longer than one.
func fuse(first, second op, chain bool) (op, bool) {
	switch second {
	case opJeqK:
		if chain {
			switch first {
			case opLdAbsW:
				return opLdAbsWChain, true
			case opLdAbsH:
				return opLdAbsHChain, true
			case opLdAbsB:
				return opLdAbsBChain, true
			case opLdSec:
				return opLdSecChain, true
			case opLdIndH:
				return opLdIndHChain, true
			case opLdIndB:
				return opLdIndBChain, true
			}
			return 0, false
		}
		switch first {
		case opLdAbsW:
			return opLdAbsWJeq, true
		case opLdAbsH:
			return opLdAbsHJeq, true
		case opLdAbsB:
			return opLdAbsBJeq, true
		case opLdSec:
			return opLdSecJeq, true
		case opLdIndH:
			return opLdIndHJeq, true
		case opLdIndB:
			return opLdIndBJeq, true
		}
	case opJsetK:
		switch first {
		case opLdAbsW:
			return opLdAbsWJset, true
		case opLdAbsH:
			return opLdAbsHJset, true
		case opLdAbsB:
			return opLdAbsBJset, true
		case opLdSec:
			return opLdSecJset, true
		}
	case opJgtK:
		switch first {
		case opLdSec:
			return opLdSecJgt, true
		case opLdAbsH:
			return opLdAbsHJgt, true
		}
	case opJgeK:
		switch first {
		case opLdSec:
			return opLdSecJge, true
		case opLdAbsH:
			return opLdAbsHJge, true
		}
	case opLdIndH:
		if first == opLdxMsh {
			return opMshLdIndH, true
		}
	case opLdIndB:
		if first == opLdxMsh {
			return opMshLdIndB, true
		}
	}
	return 0, false
}
