package corpus

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// TestMain lets the kernel oracle re-execute this test binary as the child
// that installs seccomp filters (never this process).
func TestMain(m *testing.M) { kernel.Main(m.Run) }

// TestFiles: every file parses, has a description in sources and a
// section in README.md, and writes back byte for byte (the files are what
// the capture wrote: nothing was lost or reformatted).
func TestFiles(t *testing.T) {
	all := All()
	if len(all) != len(sources) {
		t.Errorf("%d filter files, %d descriptions", len(all), len(sources))
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		if f.Source == "" || len(f.Prog) == 0 {
			t.Errorf("%s: empty", f.Name)
		}
		if !bytes.Contains(readme, []byte("`filters/"+f.Name+".ddd`")) {
			t.Errorf("README.md does not describe filters/%s.ddd", f.Name)
		}
		data, err := files.ReadFile("filters/" + f.Name + ".ddd")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := asm.Write(&b, f.Prog, asm.DDD); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), data) {
			t.Errorf("%s: the file does not read back as written", f.Name)
		}
	}
	if _, err := Get("nonesuch"); err == nil {
		t.Error("Get(nonesuch) succeeded")
	}
}

func TestStacks(t *testing.T) {
	for name, s := range stacks {
		fs, err := Stack(name)
		if err != nil {
			t.Fatal(err)
		}
		var progs [][]bpf.RawInstruction
		for i, f := range fs {
			if f.Index != i || (f.Stack != name && f.Stack != s.base) {
				t.Errorf("%s[%d] is %s (stack %q, index %d)", name, i, f.Name, f.Stack, f.Index)
			}
			progs = append(progs, f.Prog)
		}
		if ds := verify.CheckStack(progs); len(ds) > 0 {
			t.Errorf("%s: %v", name, ds)
		}
	}
	// firejail installs one filter per arch for each of its lists: the
	// i386 ones must test for AUDIT_ARCH_I386, the others for x86_64.
	fs, err := Stack("firejail-default")
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"x86", "x86_64", "x86_64", "x86", "x86_64"} {
		if a := verify.FilterArch(fs[i].Prog); a == nil || a.Name != want {
			t.Errorf("%s: filter arch %v, want %s", fs[i].Name, a, want)
		}
	}
	if _, err := Stack("nonesuch"); err == nil {
		t.Error("Stack(nonesuch) succeeded")
	}
}

// TestKernelCheck: the kernel installed every one of these filters, so
// the checker must accept each, and so must the VM.
func TestKernelCheck(t *testing.T) {
	for _, f := range All() {
		if ds := verify.KernelCheck(f.Prog, vm.Seccomp); len(ds) > 0 {
			t.Errorf("%s: %v", f.Name, ds)
		}
		if _, err := vm.New(f.Prog, vm.Seccomp); err != nil {
			t.Errorf("%s: vm.New: %v", f.Name, err)
		}
	}
}

// TestKernelAccepts asks this machine's kernel.
func TestKernelAccepts(t *testing.T) {
	testenv.Kernel(t, false)
	all := All()
	var progs [][]bpf.RawInstruction
	for _, f := range all {
		progs = append(progs, f.Prog)
	}
	errs, err := kernel.SeccompAcceptsBatch(progs)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range errs {
		if e != nil {
			t.Errorf("%s: %v", all[i].Name, e)
		}
	}
}

// inputs are the calls a filter is run on: every x86_64 syscall, every
// x32 one (bit 30) and every i386 one (through the compat entry), with
// arguments drawn from the filter's constants, and progen's sample. Syscalls 335 and 336 are left out: the
// kernel runs no filter for them (kernel.Unfiltered).
func inputs(t *testing.T, r *rand.Rand, prog []bpf.RawInstruction) []kernel.Input {
	x86, err := arch.Lookup("x86_64")
	if err != nil {
		t.Fatal(err)
	}
	nrs := x86.Syscalls()
	var ins []kernel.Input
	sample := progen.SeccompInputs(r, prog, 1200)
	for _, s := range sample {
		// The same arguments on a syscall the arch has too, so that the
		// argument tests behind each nr dispatch are reached.
		sc := nrs[r.IntN(len(nrs))]
		ins = append(ins, kernel.Input{Nr: s.Nr, Args: s.Args}, kernel.Input{Nr: int32(sc.Number), Args: s.Args})
	}
	for nr := int32(-2); nr < 520; nr++ {
		args := sample[r.IntN(len(sample))].Args
		ins = append(ins, kernel.Input{Nr: nr, Args: args}, kernel.Input{Nr: nr | 0x40000000, Args: args})
		// i386 calls through the compat entry, for the i386 filters.
		ins = append(ins, kernel.Input{Nr: nr, Args: args, I386: true})
	}
	out := ins[:0]
	for _, in := range ins {
		if in.I386 || !kernel.Unfiltered(in.Nr) {
			out = append(out, in)
		}
	}
	return out
}

// directed adds to ins calls that take the branches ins leave untaken:
// at each conditional jump on a word of seccomp_data (loaded as is, or
// masked by an and), it copies the call with that word set to take the
// other way, a few rounds deep. Calls whose word is the arch or the
// instruction pointer are left alone: the probe cannot change those.
func directed(m *vm.Machine, ip uint64, ins []kernel.Input, limit int) []kernel.Input {
	type edge struct {
		pc    int
		taken bool
	}
	seen := map[edge]bool{}
	type fork struct {
		in  kernel.Input
		off uint32
		val uint32
	}
	trace := func(in kernel.Input) []fork {
		var forks []fork
		off, mask, known := uint32(0), ^uint32(0), false
		var pend *bpf.RawInstruction
		pendPC := 0
		o := &vm.Options{Trace: func(st vm.Step) {
			if pend != nil {
				j := *pend
				pend = nil
				taken := st.PC == pendPC+1+int(j.Jt)
				e := edge{pendPC, taken}
				if !seen[e] {
					seen[e] = true
				}
				if known && !seen[edge{pendPC, !taken}] {
					if v, ok := flip(j, !taken, mask); ok {
						forks = append(forks, fork{in, off, v})
					}
				}
			}
			switch c := st.Insn.Op; {
			case c == 0x20: // ld [k]
				off, mask, known = st.Insn.K, ^uint32(0), true
			case c == 0x54: // and #k
				mask &= st.Insn.K
			case c&7 == 0x05 && c&0xf0 != 0 && c&0x08 == 0 && st.Insn.Jt != st.Insn.Jf: // jeq/jgt/jge/jset #k
				in := st.Insn
				pend, pendPC = &in, st.PC
			case c&7 == 0x04 || c&7 == 0x00 || c&7 == 0x01 || c == 0x87: // other ALU, other loads, txa
				known = false
			}
		}}
		d := vm.SeccompData{Nr: in.Nr, Arch: archOf(in), InstructionPointer: ip, Args: in.Args}
		m.RunSeccompOpts(d, o)
		return forks
	}
	var frontier []fork
	for _, in := range ins {
		frontier = append(frontier, trace(in)...)
	}
	out := ins
	for round := 0; round < 8 && len(frontier) > 0 && len(out)-len(ins) < limit; round++ {
		var next []fork
		for _, f := range frontier {
			in, ok := setWord(f.in, f.off, f.val)
			if !ok || !in.I386 && kernel.Unfiltered(in.Nr) {
				continue
			}
			before := len(seen)
			forks := trace(in)
			if len(seen) > before {
				out = append(out, in)
				next = append(next, forks...)
			}
			if len(out)-len(ins) >= limit {
				break
			}
		}
		frontier = next
	}
	return out
}

func archOf(in kernel.Input) uint32 {
	if in.I386 {
		return kernel.AuditArchI386
	}
	return kernel.AuditArchX86_64
}

// flip returns a value for a word that, masked by mask, makes jump j go
// the way taken says.
func flip(j bpf.RawInstruction, taken bool, mask uint32) (uint32, bool) {
	k := j.K
	switch j.Op &^ 0x07 & 0xf0 {
	case 0x10: // jeq
		if taken {
			return k, k&mask == k
		}
		return k ^ (mask & -mask), mask != 0
	case 0x20: // jgt
		if taken {
			return k + 1, k != ^uint32(0) && mask == ^uint32(0)
		}
		return k, mask == ^uint32(0)
	case 0x30: // jge
		if taken {
			return k, mask == ^uint32(0)
		}
		return k - 1, k != 0 && mask == ^uint32(0)
	case 0x40: // jset
		if taken {
			return k & mask & -(k & mask), k&mask != 0
		}
		return 0, true
	}
	return 0, false
}

// setWord returns in with the 32-bit word at offset off of seccomp_data
// (x86_64, little endian) set to v.
func setWord(in kernel.Input, off, v uint32) (kernel.Input, bool) {
	switch {
	case off == 0:
		in.Nr = int32(v)
	case off >= 16 && off < 64 && off%4 == 0:
		i, hi := (off-16)/8, (off-16)%8 == 4
		if hi {
			in.Args[i] = in.Args[i]&0xffffffff | uint64(v)<<32
		} else {
			in.Args[i] = in.Args[i]&^0xffffffff | uint64(v)
		}
	default:
		return in, false
	}
	return in, true
}

// TestKernelAgrees runs every filter under this machine's kernel and in
// the VM on the same calls: the returns must be the same.
func TestKernelAgrees(t *testing.T) {
	testenv.Kernel(t, false)
	r := rand.New(rand.NewPCG(9, 11))
	all := All()
	// The instruction pointer the kernel will report: the filters here
	// never read it, so any value serves for choosing the calls.
	var jobs []kernel.SeccompJob
	for _, f := range all {
		m, err := vm.New(f.Prog, vm.Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, kernel.SeccompJob{Prog: f.Prog, Inputs: directed(m, 0, inputs(t, r, f.Prog), 4000)})
	}
	run, err := kernel.SeccompBatch(jobs)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, res := range run.Results {
		f := all[i]
		if res.Err != nil {
			t.Errorf("%s: %v", f.Name, res.Err)
			continue
		}
		m, err := vm.New(f.Prog, vm.Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		rets := map[uint32]bool{}
		cov := &vm.Options{Coverage: make([]bool, len(f.Prog))}
		for j, got := range res.Rets {
			in := jobs[i].Inputs[j]
			ip := run.IP
			if in.I386 {
				ip = run.IP386
			}
			d := vm.SeccompData{Nr: in.Nr, Arch: archOf(in), InstructionPointer: ip, Args: in.Args}
			if want := m.RunSeccompOpts(d, cov).Ret; want != got {
				t.Errorf("%s: nr %d args %#x: kernel %#08x, VM %#08x", f.Name, in.Nr, in.Args, got, want)
			}
			rets[got] = true
			n++
		}
		reached := 0
		for _, c := range cov.Coverage {
			if c {
				reached++
			}
		}
		t.Logf("%s: %d calls, %d distinct returns, %d of %d instructions reached", f.Name, len(res.Rets), len(rets), reached, len(f.Prog))
	}
	t.Logf("%d calls agree", n)
}
