package asm

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"golang.org/x/net/bpf"
)

// Offsets in struct seccomp_data.
const (
	seccompNr   = 0
	seccompArch = 4
	seccompIP   = 8
	seccompArgs = 16
	seccompEnd  = 64

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
	flow := func(to uint64, s pseudoState) {
		if to < uint64(len(prog)) {
			st[to] = st[to].join(s)
		}
	}
	for pc, ins := range prog {
		s := st[pc]
		if !s.reached {
			continue
		}
		switch ins.Op & 0x07 {
		case 0x00: // ld
			s.a = pvUnknown
			if ins.Op == 0x20 && ins.K == seccompNr {
				s.a = pvNr
			} else if ins.Op == 0x20 && ins.K == seccompArch {
				s.a = pvArch
			}
		case 0x01: // ldx
			s.x = pvUnknown
		case 0x04: // alu
			s.a = pvUnknown
		case 0x07: // misc
			switch ins.Op {
			case 0x87: // txa
				s.a = s.x
			case 0x07: // tax
				s.x = s.a
			default:
				s.a, s.x = pvUnknown, pvUnknown
			}
		case 0x06: // ret
			continue
		case 0x05: // jmp
			if ins.Op&0xf0 == 0x00 {
				flow(uint64(pc)+1+uint64(ins.K), s)
				continue
			}
			t := s
			if ins.Op == 0x15 && s.a == pvArch {
				t.archOK, t.archVal = true, ins.K
			}
			flow(uint64(pc)+1+uint64(ins.Jt), t)
			flow(uint64(pc)+1+uint64(ins.Jf), s)
			continue
		}
		flow(uint64(pc)+1, s)
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
		if st[pc].reached && st[pc].a == pvArch && ins.Op&0x0f == 0x05 && ins.Op&0xf0 != 0 {
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
	case k == seccompNr:
		return "nr"
	case k == seccompArch:
		return "arch"
	case k%4 != 0 || k >= seccompEnd:
		return fmt.Sprintf("*(u32 *)(data + %d)", int32(k))
	}
	field := "instruction_pointer"
	base := uint32(seccompIP)
	if k >= seccompArgs {
		i := (k - seccompArgs) / 8
		field = fmt.Sprintf("args[%d]", i)
		base = seccompArgs + 8*i
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

var pseudoALU = map[uint16]string{0x00: "+=", 0x10: "-=", 0x20: "*=", 0x30: "/=", 0x40: "|=", 0x50: "&=", 0x60: "<<=", 0x70: ">>=", 0x90: "%=", 0xa0: "^="}

// pseudoOperand is K of a comparison, named by what A holds.
func pseudoOperand(ins bpf.RawInstruction, s pseudoState) string {
	if ins.Op&0x08 != 0 {
		return "X"
	}
	switch s.a {
	case pvArch:
		return auditArchName(ins.K)
	case pvNr:
		if s.archOK && s.archVal == auditArchX86_64 && ins.K == x32SyscallBit && ins.Op&0x08 == 0 {
			return "X32_SYSCALL_BIT"
		}
		if s.archOK && ins.Op&0xf0 == 0x10 { // only jeq compares a syscall number
			if a := arch.ByAudit(s.archVal); a != nil {
				if name, ok := a.SyscallName(ins.K); ok {
					return name
				}
			}
		}
	}
	if ins.Op&0xf0 == 0x40 {
		return fmt.Sprintf("0x%x", ins.K)
	}
	return pseudoConst(ins.K)
}

func pseudoCond(op uint16, v string, negate bool) string {
	type pair struct{ pos, neg string }
	forms := map[uint16]pair{
		0x10: {"A == %s", "A != %s"},
		0x20: {"A > %s", "A <= %s"},
		0x30: {"A >= %s", "A < %s"},
		0x40: {"A & %s", "!(A & %s)"},
	}
	f := forms[op&0xf0]
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
		switch ins.Op {
		case 0x28, 0x30, 0x40, 0x48, 0x50, 0xb1:
			return true
		case 0x20:
			if ins.K >= seccompEnd {
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
	sizes := map[uint16]string{0x00: "u32", 0x08: "u16", 0x10: "u8"}
	k := ins.K
	switch ins.Op {
	case 0x20:
		if k >= pcapAdOff {
			if name, ok := pcapAdNames[k-pcapAdOff]; ok {
				return "A = ancillary[" + name + "]"
			}
		}
		return "A = " + seccompField(k, s, order)
	case 0x28, 0x30:
		if k >= pcapAdOff {
			if name, ok := pcapAdNames[k-pcapAdOff]; ok {
				return "A = ancillary[" + name + "]"
			}
		}
		return fmt.Sprintf("A = *(%s *)(data + %d)", sizes[ins.Op&0x18], int32(k))
	case 0x40, 0x48, 0x50:
		return fmt.Sprintf("A = *(%s *)(data + X + %d)", sizes[ins.Op&0x18], int32(k))
	case 0x80:
		return "A = len"
	case 0x81:
		return "X = len"
	case 0x00:
		return "A = " + pseudoConst(k)
	case 0x01:
		return "X = " + pseudoConst(k)
	case 0xb1:
		return fmt.Sprintf("X = 4 * (*(u8 *)(data + %d) & 0xf)", int32(k))
	case 0x60:
		return fmt.Sprintf("A = M[%d]", k)
	case 0x61:
		return fmt.Sprintf("X = M[%d]", k)
	case 0x02:
		return fmt.Sprintf("M[%d] = A", k)
	case 0x03:
		return fmt.Sprintf("M[%d] = X", k)
	case 0x84:
		return "A = -A"
	case 0x07:
		return "X = A"
	case 0x87:
		return "A = X"
	case 0x06:
		if packet {
			return fmt.Sprintf("return %d", k)
		}
		return "return " + action.String(k)
	case 0x16:
		return "return A"
	case 0x0e:
		return "return X"
	case 0x05:
		return "goto " + label(k)
	}
	if ins.Op&0x07 == 0x04 && ins.Op <= 0xff {
		if op, ok := pseudoALU[ins.Op&0xf0]; ok {
			if ins.Op&0x08 != 0 {
				return "A " + op + " X"
			}
			if ins.Op&0xf0 == 0x40 || ins.Op&0xf0 == 0x50 || ins.Op&0xf0 == 0xa0 {
				return fmt.Sprintf("A %s 0x%x", op, k)
			}
			return "A " + op + " " + pseudoConst(k)
		}
	}
	if ins.Op&0x07 == 0x05 && ins.Op <= 0xff && ins.Op&0xf0 >= 0x10 && ins.Op&0xf0 <= 0x40 {
		v := pseudoOperand(ins, s)
		switch {
		case ins.Jt != 0 && ins.Jf != 0:
			return fmt.Sprintf("if (%s) goto %s else goto %s", pseudoCond(ins.Op, v, false), label(uint32(ins.Jt)), label(uint32(ins.Jf)))
		case ins.Jf == 0 && ins.Jt != 0:
			return fmt.Sprintf("if (%s) goto %s", pseudoCond(ins.Op, v, false), label(uint32(ins.Jt)))
		case ins.Jt == 0 && ins.Jf != 0:
			return fmt.Sprintf("if (%s) goto %s", pseudoCond(ins.Op, v, true), label(uint32(ins.Jf)))
		}
		return fmt.Sprintf("if (%s) {} /* both branches go to L%d */", pseudoCond(ins.Op, v, false), pc+1)
	}
	return fmt.Sprintf("invalid instruction: code=0x%x jt=%d jf=%d k=0x%x", ins.Op, ins.Jt, ins.Jf, ins.K)
}

// pseudoCanonical is ins with the fields pseudoStmt does not print set to
// zero: those the kernel ignores (jt and jf but of conditional jumps, k of
// x operands, len loads, neg, tax, txa, ret a and ret x). An instruction
// the listing calls invalid prints every field.
func pseudoCanonical(ins bpf.RawInstruction) bpf.RawInstruction {
	c := ins
	if ins.Op&0x07 == 0x05 && ins.Op <= 0xff && ins.Op&0xf0 >= 0x10 && ins.Op&0xf0 <= 0x40 {
		if ins.Op&0x08 != 0 {
			c.K = 0
		}
		return c
	}
	c.Jt, c.Jf = 0, 0
	switch ins.Op {
	case 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x00, 0x01, 0xb1, 0x60, 0x61, 0x02, 0x03, 0x06, 0x05:
		return c
	case 0x80, 0x81, 0x84, 0x07, 0x87, 0x16, 0x0e:
		c.K = 0
		return c
	}
	if _, ok := pseudoALU[ins.Op&0xf0]; ok && ins.Op&0x07 == 0x04 && ins.Op <= 0xff {
		if ins.Op&0x08 != 0 {
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
		if ins.Op&0x07 != 0x05 {
			continue
		}
		// fall-through needs no label
		if ins.Op&0xf0 == 0x00 {
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
