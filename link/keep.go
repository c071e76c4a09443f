package link

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/opcode"
)

// How one side (true, false) of a conditional jump reaches its target in
// the Keep layout.
const (
	eDirect = iota // an 8-bit offset reaches it
	eBorrow        // through the trampoline of item lender, a later jump to the same target
	eOwn           // through a trampoline right after the jump
)

type edge struct {
	state  uint8
	lender int32
}

// layoutKeep lays out the program keeping every instruction in order.
//
// Each side of a conditional jump reaches its target directly, through a
// trampoline of its own placed right after the jump, or through a later
// jump's trampoline to the same target when that one is within 255 (so a
// run of jumps to one far target shares trampolines). Trampolines are
// only ever added, so distances only grow: "far" and "own" never revert,
// and the loop reaches a fixed point.
func layoutKeep(nodes []node, labelAt []int) ([]bpf.RawInstruction, error) {
	n := len(nodes)
	// tgt[i] are the instruction indexes item i's sides go to.
	tgt := make([][2]int, n)
	for i, nd := range nodes {
		switch nd.kind {
		case kCond:
			tgt[i] = [2]int{labelAt[nd.t], labelAt[nd.f]}
		case kJa:
			tgt[i][0] = labelAt[nd.t]
		}
	}
	edges := make([][2]edge, n)
	// owned lists the targets of the trampolines right after item i, in
	// order: the true side's first.
	owned := func(i int) (list [2]int, k int) {
		e := &edges[i]
		if e[0].state == eOwn {
			list[k], k = tgt[i][0], k+1
		}
		if e[1].state == eOwn && (e[0].state != eOwn || tgt[i][1] != tgt[i][0]) {
			list[k], k = tgt[i][1], k+1
		}
		return list, k
	}
	tramps := func(i int) int { _, k := owned(i); return k }
	pos := make([]int, n+1)
	place := func() {
		at := 0
		for i := range n {
			pos[i] = at
			at += 1 + tramps(i)
		}
		pos[n] = at
	}
	// trampAt is where item j's trampoline to target sits, or -1.
	trampAt := func(j, target int) int {
		list, k := owned(j)
		for s := range k {
			if list[s] == target {
				return pos[j] + 1 + s
			}
		}
		return -1
	}
	// nearest[target] is the nearest later item owning a trampoline to
	// target, valid when seen[target] == round.
	nearest := make([]int, n+1)
	seen := make([]int, n+1)
	for round, changed := 1, true; changed; round++ {
		changed = false
		place()
		for i := n - 1; i >= 0; i-- {
			if nodes[i].kind != kCond {
				continue
			}
			for side, target := range tgt[i] {
				e := &edges[i][side]
				if e.state == eDirect {
					if pos[target]-pos[i]-1 <= maxJump {
						continue
					}
					e.state = eBorrow
				}
				if e.state != eBorrow {
					continue
				}
				if side == 1 && target == tgt[i][0] && edges[i][0].state == eOwn {
					e.state = eOwn // the true side's trampoline serves both
					continue
				}
				if j := nearest[target]; seen[target] == round {
					if at := trampAt(j, target); at >= 0 && at-pos[i]-1 <= maxJump {
						e.lender = int32(j)
						continue
					}
				}
				e.state, changed = eOwn, true
			}
			list, k := owned(i)
			for s := range k {
				nearest[list[s]], seen[list[s]] = i, round
			}
		}
	}
	total := pos[n]
	if total > maxInsns {
		for i := range n {
			if pos[i]+1+tramps(i) > maxInsns {
				return nil, &Error{Code: TooLong, Insn: i, Len: total}
			}
		}
	}

	// Raw jumps count output instructions: a trampoline inside their span
	// would silently change where they land.
	for i, nd := range nodes {
		if nd.kind != kRaw || !opcode.Op(nd.ins.Op).IsJump() {
			continue
		}
		offs := [3]uint64{uint64(nd.ins.Jt), uint64(nd.ins.Jf), 0}
		if opcode.Op(nd.ins.Op).JumpOp() == opcode.JA {
			offs[2] = uint64(nd.ins.K)
		}
		for _, off := range offs {
			end := min(uint64(i)+1+off, uint64(n)) // first item not jumped over
			if pos[end]-pos[i] != int(end)-i {
				return nil, &Error{Code: RawSpan, Insn: i}
			}
		}
	}

	out := make([]bpf.RawInstruction, 0, total)
	for i, nd := range nodes {
		ins := nd.ins
		switch nd.kind {
		case kJa:
			ins.K = uint32(pos[tgt[i][0]] - pos[i] - 1)
		case kCond:
			var off [2]int
			for side, target := range tgt[i] {
				switch e := edges[i][side]; e.state {
				case eDirect:
					off[side] = pos[target] - pos[i] - 1
				case eOwn:
					off[side] = trampAt(i, target) - pos[i] - 1
				case eBorrow:
					off[side] = trampAt(int(e.lender), target) - pos[i] - 1
				}
				if off[side] < 0 || off[side] > maxJump {
					// Unreachable by construction; never truncate an offset.
					return nil, &Error{Code: Internal, Insn: i, Msg: fmt.Sprintf("jump offset %d out of range", off[side])}
				}
			}
			ins.Jt, ins.Jf = uint8(off[0]), uint8(off[1])
		}
		out = append(out, ins)
		list, k := owned(i)
		for s := range k {
			at := pos[i] + 1 + s
			out = append(out, bpf.RawInstruction{Op: uint16(opcode.Ja), K: uint32(pos[list[s]] - at - 1)})
		}
	}
	return out, nil
}
