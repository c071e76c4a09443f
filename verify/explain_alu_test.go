package verify

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/vm"
)

// Explain on filters that compute: every ALU operation seccomp accepts
// (vm/check.go's seccompOK: all but MOD), with K and X sources, on nr, arch
// and arguments, through M[], tax/txa and "ret a". For every line explain
// prints (named syscalls, other numbers, x32), on sampled inputs of that
// line, the first case whose predicate holds (else the else case) must
// give exactly what the VM returns, and no other listed case may hold.

// seccompALU are the ALU operations seccomp accepts, as progen writes them.
var seccompALU = []uint16{0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0} // add sub mul div or and lsh rsh xor; neg apart

// computeFilter is a filter that computes: a prologue that fills M[] from
// loaded words, then blocks of a load, ALU operations and a jump, ending in
// returns of constants or of A.
func computeFilter(r *rand.Rand, a *arch.Arch) []bpf.RawInstruction {
	words := []uint32{0, 0, 0, 4, 16, 20, 24, 28, 8, 12, 60}
	konst := func(p []bpf.RawInstruction) uint32 {
		switch r.IntN(9) {
		case 0:
			return 0
		case 1:
			return 0xffffffff
		case 2:
			return 1 << r.IntN(32)
		case 3:
			return r.Uint32()
		case 4:
			return a.Audit
		case 5:
			if len(p) > 0 { // a constant already used, maybe off by one
				return p[r.IntN(len(p))].K + uint32(r.IntN(3)) - 1
			}
		}
		return uint32(r.IntN(500))
	}
	var p []bpf.RawInstruction
	for k := uint32(0); k < 4; k++ {
		p = append(p, ins(0x20, 0, 0, words[r.IntN(len(words))]), ins(0x02, 0, 0, k)) // ld [w]; st M[k]
	}
	p = append(p, ins(0x01, 0, 0, konst(p))) // ldx #k
	nblocks := 2 + r.IntN(6)
	type fix struct{ at, block int }
	var fixes []fix // jumps to the start of a later block (or the returns)
	starts := make([]int, nblocks+1)
	for b := 0; b < nblocks; b++ {
		starts[b] = len(p)
		switch r.IntN(6) {
		case 0:
			p = append(p, ins(0x60, 0, 0, uint32(r.IntN(4)))) // ld M[k]
		case 1:
			p = append(p, ins(0x00, 0, 0, konst(p))) // ld #k
		case 2:
			p = append(p, ins(0x80, 0, 0, 0)) // ld len
		default:
			p = append(p, ins(0x20, 0, 0, words[r.IntN(len(words))]))
		}
		for n := r.IntN(4); n > 0; n-- {
			switch r.IntN(12) {
			case 0:
				p = append(p, ins(0x84, 0, 0, 0)) // neg
			case 1:
				p = append(p, ins(0x07, 0, 0, 0)) // tax
			case 2:
				p = append(p, ins(0x61, 0, 0, uint32(r.IntN(4)))) // ldx M[k]
			case 3:
				p = append(p, ins(0x02, 0, 0, uint32(r.IntN(4)))) // st M[k]
			case 4:
				p = append(p, ins(0x87, 0, 0, 0)) // txa
			case 5:
				p = append(p, ins(0x07, 0, 0, 0), ins(0x00, 0, 0, konst(p))) // tax; ld #k: compare a constant with X
			default:
				op := seccompALU[r.IntN(len(seccompALU))]
				if r.IntN(3) == 0 {
					p = append(p, ins(0x04|op|0x08, 0, 0, 0)) // op x
					continue
				}
				k := konst(p)
				switch op {
				case 0x60, 0x70:
					k &= 31
				case 0x30:
					if k == 0 {
						k = 3
					}
				}
				p = append(p, ins(0x04|op, 0, 0, k))
			}
		}
		if r.IntN(4) == 0 {
			p = append(p, ins(0x16, 0, 0, 0)) // ret a
			continue
		}
		op := []uint16{0x15, 0x15, 0x25, 0x35, 0x45}[r.IntN(5)]
		if r.IntN(4) == 0 {
			op |= 0x08 // jxx x
		}
		fixes = append(fixes, fix{len(p), b + 1 + r.IntN(nblocks-b)})
		p = append(p, ins(op, 0, 0, konst(p)))
	}
	// The returns: a few constants and "ret a".
	starts[nblocks] = len(p)
	rets := []uint32{0x7fff0000, 0x00050001, 0x00050002, 0x80000000, 0x00030007, 0}
	for i := 0; i < 3; i++ {
		if r.IntN(2) == 0 {
			p = append(p, ins(0x16, 0, 0, 0))
		} else {
			p = append(p, retK(rets[r.IntN(len(rets))]))
		}
	}
	p = append(p, retK(0x00050026))
	for _, f := range fixes {
		target := func() int {
			b := f.block + r.IntN(2)
			if b >= nblocks {
				return starts[nblocks] + r.IntN(len(p)-starts[nblocks])
			}
			return starts[b]
		}
		jt, jf := target()-f.at-1, target()-f.at-1
		if jt > 255 || jf > 255 {
			jt, jf = 0, 0
		}
		p[f.at].Jt, p[f.at].Jf = uint8(jt), uint8(jf)
	}
	return p
}

// onWordOK reports whether v satisfies every constraint of cs on word w.
func (cs conj) onWordOK(w uint8, v uint32) bool {
	for _, c := range cs.onWord(w) {
		if !c.holds(v) {
			return false
		}
	}
	return true
}

// explainedReturn is what the explanation's cases say a call returns: the
// first case that holds. It fails the test if another case than the one
// found holds too (the predicates of a decision are disjoint).
func explainedReturn(t *testing.T, cases []Case, w [16]uint32) uint32 {
	t.Helper()
	found := -1
	for i, c := range cases[:len(cases)-1] {
		if c.Holds(w) {
			if found >= 0 {
				t.Fatalf("words %x: cases %d (%s) and %d (%s) both hold", w, found, cases[found].Predicate, i, c.Predicate)
			}
			found = i
		}
	}
	if found < 0 {
		found = len(cases) - 1
	}
	return cases[found].Return(w)
}

type computeStats struct{ progs, named, other, x32, retA, computedPred, maybe int }

// checkComputeExplain explains prog for a and checks every line on
// sampled inputs.
func checkComputeExplain(t *testing.T, r *rand.Rand, prog []bpf.RawInstruction, a *arch.Arch, st *computeStats) {
	t.Helper()
	ex, err := Explain(prog, a)
	if err != nil {
		t.Fatalf("%v\n%s", err, dump(prog))
	}
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	st.progs++
	inputs := progen.SeccompInputs(r, prog, 16)
	call := func(nr uint32) (vm.SeccompData, [16]uint32) {
		in := inputs[r.IntN(len(inputs))]
		d := vm.SeccompData{Nr: int32(nr), Arch: a.Audit, Args: in.Args, InstructionPointer: in.Args[r.IntN(6)]}
		return d, dataWords(d)
	}
	wt := newWitnesser()
	check := func(line string, cases []Case, nr uint32, counter *int) {
		if len(cases) == 0 {
			t.Fatalf("%s: no cases\n%s", line, dump(prog))
		}
		for _, c := range cases {
			if c.Computed != "" {
				st.retA++
			}
			if c.Maybe {
				st.maybe++
			}
			if strings.ContainsAny(c.Predicate, "+-*/<>^|") && strings.Contains(c.Predicate, "(u32)") || strings.Contains(c.Predicate, "nr ") {
				st.computedPred++
			}
		}
		try := func(w [16]uint32) {
			want := m.RunSeccomp(wordsToData(w)).Ret
			if got := explainedReturn(t, cases, w); got != want {
				t.Fatalf("%s, words %x: explain says %#x, VM returns %#x\n%s", line, w, got, want, dump(prog))
			}
			*counter++
		}
		for j := 0; j < 6; j++ {
			_, w := call(nr)
			try(w)
		}
		// Inputs that satisfy each path's constraints (the solver's
		// values, and words of the sampled calls where they fit): the
		// side of every condition that random inputs rarely reach.
		for _, c := range cases {
			for k, p := range c.paths {
				if k == 4 {
					break
				}
				if w, ok := wt.find(p); ok || len(p.ecs) > 0 {
					try(w)
					_, v := call(nr)
					for i := 2; i < 16; i++ {
						if p.cs.onWordOK(uint8(i), v[i]) {
							w[i] = v[i]
						}
					}
					try(w)
				}
			}
		}
	}
	named := map[uint32]bool{}
	for _, d := range ex.Syscalls {
		named[d.Nr] = true
		if s := d.String(); strings.Contains(s, " if true") || strings.Contains(s, "?") {
			t.Fatalf("%s\n%s", s, dump(prog))
		}
	}
	// Named syscalls: the numbers the program uses (nearly), and a sample.
	var nrs []uint32
	for _, in := range prog {
		for _, nr := range []uint32{in.K - 1, in.K, in.K + 1} {
			if named[nr] {
				nrs = append(nrs, nr)
			}
		}
	}
	for i := 0; i < 12; i++ {
		nrs = append(nrs, ex.Syscalls[r.IntN(len(ex.Syscalls))].Nr)
	}
	byNr := map[uint32]Decision{}
	for _, d := range ex.Syscalls {
		byNr[d.Nr] = d
	}
	for _, nr := range nrs {
		d := byNr[nr]
		if d.Over {
			continue
		}
		check(d.String(), d.Cases, nr, &st.named)
	}
	if ex.Over {
		return // the summary lines may be partial
	}
	// Numbers of the other class and x32 numbers.
	x32 := a.Name == "x32"
	for i := 0; i < 24; i++ {
		nr := uint32(r.IntN(5000))
		switch r.IntN(3) {
		case 0:
			nr = prog[r.IntN(len(prog))].K + uint32(r.IntN(3)) - 1
		case 1:
			nr = r.Uint32() & 0x3fffffff
		}
		if x32 {
			nr |= 0x40000000
			if nr == 0xffffffff {
				continue
			}
		}
		if !named[nr] && nr < 0x40000000 || x32 && !named[nr] {
			check("other numbers: "+(Decision{Name: "other", Cases: ex.Other}).String(), ex.Other, nr, &st.other)
		}
		if len(ex.X32) > 0 {
			check("x32: "+(Decision{Name: "x32", Cases: ex.X32}).String(), ex.X32, nr|0x40000000, &st.x32)
		}
		if len(ex.High) > 0 {
			h := nr | 0x40000000
			if a.Audit == auditX86_64 {
				h = nr&^0x40000000 | 0x80000000
			}
			check(ex.HighName+": "+(Decision{Name: "high", Cases: ex.High}).String(), ex.High, h, &st.other)
		}
	}
}

func TestExplainComputedAgreesWithVM(t *testing.T) {
	n := 40
	if os.Getenv("CBPF_LONG") != "" {
		n = 2000
	}
	arches := []string{"x86_64", "x86", "aarch64", "s390x", "x32", "mips"}
	var as []*arch.Arch
	for _, name := range arches {
		a, err := arch.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		as = append(as, a)
	}
	r := rand.New(rand.NewPCG(9, 1))
	var st computeStats
	for i := 0; i < n; i++ {
		a := as[i%len(as)]
		checkComputeExplain(t, r, computeFilter(r, a), a, &st)
		// And progen's programs: anything seccomp accepts, short.
		checkComputeExplain(t, r, progen.Program(r, progen.Seccomp, progen.Options{Len: 4 + r.IntN(24)}), a, &st)
	}
	t.Logf("%+v", st)
	if st.named < 100*n || st.other < 20*n || st.x32 < 5*n || st.retA < n || st.computedPred < n {
		t.Errorf("too little checked: %+v", st)
	}
}

// TestExplainEachOperation builds, for every ALU operation seccomp
// accepts (and NEG), with a K source, an X loaded from another word and an
// X constant, on nr, arch and argument halves, programs that compare the
// result (jeq, jgt, jge, jset, with K or X) or return it; the constant
// compared with is the value the program computes for a chosen call, so
// that both outcomes happen. Each line is checked on that call, its
// neighbours and the inputs the explanation's own paths give.
func TestExplainEachOperation(t *testing.T) {
	x86, _ := arch.Lookup("x86_64")
	s390, _ := arch.Lookup("s390x")
	ops := append(append([]uint16{}, seccompALU...), 0x80, 0xff) // 0xff: none
	loads := []uint32{0, 4, 16, 20, 28}
	r := rand.New(rand.NewPCG(3, 8))
	every := 4 // the default run takes a quarter of the combinations
	if os.Getenv("CBPF_LONG") != "" {
		every = 1
	}
	checked, n := 0, 0
	for _, op := range ops {
		for src := 0; src < 4; src++ {
			for _, w1 := range loads {
				for cond := 0; cond < 8; cond++ {
					if n++; r.IntN(every) != 0 || (op == 0x80 || op == 0xff) && src > 0 {
						continue
					}
					a := x86
					if n%4 == 0 {
						a = s390
					}
					checked += checkOperation(t, r, a, op, src, w1, cond)
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d calls checked", checked)
	}
}

func checkOperation(t *testing.T, r *rand.Rand, a *arch.Arch, op uint16, src int, w1 uint32, cond int) int {
	t.Helper()
	// The chosen call: a named syscall, interesting arguments.
	nrs := syscallNumbers(a)
	d := vm.SeccompData{Nr: int32(nrs[r.IntN(len(nrs))]), Arch: a.Audit}
	for i := range d.Args {
		d.Args[i] = uint64(r.Uint32())<<32 | uint64([]uint32{0, 1, 5, 31, 32, 33, 0xffffffff, 0x80000000, r.Uint32(), uint32(r.IntN(100))}[r.IntN(10)])
	}
	k := []uint32{0, 1, 2, 3, 5, 31, 32, 33, 0xffffffff, 0xfffffffe, 0x80000001, r.Uint32()}[r.IntN(12)]
	switch op {
	case 0x60, 0x70:
		k &= 31
	case 0x30:
		k |= 1
	}
	var p []bpf.RawInstruction
	switch src {
	case 0: // K
		p = append(p, ins(0x20, 0, 0, w1), ins(0x04|op, 0, 0, k))
	case 1: // X from another word
		p = append(p, ins(0x20, 0, 0, []uint32{24, 0, 16, 4}[r.IntN(4)]), ins(0x07, 0, 0, 0), ins(0x20, 0, 0, w1), ins(0x0c|op, 0, 0, 0))
	case 2: // X a constant, through M[]
		p = append(p, ins(0x01, 0, 0, k), ins(0x03, 0, 0, 5), ins(0x61, 0, 0, 5), ins(0x20, 0, 0, w1), ins(0x0c|op, 0, 0, 0))
	case 3: // A a constant, X the word
		p = append(p, ins(0x20, 0, 0, w1), ins(0x07, 0, 0, 0), ins(0x00, 0, 0, k), ins(0x0c|op, 0, 0, 0))
	}
	switch op {
	case 0x80:
		p = append(p[:1], ins(0x84, 0, 0, 0))
	case 0xff:
		p = p[:1]
	}
	for i := r.IntN(3); i > 0 && op != 0xff; i-- { // more operations, on A and a constant
		p = append(p, ins(0x04|[]uint16{0x00, 0x10, 0xa0, 0x50, 0x50, 0x20, 0x40, 0x80}[r.IntN(8)], 0, 0, []uint32{1, 3, 0xff, 0x10000, 0xf0f0}[r.IntN(5)]))
	}
	// What the program computes for the chosen call.
	probe := append(append([]bpf.RawInstruction{}, p...), ins(0x16, 0, 0, 0))
	mv, err := vm.New(probe, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	v := mv.RunSeccomp(d).Ret
	switch cond {
	case 4: // ret a
		p = append(p, ins(0x16, 0, 0, 0))
	case 7: // a masked test pins bits the filter reads again under another mask
		m := []uint32{0xff00, 0xffffffff, 0x80000001, 0xffff}[r.IntN(4)]
		m2 := m & []uint32{0x0f00, 0xffff, 1, 0xffffffff}[r.IntN(4)]
		p = append(p, ins(0x54, 0, 0, m), ins(0x15, 0, 3, v&m), ins(0x20, 0, 0, w1), ins(0x54, 0, 0, m2), ins(0x16, 0, 0, 0), retK(0x50005))
	case 6: // compare A with itself
		p = append(p, ins(0x07, 0, 0, 0), ins([]uint16{0x1d, 0x2d, 0x3d, 0x4d}[r.IntN(4)], 0, 1, 0), retK(0x50006), retK(0x50005))
	case 5: // compare with X holding the value
		p = append(p, ins(0x07, 0, 0, 0), ins(0x00, 0, 0, v+uint32(r.IntN(3))-1), ins([]uint16{0x1d, 0x2d, 0x3d, 0x4d}[r.IntN(4)], 0, 1, 0), retK(0x50006), retK(0x50005))
	default:
		c := v
		if cond == 3 {
			c = v & -v // a bit v has
		} else if r.IntN(2) == 0 {
			c += uint32(r.IntN(3)) - 1
		}
		p = append(p, ins([]uint16{0x15, 0x25, 0x35, 0x45}[cond], 0, 1, c), retK(0x50006), retK(0x50005))
	}
	ex, err := Explain(p, a)
	if err != nil {
		t.Fatalf("%v\n%s", err, dump(p))
	}
	m := mustVM(t, p)
	named := map[uint32]Decision{}
	for _, dd := range ex.Syscalls {
		named[dd.Nr] = dd
	}
	checked := 0
	try := func(cases []Case, w [16]uint32, line string) {
		want := m.RunSeccomp(wordsToData(w)).Ret
		if got := explainedReturn(t, cases, w); got != want {
			t.Fatalf("%s, words %x: explain says %#x, VM returns %#x\n%s", line, w, got, want, dump(p))
		}
		checked++
	}
	lines := []struct {
		cases []Case
		nr    uint32
		name  string
	}{{named[uint32(d.Nr)].Cases, uint32(d.Nr), named[uint32(d.Nr)].String()}}
	for nr := uint32(0); nr < 3000; nr += 1 + uint32(r.IntN(700)) {
		if _, ok := named[nr]; !ok {
			lines = append(lines, struct {
				cases []Case
				nr    uint32
				name  string
			}{ex.Other, nr, "other numbers"})
		}
	}
	if a.Audit == auditX86_64 {
		lines = append(lines, struct {
			cases []Case
			nr    uint32
			name  string
		}{ex.X32, 0x40000000 | uint32(r.IntN(600)), "x32"})
	}
	if len(ex.High) > 0 {
		h := 0x40000000 | r.Uint32()
		if a.Audit == auditX86_64 {
			h = 0x80000000 | r.Uint32()&0x3fffffff
		}
		lines = append(lines, struct {
			cases []Case
			nr    uint32
			name  string
		}{ex.High, h, ex.HighName})
	}
	wt := newWitnesser()
	for _, l := range lines {
		dd := d
		dd.Nr = int32(l.nr)
		w := dataWords(dd)
		try(l.cases, w, l.name)
		for i := 2; i < 16; i++ { // neighbours of the chosen call
			for _, delta := range []uint32{1, 0xffffffff} {
				n := w
				n[i] += delta
				try(l.cases, n, l.name)
			}
		}
		for _, c := range l.cases {
			for _, path := range c.paths {
				if pw, ok := wt.find(path); ok {
					try(l.cases, pw, l.name)
				}
			}
		}
	}
	return checked
}
