package optimize

import (
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// mustOptimize optimizes prog with a proof and checks the guarantees:
// valid, equivalent (the proof and an independent differential run of the
// test's own inputs), no longer, no input running more instructions.
func mustOptimize(t *testing.T, prog []bpf.RawInstruction, mode Mode, opts Options) ([]bpf.RawInstruction, *Report) {
	t.Helper()
	opts.Prove = true
	if opts.Inputs == 0 {
		opts.Inputs = 3000
	}
	if opts.ProveTimeout == 0 {
		opts.ProveTimeout = 300 * time.Millisecond
	}
	out, rep, err := Program(prog, mode, opts)
	if err != nil {
		t.Fatalf("%v\ninput:\n%s", err, opcode.Program(prog))
	}
	if ds := verify.KernelCheck(out, mode); len(ds) > 0 {
		t.Fatalf("result rejected: %v\n%s", ds[0], opcode.Program(out))
	}
	if len(out) > len(prog) && !opts.Size {
		t.Fatalf("result longer: %d > %d", len(out), len(prog))
	}
	if rep.Kept != "" && rep.Kept != "an input runs more instructions" {
		t.Logf("kept input: %s", rep.Kept)
	}
	return out, rep
}

func TestRandomPrograms(t *testing.T) {
	for _, m := range []struct {
		mode Mode
		gen  progen.Mode
	}{{Seccomp, progen.Seccomp}, {Packet, progen.Packet}} {
		r := rand.New(rand.NewPCG(1, 2))
		n := 300
		if testing.Short() {
			n = 50
		}
		before, after, kept := 0, 0, 0
		for i := 0; i < n; i++ {
			prog := progen.Program(r, m.gen, progen.Options{})
			out, rep := mustOptimize(t, prog, m.mode, Options{})
			if rep.Kept != "" {
				kept++
			}
			before += len(prog)
			after += len(out)
			checkCounts(t, prog, out, m.mode, r)
		}
		t.Logf("%v: %d programs, %d -> %d instructions, %d kept as they were by a guard", m.mode, n, before, after, kept)
	}
}

// checkCounts runs both programs on inputs of the test's own (progen's)
// and compares results and executed instruction counts.
func checkCounts(t *testing.T, in, out []bpf.RawInstruction, mode Mode, r *rand.Rand) {
	t.Helper()
	ma, err := vm.New(in, mode)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := vm.New(out, mode)
	if err != nil {
		t.Fatal(err)
	}
	if mode == Seccomp {
		for _, s := range progen.SeccompInputs(r, in, 300) {
			for _, audit := range []uint32{0xc000003e, 0x40000003, 0x80000016} {
				d := vm.SeccompData{Nr: s.Nr, Arch: audit, Args: s.Args}
				ra, rb := ma.RunSeccomp(d), mb.RunSeccomp(d)
				if ra.Ret != rb.Ret || rb.Insns > ra.Insns {
					t.Fatalf("on %+v: input %#x in %d insns, result %#x in %d\ninput:\n%s\nresult:\n%s",
						d, ra.Ret, ra.Insns, rb.Ret, rb.Insns, opcode.Program(in), opcode.Program(out))
				}
			}
		}
		return
	}
	for _, f := range progen.Frames(r, in, 300, 0) {
		for _, cut := range []int{len(f), len(f) / 2, len(f) / 3, 14, 20} {
			pkt := f[:min(cut, len(f))]
			ra, rb := ma.RunPacket(pkt, nil), mb.RunPacket(pkt, nil)
			if ra.Ret != rb.Ret {
				t.Fatalf("on % x: input %#x in %d insns, result %#x in %d\ninput:\n%s\nresult:\n%s",
					pkt, ra.Ret, ra.Insns, rb.Ret, rb.Insns, opcode.Program(in), opcode.Program(out))
			}
		}
	}
}

func run(t *testing.T, prog []bpf.RawInstruction, pkt []byte) uint32 {
	t.Helper()
	r, err := vm.RunPacket(prog, pkt, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r.Ret
}

// TestSizeNeverLonger: Options.Size trades executed instructions for
// length, never the other way: a 741-instruction libseccomp filter
// (testdata/gen_libseccomp_random.py, seed 8: x32, aarch64 and arm, ~300
// rules with argument tests) came back 794 long, the layout preferring
// fewer trampolines.
func TestSizeNeverLonger(t *testing.T) {
	b, err := os.ReadFile("testdata/size_longer_libseccomp.ddd")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := asm.Read("size_longer_libseccomp.ddd", b, asm.DDD)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []bool{false, true} {
		out, rep, err := Program(prog, Seccomp, Options{Size: size, Prove: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) > len(prog) {
			t.Errorf("Size %v: %d -> %d instructions (kept %q)", size, len(prog), len(out), rep.Kept)
		}
	}
}

// TestTrampolinesNeverSlower: a 1303-instruction libseccomp filter
// (gen_libseccomp_random.py, seed 54) whose optimized layout needs far
// jumps made one input (x86_64 nr 198) run 250 instructions where the
// input ran 249, and neither 5000 nor 20000 sampled inputs showed it.
// Without Size, a seccomp result that needs a trampoline is not taken.
func TestTrampolinesNeverSlower(t *testing.T) {
	b, err := os.ReadFile("testdata/more_insns_libseccomp.ddd")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := asm.Read("more_insns_libseccomp.ddd", b, asm.DDD)
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := Program(prog, Seccomp, Options{Prove: true})
	if err != nil {
		t.Fatal(err)
	}
	d := vm.SeccompData{Arch: 0xc000003e, Nr: 198, Args: [6]uint64{0, 1, 1407430718455856, 1511828488191, 198642237695, 0}}
	a, err := vm.Run(prog, d)
	if err != nil {
		t.Fatal(err)
	}
	o, err := vm.Run(out, d)
	if err != nil {
		t.Fatal(err)
	}
	if o.Ret != a.Ret || o.Insns > a.Insns {
		t.Errorf("nr 198: input %#x in %d instructions, result %#x in %d", a.Ret, a.Insns, o.Ret, o.Insns)
	}
}
