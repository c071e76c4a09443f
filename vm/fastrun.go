package vm

import "unsafe"

// jmpTo returns the instruction off bytes after in; succ the next one.
// New checked every jump, and every path ends in a return before the end
// of the program, so the result is always inside the program: no bounds
// check is needed (and none is paid). Jumps are relative and in bytes, so
// the loop needs neither a base register nor a multiply.
func jmpTo(in *finsn, off uint16) *finsn {
	return (*finsn)(unsafe.Add(unsafe.Pointer(in), uintptr(off)))
}

func succ(in *finsn) *finsn {
	return (*finsn)(unsafe.Add(unsafe.Pointer(in), finsnSize))
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
// instructions ran. Each member's false branch is the next instruction.
func chain(in *finsn, n int, a uint32) (*finsn, int) {
	for j := 1; j < n; j++ {
		if in.k == a {
			return jmpTo(in, in.jt), j
		}
		in = succ(in)
	}
	return jmpTo(in, jif(in.k == a, in)), n
}

// jif picks the jump's offset.
func jif(cond bool, in *finsn) uint16 {
	if cond {
		return in.jt
	}
	return in.jf
}

// runFast runs the program without options. Packet runs pass the packet
// as p and plen, its length as wire (what "len" reads unless meta.WireLen
// is set), and meta; seccomp runs pass the 16 words of seccomp_data as p
// (ld [k] reads the word at p+k), wire = 64 and no meta. n counts instructions executed (a superinstruction adds
// what it covers); a fault returns 0 with n counting the instruction that
// faulted.
//
// The inner loop makes no calls and keeps few values live: in Go a call in
// the loop, or more live values than registers, makes the register
// allocator keep A, X and the position on the stack and reload them on
// every iteration (measured: several loads and stores per instruction).
// The rare instructions (ancillary loads, negative offsets, indirect loads
// that miss the simple bounds check) hand the run over to finish, as a
// tail call out of the loop, so that no call site keeps values alive
// across the loop.
func (m *Machine) runFast(p unsafe.Pointer, plen uint, wire uint32, meta *Meta) Result {
	var mem [memWords]uint32
	var a, x, ret uint32
	n := 0
	in := unsafe.SliceData(m.fast) // New rejects empty programs
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
				// meta.WireLen is looked at here, not once per run: most
				// programs never read "len".
				a = wire
				if meta != nil && meta.WireLen != 0 {
					a = meta.WireLen
				}
			case opLdxLen:
				x = wire
				if meta != nil && meta.WireLen != 0 {
					x = meta.WireLen
				}
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
				// may still be a valid negative one: finish decides.
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
				in = jmpTo(in, in.jt)
				goto landed
			case opJeqK:
				in = jmpTo(in, jif(a == in.k, in))
				goto landed
			case opJgtK:
				in = jmpTo(in, jif(a > in.k, in))
				goto landed
			case opJgeK:
				in = jmpTo(in, jif(a >= in.k, in))
				goto landed
			case opJsetK:
				in = jmpTo(in, jif(a&in.k != 0, in))
				goto landed
			case opJeqX:
				in = jmpTo(in, jif(a == x, in))
				goto landed
			case opJgtX:
				in = jmpTo(in, jif(a > x, in))
				goto landed
			case opJgeX:
				in = jmpTo(in, jif(a >= x, in))
				goto landed
			case opJsetX:
				in = jmpTo(in, jif(a&x != 0, in))
				goto landed
			case opTax:
				x = a
			case opTxa:
				a = x
			case opJeqChain:
				var c int
				in, c = chain(in, int(in.end), a)
				n += c - 1
				goto landed

			// Superinstructions: the load, counted by the n++ above,
			// then the jump, counted here. Each has its own case: a
			// second switch on the jump would cost more than the
			// dispatch it saves.
			case opLdAbsWJeq:
				if uint(in.k)+4 > plen {
					goto done
				}
				a = be32(p, uint(in.k))
				n++
				in = jmpTo(in, jif(a == in.k2, in))
				goto landed
			case opLdAbsHJeq:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
				n++
				in = jmpTo(in, jif(a == in.k2, in))
				goto landed
			case opLdAbsBJeq:
				if uint(in.k) >= plen {
					goto done
				}
				a = b8(p, uint(in.k))
				n++
				in = jmpTo(in, jif(a == in.k2, in))
				goto landed
			case opLdAbsWJset:
				if uint(in.k)+4 > plen {
					goto done
				}
				a = be32(p, uint(in.k))
				n++
				in = jmpTo(in, jif(a&in.k2 != 0, in))
				goto landed
			case opLdAbsHJset:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
				n++
				in = jmpTo(in, jif(a&in.k2 != 0, in))
				goto landed
			case opLdAbsBJset:
				if uint(in.k) >= plen {
					goto done
				}
				a = b8(p, uint(in.k))
				n++
				in = jmpTo(in, jif(a&in.k2 != 0, in))
				goto landed
			case opLdAbsHJgt:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
				n++
				in = jmpTo(in, jif(a > in.k2, in))
				goto landed
			case opLdAbsHJge:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
				n++
				in = jmpTo(in, jif(a >= in.k2, in))
				goto landed
			case opLdIndHJeq:
				off := uint(x + in.k)
				if off+2 > plen {
					goto slow
				}
				a = be16(p, off)
				n++
				in = jmpTo(in, jif(a == in.k2, in))
				goto landed
			case opLdIndBJeq:
				off := uint(x + in.k)
				if off >= plen {
					goto slow
				}
				a = b8(p, off)
				n++
				in = jmpTo(in, jif(a == in.k2, in))
				goto landed
			case opLdSecJeq:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in = jmpTo(in, jif(a == in.k2, in))
				goto landed
			case opLdSecJset:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in = jmpTo(in, jif(a&in.k2 != 0, in))
				goto landed
			case opLdSecJgt:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in = jmpTo(in, jif(a > in.k2, in))
				goto landed
			case opLdSecJge:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in = jmpTo(in, jif(a >= in.k2, in))
				goto landed

			// A load, then a chain from the next instruction on.
			case opLdAbsWChain:
				if uint(in.k)+4 > plen {
					goto done
				}
				a = be32(p, uint(in.k))
				goto ldChain
			case opLdAbsHChain:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
				goto ldChain
			case opLdAbsBChain:
				if uint(in.k) >= plen {
					goto done
				}
				a = b8(p, uint(in.k))
				goto ldChain
			case opLdSecChain:
				a = *(*uint32)(unsafe.Add(p, in.k))
				goto ldChain
			case opLdIndHChain:
				off := uint(x + in.k)
				if off+2 > plen {
					goto slow
				}
				a = be16(p, off)
				goto ldChain
			case opLdIndBChain:
				off := uint(x + in.k)
				if off >= plen {
					goto slow
				}
				a = b8(p, off)
				goto ldChain

			case opMshLdIndH, opMshLdIndB:
				if uint(in.k) >= plen {
					goto slow
				}
				x = (b8(p, uint(in.k)) & 0xf) << 2
				// Now the indirect load, the next instruction: if it goes
				// to the slow path, it goes from there.
				half, off := in.op == opMshLdIndH, uint(x+in.k2)
				in = succ(in)
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
			in = succ(in)
			continue

		ldChain:
			{
				var c int
				in, c = chain(succ(in), int(in.end), a)
				n += c
			}

		landed:
			// After a jump: a "ret #k" there ends the program without
			// another dispatch (seccomp filters end every path this way).
			// (Doing the same for a lone "jeq #k" measured no better.)
			if in.op == opRetK {
				n++
				ret = in.k
				goto done
			}
			if in.op == opJeqK {
				n++
				in = jmpTo(in, jif(a == in.k, in))
				goto landed
			}
		}
	}
slow:
	// in, counted already, needs the packet outside [0, len) or meta:
	// the plain interpreter takes over from there.
	if meta != nil && meta.WireLen != 0 {
		wire = meta.WireLen
	}
	return m.finish(in, a, x, n-1, &mem, unsafe.Slice((*byte)(p), plen), wire, meta)
done:
	return Result{Ret: ret, Insns: n}
}

// finish runs the rest of a packet program from in with the plain
// interpreter (exec, slowOp), which handles every instruction; runFast
// hands over at the first instruction it leaves to it.
func (m *Machine) finish(in *finsn, a, x uint32, n int, mem *[memWords]uint32, pkt []byte, wire uint32, meta *Meta) Result {
	s := state{a: a, x: x, n: n, mem: *mem,
		pc: int((uintptr(unsafe.Pointer(in)) - uintptr(unsafe.Pointer(unsafe.SliceData(m.fast)))) / finsnSize)}
	for {
		if !m.slowOp(&s, pkt, meta) {
			return Result{Insns: s.n}
		}
		ret, st := m.exec(&s, pkt, wire, nil, s.n+maxInsns+1)
		if st == stDone {
			return Result{Ret: ret, Insns: s.n}
		}
		// stSlow: the next instruction is for slowOp too.
	}
}
