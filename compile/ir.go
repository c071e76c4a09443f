package compile

import (
	"github.com/cbpfkit/cbpf/link"
	"github.com/cbpfkit/cbpf/opcode"
)

// The compiler's intermediate form is a link.Builder: instructions whose
// jumps name labels, not offsets. The clean-up passes rewrite it
// (passes.go), then link lays it out as a program (layout.go).

type label = link.Label

const noLabel = link.None

// builder adds the compiler's shorthands to link.Builder.
type builder struct{ link.Builder }

func (b *builder) newLabel() label { return b.NewLabel() }

// mark defines l at the current position.
func (b *builder) mark(l label) { b.Mark(l) }

func (b *builder) emit(op opcode.Op, k uint32) { b.Emit(op, k) }

func (b *builder) load(off uint32) { b.emit(opcode.LdAbsW, off) }

// jump emits a conditional jump: op is BPF_JEQ, BPF_JGT, BPF_JGE or
// BPF_JSET (with BPF_K).
func (b *builder) jump(op opcode.Op, k uint32, jt, jf label) {
	if jt == jf {
		b.ja(jt)
		return
	}
	b.Jump(opcode.JMP|op|opcode.K, k, jt, jf)
}

func (b *builder) ja(l label) { b.Ja(l) }

func (b *builder) ret(k uint32) { b.emit(opcode.RetK, k) }
