package compile

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/link"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// passCase is one before/after test of a clean-up pass: before and after
// build the program on builders with the same labels.
type passCase struct {
	name          string
	before, after func(b *builder, l []label)
	changed       bool
}

func runPassCases(t *testing.T, run func(*link.Builder) bool, cases []passCase) {
	t.Helper()
	for _, tc := range cases {
		mk := func(f func(b *builder, l []label)) *builder {
			b := &builder{}
			l := []label{noLabel}
			for range 6 {
				l = append(l, b.newLabel())
			}
			f(b, l)
			return b
		}
		b, want := mk(tc.before), mk(tc.after)
		if got := run(&b.Builder); got != tc.changed {
			t.Errorf("%s: changed = %v, want %v", tc.name, got, tc.changed)
		}
		if diff := cmp.Diff(want.Code, b.Code); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

const jeq = opcode.JEQ

func TestThreadJumps(t *testing.T) {
	runPassCases(t, threadJumps, []passCase{
		{"through a ja", func(b *builder, l []label) {
			b.jump(jeq, 1, l[1], l[2])
			b.mark(l[1])
			b.ja(l[3])
			b.mark(l[2])
			b.ret(1)
			b.mark(l[3])
			b.ret(2)
		}, func(b *builder, l []label) {
			b.jump(jeq, 1, l[3], l[2])
			b.mark(l[1])
			b.ja(l[3])
			b.mark(l[2])
			b.ret(1)
			b.mark(l[3])
			b.ret(2)
		}, true},
		{"a chain, past other labels", func(b *builder, l []label) {
			b.ja(l[1])
			b.mark(l[1])
			b.mark(l[2])
			b.ja(l[3])
			b.ret(0)
			b.mark(l[3])
			b.ja(l[4])
			b.ret(0)
			b.mark(l[4])
			b.ret(1)
		}, func(b *builder, l []label) {
			b.ja(l[4])
			b.mark(l[1])
			b.mark(l[2])
			b.ja(l[4])
			b.ret(0)
			b.mark(l[3])
			b.ja(l[4])
			b.ret(0)
			b.mark(l[4])
			b.ret(1)
		}, true},
		{"both sides meet: a ja", func(b *builder, l []label) {
			b.jump(jeq, 7, l[1], l[2])
			b.mark(l[1])
			b.ja(l[2])
			b.mark(l[2])
			b.ret(0)
		}, func(b *builder, l []label) {
			b.ja(l[2])
			b.mark(l[1])
			b.ja(l[2])
			b.mark(l[2])
			b.ret(0)
		}, true},
		{"nothing to thread", func(b *builder, l []label) {
			b.load(0)
			b.jump(jeq, 1, l[1], l[2])
			b.mark(l[1])
			b.ret(1)
			b.mark(l[2])
			b.ret(2)
		}, func(b *builder, l []label) {
			b.load(0)
			b.jump(jeq, 1, l[1], l[2])
			b.mark(l[1])
			b.ret(1)
			b.mark(l[2])
			b.ret(2)
		}, false},
	})
}

func TestDropReloads(t *testing.T) {
	runPassCases(t, dropReloads, []passCase{
		{"A holds the word on every path", func(b *builder, l []label) {
			b.load(0)
			b.jump(jeq, 1, l[1], l[2])
			b.mark(l[1])
			b.load(0)
			b.ret(1)
			b.mark(l[2])
			b.load(4)
			b.ret(2)
		}, func(b *builder, l []label) {
			b.load(0)
			b.jump(jeq, 1, l[1], l[2])
			b.mark(l[1])
			b.ret(1)
			b.mark(l[2])
			b.load(4)
			b.ret(2)
		}, true},
		{"paths disagree", func(b *builder, l []label) {
			b.load(0)
			b.jump(jeq, 1, l[1], l[2])
			b.mark(l[1])
			b.load(4)
			b.ja(l[2])
			b.mark(l[2])
			b.load(4)
			b.ret(2)
		}, func(b *builder, l []label) {
			b.load(0)
			b.jump(jeq, 1, l[1], l[2])
			b.mark(l[1])
			b.load(4)
			b.ja(l[2])
			b.mark(l[2])
			b.load(4)
			b.ret(2)
		}, false},
		{"an ALU op clobbers A", func(b *builder, l []label) {
			b.load(0)
			b.emit(opcode.ALU|opcode.AND|opcode.K, 1)
			b.load(0)
			b.ret(0)
		}, func(b *builder, l []label) {
			b.load(0)
			b.emit(opcode.ALU|opcode.AND|opcode.K, 1)
			b.load(0)
			b.ret(0)
		}, false},
	})
}

func TestDropJumpsToNext(t *testing.T) {
	runPassCases(t, dropJumpsToNext, []passCase{
		{"ja to the next instruction", func(b *builder, l []label) {
			b.load(0)
			b.ja(l[2])
			b.mark(l[1])
			b.mark(l[2])
			b.ret(0)
		}, func(b *builder, l []label) {
			b.load(0)
			b.mark(l[1])
			b.mark(l[2])
			b.ret(0)
		}, true},
		{"ja over an instruction", func(b *builder, l []label) {
			b.ja(l[1])
			b.ret(1)
			b.mark(l[1])
			b.ret(0)
		}, func(b *builder, l []label) {
			b.ja(l[1])
			b.ret(1)
			b.mark(l[1])
			b.ret(0)
		}, false},
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
			p.Add(names[r.IntN(len(names))], randExpr(r, 2), acts[r.IntN(len(acts))])
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
				c.Args[k] = randValue(r)
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
		if got := m.RunSeccomp(vm.SeccompData{Nr: c.Nr, Arch: c.Arch, Args: c.Args}); uint32(want) != got.Ret {
			return fmt.Errorf("call %+v: filter returns %#08x, policy.Eval %v", c, got.Ret, want)
		}
	}
	return nil
}
