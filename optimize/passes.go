package optimize

import (
	"sort"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/pass"
)

// passes is the optimizer's pass list, run to a fixed point: each pass
// strictly lowers graph.weight when it changes the graph, which bounds
// the number of sweeps (package pass checks it).
var passes = pass.List[*graph]{
	{Name: "unreachable", Run: dropUnreachable},
	{Name: "fold", Run: foldConstants},
	{Name: "thread", Run: threadJumps},
	{Name: "dead code", Run: dropDeadCode},
	{Name: "merge tails", Run: mergeTails},
}

// passNames are the names of the passes, in order.
func passNames() []string {
	var names []string
	for _, p := range passes {
		names = append(names, p.Name)
	}
	for _, p := range peepholes {
		names = append(names, p.Name)
	}
	return names
}

// dropUnreachable forgets the nodes no path from the entry reaches (they
// would only be dropped by layout; forgetting them here keeps the
// predecessors that other passes count exact).
func dropUnreachable(g *graph) bool {
	live := g.reachable()
	changed := 0
	for i := range g.nodes {
		nd := &g.nodes[i]
		if !live[i] && nd.op != opcode.Ja {
			*nd = node{op: opcode.Ja, succ: [2]int{noSucc, noSucc}}
			changed++
		}
	}
	g.noted["unreachable"] += changed
	return false // the weight counts reachable nodes only: nothing changed
}

// foldConstants turns instructions whose operands are known constants
// into constant forms: an ALU instruction whose result is known into a
// load of it, an operand X known to be c into #c (ALU, jumps, returns;
// tax/txa into loads of the constant), a load of a scratch word holding
// a constant into a load of it, an indirect packet load at a known
// offset into an absolute one, and a division or modulo by X known to be
// 0 into "ret #0" (what the kernel does). Each lowers the node's rank.
func foldConstants(g *graph) bool {
	in := g.analyze()
	changed := 0
	for i := range g.nodes {
		s, nd := in[i], &g.nodes[i]
		if s == nil || s.dead {
			continue
		}
		op := nd.op
		xc := s.x.kind == vConst
		before := *nd
		switch op.Class() {
		case opcode.ALU:
			if c, ok := g.fold(s, i); ok {
				nd.op, nd.k = opcode.LdImm, c
				break
			}
			if _, ok := g.copiesX(s, i); ok {
				nd.op, nd.k = opcode.MISC|opcode.TXA, 0
				break
			}
			if op.ALUOp() == opcode.NEG || op.Src() != opcode.X || !xc {
				break
			}
			switch x := s.x.k; op.ALUOp() {
			case opcode.DIV, opcode.MOD:
				if x == 0 {
					*nd = node{op: opcode.RetK, succ: [2]int{noSucc, noSucc}}
				} else {
					nd.op, nd.k = op.ALUOp()|opcode.ALU|opcode.K, x
				}
			case opcode.LSH, opcode.RSH:
				nd.op, nd.k = op.ALUOp()|opcode.ALU|opcode.K, x&31
			default:
				nd.op, nd.k = op.ALUOp()|opcode.ALU|opcode.K, x
			}
		case opcode.JMP:
			if op.IsCondJump() && op.Src() == opcode.X && xc {
				nd.op, nd.k = op&^opcode.X, s.x.k
			}
		case opcode.RET:
			switch {
			case op.RetSrc() == opcode.A && s.a.kind == vConst:
				nd.op, nd.k = opcode.RetK, s.a.k
			case op.RetSrc() == opcode.X && xc:
				nd.op, nd.k = opcode.RetK, s.x.k
			}
		case opcode.MISC:
			switch {
			case op.MiscOp() == opcode.TAX && s.a.kind == vConst:
				nd.op, nd.k = opcode.LdxImm, s.a.k
			case op.MiscOp() == opcode.TXA && xc:
				nd.op, nd.k = opcode.LdImm, s.x.k
			}
		case opcode.LD, opcode.LDX:
			switch op.Mode() {
			case opcode.MEM:
				v := g.loadValue(s, i)
				switch {
				case v.kind == vConst:
					nd.op, nd.k = op.Class()|opcode.IMM, v.k
				case op.Class() == opcode.LDX && same(v, s.a):
					nd.op, nd.k = opcode.MISC|opcode.TAX, 0 // the word holds A
				case op.Class() == opcode.LD && same(v, s.x):
					nd.op, nd.k = opcode.MISC|opcode.TXA, 0
				}
			case opcode.IND:
				// [x + k] is [x+k] when the sum is a plain offset: an
				// absolute load at a negative offset means something
				// else (ancillary data, header-relative loads).
				if sum := uint64(s.x.k) + uint64(nd.k); xc && sum < 0x80000000 {
					nd.op, nd.k = op.Class()|op.Size()|opcode.ABS, uint32(sum)
				}
			}
		}
		if *nd != before {
			changed++
		}
	}
	g.noted["fold"] += changed
	return changed > 0
}

// noop reports whether node i does nothing in state s: a load of what the
// register already holds (in packet mode such a load cannot fail: the
// same load already succeeded on the path), a store of what the word
// already holds, a tax/txa between registers already equal, or a
// conditional jump whose targets are one. It returns where control goes
// instead.
func (g *graph) noop(s *state, i int) (int, bool) {
	nd := &g.nodes[i]
	switch op := nd.op; op.Class() {
	case opcode.JMP:
		if nd.isCond() && nd.succ[0] == nd.succ[1] {
			return nd.succ[0], true
		}
		if nd.isCond() {
			if d := g.decide(s, i); d >= 0 {
				return nd.succ[d], true
			}
		}
	case opcode.LD:
		if same(s.a, g.loadValue(s, i)) {
			return nd.succ[0], true
		}
	case opcode.LDX:
		if same(s.x, g.loadValue(s, i)) {
			return nd.succ[0], true
		}
	case opcode.ST:
		if nd.k < opcode.MemWords && same(s.m[nd.k], s.a) {
			return nd.succ[0], true
		}
	case opcode.STX:
		if nd.k < opcode.MemWords && same(s.m[nd.k], s.x) {
			return nd.succ[0], true
		}
	case opcode.MISC:
		if same(s.a, s.x) {
			return nd.succ[0], true
		}
	case opcode.ALU:
		if g.identity(s, i) {
			return nd.succ[0], true
		}
	}
	return 0, false
}

// threadJumps sends each edge past the nodes that do nothing on it: a
// conditional jump that an earlier test on the path (or a constant)
// decides, a load of a value the register already holds, and the like
// (see noop). The state on the edge is the one the analysis computed for
// its source, so what is skipped depends on the path, not only on what
// holds at the join. It also skips nodes that do something, when they
// cannot fail and nothing reads what they define from where the edge
// lands (typically a load whose only use is a jump the path decides).
func threadJumps(g *graph) bool {
	in := g.analyze()
	_, liveIn := g.liveness(in)
	changed := false
	// stale: from here on the states of in may be wrong (an edge skipped
	// nodes whose results are dead where it lands, so the registers
	// there no longer hold what the analysis says).
	stale := len(g.nodes)
	follow := func(s *state, t int) (int, bool) {
		best, lossy := t, false
		s0 := s
		var defs uint32
		faulty := false
		cur := t
		for steps := 0; cur != noSucc && steps < 256; steps++ {
			if next, ok := g.noop(s, cur); ok {
				cur = next
			} else {
				nd := &g.nodes[cur]
				if !nd.isPlain() {
					break
				}
				_, def, removable := g.usesDefs(cur)
				if !removable && !g.safeLoad(s, cur) {
					if !g.mayFault(cur) {
						break
					}
					// A load that may fail ends the run with 0: it may
					// be skipped only on the way to "ret #0".
					faulty = true
				}
				defs |= def
				s = g.transfer(s, cur)
				cur = nd.succ[0]
			}
			if cur == noSucc || faulty && (g.nodes[cur].op != opcode.RetK || g.nodes[cur].k != 0) {
				continue
			}
			// What the skipped nodes defined must be dead where the edge
			// lands, or hold there what it holds without them.
			if differ(s0, s, defs)&liveIn[cur] == 0 {
				best, lossy = cur, defs != 0
			}
		}
		if lossy {
			stale = min(stale, best)
		}
		return best, best != t
	}
	if t, ok := follow(initial(), g.entry); ok {
		g.entry, changed = t, true
		g.noted["thread"]++
	}
	for i := range g.nodes {
		if i >= stale {
			break
		}
		s, nd := in[i], &g.nodes[i]
		if s == nil || s.dead {
			continue
		}
		switch {
		case nd.isRet():
		case nd.isCond():
			for side := 0; side < 2; side++ {
				es := g.branch(s, i, side)
				if es.dead {
					continue
				}
				if t, ok := follow(es, nd.succ[side]); ok {
					nd.succ[side], changed = t, true
					g.noted["thread"]++
				}
			}
		default:
			if t, ok := follow(g.transfer(s, i), nd.succ[0]); ok {
				nd.succ[0], nd.credit, changed = t, true, true
				g.noted["thread"]++
			}
		}
	}
	return changed
}

// Liveness bits: A, X, then M[0..15].
const (
	liveA = 1 << iota
	liveX
	liveM0
)

// uses and defs of a node, as liveness bits; removable says whether the
// node may be dropped when nothing reads what it defines (it cannot fail
// and has no other effect).
func (g *graph) usesDefs(i int) (use, def uint32, removable bool) {
	nd := &g.nodes[i]
	op := nd.op
	mem := func() uint32 {
		if nd.k < opcode.MemWords {
			return liveM0 << nd.k
		}
		return 0
	}
	switch op.Class() {
	case opcode.LD:
		def = liveA
		switch op.Mode() {
		case opcode.IMM, opcode.LEN:
			removable = true
		case opcode.MEM:
			use, removable = mem(), true
		case opcode.ABS:
			if !pureLoad(nd.k) {
				// Ancillary loads may read A and X (A ^= X, nlattr).
				use = liveA | liveX
			}
			removable = g.mode == Seccomp // a packet load may fail
		case opcode.IND:
			use = liveX
		}
	case opcode.LDX:
		def = liveX
		switch op.Mode() {
		case opcode.IMM, opcode.LEN:
			removable = true
		case opcode.MEM:
			use, removable = mem(), true
		}
	case opcode.ST:
		use, def, removable = liveA, mem(), true
	case opcode.STX:
		use, def, removable = liveX, mem(), true
	case opcode.ALU:
		use, def = liveA, liveA
		removable = true
		if op.ALUOp() != opcode.NEG && op.Src() == opcode.X {
			use |= liveX
			if a := op.ALUOp(); a == opcode.DIV || a == opcode.MOD {
				removable = false // X may be 0, which ends the run
			}
		}
	case opcode.MISC:
		if op.MiscOp() == opcode.TAX {
			use, def = liveA, liveX
		} else {
			use, def = liveX, liveA
		}
		removable = true
	case opcode.JMP:
		if nd.isCond() {
			use = liveA
			if op.Src() == opcode.X {
				use |= liveX
			}
		}
	case opcode.RET:
		switch op.RetSrc() {
		case opcode.A:
			use = liveA
		case opcode.X:
			use = liveX
		}
	}
	return use, def, removable
}

// differ returns the registers and words among defs whose values differ
// between states a and b.
func differ(a, b *state, defs uint32) uint32 {
	var d uint32
	if defs&liveA != 0 && !same(a.a, b.a) {
		d |= liveA
	}
	if defs&liveX != 0 && !same(a.x, b.x) {
		d |= liveX
	}
	for i := range a.m {
		if bit := uint32(liveM0) << i; defs&bit != 0 && !same(a.m[i], b.m[i]) {
			d |= bit
		}
	}
	return d
}

// mayFault reports whether a plain node may end the run with 0 but does
// nothing else that matters: a packet load (other than an ancillary one,
// which reads A and X) or a division by X.
func (g *graph) mayFault(i int) bool {
	nd := &g.nodes[i]
	switch op := nd.op; op.Class() {
	case opcode.LD:
		return op.Mode() == opcode.ABS && pureLoad(nd.k) || op.Mode() == opcode.IND
	case opcode.LDX:
		return op.Mode() == opcode.MSH
	case opcode.ALU:
		return op.DividesByX()
	}
	return false
}

// liveness returns what is live after and before each reachable node.
func (g *graph) liveness(states []*state) (out, in []uint32) {
	n := len(g.nodes)
	out, in = make([]uint32, n), make([]uint32, n)
	for i := n - 1; i >= 0; i-- {
		if states[i] == nil {
			continue
		}
		nd := &g.nodes[i]
		var o uint32
		for s := 0; s < nd.nsucc(); s++ {
			o |= in[nd.succ[s]]
		}
		out[i] = o
		use, def, _ := g.usesDefs(i)
		in[i] = o&^def | use
	}
	return out, in
}

// dropDeadCode removes stores to scratch words no path reads before
// overwriting them, and loads and computations whose register is not
// read, where removing them cannot change a result (packet loads, which
// may fail, and divisions by X stay).
func dropDeadCode(g *graph) bool {
	live := g.reachable()
	states := g.analyze()
	n := len(g.nodes)
	out, _ := g.liveness(states)
	dead := make([]bool, n)
	any := false
	for i := range g.nodes {
		if !live[i] || !g.nodes[i].isPlain() {
			continue
		}
		_, def, removable := g.usesDefs(i)
		if !removable && states[i] != nil && g.safeLoad(states[i], i) {
			removable = true // a packet load that cannot fail
		}
		if removable && def != 0 && out[i]&def == 0 {
			dead[i], any = true, true
		}
	}
	// Then the loads that only check the packet's length, when every path
	// on checks as far before returning anything but 0. The loads going
	// for the reason above are not counted as checks: one dropped because
	// an earlier load proved it in bounds cannot in turn be what proves
	// that earlier load redundant (review: "ld [30]; ldh [32]" both went).
	// Loads dropped here may count for each other: each relies on one
	// further on, so the last of a chain stays.
	checked := g.checkedAhead(dead)
	for i := range g.nodes {
		if !live[i] || !g.nodes[i].isPlain() || dead[i] {
			continue
		}
		_, def, _ := g.usesDefs(i)
		if e, ok := g.absEnd(i); ok && def != 0 && out[i]&def == 0 && e <= checked[g.nodes[i].succ[0]] {
			dead[i], any = true, true
		}
	}
	if !any {
		return false
	}
	// Send every edge past the dead nodes (in chains of them).
	skip := func(t int) int {
		for t != noSucc && dead[t] {
			t = g.nodes[t].succ[0]
		}
		return t
	}
	g.entry = skip(g.entry)
	for i := range g.nodes {
		if !live[i] || dead[i] {
			continue
		}
		nd := &g.nodes[i]
		for s := 0; s < nd.nsucc(); s++ {
			if t := skip(nd.succ[s]); t != nd.succ[s] {
				nd.succ[s] = t
				if nd.isPlain() {
					nd.credit = true
				}
			}
		}
	}
	for i := range dead {
		if dead[i] {
			g.noted["dead code"]++
		}
	}
	return true
}

// absEnd returns where an absolute packet load (of the packet itself,
// not an ancillary field) ends, in packet mode: it fails, ending the run
// with 0, on a shorter packet (loadEnd, for "ld" only).
func (g *graph) absEnd(i int) (uint64, bool) {
	nd := &g.nodes[i]
	if g.mode != Packet || nd.op.Mode() != opcode.ABS {
		return 0, false
	}
	end, ok := loadEnd(nd)
	return uint64(end), ok
}

// checkedAhead returns, for each node, a length every path from it
// checks before it returns anything but 0: every such path runs an
// absolute load ending at least there (not counting the nodes skip
// marks). A packet shorter than that makes every path from the node
// return 0. (A path to "ret #0" counts as checking any length.)
func (g *graph) checkedAhead(skip []bool) []uint64 {
	const all = ^uint64(0)
	n := len(g.nodes)
	c := make([]uint64, n+1)
	at := func(t int) uint64 {
		if t == noSucc {
			return 0
		}
		return c[t]
	}
	for i := n - 1; i >= 0; i-- {
		nd := &g.nodes[i]
		switch {
		case nd.op == opcode.RetK && nd.k == 0:
			c[i] = all
		case nd.isRet():
			c[i] = 0
		case nd.isCond():
			c[i] = min(at(nd.succ[0]), at(nd.succ[1]))
		default:
			c[i] = at(nd.succ[0])
			if e, ok := g.absEnd(i); ok && !skip[i] {
				c[i] = max(c[i], e)
			}
		}
	}
	return c[:n]
}

// mergeTails shares identical code: two nodes with the same instruction
// and equivalent successors are one. Classes of equivalent nodes are
// found from the end (the successors' classes first), so whole identical
// tails merge, returns first; the member with the highest index stays
// (every edge still goes forward). Without Options.Size a class is merged
// only where layout can still let every path fall through as before: the
// node kept ends up with at most one plain predecessor (after merging)
// that had no "ja" in the input.
func mergeTails(g *graph) bool {
	live := g.reachable()
	preds := g.preds(live)
	n := len(g.nodes)
	type key struct {
		op   opcode.Op
		k    uint32
		t, f int
	}
	class := make([]int, n) // node -> class representative (highest index)
	ids := map[key]int{}
	cls := func(t int) int {
		if t == noSucc {
			return noSucc
		}
		return class[t]
	}
	members := map[int][]int{}
	for i := n - 1; i >= 0; i-- {
		if !live[i] {
			continue
		}
		nd := &g.nodes[i]
		kk := key{nd.op, nd.k, cls(nd.succ[0]), cls(nd.succ[1])}
		if r, ok := ids[kk]; ok {
			class[i] = r
		} else {
			ids[kk], class[i] = i, i
		}
		members[class[i]] = append(members[class[i]], i)
	}
	// Decide, representatives in increasing order (predecessors first).
	var reps []int
	for r, ms := range members {
		if len(ms) > 1 {
			reps = append(reps, r)
		}
	}
	sort.Ints(reps)
	merged := map[int]bool{}
	for _, r := range reps {
		ms := members[r]
		ok := true
		fall := map[int]bool{} // the plain predecessors, by what they become
		extra := 0
		for _, m := range ms {
			if m == g.entry {
				extra++
			}
			for _, p := range preds[m] {
				if r-p > opcode.MaxJump*3/4 {
					ok = false
				}
				if pn := &g.nodes[p]; pn.isPlain() && !pn.credit {
					if merged[class[p]] {
						fall[class[p]] = true
					} else {
						fall[p] = true
					}
				}
			}
		}
		if !g.size && len(fall)+extra > 1 {
			ok = false
		}
		if ok {
			merged[r] = true
		}
	}
	changed := false
	for _, r := range reps {
		if !merged[r] {
			continue
		}
		credit := true
		for _, m := range members[r] {
			credit = credit && g.nodes[m].credit
		}
		g.nodes[r].credit = credit
		for _, m := range members[r] {
			if m == r {
				continue
			}
			for _, p := range preds[m] {
				pn := &g.nodes[p]
				for s := 0; s < pn.nsucc(); s++ {
					if pn.succ[s] == m {
						pn.succ[s] = r
					}
				}
			}
			if g.entry == m {
				g.entry = r
			}
			changed = true
			g.noted["merge tails"]++
		}
	}
	return changed
}

// peepholes are rewrites that do not lower graph.weight (they add an
// edge), run between fixed points of passes. Each one lowers the number
// of ALU nodes, which nothing else raises: the alternation ends.
var peepholes = pass.List[*graph]{
	{Name: "and to jset", Run: andToJset},
	{Name: "group tests", Run: groupTests},
	{Name: "fold offsets", Run: foldOffsets},
}

// andToJset turns "and #k" followed by a test of A against 0 into "jset
// #k" when nothing reads A after the test (A & k != 0 is jset's
// condition), and "add/sub/xor #k" followed by "jeq #c" into one "jeq".
func andToJset(g *graph) bool {
	states := g.analyze()
	_, liveIn := g.liveness(states)
	changed := false
	for i := range g.nodes {
		nd := &g.nodes[i]
		if states[i] == nil || nd.op.Class() != opcode.ALU {
			continue
		}
		c := &g.nodes[nd.succ[0]]
		if !c.isCond() || c.op.Src() != opcode.K || liveIn[c.succ[0]]&liveA != 0 || liveIn[c.succ[1]]&liveA != 0 {
			continue
		}
		if nd.op == opcode.ALU|opcode.SUB|opcode.X && c.op.JumpOp() == opcode.JEQ && c.k == 0 {
			// A - x == 0 is A == x.
			nd.op, nd.k, nd.succ = opcode.JMP|opcode.JEQ|opcode.X, 0, c.succ
			changed = true
			g.noted["and to jset"]++
			continue
		}
		if nd.op.Src() != opcode.K {
			continue
		}
		if c.op.JumpOp() == opcode.JEQ {
			// A op k == c, for op one-to-one: A == c', one test.
			cc, ok := uint32(0), true
			switch nd.op.ALUOp() {
			case opcode.ADD:
				cc = c.k - nd.k
			case opcode.SUB:
				cc = c.k + nd.k
			case opcode.XOR:
				cc = c.k ^ nd.k
			default:
				ok = false
			}
			if ok {
				nd.op, nd.k, nd.succ = opcode.JMP|opcode.JEQ|opcode.K, cc, c.succ
				changed = true
				g.noted["and to jset"]++
				continue
			}
		}
		if nd.op.ALUOp() != opcode.AND {
			continue
		}
		var nz, z int // where A & k != 0 goes, and where 0 goes
		switch {
		case c.op.JumpOp() == opcode.JEQ && c.k == 0:
			nz, z = c.succ[1], c.succ[0]
		case c.op.JumpOp() == opcode.JEQ && c.k == nd.k && nd.k&(nd.k-1) == 0:
			// A & bit == bit: the bit is set.
			nz, z = c.succ[0], c.succ[1]
		case c.op.JumpOp() == opcode.JGT && c.k == 0, c.op.JumpOp() == opcode.JGE && c.k == 1:
			nz, z = c.succ[0], c.succ[1]
		case c.op.JumpOp() == opcode.JSET && c.k&nd.k == nd.k:
			// jset #m after and #k: (A&k)&m != 0 is A&k != 0 when k ⊆ m.
			nz, z = c.succ[0], c.succ[1]
		default:
			continue
		}
		nd.op, nd.succ = opcode.JMP|opcode.JSET|opcode.K, [2]int{nz, z}
		changed = true
		g.noted["and to jset"]++
	}
	return changed
}

// testElem is one test of a chain groupTests reorders: an optional load
// of A, then a conditional jump on A (holding v) against a constant.
type testElem struct {
	v    value
	ld   int // the load node, or -1
	cond int
}

// groupTests reorders a chain of tests that all go to one target T when
// they hold (an "or" of comparisons; or all go to T when they fail, an
// "and"), so that the tests of one value come together and it is loaded
// once: "[54] = 1 or [56] = 1 or [54] = 2 or [56] = 2" becomes "[54] in
// {1, 2} or [56] in {1, 2}". Only the part of the chain after every value
// has been loaded once is reordered, so no load moves ahead of a test it
// followed and a load that may fail fails where it did. It needs A dead
// at T and where the chain ends (which test sends the run to T, or which
// value A last held, may change), and each node of the chain to have the
// one predecessor before it. A reordered run may test more before it
// reaches T: packet mode only, or with Options.Size.
func groupTests(g *graph) bool {
	if g.mode == Seccomp && !g.size {
		return false
	}
	states := g.analyze()
	_, liveIn := g.liveness(states)
	live := g.reachable()
	preds := g.preds(live)
	block := func(i int) (testElem, bool) {
		e := testElem{ld: -1}
		nd := &g.nodes[i]
		if nd.op.Class() == opcode.LD {
			switch nd.op.Mode() {
			case opcode.ABS, opcode.IND, opcode.MEM, opcode.IMM, opcode.LEN:
			default:
				return e, false
			}
			if nd.op.Mode() == opcode.ABS && !pureLoad(nd.k) {
				return e, false
			}
			e.ld = i
			i = nd.succ[0]
			if len(preds[i]) != 1 {
				return e, false
			}
			nd = &g.nodes[i]
		}
		if !nd.isCond() || nd.op.Src() != opcode.K || states[i] == nil || !states[i].a.known() {
			return e, false
		}
		e.cond, e.v = i, states[i].a
		return e, true
	}
	changed := false
	done := make([]bool, len(g.nodes))
	for h := range g.nodes {
		if !live[h] || done[h] {
			continue
		}
		first, ok := block(h)
		if !ok {
			continue
		}
		for tSide := 0; tSide < 2; tSide++ {
			T := g.nodes[first.cond].succ[tSide]
			chain := []testElem{first}
			for {
				next := g.nodes[chain[len(chain)-1].cond].succ[1-tSide]
				if next == T || len(preds[next]) != 1 {
					break
				}
				e, ok := block(next)
				if !ok || g.nodes[e.cond].succ[tSide] != T {
					break
				}
				chain = append(chain, e)
			}
			if g.regroup(chain, T, tSide, liveIn) {
				changed = true
				g.noted["group tests"]++
				for _, e := range chain {
					done[e.cond] = true
				}
				break
			}
		}
	}
	return changed
}

// regroup rewrites the reorderable part of a chain found by groupTests,
// when that saves loads, in the chain's own node slots.
func (g *graph) regroup(chain []testElem, T, tSide int, liveIn []uint32) bool {
	if len(chain) < 3 {
		return false
	}
	exit := g.nodes[chain[len(chain)-1].cond].succ[1-tSide]
	if liveIn[T]&liveA != 0 || liveIn[exit]&liveA != 0 {
		return false
	}
	// p: the last test whose value the chain has not tested before.
	seen := map[value]bool{}
	p := 0
	for i, e := range chain {
		if !seen[e.v] {
			seen[e.v], p = true, i
		}
	}
	suffix := chain[p+1:]
	if len(suffix) < 2 {
		return false
	}
	// Groups in order: A's value at the start of the suffix first.
	order := []value{chain[p].v}
	byValue := map[value][]testElem{}
	for _, e := range suffix {
		if len(byValue[e.v]) == 0 && e.v != chain[p].v {
			order = append(order, e.v)
		}
		byValue[e.v] = append(byValue[e.v], e)
	}
	var slots []int
	oldLoads := 0
	for _, e := range suffix {
		if e.ld >= 0 {
			slots = append(slots, e.ld)
			oldLoads++
		}
		slots = append(slots, e.cond)
	}
	if len(order)-1 >= oldLoads {
		return false
	}
	// The loads to emit: one per group but the first, copied from a
	// load of that value in the suffix.
	loadOf := map[value]node{}
	for _, e := range suffix {
		if e.ld >= 0 {
			if _, ok := loadOf[e.v]; !ok {
				loadOf[e.v] = g.nodes[e.ld]
			}
		}
	}
	var seq []node
	for gi, v := range order {
		if gi > 0 {
			ld, ok := loadOf[v]
			if !ok {
				return false
			}
			seq = append(seq, ld)
		}
		for _, e := range byValue[v] {
			seq = append(seq, g.nodes[e.cond])
		}
	}
	sort.Ints(slots)
	if len(seq) > len(slots) || slots[0] <= chain[p].cond {
		return false
	}
	for k, nd := range seq {
		next := exit
		if k+1 < len(seq) {
			next = slots[k+1]
		}
		if nd.isCond() {
			nd.succ[tSide], nd.succ[1-tSide] = T, next
		} else {
			nd.succ[0], nd.credit = next, true
		}
		g.nodes[slots[k]] = nd
	}
	for _, sl := range slots[len(seq):] {
		g.nodes[sl] = node{op: opcode.Ja, succ: [2]int{noSucc, noSucc}}
	}
	g.nodes[chain[p].cond].succ[1-tSide] = slots[0]
	return true
}

// foldOffsets turns "ld #c; add x; tax; ld [x + k]" into "ld [x + k+c]"
// when nothing reads X after the load (the address is the same sum,
// modulo 2^32 both ways), and the first three have no other
// predecessor.
func foldOffsets(g *graph) bool {
	live := g.reachable()
	preds := g.preds(live)
	states := g.analyze()
	out, _ := g.liveness(states)
	only := func(i int) int {
		if len(preds[i]) != 1 {
			return -1
		}
		return preds[i][0]
	}
	changed := false
	for l := range g.nodes {
		nd := &g.nodes[l]
		if !live[l] || nd.op.Class() != opcode.LD || nd.op.Mode() != opcode.IND || out[l]&liveX != 0 {
			continue
		}
		t := only(l)
		if t < 0 || g.nodes[t].op != opcode.MISC|opcode.TAX {
			continue
		}
		add := only(t)
		if add < 0 || g.nodes[add].op != opcode.ALU|opcode.ADD|opcode.X {
			continue
		}
		c := only(add)
		if c < 0 || g.nodes[c].op != opcode.LdImm || g.entry == c {
			continue
		}
		for _, p := range preds[c] {
			pn := &g.nodes[p]
			for s := 0; s < pn.nsucc(); s++ {
				if pn.succ[s] == c {
					pn.succ[s] = l
				}
			}
			if pn.isPlain() {
				pn.credit = true
			}
		}
		nd.k += g.nodes[c].k
		changed = true
		g.noted["fold offsets"]++
		preds[l] = preds[c]
	}
	return changed
}
