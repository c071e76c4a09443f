package verify

import (
	"testing"

	"math/rand/v2"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// TestMain lets the kernel oracle re-execute this test binary as the child
// that installs seccomp filters (never this process).
func TestMain(m *testing.M) { kernel.Main(m.Run) }

func archNamed(t testing.TB, name string) *arch.Arch {
	t.Helper()
	a, err := arch.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var randVals = []uint64{0, 1, 2, 3, 10, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 32, 1<<32 + 1,
	0xffffffff00000000, 0xffffffffffffff9c, ^uint64(0), 0x100000002}

func randCmp(r *rand.Rand) *policy.Cmp {
	v := randVals[r.IntN(len(randVals))]
	if r.IntN(4) == 0 {
		v = r.Uint64() >> r.IntN(64)
	}
	c := &policy.Cmp{Arg: r.IntN(3), Op: policy.Op(r.IntN(7)), Value: v, Bits: 64}
	if r.IntN(4) == 0 {
		c.Bits, c.Value = 32, c.Value&0xffffffff
	}
	if c.Op == policy.MaskedEQ {
		c.Mask = []uint64{0xff, 0xffffffff00000000, 1, 0x80000000, ^uint64(0), r.Uint64()}[r.IntN(6)]
		if c.Bits == 32 {
			c.Mask &= 0xffffffff
		}
		c.Value &= c.Mask
	}
	return c
}

func randExpr(r *rand.Rand, depth int) policy.Expr {
	if depth == 0 || r.IntN(3) == 0 {
		return randCmp(r)
	}
	xs := make([]policy.Expr, 1+r.IntN(4))
	for i := range xs {
		xs[i] = randExpr(r, depth-1)
	}
	switch r.IntN(3) {
	case 0:
		return policy.And(xs)
	case 1:
		return &policy.Not{X: policy.Or(xs)}
	}
	return policy.Or(xs)
}

var randNames = []string{"read", "write", "ioctl", "socket", "connect", "shmget", "mmap", "kill"}

func randPolicy(r *rand.Rand, as []*arch.Arch) *policy.Policy {
	acts := []policy.Action{policy.Allow, policy.Errno(1), policy.KillProcess, policy.Trap(2), policy.Log}
	p := policy.New(acts[r.IntN(len(acts))])
	p.Arches = as
	for i := 0; i < 1+r.IntN(8); i++ {
		var when policy.Expr
		if r.IntN(4) > 0 {
			when = randExpr(r, 2)
		}
		p.Add(randNames[r.IntN(len(randNames))], when, acts[r.IntN(len(acts))])
	}
	return p
}

// dataWords is seccomp_data as the filter's 16 words (the inverse of
// wordsToData).
func dataWords(d vm.SeccompData) [16]uint32 {
	var raw [64]byte
	bo := byteOrder(d.Arch)
	bo.PutUint32(raw[0:], uint32(d.Nr))
	bo.PutUint32(raw[4:], d.Arch)
	bo.PutUint64(raw[8:], d.InstructionPointer)
	for i, a := range d.Args {
		bo.PutUint64(raw[16+8*i:], a)
	}
	var w [16]uint32
	for i := range w {
		w[i] = bo.Uint32(raw[4*i:])
	}
	return w
}

// randCalls makes calls of the policy's syscalls (and their
// multiplexers) with boundary arguments.
func randCalls(r *rand.Rand, p *policy.Policy, a *arch.Arch, n int) []vm.SeccompData {
	var out []vm.SeccompData
	for len(out) < n {
		name := randNames[r.IntN(len(randNames))]
		d := vm.SeccompData{Arch: a.Audit}
		nr, ok := a.SyscallNumber(name)
		if mux, call, isMux := a.Multiplexed(name); isMux && (!ok || r.IntN(2) == 0) {
			nr, _ = a.SyscallNumber(mux)
			d.Args[0] = uint64(call)
		} else if !ok {
			continue
		}
		d.Nr = int32(nr)
		for k := range d.Args {
			if k == 0 && d.Args[0] != 0 && r.IntN(2) == 0 {
				continue
			}
			v := randVals[r.IntN(len(randVals))]
			if r.IntN(5) == 0 {
				v = r.Uint64()
			}
			d.Args[k] = v + uint64(r.IntN(3)) - 1
		}
		out = append(out, d)
	}
	return out
}
