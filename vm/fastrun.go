package vm

import (
	"unsafe"

	"github.com/cbpfkit/cbpf/opcode"
)

// jmpTo returns the instruction off bytes after in; succ the next one.
// New checked every jump, and every path ends in a return before the end
// of the program, so the result is always inside the program: no bounds
// check is needed (and none is paid). Jumps are relative and in bytes, so
// the loop needs neither a base register nor a multiply.
func jmpTo(in *finsn, off uint32) *finsn {
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
// it returns the member that decides (the first whose k is a, or the last
// one), whether it matched, and how many of the chain's instructions ran.
// Each member's false branch is the next instruction.
func chain(in *finsn, n int, a uint32) (*finsn, bool, int) {
	for j := 1; j < n; j++ {
		if in.k == a {
			return in, true, j
		}
		in = succ(in)
	}
	return in, in.k == a, n
}

// take follows the jump at in: to jt if cond, else to jf. When the target
// is a "ret #k" (New marks those in flags), it reports that as end, with
// k: the program ends without loading anything from the target, so the
// last step of a run does not wait for one more dependent load (the jump
// table, the target's op, its k).
func take(in *finsn, cond bool) (next *finsn, ret uint32, end bool) {
	if cond {
		return jmpTo(in, in.jt), in.rt, in.flags&fRetT != 0
	}
	return jmpTo(in, in.jf), in.rf, in.flags&fRetF != 0
}

// runFast runs the program without options. Packet runs pass the packet
// as p and plen, and meta; seccomp runs pass the 16 words of seccomp_data
// as p (ld [k] reads the word at p+k) and no meta. n counts instructions
// executed (a superinstruction adds what it covers); a fault returns 0
// with n counting the instruction that faulted.
//
// The inner loop makes no calls and keeps few values live: in Go a call in
// the loop, or more live values than registers, makes the register
// allocator keep A, X and the position on the stack and reload them on
// every iteration (measured: several loads and stores per instruction).
// The rare instructions (ancillary loads, negative offsets, indirect loads
// that miss the simple bounds check) hand the run over to finish, as a
// tail call out of the loop, so that no call site keeps values alive
// across the loop.
func (m *Machine) runFast(p unsafe.Pointer, plen uint, meta *Meta) Result {
	var mem [opcode.MemWords]uint32
	var a, x, ret uint32
	var fin bool // set by take: the jump went to a "ret #k", which is ret
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
			case 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
				91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106,
				107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,
				123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138,
				139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154,
				155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170,
				171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186,
				187, 188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202,
				203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218,
				219, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234,
				235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250,
				251, 252, 253, 254, 255:
				// Never decoded (opLast is 75): listing every other uint8
				// makes the jump table cover all 256 values, so Go drops
				// the range check it puts before the table.
				goto done
			case opLdImm:
				a = in.k
			case opLdxImm:
				x = in.k
			case opLdMem:
				a = mem[in.k&(opcode.MemWords-1)]
			case opLdxMem:
				x = mem[in.k&(opcode.MemWords-1)]
			case opSt:
				mem[in.k&(opcode.MemWords-1)] = a
			case opStx:
				mem[in.k&(opcode.MemWords-1)] = x
			case opLdLen:
				// Packet mode only (New turns seccomp's "len" into #64).
				// meta.WireLen is looked at here, not once per run: most
				// programs never read "len".
				a = uint32(plen)
				if meta != nil && meta.WireLen != 0 {
					a = meta.WireLen
				}
			case opLdxLen:
				x = uint32(plen)
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
				// may still be a valid negative one: finish decides. The
				// bounds check adds in 64 bits: where uint has 32, off+4
				// itself would wrap for off near 2^32 and pass the check.
				off := uint(x + in.k)
				if uint64(off)+4 > uint64(plen) {
					goto slow
				}
				a = be32(p, off)
			case opLdIndH:
				off := uint(x + in.k)
				if uint64(off)+2 > uint64(plen) {
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
				in, ret, fin = take(in, true)
				goto taken
			case opJeqK:
				in, ret, fin = take(in, a == in.k)
				goto taken
			case opJgtK:
				in, ret, fin = take(in, a > in.k)
				goto taken
			case opJgeK:
				in, ret, fin = take(in, a >= in.k)
				goto taken
			case opJsetK:
				in, ret, fin = take(in, a&in.k != 0)
				goto taken
			case opJeqX:
				in, ret, fin = take(in, a == x)
				goto taken
			case opJgtX:
				in, ret, fin = take(in, a > x)
				goto taken
			case opJgeX:
				in, ret, fin = take(in, a >= x)
				goto taken
			case opJsetX:
				in, ret, fin = take(in, a&x != 0)
				goto taken
			case opTax:
				x = a
			case opTxa:
				a = x
			case opJeqChain:
				n-- // scan counts the chain's members itself
				goto scan

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
				in, ret, fin = take(in, a == in.k2)
				goto taken
			case opLdAbsHJeq:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
				n++
				in, ret, fin = take(in, a == in.k2)
				goto taken
			case opLdAbsBJeq:
				if uint(in.k) >= plen {
					goto done
				}
				a = b8(p, uint(in.k))
				n++
				in, ret, fin = take(in, a == in.k2)
				goto taken
			case opLdAbsWJset:
				if uint(in.k)+4 > plen {
					goto done
				}
				a = be32(p, uint(in.k))
				n++
				in, ret, fin = take(in, a&in.k2 != 0)
				goto taken
			case opLdAbsHJset:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
				n++
				in, ret, fin = take(in, a&in.k2 != 0)
				goto taken
			case opLdAbsBJset:
				if uint(in.k) >= plen {
					goto done
				}
				a = b8(p, uint(in.k))
				n++
				in, ret, fin = take(in, a&in.k2 != 0)
				goto taken
			case opLdAbsHJgt:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
				n++
				in, ret, fin = take(in, a > in.k2)
				goto taken
			case opLdAbsHJge:
				if uint(in.k)+2 > plen {
					goto done
				}
				a = be16(p, uint(in.k))
				n++
				in, ret, fin = take(in, a >= in.k2)
				goto taken
			case opLdIndHJeq:
				off := uint(x + in.k)
				if uint64(off)+2 > uint64(plen) {
					goto slow
				}
				a = be16(p, off)
				n++
				in, ret, fin = take(in, a == in.k2)
				goto taken
			case opLdIndBJeq:
				off := uint(x + in.k)
				if off >= plen {
					goto slow
				}
				a = b8(p, off)
				n++
				in, ret, fin = take(in, a == in.k2)
				goto taken
			case opLdSecJeq:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in, ret, fin = take(in, a == in.k2)
				goto taken
			case opLdSecJset:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in, ret, fin = take(in, a&in.k2 != 0)
				goto taken
			case opLdSecJgt:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in, ret, fin = take(in, a > in.k2)
				goto taken
			case opLdSecJge:
				a = *(*uint32)(unsafe.Add(p, in.k))
				n++
				in, ret, fin = take(in, a >= in.k2)
				goto taken

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
				if uint64(off)+2 > uint64(plen) {
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
					if uint64(off)+2 > uint64(plen) {
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
			in = succ(in)
		scan:
			// A jeq #k chain from in on, none of it counted yet.
			if in.k2 == 0 {
				var c int
				var hit bool
				in, hit, c = chain(in, int(in.end), a)
				n += c
				in, ret, fin = take(in, hit)
				goto taken
			}
			{
				// Look a up in the chain's hash table (see compileFast).
				c, bits := uint32(in.end), in.k2&31
				t := unsafe.Add(unsafe.Pointer(unsafe.SliceData(m.hash)), uintptr(in.k2>>5)*8)
				mask := uint32(1)<<bits - 1
				slot := hashSlot(a, bits)
				for {
					e := *(*uint64)(unsafe.Add(t, uintptr(slot)*8))
					if e == 0 {
						break
					}
					if uint32(e>>32) == a {
						// A member r from the end of the run; it is in
						// this chain if r <= c, at c-r from in.
						if r := uint32(e); r <= c {
							in = (*finsn)(unsafe.Add(unsafe.Pointer(in), uintptr(c-r)*finsnSize))
							n += int(c-r) + 1
							in, ret, fin = take(in, true)
							goto taken
						}
						break
					}
					slot = (slot + 1) & mask
				}
				// No member matches: the last one's false branch.
				in = (*finsn)(unsafe.Add(unsafe.Pointer(in), uintptr(c-1)*finsnSize))
				n += int(c)
				in, ret, fin = take(in, false)
				goto taken
			}

		taken:
			// A jump, counted, went to in.
			if fin {
				n++ // the "ret #k" at the target
				goto done
			}
			// A lone "jeq #k" at the target (tcpdump's "else if A is k")
			// runs here as a compare and a branch instead of a dispatch.
			if in.op == opJeqK {
				n++
				in, ret, fin = take(in, a == in.k)
				goto taken
			}
		}
	}
slow:
	// in, counted already, needs the packet outside [0, len) or meta:
	// the plain interpreter takes over from there.
	return m.finish(in, a, x, n-1, &mem, unsafe.Slice((*byte)(p), plen), meta)
done:
	return Result{Ret: ret, Insns: n}
}

// finish runs the rest of a packet program from in with the plain
// interpreter (exec, slowOp), which handles every instruction; runFast
// hands over at the first instruction it leaves to it.
func (m *Machine) finish(in *finsn, a, x uint32, n int, mem *[opcode.MemWords]uint32, pkt []byte, meta *Meta) Result {
	wire := uint32(len(pkt))
	if meta != nil && meta.WireLen != 0 {
		wire = meta.WireLen
	}
	s := state{a: a, x: x, n: n, mem: *mem,
		pc: int((uintptr(unsafe.Pointer(in)) - uintptr(unsafe.Pointer(unsafe.SliceData(m.fast)))) / finsnSize)}
	for {
		if !m.slowOp(&s, pkt, meta) {
			return Result{Insns: s.n}
		}
		ret, st := m.exec(&s, pkt, wire, nil, s.n+opcode.MaxInsns+1)
		if st == stDone {
			return Result{Ret: ret, Insns: s.n}
		}
		// stSlow: the next instruction is for slowOp too.
	}
}
