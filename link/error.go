package link

import (
	"fmt"

	"github.com/cbpfkit/cbpf/diag"
)

// Code says what kind of problem an Error reports.
type Code uint8

const (
	// Undefined: a jump names a label that is never marked.
	Undefined Code = iota + 1
	// Duplicate: a label is marked twice.
	Duplicate
	// Backward: a jump's target is not ahead of it (classic BPF jumps only
	// go forward).
	Backward
	// PastEnd: a jump's target is past the last instruction.
	PastEnd
	// BadLabel: a label that NewLabel did not make.
	BadLabel
	// TooLong: the linked program needs more than 4096 instructions
	// (BPF_MAXINSNS).
	TooLong
	// RawSpan: a trampoline would land inside the span of a raw jump,
	// whose offsets count output instructions.
	RawSpan
	// RawJump: the Compact layout moves and removes instructions, so it
	// cannot keep a raw jump's offsets.
	RawJump
	// Internal: the linker broke its own invariant (a bug).
	Internal
)

var codeNames = [...]string{
	Undefined: "label not defined",
	Duplicate: "label defined twice",
	Backward:  "jump target not ahead",
	PastEnd:   "jump target past the end",
	BadLabel:  "bad label",
	TooLong:   "program too long",
	RawSpan:   "trampoline inside a raw jump",
	RawJump:   "raw jump in a compact layout",
	Internal:  "internal error",
}

// diagCodes are the diag codes of the link codes.
var diagCodes = [...]diag.Code{
	Undefined: diag.CodeUndefinedLabel,
	Duplicate: diag.CodeDuplicate,
	Backward:  diag.CodeJump,
	PastEnd:   diag.CodeJump,
	BadLabel:  diag.CodeInternal,
	TooLong:   diag.CodeTooLong,
	RawSpan:   diag.CodeJump,
	RawJump:   diag.CodeJump,
	Internal:  diag.CodeInternal,
}

// Diag is the diag code of c: link's codes are finer.
func (c Code) Diag() diag.Code {
	if int(c) < len(diagCodes) && diagCodes[c] != "" {
		return diagCodes[c]
	}
	return diag.CodeInternal
}

func (c Code) String() string {
	if int(c) < len(codeNames) && codeNames[c] != "" {
		return codeNames[c]
	}
	return fmt.Sprintf("Code(%d)", uint8(c))
}

// Error is a problem Link found. Insn says where, as an index into the
// program's instructions in the order they were added (marks not
// counted), so that a caller can map it back to its source; it is -1 when
// no instruction is to blame.
type Error struct {
	Code  Code
	Insn  int
	Side  int   // for a jump target: 0 the true target (a ja's only one), 1 the false target
	Label Label // the label concerned, None for "the next instruction"
	Prev  int   // Duplicate: the instruction the first mark names; Backward: the one the label names
	Len   int   // TooLong: how many instructions the program needs
	Msg   string
}

func (e *Error) Error() string {
	side := "true"
	if e.Side == 1 {
		side = "false"
	}
	switch e.Code {
	case Undefined:
		return fmt.Sprintf("link: instruction %d: label %d is not defined", e.Insn, e.Label)
	case Duplicate:
		return fmt.Sprintf("link: label %d marked at instruction %d and at %d", e.Label, e.Prev, e.Insn)
	case Backward:
		return fmt.Sprintf("link: instruction %d: %s target label %d (instruction %d) is not ahead; jumps only go forward", e.Insn, side, e.Label, e.Prev)
	case PastEnd:
		return fmt.Sprintf("link: instruction %d: %s target is past the last instruction", e.Insn, side)
	case BadLabel:
		return fmt.Sprintf("link: instruction %d: label %d was not made by NewLabel", e.Insn, e.Label)
	case TooLong:
		return fmt.Sprintf("link: the program needs %d instructions, more than the kernel's limit of %d", e.Len, maxInsns)
	case RawSpan:
		return fmt.Sprintf("link: instruction %d: a trampoline would land inside the span of this raw jump", e.Insn)
	case RawJump:
		return fmt.Sprintf("link: instruction %d: a raw jump cannot be laid out compactly", e.Insn)
	}
	return fmt.Sprintf("link: instruction %d: %s: %s", e.Insn, e.Code, e.Msg)
}

// As lets errors.As see e as a *diag.Error at its instruction (the
// position of the program as a whole when Insn is -1).
func (e *Error) As(target any) bool {
	t, ok := target.(**diag.Error)
	if ok {
		*t = &diag.Error{Pos: diag.AtInsn(e.Insn), Code: e.Code.Diag(), Msg: e.Error()}
	}
	return ok
}
