package policy_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
)

// TestBuilders: every comparison and compound builder of the Go API
// prints as the policy language writes it, parses back to the same text,
// and decides calls as the comparison means: Eval of a rule built with it
// against the operator applied to the argument directly (64-bit, and the
// low word for Arg32).
func TestBuilders(t *testing.T) {
	const v, mask = 0x100000005, 0xff0000000f
	type builder struct {
		text string
		x    policy.Expr
		want func(a uint64) bool
	}
	var cases []builder
	for _, w := range []struct {
		ref  policy.ArgRef
		name string
		cut  func(uint64) uint64
	}{
		{policy.Arg(1), "arg1", func(a uint64) uint64 { return a }},
		{policy.Arg32(1), "(u32)arg1", func(a uint64) uint64 { return a & 0xffffffff }},
	} {
		val := uint64(v)
		m := uint64(mask)
		if w.name != "arg1" {
			val, m = v&0xffffffff, mask&0xffffffff
		}
		c := w.cut
		cases = append(cases,
			builder{w.name + " == " + hex(val), w.ref.Eq(val), func(a uint64) bool { return c(a) == val }},
			builder{w.name + " != " + hex(val), w.ref.Ne(val), func(a uint64) bool { return c(a) != val }},
			builder{w.name + " < " + hex(val), w.ref.Lt(val), func(a uint64) bool { return c(a) < val }},
			builder{w.name + " <= " + hex(val), w.ref.Le(val), func(a uint64) bool { return c(a) <= val }},
			builder{w.name + " > " + hex(val), w.ref.Gt(val), func(a uint64) bool { return c(a) > val }},
			builder{w.name + " >= " + hex(val), w.ref.Ge(val), func(a uint64) bool { return c(a) >= val }},
		)
		masked := "(" + w.name + " & " + hex(m) + ") == " + hex(val&m)
		if w.name != "arg1" {
			masked = "((u32)arg1 & " + hex(m) + ") == " + hex(val&m)
		}
		cases = append(cases, builder{masked, w.ref.MaskedEq(m, val&m), func(a uint64) bool { return c(a)&m == val&m }})
	}
	lt, ge := policy.Arg(1).Lt(10), policy.Arg(2).Ge(3)
	cases = append(cases,
		builder{"arg1 < 10 && arg2 >= 3", policy.AllOf(lt, ge), nil},
		builder{"arg1 < 10 || arg2 >= 3", policy.AnyOf(lt, ge), nil},
		builder{"!(arg1 < 10)", policy.Negate(lt), nil},
		builder{"!(arg1 < 10 || arg2 >= 3)", policy.Negate(policy.AnyOf(lt, ge)), nil},
	)
	compound := map[string]func(a1, a2 uint64) bool{
		"arg1 < 10 && arg2 >= 3":    func(a1, a2 uint64) bool { return a1 < 10 && a2 >= 3 },
		"arg1 < 10 || arg2 >= 3":    func(a1, a2 uint64) bool { return a1 < 10 || a2 >= 3 },
		"!(arg1 < 10)":              func(a1, a2 uint64) bool { return a1 >= 10 },
		"!(arg1 < 10 || arg2 >= 3)": func(a1, a2 uint64) bool { return a1 >= 10 && a2 < 3 },
	}

	x86_64, _ := arch.Lookup("x86_64")
	nr, _ := x86_64.SyscallNumber("lseek")
	rnd := rand.New(rand.NewPCG(10, 10))
	for _, tc := range cases {
		p := &policy.Policy{Default: policy.Allow, BadArch: policy.KillProcess, Arches: []*arch.Arch{x86_64},
			Rules: []policy.Rule{{Syscall: "lseek", When: tc.x, Action: policy.Errno(1)}}}
		if errs := p.Errors(); len(errs) > 0 {
			t.Fatalf("%s: %v", tc.text, errs)
		}
		src := p.String()
		want := "lseek: " + tc.text + " => errno(1)"
		if !slices.Contains(strings.Split(src, "\n"), want) {
			t.Errorf("built %s, prints\n%s\nwant a line %q", tc.text, src, want)
		}
		q, _, err := policy.ParseText("b", []byte(src))
		if err != nil {
			t.Fatalf("%s: printed policy does not parse: %v\n%s", tc.text, err, src)
		}
		if q.String() != src {
			t.Errorf("%s: round trip\n%s\nbecomes\n%s", tc.text, src, q.String())
		}
		for k := range 300 {
			a1 := []uint64{v, v - 1, v + 1, 0, 5, 10, 9, ^uint64(0), v & 0xffffffff, v | 1<<40}[k%10]
			if k >= 10 {
				a1 = rnd.Uint64() >> (rnd.IntN(3) * 24)
			}
			a2 := uint64(rnd.IntN(6))
			var holds bool
			if tc.want != nil {
				holds = tc.want(a1)
			} else {
				holds = compound[tc.text](a1, a2)
			}
			want := policy.Allow
			if holds {
				want = policy.Errno(1)
			}
			c := policy.Call{Arch: x86_64.Audit, Nr: int32(nr), Args: [6]uint64{0, a1, a2}}
			if got := policy.Eval(p, c); got != want {
				t.Errorf("%s with arg1=%#x arg2=%d: Eval %v, want %v", tc.text, a1, a2, got, want)
			}
			if got := policy.Eval(q, c); got != want {
				t.Errorf("%s parsed back, with arg1=%#x: Eval %v, want %v", tc.text, a1, got, want)
			}
		}
	}
}

// hex writes a constant as Policy.String does: below 4096 in decimal.
func hex(v uint64) string {
	if v < 4096 {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%#x", v)
}
