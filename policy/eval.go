package policy

import (
	"github.com/cbpfkit/cbpf/arch"
)

// Call is one system call as seccomp sees it (struct seccomp_data).
type Call struct {
	Arch uint32 // AUDIT_ARCH value
	Nr   int32
	IP   uint64
	Args [6]uint64
	// Path is the resolved path the call opens, when PathKnown: what a
	// supervisor decides path rules on. Eval of a call of a syscall with
	// path rules whose path is not known is USER_NOTIF, what the filter
	// returns (Policy.ForFilter).
	Path      string
	PathKnown bool
}

// Eval returns the action p takes for call c. It is the reference
// semantics the compiler is tested against, written to be read:
//
//  1. The call's ABI is its arch value, and on x86_64 its number: from
//     0x40000000 (bit 30) up it is x32's, except nr -1, which stays
//     x86_64's, as in libseccomp's filters. An ABI the policy does not
//     target gets BadArch.
//  2. The number is looked up in that ABI's table. A number without a
//     name gets Default.
//  3. The rules for that name whose predicate holds all match; so do the
//     rules for a call multiplexed through socketcall or ipc when this is
//     that multiplexer with the call's number as its first argument, with
//     their predicates as MuxPredicate makes them (what libseccomp does).
//     No match: Default.
//  4. Of the matching rules, the most restrictive action wins
//     (MoreRestrictive).
//
// On a 32-bit ABI the kernel gives 32-bit arguments (arch.Arch.ArgBits),
// so comparisons there use the low 32 bits only, as libseccomp's filters
// do. x32 is not one of them: its calls carry full 64-bit registers, and
// comparisons see all 64 bits of the arguments the kernel reads as 64-bit
// values (an off_t, a pointer), the low 32 of those it reads as 32-bit
// (an fd, and every argument of x32's compat calls, which truncate them:
// arch.Arch.Arg32). libseccomp 2.5.4 compares only the low word on x32;
// Policy.X32LowWord does the same. Policy.Lower gives the predicate as
// compared.
func Eval(p *Policy, c Call) Action {
	a := p.abi(c)
	if a == nil {
		return p.BadArch
	}
	name, ok := a.SyscallName(uint32(c.Nr))
	if !ok {
		return p.Default
	}
	args := c.Args
	bits := p.ArgBits(a)
	if bits == 32 {
		for i := range args {
			args[i] &= 0xffffffff
		}
	}
	var demuxed string
	switch {
	case name != arch.Socketcall && name != arch.IPC:
	case p.MuxWholeArg0:
		if args[0] <= 0x7fffffff {
			demuxed, _ = a.Demultiplex(name, int(args[0]))
		}
	default:
		demuxed, _ = a.Demultiplex(name, arch.MuxCall(name, args[0]))
	}
	matched, pathRules := false, false
	var best Action
	for _, r := range p.Rules {
		hit := false
		switch {
		case r.Syscall == name && r.Paths != nil:
			pathRules = true
			hit = c.PathKnown && matchesAny(r.Paths, c.Path) != r.PathsNot
		case r.Syscall == name:
			hit = r.When == nil || p.Lower(a, name, r.When).Eval(&args)
		case demuxed != "" && r.Syscall == demuxed:
			if mux, _, ok := a.Multiplexed(r.Syscall); ok && mux == name {
				w := MuxPredicate(r.When)
				hit = w == nil || p.Lower(a, name, w).Eval(&args)
			}
		}
		if hit && (!matched || MoreRestrictive(r.Action, best)) {
			matched, best = true, r.Action
		}
	}
	switch {
	case pathRules && !c.PathKnown:
		return UserNotif // the filter's answer: the supervisor decides
	case !matched:
		return p.Default
	}
	return best
}

// Lower is predicate e of a rule on syscall as compared on a's calls: on
// a 32-bit ABI every comparison 32-bit (Narrow); on x32 (unless
// X32LowWord, which narrows them all) those of arguments the kernel reads
// as 32-bit values (arch.Arch.Arg32); elsewhere e itself. The compiler
// lowers rules this way, and Eval evaluates them so.
func (p *Policy) Lower(a *arch.Arch, syscall string, e Expr) Expr {
	switch {
	case e == nil:
		return nil
	case p.ArgBits(a) == 32:
		return Narrow(e)
	case a.Name == "x32":
		return NarrowArgs(e, func(i int) bool { return a.Arg32(syscall, i) })
	}
	return e
}

// Narrow returns e with every comparison made 32-bit, its constants
// truncated to 32 bits: what a predicate means on a 32-bit arch, whose
// arguments are 32-bit (the compiler lowers this form there).
func Narrow(e Expr) Expr { return NarrowArgs(e, func(int) bool { return true }) }

// NarrowArgs is Narrow for the comparisons of the arguments i for which
// narrow(i) holds.
func NarrowArgs(e Expr, narrow func(arg int) bool) Expr {
	return mapCmps(e, func(e *Cmp) Expr {
		if !narrow(e.Arg) {
			return e
		}
		c := *e
		c.Bits = 32
		c.Value &= 0xffffffff
		c.Mask &= 0xffffffff
		return &c
	})
}

// abi finds the target arch a call belongs to, or nil.
func (p *Policy) abi(c Call) *arch.Arch {
	// Numbers from bit 30 up are x32's, as libseccomp's filters test it
	// (nr >= 0x40000000), except nr -1 (a call a tracer skipped), which
	// stays the native ABI's.
	x32 := uint32(c.Nr) >= arch.X32SyscallBit && c.Nr != -1
	for _, a := range p.Targets() {
		if a.Audit != c.Arch {
			continue
		}
		if a.Audit == 0xc000003e && (a.Name == "x32") != x32 {
			continue
		}
		return a
	}
	return nil
}

// MuxCallPredicate is the test that a call of multiplexer mux is call
// number call, as the kernel reads arg0 (arch.MuxCall): its low 32 bits
// for socketcall, the low 16 of those for ipc, whose bits 16 to 31 are an
// interface version. libseccomp 2.5.4 compares the whole of arg0, so that
// versioned ipc calls (and on 64-bit arches, socketcall and ipc calls
// with high bits set) escape its rules; cbpf does not let them.
func (p *Policy) MuxCallPredicate(mux string, call int) Expr {
	if p.MuxWholeArg0 {
		return Arg(0).Eq(uint64(call))
	}
	if mux == arch.IPC {
		return Arg32(0).MaskedEq(arch.IPCCallMask, uint64(call))
	}
	return Arg32(0).Eq(uint64(call))
}

// MuxPredicate is the predicate of a rule on a multiplexed call (socket,
// shmget, ...) as it applies on the multiplexer's path (socketcall, ipc):
// what libseccomp 2.5 does. The multiplexer's first argument is the call
// number, so every comparison of argument 0 is taken as true (and dropped);
// comparisons of arguments 1 to 5 stay and see the multiplexer's own
// arguments (on socketcall, args[1] is the pointer to the real arguments).
// It returns nil when nothing is left.
func MuxPredicate(e Expr) Expr {
	switch e := e.(type) {
	case *Cmp:
		if e.Arg == 0 {
			return nil
		}
		return e
	case And:
		var out And
		for _, x := range e {
			if y := MuxPredicate(x); y != nil {
				out = append(out, y)
			}
		}
		switch len(out) {
		case 0:
			return nil
		case 1:
			return out[0]
		}
		return out
	case Or:
		var out Or
		for _, x := range e {
			y := MuxPredicate(x)
			if y == nil {
				return nil // true || ... is true
			}
			out = append(out, y)
		}
		if len(out) == 1 {
			return out[0]
		}
		return out
	case *Not:
		y := MuxPredicate(e.X)
		if y == nil {
			return Or{} // !true
		}
		return &Not{X: y}
	}
	return e
}
