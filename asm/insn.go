package asm

import (
	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// InsnString returns ins in the bpf_asm syntax of Disassemble, as it would
// read at index pc. Jump targets are absolute labels L<pc+1+offset>. An
// instruction that plain bpf_asm cannot spell exactly is written as
// ".insn CODE, JT, JF, K" with raw offsets. It is opcode.String.
func InsnString(ins bpf.RawInstruction, pc int) string { return opcode.String(ins, pc) }
