package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
)

func mustArch(t *testing.T, name string) *arch.Arch {
	t.Helper()
	a, err := arch.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// call builds a Call of the named syscall on a.
func call(t *testing.T, a *arch.Arch, name string, args ...uint64) Call {
	t.Helper()
	nr, ok := a.SyscallNumber(name)
	if !ok {
		t.Fatalf("%s has no %s", a.Name, name)
	}
	c := Call{Arch: a.Audit, Nr: int32(nr)}
	copy(c.Args[:], args)
	return c
}

func TestEval(t *testing.T) {
	x86_64, x32, x86 := mustArch(t, "x86_64"), mustArch(t, "x32"), mustArch(t, "x86")
	aarch64, mips := mustArch(t, "aarch64"), mustArch(t, "mips")

	base := func(as ...*arch.Arch) *Policy {
		return New(Errno(1)).On(as...).Allow("read").Deny(KillThread, "ptrace")
	}
	raw := func(a *arch.Arch, nr uint32, args ...uint64) Call {
		c := Call{Arch: a.Audit, Nr: int32(nr)}
		copy(c.Args[:], args)
		return c
	}
	for _, tc := range []struct {
		name string
		p    *Policy
		c    Call
		want Action
	}{
		// 1. The ABI.
		{"target arch", base(x86_64), call(t, x86_64, "read"), Allow},
		{"other arch", base(x86_64), call(t, aarch64, "read"), KillProcess},
		{"other arch, own bad-arch action", &Policy{Default: Allow, BadArch: Errno(9), Arches: []*arch.Arch{x86_64}}, call(t, x86, "read"), Errno(9)},
		{"unknown AUDIT_ARCH", base(x86_64), Call{Arch: 0x12345678, Nr: 0}, KillProcess},
		{"x32 call, x32 not a target", base(x86_64), call(t, x32, "read"), KillProcess},
		{"x32 call, x32 a target", base(x86_64, x32), call(t, x32, "read"), Allow},
		{"x32 ptrace, x32 a target", base(x86_64, x32), call(t, x32, "ptrace"), KillThread},
		{"x86_64 call, only x32 a target", base(x32), call(t, x86_64, "read"), KillProcess},
		{"x86_64 number with bit 30, x32 only", base(x32), raw(x86_64, 0x40000000), Allow},
		// 2. Numbers without a name.
		{"unknown number", base(x86_64), raw(x86_64, 999), Errno(1)},
		{"unknown x32 number", base(x86_64, x32), raw(x86_64, 0x40000000|999), Errno(1)},
		{"negative number", base(x86_64), Call{Arch: x86_64.Audit, Nr: -1}, Errno(1)},
		// 3. Rules and default.
		{"no rule", base(x86_64), call(t, x86_64, "write"), Errno(1)},
		{"predicate holds", New(Allow).On(x86_64).Add("write", Arg(0).Eq(2), Errno(5)), call(t, x86_64, "write", 2), Errno(5)},
		{"predicate fails", New(Allow).On(x86_64).Add("write", Arg(0).Eq(2), Errno(5)), call(t, x86_64, "write", 3), Allow},
		// 32-bit comparisons look at the low half only.
		{"64-bit eq, high bits set", New(Allow).On(x86_64).Add("write", Arg(0).Eq(1), Errno(5)), call(t, x86_64, "write", 0xffffffff00000001), Allow},
		{"32-bit eq, high bits set", New(Allow).On(x86_64).Add("write", Arg32(0).Eq(1), Errno(5)), call(t, x86_64, "write", 0xffffffff00000001), Errno(5)},
		{"32-bit gt", New(Allow).On(x86_64).Add("write", Arg32(0).Gt(5), Errno(5)), call(t, x86_64, "write", 0x100000000), Allow},
		{"64-bit gt", New(Allow).On(x86_64).Add("write", Arg(0).Gt(5), Errno(5)), call(t, x86_64, "write", 0x100000000), Errno(5)},
		{"32-bit masked", New(Allow).On(x86_64).Add("write", Arg32(2).MaskedEq(0xff, 0x41), Errno(5)), call(t, x86_64, "write", 0, 0, 0x7700000041), Errno(5)},
		// Negative numbers are two's complement in the comparison's width.
		{"-1 in 64 bits, 64-bit arg", mustParse(t, "default allow\narch x86_64\nkill: arg1 == -1 => errno(5)"), call(t, x86_64, "kill", 0, 0xffffffffffffffff), Errno(5)},
		{"-1 in 64 bits, 32-bit value", mustParse(t, "default allow\narch x86_64\nkill: arg1 == -1 => errno(5)"), call(t, x86_64, "kill", 0, 0xffffffff), Allow},
		{"-1 in 32 bits", mustParse(t, "default allow\narch x86_64\nkill: (u32)arg1 == -1 => errno(5)"), call(t, x86_64, "kill", 0, 0xffffffff), Errno(5)},
		{"AT_FDCWD in 64 bits", mustParse(t, "default allow\narch x86_64\nopenat: dfd == AT_FDCWD => errno(5)"), call(t, x86_64, "openat", 0xffffffffffffff9c), Errno(5)},
		// On 32-bit arches every comparison is 32-bit.
		{"x86 narrows 64-bit eq", mustParse(t, "default allow\narch x86\nopenat: dfd == AT_FDCWD => errno(5)"), call(t, x86, "openat", 0xffffff9c), Errno(5)},
		{"x86 ignores high garbage", New(Allow).On(x86).Add("write", Arg(0).Eq(1), Errno(5)), call(t, x86, "write", 0xdead00000001), Errno(5)},
		{"mips narrows gt", New(Allow).On(mips).Add("write", Arg(0).Gt(0xffffffff), Errno(5)), call(t, mips, "write", 0x100000000), Allow},
		// socketcall and ipc: a rule on socket matches socketcall(SYS_SOCKET)
		// without its predicate, and the direct syscall with it.
		{"x86 direct socket, predicate holds", sockPolicy(x86), call(t, x86, "socket", 2), Errno(5)},
		{"x86 direct socket, predicate fails", sockPolicy(x86), call(t, x86, "socket", 10), Allow},
		{"x86 socket is 359", sockPolicy(x86), raw(x86, 359, 2), Errno(5)},
		{"x86 socketcall SYS_SOCKET", sockPolicy(x86), raw(x86, 102, 1, 0xbffff000), Errno(5)},
		{"x86 socketcall SYS_CONNECT", sockPolicy(x86), raw(x86, 102, 3, 0xbffff000), Allow},
		{"x86 socketcall, rule on socketcall", New(Allow).On(x86).Deny(Errno(7), "socketcall"), raw(x86, 102, 1), Errno(7)},
		{"x86 socketcall, both rules", New(Allow).On(x86).Deny(Errno(7), "socketcall").Deny(Errno(5), "socket"), raw(x86, 102, 1), Errno(5)},
		{"x86 ipc SHMGET", New(Allow).On(x86).Add("shmget", Arg(0).Eq(42), Errno(5)), raw(x86, 117, 23), Errno(5)},
		{"x86 ipc SHMAT", New(Allow).On(x86).Add("shmget", Arg(0).Eq(42), Errno(5)), raw(x86, 117, 21), Allow},
		{"x86_64 has no socketcall", sockPolicy(x86_64), call(t, x86_64, "socket", 10), Allow},
		{"mips socketcall", sockPolicy(mips), raw(mips, 4102, 1), Errno(5)},
	} {
		if got := Eval(tc.p, tc.c); got != tc.want {
			t.Errorf("%s: Eval = %v, want %v\npolicy:\n%s", tc.name, got, tc.want, tc.p)
		}
	}
}

func sockPolicy(a *arch.Arch) *Policy {
	return New(Allow).On(a).Add("socket", Arg(0).Eq(2), Errno(5))
}

func mustParse(t *testing.T, src string) *Policy {
	t.Helper()
	p, _, err := ParseText("t", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEvalMostRestrictive: of two matching rules the one earlier in the
// kernel's order wins, whatever the order of the rules; among equal
// actions, the lower data.
func TestEvalMostRestrictive(t *testing.T) {
	x86_64 := mustArch(t, "x86_64")
	order := []Action{KillProcess, KillThread, Trap(1), Errno(1), UserNotif, Trace(1), Log, Allow}
	for i, a := range order {
		for _, b := range order[i+1:] {
			for _, rules := range [][2]Action{{a, b}, {b, a}} {
				p := New(Errno(99)).On(x86_64).Add("write", Arg(0).Eq(1), rules[0]).Add("write", Arg(1).Eq(2), rules[1])
				if got := Eval(p, call(t, x86_64, "write", 1, 2)); got != a {
					t.Errorf("rules %v then %v: Eval = %v, want %v", rules[0], rules[1], got, a)
				}
				// Only one matches: that one.
				if got := Eval(p, call(t, x86_64, "write", 1, 3)); got != rules[0] {
					t.Errorf("only %v matches: Eval = %v", rules[0], got)
				}
			}
		}
	}
	for _, pair := range [][2]Action{{Errno(1), Errno(13)}, {Trap(2), Trap(5)}, {Trace(0), Trace(1)}} {
		for _, rules := range [][2]Action{pair, {pair[1], pair[0]}} {
			p := New(Allow).On(x86_64).Deny(rules[0], "write").Deny(rules[1], "write")
			if got := Eval(p, call(t, x86_64, "write")); got != pair[0] {
				t.Errorf("%v and %v: Eval = %v, want %v", rules[0], rules[1], got, pair[0])
			}
		}
	}
}

// TestEvalNoArches: a policy without arches targets none, whatever
// machine runs it: every call, the host's too, gets the bad-arch action.
func TestEvalNoArches(t *testing.T) {
	p := New(Errno(1)).Allow("read")
	p.BadArch = KillThread
	for _, a := range arch.All() {
		if got := Eval(p, call(t, a, "read")); got != KillThread {
			t.Errorf("%s read on a policy without arches: %v, want KILL_THREAD", a.Name, fmt.Sprint(got))
		}
	}
	if ts := p.Targets(); len(ts) != 0 {
		t.Errorf("Targets() = %v, want none", ts)
	}
}

// TestValidateNilOperands: a malformed AST is an error, not a panic.
func TestValidateNilOperands(t *testing.T) {
	for _, e := range []Expr{And{nil}, Or{Arg(0).Eq(1), nil}, &Not{}, (*Cmp)(nil)} {
		p := New(Allow)
		p.Add("read", e, Errno(1))
		errs := p.Errors()
		if len(errs) == 0 || !strings.Contains(errs[0].Msg, "nil operand") {
			t.Errorf("%#v: Errors() = %v", e, errs)
		}
	}
}
