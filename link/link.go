package link

import (
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/opcode"
)

// The kernel's limits, from package opcode: no linked program is longer
// than maxInsns, and a conditional jump reaches at most maxJump
// instructions ahead (its offsets are 8-bit).
const (
	maxInsns = opcode.MaxInsns
	maxJump  = opcode.MaxJump
)

// Label names a place in a program. Labels come from Builder.NewLabel;
// the zero Label, None, names no place.
type Label int32

// None is no label: in Insn.Def, the entry is an instruction; as a jump
// target, the jump goes to the next instruction.
const None Label = 0

// badLabel is what Mark records for a label NewLabel cannot have made, so
// that Link reports it.
const badLabel Label = -1

// Insn is one entry of a symbolic program: an instruction, or (Def !=
// None) a label mark that names the place of the next instruction.
//
// The class and jump op in Op say what an instruction is: a conditional
// jump (class BPF_JMP, op other than BPF_JA) goes to Jt when its condition
// holds and to Jf when not; a "ja" (BPF_JMP|BPF_JA) goes to Jt, and its K
// is computed; any other instruction is emitted with its Op and K as they
// are. A target None is the next instruction. Raw entries are emitted
// exactly as RawJt, RawJf and K say, jumps included: their offsets count
// output instructions, and the linker refuses to insert anything inside
// their span.
type Insn struct {
	Op           opcode.Op
	K            uint32
	Jt, Jf       Label
	Def          Label
	Raw          bool
	RawJt, RawJf uint8
}

// IsMark reports whether the entry marks a label rather than being an
// instruction.
func (in Insn) IsMark() bool { return in.Def != None }

// IsCond reports whether the entry is a conditional jump to labels.
func (in Insn) IsCond() bool {
	return in.Def == None && !in.Raw && in.Op.IsCondJump()
}

// IsJa reports whether the entry is a "ja" to a label.
func (in Insn) IsJa() bool {
	return in.Def == None && !in.Raw && in.Op == opcode.Ja
}

// IsRet reports whether the entry is a return instruction.
func (in Insn) IsRet() bool { return in.Def == None && in.Op.IsReturn() }

// raw is the instruction as the linker emits it before offsets are set.
func (in Insn) raw() bpf.RawInstruction {
	if in.Raw {
		return bpf.RawInstruction{Op: uint16(in.Op), Jt: in.RawJt, Jf: in.RawJf, K: in.K}
	}
	return bpf.RawInstruction{Op: uint16(in.Op), K: in.K}
}

// Builder holds a symbolic program: entries in order, whose jumps name
// labels, not offsets. Its zero value is an empty program. Code may be
// read and rewritten directly (clean-up passes do); Link turns it into a
// program.
type Builder struct {
	Code   []Insn
	labels int32
}

// NewLabel returns a label not used before.
func (b *Builder) NewLabel() Label {
	b.labels++
	return Label(b.labels)
}

// Labels returns how many labels NewLabel has made: they are 1..Labels().
func (b *Builder) Labels() int { return int(b.labels) }

// Mark places l at the next instruction added.
func (b *Builder) Mark(l Label) {
	if l == None {
		l = badLabel
	}
	b.Code = append(b.Code, Insn{Def: l})
}

// Emit adds an instruction that is not a jump (a jump added here goes to
// the next instruction).
func (b *Builder) Emit(op opcode.Op, k uint32) { b.Code = append(b.Code, Insn{Op: op, K: k}) }

// Jump adds a conditional jump (op has class BPF_JMP) to jt when the
// condition holds, to jf when not; None is the next instruction.
func (b *Builder) Jump(op opcode.Op, k uint32, jt, jf Label) {
	b.Code = append(b.Code, Insn{Op: op, K: k, Jt: jt, Jf: jf})
}

// Ja adds an unconditional jump to l.
func (b *Builder) Ja(l Label) { b.Code = append(b.Code, Insn{Op: opcode.Ja, Jt: l}) }

// Raw adds an instruction emitted exactly as given.
func (b *Builder) Raw(ins bpf.RawInstruction) {
	b.Code = append(b.Code, Insn{Op: opcode.Op(ins.Op), K: ins.K, Raw: true, RawJt: ins.Jt, RawJf: ins.Jf})
}

// Len returns the number of instructions (marks not counted).
func (b *Builder) Len() int {
	n := 0
	for _, in := range b.Code {
		if !in.IsMark() {
			n++
		}
	}
	return n
}

// Weight is a measure of the program for passes (see package pass): the
// number of instructions plus, for every jump target, how many
// instructions lie from it to the end (an undefined label counts as the
// end). Removing an instruction, dropping a jump target, or sending a
// jump to a later place makes it strictly smaller; nothing makes it
// negative.
func (b *Builder) Weight() int {
	at := make([]int, b.labels+1)
	for i := range at {
		at[i] = -1
	}
	n := 0
	for _, in := range b.Code {
		if in.IsMark() {
			if in.Def > 0 && in.Def <= Label(b.labels) && at[in.Def] < 0 {
				at[in.Def] = n
			}
			continue
		}
		n++
	}
	w, i := n, 0
	dist := func(l Label, i int) int {
		if l == None {
			return n - i - 1
		}
		if l < 0 || l > Label(b.labels) || at[l] < 0 {
			return 0
		}
		return n - at[l]
	}
	for _, in := range b.Code {
		switch {
		case in.IsMark():
			continue
		case in.IsCond():
			w += dist(in.Jt, i) + dist(in.Jf, i)
		case in.IsJa():
			w += dist(in.Jt, i)
		}
		i++
	}
	return w
}

// Layout chooses how Link reaches conditional jump targets more than 255
// instructions ahead (a jump's offsets are 8-bit; a "ja" has 32 bits).
type Layout uint8

const (
	// Keep keeps every instruction, in order: a far target is reached
	// through a "ja" trampoline inserted right after the jump (the true
	// side's first), or through one a later jump placed for the same
	// target, when that one is in reach. The output is the input's
	// instructions with trampolines between them, which is what an
	// assembler promises.
	Keep Layout = iota
	// Compact may make a trampoline a copy of the return it leads to (so
	// no extra instruction runs), shares any "ja" or equal return already
	// in reach, and removes instructions that nothing reaches, repeating
	// until every offset fits. This is what a compiler wants.
	Compact
)

// Options tune Link.
type Options struct {
	Layout Layout
}

// Link resolves labels and encodes the program. It fails with an *Error
// when a label is undefined, marked twice or not ahead of its jump, or
// when the program needs more than 4096 instructions (BPF_MAXINSNS).
func (b *Builder) Link(o Options) ([]bpf.RawInstruction, error) {
	nodes, labelAt, err := b.resolve()
	if err != nil {
		return nil, err
	}
	if o.Layout == Compact {
		return layoutCompact(nodes, labelAt)
	}
	return layoutKeep(nodes, labelAt)
}

// Node kinds.
const (
	kPlain = iota
	kCond
	kJa
	kRaw
)

// node is one instruction during layout. t and f are label slots: an
// index into the labelAt table, which says which instruction each names.
type node struct {
	ins  bpf.RawInstruction
	kind uint8
	t, f int32
	src  int32 // index of the source instruction, -1 for a trampoline
}

// resolve checks the labels and returns the instructions with their
// targets as label slots. Slots 1..Labels() are the labels; slots after
// them stand for "the next instruction" of jumps whose target is None.
// Errors come in program order: marks first, then each instruction's true
// target, then its false target.
func (b *Builder) resolve() ([]node, []int, error) {
	nl := int(b.labels)
	labelAt := make([]int, nl+1)
	for i := range labelAt {
		labelAt[i] = -1
	}
	n := 0
	for _, in := range b.Code {
		if !in.IsMark() {
			n++
			continue
		}
		if in.Def < 0 || int(in.Def) > nl {
			return nil, nil, &Error{Code: BadLabel, Insn: n, Label: in.Def}
		}
		if prev := labelAt[in.Def]; prev >= 0 {
			return nil, nil, &Error{Code: Duplicate, Insn: n, Label: in.Def, Prev: prev}
		}
		labelAt[in.Def] = n
	}
	nodes := make([]node, 0, n)
	var fall []int32 // fall[i]: the slot naming instruction i, made on demand
	slot := func(i int, side int, l Label) (int32, error) {
		if l == None {
			if i+1 >= n {
				return 0, &Error{Code: PastEnd, Insn: i, Side: side}
			}
			if fall == nil {
				fall = make([]int32, n)
			}
			if fall[i+1] == 0 {
				fall[i+1] = int32(len(labelAt))
				labelAt = append(labelAt, i+1)
			}
			return fall[i+1], nil
		}
		if l < 0 || int(l) > nl {
			return 0, &Error{Code: BadLabel, Insn: i, Side: side, Label: l}
		}
		switch at := labelAt[l]; {
		case at < 0:
			return 0, &Error{Code: Undefined, Insn: i, Side: side, Label: l}
		case at <= i:
			return 0, &Error{Code: Backward, Insn: i, Side: side, Label: l, Prev: at}
		case at >= n:
			return 0, &Error{Code: PastEnd, Insn: i, Side: side, Label: l}
		}
		return int32(l), nil
	}
	for _, in := range b.Code {
		if in.IsMark() {
			continue
		}
		i := len(nodes)
		nd := node{ins: in.raw(), kind: kPlain, src: int32(i)}
		var err error
		switch {
		case in.Raw:
			nd.kind = kRaw
		case in.IsCond():
			nd.kind = kCond
			if nd.t, err = slot(i, 0, in.Jt); err == nil {
				nd.f, err = slot(i, 1, in.Jf)
			}
		case in.IsJa():
			nd.kind = kJa
			nd.t, err = slot(i, 0, in.Jt)
		}
		if err != nil {
			return nil, nil, err
		}
		nodes = append(nodes, nd)
	}
	// Labels nothing uses may be undefined or mark the end: point them
	// somewhere harmless so that layout can move them with the rest.
	for l, at := range labelAt {
		if at < 0 {
			labelAt[l] = 0
		}
	}
	return nodes, labelAt, nil
}
