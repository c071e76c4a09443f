package compile

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// dockerLike is Docker's default allow-list (names from the arch tests'
// copy of the profile) with argument rules in the profile's style; the
// same policy verify/testdata/gen_libseccomp.py gives libseccomp.
func dockerLike(t testing.TB, a *arch.Arch) *policy.Policy {
	f, err := os.Open("../arch/testdata/docker_default_names.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := policy.New(policy.Errno(1)).On(a)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n := strings.TrimSpace(sc.Text())
		if n == "" || strings.HasPrefix(n, "#") || n == "personality" || n == "clone" || n == "socket" {
			continue
		}
		if _, ok := a.SyscallNumber(n); ok {
			p.Allow(n)
		}
	}
	for _, v := range []uint64{0, 8, 0x20000, 0x20008, 0xffffffff} {
		p.AllowIf("personality", policy.Arg(0).Eq(v))
	}
	p.AllowIf("clone", policy.Arg(0).MaskedEq(0x7e020000, 0))
	for _, fam := range []uint64{1, 2, 10, 16} {
		p.AllowIf("socket", policy.Arg(0).Eq(fam))
	}
	return p
}

// dispatchStats runs prog on every syscall number 0..maxNr with zero
// arguments and reports the mean and maximum instructions executed.
func dispatchStats(t testing.TB, prog []bpf.RawInstruction, audit uint32, maxNr int) (mean float64, most int) {
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for nr := 0; nr <= maxNr; nr++ {
		n := m.RunSeccomp(vm.SeccompData{Nr: int32(nr), Arch: audit}).Insns
		total += n
		most = max(most, n)
	}
	return float64(total) / float64(maxNr+1), most
}

func TestDockerLikeX86_64(t *testing.T) {
	a := mustArch(t, "x86_64")
	p := dockerLike(t, a)
	prog, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mean, most := dispatchStats(t, prog, a.Audit, 460)
	cached, allowed := 0, 0
	for _, sc := range a.Syscalls() {
		q := *p
		if policy.Eval(&q, policy.Call{Arch: a.Audit, Nr: int32(sc.Number)}) == policy.Allow && unconditional(p, sc.Name) {
			allowed++
			if verify.CacheAllows(prog, a.Audit, sc.Number) {
				cached++
			}
		}
	}
	t.Logf("x86_64 docker-like: %d instructions, mean %.2f max %d over nr 0..460; %d/%d unconditional allows cacheable",
		len(prog), mean, most, cached, allowed)
	if cached != allowed {
		t.Errorf("%d of %d unconditional allows are not cacheable", allowed-cached, allowed)
	}
}

func unconditional(p *policy.Policy, name string) bool {
	for _, r := range p.Rules {
		if r.Syscall == name && r.When != nil {
			return false
		}
	}
	return true
}
