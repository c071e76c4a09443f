package compile

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// Review tests: predicates that stress the value-set dispatch (an Or of
// many comparisons of one argument), the 2^32 boundaries, empty And/Or and
// deep nesting, compared with policy.Eval on every interval endpoint ±1.

// boundaryValues are values at and around the word boundaries.
var boundaryValues = []uint64{
	0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	1 << 32, 1<<32 + 1, 1<<32 - 1, 0x1ffffffff, 0x200000000,
	0xffffffff00000000, 0xffffffff00000001, 0xfffffffeffffffff,
	0x7fffffffffffffff, 0x8000000000000000, ^uint64(0) - 1, ^uint64(0),
	0xffffffffffffff9c, 0x100000002,
}

func reviewValue(r *rand.Rand) uint64 {
	switch r.IntN(4) {
	case 0:
		return r.Uint64() >> r.IntN(64)
	case 1:
		return boundaryValues[r.IntN(len(boundaryValues))] + uint64(r.IntN(3)) - 1
	}
	return boundaryValues[r.IntN(len(boundaryValues))]
}

func reviewCmp(r *rand.Rand, arg int) *policy.Cmp {
	c := &policy.Cmp{Arg: arg, Op: policy.Op(r.IntN(7)), Value: reviewValue(r), Bits: 64}
	if r.IntN(3) == 0 {
		c.Bits = 32
		c.Value &= 0xffffffff
	}
	if c.Op == policy.MaskedEQ {
		c.Mask = reviewValue(r)
		if r.IntN(2) == 0 {
			c.Mask = []uint64{0xffffffff00000000, 0xffffffff, 1 << 32, 1, 0x80000000}[r.IntN(5)]
		}
		if c.Bits == 32 {
			c.Mask &= 0xffffffff
		}
		if r.IntN(4) > 0 {
			c.Value &= c.Mask
		}
	}
	return c
}

// reviewExpr favours Ors of several comparisons of the same argument.
func reviewExpr(r *rand.Rand, depth int) policy.Expr {
	if depth == 0 || r.IntN(4) == 0 {
		return reviewCmp(r, r.IntN(3))
	}
	n := r.IntN(7) // 0: an empty And or Or
	xs := make([]policy.Expr, n)
	arg := r.IntN(3)
	for i := range xs {
		if r.IntN(4) == 0 {
			xs[i] = reviewExpr(r, depth-1)
		} else {
			xs[i] = reviewCmp(r, arg)
		}
	}
	switch r.IntN(5) {
	case 0:
		return policy.And(xs)
	case 1:
		if n == 0 {
			return &policy.Not{X: policy.Or{}}
		}
		return &policy.Not{X: policy.Or(xs)}
	}
	return policy.Or(xs)
}

// endpointInputs gives, for each argument, the constants of the policy
// and their neighbours, with high and low words mixed.
func endpointInputs(p *policy.Policy) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	add := func(v uint64) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	var walk func(e policy.Expr)
	walk = func(e policy.Expr) {
		switch e := e.(type) {
		case *policy.Cmp:
			for _, v := range []uint64{e.Value, e.Mask, e.Value | ^e.Mask, e.Value &^ e.Mask} {
				for _, d := range []uint64{0, 1, ^uint64(0), 2, ^uint64(1)} {
					add(v + d)
					add((v + d) & 0xffffffff)
					add((v+d)&0xffffffff | 0xffffffff00000000)
					add((v + d) &^ 0xffffffff)
				}
			}
		case policy.And:
			for _, x := range e {
				walk(x)
			}
		case policy.Or:
			for _, x := range e {
				walk(x)
			}
		case *policy.Not:
			walk(e.X)
		}
	}
	for _, rule := range p.Rules {
		walk(rule.When)
	}
	for _, v := range boundaryValues {
		add(v)
	}
	return out
}

// evalAgainstVM compiles p and runs calls, checking every result against
// policy.Eval. It returns the first disagreement.
func evalAgainstVM(t *testing.T, p *policy.Policy, calls []policy.Call) error {
	t.Helper()
	prog, err := Compile(p, Options{})
	if err != nil {
		return fmt.Errorf("Compile: %v", err)
	}
	if ds := verify.KernelCheck(prog, verify.Seccomp); len(ds) > 0 {
		return fmt.Errorf("the kernel would reject the filter: %v", ds)
	}
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		return err
	}
	for _, c := range calls {
		want := policy.Eval(p, c)
		got := m.RunSeccomp(vm.SeccompData{Nr: c.Nr, Arch: c.Arch, InstructionPointer: c.IP, Args: c.Args})
		if uint32(want) != got.Ret {
			return fmt.Errorf("call %+v: filter returns %#08x, policy.Eval %v (%#08x)", c, got.Ret, want, uint32(want))
		}
	}
	return nil
}

func TestReviewValueSets(t *testing.T) {
	r := rand.New(rand.NewPCG(77, 1))
	archSets := [][]string{{"x86_64"}, {"s390x"}, {"x86"}, {"ppc64"}, {"mips"}, {"x32"}, {"aarch64", "arm"}}
	acts := []policy.Action{policy.Allow, policy.Errno(1), policy.KillProcess, policy.Trap(2), policy.Log}
	names := []string{"read", "ioctl", "socket", "connect", "shmget", "socketcall", "ipc", "mmap"}
	for i := 0; i < reviewN(300); i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, mustArch(t, n))
		}
		p := policy.New(acts[r.IntN(len(acts))])
		p.Arches = as
		for j := 0; j < 1+r.IntN(4); j++ {
			p.Add(names[r.IntN(len(names))], reviewExpr(r, 3), acts[r.IntN(len(acts))])
		}
		vals := endpointInputs(p)
		var calls []policy.Call
		for n := 0; n < 400; n++ {
			a := as[r.IntN(len(as))]
			rule := p.Rules[r.IntN(len(p.Rules))]
			nr, ok := a.SyscallNumber(rule.Syscall)
			c := policy.Call{Arch: a.Audit}
			if mux, call, isMux := a.Multiplexed(rule.Syscall); isMux && (!ok || r.IntN(2) == 0) {
				nr, _ = a.SyscallNumber(mux)
				c.Args[0] = uint64(call)
				if r.IntN(4) == 0 {
					c.Args[0] |= 1 << 32
				}
			} else if !ok {
				continue
			}
			c.Nr = int32(nr)
			for k := range c.Args {
				if k == 0 && c.Args[0] != 0 && r.IntN(2) == 0 {
					continue
				}
				c.Args[k] = vals[r.IntN(len(vals))]
			}
			calls = append(calls, c)
		}
		if err := evalAgainstVM(t, p, calls); err != nil {
			t.Fatalf("policy %d: %v\npolicy:\n%s", i, err, p)
		}
	}
}

// reviewN is n, or more with REVIEW_SCALE set (for long local runs).
func reviewN(n int) int {
	if s := os.Getenv("REVIEW_SCALE"); s != "" {
		if k, err := strconv.Atoi(s); err == nil {
			return n * k
		}
	}
	return n
}

// TestReviewHugePolicies fills filters up towards the 4096-instruction
// limit so that many jumps need trampolines, and checks every syscall of
// the policy against policy.Eval.
func TestReviewHugePolicies(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	acts := []policy.Action{policy.Allow, policy.Errno(1), policy.KillProcess, policy.Trap(2), policy.Log, policy.Errno(13)}
	archSets := [][]string{{"x86_64"}, {"x86_64", "x32", "x86"}, {"s390x"}, {"mips", "aarch64"}}
	for i := 0; i < reviewN(8); i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, mustArch(t, n))
		}
		scs := as[0].Syscalls()
		p := policy.New(acts[r.IntN(len(acts))])
		p.Arches = as
		nRules := 200 + r.IntN(900)
		for j := 0; j < nRules; j++ {
			sc := scs[r.IntN(len(scs))]
			var when policy.Expr
			if r.IntN(3) > 0 {
				when = reviewExpr(r, 2)
			}
			p.Add(sc.Name, when, acts[r.IntN(len(acts))])
		}
		prog, err := Compile(p, Options{})
		if err != nil {
			t.Logf("policy %d (%d rules): %v", i, nRules, err)
			continue
		}
		vals := endpointInputs(p)
		var calls []policy.Call
		for n := 0; n < 5000; n++ {
			a := as[r.IntN(len(as))]
			rule := p.Rules[r.IntN(len(p.Rules))]
			nr, ok := a.SyscallNumber(rule.Syscall)
			if !ok {
				continue
			}
			c := policy.Call{Arch: a.Audit, Nr: int32(nr)}
			for k := range c.Args {
				c.Args[k] = vals[r.IntN(len(vals))]
			}
			calls = append(calls, c)
		}
		if err := evalAgainstVM(t, p, calls); err != nil {
			t.Fatalf("policy %d (%d instructions): %v", i, len(prog), err)
		}
		t.Logf("policy %d: %d rules, %d instructions", i, nRules, len(prog))
	}
}
