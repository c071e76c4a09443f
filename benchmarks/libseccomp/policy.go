package libseccomp

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/policy"
)

// CompilePolicy builds the policy with libseccomp, for the host's arch,
// the way runc does: one seccomp_rule_add per rule and per disjunct of its
// predicate. optimize is SCMP_FLTATR_CTL_OPTIMIZE (1 default, 2 binary
// tree). Rules whose action is the default are skipped (libseccomp refuses
// them), as are names the host's table lacks.
func CompilePolicy(p *policy.Policy, optimize int, badArch uint32) ([]bpf.RawInstruction, error) {
	f, err := New(uint32(p.Default))
	if err != nil {
		return nil, err
	}
	defer f.Release()
	if err := f.SetBadArch(badArch); err != nil {
		return nil, err
	}
	if err := f.SetOptimize(optimize); err != nil {
		return nil, err
	}
	for _, r := range p.Rules {
		if r.Action == p.Default {
			continue
		}
		nr, ok := Resolve(r.Syscall)
		if !ok {
			continue
		}
		conjs, err := dnf(r.When)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", r.Syscall, err)
		}
		for _, cmps := range conjs {
			if err := f.AddRule(uint32(r.Action), nr, cmps); err != nil {
				return nil, fmt.Errorf("%s %v: %v", r.Syscall, cmps, err)
			}
		}
	}
	return f.Export()
}

// dnf writes a predicate as an OR of ANDs of comparisons.
func dnf(e policy.Expr) ([][]Cmp, error) {
	switch e := e.(type) {
	case nil:
		return [][]Cmp{nil}, nil
	case *policy.Cmp:
		if e.Bits != 64 {
			return nil, fmt.Errorf("libseccomp has no 32-bit comparisons on 64-bit arches")
		}
		c := Cmp{Arg: uint(e.Arg), Datum: e.Value}
		switch e.Op {
		case policy.EQ:
			c.Op = CmpEQ
		case policy.NE:
			c.Op = CmpNE
		case policy.LT:
			c.Op = CmpLT
		case policy.LE:
			c.Op = CmpLE
		case policy.GT:
			c.Op = CmpGT
		case policy.GE:
			c.Op = CmpGE
		case policy.MaskedEQ:
			c.Op, c.Datum, c.Datum2 = CmpMaskedEQ, e.Mask, e.Value
		}
		return [][]Cmp{{c}}, nil
	case policy.And:
		out := [][]Cmp{nil}
		for _, x := range e {
			d, err := dnf(x)
			if err != nil {
				return nil, err
			}
			var next [][]Cmp
			for _, a := range out {
				for _, b := range d {
					next = append(next, append(append([]Cmp(nil), a...), b...))
				}
			}
			out = next
		}
		return out, nil
	case policy.Or:
		var out [][]Cmp
		for _, x := range e {
			d, err := dnf(x)
			if err != nil {
				return nil, err
			}
			out = append(out, d...)
		}
		return out, nil
	}
	return nil, fmt.Errorf("libseccomp cannot express %s", e)
}
