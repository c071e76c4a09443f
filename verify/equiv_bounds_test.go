package verify

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/diag"
)

// Filters with many bit tests on one argument (testdata/gen_qemu.py), and
// searches that cannot finish: every one must end, with what it proved.

// ldZero prepends "ld #0", which changes nothing.
func ldZero(p []bpf.RawInstruction) []bpf.RawInstruction {
	return append([]bpf.RawInstruction{ins(0x00, 0, 0, 0)}, p...)
}

var bitTestFilters = []string{"bits_8.ddd", "bits_12.ddd", "bits_16.ddd", "bits_20.ddd", "bits_23.ddd", "bits_32.ddd", "qemu_sandbox.ddd"}

// TestEquivalentBitTests: QEMU's clone rule (23 flag tests on args[0])
// and N single-bit tests used to take exponential time and memory (25
// minutes and 4 GB for QEMU's filter); now each is proven within a few
// hundred pairs of paths.
func TestEquivalentBitTests(t *testing.T) {
	for _, name := range bitTestFilters {
		p := loadDDD(t, name)
		start := time.Now()
		r, err := EquivalentWith(p, ldZero(p), Seccomp, EquivOptions{MaxPaths: 1000, Timeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if r.Verdict != Equal {
			t.Errorf("%s: %v (%s), want equal", name, r.Verdict, r.Reason)
		}
		t.Logf("%s: %v in %d pairs of paths, %v", name, r.Verdict, r.Paths, time.Since(start))
	}
}

// mutate returns p with instruction i's K replaced.
func mutate(p []bpf.RawInstruction, i int, k uint32) []bpf.RawInstruction {
	q := append([]bpf.RawInstruction(nil), p...)
	q[i].K = k
	return q
}

// findInsn returns the index of the first instruction with op and k.
func findInsn(t *testing.T, p []bpf.RawInstruction, op uint16, k uint32) int {
	t.Helper()
	for i, in := range p {
		if in.Op == op && in.K == k {
			return i
		}
	}
	t.Fatalf("no instruction %#x k=%#x", op, k)
	return -1
}

// TestEquivalentQEMUDifferent: a changed flag in QEMU's clone rule is
// found, with an input the VM confirms, on clone.
func TestEquivalentQEMUDifferent(t *testing.T) {
	p := loadDDD(t, "qemu_sandbox.ddd")
	// CLONE_NEWUSER forbidden -> CLONE_CHILD_SETTID (0x1000000) forbidden.
	i := findInsn(t, p, 0x15, 0x10000000)
	q := mutate(p, i, 0x1000000)
	q[i-1].K = 0x1000000 // its "and"
	r, err := Equivalent(p, ldZero(q), Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != Different || r.Seccomp.Nr != 56 {
		t.Fatalf("%v on %+v, want different on clone (56)", r.Verdict, r.Seccomp)
	}
	ma, mb := mustVM(t, p), mustVM(t, ldZero(q))
	if ra, rb := ma.RunSeccomp(r.Seccomp).Ret, mb.RunSeccomp(r.Seccomp).Ret; ra != r.RetA || rb != r.RetB || ra == rb {
		t.Errorf("VM: %#x %#x, result says %#x %#x", ra, rb, r.RetA, r.RetB)
	}
}

// TestEquivalentCutOff: with a tiny budget the clone class of QEMU's
// filter is given up and named; the rest is still proven, so that a
// difference outside clone is still found, and one inside it is not
// claimed without an input that shows it.
func TestEquivalentCutOff(t *testing.T) {
	p := loadDDD(t, "qemu_sandbox.ddd")
	noSampling := EquivOptions{MaxPaths: 8, Samples: -1}
	r, err := EquivalentWith(p, ldZero(p), Seccomp, noSampling)
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != Unknown || len(r.Unproven) != 1 {
		t.Fatalf("%v, unproven %v; want unknown for clone only", r.Verdict, r.Unproven)
	}
	u := r.Unproven[0]
	if !u.ArchKnown || u.Arch != 0xc000003e || !u.NrKnown || u.Nr != 56 || u.Inputs() != "x86_64 clone (nr 56)" {
		t.Errorf("unproven %+v, want x86_64 clone", u)
	}
	want := "proven equal for every input except x86_64 clone (nr 56), where the search was cut off after 8 pairs of paths"
	if r.Reason != want {
		t.Errorf("reason %q, want %q", r.Reason, want)
	}
	// reboot (169) KILL_PROCESS -> ERRNO(1): outside clone.
	i := findInsn(t, p, 0x15, 169)
	q := append([]bpf.RawInstruction(nil), p...)
	q = append(q, retK(0x00050001))
	q[i].Jt = uint8(len(q) - 1 - (i + 1))
	if int(q[i].Jt) != len(q)-1-(i+1) {
		t.Fatal("jump too long")
	}
	if r, err := EquivalentWith(p, q, Seccomp, noSampling); err != nil || r.Verdict != Different || r.Seccomp.Nr != 169 {
		t.Errorf("reboot changed: %v %+v %v, want different on 169", r.Verdict, r.Seccomp, err)
	}
	// A flag changed in clone: unknown without sampling, different with.
	j := findInsn(t, p, 0x15, 0x10000000)
	q = mutate(p, j, 0x1000000)
	q[j-1].K = 0x1000000
	if r, err := EquivalentWith(p, q, Seccomp, noSampling); err != nil || r.Verdict != Unknown {
		t.Errorf("clone changed, no sampling: %v %v, want unknown", r.Verdict, err)
	}
	r, err = EquivalentWith(p, q, Seccomp, EquivOptions{MaxPaths: 8})
	if err != nil || r.Verdict != Different || r.Seccomp.Nr != 56 {
		t.Errorf("clone changed, sampling in the unproven class: %v %+v %v, want different on clone", r.Verdict, r.Seccomp, err)
	}
}

// explosive returns a filter with 2^(2n) paths that all allow: n
// independent bit tests on each word of args[0], which rejoin.
func explosive(n int) []bpf.RawInstruction {
	var p []bpf.RawInstruction
	for _, off := range []uint32{16, 20} {
		for i := 0; i < n; i++ {
			p = append(p, ins(0x20, 0, 0, off), ins(0x45, 0, 1, 1<<i), ins(0x01, 0, 0, uint32(i)))
		}
	}
	return append(p, retK(0x7fff0000))
}

// TestEquivalentBounded: 2^64 pairs of paths end in unknown, by the path
// budget or by the timeout, and the answer says which.
func TestEquivalentBounded(t *testing.T) {
	a := explosive(32)
	b := ldZero(a)
	start := time.Now()
	r, err := EquivalentWith(a, b, Seccomp, EquivOptions{MaxPaths: 2000, Timeout: -1, Samples: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != Unknown || len(r.Unproven) != 1 || r.Unproven[0].Inputs() != "every input" ||
		!strings.Contains(r.Reason, "cut off after 2000 pairs of paths") {
		t.Errorf("path budget: %v %q %v", r.Verdict, r.Reason, r.Unproven)
	}
	t.Logf("path budget: %v, %s", time.Since(start), r.Reason)
	start = time.Now()
	r, err = EquivalentWith(a, b, Seccomp, EquivOptions{MaxPaths: math.MaxInt, Timeout: 300 * time.Millisecond})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != Unknown || !strings.Contains(r.Reason, "ran out of time (300ms)") {
		t.Errorf("timeout: %v %q", r.Verdict, r.Reason)
	}
	if took > 5*time.Second { // 300ms, and a generous margin for a busy machine
		t.Errorf("timeout of 300ms: answered after %v", took)
	}
	t.Logf("timeout: %v, %s", took, r.Reason)
}

// TestEquivalentTimeoutPerClass: when the time runs out, the classes
// already proven stay proven: here every syscall but the last ones of
// a long chain.
func TestEquivalentTimeoutPerClass(t *testing.T) {
	// nr 0..99 allowed when args[0] == nr, else the explosive test on
	// args[1] for nr 100.
	var p []bpf.RawInstruction
	p = append(p, ldArch, ins(0x15, 1, 0, 0xc000003e), retK(0))
	for nr := uint32(0); nr < 100; nr++ {
		p = append(p, ldNr, ins(0x15, 0, 3, nr), ins(0x20, 0, 0, 16), ins(0x15, 0, 1, nr), retK(0x7fff0000))
	}
	p = append(p, ldNr, ins(0x15, 1, 0, 100), retK(0x50001))
	p = append(p, explosive(32)...)
	r, err := EquivalentWith(p, ldZero(p), Seccomp, EquivOptions{MaxPaths: 5000, Samples: -1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != Unknown || len(r.Unproven) != 1 || r.Unproven[0].Inputs() != "x86_64 times (nr 100)" {
		t.Fatalf("%v %v, want unknown for nr 100 only", r.Verdict, r.Unproven)
	}
}

// TestEquivalentDivideByZero: the kernel ends a program that divides by
// X == 0 with 0; equivalence must not assume the division goes on.
func TestEquivalentDivideByZero(t *testing.T) {
	ret7 := []bpf.RawInstruction{retK(7)}
	for _, c := range []struct {
		name string
		a    []bpf.RawInstruction
		want Verdict
	}{
		{"X = 0", []bpf.RawInstruction{ins(0x01, 0, 0, 0), ins(0x00, 0, 0, 5), ins(0x3c, 0, 0, 0), retK(7)}, Different},
		{"X = args[0]", []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x07, 0, 0, 0), ins(0x00, 0, 0, 5), ins(0x3c, 0, 0, 0), retK(7)}, Different},
		{"X = 3", []bpf.RawInstruction{ins(0x01, 0, 0, 3), ins(0x00, 0, 0, 5), ins(0x3c, 0, 0, 0), retK(7)}, Equal},
	} {
		r, err := Equivalent(c.a, ret7, Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		if r.Verdict != c.want {
			t.Errorf("%s: %v (%s), want %v", c.name, r.Verdict, r.Reason, c.want)
		}
	}
}

// TestEquivalentDivSound is TestEquivalentSound with
// divisions by X in the programs.
func TestEquivalentDivSound(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	counts := map[Verdict]int{}
	for i := 0; i < 300; i++ {
		a := richFilter(r)
		for k := 0; k < 2; k++ {
			if j := 5 + r.IntN(len(a)-5); a[j].Op&0x07 != 0x05 && a[j].Op&0x07 != 0x06 {
				a[j] = ins(0x3c, 0, 0, 0) // div x
			}
		}
		if !Valid(a, Seccomp) {
			continue
		}
		b := append([]bpf.RawInstruction(nil), a...)
		if r.IntN(4) != 0 {
			j := 5 + r.IntN(len(b)-5)
			b[j].K ^= 1 << r.IntN(32)
		}
		if !Valid(b, Seccomp) {
			continue
		}
		res, err := EquivalentWith(a, b, Seccomp, EquivOptions{Samples: 2000})
		if err != nil {
			t.Fatalf("%v\n%s\n%s", err, dump(a), dump(b))
		}
		counts[res.Verdict]++
		checkVerdict(t, a, b, res)
	}
	t.Logf("verdicts: %v", counts)
	if counts[Equal] < 20 || counts[Different] < 10 {
		t.Errorf("verdicts %v: too few of one kind", counts)
	}
}

func TestRegionInputs(t *testing.T) {
	eq := func(w uint8, v uint32) constraint { return constraint{Word: w, Op: opEQ, Mask: 0xffffffff, C: v} }
	c := func(w uint8, op relOp, m, v uint32) constraint { return constraint{Word: w, Op: op, Mask: m, C: v} }
	for _, tc := range []struct {
		cs   conj
		want string
	}{
		{nil, "every input"},
		{conj{eq(1, 0xc000003e), eq(0, 56)}, "x86_64 clone (nr 56)"},
		{conj{eq(1, 0xc000003e), eq(0, 0x40000000)}, "x32 read (nr 0x40000000)"},
		{conj{eq(1, 0x40000003), eq(0, 11)}, "x86 execve (nr 11)"},
		{conj{eq(1, 0x12345678), eq(0, 11)}, "arch 0x12345678 nr 11"},
		{conj{eq(1, 0xc000003e), c(0, opGT, 0xffffffff, 56), c(0, opLE, 0xffffffff, 100), c(0, opNE, 0xffffffff, 60), c(0, opNE, 0xffffffff, 62)},
			"x86_64, nr 57-59, 61, 63-100"},
		{conj{eq(1, 0xc000003e), c(0, opNE, 0x40000000, 0)}, "x86_64, (nr & 0x40000000) != 0x0"},
		{conj{c(0, opGT, 0xffffffff, 2), c(0, opLE, 0xffffffff, 3)}, "nr 3"},
		{conj{eq(1, 0xc000003e), c(0, opNE, 0xffffffff, 1), c(0, opNE, 0xffffffff, 0), c(0, opNE, 0xffffffff, 2), c(0, opNE, 0xffffffff, 0xffffffff)},
			"x86_64, nr 3-0xfffffffe"},
		{conj{c(0, opGT, 0xffffffff, 0xfffffffe)}, "nr 0xffffffff"},
		{conj{c(1, opNE, 0xffffffff, 0xc000003e)}, "arch != 0xc000003e"},
	} {
		if got := newRegion(tc.cs, "why").Inputs(); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.cs, got, tc.want)
		}
	}
	var many conj
	for i := uint32(0); i < 20; i++ {
		many = append(many, c(0, opNE, 0xffffffff, 2*i+1))
	}
	if got := newRegion(many, "").Inputs(); got != "nr 0, 2, 4, 6, 8, 10 and 15 more ranges" {
		t.Errorf("many ranges: %q", got)
	}
}

func TestEquivalentInvalid(t *testing.T) {
	good := []bpf.RawInstruction{retK(0)}
	for i, p := range [][]bpf.RawInstruction{
		nil,                           // empty
		{ins(0x20, 0, 0, 2), retK(0)}, // misaligned load
		{ins(0x15, 5, 0, 0), retK(0)}, // jump out of the program
		{ins(0x60, 0, 0, 0), retK(0)}, // M[0] read before written
	} {
		_, err := Equivalent(good, p, Seccomp)
		var inv *InvalidProgramError
		if !errors.As(err, &inv) || inv.Prog != 1 {
			t.Errorf("%d: %v, want an InvalidProgramError for B", i, err)
		}
		var de *diag.Error
		if !errors.As(err, &de) || !strings.HasPrefix(de.Msg, "program B: ") || de.Code == "" {
			t.Errorf("%d: errors.As diag.Error: %+v", i, de)
		}
	}
}

func BenchmarkEquivalentBitTests(b *testing.B) {
	for _, name := range bitTestFilters {
		p := loadDDD(b, name)
		q := ldZero(p)
		b.Run(strings.TrimSuffix(name, ".ddd"), func(b *testing.B) {
			for b.Loop() {
				if r, err := Equivalent(p, q, Seccomp); err != nil || r.Verdict != Equal {
					b.Fatal(r.Verdict, err)
				}
			}
		})
	}
}

var _ = fmt.Sprint
