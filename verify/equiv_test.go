package verify

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// A small x86_64 filter and rewrites of it, some equivalent, some not.
var (
	ldNr   = ins(0x20, 0, 0, 0)
	ldArch = ins(0x20, 0, 0, 4)
	retK   = func(k uint32) bpf.RawInstruction { return ins(0x06, 0, 0, k) }
)

func TestEquivalent(t *testing.T) {
	base := []bpf.RawInstruction{
		ldArch, ins(0x15, 1, 0, 0xc000003e), retK(0x80000000),
		ldNr, ins(0x15, 2, 0, 39), ins(0x15, 1, 0, 0), retK(0x00050001), retK(0x7fff0000),
	}
	for _, c := range []struct {
		name string
		b    []bpf.RawInstruction
		want Verdict
	}{
		{"same", base, Equal},
		{"reordered tests", []bpf.RawInstruction{
			ldArch, ins(0x15, 1, 0, 0xc000003e), retK(0x80000000),
			ldNr, ins(0x15, 2, 0, 0), ins(0x15, 1, 0, 39), retK(0x00050001), retK(0x7fff0000),
		}, Equal},
		{"range instead of equality", []bpf.RawInstruction{
			// nr == 0 as nr <= 0, nr == 39 as 39 <= nr < 40
			ldArch, ins(0x15, 1, 0, 0xc000003e), retK(0x80000000),
			ldNr, ins(0x25, 1, 0, 0), ins(0x05, 0, 0, 3), ins(0x35, 0, 1, 39), ins(0x35, 0, 1, 40), retK(0x00050001), retK(0x7fff0000),
		}, Equal},
		{"off by one", []bpf.RawInstruction{
			ldArch, ins(0x15, 1, 0, 0xc000003e), retK(0x80000000),
			ldNr, ins(0x15, 2, 0, 40), ins(0x15, 1, 0, 0), retK(0x00050001), retK(0x7fff0000),
		}, Different},
		{"other errno", []bpf.RawInstruction{
			ldArch, ins(0x15, 1, 0, 0xc000003e), retK(0x80000000),
			ldNr, ins(0x15, 2, 0, 39), ins(0x15, 1, 0, 0), retK(0x00050002), retK(0x7fff0000),
		}, Different},
		{"masked arch", []bpf.RawInstruction{
			// arch & 0xffff == 0x3e accepts more arches
			ldArch, ins(0x54, 0, 0, 0xffff), ins(0x15, 1, 0, 0x3e), retK(0x80000000),
			ldNr, ins(0x15, 2, 0, 39), ins(0x15, 1, 0, 0), retK(0x00050001), retK(0x7fff0000),
		}, Different},
		{"ret a of a constant", []bpf.RawInstruction{
			ldArch, ins(0x15, 1, 0, 0xc000003e), retK(0x80000000),
			ldNr, ins(0x15, 3, 0, 39), ins(0x15, 2, 0, 0), ins(0x00, 0, 0, 0x00050001), ins(0x16, 0, 0, 0), retK(0x7fff0000),
		}, Equal},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := Equivalent(base, c.b, Seccomp)
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != c.want {
				t.Fatalf("Equivalent = %v (%+v), want %v", r.Verdict, r, c.want)
			}
			if r.Verdict == Different && r.RetA == r.RetB {
				t.Errorf("counterexample %+v does not differ", r.Seccomp)
			}
		})
	}
}

// TestEquivalentRandom compares random comparison-only filters with each
// other: a Different must come with a real counterexample, and an Equal
// must survive a search for one.
func TestEquivalentRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	var equal, different int
	for i := 0; i < 300; i++ {
		a := randomCmpFilter(r)
		b := a
		if r.IntN(2) == 0 {
			b = randomCmpFilter(r)
		} else {
			b = append([]bpf.RawInstruction(nil), a...)
			j := r.IntN(len(b) - 1)
			if b[j].Op&0x07 == 0x05 && b[j].Op != 0x05 {
				b[j].K ^= 1 << r.IntN(3) // perturb a comparison constant
			}
		}
		res, err := Equivalent(a, b, Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		switch res.Verdict {
		case Equal:
			equal++
			ma, mb := mustVM(t, a), mustVM(t, b)
			if s := sampleSeccomp(ma, mb, a, b, 5000); s.Verdict == Different {
				t.Fatalf("Equal, but they differ on %+v: %#x vs %#x", s.Seccomp, s.RetA, s.RetB)
			}
		case Different:
			different++
		default:
			t.Fatalf("Unknown for comparison-only filters: %s", res.Reason)
		}
	}
	if equal == 0 || different == 0 {
		t.Errorf("equal %d, different %d: the test does not exercise both", equal, different)
	}
}

// randomCmpFilter builds a filter of loads, masks, comparisons and
// returns, with small constants so that random pairs sometimes agree.
func randomCmpFilter(r *rand.Rand) []bpf.RawInstruction {
	n := 4 + r.IntN(12)
	p := make([]bpf.RawInstruction, n)
	for i := 0; i < n-1; i++ {
		left := n - i - 2
		switch r.IntN(6) {
		case 0:
			p[i] = ins(0x20, 0, 0, uint32(r.IntN(4))*4)
		case 1:
			p[i] = ins(0x54, 0, 0, uint32(r.IntN(8)))
		case 2:
			p[i] = retK(uint32(r.IntN(3)))
		default:
			op := []uint16{0x15, 0x25, 0x35, 0x45}[r.IntN(4)]
			p[i] = ins(op, uint8(r.IntN(left+1)), uint8(r.IntN(left+1)), uint32(r.IntN(6)))
		}
	}
	p[n-1] = retK(uint32(r.IntN(3)))
	return p
}

func mustVM(t *testing.T, p []bpf.RawInstruction) *vm.Machine {
	t.Helper()
	m, err := vm.New(p, Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A branch symbolic execution cannot follow (A > X with both the same
// word) must not turn into an error: its candidate counterexample is
// checked in the VM and the comparison goes on by sampling.
func TestEquivalentUnknownBranch(t *testing.T) {
	a := []bpf.RawInstruction{
		ldArch, ins(0x07, 0, 0, 0), // tax
		ins(0x2d, 0, 1, 0), // jgt x: never, A == X
		retK(1), retK(2),
	}
	b := []bpf.RawInstruction{retK(2)}
	res, err := Equivalent(a, b, Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict == Different {
		t.Errorf("Different on %+v (%#x vs %#x); the programs are equal", res.Seccomp, res.RetA, res.RetB)
	}
	// And a real difference behind such a branch is still found.
	c := []bpf.RawInstruction{ldArch, ins(0x07, 0, 0, 0), ins(0x3d, 0, 1, 0), retK(1), retK(2)} // jge x: always
	res, err = Equivalent(c, b, Seccomp)
	if err != nil || res.Verdict != Different {
		t.Errorf("Equivalent = %+v, %v; want Different", res, err)
	}
}

// TestEquivalentCompiled compares filters of a policy and of a
// mutation of it: Equal must mean that no call differs (checked with
// policy.Eval on many calls), Different must come with a call that does.
func TestEquivalentCompiled(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 5))
	archSets := [][]string{{"x86_64"}, {"s390x"}, {"mips"}, {"x86"}, {"x86_64", "x32"}}
	counts := map[Verdict]int{}
	for i := 0; i < 80; i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, archNamed(t, n))
		}
		p := progen.Policy(r, as, 8)
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
			q.Rules[j].When = &policy.Not{X: progen.Expr(r, 1)}
		default:
			q.Rules[j].When = progen.Cmp(r, r.IntN(3))
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
				for _, d := range randCalls(r, p, a, 2000) {
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

// richFilter is a random seccomp program that uses everything symbolic
// execution models: loads of all 16 words, masks, scratch memory, X,
// jumps on X, jset, and "ret a". Constants come from a small pool so that
// random pairs and mutations often agree.
func richFilter(r *rand.Rand) []bpf.RawInstruction {
	pool := []uint32{0, 1, 2, 0x40000000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x7fff0000, 0x50001}
	k := func() uint32 { return pool[r.IntN(len(pool))] }
	n := 6 + r.IntN(14)
	var p []bpf.RawInstruction
	// Every scratch word written up front, so that any read is valid.
	p = append(p, ins(0x00, 0, 0, k()))
	for m := uint32(0); m < 4; m++ {
		p = append(p, ins(0x02, 0, 0, m))
	}
	for i := 0; i < n; i++ {
		left := n - i - 1 // instructions after this one, before the final ret
		switch r.IntN(12) {
		case 0, 1:
			p = append(p, ins(0x20, 0, 0, uint32(r.IntN(16))*4)) // ld [k]
		case 2:
			p = append(p, ins(0x54, 0, 0, k())) // and #k
		case 3:
			p = append(p, ins(0x02, 0, 0, uint32(r.IntN(4)))) // st M[]
		case 4:
			p = append(p, ins(0x60, 0, 0, uint32(r.IntN(4)))) // ld M[]
		case 5:
			p = append(p, ins([]uint16{0x07, 0x87, 0x01}[r.IntN(3)], 0, 0, k())) // tax, txa, ldx #k
		case 6:
			p = append(p, ins(0x16, 0, 0, 0)) // ret a
		case 7:
			p = append(p, ins(0x06, 0, 0, k()))
		case 8:
			p = append(p, ins(0x05, 0, 0, uint32(r.IntN(left+1)))) // ja
		default:
			op := []uint16{0x15, 0x25, 0x35, 0x45, 0x1d, 0x2d, 0x3d, 0x4d}[r.IntN(8)]
			p = append(p, ins(op, uint8(r.IntN(left+1)), uint8(r.IntN(left+1)), k()))
		}
	}
	return append(p, ins(0x06, 0, 0, k()))
}

// TestEquivalentSound: Equal must never be claimed for programs
// that differ, and Different must come with an input that differs.
func TestEquivalentSound(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	counts := map[Verdict]int{}
	for i := 0; i < 400; i++ {
		a := richFilter(r)
		if !Valid(a, Seccomp) {
			continue
		}
		var b []bpf.RawInstruction
		switch r.IntN(3) {
		case 0:
			b = richFilter(r)
		default:
			b = append([]bpf.RawInstruction(nil), a...)
			j := 5 + r.IntN(len(b)-5)
			switch {
			case b[j].Op&0x07 == 0x05 && b[j].Op != 0x05:
				b[j].K ^= 1 << r.IntN(32)
			case b[j].Op == 0x20:
				b[j].K = uint32(r.IntN(16)) * 4
			case b[j].Op == 0x54:
				b[j].K ^= 1 << r.IntN(32)
			default:
				b[j].K ^= 1
			}
		}
		if !Valid(b, Seccomp) {
			continue
		}
		res, err := Equivalent(a, b, Seccomp)
		if err != nil {
			t.Fatalf("%v\n%s\n%s", err, dump(a), dump(b))
		}
		counts[res.Verdict]++
		checkVerdict(t, a, b, res)
	}
	t.Logf("verdicts: %v", counts)
	if counts[Equal] < 20 || counts[Different] < 20 {
		t.Errorf("verdicts %v: too few of one kind", counts)
	}
}

// checkVerdict checks an equivalence verdict on two seccomp programs in the
// VM: Equal survives 3000 samples, a Different counterexample differs.
func checkVerdict(t *testing.T, a, b []bpf.RawInstruction, res Equivalence) {
	t.Helper()
	ma, mb := mustVM(t, a), mustVM(t, b)
	switch res.Verdict {
	case Equal:
		if s := sampleSeccomp(ma, mb, a, b, 3000); s.Verdict == Different {
			t.Fatalf("Equal, but they differ on %+v: %#x vs %#x\n%s\n%s", s.Seccomp, s.RetA, s.RetB, dump(a), dump(b))
		}
	case Different:
		if ra, rb := ma.RunSeccomp(res.Seccomp).Ret, mb.RunSeccomp(res.Seccomp).Ret; ra == rb {
			t.Fatalf("counterexample %+v does not differ", res.Seccomp)
		}
	}
}
