package compile

import (
	"github.com/cbpfkit/cbpf/link"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/pass"
)

// cleanup is the list of clean-up passes over the built program, in the
// order they run. Each is small and has its own test (passes_test.go).
//
// Compile runs one sweep of the list, not the fixed point
// (cleanup.Fix): a second sweep finds more to do in about half of random
// policies (threading turns a jump whose targets become one into a "ja",
// which the next sweep threads through), and would make their filters
// smaller, which changes compile's output. The fixed point belongs with
// the optimizer; link.Builder.Weight is the measure that bounds it (every
// change removes an instruction or a jump target, or moves a target
// later), and TestCleanupFixedPoint checks it on compile's programs.
var cleanup = pass.List[*link.Builder]{
	{Name: "thread jumps", Run: threadJumps},
	{Name: "drop reloads", Run: dropReloads},
	{Name: "drop jumps to next", Run: dropJumpsToNext},
}

// clean runs the clean-up passes: one sweep, or with fix (tests) to the
// fixed point.
func clean(b *link.Builder, fix bool) error {
	if !fix {
		cleanup.Sweep(b)
		return nil
	}
	_, err := cleanup.Fix(b, (*link.Builder).Weight)
	return err
}

// threadJumps sends every jump to a label that is followed by "ja L" (or
// other labels, then "ja L") straight to L, and turns a conditional jump
// whose targets become one into a "ja". It leaves a "ja" that nothing
// reaches any more for layout to remove.
func threadJumps(b *link.Builder) bool {
	code, nLabels := b.Code, b.Labels()
	// next[l] is the ja target following label l, if any.
	next := make([]label, nLabels+1)
	for i, in := range code {
		if !in.IsMark() {
			continue
		}
		for _, after := range code[i+1:] {
			if after.IsMark() {
				continue
			}
			if after.IsJa() {
				next[in.Def] = after.Jt
			}
			break
		}
	}
	final := func(l label) label {
		for n := 0; n < nLabels && next[l] != noLabel && next[l] != l; n++ {
			l = next[l]
		}
		return l
	}
	changed := false
	for i, in := range code {
		was := in
		if in.IsCond() {
			in.Jt, in.Jf = final(in.Jt), final(in.Jf)
			if in.Jt == in.Jf {
				in = link.Insn{Op: opcode.Ja, Jt: in.Jt}
			}
		} else if in.IsJa() {
			in.Jt = final(in.Jt)
		}
		if in != was {
			code[i], changed = in, true
		}
	}
	return changed
}

// aState is what the A register holds at a point: nothing known, a loaded
// word of seccomp_data, or (top) unreachable so far.
type aState struct {
	kind uint8 // 0 unreachable, 1 word, 2 unknown
	off  uint32
}

func meet(a, b aState) aState {
	switch {
	case a.kind == 0:
		return b
	case b.kind == 0:
		return a
	case a == b:
		return a
	}
	return aState{kind: 2}
}

// dropReloads removes loads of a word A already holds on every path. All
// jumps go forward, so one pass in order sees every predecessor of a label
// before the label.
func dropReloads(b *link.Builder) bool {
	code := b.Code
	at := make([]aState, b.Labels()+1)
	cur := aState{kind: 2}
	out := code[:0:0]
	for _, in := range code {
		switch {
		case in.IsMark():
			cur = meet(cur, at[in.Def])
		case in.Op == opcode.LdAbsW && !in.Raw:
			if cur.kind == 1 && cur.off == in.K {
				continue
			}
			cur = aState{kind: 1, off: in.K}
		case in.IsCond(), in.IsJa():
			// A target None falls through: A reaches the next entry as it
			// is. Labelled targets get it at their mark.
			fall := aState{}
			for s, l := range [2]label{in.Jt, in.Jf} {
				switch {
				case s == 1 && in.IsJa():
				case l == noLabel:
					fall = cur
				default:
					at[l] = meet(at[l], cur)
				}
			}
			cur = fall
		case in.IsRet():
			cur = aState{}
		default:
			cur = aState{kind: 2}
		}
		out = append(out, in)
	}
	if len(out) == len(code) {
		return false
	}
	b.Code = out
	return true
}

// dropJumpsToNext removes "ja L" where L is defined right after it: the
// fall-through does the same.
func dropJumpsToNext(b *link.Builder) bool {
	code := b.Code
	out := code[:0:0]
	for i, in := range code {
		if in.IsJa() {
			next := false
			for _, after := range code[i+1:] {
				if !after.IsMark() {
					break
				}
				if after.Def == in.Jt {
					next = true
					break
				}
			}
			if next {
				continue
			}
		}
		out = append(out, in)
	}
	if len(out) == len(code) {
		return false
	}
	b.Code = out
	return true
}
