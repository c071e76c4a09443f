package policy

import (
	"fmt"
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
	// Arches are the targets. Empty means the host's arch.
	Arches []*arch.Arch
	Rules  []Rule
	// X32LowWord compares x32 arguments on their low 32 bits, as
	// libseccomp 2.5.4 does (OCIOptions.X32LowWord, for filters that must
	// decide as runc's do). By default they are compared on all 64 bits,
	// as the kernel passes them: x32 calls carry 64-bit registers.
	X32LowWord bool
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
	// Pos is where the rule came from ("file:line:col", a JSON path), for
	// messages; it may be empty.
	Pos string
}

func (r Rule) String() string {
	s := r.Syscall + ": "
	if r.When == nil {
		return s + ActionText(r.Action)
	}
	s += r.When.String()
	if r.Action != Allow {
		s += " => " + ActionText(r.Action)
	}
	return s
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

// Targets returns the arches the policy applies to: Arches, or the host's.
func (p *Policy) Targets() []*arch.Arch {
	if len(p.Arches) > 0 {
		return p.Arches
	}
	if h := arch.Host(); h != nil {
		return []*arch.Arch{h}
	}
	return nil
}

// String prints the policy in the policy language, one rule a line.
func (p *Policy) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "default %s\n", ActionText(p.Default))
	if p.BadArch != KillProcess {
		fmt.Fprintf(&b, "bad-arch %s\n", ActionText(p.BadArch))
	}
	if len(p.Arches) > 0 {
		b.WriteString("arch")
		for _, a := range p.Arches {
			b.WriteString(" " + a.Name)
		}
		b.WriteByte('\n')
	}
	for _, r := range p.Rules {
		b.WriteString(r.String())
		b.WriteByte('\n')
	}
	return b.String()
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

// Validate checks the policy: actions the kernel knows, argument indexes,
// constants that fit, and syscall names each target arch knows (a name an
// arch lacks is a warning: the rule is skipped there).
func (p *Policy) Validate() []Problem { return p.validate(true) }

// Errors is Validate without the warnings: the problems that make the
// policy impossible to compile.
func (p *Policy) Errors() []Problem { return p.validate(false) }

func (p *Policy) validate(warnings bool) []Problem {
	var ps []Problem
	bad := func(pos string, warning bool, format string, a ...any) {
		if warning && !warnings {
			return
		}
		ps = append(ps, Problem{Pos: pos, Warning: warning, Msg: fmt.Sprintf(format, a...)})
	}
	for _, a := range []struct {
		what string
		act  Action
	}{{"default action", p.Default}, {"bad-arch action", p.BadArch}} {
		if !a.act.Valid() {
			bad("", false, "%s %#08x is not a seccomp action", a.what, uint32(a.act))
		}
	}
	for _, r := range p.Rules {
		if !r.Action.Valid() {
			bad(r.Pos, false, "%s: %#08x is not a seccomp action", r.Syscall, uint32(r.Action))
		}
		if r.Action.Kind() == Errno(0) && r.Action.Data() > 4095 {
			bad(r.Pos, true, "%s: errno %d is above 4095; the kernel clamps it", r.Syscall, r.Action.Data())
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
			if c.Op == MaskedEQ && c.Value&^c.Mask != 0 {
				bad(r.Pos, true, "%s: %s never holds: the value has bits outside the mask", r.Syscall, c)
			}
		})
		if !warnings {
			continue
		}
		for _, a := range p.Targets() {
			if _, ok := a.SyscallNumber(r.Syscall); ok {
				continue
			}
			if _, _, ok := a.Multiplexed(r.Syscall); ok {
				continue
			}
			bad(r.Pos, true, "%s: no such syscall on %s; the rule is skipped there", r.Syscall, a.Name)
		}
	}
	return ps
}

// walk calls f for every comparison in e. A nil e (an unconditional rule)
// has none; a nil operand inside e is passed to f as nil, for Validate to
// report.
func walk(e Expr, f func(*Cmp)) {
	if e != nil {
		walkOperand(e, f)
	}
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
