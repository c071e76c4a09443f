package verify

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/progen"
)

// TestStackKernel runs random stacks in the kernel: each filter alone,
// combined by StackReturn, against Stack's one program; the kernel also
// accepts every program Stack builds.
func TestStackKernel(t *testing.T) {
	needKernel(t)
	r := rand.New(rand.NewPCG(11, 6))
	type stack struct{ n, first int }
	var stacks []stack
	var jobs []kernel.SeccompJob
	for len(stacks) < 150 {
		progs := make([][]bpf.RawInstruction, 1+r.IntN(4))
		for j := range progs {
			progs[j] = progen.Program(r, progen.Seccomp, progen.Options{})
		}
		got, err := Stack(progs)
		if err != nil || len(got) > kernel.MaxSeccompProg {
			continue
		}
		var ins []kernel.Input
		for _, in := range progen.SeccompInputs(r, got, 40) {
			ins = append(ins, kernel.Input{Nr: in.Nr, Args: in.Args})
		}
		stacks = append(stacks, stack{len(progs), len(jobs)})
		for _, p := range progs {
			jobs = append(jobs, kernel.SeccompJob{Prog: p, Inputs: ins})
		}
		jobs = append(jobs, kernel.SeccompJob{Prog: got, Inputs: ins})
	}
	run, err := kernel.SeccompBatch(jobs)
	if err != nil {
		t.Fatal(err)
	}
	for si, s := range stacks {
		res := run.Results[s.first : s.first+s.n+1]
		for _, x := range res {
			if x.Err != nil {
				t.Fatalf("stack %d: the kernel refuses a program: %v", si, x.Err)
			}
		}
		for i := range res[s.n].Rets {
			rets := make([]uint32, s.n)
			for j := range rets {
				rets[j] = res[j].Rets[i]
			}
			if want, got := StackReturn(rets), res[s.n].Rets[i]; want != got {
				t.Fatalf("stack %d, input %d: the filters return %#x, combined %#x; Stack's program %#x", si, i, rets, want, got)
			}
		}
	}
}
