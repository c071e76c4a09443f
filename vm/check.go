package vm

import (
	"fmt"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// classicOK lists the opcodes bpf_check_classic accepts
// (net/core/filter.c, chk_code_allowed). Every other code, including
// anything above 0xff, is rejected.
var classicOK = opTable(
	[]opcode.Op{opcode.ADD, opcode.SUB, opcode.MUL, opcode.DIV, opcode.MOD, opcode.AND, opcode.OR, opcode.XOR, opcode.LSH, opcode.RSH},
	opcode.LD|opcode.W|opcode.ABS, opcode.LD|opcode.H|opcode.ABS, opcode.LD|opcode.B|opcode.ABS,
	opcode.LD|opcode.W|opcode.LEN,
	opcode.LD|opcode.W|opcode.IND, opcode.LD|opcode.H|opcode.IND, opcode.LD|opcode.B|opcode.IND,
	opcode.LD|opcode.IMM, opcode.LD|opcode.MEM,
	opcode.LDX|opcode.W|opcode.LEN, opcode.LDX|opcode.B|opcode.MSH, opcode.LDX|opcode.IMM, opcode.LDX|opcode.MEM,
	opcode.ST, opcode.STX,
	opcode.MISC|opcode.TAX, opcode.MISC|opcode.TXA,
	opcode.RET|opcode.K, opcode.RET|opcode.A,
	opcode.JMP|opcode.JA,
)

// seccompOK lists what seccomp_check_filter (kernel/seccomp.c) lets
// through after bpf_check_classic: no packet loads but the aligned 32-bit
// absolute ones, no MOD, no MSH.
var seccompOK = opTable(
	[]opcode.Op{opcode.ADD, opcode.SUB, opcode.MUL, opcode.DIV, opcode.AND, opcode.OR, opcode.XOR, opcode.LSH, opcode.RSH},
	opcode.LD|opcode.W|opcode.ABS, opcode.LD|opcode.W|opcode.LEN, opcode.LDX|opcode.W|opcode.LEN,
	opcode.RET|opcode.K, opcode.RET|opcode.A,
	opcode.LD|opcode.IMM, opcode.LDX|opcode.IMM, opcode.MISC|opcode.TAX, opcode.MISC|opcode.TXA,
	opcode.LD|opcode.MEM, opcode.LDX|opcode.MEM, opcode.ST, opcode.STX,
	opcode.JMP|opcode.JA,
)

// opTable marks the opcodes of a check: the ALU ops alu with K and X, NEG,
// every conditional jump with K and X (both checks take all four), and
// the other opcodes listed.
func opTable(alu []opcode.Op, others ...opcode.Op) [256]bool {
	var t [256]bool
	for _, op := range alu {
		t[opcode.ALU|op|opcode.K] = true
		t[opcode.ALU|op|opcode.X] = true
	}
	t[opcode.ALU|opcode.NEG] = true
	for _, op := range []opcode.Op{opcode.JEQ, opcode.JGT, opcode.JGE, opcode.JSET} {
		t[opcode.JMP|op|opcode.K] = true
		t[opcode.JMP|op|opcode.X] = true
	}
	for _, c := range others {
		t[c] = true
	}
	return t
}

// Stable codes of the kernel's reasons to reject a program (Error.Code).
const (
	CodeLength        = "length"         // 0 or more than 4096 instructions
	CodeOpcode        = "opcode"         // not a classic BPF opcode the kernel knows
	CodeDivZero       = "div-by-zero"    // div or mod by the constant 0
	CodeShift         = "shift-range"    // lsh/rsh by a constant of 32 or more
	CodeScratchIndex  = "scratch-index"  // M[k] with k > 15
	CodeJumpRange     = "jump-range"     // a jump past the last instruction
	CodeAncillary     = "ancillary"      // unknown Linux ancillary load
	CodeLastNotRet    = "last-not-ret"   // the last instruction is not a return
	CodeScratchUninit = "scratch-uninit" // M[k] read where some path has not written it
	CodeSeccompOpcode = "seccomp-opcode" // an instruction seccomp does not allow
	CodeSeccompLoad   = "seccomp-load"   // a load outside seccomp_data or misaligned
)

// Check reports the first reason the kernel would reject prog in mode, as
// an *Error with a Code, or nil if the kernel accepts it. It follows
// bpf_check_basics_ok, bpf_check_classic (with check_load_and_stores) and,
// for seccomp, seccomp_check_filter, in the kernel's order. New calls it;
// package verify reports it as a diagnostic.
func Check(prog []bpf.RawInstruction, mode Mode) error {
	n := len(prog)
	if n == 0 {
		return &Error{PC: -1, Code: CodeLength, Msg: fmt.Sprintf("empty program: the kernel needs 1 to %d instructions", opcode.MaxInsns)}
	}
	if n > opcode.MaxInsns {
		return &Error{PC: -1, Code: CodeLength, Msg: fmt.Sprintf("%d instructions: the kernel allows at most %d", n, opcode.MaxInsns)}
	}
	bad := func(pc int, code, format string, a ...any) error {
		return &Error{PC: pc, Insn: prog[pc], Code: code, Msg: fmt.Sprintf(format, a...)}
	}
	for pc, ri := range prog {
		if ri.Op > 0xff || !classicOK[ri.Op] {
			return bad(pc, CodeOpcode, "unknown opcode %#04x", ri.Op)
		}
		switch opcode.Op(ri.Op) {
		case opcode.ALU | opcode.DIV | opcode.K, opcode.ALU | opcode.MOD | opcode.K:
			if ri.K == 0 {
				return bad(pc, CodeDivZero, "division by the constant 0")
			}
		case opcode.ALU | opcode.LSH | opcode.K, opcode.ALU | opcode.RSH | opcode.K:
			if ri.K >= 32 {
				return bad(pc, CodeShift, "shift by %d: constant shifts must be 0..31", ri.K)
			}
		case opcode.LD | opcode.MEM, opcode.LDX | opcode.MEM, opcode.ST, opcode.STX:
			if ri.K >= opcode.MemWords {
				return bad(pc, CodeScratchIndex, "scratch index M[%d]: must be 0..15", ri.K)
			}
		case opcode.JMP | opcode.JA:
			// The kernel compares in unsigned 32-bit arithmetic.
			if ri.K >= uint32(n-pc-1) {
				return bad(pc, CodeJumpRange, "ja +%d goes past the last instruction (%d)", ri.K, n-1)
			}
		case opcode.JMP | opcode.JEQ | opcode.K, opcode.JMP | opcode.JEQ | opcode.X,
			opcode.JMP | opcode.JGT | opcode.K, opcode.JMP | opcode.JGT | opcode.X,
			opcode.JMP | opcode.JGE | opcode.K, opcode.JMP | opcode.JGE | opcode.X,
			opcode.JMP | opcode.JSET | opcode.K, opcode.JMP | opcode.JSET | opcode.X:
			if pc+int(ri.Jt)+1 >= n || pc+int(ri.Jf)+1 >= n {
				return bad(pc, CodeJumpRange, "conditional jump (jt %d, jf %d) goes past the last instruction (%d)", ri.Jt, ri.Jf, n-1)
			}
		case opcode.LD | opcode.W | opcode.ABS, opcode.LD | opcode.H | opcode.ABS, opcode.LD | opcode.B | opcode.ABS:
			if ri.K >= opcode.SkfAdOff && !opcode.IsAncillary(ri.K) {
				return bad(pc, CodeAncillary, "unknown ancillary load at SKF_AD_OFF%+d", int32(ri.K-opcode.SkfAdOff))
			}
		}
	}
	if op := opcode.Op(prog[n-1].Op); op != opcode.RetK && op != opcode.RetA {
		return bad(n-1, CodeLastNotRet, "the last instruction must be a return")
	}
	if err := checkMem(prog); err != nil {
		return err
	}
	if mode == Seccomp {
		for pc, ri := range prog {
			if opcode.Op(ri.Op) == opcode.LdAbsW {
				if ri.K >= SeccompDataSize || ri.K&3 != 0 {
					return bad(pc, CodeSeccompLoad, "ld [%d]: seccomp loads must be 4-byte aligned offsets below %d", ri.K, SeccompDataSize)
				}
				continue
			}
			if !seccompOK[ri.Op] {
				return bad(pc, CodeSeccompOpcode, "%s is not allowed in a seccomp filter", opName(ri.Op))
			}
		}
	}
	return nil
}

// opName names an instruction kind seccomp refuses.
func opName(code uint16) string {
	op := opcode.Op(code)
	switch {
	case op.Class() == opcode.LD && op.Mode() == opcode.IND:
		return "an indirect load"
	case op.Class() == opcode.LD && op.Mode() == opcode.ABS && op.Size() == opcode.H:
		return "a half-word load"
	case op.Class() == opcode.LD && op.Mode() == opcode.ABS:
		return "a byte load"
	case op == opcode.LDX|opcode.B|opcode.MSH:
		return "ldx 4*([k]&0xf)"
	case op.Class() == opcode.ALU && op.ALUOp() == opcode.MOD:
		return "mod"
	}
	return fmt.Sprintf("opcode %#04x", code)
}

// checkMem is check_load_and_stores: every path must store M[k] before it
// loads it. Like the kernel it walks the program once in order and merges
// the valid set into jump targets; after a return the set carries over to
// the next instruction unchanged, as in the kernel.
func checkMem(prog []bpf.RawInstruction) error {
	masks := make([]uint16, len(prog))
	for i := range masks {
		masks[i] = 0xffff
	}
	var valid uint16
	for pc, ri := range prog {
		valid &= masks[pc]
		switch opcode.Op(ri.Op) {
		case opcode.ST, opcode.STX:
			valid |= 1 << ri.K
		case opcode.LD | opcode.MEM, opcode.LDX | opcode.MEM:
			if valid&(1<<ri.K) == 0 {
				return &Error{PC: pc, Insn: ri, Code: CodeScratchUninit, Msg: fmt.Sprintf("M[%d] is read but not written on every path to here", ri.K)}
			}
		case opcode.JMP | opcode.JA:
			masks[pc+1+int(ri.K)] &= valid
			valid = 0xffff
		case opcode.JMP | opcode.JEQ | opcode.K, opcode.JMP | opcode.JEQ | opcode.X,
			opcode.JMP | opcode.JGT | opcode.K, opcode.JMP | opcode.JGT | opcode.X,
			opcode.JMP | opcode.JGE | opcode.K, opcode.JMP | opcode.JGE | opcode.X,
			opcode.JMP | opcode.JSET | opcode.K, opcode.JMP | opcode.JSET | opcode.X:
			masks[pc+1+int(ri.Jt)] &= valid
			masks[pc+1+int(ri.Jf)] &= valid
			valid = 0xffff
		}
	}
	return nil
}
