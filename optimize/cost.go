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
	// to eBPF (bpf_convert_filter): a conditional jump is 1 instruction
	// when jf is 0, or jt is 0 for jeq/jgt/jge, else 2, plus 1 for a
	// constant with bit 31 set; a return is 2; anything else 1. The
	// prologue the kernel adds to every program is not counted.
	EBPF int
}

// Measure returns the cost of prog.
func Measure(prog []bpf.RawInstruction) Cost {
	c := Cost{Insns: len(prog)}
	for _, in := range prog {
		op := opcode.Op(in.Op)
		switch {
		case op.IsCondJump():
			n := 2
			if in.Jf == 0 || in.Jt == 0 && op.JumpOp() != opcode.JSET {
				n = 1
			}
			if op.Src() == opcode.K && int32(in.K) < 0 {
				n++
			}
			c.EBPF += n
		case op.IsReturn():
			c.EBPF += 2
		default:
			c.EBPF++
		}
	}
	return c
}

// ebpfRun is how many of an executed instruction's eBPF instructions run:
// a conditional jump converted to two (the test, then a "ja" to jf) runs
// one when its condition holds and two when it does not; otherwise as
// Measure counts.
func ebpfRun(in bpf.RawInstruction, a, x uint32) int {
	op := opcode.Op(in.Op)
	switch {
	case op.IsCondJump():
		n := 1
		k := in.K
		if op.Src() == opcode.K && int32(k) < 0 {
			n++
		}
		if op.Src() == opcode.X {
			k = x
		}
		two := in.Jf != 0 && (in.Jt != 0 || op.JumpOp() == opcode.JSET)
		if two && !opcode.Holds(op, a, k) {
			n++
		}
		return n
	case op.IsReturn():
		return 2
	}
	return 1
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

func (e *Executed) add(prog []bpf.RawInstruction, run func(*vm.Options) vm.Result) {
	if e.opts == nil {
		e.opts = &vm.Options{Trace: func(st vm.Step) { e.n += ebpfRun(prog[st.PC], st.A, st.X) }}
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
			e.add(prog, func(o *vm.Options) vm.Result { return m.RunSeccompOpts(d, o) })
		}
	}
	return e, nil
}

// PathPackets returns one packet for each path through a packet filter
// that a search steering packets down its tests finds (the search of
// Options.Prove, truncated packets included).
func PathPackets(prog []bpf.RawInstruction) ([][]byte, error) {
	m, err := vm.New(prog, vm.Packet)
	if err != nil {
		return nil, err
	}
	var pkts [][]byte
	seen := map[uint64]bool{}
	keep := func(p []byte) {
		if _, _, h := trace(m, p); !seen[h] {
			seen[h] = true
			pkts = append(pkts, append([]byte(nil), p...))
		}
	}
	r := rand.New(rand.NewPCG(uint64(len(prog)), 0x636f7374))
	if _, _, err := explore(m, m, prog, prog, newInputs(prog), r, 20000, keep); err != nil {
		return nil, err
	}
	return pkts, nil
}

// ExecutedPackets runs a packet filter on pkts; with none (nil), on the
// packets of PathPackets, so that each path weighs the same.
func ExecutedPackets(prog []bpf.RawInstruction, pkts [][]byte) (Executed, error) {
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
	for _, p := range pkts {
		e.add(prog, func(o *vm.Options) vm.Result { return m.RunPacketOpts(p, nil, o) })
	}
	return e, nil
}
