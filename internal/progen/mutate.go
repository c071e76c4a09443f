package progen

import (
	"math/rand/v2"

	"golang.org/x/net/bpf"
)

// Mutation names a way Invalid breaks a program.
type Mutation string

// The mutations. Every one makes a program the kernel rejects in the
// modes Modes lists.
const (
	JumpOutOfRange  Mutation = "conditional jump past the end"
	JaOutOfRange    Mutation = "ja past the end"
	ScratchUnset    Mutation = "scratch read before any write"
	ScratchOnePath  Mutation = "scratch written on only one path"
	DivByZero       Mutation = "division by constant zero"
	ModByZero       Mutation = "modulo by constant zero"
	Empty           Mutation = "no instructions"
	TooLong         Mutation = "4097 instructions"
	NoFinalReturn   Mutation = "last instruction not a return"
	ShiftTooFar     Mutation = "constant shift by 32 or more"
	UnknownOpcode   Mutation = "unknown opcode"
	RetX            Mutation = "ret x"
	ScratchIndex    Mutation = "scratch index 16 or more"
	SeccompByteLoad Mutation = "byte or half-word load (seccomp)"
	SeccompMisalign Mutation = "misaligned load (seccomp)"
	SeccompPastEnd  Mutation = "load at or past offset 64 (seccomp)"
	SeccompIndirect Mutation = "indirect or msh load (seccomp)"
	SeccompAncil    Mutation = "ancillary load (seccomp)"
	SeccompMod      Mutation = "mod (seccomp)"
)

// Mutations lists the mutations that make a program invalid in mode.
func Mutations(mode Mode) []Mutation {
	ms := []Mutation{JumpOutOfRange, JaOutOfRange, ScratchUnset, ScratchOnePath,
		DivByZero, ModByZero, Empty, TooLong, NoFinalReturn, ShiftTooFar,
		UnknownOpcode, RetX, ScratchIndex}
	if mode == Seccomp {
		ms = append(ms, SeccompByteLoad, SeccompMisalign, SeccompPastEnd,
			SeccompIndirect, SeccompAncil, SeccompMod)
	}
	return ms
}

// Invalid returns a copy of prog (a valid program) broken by mutation m.
func Invalid(r *rand.Rand, prog []bpf.RawInstruction, m Mutation) []bpf.RawInstruction {
	p := append([]bpf.RawInstruction(nil), prog...)
	// Prepending keeps every relative jump of prog valid.
	front := func(ins ...bpf.RawInstruction) []bpf.RawInstruction {
		return append(ins, p...)
	}
	n := len(p)
	switch m {
	case JumpOutOfRange:
		// Past the end by 1..2 from a position near the end.
		at := max(0, n-200) + r.IntN(min(n, 200))
		d := n - at - 1
		p = append(p[:at:at], append([]bpf.RawInstruction{{Op: jmp | jEq, Jt: uint8(d + 1 + r.IntN(2))}}, p[at:]...)...)
		if r.IntN(2) == 0 {
			p[at].Jt, p[at].Jf = p[at].Jf, p[at].Jt
		}
		return p
	case JaOutOfRange:
		return front(bpf.RawInstruction{Op: jmp | jA, K: uint32(n + r.IntN(3))})
	case ScratchUnset:
		return front(bpf.RawInstruction{Op: uint16(ld|modeMem) | uint16(r.IntN(2)), K: uint32(r.IntN(16))})
	case ScratchOnePath:
		k := uint32(r.IntN(16))
		return front(
			bpf.RawInstruction{Op: jmp | jEq, Jt: 1, K: uint32(r.IntN(5))},
			bpf.RawInstruction{Op: st, K: k},
			bpf.RawInstruction{Op: ld | modeMem, K: k},
			bpf.RawInstruction{Op: ld | modeImm},
		)
	case DivByZero:
		return front(bpf.RawInstruction{Op: alu | opDiv | srcK})
	case ModByZero:
		return front(bpf.RawInstruction{Op: alu | opMod | srcK})
	case Empty:
		return nil
	case TooLong:
		pad := make([]bpf.RawInstruction, max(0, 4097-n))
		for i := range pad {
			pad[i] = bpf.RawInstruction{Op: alu | opAdd | srcK, K: 1}
		}
		return front(pad...)
	case NoFinalReturn:
		return append(p, bpf.RawInstruction{Op: misc | tax})
	case ShiftTooFar:
		op := g(r, opLsh, opRsh)
		return front(bpf.RawInstruction{Op: alu | op | srcK, K: 32 + uint32(r.IntN(100))})
	case UnknownOpcode:
		bad := []uint16{0xff, alu | 0xb0, alu | 0xc0, alu | 0xf0, jmp | 0x50, jmp | 0x60, ld | 0xe0, ld | 0x18 | modeAbs, ldx | modeAbs, st | 0x08, 0x0f}
		return front(bpf.RawInstruction{Op: bad[r.IntN(len(bad))]})
	case RetX:
		return append(p, bpf.RawInstruction{Op: ret | srcX})
	case ScratchIndex:
		return front(bpf.RawInstruction{Op: g(r, st, stx), K: 16 + uint32(r.IntN(1000))})
	case SeccompByteLoad:
		return front(bpf.RawInstruction{Op: ld | g(r, sizeB, sizeH) | modeAbs, K: uint32(4 * r.IntN(16))})
	case SeccompMisalign:
		return front(bpf.RawInstruction{Op: ld | sizeW | modeAbs, K: uint32(4*r.IntN(15) + 1 + r.IntN(3))})
	case SeccompPastEnd:
		return front(bpf.RawInstruction{Op: ld | sizeW | modeAbs, K: 64 + uint32(4*r.IntN(100))})
	case SeccompIndirect:
		if r.IntN(2) == 0 {
			return front(bpf.RawInstruction{Op: ldx | sizeB | modeMsh, K: uint32(r.IntN(64))})
		}
		return front(bpf.RawInstruction{Op: ld | sizeW | modeInd, K: uint32(4 * r.IntN(16))})
	case SeccompAncil:
		return front(bpf.RawInstruction{Op: ld | sizeW | modeAbs, K: ancOff + ancillary[r.IntN(len(ancillary))]})
	case SeccompMod:
		return front(bpf.RawInstruction{Op: alu | opMod | srcK, K: 7})
	}
	panic("progen: unknown mutation " + string(m))
}

func g[T any](r *rand.Rand, a, b T) T {
	if r.IntN(2) == 0 {
		return a
	}
	return b
}
