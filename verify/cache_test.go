package verify

import (
	"testing"

	"golang.org/x/net/bpf"

	"math/rand/v2"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// TestCacheBound: the kernel's allow cache is a bitmap of NR_syscalls bits
// per arch; x32 numbers (bit 30) and arm's private calls lie past it and
// always run the filter, even one that allows everything.
func TestCacheBound(t *testing.T) {
	allowAll := []bpf.RawInstruction{{Op: 0x06, K: 0x7fff0000}}
	for _, tc := range []struct {
		arch, call string
		want       bool
	}{
		{"x86_64", "read", true},
		{"x32", "read", false},
		{"arm", "read", true},
		{"arm", "get_tls", false},
		{"mips", "read", true},
	} {
		a, err := arch.Lookup(tc.arch)
		if err != nil {
			t.Fatal(err)
		}
		nr, _ := a.SyscallNumber(tc.call)
		if got := CacheAllows(allowAll, a.Audit, nr); got != tc.want {
			t.Errorf("%s %s (nr %#x): cached %v, want %v", tc.arch, tc.call, nr, got, tc.want)
		}
	}
}

// TestCacheCompiled: a syscall the policy allows whatever the
// arguments is served from the kernel's cache; one it may refuse is not.
func TestCacheCompiled(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 6))
	archSets := [][]string{{"x86_64"}, {"s390x"}, {"x86"}, {"x86_64", "x32"}, {"aarch64", "arm"}, {"mips"}}
	for i := 0; i < 60; i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, archNamed(t, n))
		}
		p := progen.Policy(r, as, 8)
		for _, n := range []string{"getpid", "close", "futex", "read"} {
			if r.IntN(2) == 0 {
				p.Allow(n)
			}
		}
		prog, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := mustVM(t, prog)
		for _, a := range as {
			for _, sc := range a.Syscalls() {
				cached := CacheAllows(prog, a.Audit, sc.Number)
				// Allowed whatever the arguments: every rule that applies
				// allows, and one of them or the default always does.
				allAllow, uncond := true, p.Default == policy.Allow
				for _, r := range p.Rules {
					mux, _, isMux := a.Multiplexed(r.Syscall)
					if r.Syscall != sc.Name && !(isMux && mux == sc.Name) {
						continue
					}
					allAllow = allAllow && r.Action == policy.Allow
					uncond = uncond || r.Syscall == sc.Name && r.When == nil && r.Action == policy.Allow
				}
				if allAllow && uncond && !cached && sc.Number < a.CacheBound() {
					t.Fatalf("%s %s: always allowed, not cached\npolicy:\n%s", a.Name, sc.Name, p)
				}
				if cached {
					for n := 0; n < 20; n++ {
						d := vm.SeccompData{Arch: a.Audit, Nr: int32(sc.Number), Args: [6]uint64{r.Uint64(), r.Uint64(), uint64(r.IntN(4))}}
						if got := m.RunSeccomp(d).Ret; got != uint32(policy.Allow) {
							t.Fatalf("%s %s: cached, but %+v returns %#x", a.Name, sc.Name, d, got)
						}
					}
				}
			}
		}
	}
}
