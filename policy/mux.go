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
// (ksys_ipc, and compat_ksys_ipc for i386 on a 64-bit kernel, which agree)
// on x86, ppc64 and mips o32. s390x differs (ipcSlotsS390x). For msgrcv it
// is the form with interface version 0 (bits 16 to 31 of arg0), which
// reads msgp and msgtyp from a struct ipc_kludge at ptr; msgrcvVersioned
// is the form of the other versions.
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

// msgrcvVersioned is msgrcv's form for an interface version other than 0:
// ksys_msgrcv(first, ptr, second, fifth, third).
var msgrcvVersioned = [5]muxSlot{inArg(0), inArg(2), inArg(4), inArg(1), inArg(3)}

// ipcSlotsS390x overrides ipcSlots on s390x, whose ipc takes five
// arguments (arch/s390/kernel/syscall.c, s390_ipc): it calls ksys_ipc with
// third as fifth too, so semtimedop's timeout is in third, and its own
// arg5 is a register it ignores for every call. It also refuses any
// version (EINVAL when bits 16 to 31 of arg0 are set), so msgrcv has only
// the struct form.
var ipcSlotsS390x = map[string][5]muxSlot{
	"semtimedop": {inArg(0), inArg(2), inArg(3), inArg(1), ignored},
}

// muxSlots returns what the six registers of multiplexer mux hold on a
// for call name (for msgrcv, the version 0 form): socketcall(call, args)
// has the call's arguments in memory at args and ignores its other
// registers.
func muxSlots(a *arch.Arch, mux, name string) [6]muxSlot {
	out := [6]muxSlot{{kind: slotCall}}
	if mux == arch.Socketcall {
		out[1] = addrOf("the address of " + name + "'s arguments")
		for i := 2; i < 6; i++ {
			out[i] = ignored
		}
		return out
	}
	sl, ok := ipcSlots[name]
	if a.Name == "s390x" {
		if o, over := ipcSlotsS390x[name]; over {
			sl = o
		}
	}
	if !ok {
		return out
	}
	copy(out[1:], sl[:])
	return out
}

// muxForm is one way the kernel reads the multiplexer's registers for a
// call that the filter matches as the rule's: when says which calls ("" if
// the form is the only one).
type muxForm struct {
	when  string
	slots [6]muxSlot
}

// muxForms returns the forms of call name through mux on a that the
// filter matches: msgrcv has two where the kernel accepts ipc versions
// and the filter reads the call number as the kernel does (bits 16 to 31
// of arg0 may be set); every other call has one.
func muxForms(a *arch.Arch, mux, name string, whole bool) []muxForm {
	f := []muxForm{{slots: muxSlots(a, mux, name)}}
	if mux == arch.IPC && name == "msgrcv" && !whole && a.IPCVersions() {
		v := f[0].slots
		copy(v[1:], msgrcvVersioned[:])
		f[0].when = "for version 0 (bits 16 to 31 of arg0 clear)"
		f = append(f, muxForm{when: "for other versions", slots: v})
	}
	return f
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

// muxNotes says, for a rule on a call that arch a also offers through
// socketcall or ipc, what a filter compares on the multiplexer's path
// where that is not what the rule says: the conditions that decide the
// outcome there (what the registers they are compared with hold), those
// that cannot, and the calls the rule misses because the filter compares
// the whole of arg0 with the call number, when those get a less
// restrictive action (p.MuxWholeArg0; with runc, for an OCI profile, what
// runc's filter misses where cbpf's does not). bits is the width the
// filter compares a's arguments in (Policy.ArgBits); fb what calls that
// miss the rule get.
func muxNotes(a *arch.Arch, r Rule, bits int, fb muxFallback, p *Policy, runc bool) []string {
	mux, call, ok := a.Multiplexed(r.Syscall)
	if !ok {
		return nil
	}
	through := fmt.Sprintf("%s: on %s, through %s(%s)", r.Syscall, a.Name, mux, muxCallName(mux, r.Syscall))
	var notes []string
	if r.When != nil && nesting(r.When, MaxNesting) <= MaxNesting {
		if s := muxCondNote(a, mux, r, bits, p.MuxWholeArg0); s != "" {
			notes = append(notes, through+" the filter "+s)
		}
	}
	// The filter compares the whole of arg0 with the call number; the
	// kernel reads less of it.
	var bypass string
	switch {
	case mux == arch.IPC && !a.IPCVersions():
		if a.ArgBits == 64 {
			bypass = fmt.Sprintf("calls whose arg0 has %d in its low 32 bits and higher bits set do not match this rule, since the filter compares all of arg0 with %d (the kernel reads only the low 32 bits, refusing a version in bits 16 to 31, and runs %s all the same)", call, call, r.Syscall)
		}
	case mux == arch.IPC:
		runs := "runs " + r.Syscall + " all the same"
		switch r.Syscall {
		case "shmat":
			runs = "runs shmat for every version but 1"
		case "msgrcv":
			runs = "runs msgrcv all the same, for a version other than 0 with msgp in ipc's arg4 and msgtyp in its arg5"
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

// muxCondNote says what the filter does with the conditions of rule r on
// the path through mux, or "" when it checks them as written.
func muxCondNote(a *arch.Arch, mux string, r Rule, bits int, whole bool) string {
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
	forms := muxForms(a, mux, r.Syscall, whole)
	// The predicate as the filter compares it on that path.
	w := MuxPredicate(r.When)
	if w != nil && bits == 32 {
		w = Narrow(w)
	}
	type formEval struct{ in, full muxEval }
	evs := make([]formEval, len(forms))
	var dep [6]bool
	exact := true
	for i, f := range forms {
		var addr [6]bool
		for k, s := range f.slots {
			addr[k] = s.kind == slotAddr
		}
		evs[i] = formEval{analyseMux(w, &addr, true, bits), analyseMux(w, &addr, false, bits)}
		for k := range 6 {
			dep[k] = dep[k] || evs[i].full.dep[k] // what the filter compares: any value
		}
		exact = exact && evs[i].full.exact
	}
	var parts []string
	misread := len(forms) > 1
	for k := range 6 {
		if count[k] == 0 {
			continue
		}
		conds := first[k].String()
		if count[k] > 1 {
			conds = fmt.Sprintf("the %d conditions on arg%d (%s, ...)", count[k], k, conds)
		}
		if k == 0 {
			where := ""
			for j, t := range forms[0].slots {
				if t.kind == slotArg && t.arg == 0 {
					where = fmt.Sprintf("; %s's arg0 is in %s's arg%d", r.Syscall, mux, j)
				}
			}
			parts = append(parts, fmt.Sprintf("does not check arg0 (%s's arg0 is the call number%s)", mux, where))
			misread = true
			continue
		}
		verb := "compares"
		switch {
		case !dep[k] && exact:
			parts = append(parts, fmt.Sprintf("does not depend on %s there", conds))
			misread = true
			continue
		case !dep[k]:
			verb = "may compare"
		}
		asWritten := true
		for _, f := range forms {
			s := f.slots[k]
			asWritten = asWritten && s.kind == slotArg && s.arg == k
		}
		if asWritten {
			parts = append(parts, fmt.Sprintf("checks %s as written (%s's arg%d holds %s's arg%d too)", conds, mux, k, r.Syscall, k))
			continue
		}
		misread = true
		held := slotText(forms[0].slots[k], mux, r.Syscall, k)
		if len(forms) > 1 && forms[0].slots[k] != forms[1].slots[k] {
			var alt []string
			for _, f := range forms {
				alt = append(alt, f.when+" is "+slotNoun(f.slots[k], mux, r.Syscall))
			}
			held = "which " + strings.Join(alt, ", and ")
		}
		parts = append(parts, fmt.Sprintf("%s %s with %s's arg%d, %s", verb, conds, mux, k, held))
	}
	if !misread {
		return ""
	}
	var vs []string
	for i, f := range forms {
		v := verdictOf(evs[i].in, evs[i].full, &f.slots, r.Syscall)
		if f.when != "" {
			v = f.when + ", " + v
		}
		vs = append(vs, v)
	}
	if len(vs) == 2 && strings.TrimPrefix(vs[0], forms[0].when+", ") == strings.TrimPrefix(vs[1], forms[1].when+", ") {
		vs = []string{strings.TrimPrefix(vs[0], forms[0].when+", ")}
	}
	return joinAnd(parts) + ": " + strings.Join(vs, "; ")
}

// slotText says what a register of the multiplexer holds, as compared by
// a condition on arg k of call name.
func slotText(s muxSlot, mux, name string, k int) string {
	switch s.kind {
	case slotArg:
		how := "in other registers"
		if s.arg == k-1 {
			how = "shifted by one"
		}
		if s.arg == k {
			return fmt.Sprintf("which holds %s's arg%d", name, s.arg)
		}
		return fmt.Sprintf("which holds %s's arg%d (%s passes the arguments %s)", name, s.arg, mux, how)
	case slotAddr:
		return s.desc
	}
	return fmt.Sprintf("a register %s ignores for %s, which the caller sets as it likes", mux, name)
}

// slotNoun names what a register of the multiplexer holds.
func slotNoun(s muxSlot, mux, name string) string {
	switch s.kind {
	case slotArg:
		return fmt.Sprintf("%s's arg%d", name, s.arg)
	case slotAddr:
		return s.desc
	}
	return fmt.Sprintf("a register %s ignores for %s (the caller sets it as it likes)", mux, name)
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

// verdictOf says what the outcomes of the predicate on the multiplexer's
// path mean for the rule: in with addresses from minAddr up where the
// slots hold addresses, full with any register values.
func verdictOf(in, full muxEval, slots *[6]muxSlot, name string) string {
	switch {
	case in.exact && !in.canTrue && !full.canTrue:
		return "the rule is never met there"
	case in.exact && !in.canTrue:
		return fmt.Sprintf("the rule is effectively never met there (no address from %d up, where Linux maps user memory, satisfies it)", minAddr)
	case in.exact && !in.canFalse && !full.canFalse:
		return fmt.Sprintf("the rule is met there whatever %s's arguments", name)
	case in.exact && !in.canFalse:
		return fmt.Sprintf("the rule is met there whatever %s's arguments, at any address from %d up", name, minAddr)
	}
	var caller, addr, other, written bool
	for k, d := range in.dep {
		if !d && in.exact {
			continue
		}
		switch s := slots[k]; {
		case k == 0:
		case s.kind == slotIgnored:
			caller = caller || d || !in.exact
		case s.kind == slotAddr:
			addr = true
		case s.arg == k:
			written = true
		default:
			other = true
		}
	}
	var on []string
	if caller {
		on = append(on, "registers the caller sets as it likes")
	}
	if addr {
		on = append(on, "where the caller puts the arguments in memory")
	}
	if other {
		on = append(on, fmt.Sprintf("arguments of %s other than those the conditions name", name))
	}
	if written {
		on = append(on, "the arguments checked as written")
	}
	if !in.exact {
		return "whether the rule is met there may depend on " + joinAnd(on)
	}
	return "whether the rule is met there depends on " + joinAnd(on)
}

// tri is a truth value that may be unknown.
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)
