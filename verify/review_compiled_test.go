package verify

import (
	"math/rand/v2"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// Review tests: filters from the compiler, on every kind of arch (big
// endian, 32-bit, x32, multiplexers), explained and compared.

func reviewArch(t testing.TB, name string) *arch.Arch {
	t.Helper()
	a, err := arch.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var reviewVals = []uint64{0, 1, 2, 3, 10, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 32, 1<<32 + 1,
	0xffffffff00000000, 0xffffffffffffff9c, ^uint64(0), 0x100000002}

func reviewCmp(r *rand.Rand) *policy.Cmp {
	v := reviewVals[r.IntN(len(reviewVals))]
	if r.IntN(4) == 0 {
		v = r.Uint64() >> r.IntN(64)
	}
	c := &policy.Cmp{Arg: r.IntN(3), Op: policy.Op(r.IntN(7)), Value: v, Bits: 64}
	if r.IntN(4) == 0 {
		c.Bits, c.Value = 32, c.Value&0xffffffff
	}
	if c.Op == policy.MaskedEQ {
		c.Mask = []uint64{0xff, 0xffffffff00000000, 1, 0x80000000, ^uint64(0), r.Uint64()}[r.IntN(6)]
		if c.Bits == 32 {
			c.Mask &= 0xffffffff
		}
		c.Value &= c.Mask
	}
	return c
}

func reviewExpr(r *rand.Rand, depth int) policy.Expr {
	if depth == 0 || r.IntN(3) == 0 {
		return reviewCmp(r)
	}
	xs := make([]policy.Expr, 1+r.IntN(4))
	for i := range xs {
		xs[i] = reviewExpr(r, depth-1)
	}
	switch r.IntN(3) {
	case 0:
		return policy.And(xs)
	case 1:
		return &policy.Not{X: policy.Or(xs)}
	}
	return policy.Or(xs)
}

var reviewNames = []string{"read", "write", "ioctl", "socket", "connect", "shmget", "mmap", "kill"}

func reviewPolicy(r *rand.Rand, as []*arch.Arch) *policy.Policy {
	acts := []policy.Action{policy.Allow, policy.Errno(1), policy.KillProcess, policy.Trap(2), policy.Log}
	p := policy.New(acts[r.IntN(len(acts))])
	p.Arches = as
	for i := 0; i < 1+r.IntN(8); i++ {
		var when policy.Expr
		if r.IntN(4) > 0 {
			when = reviewExpr(r, 2)
		}
		p.Add(reviewNames[r.IntN(len(reviewNames))], when, acts[r.IntN(len(acts))])
	}
	return p
}

// dataWords is seccomp_data as the filter's 16 words (the inverse of
// wordsToData).
func dataWords(d vm.SeccompData) [16]uint32 {
	var raw [64]byte
	bo := byteOrder(d.Arch)
	bo.PutUint32(raw[0:], uint32(d.Nr))
	bo.PutUint32(raw[4:], d.Arch)
	bo.PutUint64(raw[8:], d.InstructionPointer)
	for i, a := range d.Args {
		bo.PutUint64(raw[16+8*i:], a)
	}
	var w [16]uint32
	for i := range w {
		w[i] = bo.Uint32(raw[4*i:])
	}
	return w
}

// reviewCalls makes calls of the policy's syscalls (and their
// multiplexers) with boundary arguments.
func reviewCalls(r *rand.Rand, p *policy.Policy, a *arch.Arch, n int) []vm.SeccompData {
	var out []vm.SeccompData
	for len(out) < n {
		name := reviewNames[r.IntN(len(reviewNames))]
		d := vm.SeccompData{Arch: a.Audit}
		nr, ok := a.SyscallNumber(name)
		if mux, call, isMux := a.Multiplexed(name); isMux && (!ok || r.IntN(2) == 0) {
			nr, _ = a.SyscallNumber(mux)
			d.Args[0] = uint64(call)
		} else if !ok {
			continue
		}
		d.Nr = int32(nr)
		for k := range d.Args {
			if k == 0 && d.Args[0] != 0 && r.IntN(2) == 0 {
				continue
			}
			v := reviewVals[r.IntN(len(reviewVals))]
			if r.IntN(5) == 0 {
				v = r.Uint64()
			}
			d.Args[k] = v + uint64(r.IntN(3)) - 1
		}
		out = append(out, d)
	}
	return out
}

// TestReviewExplainCompiled: for filters from the compiler on every kind
// of arch, the case of the explanation that holds for a call gives what
// the VM returns.
func TestReviewExplainCompiled(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 3))
	archSets := [][]string{{"s390x"}, {"ppc64"}, {"mips"}, {"x86"}, {"x86_64", "x32"}, {"mips64"}, {"arm"}, {"aarch64", "x86_64"}}
	for i := 0; i < 60; i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, reviewArch(t, n))
		}
		p := reviewPolicy(r, as)
		prog, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := mustVM(t, prog)
		for _, a := range as {
			ex, err := Explain(prog, a)
			if err != nil {
				t.Fatal(err)
			}
			byNr := map[uint32]Decision{}
			for _, d := range ex.Syscalls {
				byNr[d.Nr] = d
			}
			// Numbers without a name: the Other cases.
			for n := 0; n < 50; n++ {
				nr := uint32(r.IntN(6000))
				if a.Name == "x32" {
					nr |= 0x40000000
				}
				if _, named := byNr[nr]; named {
					continue
				}
				d := vm.SeccompData{Arch: a.Audit, Nr: int32(nr), Args: [6]uint64{r.Uint64(), 1}}
				var said uint32
				found := false
				for _, c := range ex.Other {
					if c.Holds(dataWords(d)) {
						said, found = c.Action, true
						break
					}
				}
				if got := m.RunSeccomp(d).Ret; !found || said != got {
					t.Fatalf("%s nr %#x: explanation's other numbers say %#x, VM returns %#x", a.Name, nr, said, got)
				}
			}
			for _, d := range reviewCalls(r, p, a, 200) {
				dec, ok := byNr[uint32(d.Nr)]
				if !ok {
					t.Fatalf("%s: no decision for nr %d", a.Name, d.Nr)
				}
				w := dataWords(d)
				var said uint32
				for _, c := range dec.Cases {
					if c.Holds(w) {
						said = c.Action
						break
					}
				}
				got := m.RunSeccomp(d).Ret
				if want := uint32(policy.Eval(p, policy.Call{Arch: d.Arch, Nr: d.Nr, Args: d.Args})); got != want {
					t.Fatalf("%s %+v: VM %#x, policy.Eval %#x", a.Name, d, got, want)
				}
				if said != got {
					t.Fatalf("%s %+v: explain says %#x (%s), VM returns %#x\npolicy:\n%s", a.Name, d, said, dec, got, p)
				}
			}
		}
	}
}

// TestReviewLintsOnCompiled: the compiler's filters check the arch first,
// send x32 and foreign arches to the bad-arch action and test 64-bit
// arguments on both words; the lints must not say otherwise.
func TestReviewLintsOnCompiled(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 4))
	archSets := [][]string{{"x86_64"}, {"s390x"}, {"ppc64"}, {"mips"}, {"x86"}, {"x86_64", "x32"}, {"mips64"}, {"aarch64", "x86_64"}, {"x32"}}
	for i := 0; i < 90; i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, reviewArch(t, n))
		}
		p := reviewPolicy(r, as)
		// 64-bit comparisons only: a 32-bit one on a 64-bit arch is a
		// fair arg-half warning.
		for j := range p.Rules {
			p.Rules[j].When = widen(p.Rules[j].When)
		}
		if r.IntN(2) == 0 {
			p.Default = policy.Allow
		}
		prog, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// A compiled filter that does not allow uretprobe is fairly told
		// that kernels exempt it (seccomp-exempt); nothing else is fair.
		if ds := withoutCode(LintProgram(prog, Seccomp), LintExempt); len(ds) > 0 {
			t.Errorf("policy %d on %v: lints on a compiled filter:\n%v\npolicy:\n%s\n%s", i, archSets[i%len(archSets)], ds, p, dump(prog))
		}
	}
}

func widen(e policy.Expr) policy.Expr {
	switch e := e.(type) {
	case *policy.Cmp:
		c := *e
		c.Bits = 64
		if c.Op == policy.MaskedEQ && c.Mask == 0xffffffff {
			// (arg & 0xffffffff) == v asks for a test of the low half:
			// the warning would be fair.
			c.Mask = ^uint64(0)
		}
		return &c
	case policy.And:
		out := make(policy.And, len(e))
		for i, x := range e {
			out[i] = widen(x)
		}
		return out
	case policy.Or:
		out := make(policy.Or, len(e))
		for i, x := range e {
			out[i] = widen(x)
		}
		return out
	case *policy.Not:
		return &policy.Not{X: widen(e.X)}
	}
	return e
}

// TestReviewEquivalentCompiled compares filters of a policy and of a
// mutation of it: Equal must mean that no call differs (checked with
// policy.Eval on many calls), Different must come with a call that does.
func TestReviewEquivalentCompiled(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 5))
	archSets := [][]string{{"x86_64"}, {"s390x"}, {"mips"}, {"x86"}, {"x86_64", "x32"}}
	counts := map[Verdict]int{}
	for i := 0; i < 80; i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, reviewArch(t, n))
		}
		p := reviewPolicy(r, as)
		q := *p
		q.Rules = append([]policy.Rule(nil), p.Rules...)
		j := r.IntN(len(q.Rules))
		switch r.IntN(3) {
		case 0: // a semantically equal rewrite: split an Or into rules
			if or, ok := q.Rules[j].When.(policy.Or); ok {
				q.Rules = append(q.Rules[:j:j], q.Rules[j+1:]...)
				for _, x := range or {
					q.Rules = append(q.Rules, policy.Rule{Syscall: p.Rules[j].Syscall, When: x, Action: p.Rules[j].Action})
				}
			}
		case 1:
			q.Rules[j].When = &policy.Not{X: reviewExpr(r, 1)}
		default:
			q.Rules[j].When = reviewCmp(r)
		}
		pa, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		pb, err := compile.Compile(&q, compile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Equivalent(pa, pb, Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		counts[res.Verdict]++
		ma, mb := mustVM(t, pa), mustVM(t, pb)
		switch res.Verdict {
		case Equal:
			for _, a := range as {
				for _, d := range reviewCalls(r, p, a, 2000) {
					c := policy.Call{Arch: d.Arch, Nr: d.Nr, Args: d.Args}
					if policy.Eval(p, c) != policy.Eval(&q, c) || ma.RunSeccomp(d).Ret != mb.RunSeccomp(d).Ret {
						t.Fatalf("Equal, but %+v differs:\n%s\nvs\n%s", d, p, &q)
					}
				}
			}
		case Different:
			c := policy.Call{Arch: res.Seccomp.Arch, Nr: res.Seccomp.Nr, Args: res.Seccomp.Args}
			if ra, rb := ma.RunSeccomp(res.Seccomp).Ret, mb.RunSeccomp(res.Seccomp).Ret; ra != res.RetA || rb != res.RetB || ra == rb {
				t.Fatalf("counterexample %+v: VM %#x %#x, reported %#x %#x", res.Seccomp, ra, rb, res.RetA, res.RetB)
			}
			if policy.Eval(p, c) == policy.Eval(&q, c) {
				t.Fatalf("counterexample %+v does not differ in policy.Eval", res.Seccomp)
			}
		default:
			t.Fatalf("Unknown for compiled filters: %s", res.Reason)
		}
	}
	t.Logf("verdicts: %v", counts)
	if counts[Equal] == 0 || counts[Different] == 0 {
		t.Errorf("verdicts %v: the test does not exercise both", counts)
	}
}

// TestReviewCacheCompiled: a syscall the policy allows whatever the
// arguments is served from the kernel's cache; one it may refuse is not.
func TestReviewCacheCompiled(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 6))
	archSets := [][]string{{"x86_64"}, {"s390x"}, {"x86"}, {"x86_64", "x32"}, {"aarch64", "arm"}, {"mips"}}
	for i := 0; i < 60; i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, reviewArch(t, n))
		}
		p := reviewPolicy(r, as)
		for _, n := range []string{"getpid", "close", "futex", "read"} {
			if r.IntN(2) == 0 {
				p.Allow(n)
			}
		}
		prog, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := mustVM(t, prog)
		for _, a := range as {
			for _, sc := range a.Syscalls() {
				cached := CacheAllows(prog, a.Audit, sc.Number)
				// Allowed whatever the arguments: every rule that applies
				// allows, and one of them or the default always does.
				allAllow, uncond := true, p.Default == policy.Allow
				for _, r := range p.Rules {
					mux, _, isMux := a.Multiplexed(r.Syscall)
					if r.Syscall != sc.Name && !(isMux && mux == sc.Name) {
						continue
					}
					allAllow = allAllow && r.Action == policy.Allow
					uncond = uncond || r.Syscall == sc.Name && r.When == nil && r.Action == policy.Allow
				}
				if allAllow && uncond && !cached && sc.Number < a.CacheBound() {
					t.Fatalf("%s %s: always allowed, not cached\npolicy:\n%s", a.Name, sc.Name, p)
				}
				if cached {
					for n := 0; n < 20; n++ {
						d := vm.SeccompData{Arch: a.Audit, Nr: int32(sc.Number), Args: [6]uint64{r.Uint64(), r.Uint64(), uint64(r.IntN(4))}}
						if got := m.RunSeccomp(d).Ret; got != uint32(policy.Allow) {
							t.Fatalf("%s %s: cached, but %+v returns %#x", a.Name, sc.Name, d, got)
						}
					}
				}
			}
		}
	}
}
