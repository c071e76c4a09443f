package compile

import (
	"math/rand/v2"
	"testing"

	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/policy"
)

// BenchmarkCompileLarge compiles a policy of a few hundred argument
// rules on x86_64: a filter of about 2000 instructions, so that the
// clean-up passes and the layout (with far jumps and trampolines) weigh
// in, not just the search tree.
func BenchmarkCompileLarge(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 8))
	a := mustArch(b, "x86_64")
	p := policy.New(policy.Errno(1)).On(a)
	scs := a.Syscalls()
	acts := []policy.Action{policy.Allow, policy.KillProcess, policy.Errno(3), policy.Log}
	for range 260 {
		p.Add(scs[r.IntN(len(scs))].Name, progen.Expr(r, 2), acts[r.IntN(len(acts))])
	}
	prog, err := Compile(p, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Compile(p, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(prog)), "insns")
}
