package vm

import "unsafe"

// next returns the instruction d instructions after in. New checked every
// jump, and every path ends in a return before the end of the program, so
// the result is always inside the program: no bounds check is needed (and
// none is paid). Jumps are relative, so the loop needs no base register.
func next(in *finsn, d uint16) *finsn {
	return (*finsn)(unsafe.Add(unsafe.Pointer(in), uintptr(d)*finsnSize))
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

// chain runs the jeq #k chain of n instructions that starts at in, on a:
// it returns where the program goes next and how many of the chain's
// instructions ran.
func chain(in *finsn, n int, a uint32) (*finsn, int) {
	for j := 0; j < n-1; j++ {
		if in.k == a {
			return next(in, in.jt), j + 1
		}
		in = next(in, 1)
	}
	return next(in, jif(in.k == a, in)), n
}

// jif picks the jump's offset.
func jif(cond bool, in *finsn) uint16 {
	if cond {
		return in.jt
	}
	return in.jf
}

// runFast runs the program without options. Packet runs pass the packet
// as p and plen, the length "len" reads as wire, and meta; seccomp runs
// pass the 16 words of seccomp_data as p (ld [k] reads the word at p+k)
// and wire = 64. n counts instructions executed (a superinstruction adds
// what it covers); a fault returns 0 with n counting the instruction that
// faulted.
//
// The inner loop makes no calls and keeps few values live: in Go a call in
// the loop, or more live values than registers, makes the register
// allocator keep A, X and the position on the stack and reload them on
// every iteration (measured: several loads and stores per instruction).
// The rare instructions (ancillary loads, negative offsets, indirect loads
// that miss the simple bounds check) leave it for slowStep, which runs one
// plain instruction, and go back in.
func (m *Machine) runFast(p unsafe.Pointer, plen uint, wire uint32, meta *Meta) Result {
	var mem [memWords]uint32
	var a, x, ret uint32
	n := 0
	in := &m.fast[0]
	for {
		for {
			n++
			switch in.op {
			case opRetK:
				ret = in.k
				goto done
			case opRetA:
				ret = a
				goto done
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
				// k is a checked, aligned offset below 64 into the 16 words.
				a = *(*uint32)(unsafe.Add(p, in.k))
			case opLdAbsW:
				// k < 2^31 here (negative offsets are opLdNeg), so k+4
				// does not wrap.
				if uint(in.k)+4 > plen {
					goto done
				}
				a = be32(p, uint(in.k))
			case opLdAbsH:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
			case opLdAbsB:
				if uint(in.k) >= plen {
					goto done
				}
				a = b8(p, uint(in.k))
			case opLdIndW:
				// X+k wraps in 32 bits; an offset that misses the packet
				// may still be a valid negative one: slowStep decides.
				off := uint(x + in.k)
				if off+4 > plen {
					goto slow
				}
				a = be32(p, off)
			case opLdIndH:
				off := uint(x + in.k)
				if off+2 > plen {
					goto slow
				}
				a = be16(p, off)
			case opLdIndB:
				off := uint(x + in.k)
				if off >= plen {
					goto slow
				}
				a = b8(p, off)
			case opLdxMsh:
				if uint(in.k) >= plen {
					goto slow
				}
				x = (b8(p, uint(in.k)) & 0xf) << 2
			case opLdNeg, opAnc:
				goto slow
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
					goto done
				}
				a /= x
			case opModX:
				if x == 0 {
					goto done
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
				in = next(in, in.jt)
				continue
			case opJeqK:
				in = next(in, jif(a == in.k, in))
				continue
			case opJgtK:
				in = next(in, jif(a > in.k, in))
				continue
			case opJgeK:
				in = next(in, jif(a >= in.k, in))
				continue
			case opJsetK:
				in = next(in, jif(a&in.k != 0, in))
				continue
			case opJeqX:
				in = next(in, jif(a == x, in))
				continue
			case opJgtX:
				in = next(in, jif(a > x, in))
				continue
			case opJgeX:
				in = next(in, jif(a >= x, in))
				continue
			case opJsetX:
				in = next(in, jif(a&x != 0, in))
				continue
			case opTax:
				x = a
			case opTxa:
				a = x
			case opJeqChain:
				var c int
				in, c = chain(in, int(in.end), a)
				n += c - 1
				continue

			// Superinstructions: the load, counted by the n++ above,
			// then the jump, counted at jump.
			case opLdAbsWJeq, opLdAbsWJset, opLdAbsWChain:
				if uint(in.k)+4 > plen {
					goto done
				}
				a = be32(p, uint(in.k))
				goto jump
			case opLdAbsHJeq, opLdAbsHJset, opLdAbsHJgt, opLdAbsHJge, opLdAbsHChain:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
				goto jump
			case opLdAbsBJeq, opLdAbsBJset, opLdAbsBChain:
				if uint(in.k) >= plen {
					goto done
				}
				a = b8(p, uint(in.k))
				goto jump
			case opLdSecJeq:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in = next(in, jif(a == in.k2, in))
				continue
			case opLdSecJset:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in = next(in, jif(a&in.k2 != 0, in))
				continue
			case opLdSecJgt:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in = next(in, jif(a > in.k2, in))
				continue
			case opLdSecJge:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in = next(in, jif(a >= in.k2, in))
				continue
			case opLdSecChain:
				a = *(*uint32)(unsafe.Add(p, in.k))
				var c int
				in, c = chain(next(in, 1), int(in.end), a)
				n += c
				continue
			case opLdIndHJeq, opLdIndHChain:
				off := uint(x + in.k)
				if off+2 > plen {
					goto slow
				}
				a = be16(p, off)
				goto jump
			case opLdIndBJeq, opLdIndBChain:
				off := uint(x + in.k)
				if off >= plen {
					goto slow
				}
				a = b8(p, off)
				goto jump
			case opMshLdIndH, opMshLdIndB:
				if uint(in.k) >= plen {
					goto slow
				}
				x = (b8(p, uint(in.k)) & 0xf) << 2
				// Now the indirect load, the next instruction: if it goes
				// to slowStep, it goes from there.
				half, off := in.op == opMshLdIndH, uint(x+in.k2)
				in = next(in, 1)
				n++
				if half {
					if off+2 > plen {
						goto slow
					}
					a = be16(p, off)
				} else {
					if off >= plen {
						goto slow
					}
					a = b8(p, off)
				}
			}
			in = next(in, 1)
			continue

		jump:
			// The jump half of a packet load superinstruction: in.op
			// says which jump, in.k2 is its constant.
			n++
			switch in.op {
			case opLdAbsWJeq, opLdAbsHJeq, opLdAbsBJeq, opLdIndHJeq, opLdIndBJeq:
				in = next(in, jif(a == in.k2, in))
			case opLdAbsWJset, opLdAbsHJset, opLdAbsBJset:
				in = next(in, jif(a&in.k2 != 0, in))
			case opLdAbsHJgt:
				in = next(in, jif(a > in.k2, in))
			case opLdAbsHJge:
				in = next(in, jif(a >= in.k2, in))
			default: // the chains, from the next instruction on
				var c int
				in, c = chain(next(in, 1), int(in.end), a)
				n += c - 1
			}
		}
	slow:
		// in, counted already, is for slowStep, which runs its plain form.
		pc := (uintptr(unsafe.Pointer(in)) - uintptr(unsafe.Pointer(&m.fast[0]))) / finsnSize
		var ok bool
		if a, x, ok = slowStep(&m.insns[pc], unsafe.Slice((*byte)(p), plen), meta, a, x); !ok {
			return Result{Insns: n}
		}
		in = next(in, 1)
	}
done:
	return Result{Ret: ret, Insns: n}
}

// slowStep runs in, one of the instructions runFast leaves to it, on A and
// X. ok is false when the program ends there with 0 (a load that fails).
func slowStep(in *insn, pkt []byte, meta *Meta, a, x uint32) (a2, x2 uint32, ok bool) {
	switch in.op {
	case opLdNeg:
		a, ok = load(pkt, meta, int32(in.k), int(in.jt))
	case opLdIndW:
		a, ok = load(pkt, meta, int32(x+in.k), 4)
	case opLdIndH:
		a, ok = load(pkt, meta, int32(x+in.k), 2)
	case opLdIndB:
		a, ok = load(pkt, meta, int32(x+in.k), 1)
	case opLdxMsh:
		var v uint32
		v, ok = load(pkt, meta, int32(in.k), 1)
		x = (v & 0xf) << 2
	case opAnc:
		a, ok = ancillary(in.k, pkt, meta, a, x), true
	}
	return a, x, ok
}
