package asm

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/opcode"
)

// TestTrampolineSemantics assembles random programs with conditional jumps
// to far labels (so that trampolines get inserted and shared) and checks
// what the output means, not how it looks: following each jump side, and
// any trampoline "ja" it lands on, must reach the instruction the label
// names. Every source instruction carries a unique k so that it can be
// found in the output; trampolines are the "ja"s between them.
func TestTrampolineSemantics(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	conds := []string{"jeq", "jne", "jneq", "jlt", "jle", "jgt", "jge", "jset"}
	checked, tramps := 0, 0
	for iter := range 300 {
		n := 2 + r.IntN(1200)
		if iter%3 == 0 {
			n = 2 + r.IntN(40) // short programs: no trampolines, but labels next door
		}
		// Targets cluster on a few labels, so trampolines get shared.
		hot := []int{n - 1, r.IntN(n), r.IntN(n)}
		type jmp struct {
			mn   string
			t, f int // item indexes; f < 0: one target
		}
		jumps := map[int]jmp{}
		var src strings.Builder
		for i := range n {
			fmt.Fprintf(&src, "l%d: ", i)
			if i == n-1 {
				fmt.Fprintf(&src, "ret #%d\n", 0x10000+i)
				break
			}
			if r.IntN(3) == 0 {
				fmt.Fprintf(&src, "ld #%d\n", 0x10000+i)
				continue
			}
			pick := func() int {
				if r.IntN(2) == 0 {
					if h := hot[r.IntN(len(hot))]; h > i {
						return h
					}
				}
				if r.IntN(3) == 0 {
					return i + 1 + r.IntN(min(300, n-1-i))
				}
				return i + 1 + r.IntN(n-1-i)
			}
			j := jmp{mn: conds[r.IntN(len(conds))], t: pick(), f: -1}
			if r.IntN(2) == 0 {
				j.f = pick()
			}
			jumps[i] = j
			fmt.Fprintf(&src, "%s #%d, l%d", j.mn, 0x10000+i, j.t)
			if j.f >= 0 {
				fmt.Fprintf(&src, ", l%d", j.f)
			}
			src.WriteString("\n")
		}
		prog, err := Assemble("t.s", []byte(src.String()))
		if err != nil {
			t.Fatalf("Assemble: %v", err)
		}
		// Where each source instruction went.
		pos := make([]int, n)
		next := 0
		for pc, in := range prog {
			if next < n && in.K == uint32(0x10000+next) && in.Op != uint16(opcode.Ja) {
				pos[next] = pc
				next++
				continue
			}
			if in.Op != uint16(opcode.Ja) {
				t.Fatalf("output %d is %+v: neither a source instruction nor a trampoline", pc, in)
			}
			tramps++
		}
		if next != n {
			t.Fatalf("found %d of %d source instructions in the output", next, n)
		}
		// follow goes to out[pc+1+off] and through trampolines.
		follow := func(pc int, off uint8) int {
			to := pc + 1 + int(off)
			for to < len(prog) && prog[to].Op == uint16(opcode.Ja) && prog[to].K < 0x10000 {
				to = to + 1 + int(prog[to].K)
			}
			return to
		}
		for i, j := range jumps {
			in := prog[pos[i]]
			whenTrue, whenFalse := j.t, i+1 // "jeq #k, L" and the like
			switch {
			case j.f >= 0 && strings.HasPrefix(j.mn, "jne") || j.f >= 0 && (j.mn == "jlt" || j.mn == "jle"):
				// "jlt #k, a, b": a when k is not reached, so the encoded
				// jge goes to b when true.
				whenTrue, whenFalse = j.f, j.t
			case j.f >= 0:
				whenFalse = j.f
			case strings.HasPrefix(j.mn, "jne") || j.mn == "jlt" || j.mn == "jle":
				whenTrue, whenFalse = i+1, j.t
			}
			if got := follow(pos[i], in.Jt); got != pos[whenTrue] {
				t.Fatalf("item %d (%s, %+v): true side reaches output %d, want %d (item %d)", i, j.mn, j, got, pos[whenTrue], whenTrue)
			}
			if got := follow(pos[i], in.Jf); got != pos[whenFalse] {
				t.Fatalf("item %d (%s, %+v): false side reaches output %d, want %d (item %d)", i, j.mn, j, got, pos[whenFalse], whenFalse)
			}
			checked++
		}
	}
	if tramps == 0 {
		t.Fatal("no trampolines generated: the test checks nothing")
	}
	t.Logf("%d jumps checked, %d trampolines", checked, tramps)
}
