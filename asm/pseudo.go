package asm

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// Offsets in struct seccomp_data.
const (
	auditArchLE = 0x40000000 // __AUDIT_ARCH_LE

	auditArchX86_64 = 0xc000003e
	x32SyscallBit   = 0x40000000 // __X32_SYSCALL_BIT: x32 calls on x86_64
)

// auditArchNames are the kernel's AUDIT_ARCH_* constants
// (include/uapi/linux/audit.h), so that the listing names arches even where
// package arch does not know them.
var auditArchNames = map[uint32]string{
	0xc000003e: "AUDIT_ARCH_X86_64",
	0x40000003: "AUDIT_ARCH_I386",
	0xc00000b7: "AUDIT_ARCH_AARCH64",
	0x40000028: "AUDIT_ARCH_ARM",
	0x00000028: "AUDIT_ARCH_ARMEB",
	0x00000014: "AUDIT_ARCH_PPC",
	0x80000015: "AUDIT_ARCH_PPC64",
	0xc0000015: "AUDIT_ARCH_PPC64LE",
	0x00000016: "AUDIT_ARCH_S390",
	0x80000016: "AUDIT_ARCH_S390X",
	0x00000008: "AUDIT_ARCH_MIPS",
	0x40000008: "AUDIT_ARCH_MIPSEL",
	0x80000008: "AUDIT_ARCH_MIPS64",
	0xc0000008: "AUDIT_ARCH_MIPSEL64",
	0xa0000008: "AUDIT_ARCH_MIPS64N32",
	0xe0000008: "AUDIT_ARCH_MIPSEL64N32",
	0x400000f3: "AUDIT_ARCH_RISCV32",
	0xc00000f3: "AUDIT_ARCH_RISCV64",
	0xc0000102: "AUDIT_ARCH_LOONGARCH64",
	0x0000000f: "AUDIT_ARCH_PARISC",
	0x8000000f: "AUDIT_ARCH_PARISC64",
}

func auditArchName(v uint32) string {
	if s, ok := auditArchNames[v]; ok {
		return s
	}
	if a := arch.ByAudit(v); a != nil {
		return "AUDIT_ARCH_" + strings.ToUpper(a.Name)
	}
	return fmt.Sprintf("0x%x", v)
}

// What a register is known to hold.
type pseudoKind uint8

const (
	pvUnknown pseudoKind = iota
	pvNr                 // seccomp_data.nr
	pvArch               // seccomp_data.arch
)

// pseudoState is what is known before an instruction, on every path to it.
type pseudoState struct {
	reached bool
	a, x    pseudoKind
	archOK  bool // the path has proved seccomp_data.arch == archVal
	archVal uint32
}

func (s pseudoState) join(t pseudoState) pseudoState {
	if !s.reached {
		return t
	}
	if !t.reached {
		return s
	}
	if s.a != t.a {
		s.a = pvUnknown
	}
	if s.x != t.x {
		s.x = pvUnknown
	}
	if !t.archOK || !s.archOK || s.archVal != t.archVal {
		s.archOK = false
	}
	return s
}

// pseudoFlow computes the state before each instruction. All jumps go
// forward, so one pass in order sees every predecessor first.
func pseudoFlow(prog []bpf.RawInstruction) []pseudoState {
	st := make([]pseudoState, len(prog))
	if len(prog) > 0 {
		st[0].reached = true
	}
	for pc, ins := range prog {
		s := st[pc]
		if !s.reached {
			continue
		}
		op := opcode.Op(ins.Op)
		switch op.Class() {
		case opcode.LD:
			s.a = pvUnknown
			if op == opcode.LdAbsW && ins.K == opcode.SeccompNr {
				s.a = pvNr
			} else if op == opcode.LdAbsW && ins.K == opcode.SeccompArch {
				s.a = pvArch
			}
		case opcode.LDX:
			s.x = pvUnknown
		case opcode.ALU:
			s.a = pvUnknown
		case opcode.MISC:
			switch op {
			case opcode.MISC | opcode.TXA:
				s.a = s.x
			case opcode.MISC | opcode.TAX:
				s.x = s.a
			default:
				s.a, s.x = pvUnknown, pvUnknown
			}
		}
		for i, to := range opcode.Successors(ins, pc) {
			if to >= len(prog) {
				continue
			}
			t := s
			if i == 0 && op == opcode.JMP|opcode.JEQ|opcode.K && s.a == pvArch {
				t.archOK, t.archVal = true, ins.K
			}
			st[to] = st[to].join(t)
		}
	}
	return st
}

// pseudoOrder is how the listing names the words of 64-bit fields.
type pseudoOrder int

const (
	orderLE pseudoOrder = iota
	orderBE
	orderMixed
)

// programOrder is the byte order of the arches the program compares arch
// against: little endian if none.
func programOrder(prog []bpf.RawInstruction, st []pseudoState) pseudoOrder {
	le, be := false, false
	for pc, ins := range prog {
		if op := opcode.Op(ins.Op); st[pc].reached && st[pc].a == pvArch && op.IsCondJump() && op.Src() == opcode.K {
			if ins.K&auditArchLE != 0 {
				le = true
			} else {
				be = true
			}
		}
	}
	switch {
	case le && be:
		return orderMixed
	case be:
		return orderBE
	}
	return orderLE
}

func pseudoConst(v uint32) string {
	if v < 4096 {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("0x%x", v)
}

// seccompField names a 32-bit load from seccomp_data at k.
func seccompField(k uint32, s pseudoState, order pseudoOrder) string {
	switch {
	case k == opcode.SeccompNr:
		return "nr"
	case k == opcode.SeccompArch:
		return "arch"
	case k%4 != 0 || k >= opcode.SeccompDataSize:
		return fmt.Sprintf("*(u32 *)(data + %d)", int32(k))
	}
	field := "instruction_pointer"
	base := uint32(opcode.SeccompIP)
	if k >= opcode.SeccompArgs {
		i := (k - opcode.SeccompArgs) / 8
		field = fmt.Sprintf("args[%d]", i)
		base = opcode.SeccompArgs + 8*i
	}
	if s.archOK {
		order = orderBE
		if s.archVal&auditArchLE != 0 {
			order = orderLE
		}
	}
	first := k == base
	switch {
	case order == orderMixed && first:
		return field + " (low word if little endian, high if big)"
	case order == orderMixed:
		return field + " (high word if little endian, low if big)"
	case first == (order == orderLE):
		return field + " (low)"
	}
	return field + " (high)"
}

var pseudoALU = map[opcode.Op]string{
	opcode.ADD: "+=", opcode.SUB: "-=", opcode.MUL: "*=", opcode.DIV: "/=", opcode.OR: "|=",
	opcode.AND: "&=", opcode.LSH: "<<=", opcode.RSH: ">>=", opcode.MOD: "%=", opcode.XOR: "^=",
}

// pseudoOperand is K of a comparison, named by what A holds.
func pseudoOperand(ins bpf.RawInstruction, s pseudoState) string {
	op := opcode.Op(ins.Op)
	if op.Src() == opcode.X {
		return "X"
	}
	switch s.a {
	case pvArch:
		return auditArchName(ins.K)
	case pvNr:
		if s.archOK && s.archVal == auditArchX86_64 && ins.K == x32SyscallBit && op.Src() == opcode.K {
			return "X32_SYSCALL_BIT"
		}
		if s.archOK && op.JumpOp() == opcode.JEQ { // only jeq compares a syscall number
			if a := arch.ByAudit(s.archVal); a != nil {
				if name, ok := a.SyscallName(ins.K); ok {
					return name
				}
			}
		}
	}
	if op.JumpOp() == opcode.JSET {
		return fmt.Sprintf("0x%x", ins.K)
	}
	return pseudoConst(ins.K)
}

func pseudoCond(op opcode.Op, v string, negate bool) string {
	type pair struct{ pos, neg string }
	forms := map[opcode.Op]pair{
		opcode.JEQ:  {"A == %s", "A != %s"},
		opcode.JGT:  {"A > %s", "A <= %s"},
		opcode.JGE:  {"A >= %s", "A < %s"},
		opcode.JSET: {"A & %s", "!(A & %s)"},
	}
	f := forms[op.JumpOp()]
	if negate {
		return fmt.Sprintf(f.neg, v)
	}
	return fmt.Sprintf(f.pos, v)
}

// isPacketFilter reports whether prog uses loads seccomp rejects (byte,
// half-word, indirect, msh, or beyond struct seccomp_data): then its
// returns are byte counts, not actions.
func isPacketFilter(prog []bpf.RawInstruction) bool {
	for _, ins := range prog {
		switch opcode.Op(ins.Op) {
		case opcode.LD | opcode.H | opcode.ABS, opcode.LD | opcode.B | opcode.ABS, opcode.LD | opcode.W | opcode.IND, opcode.LD | opcode.H | opcode.IND, opcode.LD | opcode.B | opcode.IND, opcode.LDX | opcode.B | opcode.MSH:
			return true
		case opcode.LdAbsW:
			if ins.K >= opcode.SeccompDataSize {
				return true
			}
		}
	}
	return false
}

func pseudoStmt(prog []bpf.RawInstruction, pc int, s pseudoState, order pseudoOrder, packet bool) string {
	ins := prog[pc]
	label := func(off uint32) string {
		to := uint64(pc) + 1 + uint64(off)
		if to >= uint64(len(prog)) {
			return fmt.Sprintf("L%d /* past the end */", to)
		}
		return fmt.Sprintf("L%d", to)
	}
	sizes := map[opcode.Op]string{opcode.W: "u32", opcode.H: "u16", opcode.B: "u8"}
	k := ins.K
	switch opcode.Op(ins.Op) {
	case opcode.LdAbsW:
		if k >= opcode.SkfAdOff {
			if name, ok := pcapAdNames[k-opcode.SkfAdOff]; ok {
				return "A = ancillary[" + name + "]"
			}
		}
		return "A = " + seccompField(k, s, order)
	case opcode.LD | opcode.H | opcode.ABS, opcode.LD | opcode.B | opcode.ABS:
		if k >= opcode.SkfAdOff {
			if name, ok := pcapAdNames[k-opcode.SkfAdOff]; ok {
				return "A = ancillary[" + name + "]"
			}
		}
		return fmt.Sprintf("A = *(%s *)(data + %d)", sizes[opcode.Op(ins.Op).Size()], int32(k))
	case opcode.LD | opcode.W | opcode.IND, opcode.LD | opcode.H | opcode.IND, opcode.LD | opcode.B | opcode.IND:
		return fmt.Sprintf("A = *(%s *)(data + X + %d)", sizes[opcode.Op(ins.Op).Size()], int32(k))
	case opcode.LD | opcode.W | opcode.LEN:
		return "A = len"
	case opcode.LDX | opcode.W | opcode.LEN:
		return "X = len"
	case opcode.LdImm:
		return "A = " + pseudoConst(k)
	case opcode.LdxImm:
		return "X = " + pseudoConst(k)
	case opcode.LDX | opcode.B | opcode.MSH:
		return fmt.Sprintf("X = 4 * (*(u8 *)(data + %d) & 0xf)", int32(k))
	case opcode.LD | opcode.MEM:
		return fmt.Sprintf("A = M[%d]", k)
	case opcode.LDX | opcode.MEM:
		return fmt.Sprintf("X = M[%d]", k)
	case opcode.ST:
		return fmt.Sprintf("M[%d] = A", k)
	case opcode.STX:
		return fmt.Sprintf("M[%d] = X", k)
	case opcode.ALU | opcode.NEG:
		return "A = -A"
	case opcode.MISC | opcode.TAX:
		return "X = A"
	case opcode.MISC | opcode.TXA:
		return "A = X"
	case opcode.RetK:
		if packet {
			return fmt.Sprintf("return %d", k)
		}
		return "return " + action.String(k)
	case opcode.RetA:
		return "return A"
	case opcode.RET | opcode.X:
		return "return X"
	case opcode.Ja:
		return "goto " + label(k)
	}
	code := opcode.Op(ins.Op)
	if code.Class() == opcode.ALU && code <= 0xff {
		if op, ok := pseudoALU[code.ALUOp()]; ok {
			if code.Src() == opcode.X {
				return "A " + op + " X"
			}
			if alu := code.ALUOp(); alu == opcode.OR || alu == opcode.AND || alu == opcode.XOR {
				return fmt.Sprintf("A %s 0x%x", op, k)
			}
			return "A " + op + " " + pseudoConst(k)
		}
	}
	if isPseudoCond(code) {
		v := pseudoOperand(ins, s)
		switch {
		case ins.Jt != 0 && ins.Jf != 0:
			return fmt.Sprintf("if (%s) goto %s else goto %s", pseudoCond(code, v, false), label(uint32(ins.Jt)), label(uint32(ins.Jf)))
		case ins.Jf == 0 && ins.Jt != 0:
			return fmt.Sprintf("if (%s) goto %s", pseudoCond(code, v, false), label(uint32(ins.Jt)))
		case ins.Jt == 0 && ins.Jf != 0:
			return fmt.Sprintf("if (%s) goto %s", pseudoCond(code, v, true), label(uint32(ins.Jf)))
		}
		return fmt.Sprintf("if (%s) {} /* both branches go to L%d */", pseudoCond(code, v, false), pc+1)
	}
	return fmt.Sprintf("invalid instruction: code=0x%x jt=%d jf=%d k=0x%x", ins.Op, ins.Jt, ins.Jf, ins.K)
}

// isPseudoCond reports whether op is a conditional jump the listing
// writes as an if: jeq, jgt, jge or jset.
func isPseudoCond(op opcode.Op) bool {
	return op.IsCondJump() && op <= 0xff && op.JumpOp() <= opcode.JSET
}

// pseudoCanonical is ins with the fields pseudoStmt does not print set to
// zero: those the kernel ignores (jt and jf but of conditional jumps, k of
// x operands, len loads, neg, tax, txa, ret a and ret x). An instruction
// the listing calls invalid prints every field.
func pseudoCanonical(ins bpf.RawInstruction) bpf.RawInstruction {
	c := ins
	code := opcode.Op(ins.Op)
	if isPseudoCond(code) {
		if code.Src() == opcode.X {
			c.K = 0
		}
		return c
	}
	c.Jt, c.Jf = 0, 0
	switch opcode.Op(ins.Op) {
	case opcode.LdAbsW, opcode.LD | opcode.H | opcode.ABS, opcode.LD | opcode.B | opcode.ABS, opcode.LD | opcode.W | opcode.IND, opcode.LD | opcode.H | opcode.IND, opcode.LD | opcode.B | opcode.IND, opcode.LdImm, opcode.LdxImm, opcode.LDX | opcode.B | opcode.MSH, opcode.LD | opcode.MEM, opcode.LDX | opcode.MEM, opcode.ST, opcode.STX, opcode.RetK, opcode.Ja:
		return c
	case opcode.LD | opcode.W | opcode.LEN, opcode.LDX | opcode.W | opcode.LEN, opcode.ALU | opcode.NEG, opcode.MISC | opcode.TAX, opcode.MISC | opcode.TXA, opcode.RetA, opcode.RET | opcode.X:
		c.K = 0
		return c
	}
	if _, ok := pseudoALU[code.ALUOp()]; ok && code.Class() == opcode.ALU && code <= 0xff {
		if code.Src() == opcode.X {
			c.K = 0
		}
		return c
	}
	return ins
}

// pseudoTargets marks the instructions some jump goes to.
func pseudoTargets(prog []bpf.RawInstruction) []bool {
	t := make([]bool, len(prog)+256)
	for pc, ins := range prog {
		if !opcode.Op(ins.Op).IsJump() {
			continue
		}
		// fall-through needs no label
		if opcode.Op(ins.Op) == opcode.Ja {
			if to := uint64(pc) + 1 + uint64(ins.K); ins.K != 0 && to < uint64(len(prog)) {
				t[int(to)] = true
			}
			continue
		}
		if ins.Jt != 0 {
			t[pc+1+int(ins.Jt)] = true
		}
		if ins.Jf != 0 {
			t[pc+1+int(ins.Jf)] = true
		}
	}
	return t
}

// writePseudo writes a C-like listing. It names seccomp_data fields, arches,
// syscalls and actions where the program's data flow makes their meaning
// certain, and prints plain numbers otherwise.
func writePseudo(w io.Writer, prog []bpf.RawInstruction) error {
	st := pseudoFlow(prog)
	order := programOrder(prog, st)
	targets := pseudoTargets(prog)
	bw := bufio.NewWriter(w)
	packet := isPacketFilter(prog)
	if packet {
		fmt.Fprintf(bw, "// %d instructions; a packet filter (returns are byte counts)\n", len(prog))
	} else {
		desc := map[pseudoOrder]string{orderLE: "little endian", orderBE: "big endian", orderMixed: "mixed (per arch)"}[order]
		fmt.Fprintf(bw, "// %d instructions; a seccomp filter, 64-bit fields read as %s\n", len(prog), desc)
	}
	width := len(fmt.Sprintf("L%d:", len(prog))) + 1
	for pc := range prog {
		label := ""
		if targets[pc] {
			label = fmt.Sprintf("L%d:", pc)
		}
		line := pseudoStmt(prog, pc, st[pc], order, packet)
		if c := pseudoCanonical(prog[pc]); c != prog[pc] {
			line += " // also " + fieldDiff(prog[pc], c) + " (ignored by the kernel)"
		}
		if !st[pc].reached {
			line += " // unreachable"
		}
		fmt.Fprintf(bw, "%-*s%s\n", width, label, line)
	}
	return bw.Flush()
}
