package asm

import (
	"errors"
	"io"

	"golang.org/x/net/bpf"
)

// Disassemble writes prog as bpf_asm text that Assemble reads back to the
// identical program. (stub: being written)
func Disassemble(w io.Writer, prog []bpf.RawInstruction) error {
	return errors.New("asm: Disassemble not implemented yet")
}
