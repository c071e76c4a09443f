package vm

import (
	"math/rand/v2"
	"os"
	"testing"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"

	"encoding/binary"

	"github.com/google/go-cmp/cmp"
)

// The fast path (runs without Options) must compute exactly what the
// one-instruction-at-a-time path computes (runs with Options, checked
// against the kernel by kernel_test.go): the same return value and the
// same instruction count.

func TestFastMatchesStepTcpdump(t *testing.T) {
	pkts, _ := genPackets(3000, 11)
	for _, f := range []string{"tcp_port_22.ddd", "hosts_ports.ddd"} {
		data, err := os.ReadFile("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := parseDDD(string(data))
		if err != nil {
			t.Fatal(err)
		}
		m, err := New(prog, Packet)
		if err != nil {
			t.Fatal(err)
		}
		bad := 0
		for _, p := range pkts {
			fast := m.RunPacket(p, nil)
			step := m.RunPacketOpts(p, nil, &Options{})
			if diff := cmp.Diff(step, fast); diff != "" {
				bad++
				if bad < 5 {
					t.Errorf("%s on %x: fast path differs (-step +fast):\n%s", f, p, diff)
				}
			}
		}
	}
}

// fuseGen writes random programs dense in what the fast path treats
// specially: loads followed by jumps, jeq runs that fall through (chains),
// jumps into the middle of chains, msh followed by indirect loads, loads
// that miss the packet or take the negative-offset and ancillary paths.
type fuseGen struct {
	r    *rand.Rand
	mode Mode
}

// vals are the constants programs compare with and inputs are made of, so
// that comparisons go both ways.
var vals = []uint32{0, 1, 2, 6, 0x11, 0x45, 0x800, 0xffffffff, 0x80000000}

func (g *fuseGen) val() uint32 {
	if g.r.IntN(4) == 0 {
		return g.r.Uint32()
	}
	return vals[g.r.IntN(len(vals))]
}

func (g *fuseGen) target(pc, n int) uint8 {
	return uint8(g.r.IntN(min(n-pc-1, 256)))
}

func (g *fuseGen) load() bpf.RawInstruction {
	if g.mode == Seccomp {
		return stmt(ldW, uint32(4*g.r.IntN(16)))
	}
	size := []opcode.Op{opcode.W, opcode.H, opcode.B}[g.r.IntN(3)]
	off := uint32(g.r.IntN(72))
	switch g.r.IntN(12) {
	case 0:
		off = 0xfff00000 + uint32(g.r.IntN(40)) // SKF_NET_OFF
	case 1:
		off = 0xffe00000 + uint32(g.r.IntN(40)) // SKF_LL_OFF
	case 2:
		off = 0xfffff000 + 4*uint32(g.r.IntN(16)) // ancillary
	}
	switch g.r.IntN(4) {
	case 0:
		return stmt(opcode.LD|size|opcode.IND, off)
	case 1:
		return stmt(ldxMsh, off&^0xfff) // no ancillary msh
	}
	return stmt(opcode.LD|size|opcode.ABS, off)
}

func (g *fuseGen) prog() []bpf.RawInstruction {
	n := 2 + g.r.IntN(40)
	p := make([]bpf.RawInstruction, n)
	for pc := 0; pc < n-1; pc++ {
		switch g.r.IntN(10) {
		case 0, 1, 2:
			p[pc] = g.load()
		case 3, 4: // a chain link
			p[pc] = jump(jeqK, g.val(), g.target(pc, n), 0)
		case 5:
			p[pc] = jump([]opcode.Op{jeqK, jgtK, jgeK, jsetK, jeqX, jgtX, jgeX, jsetX}[g.r.IntN(8)], g.val(), g.target(pc, n), g.target(pc, n))
		case 6:
			p[pc] = stmt(ja, uint32(g.target(pc, n)))
		case 7:
			p[pc] = []bpf.RawInstruction{stmt(ldxImm, g.val()), stmt(tax, 0), stmt(txa, 0), stmt(st, 3), stmt(ldMem, 3), stmt(ldLen, 0), stmt(ldxLen, 0), stmt(stx, 3), stmt(ldxMem, 3)}[g.r.IntN(9)]
		case 8:
			ops := []opcode.Op{opcode.ADD, opcode.SUB, opcode.MUL, opcode.DIV, opcode.OR, opcode.AND, opcode.LSH, opcode.RSH, opcode.XOR}
			if g.mode == Packet {
				ops = append(ops, opcode.MOD)
			}
			if g.r.IntN(2) == 0 {
				p[pc] = stmt(aluX(ops[g.r.IntN(len(ops))]), 0)
			} else {
				p[pc] = stmt(aluK(ops[g.r.IntN(len(ops))]), 1+uint32(g.r.IntN(31)))
			}
		default:
			p[pc] = []bpf.RawInstruction{stmt(retK_, g.val()), retA1}[g.r.IntN(2)]
		}
	}
	p[n-1] = []bpf.RawInstruction{stmt(retK_, g.val()), retA1}[g.r.IntN(2)]
	return p
}

func (g *fuseGen) packet() []byte {
	p := make([]byte, g.r.IntN(80))
	for i := range p {
		p[i] = byte(g.val())
	}
	return p
}

func TestFastMatchesStepRandom(t *testing.T) {
	for _, mode := range []Mode{Packet, Seccomp} {
		t.Run(mode.String(), func(t *testing.T) {
			g := &fuseGen{r: rand.New(rand.NewPCG(1, uint64(mode))), mode: mode}
			progs, bad := 0, 0
			for progs < 3000 {
				p := g.prog()
				m, err := New(p, mode)
				if err != nil {
					continue // M[3] read before written, say
				}
				progs++
				for range 30 {
					var fast, step Result
					var input any
					if mode == Packet {
						pkt := g.packet()
						var meta *Meta
						if g.r.IntN(2) == 0 {
							meta = &Meta{NetOffset: g.r.IntN(30), Protocol: 0x800, Mark: g.val(), WireLen: uint32(g.r.IntN(2) * 1500)}
						}
						fast, step = m.RunPacket(pkt, meta), m.RunPacketOpts(pkt, meta, &Options{})
						input = pkt
					} else {
						d := SeccompData{Nr: int32(g.val()), Arch: []uint32{0xc000003e, 0x80000016}[g.r.IntN(2)], InstructionPointer: uint64(g.val())}
						for i := range d.Args {
							d.Args[i] = uint64(g.val())<<32 | uint64(g.val())
						}
						fast, step = m.RunSeccomp(d), m.RunSeccompOpts(d, &Options{})
						input = d
					}
					if diff := cmp.Diff(step, fast); diff != "" {
						bad++
						if bad <= 5 {
							t.Errorf("program %s on %x: fast path differs (-step +fast):\n%s", ddd(p), input, diff)
						}
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d disagreements", bad)
			}
		})
	}
}

// TestFastForms checks that the generated programs above do reach the
// superinstructions and chains, so the differential test means something.
func TestFastForms(t *testing.T) {
	seen := map[op]bool{}
	for _, mode := range []Mode{Packet, Seccomp} {
		g := &fuseGen{r: rand.New(rand.NewPCG(1, uint64(mode))), mode: mode}
		for range 3000 {
			m, err := New(g.prog(), mode)
			if err != nil {
				continue
			}
			for _, in := range m.fast {
				seen[in.op] = true
			}
		}
	}
	for o := opJeqChain; o < opLast; o++ {
		if !seen[o] {
			t.Errorf("op %d never generated", o)
		}
	}
}

// TestFastLongChains runs jeq chains long enough for their hash tables,
// with repeated constants (which must keep the first match), with jumps
// into the middle of a chain, and with loads fused to them, against the
// step path.
func TestFastLongChains(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	hashed := 0
	for range 400 {
		run := 1 + r.IntN(60)
		nrets := 1 + r.IntN(5)
		mid := r.IntN(run)
		// 0: ld nr; 1: jset #1 into the middle of the chain, else on;
		// 2: ja over nothing (so the chain head is no superinstruction
		// half the time); then the chain, the fall-through ret and rets.
		p := []bpf.RawInstruction{stmt(ldW, 0), jump(jsetK, 1, uint8(1+mid), 0)}
		if r.IntN(2) == 0 {
			p = append(p, stmt(ja, 0))
			p[1].Jt++
		}
		head := len(p)
		perm := r.Perm(64) // distinct constants, unless repeats
		repeats := r.IntN(2) == 0
		for j := range run {
			k := uint32(perm[j])
			if repeats && r.IntN(4) == 0 && j > 0 {
				k = p[head+r.IntN(j)].K
			}
			toRets := run - 1 - j + 1 // from member j to the first ret after the fall-through ret
			p = append(p, jump(jeqK, k, uint8(toRets+r.IntN(nrets)), 0))
		}
		p = append(p, stmt(retK_, 0xdead))
		for i := range nrets {
			p = append(p, stmt(retK_, uint32(i)))
		}
		for _, mode := range []Mode{Seccomp, Packet} {
			q := append([]bpf.RawInstruction(nil), p...)
			if mode == Packet {
				q[0] = stmt(ldB, 0)
			}
			m, err := New(q, mode)
			if err != nil {
				t.Fatalf("New: %v\n%s", err, ddd(q))
			}
			for _, f := range m.fast {
				if (f.op == opJeqChain || f.op == opLdSecChain) && f.k2 != 0 {
					hashed++
				}
			}
			for v := range 64 {
				var fast, step Result
				if mode == Seccomp {
					d := SeccompData{Nr: int32(v), Arch: 0xc000003e}
					fast, step = m.RunSeccomp(d), m.RunSeccompOpts(d, &Options{})
				} else {
					pkt := []byte{byte(v)}
					fast, step = m.RunPacket(pkt, nil), m.RunPacketOpts(pkt, nil, &Options{})
				}
				if fast != step {
					t.Fatalf("%v: program %s on %d: fast %+v, step %+v", mode, ddd(q), v, fast, step)
				}
			}
		}
	}
	if hashed == 0 {
		t.Errorf("no chain got a hash table")
	}
}

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
