package vm

import "unsafe"

// at returns the instruction at pc. New checked every jump target, and
// every path ends in a return before the end of the program, so pc is
// always in range: no bounds check is needed (and none is paid).
func at(base unsafe.Pointer, pc int) *finsn {
	return (*finsn)(unsafe.Add(base, uintptr(pc)*finsnSize))
}

// be32, be16 and b8 read big-endian values at p+off. Callers have checked
// that off+size <= len(pkt). The byte-wise form is the one the compiler
// merges into a single load and byte swap where unaligned loads are
// allowed, and leaves as byte loads where they are not.
func be32(p unsafe.Pointer, off uint) uint32 {
	b := (*[4]byte)(unsafe.Add(p, off))
	return uint32(b[3]) | uint32(b[2])<<8 | uint32(b[1])<<16 | uint32(b[0])<<24
}

func be16(p unsafe.Pointer, off uint) uint32 {
	b := (*[2]byte)(unsafe.Add(p, off))
	return uint32(b[1]) | uint32(b[0])<<8
}

func b8(p unsafe.Pointer, off uint) uint32 {
	return uint32(*(*byte)(unsafe.Add(p, off)))
}

// chain runs the jeq #k chain over [start, end) on a: it returns where
// the program goes next and how many of the chain's instructions ran. ks
// holds every instruction's k.
func chain(base, ks unsafe.Pointer, start, end int, a uint32) (pc, count int) {
	for j := start; j < end; j++ {
		if *(*uint32)(unsafe.Add(ks, uintptr(j)*4)) == a {
			return int(at(base, j).jt), j - start + 1
		}
	}
	return int(at(base, end-1).jf), end - start
}

// runFast runs the program without options. Seccomp runs pass sd (the 16
// words of seccomp_data) and no packet; packet runs pass pkt, the length
// "len" reads, and meta. n counts instructions executed (a
// superinstruction adds what it covers); a fault returns 0 with n counting
// the instruction that faulted.
func (m *Machine) runFast(pkt []byte, wire uint32, meta *Meta, sd *[16]uint32) Result {
	var mem [memWords]uint32
	var a, x uint32
	n, pc := 0, 0
	base := unsafe.Pointer(unsafe.SliceData(m.fast.insns))
	ks := unsafe.Pointer(unsafe.SliceData(m.fast.ks))
	pp := unsafe.Pointer(unsafe.SliceData(pkt))
	plen := uint(len(pkt))
	var ok bool
	for {
		in := at(base, pc)
		pc++
		n++
		switch in.op {
		case opRetK:
			return Result{Ret: in.k, Insns: n}
		case opRetA:
			return Result{Ret: a, Insns: n}
		case opLdImm:
			a = in.k
		case opLdxImm:
			x = in.k
		case opLdMem:
			a = mem[in.k&(memWords-1)]
		case opLdxMem:
			x = mem[in.k&(memWords-1)]
		case opSt:
			mem[in.k&(memWords-1)] = a
		case opStx:
			mem[in.k&(memWords-1)] = x
		case opLdLen:
			a = wire
		case opLdxLen:
			x = wire
		case opLdSec:
			a = sd[in.k&15]
		case opLdAbsW:
			// k < 2^31 here (negative offsets are opLdNeg), so k+4 does
			// not wrap.
			if uint(in.k)+4 > plen {
				return Result{Insns: n}
			}
			a = be32(pp, uint(in.k))
		case opLdAbsH:
			if uint(in.k)+2 > plen {
				return Result{Insns: n}
			}
			a = be16(pp, uint(in.k))
		case opLdAbsB:
			if uint(in.k) >= plen {
				return Result{Insns: n}
			}
			a = b8(pp, uint(in.k))
		case opLdIndW:
			// X+k wraps in 32 bits; an offset that misses the packet may
			// still be a valid negative one, so load decides.
			if off := uint(x + in.k); off+4 <= plen {
				a = be32(pp, off)
			} else if a, ok = load(pkt, meta, int32(x+in.k), 4); !ok {
				return Result{Insns: n}
			}
		case opLdIndH:
			if off := uint(x + in.k); off+2 <= plen {
				a = be16(pp, off)
			} else if a, ok = load(pkt, meta, int32(x+in.k), 2); !ok {
				return Result{Insns: n}
			}
		case opLdIndB:
			if off := uint(x + in.k); off < plen {
				a = b8(pp, off)
			} else if a, ok = load(pkt, meta, int32(x+in.k), 1); !ok {
				return Result{Insns: n}
			}
		case opLdxMsh:
			var v uint32
			if uint(in.k) < plen {
				v = b8(pp, uint(in.k))
			} else if v, ok = load(pkt, meta, int32(in.k), 1); !ok {
				return Result{Insns: n}
			}
			x = (v & 0xf) << 2
		case opLdNeg:
			if a, ok = load(pkt, meta, int32(in.k), int(in.end)); !ok {
				return Result{Insns: n}
			}
		case opAnc:
			a = ancillary(in.k, pkt, meta, a, x)
		case opAddK:
			a += in.k
		case opSubK:
			a -= in.k
		case opMulK:
			a *= in.k
		case opDivK:
			a /= in.k // New rejects k == 0
		case opModK:
			a %= in.k
		case opAndK:
			a &= in.k
		case opOrK:
			a |= in.k
		case opXorK:
			a ^= in.k
		case opLshK:
			a <<= in.k & 31 // New rejects k >= 32
		case opRshK:
			a >>= in.k & 31
		case opAddX:
			a += x
		case opSubX:
			a -= x
		case opMulX:
			a *= x
		case opDivX:
			if x == 0 {
				return Result{Insns: n}
			}
			a /= x
		case opModX:
			if x == 0 {
				return Result{Insns: n}
			}
			a %= x
		case opAndX:
			a &= x
		case opOrX:
			a |= x
		case opXorX:
			a ^= x
		case opLshX:
			a <<= x & 31 // ALU32 shift semantics, see exec
		case opRshX:
			a >>= x & 31
		case opNeg:
			a = -a
		case opJa:
			pc = int(in.jt)
		case opJeqK:
			pc = jif(a == in.k, in)
		case opJgtK:
			pc = jif(a > in.k, in)
		case opJgeK:
			pc = jif(a >= in.k, in)
		case opJsetK:
			pc = jif(a&in.k != 0, in)
		case opJeqX:
			pc = jif(a == x, in)
		case opJgtX:
			pc = jif(a > x, in)
		case opJgeX:
			pc = jif(a >= x, in)
		case opJsetX:
			pc = jif(a&x != 0, in)
		case opTax:
			x = a
		case opTxa:
			a = x
		case opJeqChain:
			var c int
			pc, c = chain(base, ks, pc-1, int(in.end), a)
			n += c - 1

		// Superinstructions: the load, counted by the n++ above, then the
		// jump, counted here.
		case opLdAbsWJeq, opLdAbsWJset, opLdAbsWChain:
			if uint(in.k)+4 > plen {
				return Result{Insns: n}
			}
			a = be32(pp, uint(in.k))
			goto jump
		case opLdAbsHJeq, opLdAbsHJset, opLdAbsHJgt, opLdAbsHJge, opLdAbsHChain:
			if uint(in.k)+2 > plen {
				return Result{Insns: n}
			}
			a = be16(pp, uint(in.k))
			goto jump
		case opLdAbsBJeq, opLdAbsBJset, opLdAbsBChain:
			if uint(in.k) >= plen {
				return Result{Insns: n}
			}
			a = b8(pp, uint(in.k))
			goto jump
		case opLdSecJeq:
			a = sd[in.k&15]
			n++
			pc = jif(a == in.k2, in)
		case opLdSecJset:
			a = sd[in.k&15]
			n++
			pc = jif(a&in.k2 != 0, in)
		case opLdSecJgt:
			a = sd[in.k&15]
			n++
			pc = jif(a > in.k2, in)
		case opLdSecJge:
			a = sd[in.k&15]
			n++
			pc = jif(a >= in.k2, in)
		case opLdSecChain:
			a = sd[in.k&15]
			var c int
			pc, c = chain(base, ks, pc, int(in.end), a)
			n += c
		case opLdIndHJeq, opLdIndHChain:
			if off := uint(x + in.k); off+2 <= plen {
				a = be16(pp, off)
			} else if a, ok = load(pkt, meta, int32(x+in.k), 2); !ok {
				return Result{Insns: n}
			}
			goto jump
		case opLdIndBJeq, opLdIndBChain:
			if off := uint(x + in.k); off < plen {
				a = b8(pp, off)
			} else if a, ok = load(pkt, meta, int32(x+in.k), 1); !ok {
				return Result{Insns: n}
			}
			goto jump
		case opMshLdIndH, opMshLdIndB:
			var v uint32
			if uint(in.k) < plen {
				v = b8(pp, uint(in.k))
			} else if v, ok = load(pkt, meta, int32(in.k), 1); !ok {
				return Result{Insns: n}
			}
			x = (v & 0xf) << 2
			pc++ // past the indirect load too
			n++
			size := 2
			if in.op == opMshLdIndB {
				size = 1
			}
			if off := uint(x + in.k2); off+uint(size) <= plen {
				if size == 2 {
					a = be16(pp, off)
				} else {
					a = b8(pp, off)
				}
			} else if a, ok = load(pkt, meta, int32(x+in.k2), size); !ok {
				return Result{Insns: n}
			}
		}
		continue

	jump:
		// The jump half of a packet load superinstruction: in.op says
		// which jump, in.k2 is its constant.
		n++
		switch in.op {
		case opLdAbsWJeq, opLdAbsHJeq, opLdAbsBJeq, opLdIndHJeq, opLdIndBJeq:
			pc = jif(a == in.k2, in)
		case opLdAbsWJset, opLdAbsHJset, opLdAbsBJset:
			pc = jif(a&in.k2 != 0, in)
		case opLdAbsHJgt:
			pc = jif(a > in.k2, in)
		case opLdAbsHJge:
			pc = jif(a >= in.k2, in)
		default: // the chains
			var c int
			pc, c = chain(base, ks, pc, int(in.end), a)
			n += c - 1
		}
	}
}

// jif picks the jump's target.
func jif(cond bool, in *finsn) int {
	if cond {
		return int(in.jt)
	}
	return int(in.jf)
}
