package optimize

import (
	"fmt"
	"time"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/verify"
)

// Mode says what a program reads: struct seccomp_data or a packet.
type Mode = verify.Mode

// The modes, as in package vm.
const (
	Seccomp = verify.Mode(0)
	Packet  = verify.Mode(1)
)

// Options tune Program. The zero value optimizes for speed without
// proving.
type Options struct {
	// Size allows changes that shorten the program but may make some
	// inputs run more instructions. Without it no seccomp input runs
	// more instructions than before (see the package doc); packet mode
	// always optimizes for size.
	Size bool
	// Prove checks the result before returning it (see the package doc);
	// a result that differs from the input is an *Error, never returned.
	Prove bool
	// ProveTimeout bounds the symbolic proof in seccomp mode; 0 means 2s.
	// The differential run that follows an incomplete proof is not
	// bounded by it.
	ProveTimeout time.Duration
	// Inputs is how many inputs the differential run tries; 0 means 20000.
	Inputs int
}

// Report says what Program did.
type Report struct {
	Before, After Cost
	// Passes is each pass's number of changes, in the order of the list.
	Passes []PassChanges
	// Sweeps is how many sweeps of the pass list ran to the fixed point.
	Sweeps int
	// Kept, when not empty, says why the input is returned unchanged
	// although the passes changed it (the result failed a guard: kernel
	// check, length, cacheability, executed instructions).
	Kept string
	// Proof says how the result was checked ("" without Options.Prove).
	Proof string
}

// PassChanges is how many changes one pass made.
type PassChanges struct {
	Name    string
	Changes int
}

// Error is a result that failed its proof: a bug of the optimizer, with
// what is needed to report it.
type Error struct {
	Mode          Mode
	Input, Output []bpf.RawInstruction
	// Why says how the programs differ: the input they disagree on and
	// what each returns.
	Why string
}

func (e *Error) Error() string {
	return fmt.Sprintf("optimize: the optimized program differs from the input (%s); please report this bug with the input program:\n%s", e.Why, opcode.Program(e.Input))
}

// Program returns prog optimized for mode, or prog itself when nothing
// could be improved. The input must be a program the kernel accepts in
// mode; the result is one too, and returns what prog returns on every
// input.
func Program(prog []bpf.RawInstruction, mode Mode, opts Options) ([]bpf.RawInstruction, *Report, error) {
	if mode != Seccomp && mode != Packet {
		return nil, nil, fmt.Errorf("optimize: unknown mode %v", mode)
	}
	if ds := verify.KernelCheck(prog, mode); len(ds) > 0 {
		return nil, nil, fmt.Errorf("optimize: the input is not a valid %v program: %v", mode, ds[0])
	}
	in := append([]bpf.RawInstruction(nil), prog...)
	rep := &Report{Before: Measure(in, mode), After: Measure(in, mode)}
	g, err := lift(in, mode)
	if err != nil {
		return nil, nil, err
	}
	g.size = opts.Size
	if mode == Seccomp && !opts.Size { // what layout's speed rule compares with
		if e, err := ExecutedSeccomp(in); err == nil {
			g.inRun = e.sumEBPF
		}
	}
	for {
		var sweeps int
		sweeps, err = passes.Fix(g, (*graph).weight)
		rep.Sweeps += sweeps
		if err != nil || !peepholes.Sweep(g) {
			break
		}
	}
	for _, name := range passNames() {
		rep.Passes = append(rep.Passes, PassChanges{Name: name, Changes: g.noted[name]})
	}
	if err != nil {
		return nil, rep, fmt.Errorf("optimize: internal error: %w", err)
	}
	out, tramps, err := g.layout()
	if err != nil {
		rep.Kept = "layout: " + err.Error()
		return in, rep, nil
	}
	if why := guard(in, out, mode, opts); why != "" {
		rep.Kept = why
		out = in
	} else if tramps > 0 && mode == Seccomp && !opts.Size {
		// A trampoline runs: a path through it may now be longer than
		// in the input, and sampling inputs cannot show that none is
		// (a review found one in 130 libseccomp filters that 25000
		// samples missed). Without a proof, the input stays.
		rep.Kept, out = "a far jump needs a trampoline, and no input may run more instructions (Size allows it)", in
	}
	if opts.Prove {
		proof, err := prove(in, out, mode, opts)
		rep.Proof = proof
		if err != nil {
			return nil, rep, err
		}
		if proof == "more instructions executed" {
			rep.Kept, out = "an input runs more instructions", in
		}
	}
	rep.After = Measure(out, mode)
	return out, rep, nil
}

// guard returns why out may not replace in, or "".
func guard(in, out []bpf.RawInstruction, mode Mode, opts Options) string {
	if ds := verify.KernelCheck(out, mode); len(ds) > 0 {
		// The kernel's check of scratch memory follows the layout (it
		// carries what is written across a return into the next
		// instruction): a layout can fail it where the input did not.
		return "the kernel would reject the result: " + ds[0].String()
	}
	if len(out) > len(in) { // with Size too: it asks for shorter
		return "the result is longer"
	}
	if len(out) == len(in) {
		same := true
		for i := range in {
			if in[i] != out[i] {
				same = false
				break
			}
		}
		if same {
			return ""
		}
	}
	if mode == Seccomp {
		if audit, nr, ok := lostCache(in, out); ok {
			return fmt.Sprintf("syscall %d of arch %#x would no longer be cached", nr, audit)
		}
	}
	return ""
}

// lostCache looks for an arch and syscall the kernel caches as allowed
// with in but not with out. The arches tried are the constants the
// programs compare with; the numbers, 0 to 1023 and those constants.
func lostCache(in, out []bpf.RawInstruction) (audit, nr uint32, lost bool) {
	seen := map[uint32]bool{}
	var ks []uint32
	for _, p := range [][]bpf.RawInstruction{in, out} {
		for _, ins := range p {
			if op := opcode.Op(ins.Op); op.IsCondJump() && op.Src() == opcode.K && !seen[ins.K] {
				seen[ins.K] = true
				ks = append(ks, ins.K)
			}
		}
	}
	var arches []uint32
	for _, k := range ks {
		// AUDIT_ARCH values carry __AUDIT_ARCH_64BIT or _LE, or are
		// small EM_ numbers (i386 is 0x40000003).
		if k&0xc0000000 != 0 {
			arches = append(arches, k)
		}
	}
	if len(arches) > 16 {
		arches = arches[:16]
	}
	for _, a := range arches {
		for n := uint32(0); n < 1024+uint32(len(ks)); n++ {
			x := n
			if n >= 1024 {
				x = ks[n-1024]
			}
			if verify.CacheAllows(in, a, x) && !verify.CacheAllows(out, a, x) {
				return a, x, true
			}
		}
	}
	return 0, 0, false
}
