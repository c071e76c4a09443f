package progen

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

// TestMain lets the kernel oracle re-execute this test binary as the child
// that installs seccomp filters (never this process).
func TestMain(m *testing.M) { kernel.Main(m.Run) }

func needKernel(t *testing.T) { t.Helper(); testenv.Kernel(t, false) }

func TestDeterministic(t *testing.T) {
	for _, mode := range []Mode{Seccomp, Packet} {
		a := rand.New(rand.NewPCG(7, 9))
		b := rand.New(rand.NewPCG(7, 9))
		for i := 0; i < 50; i++ {
			pa, pb := Program(a, mode, Options{}), Program(b, mode, Options{})
			if !reflect.DeepEqual(pa, pb) {
				t.Fatalf("mode %d: program %d differs for the same seed", mode, i)
			}
			if !reflect.DeepEqual(SeccompInputs(a, pa, 5), SeccompInputs(b, pb, 5)) ||
				!reflect.DeepEqual(Frames(a, pa, 5, 14), Frames(b, pb, 5, 14)) {
				t.Fatalf("mode %d: inputs %d differ for the same seed", mode, i)
			}
		}
	}
}

func programs(seed uint64, mode Mode, n int) [][]bpf.RawInstruction {
	r := rand.New(rand.NewPCG(seed, 1))
	ps := make([][]bpf.RawInstruction, n)
	for i := range ps {
		ps[i] = Program(r, mode, Options{})
	}
	return ps
}

// TestProgramsValid asks the kernel whether every generated program is
// accepted, and checks the generator's shape guarantees.
func TestProgramsValid(t *testing.T) {
	needKernel(t)
	sec := programs(1, Seccomp, 400)
	errs, err := kernel.SeccompAcceptsBatch(sec)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range errs {
		if e != nil {
			t.Errorf("seccomp program %d rejected: %v\n%s", i, e, dump(sec[i]))
		}
	}
	pkt := programs(2, Packet, 400)
	errs, err = kernel.SocketAcceptsBatch(pkt)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range errs {
		if e != nil {
			t.Errorf("packet program %d rejected: %v\n%s", i, e, dump(pkt[i]))
		}
	}
	long := 0
	for _, p := range append(sec, pkt...) {
		if len(p) > 256 {
			long++
		}
	}
	if long == 0 {
		t.Error("no program longer than 256 instructions")
	}
}

// TestMutationsRejected checks that every mutation makes the kernel reject
// the program.
func TestMutationsRejected(t *testing.T) {
	needKernel(t)
	r := rand.New(rand.NewPCG(3, 3))
	for _, mode := range []Mode{Seccomp, Packet} {
		var progs [][]bpf.RawInstruction
		var names []string
		for _, m := range Mutations(mode) {
			for i := 0; i < 15; i++ {
				progs = append(progs, Invalid(r, Program(r, mode, Options{}), m))
				names = append(names, string(m))
			}
		}
		var errs []error
		var err error
		if mode == Seccomp {
			errs, err = kernel.SeccompAcceptsBatch(progs)
		} else {
			errs, err = kernel.SocketAcceptsBatch(progs)
		}
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range errs {
			if e == nil {
				t.Errorf("mode %d: %s: kernel accepts\n%s", mode, names[i], dump(progs[i]))
			}
		}
	}
}

func TestFramesRunnable(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for i := 0; i < 200; i++ {
		p := Program(r, Packet, Options{})
		for _, f := range Frames(r, p, 10, 14) {
			if err := kernel.CheckFrame(f); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func dump(p []bpf.RawInstruction) string {
	s := fmt.Sprintf("%d\n", len(p))
	for _, in := range p {
		s += fmt.Sprintf("%d %d %d %d\n", in.Op, in.Jt, in.Jf, in.K)
	}
	return s
}
