package compile

import (
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// Constants' source names are for printing only: two comparisons that
// print alike but compare with different values must not share code.
func TestReviewKeyIgnoresNames(t *testing.T) {
	x86 := mustArch(t, "x86_64")
	p := policy.New(policy.Errno(1)).On(x86)
	p.AllowIf("read", &policy.Cmp{Arg: 0, Op: policy.EQ, Value: 1, Bits: 64, ValueName: "FD"})
	p.AllowIf("write", &policy.Cmp{Arg: 0, Op: policy.EQ, Value: 2, Bits: 64, ValueName: "FD"})
	var calls []policy.Call
	for _, name := range []string{"read", "write"} {
		nr, _ := x86.SyscallNumber(name)
		for v := uint64(0); v < 4; v++ {
			calls = append(calls, policy.Call{Arch: x86.Audit, Nr: int32(nr), Args: [6]uint64{v}})
		}
	}
	if err := evalAgainstVM(t, p, calls); err != nil {
		t.Fatal(err)
	}
}

// never is an Expr type the compiler does not know.
type never struct{}

func (never) Eval(*[6]uint64) bool { return false }
func (never) String() string       { return "never" }

// An Expr the compiler cannot lower (a type of the caller's, a nil
// operand) is an error, not a test that always holds.
func TestReviewUnknownExpr(t *testing.T) {
	x86 := mustArch(t, "x86_64")
	for _, when := range []policy.Expr{
		never{},
		policy.And{policy.Arg(0).Eq(1), never{}},
		policy.Or{nil},
		&policy.Not{},
		(*policy.Cmp)(nil),
		policy.And{(*policy.Not)(nil)},
	} {
		p := policy.New(policy.Errno(1)).On(x86)
		p.Add("read", when, policy.Allow)
		p.Rules[0].Pos = "here:1:2"
		prog, err := Compile(p, Options{})
		if err == nil {
			t.Errorf("Compile(read: %T) = %d instructions, no error; want an error", when, len(prog))
			continue
		}
		if !strings.Contains(err.Error(), "here:1:2") {
			t.Errorf("Compile(read: %T) error %q has no position", when, err)
		}
	}
}

// ENOSYSNew: the numbers just above an arch's real syscalls fail with
// ENOSYS. arm's private calls at 0xf0001.. and x32's own calls at
// 512..547 are not where new syscalls go; named numbers keep their action.
func TestReviewENOSYSNew(t *testing.T) {
	enosys := uint32(policy.Errno(38))
	for _, c := range []struct {
		arch string
		nr   uint32
		want uint32 // 0: the default, KILL_THREAD
	}{
		{"x86_64", 471, uint32(policy.Allow)}, // rseq_slice_yield, named
		{"x86_64", 472, enosys},
		{"x86_64", 1400, enosys},
		{"x86_64", 472 + 1023, 0},
		{"arm", 472, enosys},
		{"arm", 1000, enosys},
		{"arm", 0xf0005, uint32(policy.Allow)}, // set_tls
		{"arm", 0xf0007, 0},
		{"x32", 0x40000000 | 472, enosys},
		{"x32", 0x40000000 | 511, enosys},
		{"x32", 0x40000000 | 520, uint32(policy.Allow)}, // an x32 call, named
		{"x32", 0x40000000 | 548, enosys},
		{"mips", 4472, enosys},
		{"mips", 4471, uint32(policy.Allow)},
	} {
		a := mustArch(t, c.arch)
		p := policy.New(policy.KillThread).On(a)
		for _, sc := range a.Syscalls() {
			p.Allow(sc.Name)
		}
		prog, err := Compile(p, Options{ENOSYSNew: true})
		if err != nil {
			t.Fatal(err)
		}
		m, err := vm.New(prog, vm.Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		want := c.want
		if want == 0 {
			want = uint32(policy.KillThread)
		}
		if got := m.RunSeccomp(vm.SeccompData{Arch: a.Audit, Nr: int32(c.nr)}).Ret; got != want {
			t.Errorf("%s nr %#x: %#x, want %#x", c.arch, c.nr, got, want)
		}
	}
}
