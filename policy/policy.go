package policy

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
)

// Policy says what to do with every syscall: rules for some, a default
// action for the rest, and the action for calls from an arch it does not
// target.
type Policy struct {
	Default Action
	// BadArch is the action for calls from an arch not in Arches
	// (including x32 calls on x86_64 when x32 is not a target). New sets it
	// to KILL_PROCESS.
	BadArch Action
	// Arches are the targets, in the order the filter checks them
	// (compile.Options.First moves one to the front). Empty means none,
	// whatever machine the code runs on: Eval then gives every call the
	// BadArch action and compile.Compile refuses the policy. A command
	// that means "this machine" names arch.Host() itself.
	Arches []*arch.Arch
	Rules  []Rule
	// X32LowWord compares x32 arguments on their low 32 bits, as
	// libseccomp 2.5.4 does (OCIOptions.X32LowWord, for filters that must
	// decide as runc's do). By default they are compared on all 64 bits,
	// as the kernel passes them: x32 calls carry 64-bit registers.
	X32LowWord bool
	// MuxWholeArg0 compares the whole of arg0 of socketcall and ipc with
	// the call number, as libseccomp 2.5.4 does (OCIOptions.MuxWholeArg0):
	// a versioned ipc call (bits 16 to 31 set), or on 64-bit arches a call
	// with high bits set, then escapes the rules of the call it makes. By
	// default the call is read as the kernel reads it (MuxCallPredicate).
	MuxWholeArg0 bool
}

// ArgBits is the width in which p compares the arguments of a's calls:
// a.ArgBits, or 32 for x32 when X32LowWord is set.
func (p *Policy) ArgBits(a *arch.Arch) int {
	if p.X32LowWord && a.Name == "x32" {
		return 32
	}
	return a.ArgBits
}

// Rule applies Action to calls of Syscall for which When holds.
type Rule struct {
	Syscall string
	When    Expr // nil: always
	Action  Action
	// Paths, when not nil, makes this a path rule: it applies to the calls
	// whose resolved path matches one of these patterns, which a
	// supervisor decides, never the filter (see "Path rules" in paths.go:
	// ForFilter, MatchPath). When is then nil.
	Paths []string
	// PathsNot turns a path rule around: it applies to the calls whose
	// path matches none of Paths ("path not in {...}").
	PathsNot bool
	// Pos is where the rule came from ("file:line:col", a JSON path), for
	// messages; it may be empty.
	Pos string
}

func (r Rule) String() string {
	var b strings.Builder
	if r.Paths != nil {
		writePathRule(&b, r)
		return b.String()
	}
	writeRule(&b, []string{r.Syscall}, r.When, r.Action)
	return b.String()
}

// writeRule writes a rule line for the syscalls.
func writeRule(b textWriter, syscalls []string, when Expr, act Action) {
	for i, s := range syscalls {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	b.WriteString(": ")
	if when == nil {
		b.WriteString(ActionText(act))
		return
	}
	writeExpr(b, when)
	if act != Allow {
		b.WriteString(" => ")
		b.WriteString(ActionText(act))
	}
}

// New returns an empty policy with the given default action that kills the
// process on calls from other arches.
func New(def Action) *Policy { return &Policy{Default: def, BadArch: KillProcess} }

// On sets the target arches.
func (p *Policy) On(as ...*arch.Arch) *Policy {
	p.Arches = append(p.Arches, as...)
	return p
}

// Allow adds unconditional ALLOW rules.
func (p *Policy) Allow(syscalls ...string) *Policy {
	for _, s := range syscalls {
		p.Rules = append(p.Rules, Rule{Syscall: s, Action: Allow})
	}
	return p
}

// AllowIf allows syscall when the predicate holds.
func (p *Policy) AllowIf(syscall string, when Expr) *Policy {
	return p.Add(syscall, when, Allow)
}

// Deny applies action to the syscalls unconditionally.
func (p *Policy) Deny(act Action, syscalls ...string) *Policy {
	for _, s := range syscalls {
		p.Rules = append(p.Rules, Rule{Syscall: s, Action: act})
	}
	return p
}

// Add adds one rule.
func (p *Policy) Add(syscall string, when Expr, act Action) *Policy {
	p.Rules = append(p.Rules, Rule{Syscall: syscall, When: when, Action: act})
	return p
}

// Targets returns the arches the policy applies to: Arches (none if it is
// empty; the host is not a default).
func (p *Policy) Targets() []*arch.Arch {
	return p.Arches
}

// String prints the policy in the policy language: one line per rule,
// except that consecutive rules with the same action and the same
// predicate (one Expr, shared, as ParseText makes them for a line that
// names several syscalls) print as one line, "read, write: arg0 == 1", so
// that the text is linear in the size of the policy.
func (p *Policy) String() string {
	var b strings.Builder
	p.write(&b)
	return b.String()
}

// WriteTo writes p as String does, without making the text in memory.
func (p *Policy) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	bw := bufio.NewWriter(cw)
	p.write(bw)
	err := bw.Flush()
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// write prints p to b.
func (p *Policy) write(b textWriter) {
	fmt.Fprintf(b, "default %s\n", ActionText(p.Default))
	if p.BadArch != KillProcess {
		fmt.Fprintf(b, "bad-arch %s\n", ActionText(p.BadArch))
	}
	if len(p.Arches) > 0 {
		b.WriteString("arch")
		for _, a := range p.Arches {
			b.WriteString(" " + a.Name)
		}
		b.WriteByte('\n')
	}
	if p.X32LowWord {
		b.WriteString("option x32-low-word\n")
	}
	if p.MuxWholeArg0 {
		b.WriteString("option mux-whole-arg0\n")
	}
	var names []string
	var in map[string]bool // names, once there are many
	for i := 0; i < len(p.Rules); {
		r := p.Rules[i]
		if r.Paths != nil {
			writePathRule(b, r)
			b.WriteByte('\n')
			i++
			continue
		}
		names = append(names[:0], r.Syscall)
		in = nil
		j := i + 1
		for ; j < len(p.Rules); j++ {
			q := p.Rules[j]
			if r.When == nil || q.Action != r.Action || !sameExpr(q.When, r.When) {
				break
			}
			if in == nil && len(names) > 16 {
				in = map[string]bool{}
				for _, n := range names {
					in[n] = true
				}
			}
			if in != nil && in[q.Syscall] || in == nil && slices.Contains(names, q.Syscall) {
				break // one line names a syscall once
			}
			names = append(names, q.Syscall)
			if in != nil {
				in[q.Syscall] = true
			}
		}
		writeRule(b, names, r.When, r.Action)
		b.WriteByte('\n')
		i = j
	}
}

// sameExpr reports whether a and b are the same predicate: both nil, the
// same pointer, or the same slice.
func sameExpr(a, b Expr) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case *Cmp:
		b, ok := b.(*Cmp)
		return ok && a == b
	case *Not:
		b, ok := b.(*Not)
		return ok && a == b
	case And:
		b, ok := b.(And)
		return ok && len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
	case Or:
		b, ok := b.(Or)
		return ok && len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
	}
	return false
}

// ActionText writes an action the way the policy language spells it:
// allow, log, kill_process, kill_thread, user_notif, errno(13), trap(1),
// trace(2).
func ActionText(a Action) string {
	switch a.Kind() {
	case KillProcess:
		return "kill_process"
	case KillThread:
		return "kill_thread"
	case UserNotif:
		return "user_notif"
	case Log:
		return "log"
	case Allow:
		return "allow"
	case Errno(0):
		return fmt.Sprintf("errno(%d)", a.Data())
	case Trap(0):
		return fmt.Sprintf("trap(%d)", a.Data())
	case Trace(0):
		return fmt.Sprintf("trace(%d)", a.Data())
	}
	return fmt.Sprintf("action(%#08x)", uint32(a))
}

// Problem is something Validate found.
type Problem struct {
	Pos     string
	Warning bool // false: an error, the policy cannot be compiled
	Msg     string
}

func (p Problem) String() string {
	kind := "error"
	if p.Warning {
		kind = "warning"
	}
	if p.Pos != "" {
		return p.Pos + ": " + kind + ": " + p.Msg
	}
	return kind + ": " + p.Msg
}

// Validate checks the policy: actions the kernel knows and returns as
// written (an errno above MaxErrno is an error: the kernel would return
// 4095), argument indexes, constants that fit, predicates no deeper than
// MaxNesting, and syscall names (a name no arch cbpf knows is an error; a
// name some targets lack is a warning: the rule is skipped there).
func (p *Policy) Validate() []Problem { return p.validate(true) }

// Errors is Validate without the warnings: the problems that make the
// policy impossible to compile.
func (p *Policy) Errors() []Problem { return p.validate(false) }

// maxWarnings bounds the problems a parser or Validate returns: past it a
// file is generated or garbage, and listing every problem of a 10 MB file
// would cost more memory than the file. The last problem then says how
// many were left out.
const maxWarnings = 1000

// problemList collects problems, up to maxWarnings.
type problemList struct {
	list    []Problem
	dropped int
}

// full reports whether the list is at its bound, counting one more
// problem left out if so: callers skip building the message.
func (l *problemList) full() bool {
	if len(l.list) >= maxWarnings {
		l.dropped++
		return true
	}
	return false
}

func (l *problemList) add(p Problem) {
	if len(l.list) >= maxWarnings {
		l.dropped++
		return
	}
	l.list = append(l.list, p)
}

// result returns the problems, with a last one at pos counting those left
// out.
func (l *problemList) result(pos string) []Problem {
	if l.dropped > 0 {
		return append(l.list, Problem{Pos: pos, Warning: true, Msg: fmt.Sprintf("%d more problems not shown", l.dropped)})
	}
	return l.list
}

// exprKey identifies a predicate shared by several rules.
type exprKey struct {
	cmp   *Cmp
	not   *Not
	slice *Expr
	n     int
	or    bool
}

func keyOf(e Expr) (exprKey, bool) {
	switch e := e.(type) {
	case *Cmp:
		return exprKey{cmp: e}, true
	case *Not:
		return exprKey{not: e}, true
	case And:
		if len(e) > 0 {
			return exprKey{slice: &e[0], n: len(e)}, true
		}
	case Or:
		if len(e) > 0 {
			return exprKey{slice: &e[0], n: len(e), or: true}, true
		}
	}
	return exprKey{}, false
}

func (p *Policy) validate(warnings bool) []Problem {
	var ps problemList
	bad := func(pos string, warning bool, format string, a ...any) {
		if warning && !warnings {
			return
		}
		ps.add(Problem{Pos: pos, Warning: warning, Msg: fmt.Sprintf(format, a...)})
	}
	for _, a := range []struct {
		what string
		act  Action
	}{{"default action", p.Default}, {"bad-arch action", p.BadArch}} {
		if !a.act.Valid() {
			bad("", false, "%s %#08x is not a seccomp action", a.what, uint32(a.act))
		} else if a.act.Kind() == Errno(0) && a.act.Data() > MaxErrno {
			bad("", false, "%s: errno %d is above %d; the kernel would return %d", a.what, a.act.Data(), MaxErrno, MaxErrno)
		}
	}
	p.checkPaths(bad) // paths.go
	known, _ := syscallNames()
	checked := map[exprKey]bool{} // predicates shared by several rules are checked once
	lacks := map[string]string{}  // lackingMsg by syscall name
	targets := p.Targets()
	for _, r := range p.Rules {
		if !r.Action.Valid() {
			bad(r.Pos, false, "%s: %#08x is not a seccomp action", r.Syscall, uint32(r.Action))
		}
		if r.Action.Kind() == Errno(0) && r.Action.Data() > MaxErrno {
			bad(r.Pos, false, "%s: errno %d is above %d; the kernel would return %d", r.Syscall, r.Action.Data(), MaxErrno, MaxErrno)
		}
		if _, ok := known[r.Syscall]; !ok {
			bad(r.Pos, false, "%s", unknownSyscall(r.Syscall))
		} else if warnings {
			msg, ok := lacks[r.Syscall]
			switch {
			case ok:
			case len(ps.list) >= maxWarnings:
				// Not kept: counted without its message and suggestion.
				if len(lackingArches(r.Syscall, targets)) > 0 {
					ps.dropped++
				}
			default:
				msg = lackingMsg(r.Syscall, targets)
				lacks[r.Syscall] = msg
			}
			if msg != "" {
				bad(r.Pos, true, "%s", msg)
			}
			if msg := exemptNote(r.Syscall, r.Action, targets); msg != "" {
				bad(r.Pos, true, "%s", msg)
			}
		}
		if r.When == nil {
			continue
		}
		if k, ok := keyOf(r.When); ok {
			if checked[k] {
				continue
			}
			checked[k] = true
		}
		if nesting(r.When, MaxNesting) > MaxNesting {
			bad(r.Pos, false, "%s: the predicate nests deeper than %d levels (MaxNesting)", r.Syscall, MaxNesting)
			continue
		}
		walk(r.When, func(c *Cmp) {
			if c == nil {
				bad(r.Pos, false, "%s: the predicate has a nil operand", r.Syscall)
				return
			}
			if c.Arg < 0 || c.Arg > 5 {
				bad(r.Pos, false, "%s: argument %d: syscalls have arguments 0 to 5", r.Syscall, c.Arg)
			}
			if c.Bits != 32 && c.Bits != 64 {
				bad(r.Pos, false, "%s: comparison width %d: must be 32 or 64", r.Syscall, c.Bits)
			}
			if c.Bits == 32 && (c.Value>>32 != 0 || c.Mask>>32 != 0) {
				bad(r.Pos, false, "%s: %s: a 32-bit comparison with a constant wider than 32 bits", r.Syscall, c)
			}
			if int(c.Op) >= len(opText) {
				bad(r.Pos, false, "%s: comparison operator %d is not one of EQ..MaskedEQ", r.Syscall, c.Op)
			}
			if c.Op == MaskedEQ && c.Value&^c.Mask != 0 {
				bad(r.Pos, true, "%s: %s never holds: the value has bits outside the mask", r.Syscall, c)
			}
		})
	}
	return ps.result("")
}

// walk calls f for every comparison in e. A nil e (an unconditional rule)
// has none; a nil operand inside e is passed to f as nil, for Validate to
// report.
func walk(e Expr, f func(*Cmp)) {
	if e != nil {
		walkOperand(e, f)
	}
}

// eachCmp calls f for every comparison in e, nil operands skipped.
func eachCmp(e Expr, f func(*Cmp)) {
	for c := range Cmps(e) {
		f(c)
	}
}

// Cmps yields every comparison of e, left to right, through its and, or
// and not nodes (nil nodes are skipped).
func Cmps(e Expr) iter.Seq[*Cmp] {
	return func(yield func(*Cmp) bool) {
		cmps(e, yield)
	}
}

// cmps calls yield on every comparison of e until yield returns false; it
// reports whether the walk went to the end.
func cmps(e Expr, yield func(*Cmp) bool) bool {
	switch e := e.(type) {
	case *Cmp:
		return e == nil || yield(e)
	case And:
		for _, x := range e {
			if !cmps(x, yield) {
				return false
			}
		}
	case Or:
		for _, x := range e {
			if !cmps(x, yield) {
				return false
			}
		}
	case *Not:
		if e != nil {
			return cmps(e.X, yield)
		}
	}
	return true
}

// mapCmps copies the and/or/not structure of e with every comparison c
// replaced by f(c).
func mapCmps(e Expr, f func(*Cmp) Expr) Expr {
	switch e := e.(type) {
	case *Cmp:
		return f(e)
	case And:
		out := make(And, len(e))
		for i, x := range e {
			out[i] = mapCmps(x, f)
		}
		return out
	case Or:
		out := make(Or, len(e))
		for i, x := range e {
			out[i] = mapCmps(x, f)
		}
		return out
	case *Not:
		return &Not{X: mapCmps(e.X, f)}
	}
	return e
}

func walkOperand(e Expr, f func(*Cmp)) {
	switch e := e.(type) {
	case *Cmp:
		f(e)
	case And:
		for _, x := range e {
			walkOperand(x, f)
		}
	case Or:
		for _, x := range e {
			walkOperand(x, f)
		}
	case *Not:
		if e == nil || e.X == nil {
			f(nil)
			return
		}
		walkOperand(e.X, f)
	case nil:
		f(nil)
	}
}
