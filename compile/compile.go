package compile

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/policy"
)

// Options tune Compile.
type Options struct {
	// Arches are the ABIs the filter serves, in the order the filter
	// checks their arch values; empty means the policy's targets
	// (policy.Policy.Targets). Compile does not look at the machine it
	// runs on: the same policy and options give the same filter
	// everywhere.
	Arches []*arch.Arch
	// First, if set, is checked first whatever its place in the targets:
	// its calls then pay for one arch comparison only. It must be one of
	// them (x86_64 and x32 share one arch value, so either moves both).
	// A filter for this machine can name arch.Host() (cbpf compile
	// --first host).
	First *arch.Arch
	// BadArch, if set, overrides the policy's action for calls from other
	// arches (policy.New sets KILL_PROCESS).
	BadArch *policy.Action
	// ENOSYSNew makes numbers just above an arch's highest known syscall
	// (up to 1023 above) fail with ENOSYS instead of the default action, so
	// that a newer kernel's calls look unimplemented to callers that fall
	// back (glibc does this with clone3, for instance). The highest known
	// syscall is that of the main table, where new calls are added: not
	// arm's private calls (0xf0001..) nor x32's own (512..547); numbers
	// the table names keep their action.
	ENOSYSNew bool
}

// Compile lowers the policy to a seccomp filter. See the package
// documentation for the layout of the program.
func Compile(p *policy.Policy, o Options) ([]bpf.RawInstruction, error) {
	if p == nil {
		return nil, errors.New("compile: nil policy")
	}
	// Errors first: it refuses predicates nested deeper than
	// policy.MaxNesting (without recursing deeper itself), so that the
	// recursive walks below and in the compiler cannot exhaust the stack.
	if errs := p.Errors(); len(errs) > 0 {
		return nil, fmt.Errorf("compile: %s", errs[0])
	}
	// Path rules are decided by a supervisor: the filter sends those
	// syscalls' calls to it, and decides everything else itself.
	p = p.ForFilter()
	// An Expr type argGen does not know would compile to "always".
	for i, r := range p.Rules {
		if r.When == nil {
			continue
		}
		if err := checkExpr(r.When); err != nil {
			pos := r.Pos
			if pos == "" {
				pos = fmt.Sprintf("rule %d", i)
			}
			return nil, fmt.Errorf("compile: %s: %s: %v", pos, r.Syscall, err)
		}
	}
	abis := o.Arches
	if len(abis) == 0 {
		abis = p.Targets()
	}
	if len(abis) == 0 {
		return nil, errors.New("compile: no target arch: the policy names none (an arch line, policy.Policy.Arches or Options.Arches)")
	}
	if o.First != nil && !slices.ContainsFunc(abis, func(a *arch.Arch) bool { return a.Audit == o.First.Audit }) {
		return nil, fmt.Errorf("compile: Options.First %s is not a target", o.First.Name)
	}
	// The evaluator decides by the policy's own targets; the compiler's
	// arches must be the same set, or the two would disagree.
	q := *p
	q.Arches = abis
	if o.BadArch != nil {
		q.BadArch = *o.BadArch
	}
	c := &compiler{p: &q, o: o, rets: map[policy.Action]label{}, blocks: map[string]label{}}
	return c.compile(abis)
}

// checkExpr reports an operand the compiler cannot lower: nil, or a type
// other than *policy.Cmp, policy.And, policy.Or and *policy.Not.
func checkExpr(e policy.Expr) error {
	switch e := e.(type) {
	case *policy.Cmp:
		if e == nil {
			return errors.New("a nil *policy.Cmp in the predicate")
		}
	case policy.And:
		for _, x := range e {
			if err := checkExpr(x); err != nil {
				return err
			}
		}
	case policy.Or:
		for _, x := range e {
			if err := checkExpr(x); err != nil {
				return err
			}
		}
	case *policy.Not:
		if e == nil || e.X == nil {
			return errors.New("a policy.Not without an operand in the predicate")
		}
		return checkExpr(e.X)
	case nil:
		return errors.New("a nil operand in the predicate")
	default:
		return fmt.Errorf("predicate of type %T: only *policy.Cmp, policy.And, policy.Or and *policy.Not can be compiled", e)
	}
	return nil
}

// maxDraftInsns bounds the code generated before the clean-up passes, so
// that a huge policy fails in bounded time and memory rather than after
// building a draft of hundreds of thousands of instructions.
const maxDraftInsns = 16 * opcode.MaxInsns

type compiler struct {
	p      *policy.Policy
	o      Options
	b      builder
	rets   map[policy.Action]label // shared return instructions
	blocks map[string]label        // argument code, by ABI and decision key
	todo   []pendingBlock
	// fixpoint runs the clean-up passes to their fixed point rather than
	// once (tests: see cleanup).
	fixpoint bool
}

type pendingBlock struct {
	l   label
	a   *arch.Arch
	dec *decision
}

// group is one arch value and the ABIs that share it (x86_64 and x32).
type group struct {
	audit uint32
	abis  []*arch.Arch
}

func (c *compiler) compile(abis []*arch.Arch) ([]bpf.RawInstruction, error) {
	var groups []*group
	seen := map[string]bool{}
	for _, a := range abis {
		if seen[a.Name] {
			continue
		}
		seen[a.Name] = true
		var g *group
		for _, h := range groups {
			if h.audit == a.Audit {
				g = h
			}
		}
		if g == nil {
			g = &group{audit: a.Audit}
			groups = append(groups, g)
		}
		g.abis = append(g.abis, a)
	}
	// In the targets' order, but Options.First first: its calls pay for
	// one comparison only.
	if f := c.o.First; f != nil {
		sort.SliceStable(groups, func(i, j int) bool { return groups[i].audit == f.Audit && groups[j].audit != f.Audit })
	}

	b := &c.b
	b.load(4) // arch
	sections := make([]label, len(groups))
	// Other arches: a return of their own right after the tests, so that
	// the jump to it is short (the shared returns come last).
	badArch := b.newLabel()
	for i, g := range groups {
		sections[i] = b.newLabel()
		next := badArch
		if i < len(groups)-1 {
			next = b.newLabel()
		}
		b.jump(opcode.JEQ, g.audit, sections[i], next)
		if i < len(groups)-1 {
			b.mark(next)
		}
	}
	b.mark(badArch)
	b.ret(uint32(c.p.BadArch))
	for i, g := range groups {
		b.mark(sections[i])
		b.load(0) // nr
		c.dispatch(g)
	}
	// Argument code, then the shared returns.
	for len(c.todo) > 0 {
		t := c.todo[0]
		c.todo = c.todo[1:]
		b.mark(t.l)
		c.argBlock(t.a, t.dec)
		if len(b.Code) > maxDraftInsns {
			return nil, fmt.Errorf("the filter's draft passed %d instructions before clean-up (cbpf stops at %d times the kernel's limit of %d): the policy is far too large for one filter", maxDraftInsns, maxDraftInsns/opcode.MaxInsns, opcode.MaxInsns)
		}
	}
	acts := make([]policy.Action, 0, len(c.rets))
	for a := range c.rets {
		acts = append(acts, a)
	}
	sort.Slice(acts, func(i, j int) bool { return acts[i] < acts[j] })
	for _, a := range acts {
		b.mark(c.rets[a])
		b.ret(uint32(a))
	}
	if err := clean(&b.Builder, c.fixpoint); err != nil {
		return nil, fmt.Errorf("compile: internal error: %v", err)
	}
	return layout(&b.Builder)
}

// ret returns the label of the shared "ret #act".
func (c *compiler) ret(act policy.Action) label {
	l, ok := c.rets[act]
	if !ok {
		l = c.b.newLabel()
		c.rets[act] = l
	}
	return l
}

// dispatch emits the search tree over one arch value's syscall numbers.
func (c *compiler) dispatch(g *group) {
	var parts []abiPart
	addPart := func(a *arch.Arch, owns func(uint32) bool) {
		pt := abiPart{abi: a, owns: owns}
		if a != nil {
			pt.scs = a.Syscalls()
			pt.decs = decisions(c.p, a)
			pt.minNamed, pt.maxNamed = pt.scs[0].Number, pt.scs[len(pt.scs)-1].Number
			pt.maxRegular = regularMax(a, pt.scs)
		}
		parts = append(parts, pt)
	}
	var native, x32 *arch.Arch
	for _, a := range g.abis {
		if a.Name == "x32" {
			x32 = a
		} else {
			native = a
		}
	}
	if g.audit == 0xc000003e {
		// x32 from bit 30 up, but nr -1 is x86_64's (see policy.Eval).
		addPart(native, func(nr uint32) bool { return nr < arch.X32SyscallBit || nr == 0xffffffff })
		addPart(x32, func(nr uint32) bool { return nr >= arch.X32SyscallBit && nr != 0xffffffff })
	} else {
		addPart(native, func(uint32) bool { return true })
	}
	rs := partition(parts, c.p.Default, c.p.BadArch, c.o.ENOSYSNew)
	root := buildTree(rs)
	abiOf := func(nr uint32) *arch.Arch {
		for _, pt := range parts {
			if pt.owns(nr) {
				return pt.abi
			}
		}
		return nil
	}
	emitTree(&c.b, root, rs, func(r rng) label { return c.outcomeLabel(r, abiOf) })
}

// outcomeLabel is where a range's numbers go: a shared return, or the
// argument code of its decision.
func (c *compiler) outcomeLabel(r rng, abiOf func(uint32) *arch.Arch) label {
	if r.out.dec == nil {
		return c.ret(r.out.act)
	}
	a := abiOf(r.lo)
	key := a.Name + "\x00" + r.out.dec.key
	if l, ok := c.blocks[key]; ok {
		return l
	}
	l := c.b.newLabel()
	c.blocks[key] = l
	c.todo = append(c.todo, pendingBlock{l: l, a: a, dec: r.out.dec})
	return l
}

// argBlock emits a decision's cases in order.
func (c *compiler) argBlock(a *arch.Arch, d *decision) {
	g := &argGen{b: &c.b, a: a}
	for i, k := range d.cases {
		miss := c.ret(d.els)
		if i < len(d.cases)-1 {
			miss = c.b.newLabel()
		}
		g.expr(k.when, c.ret(k.act), miss)
		if i < len(d.cases)-1 {
			c.b.mark(miss)
		}
	}
}
