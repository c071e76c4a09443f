package verify

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/link"
	"github.com/cbpfkit/cbpf/opcode"
)

// Stacked filters, as kernel/seccomp.c's seccomp_run_filters runs them:
//
//	u32 ret = SECCOMP_RET_ALLOW;
//	for (f = current->seccomp.filter; f; f = f->prev) {   // newest first
//		u32 cur_ret = bpf_prog_run_pin_on_cpu(f->prog, sd);
//		if (ACTION_ONLY(cur_ret) < ACTION_ONLY(ret)) { ret = cur_ret; *match = f; }
//	}
//
// where ACTION_ONLY(r) is (s32)(r & SECCOMP_RET_ACTION_FULL). So the
// action is compared as a signed 32-bit value (KILL_PROCESS, 0x80000000,
// is the lowest), a filter replaces the result only with a strictly
// lower action, and on a tie the newest filter's whole value, data
// included, stays. ALLOW's data never survives: 0x7fff0005 does not beat
// the initial 0x7fff0000.

// StackReturn combines the values the filters of a stack returned, in
// install order (rets[0] from the oldest filter), as the kernel does: the
// lowest action wins, the newest filter's value on a tie, and nothing
// beats the initial SECCOMP_RET_ALLOW (0x7fff0000) but a lower action.
func StackReturn(rets []uint32) uint32 {
	ret := action.Allow
	for i := len(rets) - 1; i >= 0; i-- {
		if beats(rets[i], ret) {
			ret = rets[i]
		}
	}
	return ret
}

// beats reports whether cur replaces ret in seccomp_run_filters:
// ACTION_ONLY(cur) < ACTION_ONLY(ret), signed.
func beats(cur, ret uint32) bool {
	return int32(cur&action.ActionFull) < int32(ret&action.ActionFull)
}

// StackCacheAllows reports whether the kernel's action cache serves
// syscall nr of the arch with AUDIT_ARCH value audit for a task with
// these filters: the kernel builds each filter's bitmap from its
// predecessor's and clears what the new filter does not allow
// unconditionally (seccomp_cache_prepare), so a call is cached only if
// every filter allows it whatever the arguments (see CacheAllows).
func StackCacheAllows(progs [][]bpf.RawInstruction, audit, nr uint32) bool {
	if len(progs) == 0 {
		return false
	}
	for _, p := range progs {
		if !CacheAllows(p, audit, nr) {
			return false
		}
	}
	return true
}

// StackError is why Stack could not build one program for a stack.
type StackError struct {
	Filter int    // the filter at fault (install order), -1 for the whole stack
	Msg    string // what went wrong
}

func (e *StackError) Error() string {
	if e.Filter < 0 {
		return "stack: " + e.Msg
	}
	return fmt.Sprintf("stack: filter %d: %s", e.Filter, e.Msg)
}

// Stack returns one seccomp program that returns, for every input, what
// the kernel makes of the stack of filters progs (given in install order:
// progs[0] is the oldest; the kernel runs the newest, the last, first):
// every filter runs, the lowest action wins (KILL_PROCESS lowest, ALLOW
// highest; see StackReturn), and on equal actions the newest filter's
// value, data included. The result is exact, not approximate: Explain and
// Equivalent apply to it as to any filter. Only the kernel's choice of
// which filter's USER_NOTIF listener gets a notification (the one whose
// value won) is not something a single program can say.
//
// The program runs the filters one after the other, each from A = X = 0
// as the kernel starts it, and carries the result so far in its control
// flow: each return of a filter leads to a copy of the filters after it
// specialised to that result, and a filter that cannot change a result
// (none of its returns would beat it; nothing beats KILL_PROCESS) is
// skipped. Where a filter returns A (a value not known in advance) the
// result is kept in a scratch memory word no later filter uses (their
// words are renamed to leave word 15 free; a filter that uses all 16
// leaves none). A division by X = 0, which ends a classic program with 0,
// ends only its own filter, with 0 (KILL_THREAD), as in the kernel. If the
// copies would pass the kernel's 4096 instructions, the result is kept in
// such a word from the start instead (one copy of each filter); if no
// word is free either, or the program is still too long, Stack fails
// with a *StackError that says so. A filter the kernel would refuse
// fails too. With one filter, Stack returns it normalised: its ALLOW
// returns lose their data, as in the kernel; if that does not fit (a
// "ret a" in a filter near 4096 instructions), the filter itself, whose
// decisions are the stack's but for the ALLOW data the kernel ignores.
func Stack(progs [][]bpf.RawInstruction) ([]bpf.RawInstruction, error) {
	if len(progs) == 0 {
		return nil, &StackError{Filter: -1, Msg: "no filters"}
	}
	fs := make([]*stackFilter, len(progs))
	for i, p := range progs {
		if ds := KernelCheck(p, Seccomp); len(ds) > 0 {
			return nil, &StackError{Filter: i, Msg: "not a valid seccomp filter: " + ds[0].String()}
		}
		// Evaluation order: the newest first. The filters after the
		// first keep off word 15, which then holds the result, if they
		// leave any word free.
		j := len(progs) - 1 - i
		if j > 0 {
			p = freeWord(p, 15)
		}
		fs[j] = newStackFilter(p, i)
	}
	prog, err := buildStack(fs, false)
	if err == nil {
		return prog, nil
	}
	var tooLong *stackTooLong
	if !errors.As(err, &tooLong) {
		return nil, err
	}
	prog, err2 := buildStack(fs, true)
	if err2 == nil {
		return prog, nil
	}
	if len(progs) == 1 {
		// Nothing to combine: the filter decides as the stack does, but
		// for the data of its ALLOW returns, which the kernel ignores
		// (normalising its "ret a" did not fit).
		return slices.Clone(progs[0]), nil
	}
	if errors.As(err2, &tooLong) {
		return nil, &StackError{Filter: -1, Msg: fmt.Sprintf("the %d filters do not fit in one program of %d instructions (this construction needs %d)", len(progs), opcode.MaxInsns, tooLong.n)}
	}
	return nil, &StackError{Filter: -1, Msg: fmt.Sprintf("the %d filters do not fit in one program of %d instructions with the result as control flow, and %v", len(progs), opcode.MaxInsns, err2)}
}

// freeWord returns p with scratch word w renamed to one p does not use,
// or p itself when it does not use w or uses every word. A filter reads
// no word it has not written, so the names of its words do not matter.
//
// A word p writes but never reads is dead: its stores become "ja +0"
// (no-ops) first, so that a filter storing to every word but reading few
// still leaves one free.
func freeWord(p []bpf.RawInstruction, w uint32) []bpf.RawInstruction {
	var read, written uint16
	for _, in := range p {
		op := opcode.Op(in.Op)
		if op.ReadsMem() {
			read |= 1 << (in.K & 15)
		}
		if op.WritesMem() {
			written |= 1 << (in.K & 15)
		}
	}
	if dead := written &^ read; dead != 0 {
		q := append([]bpf.RawInstruction(nil), p...)
		for i, in := range q {
			if opcode.Op(in.Op).WritesMem() && dead&(1<<(in.K&15)) != 0 {
				q[i] = bpf.RawInstruction{Op: uint16(opcode.JMP | opcode.JA)}
			}
		}
		p = q
	}
	used := read
	if used&(1<<w) == 0 || used == 0xffff {
		return p
	}
	to := uint32(bits.TrailingZeros16(^used))
	q := append([]bpf.RawInstruction(nil), p...)
	for i, in := range q {
		if op := opcode.Op(in.Op); (op.ReadsMem() || op.WritesMem()) && in.K == w {
			q[i].K = to
		}
	}
	return q
}

// stackTooLong: the builder passed the instruction budget.
type stackTooLong struct{ n int }

func (e *stackTooLong) Error() string { return fmt.Sprintf("%d instructions", e.n) }

// stackFilter is one filter of the stack, with what Stack needs to know
// of it.
type stackFilter struct {
	prog     []bpf.RawInstruction
	index    int      // install order, for errors
	mem      uint16   // scratch words it reads or writes
	rets     []uint32 // its constant returns (0 if it divides by X)
	retA     bool     // it has a "ret a"
	needA    bool     // it may read A before writing it
	needX    bool     // it may read X before writing it
	targeted []bool
}

func newStackFilter(p []bpf.RawInstruction, index int) *stackFilter {
	f := &stackFilter{prog: p, index: index, targeted: make([]bool, len(p)+1)}
	// Which registers are written on every path to each instruction.
	type defs struct{ reached, a, x bool }
	in := make([]defs, len(p)+1)
	in[0] = defs{reached: true}
	for pc, ins := range p {
		op := opcode.Op(ins.Op)
		if op.IsLoad() && op.Mode() == opcode.MEM || op.IsStore() {
			f.mem |= 1 << (ins.K & 15)
		}
		if op == opcode.ALU|opcode.DIV|opcode.X {
			f.rets = append(f.rets, 0) // X = 0 ends the filter with 0
		}
		if op.IsReturn() {
			if op.RetSrc() == opcode.K {
				f.rets = append(f.rets, ins.K)
			} else {
				f.retA = true
			}
		}
		succ := opcode.Successors(ins, pc)
		for _, t := range succ {
			if t < len(p) {
				f.targeted[t] = true
			}
		}
		d := in[pc]
		if !d.reached {
			continue
		}
		f.needA = f.needA || op.ReadsA() && !d.a
		f.needX = f.needX || op.ReadsX() && !d.x
		out := defs{reached: true, a: d.a || op.WritesA(), x: d.x || op.WritesX()}
		for _, t := range succ {
			if t >= len(p) {
				continue
			}
			if !in[t].reached {
				in[t] = out
			} else {
				in[t].a = in[t].a && out.a
				in[t].x = in[t].x && out.x
			}
		}
	}
	return f
}

// stackState is the result so far at a point between filters: a constant
// known when the program is built, or a value in scratch word slot.
type stackState struct {
	dyn  bool
	v    uint32 // the constant (!dyn)
	slot uint8  // the word (dyn)
}

// canChange reports whether filter f can replace the result s.
func (f *stackFilter) canChange(s stackState) bool {
	if !s.dyn {
		if s.v&action.ActionFull == action.KillProcess {
			return false // nothing is lower
		}
		if f.retA {
			return true
		}
		for _, k := range f.rets {
			if beats(k, s.v) {
				return true
			}
		}
		return false
	}
	if f.retA {
		return true
	}
	for _, k := range f.rets {
		if k&action.ActionFull != action.Allow {
			return true
		}
	}
	return false
}

// stackBuilder builds the stacked program: copies of the filters in
// evaluation order, each copy entered with one result state.
type stackBuilder struct {
	b       link.Builder
	fs      []*stackFilter
	linear  bool
	slot    uint8       // linear: the word that holds the result
	free    []int       // free[j]: a scratch word no filter from j on uses, or -1
	entries []stackKeys // entries[j]: the states filter j is entered with, in order
	labels  map[stackKey]link.Label
	leaves  []stackState // leaves in order of first use
	budget  int
}

type stackKey struct {
	j     int // filter (evaluation order); len(fs) is the end
	s     stackState
	store bool // linear: store the constant s.v, then enter j with the word
}

type stackKeys []stackKey

func buildStack(fs []*stackFilter, linear bool) ([]bpf.RawInstruction, error) {
	sb := &stackBuilder{fs: fs, linear: linear, labels: map[stackKey]link.Label{},
		entries: make([]stackKeys, len(fs)+1), free: make([]int, len(fs)+1),
		budget: 2 * opcode.MaxInsns}
	used := uint16(0)
	for j := len(fs); j >= 0; j-- {
		if j < len(fs) {
			used |= fs[j].mem
		}
		sb.free[j] = -1
		if used != 0xffff {
			sb.free[j] = 15 - bits.LeadingZeros16(^used) // the highest free word
		}
	}
	if linear {
		if len(fs) > 1 && sb.free[1] < 0 {
			return nil, fmt.Errorf("every scratch word is used by a filter after the newest, none is left to hold the result")
		}
		sb.slot = uint8(max(sb.free[min(1, len(fs))], 0))
	}
	start := sb.cont(0, stackState{v: action.Allow})
	for j := range fs {
		// The stores first: they jump to the copy entered with the word,
		// which may already be listed.
		for _, store := range []bool{true, false} {
			for i := 0; i < len(sb.entries[j]); i++ {
				if k := sb.entries[j][i]; k.store == store {
					if err := sb.emitEntry(k); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	for _, s := range sb.leaves {
		sb.b.Mark(sb.labels[stackKey{j: len(fs), s: s}])
		if s.dyn {
			sb.b.Emit(opcode.LD|opcode.MEM, uint32(s.slot))
			sb.b.Emit(opcode.RetA, 0)
		} else {
			sb.b.Emit(opcode.RetK, s.v)
		}
	}
	// The program starts at the first entry; put a jump there if the
	// first thing built is not it.
	if code := sb.b.Code; len(code) == 0 || code[0].Def != start {
		sb.b.Code = append([]link.Insn{{Op: opcode.Ja, Jt: start}}, code...)
	}
	prog, err := sb.b.Link(link.Options{Layout: link.Compact})
	if err != nil {
		var le *link.Error
		if errors.As(err, &le) && le.Code == link.TooLong {
			return nil, &stackTooLong{n: le.Len}
		}
		return nil, fmt.Errorf("linking the stack: %w", err)
	}
	return kernelMemCheck(prog)
}

// kernelMemCheck makes the kernel's check that scratch memory is written
// before it is read pass on prog. The check does not follow paths
// exactly: after a return, the next instruction inherits what was
// written before the return, so a filter that passes it may fail it once
// copied next to other code. Every path reads a word only after writing
// it, so writing each word read once at the start (A is 0 there) changes
// nothing and passes the check.
func kernelMemCheck(prog []bpf.RawInstruction) ([]bpf.RawInstruction, error) {
	if len(KernelCheck(prog, Seccomp)) == 0 {
		return prog, nil
	}
	var read uint16
	for _, in := range prog {
		if opcode.Op(in.Op).ReadsMem() {
			read |= 1 << (in.K & 15)
		}
	}
	var head []bpf.RawInstruction
	for w := uint32(0); w < 16; w++ {
		if read&(1<<w) != 0 {
			head = append(head, bpf.RawInstruction{Op: uint16(opcode.ST), K: w})
		}
	}
	prog = append(head, prog...)
	if len(prog) > opcode.MaxInsns {
		return nil, &stackTooLong{n: len(prog)}
	}
	if ds := KernelCheck(prog, Seccomp); len(ds) > 0 {
		return nil, fmt.Errorf("internal error: the stacked program fails the kernel's check: %v", ds[0])
	}
	return prog, nil
}

// cont returns the label where the program continues with result s before
// filter j: the first filter from j on that can change s, or the end.
func (sb *stackBuilder) cont(j int, s stackState) link.Label {
	for j < len(sb.fs) && !sb.fs[j].canChange(s) {
		j++
	}
	k := stackKey{j: j, s: s}
	if sb.linear && !s.dyn && j < len(sb.fs) && j > 0 {
		k.store = true
	}
	if l, ok := sb.labels[k]; ok {
		return l
	}
	l := sb.b.NewLabel()
	sb.labels[k] = l
	if j == len(sb.fs) {
		sb.leaves = append(sb.leaves, s)
	} else {
		sb.entries[j] = append(sb.entries[j], k)
	}
	return l
}

// ends reports whether result s goes straight to the end from filter j.
func (sb *stackBuilder) ends(j int, s stackState) bool {
	for j < len(sb.fs) && !sb.fs[j].canChange(s) {
		j++
	}
	return j == len(sb.fs)
}

func (sb *stackBuilder) emitEntry(k stackKey) error {
	sb.b.Mark(sb.labels[k])
	if k.store {
		sb.b.Emit(opcode.LdImm, k.s.v)
		sb.b.Emit(opcode.ST, uint32(sb.slot))
		sb.b.Ja(sb.cont(k.j, stackState{dyn: true, slot: sb.slot}))
		return nil
	}
	f := sb.fs[k.j]
	if k.j > 0 {
		// The kernel starts every filter with A = X = 0.
		if f.needA {
			sb.b.Emit(opcode.LdImm, 0)
		}
		if f.needX {
			sb.b.Emit(opcode.LdxImm, 0)
		}
	}
	lab := make([]link.Label, len(f.prog))
	for pc := range f.prog {
		if f.targeted[pc] {
			lab[pc] = sb.b.NewLabel()
		}
	}
	at := func(pc int, off uint32) link.Label { return lab[pc+1+int(off)] }
	for pc, ins := range f.prog {
		if lab[pc] != link.None {
			sb.b.Mark(lab[pc])
		}
		op := opcode.Op(ins.Op)
		switch {
		case op == opcode.Ja:
			sb.b.Ja(at(pc, ins.K))
		case op.IsCondJump():
			sb.b.Jump(op, ins.K, at(pc, uint32(ins.Jt)), at(pc, uint32(ins.Jf)))
		case op.IsReturn() && op.RetSrc() == opcode.K:
			if err := sb.retK(k, ins.K); err != nil {
				return err
			}
		case op.IsReturn():
			if err := sb.retA(k); err != nil {
				return err
			}
		case op == opcode.ALU|opcode.DIV|opcode.X:
			if err := sb.divX(k); err != nil {
				return err
			}
		default:
			sb.b.Emit(op, ins.K)
		}
		if n := len(sb.b.Code); n > sb.budget {
			return &stackTooLong{n: n}
		}
	}
	return nil
}

// divX is "div x" of filter k.j. A division by X = 0 ends a classic
// program with 0: in the stack it ends that filter only, as "ret #0", and
// the others still run. X == 0 is told without losing A: if A & X is not
// 0, X is not; else X is within ~A, so (~A) & X is X.
func (sb *stackBuilder) divX(k stackKey) error {
	jset := opcode.JMP | opcode.JSET | opcode.X
	safe, t1, zero, undo := sb.b.NewLabel(), sb.b.NewLabel(), sb.b.NewLabel(), sb.b.NewLabel()
	sb.b.Jump(jset, 0, safe, t1)
	sb.b.Mark(t1)
	sb.b.Emit(opcode.ALU|opcode.XOR|opcode.K, 0xffffffff)
	sb.b.Jump(jset, 0, undo, zero)
	sb.b.Mark(zero)
	if err := sb.retK(k, 0); err != nil {
		return err
	}
	sb.b.Mark(undo)
	sb.b.Emit(opcode.ALU|opcode.XOR|opcode.K, 0xffffffff)
	sb.b.Mark(safe)
	sb.b.Emit(opcode.ALU|opcode.DIV|opcode.X, 0)
	return nil
}

// retK is "ret #v" of filter k.j entered with result k.s.
func (sb *stackBuilder) retK(k stackKey, v uint32) error {
	next := k.j + 1
	if !k.s.dyn {
		s := k.s
		if beats(v, s.v) {
			s.v = v
		}
		sb.goTo(next, s)
		return nil
	}
	win, lose := sb.cont(next, stackState{v: v}), sb.cont(next, k.s)
	if win == lose {
		sb.b.Ja(win)
		return nil
	}
	// v beats the value in the word: g(word) >= g(v&F) + 0x10000, where
	// g flips the sign bit so that unsigned order is the kernel's order.
	g := (v & action.ActionFull) ^ 0x80000000
	if g == 0xffff0000 {
		sb.b.Ja(lose) // ALLOW beats nothing
		return nil
	}
	sb.b.Emit(opcode.LD|opcode.MEM, uint32(k.s.slot))
	sb.inRange((g+0x10000)^0x80000000, 0x7fffffff, win, lose)
	return nil
}

// retA is "ret a" of filter k.j entered with result k.s.
func (sb *stackBuilder) retA(k stackKey) error {
	next := k.j + 1
	if !k.s.dyn {
		// A beats the constant: g(A) < g(c&F).
		g := (k.s.v & action.ActionFull) ^ 0x80000000
		lose := sb.cont(next, k.s)
		if g == 0 {
			sb.b.Ja(lose)
			return nil
		}
		win := sb.b.NewLabel()
		sb.inRange(0x80000000, (g-1)^0x80000000, win, lose)
		sb.b.Mark(win)
		return sb.keepA(next, k.j)
	}
	// A against the word: X = A; which side of zero A is on, then the
	// word's action compared with X.
	pos, neg, win := sb.b.NewLabel(), sb.b.NewLabel(), sb.b.NewLabel()
	lose := sb.cont(next, k.s)
	sb.b.Emit(opcode.MISC|opcode.TAX, 0)
	sb.b.Emit(opcode.LdImm, 0x80000000)
	sb.b.Jump(opcode.JMP|opcode.JGT|opcode.X, 0, pos, neg)
	cmpX := sb.b.NewLabel()
	// A >= 0: it wins if the word's action B is >= 0 and above A.
	sb.b.Mark(pos)
	sb.b.Emit(opcode.LD|opcode.MEM, uint32(k.s.slot))
	sb.b.Emit(opcode.ALU|opcode.AND|opcode.K, action.ActionFull)
	sb.b.Jump(opcode.JMP|opcode.JGT|opcode.K, 0x7fffffff, lose, cmpX)
	// A < 0: it wins if B >= 0, or B < 0 and above A.
	sb.b.Mark(neg)
	sb.b.Emit(opcode.LD|opcode.MEM, uint32(k.s.slot))
	sb.b.Emit(opcode.ALU|opcode.AND|opcode.K, action.ActionFull)
	sb.b.Jump(opcode.JMP|opcode.JGT|opcode.K, 0x7fffffff, cmpX, win)
	sb.b.Mark(cmpX)
	sb.b.Jump(opcode.JMP|opcode.JGT|opcode.X, 0, win, lose)
	sb.b.Mark(win)
	sb.b.Emit(opcode.MISC|opcode.TXA, 0)
	return sb.keepA(next, k.j)
}

// keepA continues before filter next with A as the result: returned if
// no later filter can change it, else stored in a word none of them uses.
func (sb *stackBuilder) keepA(next, j int) error {
	if sb.ends(next, stackState{dyn: true}) {
		sb.b.Emit(opcode.RetA, 0)
		return nil
	}
	slot := sb.free[next]
	if sb.linear {
		slot = int(sb.slot)
	}
	if slot < 0 {
		return &StackError{Filter: sb.fs[j].index, Msg: "it returns A, and the filters that run after it use every scratch word: none is left to hold the result"}
	}
	s := stackState{dyn: true, slot: uint8(slot)}
	sb.b.Emit(opcode.ST, uint32(slot))
	sb.b.Ja(sb.cont(next, s))
	return nil
}

// goTo continues before filter j with the constant result s: its return
// right here if no filter from j on can change it, else a jump.
func (sb *stackBuilder) goTo(j int, s stackState) {
	if !s.dyn && sb.ends(j, s) {
		sb.b.Emit(opcode.RetK, s.v)
		return
	}
	sb.b.Ja(sb.cont(j, s))
}

// inRange jumps to t if A is in lo..hi (unsigned; lo > hi wraps around
// through 0xffffffff and 0), else to f.
func (sb *stackBuilder) inRange(lo, hi uint32, t, f link.Label) {
	jge, jgt := opcode.JMP|opcode.JGE|opcode.K, opcode.JMP|opcode.JGT|opcode.K
	switch {
	case lo <= hi && lo == 0 && hi == 0xffffffff:
		sb.b.Ja(t)
	case lo <= hi && lo == 0:
		sb.b.Jump(jgt, hi, f, t)
	case lo <= hi && hi == 0xffffffff:
		sb.b.Jump(jge, lo, t, f)
	case lo <= hi:
		next := sb.b.NewLabel()
		sb.b.Jump(jge, lo, next, f)
		sb.b.Mark(next)
		sb.b.Jump(jgt, hi, f, t)
	case lo == hi+1:
		sb.b.Ja(t)
	default: // lo..0xffffffff or 0..hi
		next := sb.b.NewLabel()
		sb.b.Jump(jge, lo, t, next)
		sb.b.Mark(next)
		sb.b.Jump(jgt, hi, f, t)
	}
}
