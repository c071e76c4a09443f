package compile

import (
	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// The compiler's intermediate form: instructions whose jumps name labels,
// not offsets. Layout turns it into a program (layout.go).

type label int32

const noLabel label = -1

type irIns struct {
	op     opcode.Op
	k      uint32
	jt, jf label // conditional jumps: both targets; ja: jt
	def    label // != noLabel: this entry only defines a label
}

func (in irIns) isLabel() bool { return in.def != noLabel }
func (in irIns) isCond() bool {
	return in.def == noLabel && in.op&0x07 == opcode.JMP && in.op&0xf0 != opcode.JA
}
func (in irIns) isJa() bool  { return in.def == noLabel && in.op == opcode.JMP|opcode.JA }
func (in irIns) isRet() bool { return in.def == noLabel && in.op&0x07 == opcode.RET }

type builder struct {
	code    []irIns
	nLabels int
}

func (b *builder) newLabel() label {
	b.nLabels++
	return label(b.nLabels - 1)
}

// mark defines l at the current position.
func (b *builder) mark(l label) { b.code = append(b.code, irIns{def: l, jt: noLabel, jf: noLabel}) }

func (b *builder) emit(op opcode.Op, k uint32) {
	b.code = append(b.code, irIns{op: op, k: k, jt: noLabel, jf: noLabel, def: noLabel})
}

func (b *builder) load(off uint32) { b.emit(opcode.LD|opcode.W|opcode.ABS, off) }

// jump emits a conditional jump: op is BPF_JEQ, BPF_JGT, BPF_JGE or
// BPF_JSET (with BPF_K).
func (b *builder) jump(op opcode.Op, k uint32, jt, jf label) {
	if jt == jf {
		b.ja(jt)
		return
	}
	b.code = append(b.code, irIns{op: opcode.JMP | op | opcode.K, k: k, jt: jt, jf: jf, def: noLabel})
}

func (b *builder) ja(l label) {
	b.code = append(b.code, irIns{op: opcode.JMP | opcode.JA, jt: l, jf: noLabel, def: noLabel})
}

func (b *builder) ret(k uint32) { b.emit(opcode.RET|opcode.K, k) }

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
func dropReloads(code []irIns, nLabels int) []irIns {
	at := make([]aState, nLabels)
	cur := aState{kind: 2}
	out := code[:0:0]
	for _, in := range code {
		switch {
		case in.isLabel():
			cur = meet(cur, at[in.def])
		case in.op == opcode.LD|opcode.W|opcode.ABS:
			if cur.kind == 1 && cur.off == in.k {
				continue
			}
			cur = aState{kind: 1, off: in.k}
		case in.isCond():
			at[in.jt] = meet(at[in.jt], cur)
			at[in.jf] = meet(at[in.jf], cur)
			cur = aState{} // no fall-through: both targets are labels
		case in.isJa():
			at[in.jt] = meet(at[in.jt], cur)
			cur = aState{}
		case in.isRet():
			cur = aState{}
		default:
			cur = aState{kind: 2}
		}
		out = append(out, in)
	}
	return out
}

// asRaw is used by layout.
func raw(op uint16, jt, jf uint8, k uint32) bpf.RawInstruction {
	return bpf.RawInstruction{Op: op, Jt: jt, Jf: jf, K: k}
}

// dropJumpsToNext removes "ja L" where L is defined right after it: the
// fall-through does the same.
func dropJumpsToNext(code []irIns) []irIns {
	out := code[:0:0]
	for i, in := range code {
		if in.isJa() {
			next := false
			for _, after := range code[i+1:] {
				if !after.isLabel() {
					break
				}
				if after.def == in.jt {
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
	return out
}

// threadJumps sends every jump to a label that is followed by "ja L" (or
// other labels, then "ja L") straight to L, and drops such a "ja" that
// nothing reaches any more only later (layout removes unreachable code).
func threadJumps(code []irIns, nLabels int) []irIns {
	// next[l] is the ja target following label l, if any.
	next := make([]label, nLabels)
	for i := range next {
		next[i] = noLabel
	}
	for i, in := range code {
		if !in.isLabel() {
			continue
		}
		for _, after := range code[i+1:] {
			if after.isLabel() {
				continue
			}
			if after.isJa() {
				next[in.def] = after.jt
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
	out := make([]irIns, len(code))
	for i, in := range code {
		if in.isCond() {
			in.jt, in.jf = final(in.jt), final(in.jf)
			if in.jt == in.jf {
				in = irIns{op: opcode.JMP | opcode.JA, jt: in.jt, jf: noLabel, def: noLabel}
			}
		} else if in.isJa() {
			in.jt = final(in.jt)
		}
		out[i] = in
	}
	return out
}
