package opcode

import "fmt"

// Op is a classic BPF opcode, the 16-bit code field of struct sock_filter.
// The kernel knows only codes below 0x100; the accessors read the bits of
// any code as the kernel's BPF_CLASS, BPF_SIZE, ... macros do.
type Op uint16

// Instruction classes: Op.Class.
const (
	LD   Op = 0x00 // A = load
	LDX  Op = 0x01 // X = load
	ST   Op = 0x02 // M[k] = A
	STX  Op = 0x03 // M[k] = X
	ALU  Op = 0x04 // A = A op operand
	JMP  Op = 0x05 // jumps
	RET  Op = 0x06 // return
	MISC Op = 0x07 // tax, txa
)

// Load sizes: Op.Size.
const (
	W Op = 0x00 // 32-bit word
	H Op = 0x08 // 16-bit half word
	B Op = 0x10 // byte
)

// Load modes: Op.Mode.
const (
	IMM Op = 0x00 // #k
	ABS Op = 0x20 // [k]
	IND Op = 0x40 // [x + k]
	MEM Op = 0x60 // M[k]
	LEN Op = 0x80 // the length of the input
	MSH Op = 0xa0 // 4*([k]&0xf), ldx only
)

// Operand sources of ALU and jump instructions: Op.Src. A return's source
// (Op.RetSrc) is K, X or A.
const (
	K Op = 0x00 // the constant k
	X Op = 0x08 // the register X
	A Op = 0x10 // the register A (returns only)
)

// ALU operations: Op.ALUOp.
const (
	ADD Op = 0x00
	SUB Op = 0x10
	MUL Op = 0x20
	DIV Op = 0x30
	OR  Op = 0x40
	AND Op = 0x50
	LSH Op = 0x60
	RSH Op = 0x70
	NEG Op = 0x80
	MOD Op = 0x90
	XOR Op = 0xa0
)

// Jump operations: Op.JumpOp.
const (
	JA   Op = 0x00
	JEQ  Op = 0x10
	JGT  Op = 0x20
	JGE  Op = 0x30
	JSET Op = 0x40
)

// MISC operations: Op.MiscOp.
const (
	TAX Op = 0x00
	TXA Op = 0x80
)

// Whole opcodes that several packages build or look for.
const (
	LdAbsW Op = LD | W | ABS // ld [k]: in seccomp, a 32-bit field of seccomp_data
	LdImm  Op = LD | IMM     // ld #k
	LdxImm Op = LDX | IMM    // ldx #k
	Ja     Op = JMP | JA     // ja +k
	RetK   Op = RET | K      // ret #k
	RetA   Op = RET | A      // ret a
)

// Class returns BPF_CLASS(op): LD ... MISC.
func (op Op) Class() Op { return op & 0x07 }

// Size returns BPF_SIZE(op) of a load: W, H or B.
func (op Op) Size() Op { return op & 0x18 }

// Mode returns BPF_MODE(op) of a load: IMM ... MSH.
func (op Op) Mode() Op { return op & 0xe0 }

// Src returns BPF_SRC(op) of an ALU or jump instruction: K or X.
func (op Op) Src() Op { return op & 0x08 }

// ALUOp returns BPF_OP(op) of an ALU instruction: ADD ... XOR.
func (op Op) ALUOp() Op { return op & 0xf0 }

// JumpOp returns BPF_OP(op) of a jump: JA ... JSET.
func (op Op) JumpOp() Op { return op & 0xf0 }

// RetSrc returns BPF_RVAL(op) of a return: K, X or A.
func (op Op) RetSrc() Op { return op & 0x18 }

// MiscOp returns BPF_MISCOP(op) of a MISC instruction: TAX or TXA.
func (op Op) MiscOp() Op { return op & 0xf8 }

// IsJump reports whether op is a jump, ja included.
func (op Op) IsJump() bool { return op.Class() == JMP }

// IsCondJump reports whether op is a conditional jump (jeq, jgt, jge,
// jset, or an unknown jump operation), whose targets are jt and jf.
func (op Op) IsCondJump() bool { return op.Class() == JMP && op.JumpOp() != JA }

// IsReturn reports whether op is a return.
func (op Op) IsReturn() bool { return op.Class() == RET }

// IsLoad reports whether op loads into A or X (LD or LDX).
func (op Op) IsLoad() bool { return op.Class() == LD || op.Class() == LDX }

// LoadBytes is how many bytes a packet load of op's size reads: 4 for W,
// 2 for H, 1 for B.
func (op Op) LoadBytes() int {
	switch op.Size() {
	case H:
		return 2
	case B:
		return 1
	}
	return 4
}

// DividesByX reports whether op is a division or modulo by X, which ends
// the program with 0 when X is 0.
func (op Op) DividesByX() bool {
	return op.Class() == ALU && op.Src() == X && (op.ALUOp() == DIV || op.ALUOp() == MOD)
}

// IsStore reports whether op stores into scratch memory (ST or STX).
func (op Op) IsStore() bool { return op.Class() == ST || op.Class() == STX }

// ReadsA reports whether op reads the register A.
func (op Op) ReadsA() bool {
	switch op.Class() {
	case ALU, ST:
		return true
	case JMP:
		return op.JumpOp() != JA
	case RET:
		return op.RetSrc() == A
	case MISC:
		return op.MiscOp() == TAX
	}
	return false
}

// WritesA reports whether op writes the register A.
func (op Op) WritesA() bool {
	switch op.Class() {
	case LD, ALU:
		return true
	case MISC:
		return op.MiscOp() == TXA
	}
	return false
}

// ReadsX reports whether op reads the register X.
func (op Op) ReadsX() bool {
	switch op.Class() {
	case LD:
		return op.Mode() == IND
	case STX:
		return true
	case ALU:
		return op.ALUOp() != NEG && op.Src() == X
	case JMP:
		return op.JumpOp() != JA && op.Src() == X
	case RET:
		return op.RetSrc() == X
	case MISC:
		return op.MiscOp() == TXA
	}
	return false
}

// WritesX reports whether op writes the register X.
func (op Op) WritesX() bool {
	switch op.Class() {
	case LDX:
		return true
	case MISC:
		return op.MiscOp() == TAX
	}
	return false
}

// ReadsMem reports whether op reads the scratch word M[k] (ld or ldx M[k]).
func (op Op) ReadsMem() bool { return op.IsLoad() && op.Mode() == MEM }

// WritesMem reports whether op writes the scratch word M[k] (st or stx).
func (op Op) WritesMem() bool { return op.IsStore() }

// aluNames and jumpNames are the mnemonics of ALU and jump operations,
// indexed by operation>>4.
var (
	aluNames  = [...]string{"add", "sub", "mul", "div", "or", "and", "lsh", "rsh", "neg", "mod", "xor"}
	jumpNames = [...]string{"ja", "jeq", "jgt", "jge", "jset"}
)

// String returns the bpf_asm mnemonic of op as package asm prints it
// ("ld", "ldh", "ldxb", "jeq", "ret", ...), or the code in hex for a code
// the kernel does not know.
func (op Op) String() string {
	if name := op.mnemonic(); name != "" {
		return name
	}
	return fmt.Sprintf("%#02x", uint16(op))
}

func (op Op) mnemonic() string {
	if op > 0xff {
		return ""
	}
	switch op.Class() {
	case LD:
		switch op.Mode() {
		case ABS, IND:
			if op.Size() != 0x18 {
				return [...]string{"ld", "ldh", "ldb"}[op.Size()>>3]
			}
		case IMM, MEM, LEN:
			if op.Size() == W {
				return "ld"
			}
		}
	case LDX:
		switch {
		case op == LDX|B|MSH:
			return "ldxb"
		case op.Size() == W && (op.Mode() == IMM || op.Mode() == MEM || op.Mode() == LEN):
			return "ldx"
		}
	case ST:
		if op == ST {
			return "st"
		}
	case STX:
		if op == STX {
			return "stx"
		}
	case ALU:
		i := int(op.ALUOp() >> 4)
		if i < len(aluNames) && (op.ALUOp() != NEG || op.Src() == K) {
			return aluNames[i]
		}
	case JMP:
		i := int(op.JumpOp() >> 4)
		if i < len(jumpNames) && (op.JumpOp() != JA || op.Src() == K) {
			return jumpNames[i]
		}
	case RET:
		if op&^0x18 == RET && op.RetSrc() != 0x18 {
			return "ret"
		}
	case MISC:
		switch op {
		case MISC | TAX:
			return "tax"
		case MISC | TXA:
			return "txa"
		}
	}
	return ""
}
