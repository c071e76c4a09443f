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
//     one dispatch that scans the constants, or for a long run looks the
//     value up in a hash table built by New.
//   - A jump to a "ret #k" ends the run at the jump: New marks such jumps
//     and copies k into them, so the last step of a run loads nothing
//     from the target (measured: 15% off a short tcpdump program, whose
//     time is mostly this chain of dependent loads). A lone "jeq #k" at
//     a jump's target runs without a dispatch of its own.
//   - No bounds checks in the loop: pc and jump targets were checked by New
//     (check), so instructions are reached by pointer arithmetic; packet
//     loads do their own check against len(pkt) and then read through a
//     pointer.
//   - A, X, the position and the instruction count live in registers: no
//     state struct, no hooks, no calls in the loop. The rare loads
//     (ancillary, negative offsets, indirect loads that miss the simple
//     bounds check) hand the rest of the run to the plain interpreter.
//   - A seccomp run reads seccomp_data in place (SeccompData has its
//     layout); only for an arch of the other byte order are the halves of
//     each 64-bit field swapped first.
//
// The source instructions stay in their slots: a superinstruction at pc
// covers pc and pc+1 (or a chain from pc+1 on), but a jump may still land
// on pc+1, which has its own entry.

// Superinstruction and chain ops, numbered after the plain ones of run.go
// so the switch in runFast stays dense (Go compiles it to a jump table).
const (
	opJeqChain op = opTxa + 1 + iota // a jeq #k chain of end members from pc

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

	// load then the jeq #k chain from pc+1
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

// finsn is one instruction of the fast form. Jumps are relative: jt and jf
// count bytes from this one (for a superinstruction, from its first
// instruction).
type finsn struct {
	op    op
	flags uint8  // fRetT, fRetF: a jump's target is a "ret #k"
	end   uint16 // chains: how many jeq #k from this one (from pc+1 for a superinstruction)
	jt    uint32
	jf    uint32
	k     uint32 // the operand (for a superinstruction, the load's)
	k2    uint32 // a superinstruction's second operand; a chain's hash table
	rt    uint32 // with fRetT, the k of the "ret #k" at jt
	rf    uint32 // with fRetF, the k of the "ret #k" at jf
	_     uint32
}

// finsnSize is a power of two, so that an index scales with a shift.
const finsnSize = 32

// Flags of a jump.
const (
	fRetT = 1 << iota // jt is a "ret #k"; rt holds k
	fRetF             // jf is a "ret #k"; rf holds k
)

// opLast must stay 75: runFast's switch lists the op values from 75 to
// 255 as never decoded (see there).
var _ = [1]struct{}{}[opLast-75]

// Chains this long or longer are looked up in a hash table rather than
// scanned (a scan costs about one cycle a member, a lookup about ten).
const hashMin = 8

// hashSlot is where a lookup for a starts in a table of 1<<bits slots
// (multiplicative hashing: the top bits of a*φ).
func hashSlot(a uint32, bits uint32) uint32 {
	return (a * 0x9e3779b1) >> (32 - bits)
}

// compileFast builds the fast form from the checked, decoded program, and
// the hash tables of its long chains.
//
// A table serves a whole run of jeq #k (a chain and all its suffixes: a
// jump may land in the middle). Its entries are k<<32 | r, r being how
// many members are left from that k's member to the end of the run
// (0 marks an empty slot). The chain op of a member whose suffix is long
// enough has the table in k2: its offset in hash << 5 | log2 of its size.
// Runs with a repeated k keep scanning (the first match must win).
func compileFast(ins []insn) (fp []finsn, hash []uint64) {
	n := len(ins)
	fp = make([]finsn, n)
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
	rel := func(target uint16, pc int) uint32 { return uint32(int(target)-pc) * finsnSize }
	for i, in := range ins {
		f := finsn{op: in.op, k: in.k}
		switch in.op {
		case opJeqK, opJgtK, opJgeK, opJsetK, opJeqX, opJgtX, opJgeX, opJsetX:
			f.jt, f.jf = rel(in.jt, i), rel(in.jf, i)
		case opJa:
			f.jt = rel(in.jt, i)
			f.jf = f.jt // (a ja's jf field means nothing and may point anywhere)
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
	// Mark the jumps to a "ret #k" (for superinstructions, the jump of
	// the pair), so that runFast ends there without going to it.
	for i := range fp {
		f := &fp[i]
		if !isJump(f.op) {
			continue
		}
		if t := ins[i+int(f.jt/finsnSize)]; t.op == opRetK {
			f.flags |= fRetT
			f.rt = t.k
		}
		if t := ins[i+int(f.jf/finsnSize)]; t.op == opRetK {
			f.flags |= fRetF
			f.rf = t.k
		}
	}
	// Hash tables for the runs (maximal chains) of hashMin or more.
	for i := 0; i < n; i++ {
		if ins[i].op != opJeqK || (i > 0 && ins[i-1].op == opJeqK && int(ins[i-1].jf) == i) {
			continue // not the head of a run
		}
		run := int(chain[i])
		if run < hashMin {
			continue
		}
		seen := make(map[uint32]bool, run)
		for j := i; j < i+run; j++ {
			seen[ins[j].k] = true
		}
		if len(seen) != run {
			continue
		}
		bits := uint32(1)
		for 1<<bits < 2*run {
			bits++
		}
		off := len(hash)
		hash = append(hash, make([]uint64, 1<<bits)...)
		t := hash[off:]
		for j := i; j < i+run; j++ {
			slot := hashSlot(ins[j].k, bits)
			for t[slot] != 0 {
				slot = (slot + 1) & (1<<bits - 1)
			}
			t[slot] = uint64(ins[j].k)<<32 | uint64(i+run-j)
			if i+run-j >= hashMin {
				fp[j].k2 = uint32(off)<<5 | bits
			}
		}
	}
	return fp, hash
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

// isJump says whether op (of the fast form) ends in a jump with targets
// in jt and jf. A chain's members are such jumps.
func isJump(o op) bool {
	switch o {
	case opJa, opJeqK, opJgtK, opJgeK, opJsetK, opJeqX, opJgtX, opJgeX, opJsetX,
		opJeqChain,
		opLdAbsWJeq, opLdAbsHJeq, opLdAbsBJeq, opLdSecJeq,
		opLdAbsWJset, opLdAbsHJset, opLdAbsBJset, opLdSecJset,
		opLdSecJgt, opLdSecJge, opLdAbsHJgt, opLdAbsHJge,
		opLdIndHJeq, opLdIndBJeq:
		return true
	}
	return false
}
