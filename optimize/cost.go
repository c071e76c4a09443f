package optimize

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/vm"
)

// Cost measures a program.
type Cost struct {
	Insns int // classic instructions
	// EBPF is the length of the program once the kernel has converted it
	// to eBPF (bpf_convert_filter in net/core/filter.c; see conv), the
	// prologue it adds to every program not counted.
	EBPF int
	// Approx is set when the program has instructions whose conversion
	// is not modelled exactly (ancillary packet loads, counted as 1).
	Approx bool
}

// Measure returns the cost of prog in mode.
//
// The eBPF length counts each classic instruction as bpf_convert_filter
// converts it (Linux 6.x, on an arch with efficient unaligned access: x86_64,
// arm64, ppc64le, s390x):
//
//   - a conditional jump is 1 eBPF instruction when jf is 0, or when jt
//     is 0 for jeq, jgt and jge (inverted to jne, jle, jlt), else 2 (the
//     test, then a "ja" to jf, run only when the test fails); a constant
//     with bit 31 set adds a move before it;
//   - "ret #k" is 2 (a move to R0, exit); "ret a" is 1 (A is R0);
//   - division and modulo by X are 5 (a zero-extending move, a test of X,
//     then "A = 0; exit" for X = 0, then the operation): 3 run when X is
//     not 0, 4 when it is;
//   - in seccomp mode a load of seccomp_data or of its length is 1;
//   - in packet mode, an absolute load of the packet is a fast path (a
//     move, a subtraction unless k is 0, a bounds test, the load, or 3
//     instructions for k > 32767, a byte swap for half-words and words,
//     a "ja" over the slow path) and a slow path of 8 (4 moves, a helper
//     call, a test, "A = 0; exit"): the fast path runs when the load is
//     in bounds; when it is not, the move, subtraction and test, then
//     the whole slow path;
//   - an indirect load is the slow path only, with X (plus k unless k is
//     0) as the offset: 8 or 9, of which 6 or 7 run when in bounds;
//   - "ldx 4*([k]&0xf)" is a move, an absolute byte load, and 5 more;
//   - everything else is 1.
//
// Ancillary packet loads (SKF_AD_*, SKF_NET_OFF, SKF_LL_OFF) are counted
// as 1 and reported as approximate.
func Measure(prog []bpf.RawInstruction, mode Mode) Cost {
	c := Cost{Insns: len(prog)}
	for _, in := range prog {
		n, approx := conv(in, mode)
		c.EBPF += n
		c.Approx = c.Approx || approx
	}
	return c
}

// conv is the conversion of one instruction (see Measure).
func conv(in bpf.RawInstruction, mode Mode) (n int, approx bool) {
	op := opcode.Op(in.Op)
	switch {
	case op.IsCondJump():
		n = 1
		if twoJumps(in) {
			n++
		}
		if op.Src() == opcode.K && int32(in.K) < 0 {
			n++
		}
		return n, false
	case op == opcode.RetK:
		return 2, false
	case op.IsReturn():
		return 1, false
	case op.DividesByX():
		return 5, false
	case mode != Packet:
		return 1, false
	case op.Class() == opcode.LD && op.Mode() == opcode.ABS:
		if !pureLoad(in.K) {
			return 1, true
		}
		return absFast(op, in.K) + 8, false
	case op.Class() == opcode.LD && op.Mode() == opcode.IND:
		if in.K == 0 {
			return 8, false
		}
		return 9, false
	case op == opcode.LDX|opcode.B|opcode.MSH:
		return 1 + absFast(opcode.LD|opcode.B|opcode.ABS, in.K) + 8 + 5, false
	}
	return 1, false
}

// twoJumps reports whether conditional jump in converts to a test and a
// "ja" to jf (neither jf nor, for jeq/jgt/jge, jt is 0).
func twoJumps(in bpf.RawInstruction) bool {
	return in.Jf != 0 && (in.Jt != 0 || opcode.Op(in.Op).JumpOp() == opcode.JSET)
}

// absFast is the length of the fast path of an absolute packet load.
func absFast(op opcode.Op, k uint32) int {
	n := 3 // mov, bounds test, ja
	if k != 0 {
		n++ // sub
	}
	if k <= 32767 {
		n++ // the load
	} else {
		n += 3
	}
	if op.Size() != opcode.B {
		n++ // byte swap
	}
	return n
}

// absMiss is what an absolute packet load at k runs out of bounds: the
// move, the subtraction unless k is 0, the bounds test, the slow path.
func absMiss(k uint32) int {
	if k == 0 {
		return 2 + 8
	}
	return 3 + 8
}

// convRun is how many of an executed instruction's eBPF instructions run,
// given the registers before it and whether it faulted (a packet load out
// of bounds, a division by X = 0: the run ends with 0).
func convRun(in bpf.RawInstruction, mode Mode, a, x uint32, fault bool) int {
	op := opcode.Op(in.Op)
	n, _ := conv(in, mode)
	switch {
	case op.IsCondJump():
		k := in.K
		if op.Src() == opcode.X {
			k = x
		}
		if twoJumps(in) && opcode.Holds(op, a, k) {
			n-- // the "ja" to jf does not run
		}
		return n
	case op.DividesByX():
		if fault {
			return 4
		}
		return 3
	case mode != Packet:
		return n
	case op.Class() == opcode.LD && op.Mode() == opcode.ABS && pureLoad(in.K):
		if fault {
			return absMiss(in.K)
		}
		return absFast(op, in.K)
	case op.Class() == opcode.LD && op.Mode() == opcode.IND:
		if fault {
			return n
		}
		return n - 2 // "A = 0; exit" skipped
	case op == opcode.LDX|opcode.B|opcode.MSH:
		if fault {
			return 1 + absMiss(in.K)
		}
		return 1 + absFast(opcode.LD|opcode.B|opcode.ABS, in.K) + 5
	}
	return n
}

// Executed is what runs when a program runs on a set of inputs, in
// classic instructions and in the eBPF instructions they convert to
// (counted as Measure counts them, a two-instruction jump costing one
// when its condition holds).
type Executed struct {
	// Over says which inputs: for a seccomp filter, every syscall of
	// each arch it tests (arguments 0); for a packet filter, the packets
	// given, or one packet for each path found.
	Over              string
	Inputs            int
	Insns, EBPF       float64 // means over the inputs
	MaxInsns, MaxEBPF int
	sumInsns, sumEBPF int
}

// meter counts what the runs of one program in one mode execute.
type meter struct {
	e    Executed
	n    int // eBPF instructions of the run in progress
	opts vm.Options
}

func newMeter(prog []bpf.RawInstruction, mode Mode, over string) *meter {
	m := &meter{e: Executed{Over: over}}
	// Step has the registers after the instruction: a jump or a division
	// leaves A and X as they were.
	m.opts.Trace = func(st vm.Step) { m.n += convRun(prog[st.PC], mode, st.A, st.X, st.Fault) }
	return m
}

// start begins a run: its options go to the VM, and its result to count.
func (m *meter) start() *vm.Options {
	m.n = 0
	return &m.opts
}

// count counts the run begun with start, which returned r.
func (m *meter) count(r vm.Result) {
	e := &m.e
	e.Inputs++
	e.sumInsns += r.Insns
	e.sumEBPF += m.n
	e.MaxInsns = max(e.MaxInsns, r.Insns)
	e.MaxEBPF = max(e.MaxEBPF, m.n)
}

// result is what the runs executed, with the means.
func (m *meter) result() Executed {
	e := m.e
	if e.Inputs > 0 {
		e.Insns = float64(e.sumInsns) / float64(e.Inputs)
		e.EBPF = float64(e.sumEBPF) / float64(e.Inputs)
	}
	return e
}

// TestedArches returns the arches whose AUDIT_ARCH value a seccomp filter
// compares the arch word with, in the order of the filter: the constants
// of the tests that follow a load of seccomp_data.arch with nothing
// between them that changes A (the shape every filter generator emits).
func TestedArches(prog []bpf.RawInstruction) []*arch.Arch {
	var as []*arch.Arch
	seen := map[uint32]bool{}
	holds := false // A holds the arch word, in program order
	for _, in := range prog {
		op := opcode.Op(in.Op)
		switch {
		case op == opcode.LD|opcode.W|opcode.ABS:
			holds = in.K == opcode.SeccompArch
		case op.IsCondJump():
			if holds && op.Src() == opcode.K && !seen[in.K] {
				seen[in.K] = true
				if a := arch.ByAudit(in.K); a != nil {
					as = append(as, a)
				}
			}
		case op.WritesA():
			holds = false
		}
	}
	return as
}

// ExecutedSeccomp runs a seccomp filter on every syscall of each arch it
// tests (the numbers of package arch's table, arguments 0); on the host's
// arch when it tests none.
func ExecutedSeccomp(prog []bpf.RawInstruction) (Executed, error) {
	as := TestedArches(prog)
	if len(as) == 0 {
		as = []*arch.Arch{arch.Host()}
	}
	var over []string
	for _, a := range as {
		over = append(over, fmt.Sprintf("the %d %s syscalls", len(a.Syscalls()), a.Name))
	}
	e, err := ExecutedSeccompOn(prog, func(yield func(vm.SeccompData) bool) {
		for _, a := range as {
			for _, sc := range a.Syscalls() {
				if !yield(vm.SeccompData{Nr: int32(sc.Number), Arch: a.Audit}) {
					return
				}
			}
		}
	})
	e.Over = strings.Join(over, ", ")
	return e, err
}

// ExecutedSeccompOn runs a seccomp filter on the given inputs.
func ExecutedSeccompOn(prog []bpf.RawInstruction, inputs iter.Seq[vm.SeccompData]) (Executed, error) {
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		return Executed{}, err
	}
	mt := newMeter(prog, Seccomp, "")
	for d := range inputs {
		mt.count(m.RunSeccompOpts(d, mt.start()))
	}
	e := mt.result()
	e.Over = fmt.Sprintf("%d inputs", e.Inputs)
	return e, nil
}

// PathPackets returns one packet for each path through a packet filter
// that a search steering packets down its tests finds (the search of
// Options.Prove, truncated packets included), up to 16 MB of them.
func PathPackets(prog []bpf.RawInstruction) ([][]byte, error) {
	m, err := vm.New(prog, vm.Packet)
	if err != nil {
		return nil, err
	}
	var pkts [][]byte
	seen := map[uint64]bool{}
	kept := 0
	keep := func(p []byte) {
		if _, _, h, _ := trace(m, p); !seen[h] && kept+len(p) <= exploreQueued {
			seen[h] = true
			kept += len(p)
			pkts = append(pkts, append([]byte(nil), p...))
		}
	}
	r := rand.New(rand.NewPCG(uint64(len(prog)), 0x636f7374))
	if _, _, err := explore(m, m, prog, prog, newInputs(prog), r, 20000, keep); err != nil {
		return nil, err
	}
	return pkts, nil
}

// ExecutedPackets runs a packet filter on pkts, packet i with what
// metas[i] says of it (its wire length, what "len" reads; the network
// header's offset for SKF_NET_OFF loads; ancillary fields) where metas
// is not nil and metas[i] is not nil; with no packets (nil), on those of
// PathPackets, so that each path weighs the same.
func ExecutedPackets(prog []bpf.RawInstruction, pkts [][]byte, metas []*vm.Meta) (Executed, error) {
	m, err := vm.New(prog, vm.Packet)
	if err != nil {
		return Executed{}, err
	}
	over := fmt.Sprintf("%d packets", len(pkts))
	if pkts == nil {
		if pkts, err = PathPackets(prog); err != nil {
			return Executed{}, err
		}
		over = fmt.Sprintf("%d packets, one for each path found", len(pkts))
	}
	if metas != nil && len(metas) != len(pkts) {
		return Executed{}, fmt.Errorf("optimize: %d packet descriptions for %d packets", len(metas), len(pkts))
	}
	mt := newMeter(prog, Packet, over)
	for i, p := range pkts {
		var meta *vm.Meta
		if metas != nil {
			meta = metas[i]
		}
		mt.count(m.RunPacketOpts(p, meta, mt.start()))
	}
	return mt.result(), nil
}
