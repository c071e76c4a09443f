package vm

import (
	"encoding/binary"
	"testing"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/bpf"
)

// validOps lists every opcode bpf_check_classic accepts, so that fuzz
// input bytes map onto programs New accepts most of the time.
var validOps = func() []uint16 {
	var ops []uint16
	for c := range classicOK {
		if classicOK[c] {
			ops = append(ops, uint16(c))
		}
	}
	return ops
}()

// fuzzKs are the constants that reach edge cases: packet ends, the
// negative-offset bases, ancillary codes, 2^31 and 2^32 boundaries.
var fuzzKs = []uint32{
	0, 1, 2, 3, 4, 12, 14, 0x3c, 0x3f, 0x40,
	0x7ffffffc, 0x7fffffff, 0x80000000, 0xfffffffc, 0xfffffffe, 0xffffffff,
	0xfff00000, 0xfff00001, 0xfff0000e, 0xffe00000, 0xffe0000c, 0xffdfffff,
	0xfffff000, 0xfffff004, 0xfffff028, 0xfffff03c, 0xffffefff,
}

// fuzzProg turns fuzz bytes into a program: 8 bytes an instruction, the
// opcode picked from the valid ones, jumps wrapped into range, k often
// one of fuzzKs, and a return at the end. Programs New rejects (a scratch
// word read before written) are skipped by the caller.
func fuzzProg(raw []byte, mode Mode) []bpf.RawInstruction {
	n := min(len(raw)/8, opcode.MaxInsns-1)
	prog := make([]bpf.RawInstruction, 0, n+1)
	for i := 0; i < n; i++ {
		b := raw[8*i : 8*i+8]
		in := bpf.RawInstruction{Op: validOps[int(b[0])%len(validOps)]}
		left := n - i // instructions after this one, the final ret included
		in.Jt, in.Jf = uint8(int(b[1])%min(left, 256)), uint8(int(b[2])%min(left, 256))
		k := binary.LittleEndian.Uint32(b[4:])
		if b[3]&1 == 0 {
			k = fuzzKs[int(b[3]>>1)%len(fuzzKs)]
		}
		in.K = k
		switch opcode.Op(in.Op) {
		case opcode.JMP | opcode.JA:
			in.K = k % uint32(left)
		case opcode.LD | opcode.MEM, opcode.LDX | opcode.MEM, opcode.ST, opcode.STX:
			in.K = k % opcode.MemWords
		case opcode.ALU | opcode.LSH | opcode.K, opcode.ALU | opcode.RSH | opcode.K:
			in.K = k % 32
		case opcode.ALU | opcode.DIV | opcode.K, opcode.ALU | opcode.MOD | opcode.K:
			if in.K == 0 {
				in.K = 1
			}
		}
		if mode == Seccomp && opcode.Op(in.Op) == opcode.LdAbsW {
			in.K = 4 * (k % 16)
		}
		prog = append(prog, in)
	}
	last := bpf.RawInstruction{Op: uint16(opcode.RetA)}
	if len(raw)%2 == 1 {
		last = bpf.RawInstruction{Op: uint16(opcode.RetK), K: 0xffff}
	}
	return append(prog, last)
}

// FuzzFastMatchesPlain: for any program New accepts, the fast path
// (RunPacket, RunSeccomp) and the plain interpreter (the *Opts forms with
// non-nil Options) return the same value and count the same instructions.
// Under -race, checkptr also catches reads outside the packet.
func FuzzFastMatchesPlain(f *testing.F) {
	f.Add([]byte{0x28, 0, 0, 0, 12, 0, 0, 0}, []byte{1, 2, 3}, uint32(0), 0)
	f.Add([]byte{0x40, 0, 0, 1, 0xfe, 0xff, 0xff, 0xff, 0x50, 0, 0, 0, 0, 0, 0xf0, 0xff}, []byte{}, uint32(60), 14)
	f.Add([]byte{0xb1, 0, 0, 0, 14, 0, 0, 0, 0x48, 0, 0, 0, 14, 0, 0, 0, 0x15, 0, 0, 0, 0x11, 0, 0, 0}, make([]byte, 40), uint32(0), 100)
	f.Fuzz(func(t *testing.T, raw, pkt []byte, wire uint32, netOff int) {
		for _, mode := range []Mode{Packet, Seccomp} {
			prog := fuzzProg(raw, mode)
			m, err := New(prog, mode)
			if err != nil {
				continue
			}
			var fast, plain Result
			if mode == Packet {
				meta := &Meta{WireLen: wire, NetOffset: netOff, Protocol: 0x800, Mark: 7}
				if netOff < 0 {
					meta = nil
				}
				fast, plain = m.RunPacket(pkt, meta), m.RunPacketOpts(pkt, meta, &Options{})
			} else {
				var w [64]byte
				copy(w[:], pkt)
				d := SeccompData{Nr: int32(binary.LittleEndian.Uint32(w[0:])), InstructionPointer: binary.LittleEndian.Uint64(w[8:])}
				d.Arch = []uint32{0xc000003e, 0x80000016, 0x40000028, 0x16}[wire%4]
				for i := range d.Args {
					d.Args[i] = binary.LittleEndian.Uint64(w[16+8*i:])
				}
				fast, plain = m.RunSeccomp(d), m.RunSeccompOpts(d, &Options{})
			}
			if plain.Insns < 1 || plain.Insns > len(prog) {
				t.Errorf("%v: %d instructions counted for a program of %d", mode, plain.Insns, len(prog))
			}
			if diff := cmp.Diff(plain, fast); diff != "" {
				t.Fatalf("%v: program %s on %x (wire %d, net %d): fast path differs (-plain +fast):\n%s", mode, ddd(prog), pkt, wire, netOff, diff)
			}
		}
	})
}

// TestIndirectWrap runs indirect and msh-fused loads whose X+k wraps to
// just below 2^32, on short packets. The bounds check must not wrap too:
// where uint has 32 bits (386, arm), off+4 with off = 0xfffffffe is 2,
// which passed a check against a packet of 2 bytes or more, and the load
// read the 2 bytes before the packet (found on GOARCH=386: fast path
// returned 0xaaaaaaaa where the interpreter returned 0).
func TestIndirectWrap(t *testing.T) {
	pkt := []byte{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}
	for _, tc := range []struct {
		name string
		prog []bpf.RawInstruction
		want Result // on pkt
		need int    // the shortest packet on which the load succeeds
	}{
		// X+k = -4..-1: offsets in the SKF_NET_OFF range, which are far
		// past the packet, so the load fails.
		{"ldw", []bpf.RawInstruction{stmt(ldxImm, 0xfffffffe), stmt(ldIndW, 0), retA1}, Result{0, 2}, 99},
		{"ldw k", []bpf.RawInstruction{stmt(ldxImm, 0), stmt(ldIndW, 0xfffffffd), retA1}, Result{0, 2}, 99},
		{"ldh", []bpf.RawInstruction{stmt(ldxImm, 0xffffffff), stmt(ldIndH, 0), retA1}, Result{0, 2}, 99},
		{"ldh jeq", []bpf.RawInstruction{stmt(ldxImm, 0xffffffff), stmt(ldIndH, 0), jump(jeqK, 0, 0, 0), retA1}, Result{0, 2}, 99},
		{"ldh chain", []bpf.RawInstruction{stmt(ldxImm, 0xffffffff), stmt(ldIndH, 0), jump(jeqK, 1, 0, 0), jump(jeqK, 2, 0, 0), retA1}, Result{0, 2}, 99},
		// msh [0] sets X = 4 (pkt[0] is 0x11), so X+k is -4.
		{"msh ldh", []bpf.RawInstruction{stmt(ldxMsh, 0), stmt(ldIndH, 0xfffffff8), retA1}, Result{0, 2}, 99},
		// X+k that wraps to a small offset reads the packet there.
		{"ldw wraps in", []bpf.RawInstruction{stmt(ldxImm, 0xffffffff), stmt(ldIndW, 2), retA1}, Result{0x22334455, 3}, 5},
		{"msh wraps in", []bpf.RawInstruction{stmt(ldxMsh, 0), stmt(ldIndH, 0xfffffffd), retA1}, Result{0x2233, 3}, 3},
	} {
		m, err := New(tc.prog, Packet)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, p := range [][]byte{pkt, pkt[:2], pkt[:3], pkt[:4], pkt[:5]} {
			want := tc.want
			if len(p) < tc.need && want.Ret != 0 {
				want = Result{0, 2} // the load misses a short packet
			}
			fast, plain := m.RunPacket(p, nil), m.RunPacketOpts(p, nil, &Options{})
			if diff := cmp.Diff(want, plain); diff != "" {
				t.Errorf("%s on %x: plain (-want +got):\n%s", tc.name, p, diff)
			}
			if diff := cmp.Diff(want, fast); diff != "" {
				t.Errorf("%s on %x: fast (-want +got):\n%s", tc.name, p, diff)
			}
		}
	}
}
