package policy_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
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
	m := mustVM(t, p)
	return func(c policy.Call) policy.Action {
		t.Helper()
		got := policy.Action(m.RunSeccomp(vm.SeccompData{Arch: c.Arch, Nr: c.Nr, Args: c.Args}).Ret)
		if ev := policy.Eval(p, c); ev != got {
			t.Errorf("%+v: filter %v, Eval %v", c, got, ev)
		}
		return got
	}
}

// mustVM compiles p and loads the filter in the VM.
func mustVM(t testing.TB, p *policy.Policy) *vm.Machine {
	t.Helper()
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	return m
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

// narrowClaim matches a narrowNote: the comparison, the arches, what the
// filter compares there, and whether it always or never holds.
var narrowClaim = regexp.MustCompile(`^(?:read: )?(.*): on (.*) the filter compares arguments on their low 32 bits, so this is (.*?)(, which always holds there| there \(the low (?:half of the constant|halves of the constants)\)|, which never holds there)$`)

// TestNarrowNotesRandom: for random 64-bit comparisons on x86, and x32
// with x32-low-word, in the policy language and in OCI profiles, every
// note on what the filter compares there holds in the VM (the comparison
// it names decides as the filter does; "always" and "never" hold for
// every argument), and a comparison with a constant wider than 32 bits
// gets a note unless it holds, or fails, on both widths alike.
func TestNarrowNotesRandom(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 1))
	ops := []string{"==", "!=", "<", "<=", ">", ">="}
	ociOps := map[string]string{"==": "SCMP_CMP_EQ", "!=": "SCMP_CMP_NE", "<": "SCMP_CMP_LT", "<=": "SCMP_CMP_LE", ">": "SCMP_CMP_GT", ">=": "SCMP_CMP_GE", "&": "SCMP_CMP_MASKED_EQ"}
	vals := []uint64{0, 1, 5, 0xff, 0x7fffffff, 0xffffffff, 1 << 32, 0x100000001, 0x500000000, 0xffffffff00000000, 0x1000000ff, 0x200000001, ^uint64(0) - 1}
	x86, _ := arch.Lookup("x86")
	x32, _ := arch.Lookup("x32")
	counts := map[string]int{}
	for i := range 600 {
		op := ops[rnd.IntN(len(ops))]
		v, m := vals[rnd.IntN(len(vals))], vals[rnd.IntN(len(vals))]
		masked := rnd.IntN(3) == 0
		cmpText := fmt.Sprintf("arg1 %s %#x", op, v)
		if masked {
			op, cmpText = "&", fmt.Sprintf("(arg1 & %#x) == %#x", m, v)
		}
		lowWord := i%2 == 1
		var p *policy.Policy
		var ws []policy.Problem
		var err error
		if i%3 == 2 {
			arg := map[string]any{"index": 1, "op": ociOps[op], "value": v}
			if masked {
				arg["value"], arg["valueTwo"] = m, v
			}
			prof, _ := json.Marshal(map[string]any{"defaultAction": "SCMP_ACT_ALLOW", "architectures": []string{"SCMP_ARCH_X86", "SCMP_ARCH_X32"},
				"syscalls": []any{map[string]any{"names": []string{"read"}, "action": "SCMP_ACT_ERRNO", "errnoRet": 7, "args": []any{arg}}}})
			p, ws, err = policy.ParseOCI("p.json", prof, policy.OCIOptions{Arch: "x86_64", X32LowWord: lowWord})
		} else {
			src := "default allow\narch x86_64 x86 x32\nread: " + cmpText + " => errno(7)\n"
			if lowWord {
				src += "option x32-low-word\n"
			}
			p, ws, err = policy.ParseText("p", []byte(src))
		}
		if err != nil {
			t.Fatal(err)
		}
		run := compileVM(t, p)
		claims := 0
		for _, w := range ws {
			mt := narrowClaim.FindStringSubmatch(w.Msg)
			if mt == nil {
				continue
			}
			claims++
			for _, on := range strings.Split(mt[2], ", ") {
				a := x86
				if on == "x32 (x32-low-word)" {
					a = x32
				} else if on != "x86" {
					t.Fatalf("%s: arch %q", w, on)
				}
				// What the note says the filter compares, as a filter.
				src := "default allow\narch " + a.Name + "\nread: " + mt[3] + " => errno(7)\n"
				q, _, err := policy.ParseText("q", []byte(src))
				if err != nil {
					t.Fatalf("%s: the comparison it names does not parse: %v", w, err)
				}
				named := compileVM(t, q)
				nr, _ := a.SyscallNumber("read")
				for k := range 400 {
					args := [6]uint64{0, []uint64{v, v + 1, v - 1, m, v & m, v &^ m, 0, ^uint64(0)}[k%8]}
					if k >= 8 {
						args[1] = rnd.Uint64() >> (rnd.IntN(4) * 16)
					}
					if a.ArgBits == 32 {
						args[1] &= 0xffffffff
					}
					c := policy.Call{Arch: a.Audit, Nr: int32(nr), Args: args}
					got := run(c)
					var want policy.Action
					switch {
					case strings.Contains(mt[4], "always"):
						want = policy.Errno(7)
					case strings.Contains(mt[4], "never"):
						want = policy.Allow
					default:
						want = named(c)
					}
					if got != want || named(c) != got {
						t.Fatalf("%s\n%s: filter %v, the claim %v (the named comparison %v)", w, fmt.Sprint(args), got, want, named(c))
					}
				}
				counts[mt[4]]++
			}
		}
		if masked && i%3 == 2 {
			v &= m // OCI: libseccomp drops the value's bits outside the mask, and so does ParseOCI (with a warning)
		}
		wideV := v>>32 != 0 && v>>31 != 0x1ffffffff || masked && m>>32 != 0 && m>>31 != 0x1ffffffff
		if wideV && claims == 0 {
			// No note: the comparison must hold, or fail, for every
			// argument on both widths (then the generic warnings say so).
			nr, _ := x86.SyscallNumber("read")
			first := run(policy.Call{Arch: x86.Audit, Nr: int32(nr)})
			for range 200 {
				c := policy.Call{Arch: x86.Audit, Nr: int32(nr), Args: [6]uint64{0, uint64(rnd.Uint32())}}
				if run(c) != first {
					t.Fatalf("%s: a wide constant, no note, and the x86 filter decides on the argument: %v", cmpText, ws)
				}
			}
			counts["constant"]++
		}
	}
	t.Logf("claims checked: %v", counts)
	for _, k := range []string{", which always holds there", ", which never holds there", "constant"} {
		if counts[k] == 0 {
			t.Errorf("no case of %q: %v", k, counts)
		}
	}
}
