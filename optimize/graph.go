package optimize

import (
	"fmt"
	"slices"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/link"
	"github.com/cbpfkit/cbpf/opcode"
)

// graph is the optimizer's form of a program: one node per instruction
// other than "ja" (a ja is only an edge), each with its successors by node
// index. Every edge goes to a higher index, as every jump of a classic
// program goes forward: the index order is a topological order, and no
// pass ever adds a node or an edge to a lower index, which keeps the graph
// acyclic and gives the weight (see weight) its meaning.
type graph struct {
	mode  Mode
	nodes []node
	entry int
	// noted collects, per pass name, how many changes it made (for
	// Report.Passes).
	noted map[string]int
	// vn numbers the expressions the analysis meets (value numbering).
	vn map[vnKey]uint32
	// size is Options.Size: passes may trade executed instructions for
	// fewer instructions.
	size bool
	// inRun is the eBPF instructions the input runs over the syscalls
	// of the arches it tests (ExecutedSeccomp), for layout; -1 unknown.
	// inLen is the input's length.
	inRun, inLen int
}

// noSucc marks a missing successor.
const noSucc = -1

// node is one instruction. Plain instructions have succ[0]; conditional
// jumps go to succ[0] when their condition holds, succ[1] when not;
// returns have none.
type node struct {
	op   opcode.Op
	k    uint32
	succ [2]int
	// credit says the path through this plain node's edge already paid
	// for a "ja" in the input (the input had one there, or a pass removed
	// an instruction from the edge), so that layout may put one there
	// without making any input run longer.
	credit bool
}

func (n *node) isCond() bool  { return n.op.IsCondJump() }
func (n *node) isRet() bool   { return n.op.IsReturn() }
func (n *node) isPlain() bool { return !n.isCond() && !n.isRet() }

// nsucc returns how many successors n has.
func (n *node) nsucc() int {
	switch {
	case n.isRet():
		return 0
	case n.isCond():
		return 2
	}
	return 1
}

// lift builds the graph of a valid program (checked by the caller).
func lift(prog []bpf.RawInstruction, mode Mode) (*graph, error) {
	n := len(prog)
	// final[pc] is where control really goes when it reaches pc: past
	// any chain of ja.
	final := make([]int, n+1)
	credit := make([]bool, n+1)
	final[n] = noSucc
	for pc := n - 1; pc >= 0; pc-- {
		final[pc] = pc
		if opcode.Op(prog[pc].Op) == opcode.Ja {
			t := pc + 1 + int(prog[pc].K)
			if t >= n || t <= pc {
				return nil, fmt.Errorf("optimize: ja at %d leaves the program", pc)
			}
			final[pc] = final[t]
			credit[pc] = true
		}
	}
	g := &graph{mode: mode, nodes: make([]node, n), noted: map[string]int{}, vn: map[vnKey]uint32{}, inRun: -1, inLen: len(prog)}
	for pc, ins := range prog {
		op := opcode.Op(ins.Op)
		nd := node{op: op, k: ins.K, succ: [2]int{noSucc, noSucc}}
		switch {
		case op == opcode.Ja:
			nd.op = opcode.Ja // a dead node: nothing points at it
		case op.IsCondJump():
			t, f := pc+1+int(ins.Jt), pc+1+int(ins.Jf)
			if t >= n || f >= n {
				return nil, fmt.Errorf("optimize: jump at %d leaves the program", pc)
			}
			nd.succ = [2]int{final[t], final[f]}
			nd.k = ins.K
			if op.Src() == opcode.X {
				nd.k = 0
			}
		case op.IsReturn():
		default:
			if pc+1 >= n {
				return nil, fmt.Errorf("optimize: instruction %d falls off the end", pc)
			}
			nd.succ[0] = final[pc+1]
			nd.credit = credit[pc+1]
		}
		g.nodes[pc] = nd
	}
	g.entry = final[0]
	return g, nil
}

// reachable marks the nodes a path from the entry reaches.
func (g *graph) reachable() []bool {
	seen := make([]bool, len(g.nodes))
	seen[g.entry] = true
	for i := g.entry; i < len(g.nodes); i++ {
		if !seen[i] {
			continue
		}
		nd := &g.nodes[i]
		for s := 0; s < nd.nsucc(); s++ {
			seen[nd.succ[s]] = true
		}
	}
	return seen
}

// preds returns, for each reachable node, its reachable predecessors
// (a node appears once per edge).
func (g *graph) preds(live []bool) [][]int {
	p := make([][]int, len(g.nodes))
	for i := range g.nodes {
		if !live[i] {
			continue
		}
		nd := &g.nodes[i]
		for s := 0; s < nd.nsucc(); s++ {
			p[nd.succ[s]] = append(p[nd.succ[s]], i)
		}
	}
	return p
}

// weight is the measure that every pass must strictly decrease: for each
// reachable node, 3 plus its rank (how far it is from a constant form:
// folding lowers it), plus for each edge how far its target is from the
// end. Removing a node, redirecting an edge to a later node and folding
// all lower it; nothing makes it negative.
func (g *graph) weight() int {
	live := g.reachable()
	n := len(g.nodes)
	w := n - g.entry
	for i := range g.nodes {
		if !live[i] {
			continue
		}
		nd := &g.nodes[i]
		w += 3 + rank(nd.op)
		for s := 0; s < nd.nsucc(); s++ {
			w += n - nd.succ[s]
		}
	}
	return w
}

// layout orders the reachable nodes and links them, and says how many
// "ja" trampolines link had to add for jumps out of reach. A plain node is
// followed by its successor whenever it can be (they form a chain); one
// whose successor is elsewhere gets a "ja". Chains are placed in a
// topological order that prefers, after a conditional jump, its false
// target then its true target (a jump with jf == 0 is the kernel's cheap
// form), then the lowest input position.
func (g *graph) layout() ([]bpf.RawInstruction, int, error) {
	// Placements of returns (copies where far jumps need them, or one at
	// the end, or each as soon as no jump to come needs it) and orders of
	// chains. Take the one that needs fewer trampolines (a trampoline
	// "ja" runs); then one no longer than the input; then, in seccomp
	// mode without Options.Size, one that runs no more eBPF instructions
	// than the input over the syscalls of the arches the filter tests
	// (ExecutedSeccomp); then the shorter; then the one that runs fewer
	// eBPF instructions; then the shorter in eBPF.
	type cand struct {
		prog     []bpf.RawInstruction
		jas, run int
	}
	speed := g.mode == Seccomp && !g.size && g.inRun >= 0
	better := func(a, b cand) bool {
		if a.jas != b.jas {
			return a.jas < b.jas
		}
		// One longer than the input would be thrown away (guard): one
		// that is not wins (review: a libseccomp filter lost its whole
		// optimization, 1102 -> 829, to a layout longer than 1102).
		if fa, fb := len(a.prog) <= g.inLen, len(b.prog) <= g.inLen; fa != fb {
			return fa
		}
		if speed && (a.run <= g.inRun) != (b.run <= g.inRun) {
			return a.run <= g.inRun
		}
		if len(a.prog) != len(b.prog) {
			return len(a.prog) < len(b.prog)
		}
		if a.run != b.run {
			return a.run < b.run
		}
		return Measure(a.prog, g.mode).EBPF < Measure(b.prog, g.mode).EBPF
	}
	var best *cand
	var firstErr error
	for _, v := range [][3]bool{{true, true}, {false, true}, {true, false}, {false, false},
		{true, true, true}, {false, true, true}, {true, false, true}, {false, false, true}} {
		prog, jas, err := g.layoutWith(v[0], v[1], v[2])
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		c := cand{prog: prog, jas: jas}
		if best != nil && slices.Equal(prog, best.prog) {
			continue
		}
		if g.mode == Seccomp {
			if e, err := ExecutedSeccomp(prog); err == nil {
				c.run = e.sumEBPF
			}
		}
		if best == nil || better(c, *best) {
			best = &c
		}
	}
	if best == nil {
		return nil, 0, firstErr
	}
	return best.prog, best.jas, nil
}

// layoutWith lays the graph out (see layout), with returns copied where
// far jumps need them when early is set, chains placed after the jump
// that leads to them when follow is set (else in input order), and a
// return placed as soon as no jump to come leads to it when done is set
// (else at the end). It also returns how many "ja" trampolines link
// inserted.
func (g *graph) layoutWith(early, follow, done bool) ([]bpf.RawInstruction, int, error) {
	live := g.reachable()
	preds := g.preds(live)
	n := len(g.nodes)
	// glued[i]: the plain predecessor that falls through into i, or -1.
	glued := make([]int, n)
	for i := range glued {
		glued[i] = -1
	}
	for i := range g.nodes {
		if !live[i] || i == g.entry {
			continue
		}
		// Prefer a predecessor without credit: it had no ja in the input.
		best := -1
		for _, p := range preds[i] {
			if !g.nodes[p].isPlain() {
				continue
			}
			if best < 0 || g.nodes[best].credit && !g.nodes[p].credit {
				best = p
			}
		}
		glued[i] = best
	}
	next := make([]int, n) // next[p]: the node glued after p, or -1
	for i := range next {
		next[i] = -1
	}
	for i, p := range glued {
		if p >= 0 {
			next[p] = i
		}
	}
	// Chains start at nodes nothing is glued to. A chain is ready when
	// every predecessor of each of its nodes, outside the chain, is
	// placed.
	head := make([]int, n)
	for i := range g.nodes {
		if live[i] && glued[i] < 0 {
			for j := i; j >= 0; j = next[j] {
				head[j] = i
			}
		}
	}
	waiting := make([]int, n) // per chain head: outside edges not yet placed
	for i := range g.nodes {
		if !live[i] {
			continue
		}
		for _, p := range preds[i] {
			if glued[i] != p {
				waiting[head[i]]++
			}
		}
	}
	var order []int
	ready := map[int]bool{g.entry: true}
	placedChain := func(h int) []int {
		var targets []int
		for j := h; j >= 0; j = next[j] {
			order = append(order, j)
			nd := &g.nodes[j]
			for s := 0; s < nd.nsucc(); s++ {
				t := nd.succ[s]
				if glued[t] == j {
					continue
				}
				waiting[head[t]]--
				if waiting[head[t]] == 0 {
					ready[head[t]] = true
				}
				targets = append(targets, head[t])
			}
		}
		return targets
	}
	var prefer []int
	for len(ready) > 0 {
		h := -1
		// Prefer the last chain's false target, then its true target.
		for i := len(prefer) - 1; follow && i >= 0; i-- {
			if ready[prefer[i]] {
				h = prefer[i]
				break
			}
		}
		if h < 0 {
			for r := range ready {
				if h < 0 || r < h {
					h = r
				}
			}
		}
		delete(ready, h)
		prefer = placedChain(h)
	}
	count := 0
	for i := range live {
		if live[i] {
			count++
		}
	}
	if len(order) != count || order[0] != g.entry {
		return nil, 0, fmt.Errorf("optimize: internal error: layout placed %d of %d nodes", len(order), count)
	}
	var b link.Builder
	labels := make([]link.Label, n)
	for _, i := range order {
		labels[i] = b.NewLabel()
	}
	// A return that is a chain of its own is emitted where the jumps to
	// it need it: a copy before the oldest jump not yet served would be
	// out of reach, and the rest at the end (link would otherwise copy it
	// after every far jump).
	standalone := func(i int) bool { return g.nodes[i].isRet() && glued[i] < 0 && i != g.entry }
	// Identical standalone returns (mergeTails keeps apart those whose
	// jumps might end up out of reach) share their copies: canon maps
	// each to the first of its kind.
	canon := make([]int, n)
	first := map[[2]uint32]int{}
	for i := range g.nodes {
		canon[i] = i
		if live[i] && standalone(i) {
			kk := [2]uint32{uint32(g.nodes[i].op), g.nodes[i].k}
			if f, ok := first[kk]; ok {
				canon[i] = f
			} else {
				first[kk] = i
			}
		}
	}
	cur := make(map[int]link.Label) // the copy of each return being collected
	since := make(map[int]int)      // where its oldest jump is
	var pendingOrder []int
	pos := 0
	target := func(t int) link.Label {
		if !standalone(t) {
			return labels[t]
		}
		t = canon[t]
		if _, ok := cur[t]; !ok {
			cur[t], since[t] = b.NewLabel(), pos
			pendingOrder = append(pendingOrder, t)
		}
		return cur[t]
	}
	// remaining[r]: the edges into return r from nodes not yet emitted.
	remaining := make([]int, n)
	for i := range g.nodes {
		if live[i] {
			for s := 0; s < g.nodes[i].nsucc(); s++ {
				remaining[canon[g.nodes[i].succ[s]]]++
			}
		}
	}
	lastF := -1 // the false target of the last instruction, a conditional jump
	flush := func(all bool, chainLen int) {
		// The false target of the jump just emitted first: jf == 0 is
		// the kernel's cheap form.
		for k, r := range pendingOrder {
			if r == lastF && k > 0 {
				copy(pendingOrder[1:k+1], pendingOrder[:k])
				pendingOrder[0] = r
				break
			}
		}
		var keep []int
		for _, r := range pendingOrder {
			// With done, a return no jump still to come leads to is
			// emitted now rather than at the end: no extra copy, and
			// the jump just emitted gets it as its next instruction.
			if all || done && remaining[r] == 0 || early && pos+chainLen-since[r] > opcode.MaxJump-16 {
				b.Mark(cur[r])
				b.Emit(g.nodes[r].op, g.nodes[r].k)
				pos++
				delete(cur, r)
				continue
			}
			keep = append(keep, r)
		}
		pendingOrder = keep
	}
	falls := false // the last instruction emitted falls through
	jas := 0       // the "ja" emitted here
	for k, i := range order {
		nd := &g.nodes[i]
		if standalone(i) {
			continue
		}
		if glued[i] < 0 && !falls {
			l := 0
			for j := i; j >= 0; j = next[j] {
				l++
			}
			flush(false, l)
		}
		b.Mark(labels[i])
		pos++
		falls = false
		lastF = -1
		for s := 0; s < nd.nsucc(); s++ {
			remaining[canon[nd.succ[s]]]--
		}
		if nd.isCond() {
			lastF = canon[nd.succ[1]]
		}
		switch {
		case nd.isRet():
			b.Emit(nd.op, nd.k)
		case nd.isCond():
			b.Jump(nd.op, nd.k, target(nd.succ[0]), target(nd.succ[1]))
		default:
			b.Emit(nd.op, nd.k)
			falls = true
			if t := nd.succ[0]; standalone(t) {
				// A copy of the return costs what a ja would, and
				// runs one instruction less.
				b.Emit(g.nodes[t].op, g.nodes[t].k)
				pos++
				falls = false
			} else if k+1 >= len(order) || order[k+1] != t {
				b.Ja(target(t))
				jas++
				pos++
				falls = false
			}
		}
	}
	flush(true, 0)
	prog, err := b.Link(link.Options{Layout: link.Compact})
	if err != nil {
		return nil, 0, err
	}
	for _, in := range prog {
		if opcode.Op(in.Op) == opcode.Ja {
			jas--
		}
	}
	return prog, -jas, nil
}

// rank is how many constant-propagation rewrites (foldConstants) an
// instruction can still undergo: each lowers it.
func rank(op opcode.Op) int {
	switch op.Class() {
	case opcode.LD, opcode.LDX:
		switch op.Mode() {
		case opcode.MEM:
			return 2 // to tax/txa, or to a constant
		case opcode.IND:
			return 1
		}
	case opcode.ALU:
		if op.ALUOp() != opcode.NEG && op.Src() == opcode.X {
			return 3 // to #k, to txa, or to a constant
		}
		return 2
	case opcode.JMP:
		if op.IsCondJump() && op.Src() == opcode.X {
			return 1
		}
	case opcode.RET:
		if op.RetSrc() != opcode.K {
			return 1
		}
	case opcode.MISC:
		return 1
	}
	return 0
}
