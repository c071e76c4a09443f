package verify

import (
	"testing"

	"math/rand/v2"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/progen"
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
		name := progen.Names[r.IntN(len(progen.Names))]
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
			v := progen.BoundaryValues[r.IntN(len(progen.BoundaryValues))]
			if r.IntN(5) == 0 {
				v = r.Uint64()
			}
			d.Args[k] = v + uint64(r.IntN(3)) - 1
		}
		out = append(out, d)
	}
	return out
}
