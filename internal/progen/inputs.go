package progen

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// SeccompInput is the part of seccomp_data a test controls (the same
// shape as kernel.Input).
type SeccompInput struct {
	Nr   int32
	Args [6]uint64
}

// constants returns the K values prog compares with or computes with.
func constants(prog []bpf.RawInstruction) []uint32 {
	ks := []uint32{0, 1, 0xffffffff, 0x80000000, 0x40000000, 0x7fffffff}
	for _, in := range prog {
		switch in.Op & 7 {
		case jmp, alu, ld, ldx:
			ks = append(ks, in.K)
		}
	}
	return ks
}

func word(r *rand.Rand, ks []uint32) uint32 {
	switch r.IntN(8) {
	case 0:
		return r.Uint32()
	case 1:
		return 1 << r.IntN(32)
	default:
		return ks[r.IntN(len(ks))] + uint32(r.IntN(3)) - 1
	}
}

// SeccompInputs returns n inputs for prog: syscall numbers and argument
// halves drawn from the constants prog uses (and off by one), 0, all ones,
// bit 31 and bit 30 (x32) set, and random values.
func SeccompInputs(r *rand.Rand, prog []bpf.RawInstruction, n int) []SeccompInput {
	ks := constants(prog)
	out := make([]SeccompInput, n)
	for i := range out {
		var in SeccompInput
		switch r.IntN(6) {
		case 0:
			in.Nr = int32(r.IntN(450))
		case 1:
			in.Nr = int32(0x40000000 | uint32(r.IntN(550)))
		default:
			in.Nr = int32(word(r, ks))
		}
		if in.Nr == 335 || in.Nr == 336 {
			// uretprobe and uprobe: Linux runs no seccomp filter for
			// them on x86_64, so no probe can observe a verdict.
			in.Nr = 39
		}
		for j := range in.Args {
			hi, lo := uint64(word(r, ks)), uint64(word(r, ks))
			switch r.IntN(4) {
			case 0:
				hi = 0
			case 1:
				hi = 0xffffffff
			}
			in.Args[j] = hi<<32 | lo
		}
		out[i] = in
	}
	return out
}

// Frames returns n Ethernet frames of minLen..minLen+110 bytes for prog:
// random bytes, with the values prog compares against planted at the
// offsets it loads from, common ethertypes and destination addresses. No
// frame carries a VLAN ethertype (0x8100, 0x88a8): the kernel strips such
// tags before a filter runs.
func Frames(r *rand.Rand, prog []bpf.RawInstruction, n, minLen int) [][]byte {
	ks := constants(prog)
	type plant struct {
		off  int
		size int
	}
	var plants []plant
	for _, in := range prog {
		if op := opcode.Op(in.Op); op.Class() == opcode.LD && op.Mode() == opcode.ABS && in.K < 200 {
			size := op.LoadBytes()
			plants = append(plants, plant{int(in.K), size})
		}
	}
	out := make([][]byte, n)
	for i := range out {
		size := minLen + r.IntN(111)
		if r.IntN(8) == 0 {
			size = minLen + r.IntN(8)
		}
		f := make([]byte, size)
		for j := range f {
			f[j] = byte(r.Uint32())
		}
		for _, p := range plants {
			if p.off+p.size <= size && r.IntN(2) == 0 {
				v := word(r, ks)
				switch p.size {
				case 4:
					binary.BigEndian.PutUint32(f[p.off:], v)
				case 2:
					binary.BigEndian.PutUint16(f[p.off:], uint16(v))
				case 1:
					f[p.off] = byte(v)
				}
			}
		}
		if size >= 6 {
			switch r.IntN(4) {
			case 0:
				copy(f, []byte{0, 0, 0, 0, 0, 0})
			case 1:
				copy(f, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
			}
		}
		if size >= 14 {
			et := binary.BigEndian.Uint16(f[12:])
			switch r.IntN(4) {
			case 0:
				et = 0x0800
			case 1:
				et = uint16(ks[r.IntN(len(ks))])
			}
			if et == 0x8100 || et == 0x88a8 {
				et = 0x86dd
			}
			binary.BigEndian.PutUint16(f[12:], et)
			if size >= 16 && r.IntN(10) == 0 {
				f[14], f[15] = 0xff, 0xff // raw 802.3
			}
		}
		out[i] = f
	}
	return out
}
