package asm

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// Disassemble writes prog as bpf_asm text that Assemble reads back to the
// identical program, byte for byte.
//
// The text maps 1:1 to instructions: one instruction a line, jump targets as
// labels L<index> (only where something jumps). Every instruction that a
// plain mnemonic reproduces exactly is written that way; the rest (unknown
// opcodes, unused fields that are not zero, M[k] beyond 15, jumps that land
// beyond the end of the program) are written as ".insn CODE, JT, JF, K" with
// raw offsets. Nothing is re-laid out, so no trampolines appear on the way
// back. Each .insn line carries a comment saying why it is needed. Programs
// that Assemble rejects (empty, or longer than 4096) are still written.
func Disassemble(w io.Writer, prog []bpf.RawInstruction) error {
	n := len(prog)
	// Two passes, so that memory does not grow with the text: the first
	// finds the jump targets that need labels, the second writes.
	target := make([]bool, n)
	spellAt := func(pc int, mark bool) (mn, ops string, ok bool) {
		var used [2]int64
		k := 0
		mn, ops, ok = opcode.Spell(prog[pc], pc, func(t int64) (string, bool) {
			if t < 0 || t >= int64(n) {
				return "", false
			}
			used[k], k = t, k+1
			return "L" + strconv.FormatInt(t, 10), true
		})
		if ok && mark {
			for _, t := range used[:k] {
				target[t] = true
			}
		}
		return mn, ops, ok
	}
	for pc := range prog {
		spellAt(pc, true)
	}

	// Column widths: the label column fits the longest label; mnemonics are
	// padded so operands line up.
	labelW := 0
	for pc := range prog {
		if target[pc] {
			labelW = max(labelW, len(strconv.Itoa(pc))+2) // "L" + digits + ":"
		}
	}
	if labelW > 0 {
		labelW++
	}
	bw := bufio.NewWriter(w)
	var sb strings.Builder
	for pc, ins := range prog {
		mn, ops, ok := spellAt(pc, false)
		note := ""
		if !ok {
			mn, ops, note = ".insn", strings.TrimPrefix(opcode.RawString(ins), ".insn "), insnNote(ins, pc)
		}
		sb.Reset()
		if target[pc] {
			sb.WriteString("L" + strconv.Itoa(pc) + ":")
		}
		for sb.Len() < labelW {
			sb.WriteByte(' ')
		}
		if labelW == 0 {
			sb.WriteString("  ")
		}
		sb.WriteString(mn)
		if ops != "" {
			for i := len(mn); i < 6; i++ {
				sb.WriteByte(' ')
			}
			sb.WriteByte(' ')
			sb.WriteString(ops)
		}
		if note != "" {
			for i := len(ops); i < 24; i++ {
				sb.WriteByte(' ')
			}
			sb.WriteString(" ; ")
			sb.WriteString(note)
		}
		sb.WriteByte('\n')
		if _, err := bw.WriteString(sb.String()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// insnNote says, for a reader of the listing, why an instruction needed
// .insn: what it would be without the fields the kernel ignores, or why it
// has no spelling at all.
func insnNote(ins bpf.RawInstruction, pc int) string {
	text := func(c bpf.RawInstruction) (string, bool) {
		mn, ops, ok := opcode.Spell(c, pc, func(t int64) (string, bool) {
			return "L" + strconv.FormatInt(t, 10), true
		})
		if ops != "" {
			mn += " " + ops
		}
		return mn, ok
	}
	if s, ok := text(ins); ok {
		return s + ": jumps past the end"
	}
	switch opcode.Op(ins.Op) {
	case opcode.LD | opcode.MEM, opcode.LDX | opcode.MEM, opcode.ST, opcode.STX:
		return "scratch index beyond M[15]"
	}
	c := ins
	c.K = 0
	if s, ok := text(c); ok {
		return s + " with unused k set"
	}
	c = ins
	c.Jt, c.Jf = 0, 0
	if s, ok := text(c); ok {
		return s + " with unused jt/jf set"
	}
	c.K = 0
	if s, ok := text(c); ok {
		return s + " with unused jt, jf and k set"
	}
	return "unknown opcode"
}
