package optimize

import (
	"fmt"
	"math/rand/v2"

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
		n = 2
		if in.Jf == 0 || in.Jt == 0 && op.JumpOp() != opcode.JSET {
			n = 1
		}
		if op.Src() == opcode.K && int32(in.K) < 0 {
			n++
		}
		return n, false
	case op == opcode.RetK:
		return 2, false
	case op.IsReturn():
		return 1, false
	case op.Class() == opcode.ALU && op.Src() == opcode.X && (op.ALUOp() == opcode.DIV || op.ALUOp() == opcode.MOD):
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
		two := in.Jf != 0 && (in.Jt != 0 || op.JumpOp() == opcode.JSET)
		if two && opcode.Holds(op, a, k) {
			n-- // the "ja" to jf does not run
		}
		return n
	case op.Class() == opcode.ALU && op.Src() == opcode.X && (op.ALUOp() == opcode.DIV || op.ALUOp() == opcode.MOD):
		if fault {
			return 4
		}
		return 3
	case mode != Packet:
		return n
	case op.Class() == opcode.LD && op.Mode() == opcode.ABS && pureLoad(in.K):
		fast := absFast(op, in.K)
		if !fault {
			return fast
		}
		pre := 2 // mov, test
		if in.K != 0 {
			pre++
		}
		return pre + 8
	case op.Class() == opcode.LD && op.Mode() == opcode.IND:
		if fault {
			return n
		}
		return n - 2 // "A = 0; exit" skipped
	case op == opcode.LDX|opcode.B|opcode.MSH:
		fast := absFast(opcode.LD|opcode.B|opcode.ABS, in.K)
		if !fault {
			return 1 + fast + 5
		}
		pre := 2
		if in.K != 0 {
			pre++
		}
		return 1 + pre + 8
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
	opts              *vm.Options // the tracer of add, counting into n
	n                 int
}

// add runs one input (one Executed measures one program in one mode).
func (e *Executed) add(prog []bpf.RawInstruction, mode Mode, run func(*vm.Options) vm.Result) {
	if e.opts == nil {
		// Step has the registers after the instruction: a jump or a
		// division leaves A and X as they were.
		e.opts = &vm.Options{Trace: func(st vm.Step) { e.n += convRun(prog[st.PC], mode, st.A, st.X, st.Fault) }}
	}
	e.n = 0
	r := run(e.opts)
	n := e.n
	e.Inputs++
	e.sumInsns += r.Insns
	e.sumEBPF += n
	e.MaxInsns = max(e.MaxInsns, r.Insns)
	e.MaxEBPF = max(e.MaxEBPF, n)
	e.Insns = float64(e.sumInsns) / float64(e.Inputs)
	e.EBPF = float64(e.sumEBPF) / float64(e.Inputs)
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
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		return Executed{}, err
	}
	as := TestedArches(prog)
	if len(as) == 0 {
		as = []*arch.Arch{arch.Host()}
	}
	var e Executed
	for i, a := range as {
		scs := a.Syscalls()
		if i > 0 {
			e.Over += ", "
		}
		e.Over += fmt.Sprintf("the %d %s syscalls", len(scs), a.Name)
		for _, sc := range scs {
			d := vm.SeccompData{Nr: int32(sc.Number), Arch: a.Audit}
			e.add(prog, Seccomp, func(o *vm.Options) vm.Result { return m.RunSeccompOpts(d, o) })
		}
	}
	return e, nil
}

// ExecutedSeccompOn runs a seccomp filter on the given inputs.
func ExecutedSeccompOn(prog []bpf.RawInstruction, inputs []vm.SeccompData) (Executed, error) {
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		return Executed{}, err
	}
	e := Executed{Over: fmt.Sprintf("%d inputs", len(inputs))}
	for _, d := range inputs {
		e.add(prog, Seccomp, func(o *vm.Options) vm.Result { return m.RunSeccompOpts(d, o) })
	}
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
		if _, _, h := trace(m, p); !seen[h] && kept+len(p) <= exploreQueued {
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
	e := Executed{Over: fmt.Sprintf("%d packets", len(pkts))}
	if pkts == nil {
		if pkts, err = PathPackets(prog); err != nil {
			return Executed{}, err
		}
		e.Over = fmt.Sprintf("%d packets, one for each path found", len(pkts))
	}
	if metas != nil && len(metas) != len(pkts) {
		return Executed{}, fmt.Errorf("optimize: %d packet descriptions for %d packets", len(metas), len(pkts))
	}
	for i, p := range pkts {
		var meta *vm.Meta
		if metas != nil {
			meta = metas[i]
		}
		e.add(prog, Packet, func(o *vm.Options) vm.Result { return m.RunPacketOpts(p, meta, o) })
	}
	return e, nil
}
