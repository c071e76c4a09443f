package compile

import (
	"math/rand/v2"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/policy"
)

// TestKernelAgrees installs compiled filters under the real kernel (in a
// child process, with every return made observable by the oracle) and
// compares its decisions with policy.Eval.
func TestKernelAgrees(t *testing.T) {
	testenv.Kernel(t, true)
	r := rand.New(rand.NewPCG(3, 4))
	x86 := mustArch(t, "x86_64")
	var jobs []kernel.SeccompJob
	var pols []*policy.Policy
	var calls [][]policy.Call
	for i := 0; i < 60; i++ {
		as := []*arch.Arch{x86}
		if i%3 == 1 {
			as = append(as, mustArch(t, "x32"), mustArch(t, "x86"))
		}
		p := progen.Policy(r, as, 25)
		if i == 0 {
			p = dockerLike(t, x86)
		}
		prog, err := Compile(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var cs []policy.Call
		var ins []kernel.Input
		for _, c := range inputs(p, r, 80) {
			i386 := c.Arch == kernel.AuditArchI386
			if c.Arch != x86.Audit && !i386 || !i386 && kernel.Unfiltered(c.Nr) {
				continue // the probe makes native and i386 calls only; seccomp never sees 335 and 336
			}
			cs = append(cs, c)
			ins = append(ins, kernel.Input{Nr: c.Nr, Args: c.Args, I386: i386})
			if i386 {
				// A 64-bit caller's INT $0x80 hands seccomp its full
				// registers: the high words reach the filter, which must
				// decide on the low words the i386 syscall uses.
				for k := range c.Args {
					c.Args[k] |= uint64(r.Uint32()|1) << 32
				}
				cs = append(cs, c)
				ins = append(ins, kernel.Input{Nr: c.Nr, Args: c.Args, I386: true})
			}
		}
		jobs = append(jobs, kernel.SeccompJob{Prog: prog, Inputs: ins})
		pols = append(pols, p)
		calls = append(calls, cs)
	}
	run, err := kernel.SeccompBatch(jobs)
	if err != nil {
		t.Fatal(err)
	}
	n, i386 := 0, 0
	for i, res := range run.Results {
		if res.Err != nil {
			t.Fatalf("policy %d: %v", i, res.Err)
		}
		for j, got := range res.Rets {
			c := calls[i][j]
			c.IP = run.IP
			if c.Arch == kernel.AuditArchI386 {
				c.IP = run.IP386
				i386++
			}
			if want := policy.Eval(pols[i], c); uint32(want) != got {
				t.Fatalf("policy %d, call %+v: kernel %#08x, policy.Eval %v\n%s", i, c, got, want, pols[i])
			}
			n++
		}
	}
	t.Logf("%d calls under the kernel agree with policy.Eval (%d of them i386 calls through the compat entry)", n, i386)
	if i386 == 0 {
		t.Error("no i386 call was probed")
	}
}
