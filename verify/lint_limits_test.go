package verify

import (
	"math/rand/v2"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/progen"
)

// doubling is an x86_64 filter with n tests one after the other whose two
// sides meet again: 2^n paths.
func doubling(n int) []bpf.RawInstruction {
	p := append([]bpf.RawInstruction(nil), head...)
	for i := range n {
		p = append(p, ldw(16+8*uint32(i%6)), ins(0x45, 0, 1, 1<<(i/6)), ins(0x07, 0, 0, 0)) // jset; tax
	}
	return append(p, jeq(0, 0, 1), retK(allow), retK(errno))
}

// A filter with more paths than the lints follow gets path-limit, in
// bounded time, and the findings on the paths followed keep their
// witnesses.
func TestLintPathLimit(t *testing.T) {
	small := LintProgram(doubling(4), Seccomp)
	if hasCode(small, LintPathLimit) {
		t.Errorf("16 paths: %v", small)
	}
	start := time.Now()
	ds := LintProgram(doubling(24), Seccomp)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("LintProgram on 2^24 paths took %v", d)
	}
	if !hasCode(ds, LintPathLimit) {
		t.Errorf("2^24 paths: no %s: %v", LintPathLimit, ds)
	}
	checkWitnesses(t, doubling(24), ds)

	// 4000 instructions of nr tests and masked argument tests that the
	// bit solver must decide: the work bound ends the walks.
	r := rand.New(rand.NewPCG(1, 1))
	p := append([]bpf.RawInstruction(nil), head...)
	for len(p) < 4000 {
		off := 16 + 4*uint32(r.IntN(12))
		switch r.IntN(4) {
		case 0:
			p = append(p, ldNr, jeq(uint32(r.IntN(500)), 0, 1), retK(errno))
		case 1:
			p = append(p, ldw(off), ins(0x45, 0, 1, r.Uint32()), ins(0x07, 0, 0, 0)) // jset; tax
		case 2:
			p = append(p, ldw(off), ins(0x54, 0, 0, r.Uint32()), jeq(r.Uint32()&0xff, 0, 1), retK(allow)) // and
		case 3:
			p = append(p, ldw(off), jgt(r.Uint32(), 0, 1), ins(0x07, 0, 0, 0))
		}
	}
	p = append(p, retK(allow))
	start = time.Now()
	ds = LintProgram(p, Seccomp)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("LintProgram on masked tests took %v", d)
	}
	if !hasCode(ds, LintPathLimit) {
		t.Errorf("no %s on 4000 instructions of independent tests: %v", LintPathLimit, ds)
	}
	checkWitnesses(t, p, ds)
}

// Random valid filters (progen): LintProgram must not fail, and every
// witness must show what its lint claims.
func TestLintRandomPrograms(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	n := 300
	if testing.Short() {
		n = 50
	}
	found := map[string]int{}
	for range n {
		p := progen.Program(r, progen.Seccomp, progen.Options{})
		ds := LintProgram(p, Seccomp)
		for _, d := range ds {
			found[d.Code]++
		}
		checkWitnesses(t, p, ds)
		if t.Failed() {
			t.Fatalf("on\n%s", dump(p))
		}
	}
	t.Logf("lints on %d random programs: %v", n, found)
}
