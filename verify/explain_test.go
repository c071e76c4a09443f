package verify

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
)

func TestExplainGood(t *testing.T) {
	a, err := arch.Lookup("x86_64")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := Explain(good, a)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, d := range ex.Syscalls {
		if d.Name == "socket" {
			got = d.String()
		}
		if d.Name == "read" && (d.String() != "read: ERRNO(1)" || d.Cached) {
			t.Errorf("read: %s, cached %v", d, d.Cached)
		}
	}
	if want := "socket: ALLOW if args[0] == 2; else ERRNO(1)"; got != want {
		t.Errorf("socket: %q, want %q", got, want)
	}
	if len(ex.X32) != 1 || ex.X32[0].Action != kill {
		t.Errorf("x32: %+v", ex.X32)
	}
	var b strings.Builder
	if err := ex.Write(&b); err != nil || !strings.Contains(b.String(), "0 served from the kernel's allow cache") {
		t.Errorf("Write: %v\n%s", err, b.String())
	}
}

// TestExplainAgreesWithVM runs random filters on random calls: the action
// the explanation gives for a call must be what the VM returns.
func TestExplainAgreesWithVM(t *testing.T) {
	a, err := arch.Lookup("x86_64")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 5))
	checked := 0
	for i := 0; i < 150; i++ {
		prog := randomArgFilter(r)
		ex, err := Explain(prog, a)
		if err != nil {
			t.Fatal(err)
		}
		m := mustVM(t, prog)
		byNr := map[uint32]Decision{}
		for _, d := range ex.Syscalls {
			byNr[d.Nr] = d
		}
		consts := programConstants(prog)
		for j := 0; j < 200; j++ {
			var w [16]uint32
			w[1] = a.Audit
			w[0] = uint32(r.IntN(12))
			for k := 2; k < 16; k++ {
				w[k] = consts[r.IntN(len(consts))] + uint32(r.IntN(3)) - 1
				if r.IntN(3) == 0 {
					w[k] = 0
				}
			}
			d, ok := byNr[w[0]]
			if !ok {
				continue
			}
			var want uint32
			for _, c := range d.Cases {
				if c.Holds(w) {
					want = c.Action
					break
				}
			}
			got := m.RunSeccomp(wordsToData(w)).Ret
			if got != want {
				t.Fatalf("%s\nwords %x: explain says %#x, VM returns %#x\n%s", d, w, want, got, dump(prog))
			}
			checked++
		}
	}
	if checked < 10000 {
		t.Errorf("only %d inputs checked", checked)
	}
}

// randomArgFilter is an x86_64 filter with an arch check, a dispatch on
// small syscall numbers and random tests of argument words.
func randomArgFilter(r *rand.Rand) []bpf.RawInstruction {
	body := randomCmpFilter(r)
	for i := range body {
		if body[i].Op == 0x20 {
			body[i].K = uint32(8 + 4*r.IntN(14)) // args and ip, never nr/arch
		}
	}
	head := []bpf.RawInstruction{
		ldArch, ins(0x15, 1, 0, auditX86_64), retK(kill),
		ldNr, ins(0x25, uint8(len(body)), 0, 5), // nr > 5: ERRNO(38) at the end
	}
	p := append(head, body...)
	return append(p, retK(0x00050026))
}
