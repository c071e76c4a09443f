package link

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/opcode"
)

func (nd *node) isRet() bool { return opcode.Op(nd.ins.Op).IsReturn() }

// layoutCompact lays out the program for size and speed. A conditional
// jump reaches at most 255 instructions ahead; a farther target gets a
// trampoline right after the jump: a copy of the target when it is a
// return (no extra instruction executed), else a "ja" (32-bit offset).
// Trampolines are shared when one already sits within reach, and the
// process repeats, from the first jump out of reach, until every offset
// fits. Then the instructions nothing reaches are removed and the whole
// is laid out again, until nothing changes.
func layoutCompact(nodes []node, labelAt []int) ([]bpf.RawInstruction, error) {
	for i, nd := range nodes {
		if nd.kind == kRaw && opcode.Op(nd.ins.Op).IsJump() {
			return nil, &Error{Code: RawJump, Insn: i}
		}
	}
	insns := nodes
	for round := 0; ; round++ {
		if len(insns) > maxInsns {
			return nil, tooLong(insns)
		}
		fixed := true
		for pc := 0; pc < len(insns); pc++ {
			in := insns[pc]
			if in.kind != kCond {
				continue
			}
			for _, far := range [2]*int32{&in.t, &in.f} {
				target := labelAt[*far]
				if target-pc-1 <= maxJump {
					continue
				}
				if target <= pc {
					return nil, &Error{Code: Internal, Insn: int(in.src), Msg: fmt.Sprintf("backward jump at %d", pc)}
				}
				fixed = false
				// A trampoline to the same place within reach?
				if t := findTrampoline(insns, labelAt, pc, *far); t >= 0 {
					*far = int32(len(labelAt))
					labelAt = append(labelAt, t)
					continue
				}
				tramp := node{ins: bpf.RawInstruction{Op: uint16(opcode.Ja)}, kind: kJa, t: *far}
				if insns[target].isRet() {
					tramp = insns[target]
				}
				tramp.src = -1
				// Insert after the jump; labels at or after pc+1 move.
				insns = append(insns, node{})
				copy(insns[pc+2:], insns[pc+1:])
				insns[pc+1] = tramp
				for l, at := range labelAt {
					if at > pc {
						labelAt[l] = at + 1
					}
				}
				*far = int32(len(labelAt))
				labelAt = append(labelAt, pc+1)
			}
			insns[pc] = in
			if !fixed {
				break // offsets moved: start over
			}
		}
		if fixed {
			// Trampolines (and jumps threaded before linking) can leave
			// code that nothing reaches: remove it and lay out again
			// (offsets only shrink).
			var removed bool
			insns, labelAt, removed = dropUnreachable(insns, labelAt)
			if !removed {
				break
			}
			continue
		}
		if round > 3*maxInsns {
			return nil, &Error{Code: Internal, Insn: -1, Msg: "jump layout does not converge"}
		}
	}
	prog := make([]bpf.RawInstruction, len(insns))
	for pc, in := range insns {
		ins := in.ins
		switch in.kind {
		case kCond:
			jt, jf := labelAt[in.t]-pc-1, labelAt[in.f]-pc-1
			if jt < 0 || jf < 0 || jt > maxJump || jf > maxJump {
				return nil, &Error{Code: Internal, Insn: int(in.src), Msg: fmt.Sprintf("jump offsets %d, %d at %d", jt, jf, pc)}
			}
			ins.Jt, ins.Jf = uint8(jt), uint8(jf)
		case kJa:
			off := labelAt[in.t] - pc - 1
			if off < 0 {
				return nil, &Error{Code: Internal, Insn: int(in.src), Msg: fmt.Sprintf("backward ja at %d", pc)}
			}
			ins.K = uint32(off)
		}
		prog[pc] = ins
	}
	if len(prog) > maxInsns {
		return nil, tooLong(insns)
	}
	return prog, nil
}

// tooLong blames the first source instruction from maxInsns on.
func tooLong(insns []node) error {
	e := &Error{Code: TooLong, Insn: -1, Len: len(insns)}
	for _, in := range insns[maxInsns:] {
		if in.src >= 0 {
			e.Insn = int(in.src)
			break
		}
	}
	return e
}

// findTrampoline returns the index of an instruction after pc and within
// a conditional jump's reach that continues exactly like label slot l (a
// ja to the same place, or a copy of the return there), or -1.
func findTrampoline(insns []node, labelAt []int, pc int, l int32) int {
	target := &insns[labelAt[l]]
	ret := target.isRet()
	for t := pc + 1; t <= pc+maxJump+1 && t < len(insns); t++ {
		in := &insns[t]
		if in.kind == kJa && labelAt[in.t] == labelAt[l] {
			return t
		}
		if ret && in.isRet() && in.ins == target.ins {
			return t
		}
	}
	return -1
}

// dropUnreachable removes instructions no path from the first reaches.
func dropUnreachable(insns []node, labelAt []int) ([]node, []int, bool) {
	seen := make([]bool, len(insns)+1)
	seen[0] = true
	for pc := range insns {
		if !seen[pc] {
			continue
		}
		switch in := &insns[pc]; {
		case in.isRet():
		case in.kind == kJa:
			seen[labelAt[in.t]] = true
		case in.kind == kCond:
			seen[labelAt[in.t]] = true
			seen[labelAt[in.f]] = true
		default:
			seen[pc+1] = true
		}
	}
	newAt := make([]int, len(insns)+1)
	var out []node
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
