package asm

import (
	"bufio"
	"io"
	"strconv"
	"strings"

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
	inRange := func(t int64) (string, bool) {
		if t < 0 || t >= int64(n) {
			return "", false
		}
		return "L" + strconv.FormatInt(t, 10), true
	}
	type line struct{ mn, ops, note string }
	lines := make([]line, n)
	target := make([]bool, n)
	for pc, ins := range prog {
		var used []int64
		mn, ops, ok := spell(ins, pc, func(t int64) (string, bool) {
			l, ok := inRange(t)
			if ok {
				used = append(used, t)
			}
			return l, ok
		})
		if !ok {
			lines[pc] = line{mn: ".insn", ops: strings.TrimPrefix(rawInsn(ins), ".insn "), note: insnNote(ins, pc)}
			continue
		}
		for _, t := range used {
			target[t] = true
		}
		lines[pc] = line{mn: mn, ops: ops}
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
	for pc, l := range lines {
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
		sb.WriteString(l.mn)
		if l.ops != "" {
			for i := len(l.mn); i < 6; i++ {
				sb.WriteByte(' ')
			}
			sb.WriteByte(' ')
			sb.WriteString(l.ops)
		}
		if l.note != "" {
			for i := len(l.ops); i < 24; i++ {
				sb.WriteByte(' ')
			}
			sb.WriteString(" ; ")
			sb.WriteString(l.note)
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
		mn, ops, ok := spell(c, pc, func(t int64) (string, bool) {
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
	switch ins.Op {
	case clsLD | mdMEM, clsLDX | mdMEM, clsST, clsSTX:
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
