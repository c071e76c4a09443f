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
		var what func() string // the input, said only when it is needed
		if mode == Seccomp {
			d := gen.seccomp(r)
			ra, rb = ma.RunSeccomp(d), mb.RunSeccomp(d)
			what = func() string { return fmt.Sprintf("%+v", d) }
		} else {
			pkt, meta := gen.packet(r, i)
			ra, rb = ma.RunPacket(pkt, meta), mb.RunPacket(pkt, meta)
			what = func() string {
				w := fmt.Sprintf("packet % x (%d bytes)", pkt, len(pkt))
				if meta != nil {
					w += fmt.Sprintf(" with %+v", *meta)
				}
				return w
			}
		}
		if ra.Ret != rb.Ret {
			return "", &Error{Mode: mode, Input: in, Output: out,
				Why: fmt.Sprintf("on %s the input returns %#x, the result %#x", what(), ra.Ret, rb.Ret)}
		}
		if rb.Insns > ra.Insns {
			more = true
		}
	}
	steered := ""
	if mode == Packet {
		runs, paths, err := explore(ma, mb, in, out, gen, r, n, nil)
		if err != nil {
			return "", err
		}
		steered = fmt.Sprintf(" and %d packets steered down %d pairs of paths", runs, paths)
	}
	if more && !opts.Size && mode == Seccomp {
		return "more instructions executed", nil
	}
	return fmt.Sprintf("same results on %d inputs%s", n, steered), nil
}

// access is a load a run made (offset, size), or (val set) a value that
// would send a test the run made the other way if the load read it, or
// (size 0) a packet length (off) that would.
type access struct {
	off, size int
	val       uint32
}

// explore runs in and out on packets steered down the paths of both
// programs: starting from a few seeds, each packet's runs are traced, and
// for every test of a loaded value against a constant that either run
// made, a child packet gets the bytes that send the test the other way
// (and its neighbours: k, k±1, 0, all ones). Every packet is also tried
// cut one byte short of the end of each load either run made, so that
// every load that can fail is made to fail on every path reached. A
// packet whose pair of paths was seen before has no children, so the
// search ends when no new path turns up, after budget runs, or after
// exploreWork instructions run; packets waiting take at most
// exploreQueued bytes (children past that are not made).
func explore(ma, mb *vm.Machine, in, out []bpf.RawInstruction, gen *inputs, r *rand.Rand, budget int, visit func([]byte)) (runs, paths int, err error) {
	type item struct {
		pkt  []byte
		seed uint64
	}
	var queue []item
	queued, work := 0, 0
	push := func(it item) {
		if queued+len(it.pkt) <= exploreQueued {
			queued += len(it.pkt)
			queue = append(queue, it)
		}
	}
	for _, ihl := range []byte{0x45, 0, 0x46, 0x4f} {
		pkt := make([]byte, gen.maxEnd+24)
		for _, k := range gen.msh {
			pkt[k] = ihl
		}
		push(item{pkt, uint64(len(queue))})
		if len(gen.msh) == 0 {
			break
		}
	}
	for i := 0; i < 8; i++ {
		pkt, _ := gen.packet(r, 1)
		push(item{pkt, uint64(len(queue))})
	}
	// Packets as long as the programs' constants (and their negations,
	// and one either side), for tests of the length that went through
	// M[] or X where trace does not follow them.
	if gen.len {
		lens := map[uint32]bool{}
		for _, k := range gen.ks {
			for _, v := range []uint32{k, -k} {
				for _, n := range []uint32{v - 1, v, v + 1} {
					if n <= 9000 && !lens[n] {
						lens[n] = true
						push(item{make([]byte, n), 0})
					}
				}
			}
		}
	}
	// A path is new for the packets of one seed: packets of different
	// seeds differ in bytes that no test has read yet (the header
	// length that an indirect load adds, for one).
	seen := map[[3]uint64]bool{}
	// compare counts a run of both programs on c (a traced run counts
	// twice an untraced one) and reports a disagreement.
	compare := func(c []byte, ra, rb vm.Result) error {
		runs++
		if visit != nil {
			visit(c)
		}
		work += 2 * (ra.Insns + rb.Insns)
		if ra.Ret != rb.Ret {
			return &Error{Mode: Packet, Input: in, Output: out,
				Why: fmt.Sprintf("on packet % x (%d bytes) the input returns %#x, the result %#x", c, len(c), ra.Ret, rb.Ret)}
		}
		return nil
	}
	check := func(c []byte) error { return compare(c, ma.RunPacket(c, nil), mb.RunPacket(c, nil)) }
	for len(queue) > 0 && runs < budget && work < exploreWork {
		it := queue[0]
		queue[0] = item{} // the backing array must not keep it alive
		queue = queue[1:]
		queued -= len(it.pkt)
		pkt := it.pkt
		la, fa, sa, ra := trace(ma, pkt)
		lb, fb, sb, rb := trace(mb, pkt)
		if err := compare(pkt, ra, rb); err != nil {
			return runs, len(seen), err
		}
		if seen[[3]uint64{it.seed, sa, sb}] {
			continue
		}
		seen[[3]uint64{it.seed, sa, sb}] = true
		cut := map[int]bool{}
		for _, l := range append(la, lb...) {
			if end := l.off + l.size; end >= 1 && end <= len(pkt) && !cut[end] {
				cut[end] = true
				if err := check(pkt[:end-1]); err != nil {
					return runs, len(seen), err
				}
			}
		}
		for _, f := range append(fa, fb...) {
			if f.size == 0 {
				// A packet f.off bytes long.
				c := append([]byte(nil), pkt[:min(len(pkt), f.off)]...)
				c = append(c, make([]byte, f.off-len(c))...)
				push(item{c, it.seed})
				continue
			}
			if f.off+f.size > 4096 {
				continue
			}
			c := append([]byte(nil), pkt...)
			for len(c) < f.off+f.size {
				c = append(c, 0)
			}
			v := f.val
			for b := f.size - 1; b >= 0; b-- {
				c[f.off+b] = byte(v)
				v >>= 8
			}
			push(item{c, it.seed})
		}
	}
	return runs, len(seen), nil
}

// Bounds of explore: the bytes of packets waiting, and the instructions
// run (a program of 4096 instructions, each run to its end, gets about
// 2500 packets).
const (
	exploreQueued = 16 << 20
	exploreWork   = 40_000_000
)

// trace runs m on pkt and returns the loads it made, the values that
// would flip its tests of a loaded value against a constant, a hash of
// the path it took, and its result.
func trace(m *vm.Machine, pkt []byte) (loads, flips []access, path uint64, res vm.Result) {
	last := -1 // the load whose value A holds, masked by and
	and := uint32(0)
	// A = lenSign*len + lenAdd when lenSign is not 0: tests of the
	// packet length flip by a packet of another length.
	lenSign, lenAdd := 0, uint32(0)
	x := uint32(0)
	path = 14695981039346656037
	res = m.RunPacketOpts(pkt, nil, &vm.Options{Trace: func(st vm.Step) {
		path = (path ^ uint64(st.PC)) * 1099511628211
		op := opcode.Op(st.Insn.Op)
		size := op.LoadBytes()
		if lenSign != 0 {
			switch {
			case op == opcode.ALU|opcode.NEG:
				lenSign, lenAdd = -lenSign, -lenAdd
				return
			case op == opcode.ALU|opcode.ADD|opcode.K:
				lenAdd += st.Insn.K
				return
			case op == opcode.ALU|opcode.SUB|opcode.K:
				lenAdd -= st.Insn.K
				return
			case op.IsCondJump() && op.Src() == opcode.K:
				k := st.Insn.K
				for _, v := range []uint32{k, k + 1, k - 1} {
					n := v - lenAdd
					if lenSign < 0 {
						n = -n
					}
					if n <= 9000 {
						flips = append(flips, access{off: int(n), size: 0})
					}
				}
				return
			case op.WritesA():
				lenSign = 0
			}
		}
		switch {
		case op == opcode.LD|opcode.W|opcode.LEN:
			lenSign, lenAdd, last = 1, 0, -1
		case op.Class() == opcode.LD && op.Mode() == opcode.ABS && st.Insn.K < 1<<16:
			loads = append(loads, access{off: int(st.Insn.K), size: size})
			last, and = len(loads)-1, 0xffffffff
		case op.Class() == opcode.LD && op.Mode() == opcode.IND && uint64(x)+uint64(st.Insn.K) < 1<<16:
			loads = append(loads, access{off: int(x + st.Insn.K), size: size})
			last, and = len(loads)-1, 0xffffffff
		case op == opcode.LDX|opcode.B|opcode.MSH && st.Insn.K < 1<<16:
			loads = append(loads, access{off: int(st.Insn.K), size: 1})
		case op.IsCondJump() && op.Src() == opcode.K && last >= 0:
			l := loads[last]
			k := st.Insn.K
			mask := uint32(1)<<(8*l.size) - 1
			if l.size == 4 {
				mask = 0xffffffff
			}
			for _, v := range []uint32{k, k + 1, k - 1, 0, mask & and} {
				if v&mask&and == v {
					flips = append(flips, access{off: l.off, size: l.size, val: v})
				}
			}
		case op == opcode.ALU|opcode.AND|opcode.K:
			and &= st.Insn.K
		case op.WritesA():
			last = -1
		}
		if !st.Fault {
			x = st.X
		}
	}})
	return loads, flips, path, res
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
	len    bool // a program reads the length
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
				if op.Mode() == opcode.LEN {
					g.len = true
				}
				if op.Mode() == opcode.IMM {
					g.ks = append(g.ks, ins.K)
				}
				if op.Mode() == opcode.ABS || op.Mode() == opcode.IND || op.Mode() == opcode.MSH {
					size := uint32(op.LoadBytes())
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
