package link

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/vm"

	"github.com/cbpfkit/cbpf/diag"
)

// Opcodes the tests write.
const (
	opLdW  = 0x20 // ld [k]
	opAdd  = 0x04 // add #k
	opJeq  = 0x15 // jeq #k
	opJgt  = 0x25 // jgt #k
	opJge  = 0x35 // jge #k
	opJset = 0x45 // jset #k
	opJa   = 0x05
	opRetK = 0x06
	opRetA = 0x16
)

type ri = bpf.RawInstruction

func link(t *testing.T, b *Builder, l Layout) []ri {
	t.Helper()
	out, err := b.Link(Options{Layout: l})
	if err != nil {
		t.Fatalf("Link(%v): %v", l, err)
	}
	return out
}

func TestLinkSmall(t *testing.T) {
	var b Builder
	yes, no, end := b.NewLabel(), b.NewLabel(), b.NewLabel()
	b.Emit(opLdW, 0)
	b.Jump(opJeq, 1, yes, None) // false: fall through
	b.Jump(opJgt, 9, no, None)
	b.Ja(end)
	b.Mark(yes)
	b.Emit(opAdd, 1)
	b.Mark(no)
	b.Mark(end)
	b.Raw(ri{Op: opRetA, Jt: 7, Jf: 8, K: 9})
	want := []ri{
		{Op: opLdW, K: 0},
		{Op: opJeq, Jt: 2, Jf: 0, K: 1},
		{Op: opJgt, Jt: 2, Jf: 0, K: 9},
		{Op: opJa, K: 1},
		{Op: opAdd, K: 1},
		{Op: opRetA, Jt: 7, Jf: 8, K: 9},
	}
	for _, l := range []Layout{Keep, Compact} {
		if diff := cmp.Diff(want, link(t, &b, l)); diff != "" {
			t.Errorf("layout %d (-want +got):\n%s", l, diff)
		}
	}
	if b.Len() != 6 || b.Labels() != 3 {
		t.Errorf("Len %d Labels %d, want 6 and 3", b.Len(), b.Labels())
	}
}

// pad adds n "add #1".
func pad(b *Builder, n int) {
	for range n {
		b.Emit(opAdd, 1)
	}
}

func TestTrampolines(t *testing.T) {
	t.Run("255 fits, 256 does not", func(t *testing.T) {
		for _, gap := range []int{255, 256} {
			var b Builder
			l := b.NewLabel()
			b.Jump(opJeq, 0, l, None)
			pad(&b, gap)
			b.Mark(l)
			b.Emit(opRetA, 0)
			for _, lay := range []Layout{Keep, Compact} {
				out := link(t, &b, lay)
				wantLen := gap + 2
				if gap == 256 {
					wantLen++
				}
				if len(out) != wantLen {
					t.Errorf("gap %d layout %d: %d instructions, want %d", gap, lay, len(out), wantLen)
				}
			}
		}
	})
	// Keep: the trampoline is a ja; Compact: a copy of the return.
	t.Run("ja or copy of the return", func(t *testing.T) {
		var b Builder
		l := b.NewLabel()
		b.Jump(opJeq, 0, l, None)
		pad(&b, 300)
		b.Mark(l)
		b.Emit(opRetK, 42)
		keep := link(t, &b, Keep)
		if diff := cmp.Diff([]ri{{Op: opJeq, Jt: 0, Jf: 1}, {Op: opJa, K: 300}}, keep[:2]); diff != "" {
			t.Errorf("Keep (-want +got):\n%s", diff)
		}
		compact := link(t, &b, Compact)
		if diff := cmp.Diff([]ri{{Op: opJeq, Jt: 0, Jf: 1}, {Op: opRetK, K: 42}}, compact[:2]); diff != "" {
			t.Errorf("Compact (-want +got):\n%s", diff)
		}
		// The original return is still reached by the fall-through.
		if len(compact) != 303 {
			t.Errorf("Compact: %d instructions, want 303", len(compact))
		}
	})
	// 300 jumps to one far label: a few trampolines, each shared by the
	// jumps before it that reach it.
	t.Run("shared", func(t *testing.T) {
		var b Builder
		l := b.NewLabel()
		for i := range 300 {
			b.Jump(opJeq, uint32(i), l, None)
		}
		pad(&b, 300)
		b.Mark(l)
		b.Emit(opRetA, 0)
		// Compact lays out from the first jump and shares only a
		// trampoline ahead of the jump, so here each jump gets its own:
		// compile's output depends on it, so it stays.
		for lay, want := range map[Layout]int{Keep: 2, Compact: 300} {
			out := link(t, &b, lay)
			if got := len(out) - 601; got != want {
				t.Errorf("layout %d: %d trampolines, want %d", lay, got, want)
			}
		}
	})
	// Compact removes what nothing reaches; Keep keeps it.
	t.Run("unreachable", func(t *testing.T) {
		var b Builder
		l := b.NewLabel()
		b.Ja(l)
		b.Emit(opRetK, 1) // nothing reaches it
		b.Mark(l)
		b.Emit(opRetK, 2)
		if got := len(link(t, &b, Keep)); got != 3 {
			t.Errorf("Keep: %d instructions, want 3", got)
		}
		if diff := cmp.Diff([]ri{{Op: opJa}, {Op: opRetK, K: 2}}, link(t, &b, Compact)); diff != "" {
			t.Errorf("Compact (-want +got):\n%s", diff)
		}
	})
}

func TestErrors(t *testing.T) {
	type build func(b *Builder)
	tests := []struct {
		name   string
		layout Layout
		build  build
		want   Error
	}{
		{"undefined", Keep, func(b *Builder) {
			b.Emit(opLdW, 0)
			b.Jump(opJeq, 0, None, b.NewLabel())
			b.Emit(opRetA, 0)
		}, Error{Code: Undefined, Insn: 1, Side: 1, Label: 1}},
		{"duplicate", Keep, func(b *Builder) {
			l := b.NewLabel()
			b.Mark(l)
			b.Emit(opLdW, 0)
			b.Mark(l)
			b.Emit(opRetA, 0)
		}, Error{Code: Duplicate, Insn: 1, Label: 1, Prev: 0}},
		{"backward", Keep, func(b *Builder) {
			l := b.NewLabel()
			b.Emit(opLdW, 0)
			b.Mark(l)
			b.Ja(l)
			b.Emit(opRetA, 0)
		}, Error{Code: Backward, Insn: 1, Label: 1, Prev: 1}},
		{"label at the end", Keep, func(b *Builder) {
			l := b.NewLabel()
			b.Jump(opJeq, 0, l, None)
			b.Emit(opRetA, 0)
			b.Mark(l)
		}, Error{Code: PastEnd, Insn: 0, Label: 1}},
		{"falls off the end", Compact, func(b *Builder) {
			l := b.NewLabel()
			b.Mark(l)
			b.Emit(opRetA, 0)
			b.Jump(opJeq, 0, None, None)
		}, Error{Code: PastEnd, Insn: 1}},
		{"label not from NewLabel", Keep, func(b *Builder) {
			b.Ja(7)
			b.Emit(opRetA, 0)
		}, Error{Code: BadLabel, Insn: 0, Label: 7}},
		{"mark of None", Keep, func(b *Builder) {
			b.Mark(None)
			b.Emit(opRetA, 0)
		}, Error{Code: BadLabel, Insn: 0, Label: -1}},
		{"too long", Keep, func(b *Builder) {
			// 48 jumps to distinct far labels need 48 trampolines.
			var ls []Label
			for i := range 48 {
				ls = append(ls, b.NewLabel())
				b.Jump(opJeq, uint32(i), ls[i], None)
			}
			pad(b, 4000)
			for _, l := range ls {
				b.Mark(l)
				b.Emit(opRetA, 0)
			}
		}, Error{Code: TooLong, Insn: 4048, Len: 4144}},
		{"too long compact", Compact, func(b *Builder) {
			pad(b, maxInsns)
			b.Emit(opRetA, 0)
		}, Error{Code: TooLong, Insn: maxInsns, Len: maxInsns + 1}},
		{"trampoline inside a raw jump", Keep, func(b *Builder) {
			l := b.NewLabel()
			b.Raw(ri{Op: opJeq, Jt: 1})
			b.Jump(opJeq, 0, l, None)
			pad(b, 300)
			b.Mark(l)
			b.Emit(opRetA, 0)
		}, Error{Code: RawSpan, Insn: 0}},
		{"raw jump in compact", Compact, func(b *Builder) {
			b.Emit(opLdW, 0)
			b.Raw(ri{Op: opJa})
			b.Emit(opRetA, 0)
		}, Error{Code: RawJump, Insn: 1}},
	}
	for _, tc := range tests {
		var b Builder
		tc.build(&b)
		_, err := b.Link(Options{Layout: tc.layout})
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: error %v, want an *Error", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.want, *e); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
		var de *diag.Error
		if !errors.As(err, &de) || de.Pos != diag.AtInsn(e.Insn) || de.Code != e.Code.Diag() || de.Code == "" || de.Msg != e.Error() {
			t.Errorf("%s: errors.As diag.Error: %+v", tc.name, de)
		}
		if msg := e.Error(); !strings.HasPrefix(msg, "link: ") || strings.Contains(msg, "Code(") {
			t.Errorf("%s: message %q", tc.name, msg)
		}
	}
}

// A raw jump whose span no trampoline enters keeps its bytes.
func TestRawJumpKept(t *testing.T) {
	var b Builder
	l := b.NewLabel()
	b.Jump(opJeq, 0, l, None)
	b.Raw(ri{Op: opJeq, Jt: 1, Jf: 0, K: 5})
	pad(&b, 300)
	b.Mark(l)
	b.Emit(opRetA, 0)
	out := link(t, &b, Keep)
	if diff := cmp.Diff(ri{Op: opJeq, Jt: 1, Jf: 0, K: 5}, out[2]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// sym is the test's own symbolic program: instruction i jumps to
// instruction indexes, not labels.
type sym struct {
	op   uint16
	k    uint32
	t, f int // targets (instruction indexes); -1: the next one
}

// words are the seccomp_data words the programs load: nr and the low
// words of args 0..2 (little-endian).
var words = []uint32{0, 16, 24, 32}

// runSym is the reference: it runs prog as written, by the meaning of
// each instruction.
func runSym(prog []sym, in map[uint32]uint32) uint32 {
	var a uint32
	for pc := 0; ; {
		s := prog[pc]
		next := func(l int) int {
			if l < 0 {
				return pc + 1
			}
			return l
		}
		switch s.op {
		case opLdW:
			a = in[s.k]
			pc++
		case opAdd:
			a += s.k
			pc++
		case opRetK:
			return s.k
		case opRetA:
			return a
		case opJa:
			pc = next(s.t)
		default:
			var c bool
			switch s.op {
			case opJeq:
				c = a == s.k
			case opJgt:
				c = a > s.k
			case opJge:
				c = a >= s.k
			case opJset:
				c = a&s.k != 0
			}
			if c {
				pc = next(s.t)
			} else {
				pc = next(s.f)
			}
		}
	}
}

// genSym makes a random program of n instructions whose jumps go
// forward, a share of them far and to a few hot targets (so trampolines
// are inserted and shared), ending in "ret a".
func genSym(r *rand.Rand, n int, far float64) []sym {
	hot := []int{n - 1, r.IntN(n), r.IntN(n)}
	prog := make([]sym, n)
	target := func(i int) int {
		switch x := r.Float64(); {
		case x < far/2:
			if h := hot[r.IntN(len(hot))]; h > i {
				return h
			}
			fallthrough
		case x < far:
			return i + 1 + r.IntN(n-1-i)
		case x < far+0.1:
			return -1
		}
		return min(n-1, i+1+r.IntN(8))
	}
	conds := []uint16{opJeq, opJgt, opJge, opJset}
	for i := range prog {
		s := sym{t: -1, f: -1}
		switch x := r.IntN(20); {
		case i == n-1:
			s.op = opRetA
		case x < 4:
			s.op, s.k = opLdW, words[r.IntN(len(words))]
		case x < 8:
			s.op, s.k = opAdd, uint32(r.IntN(3))
		case x < 9:
			s.op, s.t = opJa, target(i)
		case x < 10:
			s.op, s.k = opRetK, uint32(r.IntN(4)) // makes code after it unreachable, unless jumped to
		default:
			s.op, s.k = conds[r.IntN(len(conds))], uint32(r.IntN(6))
			s.t, s.f = target(i), target(i)
		}
		prog[i] = s
	}
	return prog
}

// build writes prog into a Builder: one label (sometimes two) for each
// instruction something jumps to.
func build(prog []sym) *Builder {
	b := &Builder{}
	labels := make([][]Label, len(prog))
	ref := func(to int) Label {
		if to < 0 {
			return None
		}
		if len(labels[to]) == 0 || (len(labels[to]) == 1 && to%7 == 0) {
			labels[to] = append(labels[to], b.NewLabel())
		}
		return labels[to][len(labels[to])-1]
	}
	type jt struct{ t, f Label }
	refs := make([]jt, len(prog))
	for i, s := range prog {
		refs[i] = jt{ref(s.t), ref(s.f)}
	}
	for i, s := range prog {
		for _, l := range labels[i] {
			b.Mark(l)
		}
		switch s.op {
		case opJa:
			b.Ja(refs[i].t)
		case opJeq, opJgt, opJge, opJset:
			b.Jump(opcode.Op(s.op), s.k, refs[i].t, refs[i].f)
		default:
			if i%5 == 0 {
				b.Raw(ri{Op: s.op, K: s.k})
			} else {
				b.Emit(opcode.Op(s.op), s.k)
			}
		}
	}
	return b
}

// TestRandomFarJumps links random programs with far targets in both
// layouts and runs the result in the VM on random inputs: it must return
// what the symbolic program returns.
func TestRandomFarJumps(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	tramps := [2]int{}
	for iter := range 200 {
		n := 2 + r.IntN(1500)
		if iter%4 == 0 {
			n = 2 + r.IntN(40)
		}
		prog := genSym(r, n, []float64{0, 0.05, 0.3, 0.9}[iter%4])
		b := build(prog)
		for _, lay := range []Layout{Keep, Compact} {
			out, err := b.Link(Options{Layout: lay})
			if err != nil {
				var e *Error
				if errors.As(err, &e) && e.Code == TooLong {
					continue
				}
				t.Fatalf("program %d layout %d: %v", iter, lay, err)
			}
			if lay == Keep {
				tramps[0] += len(out) - n
				checkKeep(t, prog, out)
			} else if len(out) > 0 {
				for _, in := range out {
					if in.Op == opJa && in.K > 255 {
						tramps[1]++
					}
				}
			}
			m, err := vm.New(out, vm.Seccomp)
			if err != nil {
				t.Fatalf("program %d layout %d: %v", iter, lay, err)
			}
			for range 30 {
				in := map[uint32]uint32{}
				d := vm.SeccompData{Arch: 0xc000003e}
				for i, w := range words {
					v := uint32(r.IntN(6))
					in[w] = v
					if i == 0 {
						d.Nr = int32(v)
					} else {
						d.Args[i-1] = uint64(v)
					}
				}
				want := runSym(prog, in)
				if got := m.RunSeccomp(d).Ret; got != want {
					t.Fatalf("program %d (%d instructions) layout %d on %v: linked returns %d, symbolic %d", iter, n, lay, in, got, want)
				}
			}
		}
	}
	if tramps[0] == 0 || tramps[1] == 0 {
		t.Fatalf("trampolines %v: the test exercises no far jumps", tramps)
	}
	t.Logf("trampolines: Keep %d, Compact far ja %d", tramps[0], tramps[1])
}

// checkKeep: Keep's output is the source instructions, in order, with
// only "ja" trampolines between them.
func checkKeep(t *testing.T, prog []sym, out []ri) {
	t.Helper()
	i := 0
	for pc, in := range out {
		if i < len(prog) && in.Op == prog[i].op && (opcode.Op(in.Op).IsJump() || in.K == prog[i].k) {
			i++
			continue
		}
		if in.Op != opJa {
			t.Fatalf("output %d is %+v: neither instruction %d nor a trampoline", pc, in, i)
		}
	}
	if i != len(prog) {
		t.Fatalf("found %d of %d instructions in order", i, len(prog))
	}
}

func TestDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	prog := genSym(r, 1200, 0.3)
	for _, lay := range []Layout{Keep, Compact} {
		a := link(t, build(prog), lay)
		b := link(t, build(prog), lay)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("layout %d: two links of one program differ", lay)
		}
	}
}

// TestWeight: each kind of change a pass makes lowers Weight.
func TestWeight(t *testing.T) {
	mk := func() (*Builder, Label, Label) {
		var b Builder
		l1, l2 := b.NewLabel(), b.NewLabel()
		b.Emit(opLdW, 0)         // 0
		b.Jump(opJeq, 1, l1, l2) // 1: 2 + 1 to the end
		b.Emit(opLdW, 0)         // 2
		b.Mark(l1)
		b.Ja(l2) // 3: 1 to the end
		b.Mark(l2)
		b.Emit(opRetA, 0) // 4
		return &b, l1, l2
	}
	b, _, l2 := mk()
	w := b.Weight()
	if w != 5+2+1+1 {
		t.Fatalf("Weight %d, want 9", w)
	}
	// Threading the true side to l2: a later target.
	b.Code[1].Jt = l2
	if b.Weight() >= w {
		t.Errorf("a later target: weight %d, was %d", b.Weight(), w)
	}
	// A conditional jump becomes a ja: one target fewer.
	b, _, l2 = mk()
	b.Code[1] = Insn{Op: opJa, Jt: l2}
	if b.Weight() >= w {
		t.Errorf("one target fewer: weight %d, was %d", b.Weight(), w)
	}
	// Removing an instruction.
	b, _, _ = mk()
	b.Code = append(b.Code[:2:2], b.Code[3:]...)
	if b.Weight() >= w {
		t.Errorf("one instruction fewer: weight %d, was %d", b.Weight(), w)
	}
	if (&Builder{}).Weight() != 0 {
		t.Error("an empty program weighs something")
	}
}

func TestCodeString(t *testing.T) {
	for c := Undefined; c <= Internal; c++ {
		if s := c.String(); strings.HasPrefix(s, "Code(") {
			t.Errorf("%d has no name", c)
		}
	}
	if Code(99).String() != "Code(99)" {
		t.Error("unknown code")
	}
}
