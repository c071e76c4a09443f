package compile

import (
	"errors"
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/link"
	"github.com/cbpfkit/cbpf/opcode"
)

// layout turns the cleaned-up IR into a program with link's Compact
// layout: a conditional jump farther than 255 instructions gets a
// trampoline right after it (a copy of the return it leads to, else a
// "ja"), shared when one already sits within reach, and code that nothing
// reaches is removed.
func layout(b *link.Builder) ([]bpf.RawInstruction, error) {
	prog, err := b.Link(link.Options{Layout: link.Compact})
	var e *link.Error
	if err == nil || !errors.As(err, &e) {
		return prog, err
	}
	switch e.Code {
	case link.TooLong:
		return nil, fmt.Errorf("the filter needs %d instructions, more than the kernel's limit of %d", e.Len, opcode.MaxInsns)
	case link.Undefined:
		return nil, fmt.Errorf("compile: internal error: label %d is never defined", e.Label)
	case link.Internal:
		return nil, fmt.Errorf("compile: internal error: %s", e.Msg)
	}
	return nil, fmt.Errorf("compile: internal error: %v", err)
}
