package compile

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"sort"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
)

// A decision is what one syscall number of one ABI gets: try the cases in
// order, the first whose predicate holds gives the action; none: Else.
// A decision without cases is a fixed action.
//
// Ordering the matching rules from most to least restrictive and taking
// the first that holds is the same as policy.Eval's "of all matching rules,
// the most restrictive wins".
type decision struct {
	cases []dcase
	els   policy.Action
	// key is the SHA-256 of the decision's canonical text (writeKey):
	// equal keys decide identically. A digest, not the text: a policy's
	// predicates can be megabytes long, and every decision has a key.
	key string
}

type dcase struct {
	when policy.Expr // never nil
	act  policy.Action
}

func (d *decision) fixed() bool { return len(d.cases) == 0 }

// decisions lowers the policy's rules for ABI a: for each syscall number of
// a's table that some rule names (directly or through a multiplexer), its
// decision. Numbers absent from the map get the default action.
func decisions(p *policy.Policy, a *arch.Arch) map[uint32]*decision {
	// Rules by name. Most names have one unconditional rule: those share
	// one fixed decision per action and need no copying.
	byName := make(map[string][]policy.Rule, len(p.Rules))
	for i, r := range p.Rules {
		rs := byName[r.Syscall]
		if rs == nil {
			rs = p.Rules[i : i+1 : i+1] // no copy for the usual single rule
		} else {
			rs = append(rs, r)
		}
		byName[r.Syscall] = rs
	}
	out := make(map[uint32]*decision, len(byName))
	fixed := map[policy.Action]*decision{}
	for name, rules := range byName {
		nr, ok := a.SyscallNumber(name)
		if !ok || name == arch.Socketcall || name == arch.IPC {
			continue
		}
		if len(rules) == 1 && rules[0].When == nil {
			d := fixed[rules[0].Action]
			if d == nil {
				d = &decision{els: rules[0].Action}
				fixed[rules[0].Action] = d
			}
			out[nr] = d
			continue
		}
		out[nr] = decide(rules, p.Default, lowerFor(p, a, name))
	}
	for _, mux := range []string{arch.Socketcall, arch.IPC} {
		nr, ok := a.SyscallNumber(mux)
		if !ok {
			continue
		}
		rules := append([]policy.Rule(nil), byName[mux]...)
		// Calls made through the multiplexer: first argument == call
		// number, and the rule's predicate as policy.MuxPredicate has it.
		for _, name := range a.MultiplexedCalls(mux) {
			_, call, _ := a.Multiplexed(name)
			for _, r := range byName[name] {
				when := p.MuxCallPredicate(mux, call)
				if w := policy.MuxPredicate(r.When); w != nil {
					when = policy.And{when, w}
				}
				rules = append(rules, policy.Rule{Syscall: mux, When: when, Action: r.Action})
			}
		}
		if len(rules) > 0 {
			out[nr] = decide(rules, p.Default, lowerFor(p, a, mux))
		}
	}
	return out
}

// lowerFor is policy.Policy.Lower for the rules of syscall on a.
func lowerFor(p *policy.Policy, a *arch.Arch, syscall string) func(policy.Expr) policy.Expr {
	return func(e policy.Expr) policy.Expr { return p.Lower(a, syscall, e) }
}

// decide orders the rules of one syscall into a decision; lower gives a
// predicate as compared (policy.Policy.Lower).
func decide(rules []policy.Rule, def policy.Action, lower func(policy.Expr) policy.Expr) *decision {
	if len(rules) == 1 && rules[0].When == nil {
		return &decision{els: rules[0].Action}
	}
	rules = append([]policy.Rule(nil), rules...)
	sort.SliceStable(rules, func(i, j int) bool { return policy.MoreRestrictive(rules[i].Action, rules[j].Action) })
	d := &decision{els: def}
	for _, r := range rules {
		if r.When == nil {
			// Nothing less restrictive can matter after an unconditional
			// rule; and if the default is more restrictive than... no: the
			// unconditional rule matches always, so it is the else.
			d.els = r.Action
			break
		}
		d.cases = append(d.cases, dcase{when: lower(r.When), act: r.Action})
	}
	// Neighbouring cases with the same action are one case: their
	// predicates ORed, so that value sets are searched, not scanned.
	var merged []dcase
	for i := 0; i < len(d.cases); {
		j := i + 1
		for j < len(d.cases) && d.cases[j].act == d.cases[i].act {
			j++
		}
		c := d.cases[i]
		if j > i+1 {
			c.when = orOf(d.cases[i:j])
		}
		merged = append(merged, c)
		i = j
	}
	d.cases = merged
	// Trailing cases whose action is the else change nothing.
	for len(d.cases) > 0 && d.cases[len(d.cases)-1].act == d.els {
		d.cases = d.cases[:len(d.cases)-1]
	}
	if d.fixed() {
		return d // compared by action; no key needed
	}
	h := sha256.New()
	b := bufio.NewWriterSize(h, 4096)
	for _, c := range d.cases {
		writeKey(b, c.when)
		b.WriteString(" => ")
		b.WriteString(policy.ActionText(c.act))
		b.WriteString("; ")
	}
	b.WriteString(policy.ActionText(d.els))
	b.Flush()
	d.key = string(h.Sum(nil))
	return d
}

// writeKey writes e's structure with every constant as a number: unlike
// String, which prints constants by their source names, it never gives
// two predicates that compare different values the same text.
func writeKey(b *bufio.Writer, e policy.Expr) {
	switch e := e.(type) {
	case *policy.Cmp:
		fmt.Fprintf(b, "c%d/%d/%d/%#x/%#x", e.Arg, e.Op, e.Bits, e.Mask, e.Value)
	case policy.And:
		b.WriteString("and(")
		for _, x := range e {
			writeKey(b, x)
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case policy.Or:
		b.WriteString("or(")
		for _, x := range e {
			writeKey(b, x)
			b.WriteByte(',')
		}
		b.WriteByte(')')
	case *policy.Not:
		b.WriteString("not(")
		writeKey(b, e.X)
		b.WriteByte(')')
	case nil:
		b.WriteString("true")
	default:
		fmt.Fprintf(b, "%T(%s)", e, e)
	}
}

// orOf is the OR of the cases' predicates, nested ORs flattened.
func orOf(cases []dcase) policy.Expr {
	var out policy.Or
	for _, c := range cases {
		if o, ok := c.when.(policy.Or); ok {
			out = append(out, o...)
		} else {
			out = append(out, c.when)
		}
	}
	return out
}
