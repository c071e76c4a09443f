package compile

import (
	"math/rand/v2"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/kernel"
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
		p := randomPolicy(r, as)
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
			if c.Arch != x86.Audit || kernel.Unfiltered(c.Nr) {
				continue // only the native arch can be probed; seccomp never sees these two calls
			}
			cs = append(cs, c)
			ins = append(ins, kernel.Input{Nr: c.Nr, Args: c.Args})
		}
		jobs = append(jobs, kernel.SeccompJob{Prog: prog, Inputs: ins})
		pols = append(pols, p)
		calls = append(calls, cs)
	}
	run, err := kernel.SeccompBatch(jobs)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, res := range run.Results {
		if res.Err != nil {
			t.Fatalf("policy %d: %v", i, res.Err)
		}
		for j, got := range res.Rets {
			c := calls[i][j]
			c.IP = run.IP
			if want := policy.Eval(pols[i], c); uint32(want) != got {
				t.Fatalf("policy %d, call %+v: kernel %#08x, policy.Eval %v\n%s", i, c, got, want, pols[i])
			}
			n++
		}
	}
	t.Logf("%d calls under the kernel agree with policy.Eval", n)
}
