package opcode

import (
	"fmt"
	"math"
	"strconv"

	"golang.org/x/net/bpf"
)

// Successors returns the instructions control may go to after ins at
// index pc: none after a return; the target of a ja; jt's then jf's
// target after a conditional jump; pc+1 after anything else. Targets are
// not checked against a program's length: a caller that may hold a
// program the kernel rejects compares them with it (a ja's target may be
// up to pc+2^32; on a 32-bit int it saturates at math.MaxInt).
func Successors(ins bpf.RawInstruction, pc int) []int {
	op := Op(ins.Op)
	switch {
	case op.IsReturn():
		return nil
	case op.IsCondJump():
		return []int{target(pc, uint32(ins.Jt)), target(pc, uint32(ins.Jf))}
	case op.IsJump():
		return []int{target(pc, ins.K)}
	}
	return []int{pc + 1}
}

func target(pc int, off uint32) int {
	t := uint64(pc) + 1 + uint64(off)
	if t > math.MaxInt {
		return math.MaxInt
	}
	return int(t)
}

// String returns ins in bpf_asm syntax as it reads at index pc, as package
// asm prints it: jump targets are absolute labels L<pc+1+offset>, and an
// instruction that bpf_asm cannot spell exactly is written as
// ".insn CODE, JT, JF, K" with raw fields.
func String(ins bpf.RawInstruction, pc int) string {
	mn, ops, ok := Spell(ins, pc, func(t int64) (string, bool) {
		return "L" + strconv.FormatInt(t, 10), true
	})
	if !ok {
		return RawString(ins)
	}
	if ops == "" {
		return mn
	}
	return mn + " " + ops
}

// RawString returns ins as bpf_asm's raw ".insn CODE, JT, JF, K".
func RawString(ins bpf.RawInstruction) string {
	return fmt.Sprintf(".insn 0x%02x, %d, %d, %s", ins.Op, ins.Jt, ins.Jf, Hex(ins.K))
}

// Hex formats k as 0x followed by lower-case hex digits.
func Hex(k uint32) string { return "0x" + strconv.FormatUint(uint64(k), 16) }

// constant formats a #k operand: small numbers read best in decimal
// (syscall numbers, ports, errno values), large ones in hex (masks,
// ethertypes, seccomp actions).
func constant(k uint32) string {
	if k < 0x800 {
		return "#" + strconv.FormatUint(uint64(k), 10)
	}
	return "#" + Hex(k)
}

// offset formats a packet offset or scratch index. Offsets from the top of
// the 32-bit range (SKF_NET_OFF, SKF_LL_OFF, ...) read as negative.
func offset(k uint32) string {
	if k >= 0x80000000 {
		return strconv.FormatInt(int64(int32(k)), 10)
	}
	return strconv.FormatUint(uint64(k), 10)
}

// negated names the one-target form that jumps when the condition is
// false: "jne #k, L" is jeq with jt=0 and jf=L; "jlt" is jge and "jle" is
// jgt the same way, which is how bpf_asm encodes them.
var negated = map[Op]string{JEQ: "jne", JGT: "jle", JGE: "jlt"}

// Spell returns the plain bpf_asm spelling of ins at index pc as a
// mnemonic and its operands, or ok=false if no plain spelling assembles
// back to exactly these 8 bytes. label names an absolute jump target, or
// reports that it cannot be named.
func Spell(ins bpf.RawInstruction, pc int, label func(target int64) (string, bool)) (mn, ops string, ok bool) {
	op, jt, jf, k := Op(ins.Op), ins.Jt, ins.Jf, ins.K
	if op > 0xff || op.Class() != JMP && (jt != 0 || jf != 0) {
		return "", "", false
	}
	switch op {
	case LD | IMM:
		return "ld", constant(k), true
	case LD | W | ABS, LD | H | ABS, LD | B | ABS:
		if k >= SkfAdOff {
			if name, ok := AncillaryName(k - SkfAdOff); ok {
				return op.String(), "#" + name, true
			}
		}
		return op.String(), "[" + offset(k) + "]", true
	case LD | W | IND, LD | H | IND, LD | B | IND:
		return op.String(), "[x + " + offset(k) + "]", true
	case LD | MEM, LDX | MEM, ST, STX:
		if k >= MemWords {
			return "", "", false
		}
		return op.String(), "M[" + offset(k) + "]", true
	case LD | W | LEN, LDX | W | LEN:
		if k != 0 {
			return "", "", false
		}
		return op.String(), "#len", true
	case LDX | IMM:
		return "ldx", constant(k), true
	case LDX | B | MSH:
		return "ldxb", "4*([" + offset(k) + "]&0xf)", true
	case ALU | NEG, MISC | TAX, MISC | TXA:
		if k != 0 {
			return "", "", false
		}
		return op.String(), "", true
	case RET | K:
		if k < 0x10000 {
			return "ret", "#" + strconv.FormatUint(uint64(k), 10), true
		}
		return "ret", "#" + Hex(k), true
	case RET | A, RET | X:
		if k != 0 {
			return "", "", false
		}
		return "ret", map[Op]string{A: "a", X: "x"}[op.RetSrc()], true
	case JMP | JA:
		if jt != 0 || jf != 0 {
			return "", "", false
		}
		l, ok := label(int64(pc) + 1 + int64(k))
		if !ok {
			return "", "", false
		}
		return "ja", l, true
	}
	switch op.Class() {
	case ALU:
		if op.mnemonic() == "" {
			return "", "", false
		}
		if op.Src() == X {
			if k != 0 {
				return "", "", false
			}
			return op.String(), "x", true
		}
		return op.String(), constant(k), true
	case JMP:
		if op.mnemonic() == "" {
			return "", "", false
		}
		cond := constant(k)
		if op.Src() == X {
			if k != 0 {
				return "", "", false
			}
			cond = "x"
		}
		name := op.String()
		next := int64(pc) + 1
		switch {
		case jf == 0:
			lt, ok := label(next + int64(jt))
			if !ok {
				return "", "", false
			}
			return name, cond + ", " + lt, true
		case jt == 0 && negated[op.JumpOp()] != "":
			lf, ok := label(next + int64(jf))
			if !ok {
				return "", "", false
			}
			return negated[op.JumpOp()], cond + ", " + lf, true
		}
		lt, okt := label(next + int64(jt))
		lf, okf := label(next + int64(jf))
		if !okt || !okf {
			return "", "", false
		}
		return name, cond + ", " + lt + ", " + lf, true
	}
	return "", "", false
}
