package policy

import (
	"fmt"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
)

// Notes about single rules that the parsers (ParseText, ParseOCI) and
// Validate share: what a rule means on a target where it means something
// else than it says.

// exemptNote says, for a rule whose action is not ALLOW on a syscall that
// some kernels run without consulting any seccomp filter (arch.Exempt) on
// a target, that the rule has no effect there; "" if it has one
// everywhere.
func exemptNote(name string, act Action, targets []*arch.Arch) string {
	if act.Kind() == Allow {
		return ""
	}
	var on []string
	var ex arch.Exemption
	for _, a := range targets {
		nr, ok := a.SyscallNumber(name)
		if !ok {
			continue
		}
		e, ok := a.Exempt(nr)
		if !ok {
			continue
		}
		ex = e
		on = append(on, a.Name)
	}
	if len(on) == 0 {
		return ""
	}
	since := "Linux " + ex.Since + "+"
	if ex.Stable != "" {
		since += " (and " + strings.ReplaceAll(ex.Stable, ",", "+,") + "+)"
	}
	return fmt.Sprintf("%s: on %s, %s runs %s without consulting any seccomp filter, so this rule (%s) has no effect there: %s",
		name, strings.Join(on, ", "), since, name, ActionText(act), ex.Why)
}

// truthOf says whether a comparison of an argument of the given width
// (32 or 64) with c's constants holds for every value of the argument
// (triTrue), for none (triFalse), or depends on it. The constants must fit
// the width.
func truthOf(op Op, mask, v uint64, bits int) tri {
	top := ^uint64(0)
	if bits == 32 {
		top = 0xffffffff
	}
	switch op {
	case LT:
		if v == 0 {
			return triFalse
		}
	case LE:
		if v == top {
			return triTrue
		}
	case GT:
		if v == top {
			return triFalse
		}
	case GE:
		if v == 0 {
			return triTrue
		}
	case MaskedEQ:
		if v&^mask != 0 {
			return triFalse
		}
		if mask == 0 {
			return triTrue
		}
	}
	return triUnknown
}

// wide reports whether a 64-bit constant has bits above the low 32 that
// are not the sign extension of a negative 32-bit value (-1 is
// 0xffffffffffffffff, and a 32-bit arch's -1, 0xffffffff, means the same).
func wide(v uint64) bool { return v>>32 != 0 && v>>31 != 0x1ffffffff }

// narrowNote says what a 64-bit comparison (arg as written) becomes where
// the filter compares arguments on 32 bits (the 32-bit arches; x32 with
// Policy.X32LowWord): the comparison of the low 32 bits with the
// constants' low halves, which may always hold or never hold there though
// it does not on 64 bits; "" when it means the same as on 64 bits or the
// comparison is 32-bit already. on names those arches.
func narrowNote(c *Cmp, arg string, on []string) string {
	if c == nil || c.Bits != 64 || len(on) == 0 || int(c.Op) >= len(opText) {
		return ""
	}
	n := Narrow(c).(*Cmp)
	if n.Value != c.Value {
		n.ValueName = ""
	}
	if n.Mask != c.Mask {
		n.MaskName = ""
	}
	t64 := truthOf(c.Op, c.Mask, c.Value, 64)
	t32 := truthOf(n.Op, n.Mask, n.Value, 32)
	cut := wide(c.Value) || c.Op == MaskedEQ && wide(c.Mask)
	if t32 == t64 && (t32 != triUnknown || !cut) {
		return ""
	}
	var tail string
	switch t32 {
	case triTrue:
		tail = ", which always holds there"
	case triFalse:
		tail = ", which never holds there"
	case triUnknown:
		tail = " there (the low half of the constant)"
		if c.Op == MaskedEQ {
			tail = " there (the low halves of the constants)"
		}
	}
	return fmt.Sprintf("%s: on %s the filter compares arguments on their low 32 bits, so this is %s%s",
		cmpText(arg, c), strings.Join(on, ", "), cmpText(arg, n), tail)
}

// narrowArches names the targets, of those that has (the syscall's,
// directly or through socketcall or ipc), on which p's filter compares
// arguments on their low 32 bits.
func narrowArches(p *Policy, targets []*arch.Arch, has func(a *arch.Arch) bool) []string {
	var on []string
	for _, a := range targets {
		switch {
		case !has(a):
		case a.ArgBits == 32:
			on = append(on, a.Name)
		case p.ArgBits(a) == 32:
			on = append(on, a.Name+" (x32-low-word)")
		}
	}
	return on
}

// hasSyscall reports whether a has the syscall, directly or through a
// multiplexer.
func hasSyscall(a *arch.Arch, name string) bool {
	if _, ok := a.SyscallNumber(name); ok {
		return true
	}
	_, _, ok := a.Multiplexed(name)
	return ok
}
