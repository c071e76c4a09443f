package compile

import (
	"fmt"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// layout turns the IR into a program. Conditional jumps reach at most 255
// instructions ahead; a farther target gets a trampoline right after the
// jump: a copy of the target when it is a return (no extra instruction
// executed), else a "ja" (32-bit offset). Trampolines are shared when one
// already sits within reach, and the process repeats until every offset
// fits.
func layout(code []irIns, nLabels int) ([]bpf.RawInstruction, error) {
	// Drop label entries into a position map; keep instructions only.
	var insns []irIns
	labelAt := make([]int, nLabels) // index into insns
	for i := range labelAt {
		labelAt[i] = -1
	}
	for _, in := range code {
		if in.isLabel() {
			labelAt[in.def] = len(insns)
			continue
		}
		insns = append(insns, in)
	}
	for l, at := range labelAt {
		if at < 0 {
			return nil, fmt.Errorf("compile: internal error: label %d is never defined", l)
		}
	}
	for round := 0; ; round++ {
		if len(insns) > opcode.MaxInsns {
			return nil, fmt.Errorf("the filter needs %d instructions, more than the kernel's limit of %d", len(insns), opcode.MaxInsns)
		}
		fixed := true
		for pc := 0; pc < len(insns); pc++ {
			in := insns[pc]
			if !in.isCond() {
				continue
			}
			for _, far := range []*label{&in.jt, &in.jf} {
				target := labelAt[*far]
				if target-pc-1 <= 255 {
					continue
				}
				if target <= pc {
					return nil, fmt.Errorf("compile: internal error: backward jump at %d", pc)
				}
				fixed = false
				// A trampoline to the same place within reach?
				if t := findTrampoline(insns, labelAt, pc, *far); t >= 0 {
					*far = label(len(labelAt))
					labelAt = append(labelAt, t)
					continue
				}
				tramp := irIns{op: opcode.JMP | opcode.JA, jt: *far, jf: noLabel, def: noLabel}
				if insns[target].isRet() {
					tramp = insns[target]
				}
				// Insert after the jump; labels at or after pc+1 move.
				insns = append(insns, irIns{})
				copy(insns[pc+2:], insns[pc+1:])
				insns[pc+1] = tramp
				for l, at := range labelAt {
					if at > pc {
						labelAt[l] = at + 1
					}
				}
				*far = label(len(labelAt))
				labelAt = append(labelAt, pc+1)
			}
			insns[pc] = in
			if !fixed {
				break // offsets moved: start over
			}
		}
		if fixed {
			// Trampolines and threaded jumps can leave code that nothing
			// reaches: remove it and lay out again (offsets only shrink).
			var removed bool
			insns, labelAt, removed = dropUnreachable(insns, labelAt)
			if !removed {
				break
			}
			continue
		}
		if round > 3*opcode.MaxInsns {
			return nil, fmt.Errorf("compile: internal error: jump layout does not converge")
		}
	}
	prog := make([]bpf.RawInstruction, len(insns))
	for pc, in := range insns {
		switch {
		case in.isCond():
			jt, jf := labelAt[in.jt]-pc-1, labelAt[in.jf]-pc-1
			if jt < 0 || jf < 0 || jt > 255 || jf > 255 {
				return nil, fmt.Errorf("compile: internal error: jump offsets %d, %d at %d", jt, jf, pc)
			}
			prog[pc] = raw(uint16(in.op), uint8(jt), uint8(jf), in.k)
		case in.isJa():
			off := labelAt[in.jt] - pc - 1
			if off < 0 {
				return nil, fmt.Errorf("compile: internal error: backward ja at %d", pc)
			}
			prog[pc] = raw(uint16(in.op), 0, 0, uint32(off))
		default:
			prog[pc] = raw(uint16(in.op), 0, 0, in.k)
		}
	}
	if len(prog) > opcode.MaxInsns {
		return nil, fmt.Errorf("the filter needs %d instructions, more than the kernel's limit of %d", len(prog), opcode.MaxInsns)
	}
	return prog, nil
}

// findTrampoline returns the index of an instruction after pc and within
// a conditional jump's reach that continues exactly like label l (a ja to
// l, or a copy of the return at l), or -1.
func findTrampoline(insns []irIns, labelAt []int, pc int, l label) int {
	target := insns[labelAt[l]]
	for t := pc + 1; t <= pc+256 && t < len(insns); t++ {
		in := insns[t]
		if in.isJa() && labelAt[in.jt] == labelAt[l] {
			return t
		}
		if target.isRet() && in.isRet() && in.op == target.op && in.k == target.k {
			return t
		}
	}
	return -1
}

// dropUnreachable removes instructions no path from the first reaches.
func dropUnreachable(insns []irIns, labelAt []int) ([]irIns, []int, bool) {
	seen := make([]bool, len(insns)+1)
	seen[0] = true
	for pc, in := range insns {
		if !seen[pc] {
			continue
		}
		switch {
		case in.isRet():
		case in.isJa():
			seen[labelAt[in.jt]] = true
		case in.isCond():
			seen[labelAt[in.jt]] = true
			seen[labelAt[in.jf]] = true
		default:
			seen[pc+1] = true
		}
	}
	newAt := make([]int, len(insns)+1)
	var out []irIns
	for pc, in := range insns {
		newAt[pc] = len(out)
		if seen[pc] {
			out = append(out, in)
		}
	}
	newAt[len(insns)] = len(out)
	if len(out) == len(insns) {
		return insns, labelAt, false
	}
	for l, at := range labelAt {
		labelAt[l] = newAt[at]
	}
	return out, labelAt, true
}
