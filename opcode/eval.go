package opcode

// Compute returns a op x for ALU operation op (the operation bits: ADD
// to XOR; NEG ignores x) as the kernel computes it: 32-bit wrap-around,
// shift counts taken modulo 32 (classic shifts run as 32-bit eBPF shifts;
// a constant count of 32 or more is rejected before). ok is false for a
// division or modulo by zero, which ends the program returning 0.
func Compute(op Op, a, x uint32) (v uint32, ok bool) {
	switch op.ALUOp() {
	case ADD:
		return a + x, true
	case SUB:
		return a - x, true
	case MUL:
		return a * x, true
	case DIV:
		if x == 0 {
			return 0, false
		}
		return a / x, true
	case MOD:
		if x == 0 {
			return 0, false
		}
		return a % x, true
	case AND:
		return a & x, true
	case OR:
		return a | x, true
	case XOR:
		return a ^ x, true
	case LSH:
		return a << (x & 31), true
	case RSH:
		return a >> (x & 31), true
	case NEG:
		return -a, true
	}
	return 0, false
}

// Holds reports whether conditional jump op (JEQ, JGT, JGE, JSET; the
// operation bits) is taken with A = a and operand k: unsigned
// comparisons, JSET when a and k share a bit.
func Holds(op Op, a, k uint32) bool {
	switch op.JumpOp() {
	case JEQ:
		return a == k
	case JGT:
		return a > k
	case JGE:
		return a >= k
	case JSET:
		return a&k != 0
	}
	return false
}
