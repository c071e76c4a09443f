package verify

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
)

// Decision is what a filter decides for one syscall of one arch.
type Decision struct {
	Nr   uint32
	Name string // "" when the arch table has no name for Nr
	// Cases in order: the action applies where the predicate holds. The
	// last case has an empty predicate (it is the "else"); a fixed
	// decision has just that one case.
	Cases []Case
	// Inexact is set when explain could not tell whether some case can
	// happen at all (Case.Maybe): the filter computes on loaded words and
	// the conditions are beyond its solver. Every predicate is still
	// exactly the condition under which the filter returns that case.
	Inexact bool
	// Over is set when the search hit its budget: inputs on paths it did
	// not reach may get another action than the one the cases give.
	Over bool
	// Cached is whether the kernel serves the call from its allow cache.
	Cached bool
	// Exempt, if set, says that kernels from Exempt.Since run the call
	// without consulting seccomp: there the filter's cases do not apply.
	Exempt *arch.Exemption
}

// Case is one action and the condition on the arguments that selects it.
type Case struct {
	Action uint32 // the return value (when Computed is "")
	// Computed, when the filter returns a value it computed from the
	// input ("ret a"), writes it, e.g. "(u32)args[0] | 0x50000"; Action
	// is then 0 and Return gives the value for an input.
	Computed  string
	Predicate string // readable, e.g. "args[0] == 2 || args[0] == 10"; "" = otherwise
	// Maybe: the case may never happen; explain could not decide the
	// conditions the filter computes (the predicate is exact).
	Maybe bool
	paths []leaf // the paths behind Predicate
	on    uint16 // the words the computed conditions or value depend on
}

// Holds reports whether the case's predicate holds for the words of a
// seccomp_data (as laid out in memory: words[i] is at offset 4*i). The
// "else" case holds always.
func (c Case) Holds(words [16]uint32) bool {
	if c.Predicate == "" {
		return true
	}
	for _, p := range c.paths {
		if p.holds(&words) {
			return true
		}
	}
	return false
}

// Return is what the filter returns for words when the case holds for
// them: Action, or the value it computes.
func (c Case) Return(words [16]uint32) uint32 {
	if c.Computed == "" {
		return c.Action
	}
	for _, p := range c.paths {
		if p.holds(&words) {
			v, _ := p.ret.eval(&words)
			return v
		}
	}
	if len(c.paths) > 0 {
		v, _ := c.paths[0].ret.eval(&words)
		return v
	}
	return c.Action
}

// Fixed reports whether the decision does not depend on the arguments.
func (d Decision) Fixed() bool { return len(d.Cases) == 1 }

func (d Decision) String() string {
	name := d.Name
	if name == "" {
		name = fmt.Sprintf("#%d", d.Nr)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", name)
	if len(d.Cases) == 0 {
		b.WriteString("not decided: the search hit its budget before any path reached a return")
		return b.String()
	}
	var maybe []string
	var on uint16
	blind := false
	for i, c := range d.Cases {
		if i > 0 {
			b.WriteString("; ")
		}
		if c.Predicate == "" && i > 0 {
			b.WriteString("else ")
		}
		what := action.String(c.Action)
		if c.Computed != "" {
			what = "returns " + c.Computed
		}
		b.WriteString(what)
		if c.Predicate != "" {
			b.WriteString(" if " + c.Predicate)
		}
		if c.Maybe {
			maybe = append(maybe, what)
			on |= c.on
		}
		for _, p := range c.paths {
			blind = blind || p.blind
		}
	}
	refuses := false
	for _, c := range d.Cases {
		refuses = refuses || c.Computed != "" || c.Action&action.ActionFull != action.Allow
	}
	if d.Exempt != nil && refuses {
		b.WriteString(" in the filter; not filtered by Linux " + d.Exempt.Since + "+")
		if d.Exempt.Stable != "" {
			b.WriteString(" (" + strings.ReplaceAll(d.Exempt.Stable, ",", "+,") + "+)")
		}
		b.WriteString(", which runs it without seccomp")
	}
	switch {
	case blind:
		b.WriteString(" (approximate: the filter computes in ways explain cannot follow)")
	case len(maybe) > 0:
		fmt.Fprintf(&b, " (approximate: the filter computes on %s; explain cannot tell whether %s ever happens)",
			fieldList(on), strings.Join(maybe, " or "))
	case d.Inexact:
		b.WriteString(" (approximate: the filter computes on loaded words)")
	}
	if d.Over {
		b.WriteString(" (partial: the search hit its budget; calls on paths it did not reach may get another action)")
	}
	return b.String()
}

// fieldList names the fields of seccomp_data behind words: "nr",
// "args[1] and arch".
func fieldList(words uint16) string {
	var names []string
	seen := map[string]bool{}
	for w := uint8(0); w < 16; w++ {
		if words&(1<<w) != 0 && !seen[fieldName(w)] {
			seen[fieldName(w)] = true
			names = append(names, fieldName(w))
		}
	}
	switch len(names) {
	case 0:
		return "loaded words"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Explanation is what a seccomp filter decides for every syscall of an arch.
type Explanation struct {
	Arch     *arch.Arch
	Syscalls []Decision // the arch's named syscalls, by number
	Other    []Case     // numbers without a name below 2^30 (x32: from 2^30 up, but -1), as cases over nr
	X32      []Case     // on x86_64 (not x32 itself): calls with bit 30 of nr set
	// High is the numbers no ABI of the arch value has, which a tracer can
	// still put in nr: from 2^30 up (on x86_64, from 2^31 without bit 30;
	// none for x32). Write prints them as their own line only where they
	// are decided otherwise than Other.
	High     []Case
	HighName string // "nr 0x80000000 to 0xbfffffff (no syscall)", ...
	Over     bool   // the search hit its budget somewhere: results are partial
	// OtherOver and X32Over: the search for Other or X32 hit its budget
	// (as Decision.Over).
	OtherOver, X32Over, HighOver bool
}

// Explain works out, for every syscall of arch a, the filter's decision:
// a fixed action, or actions that depend on the arguments, with the
// conditions written as predicates. It also tells which calls the kernel's
// allow cache serves without running the filter.
//
// For each named syscall nr and arch are known: what the filter computes
// on them is computed. Conditions on values it computes from arguments
// (or from nr on the summary lines, where nr is not fixed) are written as
// the filter computes them, "(u32)args[0] + 3 == 4", and Case.Holds
// evaluates them; explain marks the cases it cannot tell happen at all.
func Explain(prog []bpf.RawInstruction, a *arch.Arch) (*Explanation, error) {
	return ExplainWith(prog, a, ExplainOptions{})
}

// ExplainOptions tune ExplainWith.
type ExplainOptions struct {
	// Name, if set, names value v of argument arg of a syscall in the
	// predicates ("args[0] == AF_INET"); ok false prints the number.
	// policy.ConstName is one.
	Name func(syscall string, arg int, v uint64) (name string, ok bool)
}

// ExplainWith is Explain with options.
func ExplainWith(prog []bpf.RawInstruction, a *arch.Arch, o ExplainOptions) (*Explanation, error) {
	if ds := KernelCheck(prog, Seccomp); len(ds) > 0 {
		return nil, fmt.Errorf("not a valid seccomp filter: %v", ds[0])
	}
	ex := &Explanation{Arch: a}
	archC := constraint{Word: 1, Op: opEQ, Mask: 0xffffffff, C: a.Audit}
	le := a.Audit&0x40000000 != 0
	x32 := a.Audit == auditX86_64 && a.Name == "x32"
	var named []constraint
	known := map[string]bool{} // witnesses for paths that do not involve nr or arch, across syscalls
	work := &workBudget{left: maxExplainWork}
	nrs := syscallNumbers(a)
	for i, nr := range nrs {
		name, _ := a.SyscallName(nr)
		cs := conj{archC, {Word: 0, Op: opEQ, Mask: 0xffffffff, C: nr}}
		var namer func(int, uint64) string
		if o.Name != nil {
			namer = func(arg int, v uint64) string {
				if n, ok := o.Name(name, arg, v); ok {
					return n
				}
				return num(v)
			}
		}
		cases, inexact, over := work.decideLine(len(nrs)-i+2, prog, cs, le, namer, known)
		ex.Over = ex.Over || over
		d := Decision{
			Nr: nr, Name: name, Cases: cases, Inexact: inexact, Over: over,
			Cached: CacheAllows(prog, a.Audit, nr),
		}
		if e, ok := a.Exempt(nr); ok {
			d.Exempt = &e
		}
		ex.Syscalls = append(ex.Syscalls, d)
		if nr < 0x40000000 || x32 {
			named = append(named, constraint{Word: 0, Op: opNE, Mask: 0xffffffff, C: nr})
		}
	}
	// The other numbers of the ABI: below 2^30, but x32's are its own,
	// from 2^30 up (nr -1 is x86_64's, as policy.Eval has it).
	other := conj{archC, {Word: 0, Op: opLE, Mask: 0xffffffff, C: 0x3fffffff}}
	if x32 {
		other = conj{archC, {Word: 0, Op: opGT, Mask: 0xffffffff, C: 0x3fffffff}, {Word: 0, Op: opNE, Mask: 0xffffffff, C: 0xffffffff}}
	}
	other = append(other, named...)
	ex.Other, _, ex.OtherOver = work.decideLine(2, prog, other, le, nil, nil)
	ex.Over = ex.Over || ex.OtherOver
	if a.Audit == auditX86_64 && !x32 {
		ex.X32, _, ex.X32Over = work.decideLine(1, prog, conj{archC, {Word: 0, Op: opNE, Mask: 0x40000000, C: 0}}, le, nil, nil)
		ex.Over = ex.Over || ex.X32Over
	}
	if !x32 {
		high := conj{archC, {Word: 0, Op: opGT, Mask: 0xffffffff, C: 0x3fffffff}}
		ex.HighName = "nr 0x40000000 and up (no syscall)"
		if a.Audit == auditX86_64 {
			high = conj{archC, {Word: 0, Op: opGT, Mask: 0xffffffff, C: 0x7fffffff}, {Word: 0, Op: opLE, Mask: 0xffffffff, C: 0xbfffffff}}
			ex.HighName = "nr 0x80000000 to 0xbfffffff (no syscall)"
		}
		ex.High, _, ex.HighOver = work.decideLine(1, prog, high, le, nil, nil)
		ex.Over = ex.Over || ex.HighOver
	}
	return ex, nil
}

// Bounds on the work of one Explain: the nodes its searches visit and the
// constraints of the paths they keep (Case.Holds evaluates them), over all
// the lines. A line may take up to maxLineWork while enough is left for
// every line after it to get minLineWork; a line whose search runs out is
// partial (Decision.Over). Compiled filters need a small fraction: a
// Docker-sized filter (400 syscalls) uses under 8% of it. In the worst case
// it is a few seconds and a few hundred MB.
const (
	maxPredicate   = 16000 // bytes of a case's predicate written out (compiled filters: under 8000)
	maxExplainWork = 1_000_000
	maxLineWork    = 200_000
	minLineWork    = 2_000
)

// workBudget shares maxExplainWork between the lines of an explanation.
type workBudget struct{ left int }

// take returns the budget of the next line, with lines more to come
// (itself included); what the line leaves goes back to w.left.
func (w *workBudget) take(lines int) int {
	n := max(minLineWork, min(maxLineWork, w.left-(lines-1)*minLineWork))
	w.left -= n
	return n
}

// decideLine is decide within the explanation's budget.
func (w *workBudget) decideLine(lines int, prog []bpf.RawInstruction, cs conj, le bool, namer func(int, uint64) string, known map[string]bool) ([]Case, bool, bool) {
	b := w.take(lines)
	cases, inexact, over := decide(prog, cs, le, namer, known, &b)
	w.left += b
	return cases, inexact, over
}

// syscallNumbers lists the numbers the arch table names, ascending.
func syscallNumbers(a *arch.Arch) []uint32 {
	var out []uint32
	for _, sc := range a.Syscalls() {
		out = append(out, sc.Number)
	}
	return out
}

// decide explores prog under cs and groups the paths by what they return.
// namer, if not nil, writes value v of argument arg. inexact is set when a
// case may never happen (see Case.Maybe). known, if not nil, remembers
// whether inputs were found for paths whose constraints beyond cs do not
// involve nr or arch (the same for every syscall).
//
// budget is the work the search may do; what it leaves is returned there.
func decide(prog []bpf.RawInstruction, cs conj, le bool, namer func(arg int, v uint64) string, known map[string]bool, budget *int) (cases []Case, inexact, over bool) {
	type group struct {
		ret      symVal
		computed string
		paths    []leaf
		terms    []string
		ecsText  []string // each path's computed conditions, written
		written  int      // the length of terms: the paths after them are not written
		neg      int      // negative constraints: a hint that this is the fall-through
		order    int
		on       uint16
		sure     bool // some path is known to be taken by an input
	}
	type groupKey struct {
		ret      uint32
		computed string // for a computed value: as written (or its pointer when written by pc)
	}
	groups := map[groupKey]*group{}
	words := func(w uint8) string { return wordName(w, le) }
	e := &explorer{prog: prog, budget: *budget, weigh: true}
	e.visit = func(l leaf) {
		var key groupKey
		computed := ""
		if l.ret.Kind == symConst {
			key.ret = l.ret.C
		} else {
			computed = l.ret.write(words)
			key.computed = computed
			if l.ret.Kind == symExpr && l.ret.E.size > maxWritten {
				key.computed = fmt.Sprintf("%p", l.ret.E) // written by pc: keep values apart
			}
		}
		g := groups[key]
		if g == nil {
			g = &group{ret: l.ret, computed: computed, order: len(groups)}
			groups[key] = g
		}
		for _, c := range l.ecs {
			g.on |= c.L.deps() | c.R.deps()
		}
		if l.ret.Kind != symConst {
			g.on |= l.ret.deps()
		}
		if g.written < maxPredicate {
			pred := argPredicate(l.cs[len(cs):], le, namer)
			if nr := nrPredicate(l.cs[len(cs):]); nr != "" {
				pred = strings.TrimSuffix(nr+" && "+pred, " && ")
			}
			ecsText := ""
			for _, c := range l.ecs {
				ecsText += " && " + c.write(words)
			}
			pred = strings.TrimPrefix(pred+ecsText, " && ")
			g.ecsText = append(g.ecsText, ecsText)
			g.terms = append(g.terms, pred)
			g.written += len(pred) + 4
		}
		g.paths = append(g.paths, l)
		// Score how much this path is a fall-through: failed tests
		// count up, passed equalities down.
		for _, c := range simplify(l.cs[len(cs):]) {
			switch c.Op {
			case opNE:
				g.neg++
			case opEQ:
				g.neg--
			}
		}
		for _, c := range l.ecs {
			switch {
			case c.Neg:
				g.neg++
			case c.Op == opcode.JEQ:
				g.neg--
			}
		}
	}
	e.run(cs)
	*budget = max(0, e.budget-e.nodes)
	var gs []*group
	for _, g := range groups {
		gs = append(gs, g)
	}
	sort.Slice(gs, func(i, j int) bool { return gs[i].order < gs[j].order })
	if len(gs) == 0 {
		return nil, false, e.over
	}
	// Is each outcome known to happen? Paths without computed conditions
	// are (the solver proved them feasible); others need an input that
	// takes them, looked for among values near the constants involved.
	w := newWitnesser()
	for _, g := range gs {
		if len(gs) == 1 && !e.over {
			g.sure = true // the paths cover every input
		}
		for j, p := range g.paths {
			if !p.inexact {
				g.sure = true
				break
			}
			key := ""
			if known != nil && j < len(g.ecsText) && p.deps(len(cs))&3 == 0 && !strings.Contains(g.ecsText[j], "[") {
				// The path's conditions (a value written by its pc is
				// not the same everywhere).
				key = conj(p.cs[len(cs):]).String() + g.ecsText[j]
			}
			found, seen := known[key]
			if key == "" || !seen {
				_, found = w.find(p)
				if key != "" {
					known[key] = found
				}
			}
			if found {
				g.sure = true
				break
			}
		}
	}
	// Each outcome's predicate: the set of values of one argument when all
	// its paths test just that one, else the disjunction of its paths.
	preds := make([]string, len(gs))
	for i, g := range gs {
		preds[i] = disjunction(g.terms)
		if n := len(g.paths) - len(g.terms); n > 0 {
			preds[i] += fmt.Sprintf(" || … (%d more alternatives, not written)", n)
		}
		computed := false
		css := make([]conj, len(g.paths))
		for j, p := range g.paths {
			computed = computed || len(p.ecs) > 0 || p.blind
			css[j] = p.cs
		}
		if f, ok := singleField(css, len(cs), le); ok && f > 0 && !computed {
			val := num
			if namer != nil {
				val = func(v uint64) string { return namer(f-1, v) }
			}
			// Paths that test only the low word (32-bit ABIs, int
			// arguments) are a set of 32-bit values.
			name, lowOnly := fmt.Sprintf("args[%d]", f-1), true
			lw, _ := fieldWords(f, le)
			for _, p := range g.paths {
				for _, c := range p.cs[len(cs):] {
					lowOnly = lowOnly && c.Word == lw
				}
			}
			var set ivals64
			ok := true
			for _, p := range g.paths {
				var s ivals64
				var fine bool
				if lowOnly {
					s, fine = wordSet(p.cs[len(cs):])
				} else {
					s, fine = fieldSet(p.cs[len(cs):], f, le)
				}
				if !fine {
					ok = false
					break
				}
				set = set.Union(s)
			}
			if ok {
				if lowOnly {
					name = "(u32)" + name
					if len(set) > 0 && set[len(set)-1].Hi == 0xffffffff {
						set[len(set)-1].Hi = ^uint64(0) // "x >= v" reads better than "x >= v && x <= 0xffffffff"
					}
				}
				preds[i] = renderSet(name, set, val)
			}
		}
	}
	// The "else" case: the outcome with the longest predicate (so that the
	// cases listed are the short ones), ties to the one reached through
	// more failed tests.
	elseIdx := 0
	for i, g := range gs {
		if len(preds[i]) > len(preds[elseIdx]) || len(preds[i]) == len(preds[elseIdx]) && g.neg > gs[elseIdx].neg {
			elseIdx = i
		}
	}
	mk := func(g *group, pred string) Case {
		c := Case{Computed: g.computed, Predicate: pred, Maybe: !g.sure, paths: g.paths, on: g.on}
		if g.ret.Kind == symConst {
			c.Action = g.ret.C
		}
		inexact = inexact || c.Maybe
		return c
	}
	for i, g := range gs {
		if i != elseIdx {
			cases = append(cases, mk(g, preds[i]))
		}
	}
	cases = append(cases, mk(gs[elseIdx], ""))
	return cases, inexact, e.over
}

func disjunction(terms []string) string {
	seen := map[string]bool{}
	var uniq []string
	for _, t := range terms {
		if t == "" {
			return "true"
		}
		if !seen[t] {
			seen[t] = true
			uniq = append(uniq, t)
		}
	}
	if len(uniq) == 1 {
		return uniq[0]
	}
	for i, t := range uniq {
		if strings.Contains(t, " && ") {
			uniq[i] = "(" + t + ")"
		}
	}
	return strings.Join(uniq, " || ")
}

// argPredicate renders the constraints of one path on the argument words
// (and instruction_pointer) as a readable conjunction over args[i].
func argPredicate(cs conj, le bool, namer func(arg int, v uint64) string) string {
	cs = tighten(simplify(cs))
	var parts []string
	// Fields of seccomp_data after nr and arch: instruction_pointer, args.
	for f := 0; f < 7; f++ {
		name := fmt.Sprintf("args[%d]", f-1)
		if f == 0 {
			name = "instruction_pointer"
		}
		lo, hi := uint8(2+2*f), uint8(3+2*f)
		if !le {
			lo, hi = hi, lo
		}
		val := num
		if namer != nil && f > 0 {
			val = func(v uint64) string { return namer(f-1, v) }
		}
		parts = append(parts, fieldPredicate(name, cs.onWord(lo), cs.onWord(hi), val)...)
	}
	return strings.Join(parts, " && ")
}

// nrPredicate renders the constraints a path adds on nr (for the summary
// lines, where nr is not fixed).
func nrPredicate(cs conj) string {
	var parts []string
	for _, c := range simplify(cs).onWord(0) {
		parts = append(parts, halfPredicate("nr", c))
	}
	return strings.Join(parts, " && ")
}

// simplify drops constraints implied by an equality on the same word.
func simplify(cs conj) conj {
	// The first unmasked equality on each word, if any.
	var eq [16]int
	for i := range eq {
		eq[i] = -1
	}
	for i, d := range cs {
		if d.Op == opEQ && d.Mask == 0xffffffff && d.Word < 16 && eq[d.Word] < 0 {
			eq[d.Word] = i
		}
	}
	var out conj
	for i, c := range cs {
		if j := eq[c.Word]; j >= 0 && j != i && cs[j] != c && c.holds(cs[j].C) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// fieldPredicate writes the constraints on a 64-bit field's two halves.
// val writes a value compared for equality.
func fieldPredicate(name string, lo, hi []constraint, val func(uint64) string) []string {
	full := func(cs []constraint) bool {
		for _, c := range cs {
			if c.Mask != 0xffffffff {
				return false
			}
		}
		return true
	}
	hiZero := len(hi) == 1 && hi[0].Op == opEQ && hi[0].Mask == 0xffffffff && hi[0].C == 0
	hiEq := len(hi) == 1 && hi[0].Op == opEQ && hi[0].Mask == 0xffffffff
	var out []string
	switch {
	case len(lo) == 0 && len(hi) == 0:
		return nil
	case hiEq && len(lo) == 1 && lo[0].Op == opEQ && lo[0].Mask == 0xffffffff:
		return []string{fmt.Sprintf("%s == %s", name, val(uint64(hi[0].C)<<32|uint64(lo[0].C)))}
	case hiZero && full(lo):
		bounded := false
		for _, c := range lo {
			v := num(uint64(c.C))
			if c.Op == opEQ || c.Op == opNE {
				v = val(uint64(c.C))
			}
			out = append(out, fmt.Sprintf("%s %s %s", name, c.Op, v))
			bounded = bounded || c.Op == opEQ || c.Op == opLE
		}
		if !bounded {
			out = append(out, name+" <= 0xffffffff")
		}
		return out
	case len(hi) == 0 && len(lo) == 1 && lo[0].Op != opGT && lo[0].Op != opLE && lo[0].Mask != 0xffffffff:
		// A masked test of the low word alone is a 64-bit masked test.
		return []string{halfPredicate(name, lo[0])}
	case len(lo) == 0 && full(hi) && len(hi) == 1 && hi[0].Op == opNE && hi[0].C == 0:
		return []string{name + " > 0xffffffff"}
	}
	for _, c := range hi {
		out = append(out, halfPredicate(fmt.Sprintf("%s >> 32", name), c))
	}
	for _, c := range lo {
		out = append(out, halfPredicate(fmt.Sprintf("(u32)%s", name), c))
	}
	return out
}

func halfPredicate(name string, c constraint) string {
	if c.Mask != 0xffffffff {
		name = fmt.Sprintf("(%s & %s)", name, num(uint64(c.Mask)))
	}
	return fmt.Sprintf("%s %s %s", name, c.Op, num(uint64(c.C)))
}

// num prints small numbers in decimal and the rest in hex.
func num(v uint64) string {
	if v < 4096 {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%#x", v)
}

// Write prints the explanation: one line per syscall, then the numbers
// without a name, x32, and the kernel cache summary.
func (ex *Explanation) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "arch %s (AUDIT_ARCH %#08x)\n", ex.Arch.Name, ex.Arch.Audit)
	var cached, allowNotCached, argDep int
	var notCachedNames []string
	for _, d := range ex.Syscalls {
		b.WriteString(d.String())
		b.WriteByte('\n')
		if d.Cached {
			cached++
		} else if d.Fixed() && d.Cases[0].Action&action.ActionFull == action.Allow {
			allowNotCached++
			notCachedNames = append(notCachedNames, d.Name)
		}
		if len(d.Cases) > 1 {
			argDep++
		}
	}
	if len(ex.Other) > 0 || ex.OtherOver {
		b.WriteString((Decision{Name: "other numbers", Cases: ex.Other, Over: ex.OtherOver}).String() + "\n")
	}
	if len(ex.X32) > 0 || ex.X32Over {
		b.WriteString((Decision{Name: "x32 (nr | 0x40000000)", Cases: ex.X32, Over: ex.X32Over}).String() + "\n")
	}
	if len(ex.High) > 0 && !sameCases(ex.High, ex.Other) || ex.HighOver {
		b.WriteString((Decision{Name: ex.HighName, Cases: ex.High, Over: ex.HighOver}).String() + "\n")
	}
	fmt.Fprintf(&b, "\n%d syscalls: %d decided on the arguments; %d served from the kernel's allow cache (never run the filter)\n",
		len(ex.Syscalls), argDep, cached)
	if allowNotCached > 0 {
		fmt.Fprintf(&b, "%d always allowed but not cacheable (the filter runs on every call): %s\n",
			allowNotCached, strings.Join(notCachedNames, " "))
	}
	computed := false
	for _, cs := range [][]Case{ex.Other, ex.X32, ex.High} {
		for _, c := range cs {
			computed = computed || c.on != 0
		}
	}
	for _, d := range ex.Syscalls {
		for _, c := range d.Cases {
			computed = computed || c.on != 0
		}
	}
	if computed {
		b.WriteString("values the filter computes (+ - * / & | ^ << >>) are 32-bit unsigned and wrap, as the kernel computes them\n")
	}
	if ex.Over {
		b.WriteString("warning: the search hit its budget; some decisions are partial\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// sameCases reports whether two lines decide alike: the same actions on
// the same predicates (a fixed action, usually).
func sameCases(a, b []Case) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Action != b[i].Action || a[i].Predicate != b[i].Predicate || a[i].Computed != b[i].Computed {
			return false
		}
	}
	return true
}

// FilterArch returns the arch a filter is for when it compares arch with
// exactly one known AUDIT_ARCH value, else nil.
func FilterArch(prog []bpf.RawInstruction) *arch.Arch {
	var found *arch.Arch
	for i := 0; i+1 < len(prog); i++ {
		if opcode.Op(prog[i].Op) != opcode.LdAbsW || prog[i].K != opcode.SeccompArch {
			continue
		}
		for j := i + 1; j < len(prog) && opcode.Op(prog[j].Op) == opcode.JMP|opcode.JEQ|opcode.K; j++ {
			a := arch.ByAudit(prog[j].K)
			if a == nil {
				continue
			}
			if found != nil && found != a {
				return nil
			}
			found = a
		}
	}
	return found
}
