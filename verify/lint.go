package verify

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/vm"
)

// Lint describes one warning Lint can give.
type Lint struct {
	Code    string
	Summary string // what is wrong
	Fix     string // what to do
}

// Lints lists every lint, by code.
var Lints = []Lint{
	{LintNrBeforeArch, "the syscall number is tested before the arch is checked; numbers mean different syscalls on different arches",
		"load and compare seccomp_data.arch (offset 4) first, and send unknown arches to a kill action"},
	{LintX32, "on x86_64, x32 calls (nr with bit 30 set) reach an action that lets them run; a deny-list that only lists x86_64 numbers can be bypassed through x32",
		"after the arch check, send nr >= 0x40000000 to a kill action (nr -1, 0xffffffff, may stay: it is no syscall), or test x32 explicitly"},
	{LintForeignArch, "calls from an arch the filter never tests for can reach ALLOW; their numbers mean other syscalls",
		"compare arch with every arch you mean to serve and send all others to a kill action"},
	{LintUnreachable, "instructions no path reaches", "remove them"},
	{LintErrnoClamped, "ERRNO data above 4095: the kernel clamps it to 4095", "return an errno between 1 and 4095"},
	{LintUnknownAction, "a return value whose action the kernel does not know; the kernel treats it as KILL_PROCESS",
		"return one of KILL_PROCESS, KILL_THREAD, TRAP, ERRNO, USER_NOTIF, TRACE, LOG, ALLOW"},
	{LintReadsIP, "the filter reads instruction_pointer, which the calling process controls and which differs between runs (ASLR)",
		"decide on nr, arch and args only"},
	{LintArgHalf, "an argument that the kernel reads as a 64-bit value (a pointer, size, offset or unsigned long, by the call's declaration) is tested on its low 32 bits only; a value with other high bits passes the same test and the call gets that other value",
		"test the high word too (usually high == 0); arguments the kernel reads as 32-bit (an int fd or flags; arch.Arg32) need no such test and get no warning"},
	{LintI386High, "on i386 the filter decides on the high word of an argument, which the i386 syscall ignores but which a 64-bit caller sets freely: on x86_64 kernels an INT $0x80 from 64-bit code hands seccomp its full 64-bit registers (measured on Linux 6.18), so the caller can change the filter's decision without changing the call",
		"on i386 compare only the low word of each argument (as libseccomp and cbpf do)"},
	{LintExempt, "the filter does not allow a syscall that some kernels run without consulting any seccomp filter; there its action has no effect",
		"do not count on the filter to stop (or log, or trace) that call on those kernels"},
	{LintPathLimit, "the filter has more paths than the path lints follow; their findings cover the paths followed",
		"nothing is known to be wrong; fewer tests that multiply paths (one test after another on the same call) make every path checkable"},
	{LintStackLimit, "the filters of one task may have at most 32768 instructions in all, counting 4 more for each filter",
		"merge or shorten filters"},
}

// Lint codes.
const (
	LintNrBeforeArch  = "nr-before-arch"
	LintX32           = "x32-bypass"
	LintForeignArch   = "foreign-arch-allow"
	LintUnreachable   = "unreachable"
	LintErrnoClamped  = "errno-clamped"
	LintUnknownAction = "unknown-action"
	LintReadsIP       = "reads-ip"
	LintArgHalf       = "arg-half"
	LintExempt        = "seccomp-exempt"
	LintI386High      = "i386-high-word"
	LintPathLimit     = "path-limit"
	LintStackLimit    = "stack-limit"
)

// MaxStackInsns is the kernel's MAX_INSNS_PER_PATH: the limit on the
// instructions of all filters of a task, each counting 4 more.
const MaxStackInsns = 32768

// Bounds on each symbolic walk of the path lints: the branches and returns
// visited, and the work of deciding branches (constraints scanned; a call
// of the bit solver counts as a scan of 32 times its word's constraints).
// Filters that compilers emit need a few thousand nodes and far less work
// (1327 instructions of libseccomp: 3272 nodes); past either bound
// LintProgram says so (LintPathLimit).
const (
	maxLintNodes = 200_000
	maxLintWork  = 50_000_000
)

const (
	auditX86_64 = 0xc000003e
	auditI386   = 0x40000003
	audit64Bit  = 0x80000000 // __AUDIT_ARCH_64BIT
	auditLE     = 0x40000000 // __AUDIT_ARCH_LE
	fullMask    = 0xffffffff
	nrNone      = 0xffffffff // nr -1: no syscall (a tracer's "skip"); the kernel returns ENOSYS
)

func lintInfo(code string) Lint {
	for _, l := range Lints {
		if l.Code == code {
			return l
		}
	}
	return Lint{Code: code}
}

// warn builds a warning diagnostic; detail, if any, comes before the fix.
func warn(pc int, code, detail string) Diagnostic {
	l := lintInfo(code)
	msg := l.Summary
	if detail != "" {
		msg = detail + ": " + msg
	}
	return Diagnostic{PC: pc, Severity: SeverityWarning, Code: code, Msg: msg + "; fix: " + l.Fix}
}

// LintProgram returns the warnings for a program the kernel accepts. In
// seccomp mode it runs every lint; in packet mode only the structural ones.
//
// The lints that follow paths (nr-before-arch, x32-bypass,
// foreign-arch-allow, arg-half, seccomp-exempt) are claims about what the
// filter returns for some input: each comes with that input (Witness),
// run in the VM, and a claim the VM does not confirm is not reported.
func LintProgram(prog []bpf.RawInstruction, mode Mode) []Diagnostic {
	var ds []Diagnostic
	for _, pc := range unreachable(prog) {
		ds = append(ds, warn(pc, LintUnreachable, ""))
	}
	if mode != Seccomp {
		return sortDiags(ds)
	}
	for pc, ins := range prog {
		switch {
		case opcode.Op(ins.Op) == opcode.RET|opcode.K && !action.Known(ins.K):
			ds = append(ds, warn(pc, LintUnknownAction, fmt.Sprintf("ret #%#08x", ins.K)))
		case opcode.Op(ins.Op) == opcode.RET|opcode.K && ins.K&action.ActionFull == action.Errno && ins.K&action.DataMask > action.MaxErrno:
			ds = append(ds, warn(pc, LintErrnoClamped, fmt.Sprintf("ERRNO(%d)", ins.K&action.DataMask)))
		case opcode.Op(ins.Op) == opcode.LD|opcode.W|opcode.ABS && (ins.K == 8 || ins.K == 12):
			ds = append(ds, warn(pc, LintReadsIP, ""))
		}
	}
	ds = append(ds, pathLints(prog)...)
	return sortDiags(ds)
}

// CheckStack checks a task's stack of filters against the kernel's total
// instruction limit.
func CheckStack(progs [][]bpf.RawInstruction) []Diagnostic {
	total := 0
	for _, p := range progs {
		total += len(p) + 4
	}
	if total > MaxStackInsns {
		return []Diagnostic{warn(-1, LintStackLimit, fmt.Sprintf("%d filters count %d instructions", len(progs), total))}
	}
	return nil
}

func sortDiags(ds []Diagnostic) []Diagnostic {
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].PC < ds[j].PC })
	return ds
}

// unreachable lists the instructions no path from the first reaches.
func unreachable(prog []bpf.RawInstruction) []int {
	seen := make([]bool, len(prog))
	seen[0] = true
	for pc, ins := range prog {
		if !seen[pc] {
			continue
		}
		for _, t := range opcode.Successors(ins, pc) {
			if t < len(prog) {
				seen[t] = true
			}
		}
	}
	var out []int
	for pc, s := range seen {
		if !s {
			out = append(out, pc)
		}
	}
	return out
}

// pathWalk follows every feasible path of a seccomp program depth first.
// The path's constraints live on one stack (cs), with the pc of the
// branch each came from (pcs; -1 for the initial ones), so that a path
// costs no copies; callbacks that keep cs must clone it.
type pathWalk struct {
	prog []bpf.RawInstruction
	cs   conj
	pcs  []int
	// tests are the branches the current path took on a loaded word,
	// implied ones included (cs keeps only those that narrow the path):
	// what the filter tested, not only what it learnt.
	tests   conj
	inexact int // unknown branches on the current path
	nodes   int
	work    int
	over    bool
	// branch is called at every branch on a loaded word, before it splits.
	branch func(pc int, c constraint)
	// leaf is called at every return.
	leaf func(retPC int, ret symVal)
}

func newWalk(prog []bpf.RawInstruction, initial conj) *pathWalk {
	w := &pathWalk{prog: prog, cs: slices.Clone(initial)}
	for range initial {
		w.pcs = append(w.pcs, -1)
	}
	return w
}

func (w *pathWalk) run() {
	w.walk(symState{a: constVal(0), x: constVal(0)})
}

func (w *pathWalk) walk(st symState) {
	if w.over {
		return
	}
	if w.nodes++; w.nodes > maxLintNodes || w.work > maxLintWork {
		w.over = true
		return
	}
	s := advance(w.prog, &st)
	if s.ret {
		if w.leaf != nil {
			w.leaf(st.pc, s.retVal)
		}
		return
	}
	next := func(pc int) {
		n := st
		n.pc = pc
		w.walk(n)
	}
	switch {
	case s.decided:
		if s.taken {
			next(s.jt)
		} else {
			next(s.jf)
		}
	case s.unknown:
		w.inexact++
		next(s.jt)
		next(s.jf)
		w.inexact--
	case s.jt == s.jf:
		next(s.jt)
	default:
		if w.branch != nil {
			w.branch(st.pc, s.cond)
		}
		neg := s.cond
		neg.Op = neg.Op.negate()
		t, f := w.feasible(s.cond), w.feasible(neg)
		switch {
		case t && f:
			w.push(s.cond, st.pc)
			next(s.jt)
			w.pop()
			w.push(neg, st.pc)
			next(s.jf)
			w.pop()
		case t:
			w.tests = append(w.tests, s.cond)
			next(s.jt)
			w.tests = w.tests[:len(w.tests)-1]
		case f:
			w.tests = append(w.tests, neg)
			next(s.jf)
			w.tests = w.tests[:len(w.tests)-1]
		}
	}
}

func (w *pathWalk) push(c constraint, pc int) {
	w.cs = append(w.cs, c)
	w.pcs = append(w.pcs, pc)
	w.tests = append(w.tests, c)
}

func (w *pathWalk) pop() {
	w.cs = w.cs[:len(w.cs)-1]
	w.pcs = w.pcs[:len(w.pcs)-1]
	w.tests = w.tests[:len(w.tests)-1]
}

// feasible reports whether the path's constraints and c have a solution.
// Where every constraint on c's word is unmasked (nr and arch along a
// chain of comparisons, say), the solutions are an interval less a set of
// values, and two scans decide it without allocating: the != values on a
// path are distinct (one is added only where its == was feasible too).
// Masked constraints go to the exact bit solver.
func (w *pathWalk) feasible(c constraint) bool {
	w.work += len(w.cs) + 1
	if c.Mask != fullMask {
		return w.greedy(c) || w.exact(c)
	}
	lo, hi := uint64(0), uint64(fullMask)
	for _, d := range w.cs {
		if d.Word != c.Word {
			continue
		}
		if d.Mask != fullMask {
			return w.greedy(c) || w.exact(c)
		}
		lo, hi = d.bound(lo, hi)
	}
	lo, hi = c.bound(lo, hi)
	if lo > hi {
		return false
	}
	excluded, dup := uint64(0), false
	for _, d := range w.cs {
		if d.Word == c.Word && d.Op == opNE && uint64(d.C) >= lo && uint64(d.C) <= hi {
			excluded++
			dup = dup || (c.Op == opNE && d.C == c.C)
		}
	}
	if c.Op == opNE && !dup && uint64(c.C) >= lo && uint64(c.C) <= hi {
		excluded++
	}
	return hi-lo+1 > excluded
}

// exact asks the bit solver, counting its work.
func (w *pathWalk) exact(c constraint) bool {
	n := 1
	for _, d := range w.cs {
		if d.Word == c.Word {
			n++
		}
	}
	w.work += 32 * n
	return w.cs.feasibleWith(c)
}

// greedy looks for a value of c's word that satisfies c and the path's
// constraints on that word by repairing a candidate, one violated
// constraint at a time (what single-bit flag tests need), and checks it:
// true is a proof, false means only that the exact solver must decide.
func (w *pathWalk) greedy(c constraint) bool {
	var v uint32
	fix := func(d constraint) {
		if d.holds(v) {
			return
		}
		switch d.Op {
		case opEQ:
			v = v&^d.Mask | d.C&d.Mask
		case opNE:
			v ^= d.Mask & -d.Mask // flip the lowest bit of the mask
		case opGT:
			v |= d.Mask
		case opLE:
			v &^= d.Mask
		}
	}
	for range 2 {
		fix(c)
		for _, d := range w.cs {
			if d.Word == c.Word {
				fix(d)
			}
		}
	}
	if !c.holds(v) {
		return false
	}
	for _, d := range w.cs {
		if d.Word == c.Word && !d.holds(v) {
			return false
		}
	}
	return true
}

// constrains reports whether cs says anything about word w.
func constrains(cs conj, w uint8) bool {
	for _, c := range cs {
		if c.Word == w {
			return true
		}
	}
	return false
}

// pinned returns the value an unmasked == constraint fixes word w to.
func pinned(cs conj, w uint8) (uint32, bool) {
	for _, c := range cs {
		if c.Word == w && c.Op == opEQ && c.Mask == fullMask {
			return c.C, true
		}
	}
	return 0, false
}

// linter runs the path lints on one program.
type linter struct {
	prog   []bpf.RawInstruction
	m      *vm.Machine
	ds     []Diagnostic
	done   map[lintKey]bool // findings reported, or tried and not confirmed
	arches map[uint32]bool  // arch values the filter compares arch with
	// arg-half findings, one diagnostic for each argument of a call
	halves    map[halfKey]*halfGroup
	halfOrder []halfKey
	syscalls  map[*arch.Arch][]arch.Syscall // the tables argHalf searches, copied once
	paths     [2][]int                      // run's scratch buffers
}

type halfKey struct {
	arch, nr uint32
	arg      int
}

// halfGroup is the comparisons that test one argument of one call on its
// low word only: the first with its witnesses, the pcs of the others.
type halfGroup struct {
	pc      int
	detail  string
	witness []Witness
	more    []int
}

type lintKey struct {
	code string
	pc   int
}

type pathCand struct {
	pc int
	cs conj
}

// pathLints runs the lints that follow paths symbolically, each finding
// checked by running its witness in the VM.
func pathLints(prog []bpf.RawInstruction) []Diagnostic {
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		return nil
	}
	l := &linter{prog: prog, m: m, done: map[lintKey]bool{}, arches: map[uint32]bool{}, halves: map[halfKey]*halfGroup{}}
	l.mainWalk()
	if l.arches[auditX86_64] {
		l.x32Walk()
	}
	l.exemptWalks()
	return l.ds
}

// add reports a finding with its witnesses.
func (l *linter) add(pc int, code, detail string, ws ...Witness) {
	d := warn(pc, code, detail)
	d.Witness = ws
	l.ds = append(l.ds, d)
}

// walk runs w and says, once, if it stopped at the bound.
func (l *linter) walk(w *pathWalk) {
	w.run()
	if key := (lintKey{LintPathLimit, -1}); w.over && !l.done[key] {
		l.done[key] = true
		l.add(-1, LintPathLimit, fmt.Sprintf("a walk stopped after %d branches and returns", w.nodes-1))
	}
}

// run runs d in the VM and returns the result and the pcs executed, in
// scratch buffer buf (0 or 1), valid until the next run with it.
func (l *linter) run(d vm.SeccompData, buf int) (uint32, []int) {
	path := l.paths[buf][:0]
	r := l.m.RunSeccompOpts(d, &vm.Options{Trace: func(s vm.Step) { path = append(path, s.PC) }})
	l.paths[buf] = path
	return r.Ret, path
}

// solvePath returns one solution of cs for every word, the smallest on
// each (0 where unconstrained). Words pinned by == and words with only
// unmasked constraints (an interval less the != values) are solved here
// without allocating much; the others by the bit solver.
func solvePath(cs conj) (words [16]uint32, ok bool) {
	var on uint16
	for _, c := range cs {
		on |= 1 << c.Word
	}
	var ne []uint64
	for w := uint8(0); w < 16; w++ {
		if on&(1<<w) == 0 {
			continue
		}
		var lo, hi uint64
		var full bool
		lo, hi, ne, full = interval(cs, int(w), ne)
		if !full {
			v, found := solveWord(cs.onWord(w))
			if !found {
				return words, false
			}
			words[w] = v
			continue
		}
		v, found := smallest(lo, hi, ne)
		if !found {
			return words, false
		}
		words[w] = v
	}
	return words, true
}

// mainWalk follows every path once: it collects the arch values tested,
// finds nr tests before any arch test, foreign arches reaching ALLOW and
// one-sided argument tests.
func (l *linter) mainWalk() {
	w := newWalk(l.prog, nil)
	var nrFirst []pathCand // first nr test of a path that has not tested arch
	seenNr := map[int]bool{}
	var foreign []pathCand // ALLOW leaves where arch is not pinned
	perRet := map[int]int{}
	w.branch = func(pc int, c constraint) {
		switch {
		case c.Word == 0 && !constrains(w.cs, 1) && !constrains(w.cs, 0) && !seenNr[pc]:
			seenNr[pc] = true
			nrFirst = append(nrFirst, pathCand{pc, slices.Clone(w.cs)})
		case c.Word == 1 && c.Mask == fullMask && (c.Op == opEQ || c.Op == opNE):
			l.arches[c.C] = true
		}
	}
	w.leaf = func(retPC int, ret symVal) {
		if ret.Kind != symConst {
			return
		}
		if ret.C&action.ActionFull == action.Allow && perRet[retPC] < 4 {
			if _, ok := pinned(w.cs, 1); !ok {
				perRet[retPC]++
				foreign = append(foreign, pathCand{retPC, slices.Clone(w.cs)})
			}
		}
		if letsRun(ret.C) && w.inexact == 0 {
			l.argHalf(w, retPC, ret.C)
		}
		if av, ok := pinned(w.cs, 1); (ok && av == auditI386 || !ok && w.feasible(constraint{Word: 1, Op: opEQ, Mask: fullMask, C: auditI386})) && w.inexact == 0 {
			l.i386High(w, retPC)
		}
	}
	l.walk(w)
	for _, k := range l.halfOrder {
		g := l.halves[k]
		detail := g.detail
		if len(g.more) > 0 {
			var pcs []string
			for _, pc := range g.more {
				pcs = append(pcs, fmt.Sprint(pc))
			}
			if len(pcs) == 1 {
				detail += fmt.Sprintf(" (insn %s compares it the same way)", pcs[0])
			} else {
				detail += fmt.Sprintf(" (insns %s compare it the same way)", strings.Join(pcs, ", "))
			}
		}
		l.add(g.pc, LintArgHalf, detail, g.witness...)
	}
	for _, c := range nrFirst {
		l.nrBeforeArch(c)
	}
	for _, c := range foreign {
		l.foreignArch(c)
	}
}

// i386High looks, on a path of an i386 call, for a test of the high word
// of an argument (little endian: odd words from 5 up) and confirms with two
// calls that differ only in that word, one taking the path and one not,
// that the result changes.
func (l *linter) i386High(w *pathWalk, retPC int) {
	for j, c := range w.cs {
		pc := w.pcs[j]
		key := lintKey{LintI386High, pc}
		if c.Word < 5 || c.Word%2 == 0 || pc < 0 || l.done[key] {
			continue
		}
		words, ok := solvePath(append(w.cs[:len(w.cs):len(w.cs)], constraint{Word: 1, Op: opEQ, Mask: fullMask, C: auditI386}))
		if !ok {
			return
		}
		var other []constraint
		for k, d := range w.cs {
			if d.Word == c.Word && k != j {
				other = append(other, d)
			}
		}
		neg := c
		neg.Op = neg.Op.negate()
		hi, ok := solveWord(append(other, neg))
		if !ok {
			continue
		}
		a := wordsToData(words)
		words[c.Word] = hi
		b := wordsToData(words)
		ra, pa := l.run(a, 0)
		rb, _ := l.run(b, 1)
		if ra == rb || pa[len(pa)-1] != retPC || !slices.Contains(pa, pc) {
			continue
		}
		l.done[key] = true
		i := int(c.Word-5) / 2
		l.add(pc, LintI386High, fmt.Sprintf("%s args[%d]: %#x gets %s, %#x gets %s: the same call to the i386 syscall",
			callDesc(a), i, a.Args[i], action.String(ra), b.Args[i], action.String(rb)), Witness{a, ra}, Witness{b, rb})
	}
}

// nrBeforeArch confirms that a call from an arch other than the tested
// ones reaches the nr test at c.pc without the filter reading arch.
func (l *linter) nrBeforeArch(c pathCand) {
	words, ok := solvePath(c.cs)
	if !ok {
		return
	}
	av, ok := l.pickArch(c.cs, true)
	if !ok {
		return
	}
	words[1] = av
	d := wordsToData(words)
	ret, path := l.run(d, 0)
	for _, pc := range path {
		if pc == c.pc {
			l.add(c.pc, LintNrBeforeArch, fmt.Sprintf("%s reaches this test of nr before the filter reads arch", archDesc(av)),
				Witness{d, ret})
			return
		}
		if in := l.prog[pc]; opcode.Op(in.Op) == opcode.LD|opcode.W|opcode.ABS && in.K == 4 {
			return
		}
	}
}

// foreignArch confirms that a call from an arch the filter never tests
// reaches the ALLOW at c.pc.
func (l *linter) foreignArch(c pathCand) {
	key := lintKey{LintForeignArch, c.pc}
	if l.done[key] {
		return
	}
	av, ok := l.pickArch(c.cs, true)
	if !ok {
		return
	}
	words, ok := solvePath(append(c.cs[:len(c.cs):len(c.cs)], constraint{Word: 1, Op: opEQ, Mask: fullMask, C: av}))
	if !ok {
		return
	}
	d := wordsToData(words)
	ret, path := l.run(d, 0)
	if ret&action.ActionFull != action.Allow || path[len(path)-1] != c.pc {
		return
	}
	l.done[key] = true
	l.add(c.pc, LintForeignArch, fmt.Sprintf("%s reaches ALLOW here (%s)", archDesc(av), callDesc(d)), Witness{d, ret})
}

// compatArch names, for an arch a filter may serve, the arch whose calls
// the same kernel also runs (and that a filter for the first must refuse).
var compatArch = map[string]string{"x86_64": "x86", "aarch64": "arm", "mips64": "mips", "mipsel64": "mipsel"}

// pickArch returns an arch value that the filter never compares arch with
// and that satisfies the path's constraints on arch: preferably the 32-bit
// sibling of an arch the filter serves, else a known arch, else any value
// (when any is true).
func (l *linter) pickArch(cs conj, any bool) (uint32, bool) {
	ok := func(v uint32) bool {
		if l.arches[v] {
			return false
		}
		for _, c := range cs {
			if c.Word == 1 && !c.holds(v) {
				return false
			}
		}
		return true
	}
	var prefer []uint32
	tested := slices.Sorted(maps.Keys(l.arches))
	for _, v := range tested {
		if a := arch.ByAudit(v); a != nil {
			if s, found := compatArch[a.Name]; found {
				if sa, err := arch.Lookup(s); err == nil {
					prefer = append(prefer, sa.Audit)
				}
			}
		}
	}
	for _, n := range []string{"x86", "x86_64", "arm", "aarch64"} {
		if a, err := arch.Lookup(n); err == nil {
			prefer = append(prefer, a.Audit)
		}
	}
	for _, a := range arch.All() {
		prefer = append(prefer, a.Audit)
	}
	for _, v := range prefer {
		if ok(v) {
			return v, true
		}
	}
	if !any {
		return 0, false
	}
	on := cs.onWord(1)
	for _, v := range tested {
		on = append(on, constraint{Word: 1, Op: opNE, Mask: fullMask, C: v})
	}
	return solveWord(on)
}

// argHalf looks, on a path that ends in an action letting the call run,
// for an argument whose low word is compared with == or <= (a test a value
// with high bits set passes too, though a 64-bit test would refuse it)
// while its high word is tested nowhere on the path, in a call that reads
// that argument as a 64-bit value (arch.Arg32 false: a pointer, a size, an
// offset, an unsigned long; an int's high half never reaches the call, so
// testing its low word is exact); it points at that comparison, and
// confirms with two inputs of that call that differ only in the high word
// and get the same result.
func (l *linter) argHalf(w *pathWalk, retPC int, ret uint32) {
	av, ok := pinned(w.cs, 1)
	if !ok {
		// Not pinned: the lint reads the path as a 64-bit arch's.
		if av, ok = l.pick64(w.cs); !ok {
			return
		}
	}
	if av&audit64Bit == 0 {
		return // a 32-bit ABI: the kernel passes 32-bit arguments
	}
	var on uint16
	for _, c := range w.cs {
		on |= 1 << c.Word
	}
	for i := range 6 {
		lo, hi := uint8(4+2*i), uint8(5+2*i)
		if av&auditLE == 0 {
			lo, hi = hi, lo
		}
		if on&(1<<hi) != 0 || on&(1<<lo) == 0 {
			continue
		}
		j := slices.IndexFunc(w.cs, func(c constraint) bool {
			return c.Word == lo && c.Mask == fullMask && (c.Op == opEQ || c.Op == opLE)
		})
		if j < 0 {
			continue
		}
		pc := w.pcs[j]
		key := lintKey{LintArgHalf, pc}
		if pc < 0 || l.done[key] {
			continue
		}
		// Not done yet when the path's calls all read the argument as
		// 32-bit: another path through pc may be another call's.
		nr, ok := l.wideCall(av, w.cs, i)
		if !ok {
			continue
		}
		l.done[key] = true
		words, ok := solvePath(append(w.cs[:len(w.cs):len(w.cs)], constraint{Word: 0, Op: opEQ, Mask: fullMask, C: nr}))
		if !ok {
			continue
		}
		words[1] = av
		a := wordsToData(words)
		b := a
		b.Args[i] |= 1 << 32
		ra, pa := l.run(a, 0)
		rb, pb := l.run(b, 1)
		if ra != ret || rb != ret || !slices.Contains(pa, pc) || !slices.Equal(pa, pb) || pa[len(pa)-1] != retPC {
			continue
		}
		c := w.cs[j]
		k := halfKey{a.Arch, uint32(a.Nr), i}
		g := l.halves[k]
		if g == nil {
			g = &halfGroup{pc: pc, witness: []Witness{{a, ra}, {b, rb}},
				detail: fmt.Sprintf("%s args[%d], which the kernel reads as a 64-bit value: compared here on its low word (%s %#x), and its high word nowhere on the way to %s: %#x and %#x both get %s",
					callDesc(a), i, c.Op, c.C, action.String(ret), a.Args[i], b.Args[i], action.String(ret))}
			l.halves[k] = g
			l.halfOrder = append(l.halfOrder, k)
		} else {
			g.more = append(g.more, pc)
		}
	}
}

// wideCall returns a syscall number that the path's constraints on nr
// allow, of a call that reads argument i as a 64-bit value on arch av
// (on x86_64, x32 numbers name x32 calls): the smallest, or the pinned
// one. Numbers of no call the tables know are not candidates: the kernel
// runs nothing there (ENOSYS), or a newer call whose argument types the
// tables do not know. The multiplexers' call number (socketcall's and
// ipc's arg0, an int) is 32-bit like any other int.
func (l *linter) wideCall(av uint32, cs conj, i int) (uint32, bool) {
	if nr, ok := pinned(cs, 0); ok {
		a := callArch(av, nr)
		if a == nil {
			return 0, false
		}
		name, known := a.SyscallName(nr)
		return nr, known && !a.Arg32(name, i)
	}
	a := arch.ByAudit(av)
	if a == nil {
		return 0, false
	}
	as := []*arch.Arch{a}
	if a.Name == "x86_64" {
		if x, err := arch.Lookup("x32"); err == nil {
			as = append(as, x)
		}
	}
	onNr := cs.onWord(0)
	for _, a := range as {
		if l.syscalls == nil {
			l.syscalls = map[*arch.Arch][]arch.Syscall{}
		}
		list, ok := l.syscalls[a]
		if !ok {
			list = a.Syscalls()
			l.syscalls[a] = list
		}
	next:
		for _, s := range list {
			for _, c := range onNr {
				if !c.holds(s.Number) {
					continue next
				}
			}
			if !a.Arg32(s.Name, i) {
				return s.Number, true
			}
		}
	}
	return 0, false
}

// callArch is the arch whose table names syscall nr of arch value av: x32
// for x86_64 numbers with X32SyscallBit; nil for an unknown arch.
func callArch(av, nr uint32) *arch.Arch {
	a := arch.ByAudit(av)
	if a != nil && a.Name == "x86_64" && nr&arch.X32SyscallBit != 0 && nr != nrNone {
		if x, err := arch.Lookup("x32"); err == nil {
			return x
		}
	}
	return a
}

// pick64 returns a 64-bit arch value (little endian first) satisfying the
// path's constraints on arch.
func (l *linter) pick64(cs conj) (uint32, bool) {
	for _, n := range []string{"x86_64", "aarch64", "riscv64", "ppc64le", "s390x", "ppc64"} {
		a, err := arch.Lookup(n)
		if err != nil {
			continue
		}
		ok := true
		for _, c := range cs {
			if c.Word == 1 && !c.holds(a.Audit) {
				ok = false
				break
			}
		}
		if ok {
			return a.Audit, true
		}
	}
	return 0, false
}

// x32Max is the highest x32 syscall number (bit 30 set) the tables know:
// the numbers between X32SyscallBit and it are x32 calls; above, the
// kernel returns ENOSYS whatever the filter says.
var x32Max = sync.OnceValue(func() uint32 {
	a, err := arch.Lookup("x32")
	if err != nil {
		return arch.X32SyscallBit | 0x3ff
	}
	sc := a.Syscalls()
	return sc[len(sc)-1].Number
})

// x32Walk follows the paths of x32 calls (arch x86_64, nr from
// X32SyscallBit to the last x32 number: nr -1, 0xffffffff, is no syscall
// of either ABI) and reports those that reach an action letting the call
// run without the filter having singled x32 out.
func (l *linter) x32Walk() {
	w := newWalk(l.prog, conj{
		{Word: 1, Op: opEQ, Mask: fullMask, C: auditX86_64},
		{Word: 0, Op: opGT, Mask: fullMask, C: arch.X32SyscallBit - 1},
		{Word: 0, Op: opLE, Mask: fullMask, C: x32Max()},
	})
	w.leaf = func(retPC int, ret symVal) {
		key := lintKey{LintX32, retPC}
		if ret.Kind != symConst || !letsRun(ret.C) || l.done[key] || testsX32(w.tests) {
			return
		}
		d, r, ok := l.witness(w, retPC, ret)
		nr := uint32(d.Nr)
		if !ok || nr&arch.X32SyscallBit == 0 || nr == nrNone {
			return
		}
		l.done[key] = true
		l.add(retPC, LintX32, fmt.Sprintf("%s (nr %#x) gets %s", callDesc(d), nr, action.String(r)), Witness{d, r})
	}
	l.walk(w)
}

// witness solves the constraints of w's current path, which ends at the
// return at retPC with value ret, and runs the solution in the VM: ok
// says the input does reach that return with that value.
func (l *linter) witness(w *pathWalk, retPC int, ret symVal) (d vm.SeccompData, r uint32, ok bool) {
	words, ok := solvePath(w.cs)
	if !ok {
		return d, 0, false
	}
	d = wordsToData(words)
	r, path := l.run(d, 0)
	return d, r, r == ret.C && path[len(path)-1] == retPC
}

// letsRun reports whether an action lets the syscall run (or hands the
// decision to someone who may let it run).
func letsRun(ret uint32) bool {
	switch ret & action.ActionFull {
	case action.Allow, action.Log, action.Trace, action.UserNotif:
		return true
	}
	return false
}

// testsX32 reports whether a path's tests of nr (those the filter made,
// not the ones the x32 walk starts from) single out x32 numbers on
// purpose: a test of bit 30, a bound at or above it, or a comparison with
// an x32 number.
func testsX32(cs conj) bool {
	for _, c := range cs {
		if c.Word != 0 {
			continue
		}
		if c.Mask&arch.X32SyscallBit != 0 && (c.Op == opGT || c.Op == opLE) && c.C >= arch.X32SyscallBit-1 {
			return true
		}
		if c.Mask&arch.X32SyscallBit != 0 && c.Mask != fullMask {
			return true
		}
		// A comparison with an x32 number (bit 30 set; -1 is no syscall)
		// names an x32 call: the filter handles x32 on this path.
		if c.Mask == fullMask && (c.Op == opEQ || c.Op == opNE) && c.C&arch.X32SyscallBit != 0 && c.C != nrNone {
			return true
		}
	}
	return false
}

// exemptWalks reports, for every arch the filter tests for, the syscalls
// its kernels exempt from seccomp (arch.Exempt) that the filter singles out
// and does not ALLOW (it decides them otherwise than numbers without a
// syscall): one finding for each return that such calls reach.
func (l *linter) exemptWalks() {
	for _, audit := range slices.Sorted(maps.Keys(l.arches)) {
		a := arch.ByAudit(audit)
		if a == nil {
			continue
		}
		type exempt struct {
			nr uint32
			e  arch.Exemption
		}
		type hit struct {
			ret uint32
			ex  []exempt
			ws  []Witness
		}
		hits := map[int]*hit{}
		// A number a's table does not name, below x32's.
		unnamed := uint32(0)
		for _, sc := range a.Syscalls() {
			if sc.Number < arch.X32SyscallBit {
				unnamed = max(unnamed, sc.Number+1000)
			}
		}
		for _, sc := range a.Syscalls() {
			ex, ok := a.Exempt(sc.Number)
			if !ok {
				continue
			}
			w := newWalk(l.prog, conj{
				{Word: 1, Op: opEQ, Mask: fullMask, C: audit},
				{Word: 0, Op: opEQ, Mask: fullMask, C: sc.Number},
			})
			found := false
			w.leaf = func(retPC int, ret symVal) {
				if found || ret.Kind != symConst || ret.C&action.ActionFull == action.Allow {
					return
				}
				d, r, ok := l.witness(w, retPC, ret)
				if !ok {
					return
				}
				// A filter that gives the call what it gives numbers no
				// syscall has (an allow-list's default) does not single
				// it out: nothing to fix there (explain still says it).
				u := d
				u.Nr = int32(unnamed)
				if ru, _ := l.run(u, 0); ru == r {
					return
				}
				found = true
				h := hits[retPC]
				if h == nil {
					h = &hit{ret: r}
					hits[retPC] = h
				}
				h.ex = append(h.ex, exempt{sc.Number, ex})
				h.ws = append(h.ws, Witness{d, r})
			}
			l.walk(w)
		}
		for _, pc := range slices.Sorted(maps.Keys(hits)) {
			h := hits[pc]
			var names []string
			for _, ex := range h.ex {
				names = append(names, fmt.Sprintf("%s %s (nr %d; exempt since Linux %s%s)", a.Name, ex.e.Name, ex.nr, ex.e.Since, stableNote(ex.e)))
			}
			verb := "gets"
			if len(names) > 1 {
				verb = "get"
			}
			l.add(pc, LintExempt, fmt.Sprintf("%s %s %s here", strings.Join(names, " and "), verb, action.String(h.ret)), h.ws...)
		}
	}
}

func stableNote(ex arch.Exemption) string {
	if ex.Stable == "" {
		return ""
	}
	return ", also " + ex.Stable
}

// archDesc names an arch value: "x86 (arch 0x40000003)".
func archDesc(v uint32) string {
	if a := arch.ByAudit(v); a != nil {
		return fmt.Sprintf("a call from %s (arch %#x)", a.Name, v)
	}
	return fmt.Sprintf("a call from arch %#x", v)
}

// callDesc names the call of an input: "x86_64 openat", "x32 read",
// "x86 nr 1000".
func callDesc(d vm.SeccompData) string {
	nr := uint32(d.Nr)
	a := callArch(d.Arch, nr)
	if a == nil {
		return fmt.Sprintf("arch %#x nr %d", d.Arch, nr)
	}
	if n, ok := a.SyscallName(nr); ok {
		return a.Name + " " + n
	}
	return fmt.Sprintf("%s nr %#x", a.Name, nr)
}
