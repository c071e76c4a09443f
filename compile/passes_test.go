package compile

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/link"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// passCase is one before/after test of a clean-up pass. before and after
// are programs in a small text form, one instruction per ";"-separated
// item: "ld K", "and K", "jeq K Lt Lf", "ja L", "ret K" and "Ln:" to mark
// label n (1..6). An empty after means the pass must leave before alone.
type passCase struct {
	name          string
	before, after string
}

// build assembles the text form of a passCase onto a new builder.
func build(t *testing.T, text string) *builder {
	t.Helper()
	b := &builder{}
	l := []label{noLabel}
	for range 6 {
		l = append(l, b.newLabel())
	}
	lab := func(s string) label {
		n, err := strconv.Atoi(strings.TrimPrefix(s, "L"))
		if err != nil || n < 1 || n >= len(l) {
			t.Fatalf("%q: bad label %q", text, s)
		}
		return l[n]
	}
	num := func(s string) uint32 {
		n, err := strconv.ParseUint(s, 0, 32)
		if err != nil {
			t.Fatalf("%q: bad number %q", text, s)
		}
		return uint32(n)
	}
	for _, item := range strings.Split(text, ";") {
		f := strings.Fields(item)
		switch {
		case len(f) == 1 && strings.HasSuffix(f[0], ":"):
			b.mark(lab(strings.TrimSuffix(f[0], ":")))
		case len(f) == 2 && f[0] == "ld":
			b.load(num(f[1]))
		case len(f) == 2 && f[0] == "and":
			b.emit(opcode.ALU|opcode.AND|opcode.K, num(f[1]))
		case len(f) == 2 && f[0] == "ret":
			b.ret(num(f[1]))
		case len(f) == 2 && f[0] == "ja":
			b.ja(lab(f[1]))
		case len(f) == 4 && f[0] == "jeq":
			b.jump(opcode.JEQ, num(f[1]), lab(f[2]), lab(f[3]))
		default:
			t.Fatalf("%q: cannot read %q", text, item)
		}
	}
	return b
}

func runPassCases(t *testing.T, run func(*link.Builder) bool, cases []passCase) {
	t.Helper()
	for _, tc := range cases {
		b, want := build(t, tc.before), build(t, tc.before)
		if tc.after != "" {
			want = build(t, tc.after)
		}
		if got := run(&b.Builder); got != (tc.after != "") {
			t.Errorf("%s: changed = %v, want %v", tc.name, got, tc.after != "")
		}
		if diff := cmp.Diff(want.Code, b.Code); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestThreadJumps(t *testing.T) {
	runPassCases(t, threadJumps, []passCase{
		{"through a ja",
			"jeq 1 L1 L2; L1: ; ja L3; L2: ; ret 1; L3: ; ret 2",
			"jeq 1 L3 L2; L1: ; ja L3; L2: ; ret 1; L3: ; ret 2"},
		{"a chain, past other labels",
			"ja L1; L1: ; L2: ; ja L3; ret 0; L3: ; ja L4; ret 0; L4: ; ret 1",
			"ja L4; L1: ; L2: ; ja L4; ret 0; L3: ; ja L4; ret 0; L4: ; ret 1"},
		{"both sides meet: a ja",
			"jeq 7 L1 L2; L1: ; ja L2; L2: ; ret 0",
			"ja L2; L1: ; ja L2; L2: ; ret 0"},
		{"nothing to thread",
			"ld 0; jeq 1 L1 L2; L1: ; ret 1; L2: ; ret 2", ""},
	})
}

func TestDropReloads(t *testing.T) {
	runPassCases(t, dropReloads, []passCase{
		{"A holds the word on every path",
			"ld 0; jeq 1 L1 L2; L1: ; ld 0; ret 1; L2: ; ld 4; ret 2",
			"ld 0; jeq 1 L1 L2; L1: ; ret 1; L2: ; ld 4; ret 2"},
		{"paths disagree",
			"ld 0; jeq 1 L1 L2; L1: ; ld 4; ja L2; L2: ; ld 4; ret 2", ""},
		{"an ALU op clobbers A",
			"ld 0; and 1; ld 0; ret 0", ""},
	})
}

func TestDropJumpsToNext(t *testing.T) {
	runPassCases(t, dropJumpsToNext, []passCase{
		{"ja to the next instruction",
			"ld 0; ja L2; L1: ; L2: ; ret 0",
			"ld 0; L1: ; L2: ; ret 0"},
		{"ja over an instruction",
			"ja L1; ret 1; L1: ; ret 0", ""},
	})
}

// TestCleanupFixedPoint runs the clean-up passes to their fixed point on
// compile's programs for random policies: Fix must end without a weight
// error (every change lowers link.Builder.Weight), and the filter must
// still decide as policy.Eval does. Compile itself runs one sweep (see
// cleanup); this shows the fixed point is safe for the optimizer.
func TestCleanupFixedPoint(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 4))
	acts := []policy.Action{policy.Allow, policy.KillProcess, policy.Errno(3), policy.Log}
	names := []string{"read", "write", "ioctl", "mmap", "openat", "socket", "clone"}
	shrunk := 0
	for i := 0; i < scaledN(60); i++ {
		a := mustArch(t, []string{"x86_64", "aarch64", "x86"}[i%3])
		p := policy.New(acts[r.IntN(len(acts))]).On(a)
		for range 1 + r.IntN(30) {
			p.Add(names[r.IntN(len(names))], progen.Expr(r, 2), acts[r.IntN(len(acts))])
		}
		c := &compiler{p: p, rets: map[policy.Action]label{}, blocks: map[string]label{}, fixpoint: true}
		prog, err := c.compile(p.Arches)
		if err != nil {
			t.Fatalf("policy %d: %v\n%s", i, err, p)
		}
		once, err := Compile(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(prog) < len(once) {
			shrunk++
		}
		var calls []policy.Call
		for range 300 {
			nr, _ := a.SyscallNumber(names[r.IntN(len(names))])
			c := policy.Call{Arch: a.Audit, Nr: int32(nr)}
			for k := range c.Args {
				c.Args[k] = progen.Value(r)
			}
			calls = append(calls, c)
		}
		if err := evalProgAgainstVM(t, prog, p, calls); err != nil {
			t.Fatalf("policy %d, fixed point (%d instructions, one sweep %d): %v\n%s", i, len(prog), len(once), err, p)
		}
	}
	if shrunk == 0 {
		t.Error("the fixed point never did more than one sweep: the test checks nothing")
	}
	t.Logf("the fixed point made %d of %d filters smaller than one sweep", shrunk, scaledN(60))
}

// evalProgAgainstVM runs calls through prog and compares each result with
// policy.Eval.
func evalProgAgainstVM(t *testing.T, prog []bpf.RawInstruction, p *policy.Policy, calls []policy.Call) error {
	t.Helper()
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
