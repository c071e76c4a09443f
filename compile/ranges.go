package compile

import (
	"slices"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
)

// The syscall numbers of one arch value (AUDIT_ARCH) are partitioned into
// ranges of consecutive numbers with the same outcome; the search tree
// dispatches on them.

// outcome is what a range of numbers leads to: a fixed action, or the
// decision code of one syscall (shared by every number with the same key).
type outcome struct {
	dec *decision // nil: fixed action act
	act policy.Action
	tag int // for argument ranges (args.go): which leaf
}

func (o outcome) same(p outcome) bool {
	if o.dec == nil || p.dec == nil {
		return o.dec == nil && p.dec == nil && o.act == p.act && o.tag == p.tag
	}
	return o.dec.key == p.dec.key
}

// rng is [lo, hi] with one outcome and a weight (how many numbers in it
// a program is likely to meet).
type rng struct {
	lo, hi uint32
	out    outcome
	weight float64
}

// abiPart is one ABI's share of the 32-bit number space of an arch value:
// x86_64 owns the numbers without bit 30, x32 those with it; every other
// arch value has one ABI owning everything.
type abiPart struct {
	abi      *arch.Arch     // nil: not a target, numbers go to the bad-arch action
	scs      []arch.Syscall // abi's table
	decs     map[uint32]*decision
	owns     func(nr uint32) bool
	minNamed uint32 // lowest named number
	maxNamed uint32 // highest named number
	// maxRegular is the highest number of the arch's main table, where new
	// syscalls are added (for the ENOSYS option): arm's private calls at
	// 0xf0001.. and x32's own calls at 512..547 are above it.
	maxRegular uint32
}

// regularMax returns the highest number of a's main table.
func regularMax(a *arch.Arch, scs []arch.Syscall) uint32 {
	limit := uint32(0xffffffff)
	switch a.Name {
	case "arm":
		limit = 0xf0000 // __ARM_NR_BASE
	case "x32":
		limit = arch.X32SyscallBit + 512 // the x32-only calls
	}
	m := scs[0].Number
	for _, sc := range scs {
		if sc.Number < limit && sc.Number > m {
			m = sc.Number
		}
	}
	return m
}

// partition builds the sorted ranges covering all of 0..2^32-1.
func partition(parts []abiPart, def, badArch policy.Action, enosysNew bool) []rng {
	// Points where the outcome may change: every named number, its
	// successor, the ABI boundaries.
	starts := []uint32{0, 0x40000000, 0x80000000, 0xc0000000, 0xffffffff}
	for _, pt := range parts {
		if pt.abi == nil {
			continue
		}
		for _, sc := range pt.scs {
			starts = append(starts, sc.Number)
			if sc.Number != 0xffffffff {
				starts = append(starts, sc.Number+1)
			}
		}
		if pt.maxNamed != 0xffffffff {
			starts = append(starts, pt.maxNamed+1)
		}
		if enosysNew && pt.maxRegular < 0xffffffff-1024 {
			starts = append(starts, pt.maxRegular+1, pt.maxRegular+1024)
		}
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)

	outcomeOf := func(nr uint32) outcome {
		for _, pt := range parts {
			if !pt.owns(nr) {
				continue
			}
			if pt.abi == nil {
				return outcome{act: badArch}
			}
			if d, ok := pt.decs[nr]; ok {
				if d.fixed() {
					return outcome{act: d.els}
				}
				return outcome{dec: d}
			}
			if _, named := pt.abi.SyscallName(nr); enosysNew && !named && nr > pt.maxRegular && nr < pt.maxRegular+1024 {
				return outcome{act: policy.Errno(38)} // ENOSYS: a call newer than the table
			}
			return outcome{act: def}
		}
		return outcome{act: badArch}
	}
	weightOf := func(lo, hi uint32) float64 {
		// Numbers a program meets: those up to the highest named one of
		// the owning ABI; the rest weigh almost nothing.
		w := 0.0
		for _, pt := range parts {
			if pt.abi == nil || !pt.owns(lo) {
				continue
			}
			min := pt.minNamed &^ 0x3ff
			if hi >= min && lo <= pt.maxNamed {
				w = float64(minU(hi, pt.maxNamed)-maxU(lo, min)) + 1
				if pt.abi.Name == "x32" {
					// x32 is rare in practice: let x86_64's calls, which
					// share the arch value, take the short paths.
					w /= 100
				}
			}
		}
		return w + 1e-6
	}
	var out []rng
	for i, lo := range starts {
		hi := uint32(0xffffffff)
		if i+1 < len(starts) {
			hi = starts[i+1] - 1
		}
		o := outcomeOf(lo)
		if n := len(out); n > 0 && out[n-1].out.same(o) {
			out[n-1].hi = hi
			out[n-1].weight += weightOf(lo, hi)
			continue
		}
		out = append(out, rng{lo: lo, hi: hi, out: o, weight: weightOf(lo, hi)})
	}
	return out
}

func minU(a, b uint32) uint32 {
	if a < b {
		return a
	}
	return b
}

func maxU(a, b uint32) uint32 {
	if a > b {
		return a
	}
	return b
}
