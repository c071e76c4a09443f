package progen

import (
	"math/rand/v2"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// Mode selects the kind of program.
type Mode int

const (
	Seccomp Mode = iota // reads struct seccomp_data (64 bytes)
	Packet              // a socket filter reading a frame
)

// Opcode parts, from the opcode package, as the uint16 of
// bpf.RawInstruction.Op so the generators can combine them freely.
const (
	ld, ldx, st, stx = uint16(opcode.LD), uint16(opcode.LDX), uint16(opcode.ST), uint16(opcode.STX)
	alu, jmp, ret    = uint16(opcode.ALU), uint16(opcode.JMP), uint16(opcode.RET)
	misc             = uint16(opcode.MISC)

	sizeW, sizeH, sizeB = uint16(opcode.W), uint16(opcode.H), uint16(opcode.B)
	modeImm, modeAbs    = uint16(opcode.IMM), uint16(opcode.ABS)
	modeInd, modeMem    = uint16(opcode.IND), uint16(opcode.MEM)
	modeLen, modeMsh    = uint16(opcode.LEN), uint16(opcode.MSH)

	opAdd, opSub, opMul = uint16(opcode.ADD), uint16(opcode.SUB), uint16(opcode.MUL)
	opDiv, opOr, opAnd  = uint16(opcode.DIV), uint16(opcode.OR), uint16(opcode.AND)
	opLsh, opRsh, opNeg = uint16(opcode.LSH), uint16(opcode.RSH), uint16(opcode.NEG)
	opMod, opXor        = uint16(opcode.MOD), uint16(opcode.XOR)

	srcK, srcX = uint16(opcode.K), uint16(opcode.X)

	jA, jEq, jGt, jGe, jSet = uint16(opcode.JA), uint16(opcode.JEQ), uint16(opcode.JGT), uint16(opcode.JGE), uint16(opcode.JSET)

	retK, retA = uint16(opcode.K), uint16(opcode.A)
	tax, txa   = uint16(opcode.TAX), uint16(opcode.TXA)

	ancOff = opcode.SkfAdOff
)

// Ancillary loads whose values are fixed for a frame on lo (not random,
// cpu, rxhash, payload offset or netlink attributes).
var ancillary = []uint32{
	0,  // protocol
	4,  // pkttype
	8,  // ifindex
	20, // mark
	24, // queue
	28, // hatype
	40, // A ^= X
	44, // vlan tag
	48, // vlan tag present
}

// Syscall return values seen in real filters, and some that are not.
var seccompRets = []uint32{
	0x7fff0000, 0x80000000, 0x00000000, 0x00050001, 0x0005000d, 0x00050fff,
	0x00051000, 0x0005ffff, 0x00030007, 0x7ff00001, 0x7ffc0000, 0x7fc00000,
	0x00010000, 0xffffffff, 0x12345678,
}

// Options tunes the generator; the zero value is a good default.
type Options struct {
	// Len is the number of instructions; 0 picks one: mostly short
	// programs, sometimes long ones with jumps near 255.
	Len int
}

// Program returns a random program for mode that the kernel accepts.
func Program(r *rand.Rand, mode Mode, o Options) []bpf.RawInstruction {
	n := o.Len
	if n <= 0 {
		switch x := r.IntN(20); {
		case x == 0:
			n = 256 + r.IntN(400)
		case x < 4:
			n = 1 + r.IntN(6)
		default:
			n = 6 + r.IntN(50)
		}
	}
	g := &gen{r: r, mode: mode, n: n, masks: make([]uint16, n+1)}
	for i := range g.masks {
		g.masks[i] = 0xffff
	}
	for pc := 0; pc < n; pc++ {
		g.memvalid &= g.masks[pc]
		g.prog = append(g.prog, g.next(pc))
	}
	return g.prog
}

type gen struct {
	r    *rand.Rand
	mode Mode
	n    int
	prog []bpf.RawInstruction
	// The kernel's check that scratch memory is written before it is read
	// (check_load_and_stores), replayed as we go: masks[pc] is what every
	// jump to pc has written, memvalid what is written here. Like the
	// kernel, a return does not reset memvalid for the next instruction.
	masks    []uint16
	memvalid uint16
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) pick(xs []uint32) uint32 { return xs[g.r.IntN(len(xs))] }

// pickOp is pick for opcode parts.
func (g *gen) pickOp(xs ...uint16) uint16 { return xs[g.r.IntN(len(xs))] }

// konst returns an interesting 32-bit constant.
func (g *gen) konst() uint32 {
	switch g.r.IntN(10) {
	case 0:
		return 0
	case 1:
		return 0xffffffff
	case 2:
		return 1 << g.r.IntN(32)
	case 3:
		return g.r.Uint32()
	case 4:
		if g.mode == Seccomp {
			return g.pick([]uint32{0xc000003e, 0x40000003, 0x40000000, 0x7fffffff, 0x80000000})
		}
		return g.pick([]uint32{0x0800, 0x86dd, 0x0806, 0x45, 0x11, 0x06, 0xffff, 0x0004, 0x0001})
	case 5:
		// A constant the program already uses, maybe off by one.
		if len(g.prog) > 0 {
			in := g.prog[g.r.IntN(len(g.prog))]
			if c := in.Op & 7; c == jmp || c == alu || c == ld || c == ldx {
				return in.K + uint32(g.r.IntN(3)) - 1
			}
		}
		return uint32(g.r.IntN(64))
	default:
		return uint32(g.r.IntN(400))
	}
}

func (g *gen) next(pc int) bpf.RawInstruction {
	last := pc == g.n-1
	if last || g.chance(0.06) {
		return g.ret()
	}
	switch x := g.r.IntN(100); {
	case x < 22:
		return g.load()
	case x < 50:
		return g.aluOp()
	case x < 72 && pc+2 < g.n:
		return g.jump(pc)
	case x < 80:
		return bpf.RawInstruction{Op: misc | g.pickOp(tax, txa)}
	case x < 90:
		k := uint32(g.r.IntN(16))
		g.memvalid |= 1 << k
		return bpf.RawInstruction{Op: g.pickOp(st, stx), K: k}
	default:
		var ok []uint32
		for k := uint32(0); k < 16; k++ {
			if g.memvalid&(1<<k) != 0 {
				ok = append(ok, k)
			}
		}
		if len(ok) == 0 {
			return g.load()
		}
		return bpf.RawInstruction{Op: g.pickOp(ld, ldx) | modeMem, K: g.pick(ok)}
	}
}

func (g *gen) ret() bpf.RawInstruction {
	if g.chance(0.35) {
		return bpf.RawInstruction{Op: ret | retA}
	}
	if g.mode == Seccomp {
		if g.chance(0.8) {
			return bpf.RawInstruction{Op: ret | retK, K: g.pick(seccompRets)}
		}
		return bpf.RawInstruction{Op: ret | retK, K: g.konst()}
	}
	switch g.r.IntN(4) {
	case 0:
		return bpf.RawInstruction{Op: ret | retK, K: 0}
	case 1:
		return bpf.RawInstruction{Op: ret | retK, K: g.pick([]uint32{0xffff, 0xffffffff, 0x40000})}
	default:
		return bpf.RawInstruction{Op: ret | retK, K: uint32(g.r.IntN(130))}
	}
}

func (g *gen) load() bpf.RawInstruction {
	if g.mode == Seccomp {
		switch x := g.r.IntN(10); {
		case x < 7:
			// nr and arch most often, then the arguments' halves.
			offs := []uint32{0, 0, 4, 16, 20, 24, 8, 12}
			k := g.pick(offs)
			if g.chance(0.4) {
				k = uint32(4 * g.r.IntN(16))
			}
			return bpf.RawInstruction{Op: ld | sizeW | modeAbs, K: k}
		case x < 8:
			return bpf.RawInstruction{Op: g.pickOp(ld, ldx) | modeLen}
		default:
			return bpf.RawInstruction{Op: g.pickOp(ld, ldx) | modeImm, K: g.konst()}
		}
	}
	size := g.pickOp(sizeW, sizeH, sizeB)
	off := func() uint32 {
		if g.chance(0.7) {
			return uint32(g.r.IntN(40))
		}
		return uint32(g.r.IntN(130)) // near or past the end of short frames
	}
	switch x := g.r.IntN(20); {
	case x < 8:
		return bpf.RawInstruction{Op: ld | size | modeAbs, K: off()}
	case x < 11:
		k := off()
		if g.chance(0.1) {
			k = 0xffffffff - uint32(g.r.IntN(4)) // X+k wraps
		}
		return bpf.RawInstruction{Op: ld | size | modeInd, K: k}
	case x < 13:
		return bpf.RawInstruction{Op: ldx | sizeB | modeMsh, K: off()}
	case x < 15:
		return bpf.RawInstruction{Op: g.pickOp(ld, ldx) | modeLen}
	case x < 17:
		return bpf.RawInstruction{Op: ld | sizeW | modeAbs, K: ancOff + g.pick(ancillary)}
	case x < 18:
		// Relative to the network (SKF_NET_OFF) or link-layer
		// (SKF_LL_OFF) header.
		base := g.pick([]uint32{0xfff00000, 0xffe00000})
		return bpf.RawInstruction{Op: ld | size | modeAbs, K: base + uint32(g.r.IntN(60))}
	default:
		return bpf.RawInstruction{Op: g.pickOp(ld, ldx) | modeImm, K: g.konst()}
	}
}

func (g *gen) aluOp() bpf.RawInstruction {
	ops := []uint16{opAdd, opSub, opMul, opDiv, opOr, opAnd, opLsh, opRsh, opNeg, opXor, opLsh, opRsh, opDiv}
	if g.mode == Packet {
		ops = append(ops, opMod, opMod)
	}
	op := g.pickOp(ops...)
	if op == opNeg {
		return bpf.RawInstruction{Op: alu | opNeg}
	}
	if g.chance(0.45) {
		return bpf.RawInstruction{Op: alu | op | srcX}
	}
	k := g.konst()
	switch op {
	case opLsh, opRsh:
		k = uint32(g.r.IntN(32)) // the kernel rejects constant shifts >= 32
	case opDiv, opMod:
		if k == 0 {
			k = 1 + uint32(g.r.IntN(20))
		}
	}
	return bpf.RawInstruction{Op: alu | op | srcK, K: k}
}

func (g *gen) jump(pc int) bpf.RawInstruction {
	room := g.n - 2 - pc // offsets 0..room land on pc+1..n-1
	off := func(limit int) int {
		limit = min(limit, room)
		switch {
		case g.chance(0.1):
			return max(0, limit-g.r.IntN(3)) // the far end, near 255 in long programs
		case g.chance(0.7):
			return g.r.IntN(min(limit, 6) + 1)
		default:
			return g.r.IntN(limit + 1)
		}
	}
	var in bpf.RawInstruction
	if g.chance(0.08) {
		in = bpf.RawInstruction{Op: jmp | jA, K: uint32(off(1 << 20))}
		g.masks[pc+1+int(in.K)] &= g.memvalid
	} else {
		cond := g.pickOp(jEq, jEq, jGt, jGe, jSet)
		in = bpf.RawInstruction{Op: jmp | cond, Jt: uint8(off(255)), Jf: uint8(off(255))}
		if g.chance(0.2) {
			in.Op |= srcX
		} else {
			in.K = g.konst()
			if cond == jSet && g.chance(0.3) {
				in.K = g.pick([]uint32{0xffffffff, 1, 0x80000000, 0x40000000})
			}
		}
		g.masks[pc+1+int(in.Jt)] &= g.memvalid
		g.masks[pc+1+int(in.Jf)] &= g.memvalid
	}
	g.memvalid = 0xffff
	return in
}
