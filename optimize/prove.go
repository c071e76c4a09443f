package optimize

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// prove checks that out returns what in returns. In seccomp mode it asks
// verify.Equivalent first; where that does not answer Equal (and in
// packet mode) it runs both programs on inputs made from the programs'
// constants and load offsets, with packets cut around the end of every
// load. It returns how it checked, and an *Error on a disagreement. The
// executed instruction counts are compared on the same inputs: "more
// instructions executed" (no error) when out runs more on one of them
// and opts.Size is not set.
func prove(in, out []bpf.RawInstruction, mode Mode, opts Options) (string, error) {
	if mode == Seccomp {
		timeout := opts.ProveTimeout
		if timeout == 0 {
			timeout = 2 * time.Second
		}
		eq, err := verify.EquivalentWith(in, out, mode, verify.EquivOptions{Timeout: timeout, Samples: 2000})
		if err != nil {
			return "", fmt.Errorf("optimize: proof: %w", err)
		}
		if eq.Verdict == verify.Different {
			return "", &Error{Mode: mode, Input: in, Output: out,
				Why: fmt.Sprintf("on %+v the input returns %#x, the result %#x", eq.Seccomp, eq.RetA, eq.RetB)}
		}
		how, err := differential(in, out, mode, opts)
		if err != nil || how == "more instructions executed" {
			return how, err
		}
		if eq.Verdict == verify.Equal {
			return "proven equivalent", nil
		}
		return "equivalence not proven (" + eq.Reason + "); " + how, nil
	}
	return differential(in, out, mode, opts)
}

// differential runs in and out on the same inputs.
func differential(in, out []bpf.RawInstruction, mode Mode, opts Options) (string, error) {
	ma, err := vm.New(in, mode)
	if err != nil {
		return "", fmt.Errorf("optimize: proof: %w", err)
	}
	mb, err := vm.New(out, mode)
	if err != nil {
		return "", &Error{Mode: mode, Input: in, Output: out, Why: "the result does not run: " + err.Error()}
	}
	n := opts.Inputs
	if n <= 0 {
		n = 20000
	}
	r := rand.New(rand.NewPCG(uint64(len(in)), 0x6f7074))
	gen := newInputs(in, out)
	more := false
	for i := 0; i < n; i++ {
		var ra, rb vm.Result
		var what string
		if mode == Seccomp {
			d := gen.seccomp(r)
			ra, rb = ma.RunSeccomp(d), mb.RunSeccomp(d)
			what = fmt.Sprintf("%+v", d)
		} else {
			pkt, meta := gen.packet(r, i)
			ra, rb = ma.RunPacket(pkt, meta), mb.RunPacket(pkt, meta)
			what = fmt.Sprintf("packet % x (%d bytes)", pkt, len(pkt))
			if meta != nil {
				what += fmt.Sprintf(" with %+v", *meta)
			}
		}
		if ra.Ret != rb.Ret {
			return "", &Error{Mode: mode, Input: in, Output: out,
				Why: fmt.Sprintf("on %s the input returns %#x, the result %#x", what, ra.Ret, rb.Ret)}
		}
		if rb.Insns > ra.Insns {
			more = true
		}
	}
	if mode == Packet {
		// Packets steered down the input's paths: each round sets the
		// bytes a test read so that the test goes the other way, and
		// every packet is also tried cut at the end of each load it ran.
		for i := 0; i < n/40; i++ {
			pkt, _ := gen.packet(r, 1)
			for round := 0; round < 12; round++ {
				loads, flips := trace(ma, pkt)
				cands := [][]byte{pkt}
				for _, l := range loads {
					if end := l.off + l.size; end >= 1 && end <= len(pkt) {
						cands = append(cands, pkt[:end-1])
					}
				}
				for _, c := range cands {
					ra, rb := ma.RunPacket(c, nil), mb.RunPacket(c, nil)
					if ra.Ret != rb.Ret {
						return "", &Error{Mode: mode, Input: in, Output: out,
							Why: fmt.Sprintf("on packet % x (%d bytes) the input returns %#x, the result %#x", c, len(c), ra.Ret, rb.Ret)}
					}
				}
				if len(flips) == 0 {
					break
				}
				f := flips[r.IntN(len(flips))]
				if f.off+f.size > 4096 {
					break
				}
				pkt = append([]byte(nil), pkt...)
				for len(pkt) < f.off+f.size {
					pkt = append(pkt, 0)
				}
				v := f.val
				for b := f.size - 1; b >= 0; b-- {
					pkt[f.off+b] = byte(v)
					v >>= 8
				}
			}
		}
	}
	if more && !opts.Size && mode == Seccomp {
		return "more instructions executed", nil
	}
	return fmt.Sprintf("same results on %d inputs", n), nil
}

// access is a load a run made (offset, size), or (val set) a value that
// would send a test the run made the other way if the load read it.
type access struct {
	off, size int
	val       uint32
}

// trace runs m on pkt and returns the loads it made and, for the tests
// of a loaded value against a constant, the values that would flip them.
func trace(m *vm.Machine, pkt []byte) (loads, flips []access) {
	var last *access // the load whose value A holds
	x := uint32(0)
	m.RunPacketOpts(pkt, nil, &vm.Options{Trace: func(st vm.Step) {
		op := opcode.Op(st.Insn.Op)
		size := map[opcode.Op]int{opcode.W: 4, opcode.H: 2, opcode.B: 1}[op.Size()]
		switch {
		case op.Class() == opcode.LD && op.Mode() == opcode.ABS && st.Insn.K < 1<<16:
			loads = append(loads, access{off: int(st.Insn.K), size: size})
			last = &loads[len(loads)-1]
		case op.Class() == opcode.LD && op.Mode() == opcode.IND && uint64(x)+uint64(st.Insn.K) < 1<<16:
			loads = append(loads, access{off: int(x + st.Insn.K), size: size})
			last = &loads[len(loads)-1]
		case op == opcode.LDX|opcode.B|opcode.MSH && st.Insn.K < 1<<16:
			loads = append(loads, access{off: int(st.Insn.K), size: 1})
		case op.IsCondJump() && op.Src() == opcode.K && last != nil:
			k := st.Insn.K
			mask := uint32(1)<<(8*last.size) - 1
			if last.size == 4 {
				mask = 0xffffffff
			}
			for _, v := range []uint32{k, k + 1, k - 1, 0, mask} {
				if v&mask == v {
					flips = append(flips, access{off: last.off, size: last.size, val: v})
				}
			}
		case op.WritesA():
			last = nil
		}
		if !st.Fault {
			x = st.X
		}
	}})
	return loads, flips
}

// inputs makes inputs for a differential run from the programs' constants
// and absolute load offsets.
type inputs struct {
	ks     []uint32
	loads  [][2]uint32 // offset, size
	ind    [][2]uint32 // indirect loads: offset, size
	msh    []uint32    // offsets of ldxb 4*([k]&0xf)
	ends   []int       // where loads end (packet lengths to cut at)
	maxEnd int
}

func newInputs(progs ...[]bpf.RawInstruction) *inputs {
	g := &inputs{ks: []uint32{0, 1, 2, 0xffffffff, 0x80000000, 0x40000000, 0x7fffffff}}
	seenEnd := map[int]bool{}
	for _, p := range progs {
		for _, ins := range p {
			op := opcode.Op(ins.Op)
			switch op.Class() {
			case opcode.JMP, opcode.ALU:
				g.ks = append(g.ks, ins.K)
			case opcode.LD, opcode.LDX:
				if op.Mode() == opcode.IMM {
					g.ks = append(g.ks, ins.K)
				}
				if op.Mode() == opcode.ABS || op.Mode() == opcode.IND || op.Mode() == opcode.MSH {
					size := map[opcode.Op]uint32{opcode.W: 4, opcode.H: 2, opcode.B: 1}[op.Size()]
					switch {
					case op.Mode() == opcode.IND && ins.K < 1<<16:
						g.ind = append(g.ind, [2]uint32{ins.K, size})
					case op.Mode() == opcode.MSH && ins.K < 1<<16:
						g.msh = append(g.msh, ins.K)
					}
					if ins.K < 1<<16 {
						g.loads = append(g.loads, [2]uint32{ins.K, size})
						end := int(ins.K + size)
						if !seenEnd[end] {
							seenEnd[end] = true
							g.ends = append(g.ends, end)
						}
						g.maxEnd = max(g.maxEnd, end)
					}
				}
			}
		}
	}
	return g
}

func (g *inputs) word(r *rand.Rand) uint32 {
	switch r.IntN(8) {
	case 0:
		return r.Uint32()
	case 1:
		return 1 << r.IntN(32)
	default:
		return g.ks[r.IntN(len(g.ks))] + uint32(r.IntN(3)) - 1
	}
}

func (g *inputs) seccomp(r *rand.Rand) vm.SeccompData {
	var w [16]uint32
	for i := range w {
		w[i] = g.word(r)
	}
	d := vm.SeccompData{Nr: int32(w[0]), Arch: w[1]}
	hi, lo := 2, 3
	if d.Arch&0x40000000 != 0 {
		hi, lo = 3, 2
	}
	d.InstructionPointer = uint64(w[hi])<<32 | uint64(w[lo])
	for i := range d.Args {
		d.Args[i] = uint64(w[4+2*i+hi-2])<<32 | uint64(w[4+2*i+lo-2])
	}
	return d
}

// packet returns the i-th packet: cut at or around the end of a load for
// many of them, with compared constants planted at load offsets.
func (g *inputs) packet(r *rand.Rand, i int) ([]byte, *vm.Meta) {
	size := r.IntN(g.maxEnd + 24)
	if len(g.ends) > 0 && r.IntN(3) > 0 {
		size = max(0, g.ends[r.IntN(len(g.ends))]+r.IntN(3)-1)
	}
	pkt := make([]byte, size)
	for j := range pkt {
		pkt[j] = byte(r.Uint32())
	}
	if r.IntN(4) == 0 {
		clear(pkt)
	}
	for _, l := range g.loads {
		if r.IntN(3) == 0 {
			continue
		}
		off, sz := int(l[0]), int(l[1])
		if off+sz > len(pkt) {
			continue
		}
		v := g.word(r)
		switch sz {
		case 4:
			binary.BigEndian.PutUint32(pkt[off:], v)
		case 2:
			binary.BigEndian.PutUint16(pkt[off:], uint16(v))
		case 1:
			pkt[off] = byte(v)
		}
	}
	// Cut around the end of an indirect load, X taken from the header
	// length a ldxb 4*([k]&0xf) reads from this packet (or a constant).
	if len(g.ind) > 0 && r.IntN(3) == 0 {
		x := uint32(g.word(r) & 0xff)
		if len(g.msh) > 0 && r.IntN(4) > 0 {
			if k := int(g.msh[r.IntN(len(g.msh))]); k < len(pkt) {
				if r.IntN(2) == 0 {
					pkt[k] = pkt[k]&0xf0 | 5 // a plain IPv4 header
				}
				x = 4 * uint32(pkt[k]&0xf)
			}
		}
		for _, l := range g.ind {
			if off := int(x + l[0]); r.IntN(2) == 0 && off+int(l[1]) <= len(pkt) {
				v := g.word(r)
				switch l[1] {
				case 4:
					binary.BigEndian.PutUint32(pkt[off:], v)
				case 2:
					binary.BigEndian.PutUint16(pkt[off:], uint16(v))
				case 1:
					pkt[off] = byte(v)
				}
			}
		}
		l := g.ind[r.IntN(len(g.ind))]
		if cut := int(x+l[0]+l[1]) + r.IntN(3) - 1; cut < len(pkt) && cut >= 0 {
			pkt = pkt[:cut]
		}
	}
	if i%5 != 0 {
		return pkt, nil
	}
	m := &vm.Meta{
		Protocol: uint16(g.word(r)), PktType: uint8(r.IntN(8)), Ifindex: g.word(r), Mark: g.word(r),
		Queue: uint16(g.word(r)), Hatype: uint16(g.word(r)), VlanTCI: uint16(g.word(r)),
		VlanPresent: r.IntN(2) == 0, VlanTPID: uint16(g.word(r)), Rxhash: g.word(r), CPU: g.word(r),
		Rand: g.word(r), PayloadOffset: uint32(r.IntN(64)),
	}
	if r.IntN(2) == 0 {
		m.WireLen = uint32(len(pkt) + r.IntN(100))
	}
	return pkt, m
}
