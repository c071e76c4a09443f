package verify

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/policy"
)

// A filter that compares nr with x32 numbers handles x32 on purpose: the
// x32-bypass lint must not fire on the paths that do. A deny list that
// never looks at x32 still gets it.
func TestReviewX32LintExplicitNumbers(t *testing.T) {
	p := policy.New(policy.Allow).On(reviewArch(t, "x86_64"), reviewArch(t, "x32"))
	p.Add("socket", policy.Arg(2).Lt(0xffffffff), policy.Log)
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ds := LintProgram(prog, Seccomp); hasCode(ds, LintX32) {
		t.Errorf("x32 is a target and tested by number, yet: %v\n%s", ds, dump(prog))
	}

	bypass := []bpf.RawInstruction{
		ldArch, ins(0x15, 1, 0, auditX86_64), retK(kill),
		ldNr, ins(0x15, 0, 1, 59), retK(kill), retK(0x7fff0000),
	}
	if ds := LintProgram(bypass, Seccomp); !hasCode(ds, LintX32) {
		t.Errorf("a deny list blind to x32: no %s warning: %v", LintX32, ds)
	}
}

// Explain(prog, x32).Other is about x32's unnamed numbers (bit 30 set),
// not about x86_64's numbers, which an x32-only filter sends to bad-arch.
func TestReviewExplainX32Other(t *testing.T) {
	x32 := reviewArch(t, "x32")
	p := policy.New(policy.Allow).On(x32)
	p.Deny(policy.KillThread, "read")
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := Explain(prog, x32)
	if err != nil {
		t.Fatal(err)
	}
	m := mustVM(t, prog)
	named := map[uint32]bool{}
	for _, d := range ex.Syscalls {
		named[d.Nr] = true
	}
	checked := 0
	for _, nr := range []uint32{0x40000000 + 1000, 0x40000000 + 600, 0x7fffffff, 0x80000000, 0xfffffffe} {
		if named[nr] {
			continue
		}
		checked++
		var w [16]uint32
		w[0], w[1] = nr, x32.Audit
		var said uint32
		found := false
		for _, c := range ex.Other {
			if c.Holds(w) {
				said, found = c.Action, true
				break
			}
		}
		got := m.RunSeccomp(wordsToData(w)).Ret
		if !found || said != got {
			t.Errorf("x32 nr %#x: explanation's other numbers say %#x, VM returns %#x (%v)", nr, said, got, ex.Other)
		}
	}
	if checked == 0 {
		t.Fatal("no unnamed x32 number checked")
	}
	if len(ex.X32) != 0 {
		t.Errorf("Explain for x32 has an X32 section of its own: %v", ex.X32)
	}
}

// A branch symbolic execution cannot follow (A > X with both the same
// word) must not turn into an error: its candidate counterexample is
// checked in the VM and the comparison goes on by sampling.
func TestReviewEquivalentUnknownBranch(t *testing.T) {
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
