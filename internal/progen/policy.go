package progen

import (
	"math/rand/v2"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
)

// BoundaryValues are the 64-bit argument values filters get wrong: the
// edges of the signed and unsigned 32- and 64-bit ranges, values that
// differ only in one half, AT_FDCWD sign-extended.
var BoundaryValues = []uint64{
	0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	1 << 32, 1<<32 + 1, 1<<32 - 1, 0x1ffffffff, 0x200000000,
	0xffffffff00000000, 0xffffffff00000001, 0xfffffffeffffffff,
	0x7fffffffffffffff, 0x8000000000000000, ^uint64(0) - 1, ^uint64(0),
	0xffffffffffffff9c, 0x100000002,
}

// Value returns an argument value: a boundary value, one next to it, or a
// random number of random width.
func Value(r *rand.Rand) uint64 {
	switch r.IntN(4) {
	case 0:
		return r.Uint64() >> r.IntN(64)
	case 1:
		return BoundaryValues[r.IntN(len(BoundaryValues))] + uint64(r.IntN(3)) - 1
	}
	return BoundaryValues[r.IntN(len(BoundaryValues))]
}

// Cmp returns a comparison of argument arg: any operator, 64-bit or
// (one in three) 32-bit, masks that split the words.
func Cmp(r *rand.Rand, arg int) *policy.Cmp {
	c := &policy.Cmp{Arg: arg, Op: policy.Op(r.IntN(7)), Value: Value(r), Bits: 64}
	if r.IntN(3) == 0 {
		c.Bits = 32
		c.Value &= 0xffffffff
	}
	if c.Op == policy.MaskedEQ {
		c.Mask = Value(r)
		if r.IntN(2) == 0 {
			c.Mask = []uint64{0xffffffff00000000, 0xffffffff, 1 << 32, 1, 0x80000000}[r.IntN(5)]
		}
		if c.Bits == 32 {
			c.Mask &= 0xffffffff
		}
		if r.IntN(4) > 0 {
			c.Value &= c.Mask
		}
	}
	return c
}

// Expr returns a predicate on arguments 0 to 2 nested up to depth levels.
// It favours ors of several comparisons of one argument (what value sets
// and ranges compile from), and makes empty ands and ors too.
func Expr(r *rand.Rand, depth int) policy.Expr { return ExprArgs(r, depth, 3) }

// ExprArgs is Expr on arguments 0 to nargs-1.
func ExprArgs(r *rand.Rand, depth, nargs int) policy.Expr {
	if depth == 0 || r.IntN(4) == 0 {
		return Cmp(r, r.IntN(nargs))
	}
	n := r.IntN(7) // 0: an empty And or Or
	xs := make([]policy.Expr, n)
	arg := r.IntN(nargs)
	for i := range xs {
		if r.IntN(4) == 0 {
			xs[i] = ExprArgs(r, depth-1, nargs)
		} else {
			xs[i] = Cmp(r, arg)
		}
	}
	switch r.IntN(5) {
	case 0:
		return policy.And(xs)
	case 1:
		if n == 0 {
			return &policy.Not{X: policy.Or{}}
		}
		return &policy.Not{X: policy.Or(xs)}
	}
	return policy.Or(xs)
}

// Actions are the actions Policy picks from: every kind, some with data.
var Actions = []policy.Action{policy.Allow, policy.Errno(1), policy.Errno(13), policy.KillProcess,
	policy.KillThread, policy.Trap(3), policy.Trace(7), policy.Log, policy.UserNotif}

// Names are the syscalls Policy writes rules for: plain calls, calls that
// socketcall and ipc multiplex on some arches, and calls some arches lack.
var Names = []string{"read", "write", "openat", "socket", "connect", "ioctl", "mmap", "clone",
	"personality", "getpid", "exit_group", "futex", "shmget", "recvfrom", "kill"}

// Policy returns a policy for the arches with 1 to maxRules rules on
// Names, each unconditional or (two in three) with an Expr of depth 2,
// random actions, and sometimes a bad-arch action of its own.
func Policy(r *rand.Rand, arches []*arch.Arch, maxRules int) *policy.Policy {
	p := policy.New(Actions[r.IntN(len(Actions))])
	p.Arches = arches
	if r.IntN(3) == 0 {
		p.BadArch = Actions[r.IntN(len(Actions))]
	}
	for range 1 + r.IntN(maxRules) {
		var when policy.Expr
		if r.IntN(3) > 0 {
			when = Expr(r, 2)
		}
		p.Add(Names[r.IntN(len(Names))], when, Actions[r.IntN(len(Actions))])
	}
	return p
}
