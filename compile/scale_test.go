package compile

import (
	"strings"
	"testing"

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
