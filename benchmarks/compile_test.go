package benchmarks

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/moby/profiles/seccomp"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/benchmarks/libseccomp"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// dockerDefault is Docker's default profile (from github.com/moby/profiles
// v0.3.0) as runc + libseccomp would read it on an x86_64 host with
// Docker's default capabilities and a 6.1 kernel, x86_64 only.
func dockerDefault(t testing.TB) *policy.Policy {
	t.Helper()
	data, err := json.Marshal(seccomp.DefaultProfile())
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := policy.ParseOCI("docker-default.json", data, policy.OCIOptions{Arch: "x86_64", Kernel: "6.1"})
	if err != nil {
		t.Fatal(err)
	}
	x86, err := arch.Lookup("x86_64")
	if err != nil {
		t.Fatal(err)
	}
	p.Arches = []*arch.Arch{x86}
	return p
}

const killThread = uint32(policy.KillThread) // libseccomp's default bad-arch action

func cbpfCompile(t testing.TB, p *policy.Policy) []bpf.RawInstruction {
	bad := policy.KillThread
	prog, err := compile.Compile(p, compile.Options{BadArch: &bad})
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

type stats struct {
	insns   int
	mean    float64
	max     int
	cached  int
	allowed int
}

// measure runs prog on every syscall number 0..460 with zero arguments.
func measure(t testing.TB, prog []bpf.RawInstruction, p *policy.Policy) stats {
	x86 := p.Arches[0]
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	s := stats{insns: len(prog)}
	total := 0
	for nr := 0; nr <= 460; nr++ {
		n := m.RunSeccomp(vm.SeccompData{Nr: int32(nr), Arch: x86.Audit}).Insns
		total += n
		s.max = max(s.max, n)
	}
	s.mean = float64(total) / 461
	// Unconditional allows: every rule for the name is an unconditional ALLOW.
	cond := map[string]bool{}
	for _, r := range p.Rules {
		if r.When != nil || r.Action != policy.Allow {
			cond[r.Syscall] = true
		}
	}
	for _, r := range p.Rules {
		if r.When != nil || r.Action != policy.Allow || cond[r.Syscall] {
			continue
		}
		nr, ok := x86.SyscallNumber(r.Syscall)
		if !ok {
			continue
		}
		s.allowed++
		if verify.CacheAllows(prog, x86.Audit, nr) {
			s.cached++
		}
	}
	return s
}

// TestReport prints the side-by-side numbers and proves the filters
// equivalent.
func TestReport(t *testing.T) {
	p := dockerDefault(t)
	ours := cbpfCompile(t, p)
	rows := []struct {
		name string
		prog []bpf.RawInstruction
	}{{"cbpf", ours}}
	for _, opt := range []int{1, 2} {
		prog, err := libseccomp.CompilePolicy(p, opt, killThread)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, struct {
			name string
			prog []bpf.RawInstruction
		}{fmt.Sprintf("libseccomp (optimize=%d)", opt), prog})
	}
	fmt.Fprintf(os.Stdout, "Docker default profile, x86_64 only: instructions executed over syscall numbers 0..460 (zero arguments)\n")
	fmt.Fprintf(os.Stdout, "%-26s %6s %6s %5s %10s %s\n", "compiler", "insns", "mean", "max", "cacheable", "equivalent to cbpf")
	for _, r := range rows {
		s := measure(t, r.prog, p)
		eq := "-"
		if r.name != "cbpf" {
			res, err := verify.Equivalent(ours, r.prog, verify.Seccomp)
			if err != nil {
				t.Fatal(err)
			}
			eq = res.Verdict.String()
			if res.Verdict != verify.Equal {
				t.Errorf("%s differs from cbpf on %+v: %#08x vs %#08x", r.name, res.Seccomp, res.RetA, res.RetB)
			}
		}
		fmt.Fprintf(os.Stdout, "%-26s %6d %6.2f %5d %5d/%-4d %s\n", r.name, s.insns, s.mean, s.max, s.cached, s.allowed, eq)
		if r.name == "cbpf" {
			if s.insns > 128 || s.mean > 9.0 || s.max > 20 || s.cached != s.allowed {
				t.Errorf("cbpf misses its targets (<=128 insns, mean <=9.0, max <=20, all allows cacheable): %+v", s)
			}
		}
	}
}

func BenchmarkCompileDocker(b *testing.B) {
	p := dockerDefault(b)
	b.Run("cbpf", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			cbpfCompile(b, p)
		}
	})
	for _, opt := range []int{1, 2} {
		b.Run(fmt.Sprintf("libseccomp-opt%d", opt), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := libseccomp.CompilePolicy(p, opt, killThread); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
