package verify

import (
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Symbolic execution of seccomp filters. A value is a constant, a loaded
// word of seccomp_data under a mask ((word & mask)), or unknown (anything
// else: arithmetic on loaded words). Paths split at conditional jumps on
// non-constant values; each path carries the conjunction of constraints
// that leads to it. Programs whose loaded words reach only comparisons and
// masks (what compilers emit) are decided exactly; anything else makes the
// result approximate, and the callers say so.

type symKind uint8

const (
	symConst symKind = iota
	symWord
	symUnknown
)

type symVal struct {
	Kind symKind
	Word uint8  // for symWord: offset/4
	Mask uint32 // for symWord
	C    uint32 // for symConst
}

func constVal(c uint32) symVal { return symVal{Kind: symConst, C: c} }

var unknownVal = symVal{Kind: symUnknown}

// symState is the machine state on one path.
type symState struct {
	pc   int
	a, x symVal
	mem  [16]symVal
}

// symStep is what advancing a state to its next decision point yields:
// either a return or a branch on a condition (with the two successors).
type symStep struct {
	ret    bool
	retVal symVal
	// For a branch: the condition "lhs op rhs" with rhs constant, or
	// decided (taken known) when both sides are constant.
	decided bool
	taken   bool
	cond    constraint // valid when !decided and !unknown
	unknown bool       // the condition involves an unknown value
	jt, jf  int        // successors' pcs
}

// advance runs st forward through straight-line instructions until a
// return or a conditional jump, and describes it. prog must be valid for
// seccomp (verify.Check) so that no bounds checks are needed here.
func advance(prog []bpf.RawInstruction, st *symState) symStep {
	for {
		ins := prog[st.pc]
		switch ins.Op & 0x07 {
		case unix.BPF_LD:
			switch ins.Op {
			case unix.BPF_LD | unix.BPF_W | unix.BPF_ABS:
				st.a = symVal{Kind: symWord, Word: uint8(ins.K / 4), Mask: 0xffffffff}
			case unix.BPF_LD | unix.BPF_W | unix.BPF_LEN:
				st.a = constVal(64)
			case unix.BPF_LD | unix.BPF_IMM:
				st.a = constVal(ins.K)
			case unix.BPF_LD | unix.BPF_MEM:
				st.a = st.mem[ins.K&15]
			default:
				st.a = unknownVal
			}
		case unix.BPF_LDX:
			switch ins.Op {
			case unix.BPF_LDX | unix.BPF_W | unix.BPF_LEN:
				st.x = constVal(64)
			case unix.BPF_LDX | unix.BPF_IMM:
				st.x = constVal(ins.K)
			case unix.BPF_LDX | unix.BPF_MEM:
				st.x = st.mem[ins.K&15]
			default:
				st.x = unknownVal
			}
		case unix.BPF_ST:
			st.mem[ins.K&15] = st.a
		case unix.BPF_STX:
			st.mem[ins.K&15] = st.x
		case unix.BPF_ALU:
			st.a = symALU(ins, st.a, st.x)
		case unix.BPF_MISC:
			if ins.Op&0xf8 == unix.BPF_TAX {
				st.x = st.a
			} else {
				st.a = st.x
			}
		case unix.BPF_RET:
			if ins.Op&0x18 == unix.BPF_A {
				return symStep{ret: true, retVal: st.a}
			}
			return symStep{ret: true, retVal: constVal(ins.K)}
		case unix.BPF_JMP:
			if ins.Op&0xf0 == unix.BPF_JA {
				st.pc += 1 + int(ins.K)
				continue
			}
			return branch(ins, st)
		}
		st.pc++
	}
}

// branch describes a conditional jump at st.pc.
func branch(ins bpf.RawInstruction, st *symState) symStep {
	s := symStep{jt: st.pc + 1 + int(ins.Jt), jf: st.pc + 1 + int(ins.Jf)}
	rhs := constVal(ins.K)
	if ins.Op&unix.BPF_X != 0 {
		rhs = st.x
	}
	lhs := st.a
	if lhs.Kind == symConst && rhs.Kind == symConst {
		s.decided = true
		s.taken = evalJump(ins.Op, lhs.C, rhs.C)
		return s
	}
	if lhs.Kind != symWord || rhs.Kind != symConst {
		s.unknown = true
		return s
	}
	k := rhs.C
	c := constraint{Word: lhs.Word, Mask: lhs.Mask}
	switch ins.Op & 0xf0 {
	case unix.BPF_JEQ:
		c.Op, c.C = opEQ, k
	case unix.BPF_JGT:
		c.Op, c.C = opGT, k
	case unix.BPF_JGE:
		if k == 0 {
			s.decided, s.taken = true, true
			return s
		}
		c.Op, c.C = opGT, k-1
	case unix.BPF_JSET:
		// (w & m) & k != 0  <=>  (w & (m&k)) != 0
		c.Op, c.Mask, c.C = opNE, lhs.Mask&k, 0
		if c.Mask == 0 {
			s.decided, s.taken = true, false
			return s
		}
	}
	s.cond = c
	return s
}

func evalJump(op uint16, a, k uint32) bool {
	switch op & 0xf0 {
	case unix.BPF_JEQ:
		return a == k
	case unix.BPF_JGT:
		return a > k
	case unix.BPF_JGE:
		return a >= k
	}
	return a&k != 0
}

// symALU applies an ALU instruction. Constants fold exactly as the kernel
// computes (32-bit wrap; division by zero X makes the program return 0,
// which symbolic execution cannot express, so it yields unknown).
func symALU(ins bpf.RawInstruction, a, x symVal) symVal {
	if ins.Op == unix.BPF_ALU|unix.BPF_NEG {
		if a.Kind == symConst {
			return constVal(-a.C)
		}
		return unknownVal
	}
	src := constVal(ins.K)
	if ins.Op&unix.BPF_X != 0 {
		src = x
	}
	op := ins.Op & 0xf0
	if a.Kind == symConst && src.Kind == symConst {
		v, ok := aluConst(op, a.C, src.C)
		if ok {
			return constVal(v)
		}
		return unknownVal
	}
	if op == unix.BPF_AND && src.Kind == symConst {
		if a.Kind == symWord {
			return symVal{Kind: symWord, Word: a.Word, Mask: a.Mask & src.C}
		}
	}
	if op == unix.BPF_AND && src.Kind == symConst && src.C == 0 {
		return constVal(0)
	}
	return unknownVal
}

func aluConst(op uint16, a, b uint32) (uint32, bool) {
	switch op {
	case unix.BPF_ADD:
		return a + b, true
	case unix.BPF_SUB:
		return a - b, true
	case unix.BPF_MUL:
		return a * b, true
	case unix.BPF_DIV:
		if b == 0 {
			return 0, false
		}
		return a / b, true
	case bpfMOD:
		if b == 0 {
			return 0, false
		}
		return a % b, true
	case unix.BPF_AND:
		return a & b, true
	case unix.BPF_OR:
		return a | b, true
	case bpfXOR:
		return a ^ b, true
	case unix.BPF_LSH:
		if b >= 32 {
			return 0, false // left to the VM: the kernel's behaviour is machine-specific
		}
		return a << b, true
	case unix.BPF_RSH:
		if b >= 32 {
			return 0, false
		}
		return a >> b, true
	}
	return 0, false
}
