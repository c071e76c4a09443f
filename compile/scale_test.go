package compile

import (
	"strings"
	"testing"

	"math/rand/v2"
	"os"
	"strconv"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/policy"
)

// TestBalancedTree: past maxDPRanges the tree is cut by weight, not
// searched for (which takes n² memory); it must still find every range,
// and stay about log2(n) deep for equal weights.
func TestBalancedTree(t *testing.T) {
	const n = 5000
	rs := make([]rng, n)
	for i := range rs {
		rs[i] = rng{lo: uint32(3 * i), hi: uint32(3*i + 2), weight: 1}
	}
	root := buildTree(rs)
	var depth func(*node) int
	depth = func(x *node) int {
		if x.leaf >= 0 {
			return 0
		}
		return 1 + max(depth(x.left), depth(x.right))
	}
	if d := depth(root); d > 14 {
		t.Errorf("depth %d for %d equal ranges, want <= 14", d, n)
	}
	for i, r := range rs {
		for _, v := range []uint32{r.lo, r.hi} {
			x := root
			for x.leaf < 0 {
				if v >= x.k {
					x = x.right
				} else {
					x = x.left
				}
			}
			if x.leaf != i {
				t.Fatalf("value %d finds range %d, want %d", v, x.leaf, i)
			}
		}
	}
}

// TestHugePolicyFailsFast: a policy far too large for one filter fails
// once its draft passes maxDraftInsns, instead of building (and cleaning
// up) hundreds of thousands of instructions first.
func TestHugePolicyFailsFast(t *testing.T) {
	p := policy.New(policy.Errno(1)).On(mustArch(t, "x86_64"))
	for v := 0; v < 200_000; v++ {
		p.AllowIf([]string{"read", "write", "ioctl"}[v%3], policy.Arg(v%6).Eq(uint64(v)*7919))
	}
	_, err := Compile(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "before clean-up") {
		t.Fatalf("Compile = %v, want the draft-size error", err)
	}
}

// scaledN is n, or more with REVIEW_SCALE set (for long local runs).
func scaledN(n int) int {
	if s := os.Getenv("REVIEW_SCALE"); s != "" {
		if k, err := strconv.Atoi(s); err == nil {
			return n * k
		}
	}
	return n
}

// TestHugePolicies fills filters up towards the 4096-instruction
// limit so that many jumps need trampolines, and checks every syscall of
// the policy against policy.Eval.
func TestHugePolicies(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	acts := []policy.Action{policy.Allow, policy.Errno(1), policy.KillProcess, policy.Trap(2), policy.Log, policy.Errno(13)}
	archSets := [][]string{{"x86_64"}, {"x86_64", "x32", "x86"}, {"s390x"}, {"mips", "aarch64"}}
	for i := 0; i < scaledN(8); i++ {
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
				when = progen.Expr(r, 2)
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
