package asm

import (
	"errors"

	"golang.org/x/net/bpf"
)

// Assemble parses bpf_asm text. (stub: being written)
func Assemble(name string, src []byte) ([]bpf.RawInstruction, error) {
	return nil, errors.New("asm: Assemble not implemented yet")
}
