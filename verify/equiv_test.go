package verify

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"

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
