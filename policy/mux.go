package policy

import (
	"fmt"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
)

// What socketcall(2) and ipc(2) hold in their argument registers for each
// call they multiplex, so that the warnings about rules on those calls say
// exactly what a filter compares on that path. A filter sees only the
// registers: on the multiplexer's path the compiler (like libseccomp)
// replaces the rule's conditions on arg0 by the call number and compares
// its conditions on arg1..arg5 with the multiplexer's own registers (see
// MuxPredicate).

type muxSlotKind uint8

const (
	slotCall    muxSlotKind = iota // the call number
	slotArg                        // the call's argument arg
	slotAddr                       // an address; desc says of what
	slotIgnored                    // a register the kernel ignores for this call
)

// muxSlot is what one register of the multiplexer holds.
type muxSlot struct {
	kind muxSlotKind
	arg  int
	desc string
}

func inArg(i int) muxSlot        { return muxSlot{kind: slotArg, arg: i} }
func addrOf(desc string) muxSlot { return muxSlot{kind: slotAddr, desc: desc} }

var ignored = muxSlot{kind: slotIgnored}

// ipcSlots maps each call of ipc(call, first, second, third, ptr, fifth) to
// what ipc's arguments 1 to 5 carry, as Linux's ipc/syscall.c reads them
// (ksys_ipc, and compat_ksys_ipc for i386 on a 64-bit kernel, which agree).
// For msgrcv it is the form with interface version 0 (the high 16 bits of
// arg0), the only one a rule's filter code matches: arg0 must equal the
// call number.
var ipcSlots = map[string][5]muxSlot{
	// ksys_semtimedop(first, ptr, second, NULL)
	"semop": {inArg(0), inArg(2), ignored, inArg(1), ignored},
	// ksys_semtimedop(first, ptr, second, fifth)
	"semtimedop": {inArg(0), inArg(2), ignored, inArg(1), inArg(3)},
	// ksys_semget(first, second, third)
	"semget": {inArg(0), inArg(1), inArg(2), ignored, ignored},
	// semctl(first, second, third, *ptr): the union semun is read from ptr
	"semctl": {inArg(0), inArg(1), inArg(2), addrOf("the address of semctl's arg3"), ignored},
	// ksys_msgsnd(first, ptr, second, third)
	"msgsnd": {inArg(0), inArg(2), inArg(3), inArg(1), ignored},
	// version 0: struct ipc_kludge {msgp, msgtyp} at ptr;
	// ksys_msgrcv(first, kludge.msgp, second, kludge.msgtyp, third)
	"msgrcv": {inArg(0), inArg(2), inArg(4), addrOf("the address of a struct holding msgrcv's arg1 and arg3"), ignored},
	// ksys_msgget(first, second)
	"msgget": {inArg(0), inArg(1), ignored, ignored, ignored},
	// msgctl(first, second, ptr)
	"msgctl": {inArg(0), inArg(1), ignored, inArg(2), ignored},
	// do_shmat(first, ptr, second, &raddr); raddr is stored at third
	"shmat": {inArg(0), inArg(2), addrOf("the address where the kernel stores shmat's result"), inArg(1), ignored},
	// ksys_shmdt(ptr)
	"shmdt": {ignored, ignored, ignored, inArg(0), ignored},
	// ksys_shmget(first, second, third)
	"shmget": {inArg(0), inArg(1), inArg(2), ignored, ignored},
	// shmctl(first, second, ptr)
	"shmctl": {inArg(0), inArg(1), ignored, inArg(2), ignored},
}

// muxSlots returns what the six registers of multiplexer mux hold for
// call name: socketcall(call, args) has the call's arguments in memory at
// args and ignores its other registers.
func muxSlots(mux, name string) [6]muxSlot {
	out := [6]muxSlot{{kind: slotCall}}
	if mux == arch.Socketcall {
		out[1] = addrOf("the address of " + name + "'s arguments")
		for i := 2; i < 6; i++ {
			out[i] = ignored
		}
		return out
	}
	sl := ipcSlots[name]
	copy(out[1:], sl[:])
	return out
}

// muxCallName is the constant that names call name in the multiplexer's
// arg0: SYS_SOCKET (linux/net.h), SHMGET (linux/ipc.h).
func muxCallName(mux, name string) string {
	if mux == arch.Socketcall {
		return "SYS_" + strings.ToUpper(name)
	}
	return strings.ToUpper(name)
}

// Valid user addresses: Linux maps nothing below 4096 unless
// vm.mmap_min_addr is lowered to 0, and a 32-bit process's memory ends
// below 0xffffe000 (the compat TASK_SIZE; a 32-bit kernel's ends lower).
const (
	minAddr   = 4096
	maxAddr32 = 0xffffe000 - 1
)

// muxFallback is what a call through the multiplexer gets when its arg0
// is not exactly the call number, so that the rules on the call do not
// apply: the multiplexer's own rules, else the default.
type muxFallback struct {
	least  Action // the least restrictive outcome
	action bool   // there is one outcome, least
	rules  bool   // the multiplexer has rules of its own
}

func fallbackOf(def Action, rules []Rule, mux string) muxFallback {
	var f muxFallback
	unconditional := false
	var cond []Action
	for _, r := range rules {
		if r.Syscall != mux {
			continue
		}
		f.rules = true
		if r.When != nil {
			cond = append(cond, r.Action)
			continue
		}
		if !unconditional || MoreRestrictive(f.least, r.Action) {
			f.least = r.Action
		}
		unconditional = true
	}
	if unconditional {
		f.action = len(cond) == 0
		return f
	}
	f.least, f.action = def, len(cond) == 0
	for _, a := range cond {
		if MoreRestrictive(f.least, a) {
			f.least = a
		}
	}
	return f
}

func (f muxFallback) text(mux string) string {
	switch {
	case f.action && !f.rules:
		return "the default action, " + ActionText(f.least)
	case f.action:
		return fmt.Sprintf("%s's own rule, %s", mux, ActionText(f.least))
	}
	return mux + "'s own rules or the default action"
}

// tri is a truth value that may be unknown.
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

// why a comparison on the multiplexer's path is unknown.
type muxReasons struct {
	asWritten, otherArg, addr, caller bool
}

// muxNotes says, for a rule on a call that arch a also offers through
// socketcall or ipc, what a filter compares on the multiplexer's path
// where that is not what the rule says: the conditions (what the
// registers they are compared with hold) and the calls the rule misses
// because the filter compares the whole of arg0 with the call number,
// when those get a less restrictive action (p.MuxWholeArg0; with runc,
// for an OCI profile, what runc's filter misses where cbpf's does not).
// bits is the width the filter compares a's arguments in
// (Policy.ArgBits); fb what calls that miss the rule get.
func muxNotes(a *arch.Arch, r Rule, bits int, fb muxFallback, p *Policy, runc bool) []string {
	mux, call, ok := a.Multiplexed(r.Syscall)
	if !ok {
		return nil
	}
	slots := muxSlots(mux, r.Syscall)
	through := fmt.Sprintf("%s: on %s, through %s(%s)", r.Syscall, a.Name, mux, muxCallName(mux, r.Syscall))
	var notes []string
	if r.When != nil && nesting(r.When, MaxNesting) <= MaxNesting {
		var count [6]int
		var first [6]*Cmp
		walk(r.When, func(c *Cmp) {
			if c != nil && c.Arg >= 0 && c.Arg < 6 {
				if count[c.Arg] == 0 {
					first[c.Arg] = c
				}
				count[c.Arg]++
			}
		})
		var parts []string
		misread := false
		for k := range 6 {
			if count[k] == 0 {
				continue
			}
			conds := first[k].String()
			if count[k] > 1 {
				conds = fmt.Sprintf("the %d conditions on arg%d (%s, ...)", count[k], k, conds)
			}
			s := slots[k]
			switch {
			case s.kind == slotCall:
				where := ""
				for j, t := range slots {
					if t.kind == slotArg && t.arg == 0 {
						where = fmt.Sprintf("; %s's arg0 is in %s's arg%d", r.Syscall, mux, j)
					}
				}
				parts = append(parts, fmt.Sprintf("does not check arg0 (%s's arg0 is the call number%s)", mux, where))
				misread = true
			case s.kind == slotArg && s.arg == k:
				parts = append(parts, fmt.Sprintf("checks %s as written (%s's arg%d holds %s's arg%d too)", conds, mux, k, r.Syscall, k))
			case s.kind == slotArg:
				how := "in other registers"
				if s.arg == k-1 {
					how = "shifted by one"
				}
				parts = append(parts, fmt.Sprintf("compares %s with %s's arg%d, which holds %s's arg%d (%s passes the arguments %s)", conds, mux, k, r.Syscall, s.arg, mux, how))
				misread = true
			case s.kind == slotAddr:
				parts = append(parts, fmt.Sprintf("compares %s with %s's arg%d, %s", conds, mux, k, s.desc))
				misread = true
			default:
				parts = append(parts, fmt.Sprintf("compares %s with %s's arg%d, a register %s ignores for %s, which the caller sets as it likes", conds, mux, k, mux, r.Syscall))
				misread = true
			}
		}
		if misread {
			var why muxReasons
			v := muxTruth(r.When, &slots, bits, &why)
			notes = append(notes, fmt.Sprintf("%s the filter %s: %s", through, joinAnd(parts), verdict(v, why, r.Syscall)))
		}
	}
	// The filter compares the whole of arg0 with the call number; the
	// kernel reads less of it.
	var bypass string
	switch {
	case mux == arch.IPC:
		runs := "runs " + r.Syscall + " all the same"
		switch r.Syscall {
		case "shmat":
			runs = "runs shmat for every version but 1"
		case "msgrcv":
			runs = "runs msgrcv for every version but 0, with msgp in ipc's arg4 and msgtyp in its arg5"
		}
		high := ""
		if a.ArgBits == 64 {
			high = ", ignores bits 32 to 63"
		}
		bypass = fmt.Sprintf("calls whose arg0 has %d in its low 16 bits and higher bits set do not match this rule, since the filter compares all of arg0 with %d (the kernel takes bits 16 to 31 as an interface version%s and %s)", call, call, high, runs)
	case a.ArgBits == 64:
		bypass = fmt.Sprintf("calls whose arg0 has %d in its low 32 bits and higher bits set do not match this rule, since the filter compares all of arg0 with %d (the kernel reads only the low 32 bits and runs %s all the same)", call, call, r.Syscall)
	}
	switch {
	case bypass == "" || !MoreRestrictive(r.Action, fb.least):
	case p.MuxWholeArg0:
		notes = append(notes, fmt.Sprintf("%s %s: they get %s", through, bypass, fb.text(mux)))
	case runc:
		notes = append(notes, fmt.Sprintf("%s, in runc's filter (libseccomp 2.5.4), %s: they get %s there; cbpf's filter reads the call as the kernel does and applies the rule (OCIOptions.MuxWholeArg0, --mux-whole-arg0, does as runc does)",
			through, strings.Replace(bypass, "the filter compares", "that filter compares", 1), fb.text(mux)))
	}
	return notes
}

// joinAnd joins "a", "a and b", "a; b; and c" (the parts may hold commas).
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0, 1:
		return strings.Join(parts, "")
	case 2:
		if !strings.Contains(parts[0], ",") {
			return parts[0] + " and " + parts[1]
		}
	}
	return strings.Join(parts[:len(parts)-1], "; ") + "; and " + parts[len(parts)-1]
}

// verdict says what the truth of the predicate on the multiplexer's path
// means for the rule.
func verdict(v tri, why muxReasons, name string) string {
	switch v {
	case triFalse:
		if why.addr {
			return fmt.Sprintf("the rule is effectively never met there (no address from %d up, where Linux maps user memory, satisfies it)", minAddr)
		}
		return "the rule is never met there"
	case triTrue:
		if why.addr {
			return fmt.Sprintf("the rule is met there whatever %s's arguments, at any address from %d up", name, minAddr)
		}
		return fmt.Sprintf("the rule is met there whatever %s's arguments", name)
	}
	var on []string
	if why.caller {
		on = append(on, "registers the caller sets as it likes")
	}
	if why.addr {
		on = append(on, "where the caller puts the arguments in memory")
	}
	if why.otherArg {
		on = append(on, fmt.Sprintf("arguments of %s other than those the conditions name", name))
	}
	if why.asWritten {
		on = append(on, "the arguments checked as written")
	}
	return "whether the rule is met there depends on " + joinAnd(on)
}

// muxTruth evaluates e on the multiplexer's path, where the registers
// hold what slots says: a condition on arg0 holds (MuxPredicate drops
// it), one compared with an address is decided when every user address
// gives it the same value, and the others are unknown, for the reasons
// noted in why.
func muxTruth(e Expr, slots *[6]muxSlot, bits int, why *muxReasons) tri {
	switch e := e.(type) {
	case *Cmp:
		return cmpTruth(e, slots, bits, why)
	case And:
		v := triTrue
		for _, x := range e {
			switch muxTruth(x, slots, bits, why) {
			case triFalse:
				v = triFalse
			case triUnknown:
				if v == triTrue {
					v = triUnknown
				}
			}
		}
		return v
	case Or:
		v := triFalse
		for _, x := range e {
			switch muxTruth(x, slots, bits, why) {
			case triTrue:
				v = triTrue
			case triUnknown:
				if v == triFalse {
					v = triUnknown
				}
			}
		}
		return v
	case *Not:
		switch muxTruth(e.X, slots, bits, why) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
	}
	return triUnknown
}

func cmpTruth(c *Cmp, slots *[6]muxSlot, bits int, why *muxReasons) tri {
	if c == nil || c.Arg < 0 || c.Arg > 5 {
		return triUnknown
	}
	s := slots[c.Arg]
	switch s.kind {
	case slotCall:
		return triTrue
	case slotArg:
		if s.arg == c.Arg {
			why.asWritten = true
		} else {
			why.otherArg = true
		}
		return triUnknown
	case slotIgnored:
		why.caller = true
		return triUnknown
	}
	// An address: the comparison sees it whole, or its low word.
	k := *c
	lo, hi := uint64(minAddr), ^uint64(0)-minAddr
	if bits == 32 {
		k.Bits = 32
		hi = maxAddr32
	}
	if k.Bits == 32 {
		k.Value &= 0xffffffff
		k.Mask &= 0xffffffff
		if bits == 64 {
			lo, hi = 0, 0xffffffff // the low word of a 64-bit address
		}
	}
	why.addr = true
	v, m := k.Value, k.Mask
	in := func(x uint64) bool { return lo <= x && x <= hi }
	switch k.Op {
	case EQ:
		if !in(v) {
			return triFalse
		}
	case NE:
		if !in(v) {
			return triTrue
		}
	case LT:
		if hi < v {
			return triTrue
		}
		if lo >= v {
			return triFalse
		}
	case LE:
		if hi <= v {
			return triTrue
		}
		if lo > v {
			return triFalse
		}
	case GT:
		if lo > v {
			return triTrue
		}
		if hi <= v {
			return triFalse
		}
	case GE:
		if lo >= v {
			return triTrue
		}
		if hi < v {
			return triFalse
		}
	case MaskedEQ:
		if v&^m != 0 {
			return triFalse
		}
		if m == 0 {
			return triTrue
		}
	}
	return triUnknown
}
