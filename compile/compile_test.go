package compile

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

func mustArch(t testing.TB, name string) *arch.Arch {
	t.Helper()
	a, err := arch.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// check compiles p and compares the filter, run in the VM, with
// policy.Eval on inputs made from the policy's constants.
func check(t *testing.T, p *policy.Policy, o Options, r *rand.Rand, n int) []bpf.RawInstruction {
	t.Helper()
	prog, err := Compile(p, o)
	if err != nil {
		t.Fatalf("Compile: %v\n%s", err, p)
	}
	if ds := verify.KernelCheck(prog, verify.Seccomp); len(ds) > 0 {
		t.Fatalf("the kernel would reject the filter: %v", ds)
	}
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	q := *p
	if len(o.Arches) > 0 {
		q.Arches = o.Arches
	}
	if o.BadArch != nil {
		q.BadArch = *o.BadArch
	}
	for _, c := range inputs(&q, r, n) {
		want := policy.Eval(&q, c)
		got := m.RunSeccomp(vm.SeccompData{Nr: c.Nr, Arch: c.Arch, InstructionPointer: c.IP, Args: c.Args})
		if uint32(want) != got.Ret {
			t.Fatalf("call %+v: filter returns %#08x, policy.Eval %#08x (%v)\npolicy:\n%s", c, got.Ret, uint32(want), want, &q)
		}
	}
	return prog
}

// inputs derives calls from a policy: every syscall it names and others,
// numbers with bit 30 or 31 set, every constant ±1 in every argument, high
// and low words swapped, and foreign arches.
func inputs(p *policy.Policy, r *rand.Rand, n int) []policy.Call {
	var consts []uint64
	walk := func(w policy.Expr) {
		for e := range policy.Cmps(w) {
			for _, v := range []uint64{e.Value, e.Mask, e.Value | ^e.Mask} {
				consts = append(consts, v, v+1, v-1, v&0xffffffff, v<<32|v>>32, v|0xffffffff00000000)
			}
		}
	}
	for _, rule := range p.Rules {
		walk(rule.When)
	}
	consts = append(consts, 0, 1, 0xffffffff, 1<<32, ^uint64(0))
	targets := p.Targets()
	audits := []uint32{0xc000003e, 0x40000003, 0xc00000b7, 0x80000016, 0x12345678}
	for _, a := range targets {
		audits = append(audits, a.Audit)
	}
	var calls []policy.Call
	for i := 0; i < n; i++ {
		var c policy.Call
		a := targets[r.IntN(len(targets))]
		c.Arch = a.Audit
		if r.IntN(10) == 0 {
			c.Arch = audits[r.IntN(len(audits))]
		}
		switch r.IntN(8) {
		case 0:
			c.Nr = int32(r.Uint32())
		case 1:
			c.Nr = int32(r.IntN(1200))
		case 2:
			c.Nr = int32(uint32(r.IntN(600)) | arch.X32SyscallBit)
		case 3:
			c.Nr = int32(uint32(r.IntN(600)) | 0x80000000)
		default:
			rule := p.Rules[r.IntN(len(p.Rules))]
			nr, ok := a.SyscallNumber(rule.Syscall)
			if !ok {
				if mux, _, ok := a.Multiplexed(rule.Syscall); ok {
					nr, _ = a.SyscallNumber(mux)
				}
			}
			c.Nr = int32(nr)
		}
		for j := range c.Args {
			switch r.IntN(4) {
			case 0:
				c.Args[j] = r.Uint64()
			case 1:
				c.Args[j] = uint64(r.IntN(5))
			default:
				c.Args[j] = consts[r.IntN(len(consts))]
			}
		}
		calls = append(calls, c)
	}
	return calls
}

func TestCompileRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	archSets := [][]string{
		{"x86_64"}, {"aarch64"}, {"x86"}, {"x86_64", "x32"}, {"x32"}, {"x86_64", "x86", "x32"},
		{"s390x"}, {"ppc64"}, {"mips"}, {"mipsel64"}, {"arm", "aarch64"}, {"riscv64", "loongarch64"},
	}
	for i := 0; i < 400; i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, mustArch(t, n))
		}
		p := progen.Policy(r, as, 25)
		t.Run(fmt.Sprint(i), func(t *testing.T) { check(t, p, Options{}, r, 300) })
	}
}

// TestDeterministic compiles the same policies again and again: the
// output must not depend on map order or anything else that varies.
func TestDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	as := []*arch.Arch{mustArch(t, "x86_64"), mustArch(t, "x32"), mustArch(t, "x86"), mustArch(t, "aarch64")}
	for i := 0; i < 20; i++ {
		p := progen.Policy(r, as, 25)
		first, err := Compile(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 5; j++ {
			again, err := Compile(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(again) != fmt.Sprint(first) {
				t.Fatalf("policy %d: a second compile differs", i)
			}
		}
	}
}

// TestTooLong is a policy that cannot fit in 4096 instructions: a clear
// error, not a truncated filter.
func TestTooLong(t *testing.T) {
	p := policy.New(policy.Errno(1)).On(mustArch(t, "x86_64"))
	var vs []policy.Expr
	for v := 0; v < 3000; v++ {
		vs = append(vs, policy.Arg(v%6).Eq(uint64(v)*0x100000001))
	}
	p.AllowIf("ioctl", policy.And(vs)) // an AND of 3000 64-bit tests
	_, err := Compile(p, Options{})
	if err == nil || !strings.Contains(err.Error(), "4096") {
		t.Fatalf("Compile = %v, want an error about the 4096-instruction limit", err)
	}
}

// archChecks returns the arch values the filter compares seccomp_data.arch
// with, in the order it does.
func archChecks(t *testing.T, prog []bpf.RawInstruction) []uint32 {
	t.Helper()
	if ld, ok := prog[0].Disassemble().(bpf.LoadAbsolute); !ok || ld.Off != 4 {
		t.Fatalf("the filter starts with %v, not a load of arch", prog[0].Disassemble())
	}
	var vals []uint32
	for _, ins := range prog[1:] {
		j, ok := ins.Disassemble().(bpf.JumpIf)
		if !ok {
			break
		}
		if j.Cond != bpf.JumpEqual && j.Cond != bpf.JumpNotEqual {
			t.Fatalf("arch compared with %v", j)
		}
		vals = append(vals, j.Val)
	}
	return vals
}

// TestArchOrder: the filter checks the arch values in the order of the
// targets, whatever machine compiles it, and Options.First moves one to
// the front; every order makes an equivalent filter.
func TestArchOrder(t *testing.T) {
	x86_64, x32, x86, arm64 := mustArch(t, "x86_64"), mustArch(t, "x32"), mustArch(t, "x86"), mustArch(t, "aarch64")
	for _, tc := range []struct {
		targets []*arch.Arch
		first   *arch.Arch
		want    []*arch.Arch
	}{
		{[]*arch.Arch{x86, x86_64}, nil, []*arch.Arch{x86, x86_64}},
		{[]*arch.Arch{x86_64, x86}, nil, []*arch.Arch{x86_64, x86}},
		{[]*arch.Arch{arm64, x86, x32, x86_64}, nil, []*arch.Arch{arm64, x86, x86_64}},
		{[]*arch.Arch{x86, arm64, x86_64}, x86_64, []*arch.Arch{x86_64, x86, arm64}},
		{[]*arch.Arch{x86, arm64, x32}, x32, []*arch.Arch{x86_64, x86, arm64}},
		{[]*arch.Arch{x86, arm64}, arm64, []*arch.Arch{arm64, x86}},
		{[]*arch.Arch{x86, arm64}, x86, []*arch.Arch{x86, arm64}},
	} {
		p := policy.New(policy.Errno(1)).On(tc.targets...).
			Allow("read", "exit_group").
			AllowIf("write", policy.Arg(0).Eq(1)).
			Deny(policy.KillProcess, "ptrace")
		prog, err := Compile(p, Options{First: tc.first})
		if err != nil {
			t.Fatal(err)
		}
		var want []uint32
		for _, a := range tc.want {
			want = append(want, a.Audit)
		}
		if got := archChecks(t, prog); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("targets %v, first %v: arch checks %#x, want %#x", tc.targets, tc.first, got, want)
		}
		plain, err := Compile(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r, err := verify.Equivalent(prog, plain, verify.Seccomp); err != nil || r.Verdict != verify.Equal {
			t.Errorf("targets %v: First %v changes the decisions: %+v, %v", tc.targets, tc.first, r, err)
		}
	}
	p := policy.New(policy.Allow).On(x86)
	if _, err := Compile(p, Options{First: arm64}); err == nil || !strings.Contains(err.Error(), "not a target") {
		t.Errorf("First not a target: %v", err)
	}
	if _, err := Compile(policy.New(policy.Allow), Options{}); err == nil || !strings.Contains(err.Error(), "no target arch") {
		t.Errorf("a policy without arches: %v", err)
	}
}

// Constants' source names are for printing only: two comparisons that
// print alike but compare with different values must not share code.
func TestKeyIgnoresNames(t *testing.T) {
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

func (never) String() string { return "never" }

// An Expr the compiler cannot lower (a type of the caller's, a nil
// operand) is an error, not a test that always holds.
func TestUnknownExpr(t *testing.T) {
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
func TestENOSYSNew(t *testing.T) {
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

// endpointInputs gives, for each argument, the constants of the policy
// and their neighbours, with high and low words mixed.
func endpointInputs(p *policy.Policy) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	add := func(v uint64) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	walk := func(w policy.Expr) {
		for e := range policy.Cmps(w) {
			for _, v := range []uint64{e.Value, e.Mask, e.Value | ^e.Mask, e.Value &^ e.Mask} {
				for _, d := range []uint64{0, 1, ^uint64(0), 2, ^uint64(1)} {
					add(v + d)
					add((v + d) & 0xffffffff)
					add((v+d)&0xffffffff | 0xffffffff00000000)
					add((v + d) &^ 0xffffffff)
				}
			}
		}
	}
	for _, rule := range p.Rules {
		walk(rule.When)
	}
	for _, v := range progen.BoundaryValues {
		add(v)
	}
	return out
}

// evalAgainstVM compiles p and runs calls, checking every result against
// policy.Eval. It returns the first disagreement.
func evalAgainstVM(t *testing.T, p *policy.Policy, calls []policy.Call) error {
	t.Helper()
	prog, err := Compile(p, Options{})
	if err != nil {
		return fmt.Errorf("Compile: %v", err)
	}
	return evalProgAgainstVM(t, prog, p, calls)
}

func TestValueSets(t *testing.T) {
	r := rand.New(rand.NewPCG(77, 1))
	archSets := [][]string{{"x86_64"}, {"s390x"}, {"x86"}, {"ppc64"}, {"mips"}, {"x32"}, {"aarch64", "arm"}}
	acts := []policy.Action{policy.Allow, policy.Errno(1), policy.KillProcess, policy.Trap(2), policy.Log}
	names := []string{"read", "ioctl", "socket", "connect", "shmget", "socketcall", "ipc", "mmap"}
	for i := 0; i < scaledN(300); i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, mustArch(t, n))
		}
		p := policy.New(acts[r.IntN(len(acts))])
		p.Arches = as
		for j := 0; j < 1+r.IntN(4); j++ {
			p.Add(names[r.IntN(len(names))], progen.Expr(r, 3), acts[r.IntN(len(acts))])
		}
		vals := endpointInputs(p)
		var calls []policy.Call
		for n := 0; n < 400; n++ {
			a := as[r.IntN(len(as))]
			rule := p.Rules[r.IntN(len(p.Rules))]
			nr, ok := a.SyscallNumber(rule.Syscall)
			c := policy.Call{Arch: a.Audit}
			if mux, call, isMux := a.Multiplexed(rule.Syscall); isMux && (!ok || r.IntN(2) == 0) {
				nr, _ = a.SyscallNumber(mux)
				c.Args[0] = uint64(call)
				if r.IntN(4) == 0 {
					c.Args[0] |= 1 << 32
				}
			} else if !ok {
				continue
			}
			c.Nr = int32(nr)
			for k := range c.Args {
				if k == 0 && c.Args[0] != 0 && r.IntN(2) == 0 {
					continue
				}
				c.Args[k] = vals[r.IntN(len(vals))]
			}
			calls = append(calls, c)
		}
		if err := evalAgainstVM(t, p, calls); err != nil {
			t.Fatalf("policy %d: %v\npolicy:\n%s", i, err, p)
		}
	}
}
