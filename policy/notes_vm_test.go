package policy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// The notes about single rules (notes.go) are claims about the filter:
// these tests check them in the VM, and where the kernel decides, in the
// kernel (internal/kernel).

// compileVM compiles p and returns a function running the filter on a
// call in the VM, checked against Eval.
func compileVM(t *testing.T, p *policy.Policy) func(c policy.Call) policy.Action {
	t.Helper()
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	return func(c policy.Call) policy.Action {
		t.Helper()
		got := policy.Action(m.RunSeccomp(vm.SeccompData{Arch: c.Arch, Nr: c.Nr, Args: c.Args}).Ret)
		if ev := policy.Eval(p, c); ev != got {
			t.Errorf("%+v: filter %v, Eval %v", c, got, ev)
		}
		return got
	}
}

// warned returns the warnings that contain s.
func warned(ws []policy.Problem, s string) []string {
	var out []string
	for _, w := range ws {
		if strings.Contains(w.Msg, s) {
			out = append(out, w.String())
		}
	}
	return out
}

// A rule that does not allow uretprobe or uprobe on x86_64 gets a warning
// with the kernels that exempt the call from seccomp (arch.Exempt, which
// internal/kernel's TestExempt measures on the running kernel); the
// filter itself has the rule (the VM returns its action), which those
// kernels never consult. An allow rule gets none.
func TestExemptRuleWarnings(t *testing.T) {
	x86_64, _ := arch.Lookup("x86_64")
	const (
		uretprobe = "uretprobe: on x86_64, Linux 6.14+ (and 6.12.14+, 6.13.3+) runs uretprobe without consulting any seccomp filter, so this rule (kill_process) has no effect there"
		uprobe    = "uprobe: on x86_64, Linux 6.18+ runs uprobe without consulting any seccomp filter, so this rule (errno(1)) has no effect there"
	)
	for nr, name := range map[uint32]string{335: "uretprobe", 336: "uprobe"} {
		if e, ok := x86_64.Exempt(nr); !ok || e.Name != name {
			t.Fatalf("arch.Exempt(%d) = %v, %v", nr, e, ok)
		}
	}
	text := "default allow\narch x86_64\nuretprobe: kill_process\nuprobe: arg0 == 1 => errno(1)\nread: kill_process\n"
	oci := `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["uretprobe"],"action":"SCMP_ACT_KILL_PROCESS"},{"names":["uprobe"],"action":"SCMP_ACT_ERRNO","errnoRet":1,"args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]}`
	for _, lang := range []string{"text", "oci", "validate"} {
		t.Run(lang, func(t *testing.T) {
			var p *policy.Policy
			var ws []policy.Problem
			var err error
			switch lang {
			case "text":
				p, ws, err = policy.ParseText("p", []byte(text))
			case "oci":
				p, ws, err = policy.ParseOCI("p.json", []byte(oci), policy.OCIOptions{Arch: "x86_64", NewSyscalls: true})
			default:
				p = policy.New(policy.Allow).On(x86_64).Deny(policy.KillProcess, "uretprobe")
				p.Add("uprobe", policy.Arg(0).Eq(1), policy.Errno(1))
				ws = p.Validate()
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{uretprobe, uprobe} {
				if len(warned(ws, want)) != 1 {
					t.Errorf("no warning %q in %v", want, ws)
				}
			}
			if n := len(warned(ws, "without consulting")); n != 2 {
				t.Errorf("%d exemption warnings: %v", n, ws)
			}
			run := compileVM(t, p)
			if got := run(policy.Call{Arch: x86_64.Audit, Nr: 335}); got != policy.KillProcess {
				t.Errorf("uretprobe: filter %v", got)
			}
			if got := run(policy.Call{Arch: x86_64.Audit, Nr: 336, Args: [6]uint64{1}}); got != policy.Errno(1) {
				t.Errorf("uprobe: filter %v", got)
			}
		})
	}
	// Allowed: nothing to say, on the arches without the exemption either.
	for _, src := range []string{
		"default kill_process\narch x86_64\nuretprobe, uprobe: allow\n",
		"default allow\narch x86 aarch64 x32\nuretprobe: kill_process\n",
	} {
		_, ws, err := policy.ParseText("p", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(ws, func(w policy.Problem) bool { return strings.Contains(w.Msg, "without consulting") }) {
			t.Errorf("%s: %v", src, ws)
		}
	}
}
