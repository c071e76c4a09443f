package verify

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
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

// Explain(prog, x32).Other is about x32's unnamed numbers (bit 30 set),
// not about x86_64's numbers, which an x32-only filter sends to bad-arch.
func TestExplainX32Other(t *testing.T) {
	x32 := archNamed(t, "x32")
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

// TestExplainCompiled: for filters from the compiler on every kind
// of arch, the case of the explanation that holds for a call gives what
// the VM returns.
func TestExplainCompiled(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 3))
	archSets := [][]string{{"s390x"}, {"ppc64"}, {"mips"}, {"x86"}, {"x86_64", "x32"}, {"mips64"}, {"arm"}, {"aarch64", "x86_64"}}
	for i := 0; i < 60; i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, archNamed(t, n))
		}
		p := progen.Policy(r, as, 8)
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
			for _, d := range randCalls(r, p, a, 200) {
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
