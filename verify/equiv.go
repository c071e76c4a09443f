package verify

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/diag"
	"github.com/cbpfkit/cbpf/vm"
)

// Verdict is the answer of Equivalent.
type Verdict uint8

const (
	Equal     Verdict = iota // proven to return the same value for every input
	Different                // a counterexample input is given
	Unknown                  // neither proven nor refuted
)

func (v Verdict) String() string {
	return [...]string{"equal", "different", "unknown"}[v]
}

// Equivalence is the result of Equivalent.
type Equivalence struct {
	Verdict Verdict
	// For Different: an input on which the programs differ, and what each
	// returns on it (checked by running both in the VM).
	Seccomp    vm.SeccompData // seccomp mode
	Packet     []byte         // packet mode
	RetA, RetB uint32
	// For Unknown: why no proof was found, in a sentence, and (seccomp
	// mode) the classes of inputs the proof did not finish. Every input
	// outside them is proven to give the same return in both programs.
	Reason   string
	Unproven []Region
	// Paths is the number of pairs of paths (one through each program)
	// the symbolic search compared.
	Paths int
}

// maxEquivNodes bounds the symbolic search of one program (explore.go);
// past it the answer is approximate.
const maxEquivNodes = 2_000_000

// EquivOptions bounds the search of EquivalentWith. The zero value means
// the defaults, chosen so that an answer comes within seconds, in a few
// tens of megabytes, for programs of any size.
type EquivOptions struct {
	// MaxPaths is how many pairs of paths (one through each program) the
	// proof compares within one class of inputs before it gives the class
	// up as unproven. A class is the inputs that take one branch of a
	// test of arch or nr in either program: one syscall of one arch, say,
	// or the numbers a filter sends to its default action. 0 means
	// DefaultMaxPaths.
	MaxPaths int
	// Timeout bounds the whole call: the proof gets four fifths of it (the
	// classes not finished by then are unproven), the search for a
	// counterexample by sampling the rest. 0 means DefaultTimeout;
	// negative, none.
	Timeout time.Duration
	// MaxSolverSteps bounds one decision of whether a path's constraints
	// can be met; a class where it runs out is unproven. 0 means
	// DefaultMaxSolverSteps.
	MaxSolverSteps int
	// Samples is how many inputs are run in both programs, when the proof
	// is incomplete, to look for a counterexample (most of them inside the
	// unproven classes). 0 means DefaultSamples; negative, none.
	Samples int
}

// The defaults of EquivOptions. A class of DefaultMaxPaths pairs of paths
// takes about a second; compiled filters have classes of a few to a few
// hundred. The search keeps one path in memory at a time, and each
// solver call at most DefaultMaxSolverSteps small entries.
const (
	DefaultMaxPaths       = 100_000
	DefaultTimeout        = 5 * time.Second
	DefaultMaxSolverSteps = 1 << 16
	DefaultSamples        = 200_000
)

func (o EquivOptions) withDefaults() EquivOptions {
	if o.MaxPaths <= 0 {
		o.MaxPaths = DefaultMaxPaths
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxSolverSteps <= 0 {
		o.MaxSolverSteps = DefaultMaxSolverSteps
	}
	if o.Samples == 0 {
		o.Samples = DefaultSamples
	}
	return o
}

// InvalidProgramError is the error Equivalent returns for a program the
// kernel would not accept (or that cannot be run).
type InvalidProgramError struct {
	Prog int // 0 for A, 1 for B
	Diag Diagnostic
	Err  error // when the VM refused it without a Diagnostic
}

// As lets errors.As see e as a *diag.Error: the VM's, or the
// Diagnostic's at its instruction, with "program A: " or "program B: "
// before the message.
func (e *InvalidProgramError) As(target any) bool {
	t, ok := target.(**diag.Error)
	if !ok {
		return false
	}
	var d diag.Error
	if e.Err != nil {
		var inner *diag.Error
		if !errors.As(e.Err, &inner) {
			inner = &diag.Error{Pos: diag.AtInsn(-1), Code: diag.CodeInvalidProgram, Msg: e.Err.Error()}
		}
		d = *inner
	} else {
		d = *e.Diag.Err()
	}
	d.Msg = fmt.Sprintf("program %c: %s", 'A'+e.Prog, d.Msg)
	*t = &d
	return true
}

func (e *InvalidProgramError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("program %c is not valid: %v", 'A'+e.Prog, e.Err)
	}
	return fmt.Sprintf("program %c is not valid: %v", 'A'+e.Prog, e.Diag)
}

// Equivalent is EquivalentWith with the default options.
func Equivalent(a, b []bpf.RawInstruction, mode Mode) (Equivalence, error) {
	return EquivalentWith(a, b, mode, EquivOptions{})
}

// EquivalentWith reports whether a and b return the same value for every
// input in mode. For seccomp programs whose loaded words reach only
// comparisons with constants and masks (what compilers emit) the answer is
// exact: it explores both programs together, path by path, keeping the
// constraints each path puts on the words of seccomp_data and pruning
// paths no input can take. The search is split into classes of inputs at
// the programs' tests of arch and nr, and bounded by opt: a class it
// cannot finish in time is reported in Unproven, and the answer is
// Unknown unless running both programs on inputs (most of them in the
// unproven classes) finds a counterexample. Programs that compute on
// loaded words are compared exactly where they do not, and by sampling
// where they do; packet programs by sampling only (or Equal for identical
// programs). A program the kernel would reject is an *InvalidProgramError.
func EquivalentWith(a, b []bpf.RawInstruction, mode Mode, opt EquivOptions) (Equivalence, error) {
	var ms [2]*vm.Machine
	for i, p := range [][]bpf.RawInstruction{a, b} {
		if ds := KernelCheck(p, mode); len(ds) > 0 {
			return Equivalence{}, &InvalidProgramError{Prog: i, Diag: ds[0]}
		}
		m, err := vm.New(p, mode)
		if err != nil {
			return Equivalence{}, &InvalidProgramError{Prog: i, Err: err}
		}
		ms[i] = m
	}
	ma, mb := ms[0], ms[1]
	if equalProgs(a, b) {
		return Equivalence{Verdict: Equal}, nil
	}
	opt = opt.withDefaults()
	// The search has four fifths of the time, sampling the rest.
	var searchEnd, end time.Time
	if opt.Timeout > 0 {
		start := time.Now()
		searchEnd, end = start.Add(opt.Timeout*4/5), start.Add(opt.Timeout)
	}
	if mode == Packet {
		return samplePacket(ma, mb, end), nil
	}
	e := &equiv{a: a, b: b, ma: ma, mb: mb, opt: opt, regions: map[string]int{}, deadline: searchEnd}
	e.divA, e.divB = hasDivX(a), hasDivX(b)
	init := side{st: symState{a: constVal(0), x: constVal(0)}}
	e.walk(init, init, path{cs: make(conj, 0, 64)}, false, &class{})
	res := Equivalence{Paths: e.paths}
	switch {
	case e.found:
		res.Verdict, res.Seccomp, res.RetA, res.RetB = Different, e.cex, e.retA, e.retB
		return res, nil
	case e.bogus:
		return Equivalence{}, errors.New("verify: internal error: the symbolic counterexample does not differ in the VM")
	case len(e.unproven) == 0:
		res.Verdict = Equal
		return res, nil
	}
	res.Unproven = e.unproven
	n := 0
	if opt.Samples > 0 {
		// First an input for each path of either program in each unproven
		// class, then inputs built from the programs' constants.
		var s Equivalence
		s, n = e.probeRegions(opt.Samples/2, end)
		if s.Verdict != Different {
			var m int
			s, m = sampleRegions(ma, mb, a, b, e.unproven, opt.Samples-n, end)
			n += m
		}
		if s.Verdict == Different {
			s.Paths = e.paths
			return s, nil
		}
	}
	res.Verdict = Unknown
	res.Reason = unknownReason(res.Unproven, n)
	return res, nil
}

func equalProgs(a, b []bpf.RawInstruction) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Why a class is unproven.
const (
	whyPaths   = "paths"   // it has more than MaxPaths pairs of paths
	whyTime    = "time"    // the timeout ran out
	whySolver  = "solver"  // deciding a path's constraints took too long
	whyCompute = "compute" // the programs compute on loaded words there
)

// Region is a class of seccomp inputs the proof did not finish: the
// inputs whose arch and nr meet Cond (constraints on words 0 and 1 only;
// the arguments may be anything).
type Region struct {
	Cond string // the constraints, e.g. "arch == 0xc000003e && nr == 0x38"; "" for every input
	// Arch and Nr when Cond pins them to one value.
	Arch, Nr           uint32
	ArchKnown, NrKnown bool
	Why                string // why the proof stopped there, e.g. "the search was cut off after 100000 pairs of paths"
	cs                 conj
}

type equiv struct {
	a, b     []bpf.RawInstruction
	ma, mb   *vm.Machine
	opt      EquivOptions
	deadline time.Time
	nodes    int
	paths    int
	timedOut bool
	full     bool // too many unproven classes: every input is given up
	found    bool
	bogus    bool // an exact path gave a counterexample the VM refutes
	cex      vm.SeccompData
	retA     uint32
	retB     uint32
	unproven []Region
	regions  map[string]int // Cond -> index in unproven
	divA     bool           // a divides by X somewhere
	divB     bool
	probing  bool  // probeRegions runs: the search is over
	scratch  conj  // for feasible
	lim      limit // for solverLimit
}

// class is a set of inputs the search treats as a unit: those that took
// one branch of a test of arch or nr (the root class has every input).
// Its budget counts the pairs of paths it compared outside its
// subclasses. A class is cut only while none of its subclasses is being
// searched (at one of its own paths, or at a branch in it), so that
// checking cut where the search enters a class or a subclass is enough.
type class struct {
	parent *class
	c      constraint // the test of arch or nr that starts it (none at the root)
	paths  int
	cut    bool
}

// cs returns the constraints that define the class: its tests of arch
// and nr, which are those of the path into it.
func (c *class) cs() conj {
	var cs conj
	for ; c.parent != nil; c = c.parent {
		cs = append(cs, c.c)
	}
	slices.Reverse(cs)
	return cs
}

// archNr returns the constraints of cs on arch and nr, copied.
func archNr(cs conj) conj {
	var out conj
	for _, c := range cs {
		if c.Word <= 1 {
			out = append(out, c)
		}
	}
	return out
}

// stopped reports whether the search is over: a counterexample, a bug,
// the timeout, or too many unproven classes.
func (e *equiv) stopped() bool {
	if !e.timedOut && e.nodes&255 == 0 && !e.deadline.IsZero() && time.Now().After(e.deadline) {
		e.timedOut = true
	}
	return e.found || e.bogus || e.timedOut || e.full
}

// giveUp records the inputs meeting cs's constraints on arch and nr as
// unproven, for why (one of the why* codes).
func (e *equiv) giveUp(cs conj, why string) {
	if e.probing {
		return
	}
	switch why {
	case whyPaths:
		why = fmt.Sprintf("the search was cut off after %d pairs of paths", e.opt.MaxPaths)
	case whyTime:
		why = fmt.Sprintf("the search ran out of time (%v)", e.opt.Timeout)
	case whySolver:
		why = fmt.Sprintf("deciding a path's constraints took more than %d steps", e.opt.MaxSolverSteps)
	case whyCompute:
		why = "the programs compute on loaded words beyond comparisons and masks"
	}
	cond := archNr(cs)
	key := cond.String()
	if i, ok := e.regions[key]; ok {
		if e.unproven[i].Why == "" {
			e.unproven[i].Why = why
		}
		return
	}
	if len(e.unproven) >= maxRegions {
		// Too many to list: give every input up, and stop.
		e.unproven = append(e.unproven[:0], newRegion(nil, fmt.Sprintf("more than %d classes of inputs were unproven (the last: %s)", maxRegions, why)))
		e.regions = map[string]int{"": 0}
		e.full = true
		return
	}
	e.regions[key] = len(e.unproven)
	e.unproven = append(e.unproven, newRegion(cond, why))
}

// maxRegions bounds the unproven classes listed (and their memory).
const maxRegions = 1000

// newRegion describes the inputs meeting cond (constraints on words 0 and
// 1).
func newRegion(cond conj, why string) Region {
	r := Region{cs: cond, Why: why}
	r.Arch, r.ArchKnown = onePoint(cond.onWord(1))
	r.Nr, r.NrKnown = onePoint(cond.onWord(0))
	parts := make([]string, len(cond))
	for i, c := range cond {
		parts[i] = strings.Replace(c.String(), "w"+strconv.Itoa(int(c.Word)), [...]string{"nr", "arch"}[c.Word], 1)
	}
	r.Cond = strings.Join(parts, " && ")
	return r
}

// onePoint reports whether cs (about one word) has exactly one solution.
func onePoint(cs []constraint) (uint32, bool) {
	if len(cs) == 0 {
		return 0, false
	}
	lim := &limit{max: DefaultMaxSolverSteps}
	v, st := solveWordWithin(cs, lim)
	if st != solved {
		return 0, false
	}
	_, st = solveWordWithin(append(cs[:len(cs):len(cs)], constraint{Op: opNE, Mask: 0xffffffff, C: v}), lim)
	return v, st == noSolution
}

// String describes the region as "x86_64 clone (nr 56): why".
func (r Region) String() string {
	return r.Inputs() + ": " + r.Why
}

// Inputs describes the region's inputs: "x86_64 clone (nr 56)", "x32
// read (nr 0x40000000)", "x86_64, nr 57-60, 62", "every input".
func (r Region) Inputs() string {
	var a *arch.Arch
	var parts []string
	switch {
	case r.ArchKnown:
		if a = arch.ByAudit(r.Arch); a != nil {
			if a.Name == "x86_64" && r.NrKnown && r.Nr&arch.X32SyscallBit != 0 && r.Nr != 0xffffffff {
				x32, _ := arch.Lookup("x32")
				a = x32
			}
			parts = append(parts, a.Name)
		} else {
			parts = append(parts, fmt.Sprintf("arch %#x", r.Arch))
		}
	case len(r.cs.onWord(1)) > 0:
		parts = append(parts, conjOn(r.cs.onWord(1), "arch"))
	}
	nrs := r.cs.onWord(0)
	switch {
	case r.NrKnown:
		n := fmt.Sprintf("nr %s", nrString(r.Nr))
		if a != nil {
			if name, ok := a.SyscallName(r.Nr); ok {
				n = fmt.Sprintf("%s (%s)", name, n)
			}
		}
		parts = append(parts, n)
	case len(nrs) > 0:
		parts = append(parts, nrSet(nrs))
	}
	if len(parts) == 0 {
		return "every input"
	}
	if r.NrKnown {
		return strings.Join(parts, " ")
	}
	return strings.Join(parts, ", ")
}

func nrString(v uint32) string {
	if v < 0x10000 {
		return strconv.FormatUint(uint64(v), 10)
	}
	return fmt.Sprintf("%#x", v)
}

func conjOn(cs []constraint, name string) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = strings.Replace(c.String(), "w"+strconv.Itoa(int(c.Word)), name, 1)
	}
	return strings.Join(parts, " && ")
}

// nrSet describes the numbers meeting cs: as ranges when cs only compares
// the whole word (an interval less some points), else as the constraints.
func nrSet(cs []constraint) string {
	lo, hi, ne, full := interval(cs, -1, nil)
	if !full {
		return conjOn(cs, "nr")
	}
	slices.Sort(ne)
	var pieces []string
	n := 0
	add := func(a, b uint64) {
		if a > b {
			return
		}
		if n++; n > 6 {
			return
		}
		if a == b {
			pieces = append(pieces, nrString(uint32(a)))
		} else {
			pieces = append(pieces, nrString(uint32(a))+"-"+nrString(uint32(b)))
		}
	}
	at := lo
	for _, k := range ne {
		if k < at || k > hi {
			continue
		}
		if k > at {
			add(at, k-1)
		}
		at = k + 1
	}
	add(at, hi)
	s := "nr " + strings.Join(pieces, ", ")
	if n > 6 {
		s += fmt.Sprintf(" and %d more ranges", n-6)
	}
	return s
}

// unknownReason says what was proven and what was not.
func unknownReason(rs []Region, samples int) string {
	var b strings.Builder
	if len(rs) == 1 && rs[0].Cond == "" {
		b.WriteString("no class of inputs is proven: " + rs[0].Why)
	} else {
		b.WriteString("proven equal for every input except ")
		for i, r := range rs {
			if i == 3 {
				fmt.Fprintf(&b, "; and %d more classes", len(rs)-3)
				break
			}
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s, where %s", r.Inputs(), r.Why)
		}
	}
	if samples > 0 {
		fmt.Fprintf(&b, "; no counterexample among %d sampled inputs", samples)
	}
	return b.String()
}

// side is one program's state on a path: running, or returned.
type side struct {
	st   symState
	done bool
	ret  symVal
}

// path is the constraints a path puts on the input, and an input that
// meets them: at a branch the input meets one outcome, so only the other
// needs solving.
type path struct {
	cs  conj
	wit [16]uint32
	pin uint16 // words cs pins with an unmasked ==: their wit is the value
}

// walk explores a and b together from sa and sb on path p (known
// satisfiable) in class cl. approx is set once the path went through a
// branch on an unknown value: its constraints then over-approximate the
// inputs that take it. It stops at the first counterexample, and gives up
// the classes it cannot finish.
func (e *equiv) walk(sa, sb side, p path, approx bool, cl *class) {
	e.nodes++
	if e.stopped() {
		if e.timedOut && !cl.cut {
			e.giveUp(p.cs, whyTime)
		}
		return
	}
	if cl.cut {
		return
	}
	switch {
	case !sa.done:
		e.step(e.a, e.divA, sa, p, approx, cl, func(s side, p path, approx bool, cl *class) {
			e.walk(s, sb, p, approx, cl)
		})
	case !sb.done:
		e.step(e.b, e.divB, sb, p, approx, cl, func(s side, p path, approx bool, cl *class) {
			e.walk(sa, s, p, approx, cl)
		})
	default:
		e.paths++
		if cl.paths++; cl.paths > e.opt.MaxPaths {
			cl.cut = true
			e.giveUp(cl.cs(), whyPaths)
			return
		}
		e.compare(sa.ret, sb.ret, p, approx)
	}
}

// step advances one program to its next branch or return and follows
// each outcome. Symbolic execution does not model the kernel's end of a
// program that divides by X == 0 (it returns 0): where that may happen,
// the return of 0 is followed too, and both outcomes are approximate.
func (e *equiv) step(prog []bpf.RawInstruction, hasDivX bool, s side, p path, approx bool, cl *class, next func(side, path, bool, *class)) {
	start := s.st
	st := advance(prog, &s.st)
	if hasDivX && mayDivideByZero(prog, start.pc, start.x) {
		next(side{done: true, ret: constVal(0)}, p, true, cl)
		approx = true
	}
	if st.ret {
		s.done, s.ret = true, st.retVal
		next(s, p, approx, cl)
		return
	}
	e.split(st, p, approx, cl, func(pc int, p path, approx bool, cl *class) {
		n := s
		n.st.pc = pc
		next(n, p, approx, cl)
	})
}

// hasDivX reports whether prog divides by X anywhere.
func hasDivX(prog []bpf.RawInstruction) bool {
	for _, ins := range prog {
		if opcode.Op(ins.Op) == opcode.ALU|opcode.DIV|opcode.X || opcode.Op(ins.Op) == opcode.ALU|opcode.MOD|opcode.X {
			return true
		}
	}
	return false
}

// mayDivideByZero reports whether the straight-line code from pc (what
// advance runs) may divide by X == 0, X being x at pc: unless X is known
// not to be 0 at each division.
func mayDivideByZero(prog []bpf.RawInstruction, pc int, x symVal) bool {
	nonzero := x.Kind == symConst && x.C != 0
	for ; pc < len(prog); pc++ {
		ins := prog[pc]
		switch {
		case opcode.Op(ins.Op) == opcode.ALU|opcode.DIV|opcode.X || opcode.Op(ins.Op) == opcode.ALU|opcode.MOD|opcode.X:
			if !nonzero {
				return true
			}
		case opcode.Op(ins.Op) == opcode.LDX|opcode.IMM:
			nonzero = ins.K != 0
		case opcode.Op(ins.Op) == opcode.LDX|opcode.W|opcode.LEN:
			nonzero = true
		case opcode.Op(ins.Op).Class() == opcode.LDX || opcode.Op(ins.Op) == opcode.MISC|opcode.TAX:
			nonzero = false
		case opcode.Op(ins.Op) == opcode.JMP|opcode.JA:
			pc += int(ins.K)
		case opcode.Op(ins.Op).Class() == opcode.JMP || opcode.Op(ins.Op).Class() == opcode.RET:
			return false
		}
	}
	return false
}

// split follows each feasible outcome of a branch. A branch on arch or nr
// that both outcomes can take starts a class on each side.
func (e *equiv) split(st symStep, p path, approx bool, cl *class, next func(pc int, p path, approx bool, cl *class)) {
	switch {
	case st.decided:
		if st.taken {
			next(st.jt, p, approx, cl)
		} else {
			next(st.jf, p, approx, cl)
		}
		return
	case st.unknown:
		next(st.jt, p, true, cl)
		next(st.jf, p, true, cl)
		return
	case st.jt == st.jf:
		next(st.jt, p, approx, cl)
		return
	}
	// The witness meets one outcome; is the other feasible?
	c := st.cond
	other, otherPC, samePC := negated(c), st.jf, st.jt
	if !c.holds(p.wit[c.Word]) {
		c, other, otherPC, samePC = other, c, st.jt, st.jf
	}
	if p.pin&(1<<c.Word) != 0 { // the witness is the only value
		next(samePC, p, approx, cl)
		return
	}
	v, fst := e.feasible(p.cs, other)
	switch fst {
	case gaveUp:
		cl.cut = true
		e.giveUp(cl.cs(), e.solverWhy())
		return
	case noSolution: // c is implied: nothing to add
		next(samePC, p, approx, cl)
		return
	}
	n := len(p.cs)
	follow := func(pc int, c constraint, w uint32) {
		if cl.cut {
			return
		}
		q := p
		q.cs = append(p.cs[:n], c) // the siblings share the array: one at a time
		q.wit[c.Word] = w
		if c.Op == opEQ && c.Mask == 0xffffffff {
			q.pin |= 1 << c.Word
		}
		ccl := cl
		if c.Word <= 1 {
			ccl = &class{parent: cl, c: c}
		}
		next(pc, q, approx, ccl)
	}
	// jt first, as the programs read.
	if samePC == st.jt {
		follow(samePC, c, p.wit[c.Word])
		follow(otherPC, other, v)
	} else {
		follow(otherPC, other, v)
		follow(samePC, c, p.wit[c.Word])
	}
}

// feasible decides whether cs plus c (a constraint that cs's witness does
// not meet) has a solution within the solver's limit, and gives the
// solution's value of c's word.
func (e *equiv) feasible(cs conj, c constraint) (uint32, solveStatus) {
	full := c.Mask == 0xffffffff
	e.scratch = e.scratch[:0]
	for i := len(cs) - 1; i >= 0; i-- { // the latest first: a test repeated soon
		d := cs[i]
		if d.Word != c.Word {
			continue
		}
		switch {
		case d.Op == opEQ && d.Mask == 0xffffffff: // pinned
			if c.holds(d.C) {
				return d.C, solved
			}
			return 0, noSolution
		case d.Mask == c.Mask && d.C == c.C && d.Op == c.Op.negate():
			return 0, noSolution
		}
		e.scratch = append(e.scratch, d)
	}
	if full && c.Op == opEQ {
		if all(e.scratch, c.C) {
			return c.C, solved
		}
		return 0, noSolution
	}
	e.scratch = append(e.scratch, c)
	return solveWordWithin(e.scratch, e.solverLimit())
}

// solverWhy tells why the last solver call gave up: its steps, or the
// timeout (which ends the search).
func (e *equiv) solverWhy() string {
	if e.lim.steps <= e.lim.max {
		e.timedOut = true
		return whyTime
	}
	return whySolver
}

func (e *equiv) solverLimit() *limit {
	e.lim = limit{max: int64(e.opt.MaxSolverSteps), deadline: e.deadline}
	return &e.lim
}

func negated(c constraint) constraint {
	c.Op = c.Op.negate()
	return c
}

// compare records a counterexample if the two returns can differ on p.
func (e *equiv) compare(ra, rb symVal, p path, approx bool) {
	switch {
	case ra.Kind == symConst && rb.Kind == symConst:
		if ra.C != rb.C {
			e.setCex(p.cs, approx)
		}
	case ra.Kind == symConst && rb.Kind == symWord:
		e.differs(rb, ra.C, p, approx)
	case ra.Kind == symWord && rb.Kind == symConst:
		e.differs(ra, rb.C, p, approx)
	case ra.Kind == symWord && rb.Kind == symWord && ra.Word == rb.Word && ra.Mask == rb.Mask:
		// the same value
	default:
		e.giveUp(p.cs, whyCompute)
	}
}

func (e *equiv) differs(w symVal, c uint32, p path, approx bool) {
	ne := constraint{Word: w.Word, Op: opNE, Mask: w.Mask, C: c}
	st := solved
	if !ne.holds(p.wit[w.Word]) {
		_, st = e.feasible(p.cs, ne)
	}
	switch st {
	case gaveUp:
		e.giveUp(p.cs, e.solverWhy())
	case solved:
		e.setCex(append(p.cs[:len(p.cs):len(p.cs)], ne), approx)
	}
}

// setCex checks a candidate counterexample in the VM. On an approximate
// path the candidate may be an input that does not take the path at all:
// then the search goes on, and the path's inputs stay unproven.
func (e *equiv) setCex(cs conj, approx bool) {
	words, st := cs.solveWithin(e.solverLimit())
	switch st {
	case noSolution:
		return
	case gaveUp:
		e.giveUp(cs, e.solverWhy())
		return
	}
	d := wordsToData(words)
	ra, rb := e.ma.RunSeccomp(d).Ret, e.mb.RunSeccomp(d).Ret
	switch {
	case ra != rb:
		e.found, e.cex, e.retA, e.retB = true, d, ra, rb
	case approx:
		e.giveUp(cs, whyCompute)
	default:
		e.bogus = true
	}
}

// wordsToData lays 16 words of seccomp_data out as the fields they are,
// in the byte order of the arch in word 1 (__AUDIT_ARCH_LE = 0x40000000).
func wordsToData(w [16]uint32) vm.SeccompData {
	var raw [64]byte
	bo := byteOrder(w[1])
	for i, v := range w {
		bo.PutUint32(raw[4*i:], v)
	}
	return dataFromBytes(raw, bo)
}

func byteOrder(archWord uint32) binary.ByteOrder {
	if archWord&0x40000000 != 0 {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

func dataFromBytes(raw [64]byte, bo binary.ByteOrder) vm.SeccompData {
	d := vm.SeccompData{
		Nr:                 int32(bo.Uint32(raw[0:])),
		Arch:               bo.Uint32(raw[4:]),
		InstructionPointer: bo.Uint64(raw[8:]),
	}
	for i := range d.Args {
		d.Args[i] = bo.Uint64(raw[16+8*i:])
	}
	return d
}

// picker draws word values for sampling: random, 0, or one of consts or
// a neighbour of it.
func picker(r *rand.Rand, consts []uint32) func() uint32 {
	return func() uint32 {
		switch r.IntN(4) {
		case 0:
			return r.Uint32()
		case 1:
			return 0
		}
		c := consts[r.IntN(len(consts))]
		return c + uint32(r.IntN(3)) - 1
	}
}

// sampleSeccomp looks for a counterexample by running both programs on
// inputs built from the constants they contain.
func sampleSeccomp(ma, mb *vm.Machine, a, b []bpf.RawInstruction, n int) Equivalence {
	consts := programConstants(a, b)
	r := rand.New(rand.NewPCG(1, 2))
	pick := picker(r, consts)
	for i := 0; i < n; i++ {
		var w [16]uint32
		for j := range w {
			w[j] = pick()
		}
		d := wordsToData(w)
		ra, rb := ma.RunSeccomp(d).Ret, mb.RunSeccomp(d).Ret
		if ra != rb {
			return Equivalence{Verdict: Different, Seccomp: d, RetA: ra, RetB: rb}
		}
	}
	return Equivalence{Verdict: Unknown}
}

// probeRegions runs both programs on an input for each path of either
// program through each unproven region, at most n inputs, until end. It
// stops at the first counterexample, and returns how many inputs it ran.
func (e *equiv) probeRegions(n int, end time.Time) (Equivalence, int) {
	e.probing, e.deadline = true, end
	ran := 0
	var res Equivalence
	try := func(w [16]uint32) bool {
		if ran >= n || ran&255 == 255 && !end.IsZero() && time.Now().After(end) {
			return true
		}
		ran++
		d := wordsToData(w)
		ra, rb := e.ma.RunSeccomp(d).Ret, e.mb.RunSeccomp(d).Ret
		if ra != rb {
			res = Equivalence{Verdict: Different, Seccomp: d, RetA: ra, RetB: rb}
			return true
		}
		return false
	}
	init := side{st: symState{a: constVal(0), x: constVal(0)}}
	for _, r := range e.unproven {
		wit, st := r.cs.solveWithin(e.solverLimit())
		if st != solved {
			continue
		}
		for _, prog := range []struct {
			p   []bpf.RawInstruction
			div bool
		}{{e.a, e.divA}, {e.b, e.divB}} {
			cs := append(make(conj, 0, len(r.cs)+64), r.cs...)
			e.probe(prog.p, prog.div, init, path{cs: cs, wit: wit}, &class{}, try)
			if res.Verdict == Different || ran >= n {
				return res, ran
			}
		}
	}
	return Equivalence{Verdict: Unknown}, ran
}

// probe visits the paths of one program from s on p, giving each path's
// witness to try until try returns true.
func (e *equiv) probe(prog []bpf.RawInstruction, div bool, s side, p path, cl *class, try func([16]uint32) bool) bool {
	if cl.cut {
		return false
	}
	if s.done {
		// The witness, and the largest input of the path: free flag bits
		// set rather than clear.
		if try(p.wit) {
			return true
		}
		if w, st := p.cs.solveMaxWithin(e.solverLimit()); st == solved {
			return try(w)
		}
		return false
	}
	stop := false
	e.step(prog, div, s, p, false, cl, func(s side, p path, _ bool, cl *class) {
		if !stop {
			stop = e.probe(prog, div, s, p, cl, try)
		}
	})
	return stop
}

// sampleRegions looks for a counterexample in the unproven regions (most
// of the n inputs) and anywhere (the rest): in a region, the arch and nr
// meet its constraints, the other words are built from the programs'
// constants.
//
// It stops at the first counterexample, after n inputs, or at end (if not
// zero), and returns how many inputs it ran.
func sampleRegions(ma, mb *vm.Machine, a, b []bpf.RawInstruction, rs []Region, n int, end time.Time) (Equivalence, int) {
	consts := programConstants(a, b)
	r := rand.New(rand.NewPCG(5, 6))
	pick := picker(r, consts)
	// Values of arch and nr in each region: its smallest solution, and
	// the picks that meet it.
	type cands struct{ nr, arch []uint32 }
	cs := make([]cands, len(rs))
	for i, reg := range rs {
		for w, dst := range [2]*[]uint32{&cs[i].nr, &cs[i].arch} {
			on := reg.cs.onWord(uint8(w))
			if v, st := solveWordWithin(on, &limit{max: DefaultMaxSolverSteps}); st == solved {
				*dst = append(*dst, v)
			}
			for range 200 {
				if v := pick(); all(on, v) {
					*dst = append(*dst, v)
				}
			}
		}
	}
	for i := 0; i < n; i++ {
		if i&1023 == 1023 && !end.IsZero() && time.Now().After(end) {
			return Equivalence{Verdict: Unknown}, i
		}
		var w [16]uint32
		for j := range w {
			w[j] = pick()
		}
		if k := i % (len(rs) + 1); k < len(rs) && len(cs[k].nr) > 0 && len(cs[k].arch) > 0 {
			w[0] = cs[k].nr[r.IntN(len(cs[k].nr))]
			w[1] = cs[k].arch[r.IntN(len(cs[k].arch))]
		}
		d := wordsToData(w)
		ra, rb := ma.RunSeccomp(d).Ret, mb.RunSeccomp(d).Ret
		if ra != rb {
			return Equivalence{Verdict: Different, Seccomp: d, RetA: ra, RetB: rb}, i + 1
		}
	}
	return Equivalence{Verdict: Unknown}, n
}

// all reports whether v meets every constraint of cs.
func all(cs []constraint, v uint32) bool {
	for _, c := range cs {
		if !c.holds(v) {
			return false
		}
	}
	return true
}

func samplePacket(ma, mb *vm.Machine, end time.Time) Equivalence {
	r := rand.New(rand.NewPCG(3, 4))
	pkt := make([]byte, 0, 256)
	for i := 0; i < 100_000; i++ {
		if i&1023 == 1023 && !end.IsZero() && time.Now().After(end) {
			break
		}
		pkt = pkt[:r.IntN(cap(pkt))]
		for j := range pkt {
			pkt[j] = byte(r.Uint32())
		}
		ra, rb := ma.RunPacket(pkt, nil).Ret, mb.RunPacket(pkt, nil).Ret
		if ra != rb {
			return Equivalence{Verdict: Different, Packet: append([]byte(nil), pkt...), RetA: ra, RetB: rb}
		}
	}
	return Equivalence{Verdict: Unknown, Reason: "packet programs are compared by sampling only; no counterexample found"}
}

func programConstants(progs ...[]bpf.RawInstruction) []uint32 {
	consts := []uint32{0, 1, 0xffffffff, 0x40000000, 0x80000000}
	for _, p := range progs {
		for _, ins := range p {
			consts = append(consts, ins.K)
		}
	}
	return consts
}
