package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
)

// Rules that compare on 64 bits an argument the kernel reads as a 32-bit
// value (arch.Arch.Arg32: an int fd, a signal number). On a 64-bit ABI the
// filter sees the whole register, the call only its low word: a caller
// who sets the high word makes, for the kernel, the same call, and the
// filter may decide it otherwise (kill(pid, 0x100000009) sends SIGKILL
// past "kill: arg1 == SIGKILL => errno(1)"). The notes below say so where
// Eval finds such a pair of calls, and name them.

// arg32Budget bounds the calls a whole policy's check evaluates, counted
// in rules evaluated, so that a huge policy costs at most about this much
// (its first rules are checked, the others not).
const arg32Budget = 1 << 22

// arg32Stopped says where the budget ran out.
var arg32Stopped = fmt.Sprintf("stopped looking for calls whose high argument words get past the rules (a budget of %d rule evaluations) at this rule: it and the later rules are not checked", arg32Budget)

// arg32Points bounds the calls tried per rule and arch: the combinations
// of a few values per argument taken from the rule's constants.
const arg32Points = 256

// arg32Check looks for such pairs of calls in the rules of one policy.
type arg32Check struct {
	p       *Policy            // default, bad-arch, options
	targets []*arch.Arch       // where the filter applies
	bySys   map[string]*Policy // the rules of each syscall checked
	rules   []Rule
	budget  int
}

// newArg32Check prepares the check of rules, the whole of a policy like
// p (its default and options) on targets.
func newArg32Check(p *Policy, rules []Rule, targets []*arch.Arch) *arg32Check {
	return &arg32Check{p: p, targets: targets, rules: rules, budget: arg32Budget}
}

// sub is the policy of the rules on syscall: Eval agrees with the whole
// policy on the syscall's direct calls (not on socketcall and ipc, which
// the check leaves out).
func (k *arg32Check) sub(syscall string) *Policy {
	if s, ok := k.bySys[syscall]; ok {
		return s
	}
	if k.bySys == nil {
		k.bySys = map[string]*Policy{}
		// One pass over the rules for all the syscalls checked: those
		// with a 64-bit comparison somewhere.
		for _, r := range k.rules {
			if r.When != nil && arg32Has64(r.When) && k.bySys[r.Syscall] == nil {
				q := *k.p
				q.Arches, q.Rules = k.targets, nil
				k.bySys[r.Syscall] = &q
			}
		}
		for _, r := range k.rules {
			if s := k.bySys[r.Syscall]; s != nil {
				s.Rules = append(s.Rules, r)
			}
		}
	}
	return k.bySys[syscall]
}

// arg32Has64 reports whether e has a 64-bit comparison.
func arg32Has64(e Expr) bool {
	found := false
	eachCmp(e, func(c *Cmp) { found = found || c.Bits == 64 })
	return found
}

// arg32Pair is what the check found for a rule on one arch: two calls
// that differ only in the high word of arguments the kernel reads as
// 32-bit (args), in and out, out with the more permissive action; the
// rule decides in (inRule) or out.
type arg32Pair struct {
	in, out       [6]uint64
	inAct, outAct Action
	args          []int
	inRule        bool
}

// notes returns the warnings about r, a rule of the policy, one per
// distinct pair of calls, naming the arches it holds on; fix says how to
// write the comparison instead (it gets the argument, "arg1").
func (k *arg32Check) notes(r Rule, fix func(arg int) string) []string {
	if r.When == nil || r.Syscall == arch.Socketcall || r.Syscall == arch.IPC || k.budget <= 0 {
		return nil
	}
	var keys []string
	on := map[string][]string{}
	for _, a := range k.targets {
		nr, ok := a.SyscallNumber(r.Syscall)
		if !ok || k.p.ArgBits(a) != 64 {
			continue
		}
		w := k.p.Lower(a, r.Syscall, r.When)
		var args []int // compared on 64 bits, read by the call as 32-bit
		eachCmp(w, func(c *Cmp) {
			if c.Bits == 64 && a.Arg32(r.Syscall, c.Arg) && !slices.Contains(args, c.Arg) {
				args = append(args, c.Arg)
			}
		})
		if len(args) == 0 {
			continue
		}
		slices.Sort(args)
		sub := k.sub(r.Syscall)
		eval := func(v [6]uint64) Action {
			k.budget -= len(sub.Rules)
			return Eval(sub, Call{Arch: a.Audit, Nr: int32(nr), Args: v})
		}
		pair, ok := arg32FindPair(w, r.Action, args, arg32Candidates(w, sub.Rules), eval, func() bool { return k.budget > 0 }, arg32Variants)
		if !ok {
			continue
		}
		msg := arg32Msg(r.Syscall, a.Name, pair, fix)
		if _, seen := on[msg]; !seen {
			keys = append(keys, msg)
		}
		on[msg] = append(on[msg], a.Name)
	}
	var out []string
	for _, m := range keys {
		out = append(out, strings.Replace(m, "\x00", strings.Join(on[m], ", "), 1))
	}
	return out
}

// arg32Variants are the values that differ from v only in the high word:
// with high word 0 (if v's is not), 1, all ones, and v's own with its
// lowest bit flipped.
func arg32Variants(v uint64) []uint64 {
	lo, hi := v&0xffffffff, v>>32
	var out []uint64
	for _, h := range []uint64{0, 1, 0xffffffff, hi ^ 1} {
		if h != hi && !slices.Contains(out, h<<32|lo) {
			out = append(out, h<<32|lo)
		}
	}
	return out
}

// arg32FindPair looks for two calls that differ only in the high words
// of arguments args, read by the call as 32-bit (the same call for the
// kernel), where the filter (eval) gives the second a more permissive
// action than the first, whose arguments args are zero- or sign-extended
// (arg32Canonical), and the rule (predicate w as compared, action act)
// decides one of them: a call that gets past the rule's denial, or a
// call with other high words that the rule lets through though the
// filter denies its twin. It tries
// calls made of a few values per argument (cands), and for
// each the calls variants makes of it by changing args (one, then all);
// more reports whether the budget allows another call.
func arg32FindPair(w Expr, act Action, args []int, cands [6][]uint64, eval func([6]uint64) Action, more func() bool, variants func(uint64) []uint64) (arg32Pair, bool) {
	decides := func(v *[6]uint64, got Action) bool { return got == act && w.Eval(v) }
	for p := range arg32Points {
		if !more() {
			break
		}
		var u [6]uint64
		q := p
		for i, c := range cands {
			u[i] = c[q%len(c)]
			q /= len(c)
		}
		if q > 0 {
			break // all tried
		}
		ua := eval(u)
		try := func(v [6]uint64, changed []int) (arg32Pair, bool) {
			in, out, ia, oa := u, v, ua, eval(v)
			if MoreRestrictive(oa, ia) {
				in, out, ia, oa = v, u, oa, ia
			}
			if ia == oa || !arg32Canonical(in, changed) {
				return arg32Pair{}, false
			}
			// The rule denies a call as meant, and a twin gets past it;
			// or it lets through a spelling nobody means of a call that
			// the filter denies (a canonical twin it lets through is the
			// call as the rule means it, denied in another spelling).
			if inRule := decides(&in, ia); inRule || decides(&out, oa) && !arg32Canonical(out, changed) {
				return arg32Pair{in: in, out: out, inAct: ia, outAct: oa, args: changed, inRule: inRule}, true
			}
			return arg32Pair{}, false
		}
		for _, i := range args {
			for _, x := range variants(u[i]) {
				v := u
				v[i] = x
				if pr, ok := try(v, []int{i}); ok {
					return pr, true
				}
			}
		}
		if len(args) > 1 {
			v := u
			for _, i := range args {
				v[i] = variants(u[i])[0]
			}
			if pr, ok := try(v, args); ok {
				return pr, true
			}
		}
	}
	return arg32Pair{}, false
}

// arg32Canonical reports whether the arguments args of v are 32-bit
// values as a program passes them: zero- or sign-extended. A call whose
// high words are something else and that the filter denies more than its
// twin is no bypass (the twin is the call as meant).
func arg32Canonical(v [6]uint64, args []int) bool {
	for _, i := range args {
		if h := v[i] >> 32; h != 0 && (h != 0xffffffff || v[i]&0x80000000 == 0) {
			return false
		}
	}
	return true
}

// arg32Candidates are, per argument, the values worth trying for predicate
// w among the rules of its syscall: 0 and, from the comparisons of that
// argument (w's first), each constant, its low word and its neighbours
// (a few of them).
func arg32Candidates(w Expr, rules []Rule) [6][]uint64 {
	var c [6][]uint64
	for i := range c {
		c[i] = []uint64{0}
	}
	add := func(i int, vs ...uint64) {
		for _, v := range vs {
			if len(c[i]) < 9 && !slices.Contains(c[i], v) {
				c[i] = append(c[i], v)
			}
		}
	}
	f := func(x *Cmp) {
		v, m := x.Value, x.Mask
		if x.Bits == 32 {
			v, m = v&0xffffffff, m&0xffffffff
		}
		if x.Op == MaskedEQ {
			add(x.Arg, v, v&0xffffffff, v|^m&0xffffffff, v|m&^(m-1))
			return
		}
		add(x.Arg, v, v&0xffffffff, v+1, v-1)
	}
	eachCmp(w, f)
	for _, r := range rules {
		eachCmp(r.When, f)
	}
	return c
}

// arg32Msg says what pair means for a rule on syscall on an arch (named
// in the message by a NUL, which notes replaces by the arches).
func arg32Msg(syscall, archName string, pr arg32Pair, fix func(int) string) string {
	names := argNamesOf(syscall, archName)
	var what []string
	for _, i := range pr.args {
		s := "arg" + strconv.Itoa(i)
		if i < len(names) {
			s += " (" + names[i] + ")"
		}
		what = append(what, s)
	}
	verb, its := "reads "+strings.Join(what, " and ")+" as a 32-bit value", "its high word"
	if len(what) > 1 {
		verb, its = "reads "+strings.Join(what, " and ")+" as 32-bit values", "their high words"
	}
	var fixes []string
	for _, i := range pr.args {
		fixes = append(fixes, fix(i))
	}
	inBy, outBy := " from this rule", ""
	if !pr.inRule {
		inBy, outBy = "", " from this rule"
	}
	return fmt.Sprintf("%s: on \x00 the kernel %s and ignores %s, but this rule compares all 64 bits: %s gets %s%s and %s, the same call for the kernel, gets %s%s; %s",
		syscall, verb, its,
		arg32Call(syscall, names, pr.in), ActionText(pr.inAct), inBy,
		arg32Call(syscall, names, pr.out), ActionText(pr.outAct), outBy,
		strings.Join(fixes, "; "))
}

// arg32Call prints a call with its arguments, as many as the syscall has
// (or as the highest one set).
func arg32Call(syscall string, names []string, v [6]uint64) string {
	n := len(names)
	for i := n; i < 6; i++ {
		if v[i] != 0 {
			n = i + 1
		}
	}
	var b strings.Builder
	b.WriteString(syscall)
	b.WriteByte('(')
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(arg32Num(v[i]))
	}
	b.WriteByte(')')
	return b.String()
}

// arg32Num prints small numbers in decimal, others in hex.
func arg32Num(v uint64) string {
	if v < 0x10000 {
		return strconv.FormatUint(v, 10)
	}
	return "0x" + strconv.FormatUint(v, 16)
}

// arg32TextFix is the policy language's way to compare the low word.
func arg32TextFix(arg int) string {
	return fmt.Sprintf("write (u32)arg%d to compare what the kernel reads", arg)
}

// checkArg32 warns about the rules of the policy that compare on 64 bits
// arguments the kernel reads as 32-bit, where a call with the high word
// set is decided otherwise (once the whole policy, with its default
// action, is known).
func (ps *textParser) checkArg32() {
	k := newArg32Check(ps.p, ps.p.Rules, ps.targets)
	for _, r := range ps.p.Rules {
		msgs := k.notes(r, arg32TextFix)
		if k.budget <= 0 {
			msgs = append(msgs, arg32Stopped)
		}
		if len(msgs) > 0 {
			// Pos is ps.pos(line, col).
			l, c, _ := strings.Cut(strings.TrimPrefix(r.Pos, ps.file+":"), ":")
			line, _ := strconv.Atoi(l)
			col, _ := strconv.Atoi(c)
			for _, m := range msgs {
				ps.warnAt(line, col, "%s", m)
			}
		}
		if k.budget <= 0 {
			return
		}
	}
}

// arg32OCIFix is the OCI profile's way to compare the low word: equality
// only, with a mask.
func arg32OCIFix(arg int) string {
	return fmt.Sprintf("to test arg%d's low word for equality, use SCMP_CMP_MASKED_EQ with value 0xffffffff", arg)
}

// warnArg32 is checkArg32 for a profile's rules.
func (c *ociConv) warnArg32(p *Policy, rules []*ociRule) {
	all := ociRules(rules)
	k := newArg32Check(p, all, p.Arches)
	for _, r := range all {
		for _, m := range k.notes(r, arg32OCIFix) {
			c.problems.add(Problem{Pos: r.Pos, Warning: true, Msg: m})
		}
		if k.budget <= 0 {
			c.problems.add(Problem{Pos: r.Pos, Warning: true, Msg: arg32Stopped})
			return
		}
	}
}

// ociRules are a profile's rules with their predicates.
func ociRules(rules []*ociRule) []Rule {
	all := make([]Rule, len(rules))
	for i, r := range rules {
		all[i] = r.Rule
		all[i].When = r.when()
	}
	return all
}

// posMsg is a warning and where.
type posMsg struct{ pos, msg string }

// x32Notes says, for the rules of p (rules, on its arches) that test on
// x32 an argument the kernel reads as 64-bit, which call p's filter and
// libseccomp 2.5.4's (p with X32LowWord) decide differently.
func x32Notes(p *Policy, x32 *arch.Arch, rules []Rule) []posMsg {
	cb := newArg32Check(p, rules, p.Arches)
	low := *p
	low.X32LowWord = true
	lw := newArg32Check(&low, rules, p.Arches)
	var out []posMsg
	for _, r := range rules {
		nr, ok := x32.SyscallNumber(r.Syscall)
		if cb.budget <= 0 {
			out = append(out, posMsg{r.Pos, "x32: " + arg32Stopped})
			break
		}
		if r.When == nil || !ok || r.Syscall == arch.Socketcall || r.Syscall == arch.IPC {
			continue
		}
		var args []int // tested, read by the call as 64-bit
		eachCmp(r.When, func(c *Cmp) {
			if c.Bits == 64 && !x32.Arg32(r.Syscall, c.Arg) && !slices.Contains(args, c.Arg) {
				args = append(args, c.Arg)
			}
		})
		if len(args) == 0 {
			continue
		}
		slices.Sort(args)
		sc, sl := cb.sub(r.Syscall), lw.sub(r.Syscall)
		eval := func(s *Policy, v [6]uint64) Action {
			cb.budget -= len(s.Rules)
			return Eval(s, Call{Arch: x32.Audit, Nr: int32(nr), Args: v})
		}
		// A call the rule decides in one filter or the other, and those
		// that differ from it in the high words of args.
		var found bool
		var call [6]uint64
		var ca, la Action
		cands := arg32Candidates(r.When, sc.Rules)
		for q := range arg32Points {
			if found || cb.budget <= 0 {
				break
			}
			var u [6]uint64
			k := q
			for j, c := range cands {
				u[j] = c[k%len(c)]
				k /= len(c)
			}
			if k > 0 {
				break // all tried
			}
			tries := [][6]uint64{u}
			for _, j := range args {
				for _, x := range arg32Variants(u[j]) {
					v := u
					v[j] = x
					tries = append(tries, v)
				}
			}
			for _, v := range tries {
				if a, b := eval(sc, v), eval(sl, v); a != b {
					found, call, ca, la = true, v, a, b
					break
				}
			}
		}
		if !found {
			continue
		}
		names := argNamesOf(r.Syscall, x32.Name)
		var what []string
		for _, j := range args {
			s := "arg" + strconv.Itoa(j)
			if j < len(names) {
				s += " (" + names[j] + ")"
			}
			what = append(what, s)
		}
		verb := "a 64-bit value"
		if len(what) > 1 {
			verb = "64-bit values"
		}
		out = append(out, posMsg{r.Pos, fmt.Sprintf(
			"%s on x32: the kernel reads %s as %s, and cbpf compares all 64 bits where libseccomp 2.5.4 (runc) compares only the low 32, so %s gets %s from cbpf's filter and %s from runc's (OCIOptions.X32LowWord, --x32-low-word, compares as runc does)",
			r.Syscall, strings.Join(what, " and "), verb, arg32Call(r.Syscall, names, call), ActionText(ca), ActionText(la))})
	}
	return out
}
