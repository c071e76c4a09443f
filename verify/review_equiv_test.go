package verify

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"
)

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

// TestReviewEquivalentSound: Equal must never be claimed for programs
// that differ, and Different must come with an input that differs.
func TestReviewEquivalentSound(t *testing.T) {
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
	t.Logf("verdicts: %v", counts)
	if counts[Equal] < 20 || counts[Different] < 20 {
		t.Errorf("verdicts %v: too few of one kind", counts)
	}
}
