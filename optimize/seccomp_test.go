package optimize

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// seccompStats accumulates sizes and executed instruction counts.
type seccompStats struct {
	progs, before, after  int
	ebpfBefore, ebpfAfter int
	runs                  int
	execBefore, execAfter int
	maxBefore, maxAfter   int
	unproven              int
	// eBPF executed over the syscall numbers of the tested arches.
	xBefore, xAfter, xInputs int
	xRose                    int // filters whose mean rose
}

func (s *seccompStats) log(t *testing.T, what string) {
	t.Helper()
	t.Logf("%s: %d filters, %d -> %d instructions (eBPF %d -> %d); executed on %d inputs: mean %.2f -> %.2f, max %d -> %d; %d not proven by verify.Equivalent (differential only)",
		what, s.progs, s.before, s.after, s.ebpfBefore, s.ebpfAfter, s.runs,
		float64(s.execBefore)/float64(max(s.runs, 1)), float64(s.execAfter)/float64(max(s.runs, 1)),
		s.maxBefore, s.maxAfter, s.unproven)
	t.Logf("%s: eBPF executed over every syscall of the arches tested (%d runs): mean %.3f -> %.3f; mean higher after on %d filters",
		what, s.xInputs, float64(s.xBefore)/float64(max(s.xInputs, 1)), float64(s.xAfter)/float64(max(s.xInputs, 1)), s.xRose)
}

// checkSeccomp optimizes a seccomp filter and checks every guarantee:
// equivalence, cacheability of every cached (arch, nr), and no input
// running more instructions.
func checkSeccomp(t *testing.T, name string, prog []bpf.RawInstruction, r *rand.Rand, st *seccompStats) {
	t.Helper()
	out, rep := mustOptimize(t, prog, Seccomp, Options{})
	if !strings.HasPrefix(rep.Proof, "proven") {
		st.unproven++
	}
	for _, a := range arch.All() {
		for nr := uint32(0); nr < 1100; nr++ {
			if verify.CacheAllows(prog, a.Audit, nr) && !verify.CacheAllows(out, a.Audit, nr) {
				t.Fatalf("%s: %s syscall %d no longer cached\ninput:\n%s\nresult:\n%s", name, a.Name, nr, opcode.Program(prog), opcode.Program(out))
			}
		}
	}
	ma, _ := vm.New(prog, Seccomp)
	mb, err := vm.New(out, Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	arches := arch.All()
	for _, in := range progen.SeccompInputs(r, prog, 400) {
		a := arches[r.IntN(len(arches))]
		d := vm.SeccompData{Nr: in.Nr, Arch: a.Audit, Args: in.Args}
		ra, rb := ma.RunSeccomp(d), mb.RunSeccomp(d)
		if ra.Ret != rb.Ret || rb.Insns > ra.Insns {
			t.Fatalf("%s: on %+v input %#x in %d, result %#x in %d\ninput:\n%s\nresult:\n%s", name, d, ra.Ret, ra.Insns, rb.Ret, rb.Insns, opcode.Program(prog), opcode.Program(out))
		}
		st.runs++
		st.execBefore += ra.Insns
		st.execAfter += rb.Insns
		st.maxBefore = max(st.maxBefore, ra.Insns)
		st.maxAfter = max(st.maxAfter, rb.Insns)
	}
	st.progs++
	st.before += len(prog)
	st.after += len(out)
	st.ebpfBefore += Measure(prog, Seccomp).EBPF
	st.ebpfAfter += Measure(out, Seccomp).EBPF
	eb, err1 := ExecutedSeccomp(prog)
	ea, err2 := ExecutedSeccomp(out)
	if err1 != nil || err2 != nil || eb.Inputs != ea.Inputs || eb.MaxInsns < ea.MaxInsns {
		t.Fatalf("%s: executed before %+v (%v), after %+v (%v)", name, eb, err1, ea, err2)
	}
	st.xInputs += eb.Inputs
	st.xBefore += eb.sumEBPF
	st.xAfter += ea.sumEBPF
	if ea.sumEBPF > eb.sumEBPF {
		st.xRose++
	}
}

func mustArches(t *testing.T, names ...string) []*arch.Arch {
	t.Helper()
	var as []*arch.Arch
	for _, n := range names {
		a, err := arch.Lookup(n)
		if err != nil {
			t.Fatal(err)
		}
		as = append(as, a)
	}
	return as
}

// TestCompiledPolicies optimizes filters compiled from random policies.
func TestCompiledPolicies(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	sets := [][]*arch.Arch{
		mustArches(t, "x86_64"),
		mustArches(t, "x86_64", "x32", "i386"),
		mustArches(t, "aarch64", "arm"),
		mustArches(t, "s390x"),
	}
	n := 120
	if testing.Short() {
		n = 20
	}
	var st seccompStats
	for i := 0; i < n; i++ {
		p := progen.Policy(r, sets[i%len(sets)], 12)
		prog, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkSeccomp(t, "policy", prog, r, &st)
	}
	st.log(t, "compiled policies")
}

// TestCorpusFilters optimizes real filters (Chromium, Firejail, ...).
func TestCorpusFilters(t *testing.T) {
	files, err := filepath.Glob("../internal/corpus/filters/*.ddd")
	if err != nil || len(files) == 0 {
		t.Fatal("no corpus filters", err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	var st seccompStats
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := asm.Read(f, data, asm.DDD)
		if err != nil {
			t.Fatal(err)
		}
		if !verify.Valid(prog, Seccomp) {
			continue
		}
		checkSeccomp(t, filepath.Base(f), prog, r, &st)
	}
	for _, f := range []string{"docker_like.ddd", "docker_like_tree.ddd", "qemu_sandbox.ddd"} {
		data, err := os.ReadFile("../verify/testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := asm.Read(f, data, asm.DDD)
		if err != nil {
			t.Fatal(err)
		}
		checkSeccomp(t, f, prog, r, &st)
	}
	st.log(t, "corpus filters")
}

// libseccompScript builds filters with libseccomp: single and multi-arch,
// default and binary-tree layouts, with argument rules. It prints each as
// one line of "code jt jf k," quadruples.
const libseccompScript = `
import os, sys, tempfile, struct, errno, seccomp
def build(arches, tree, names, argrules):
    f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
    for a in arches:
        if a != seccomp.Arch.NATIVE:
            f.add_arch(a)
    if tree:
        f.set_attr(seccomp.Attr.CTL_OPTIMIZE, 2)
    for n in names:
        f.add_rule(seccomp.ALLOW, n)
    if argrules:
        for v in (0, 8, 0x20000, 0xffffffff):
            f.add_rule(seccomp.ALLOW, 'personality', seccomp.Arg(0, seccomp.EQ, v))
        f.add_rule(seccomp.ALLOW, 'clone', seccomp.Arg(0, seccomp.MASKED_EQ, 0x7e020000, 0))
        f.add_rule(seccomp.ERRNO(13), 'openat', seccomp.Arg(2, seccomp.GT, 7))
        f.add_rule(seccomp.KILL, 'kill', seccomp.Arg(0, seccomp.LT, 100), seccomp.Arg(1, seccomp.NE, 9))
    fd, path = tempfile.mkstemp()
    with os.fdopen(fd, 'wb') as out:
        f.export_bpf(out)
    data = open(path, 'rb').read()
    os.unlink(path)
    print(','.join('%d %d %d %d' % struct.unpack('<HBBI', data[i:i+8]) for i in range(0, len(data), 8)))
names = ['read', 'write', 'close', 'fstat', 'mmap', 'munmap', 'brk', 'rt_sigaction', 'exit_group', 'futex', 'getpid', 'epoll_wait', 'nanosleep', 'sendto', 'recvfrom']
for arches in ([seccomp.Arch.NATIVE], [seccomp.Arch.NATIVE, seccomp.Arch.X86, seccomp.Arch.X32], [seccomp.Arch.AARCH64, seccomp.Arch.ARM]):
    for tree in (False, True):
        for argrules in (False, True):
            build(arches, tree, names, argrules)
`

// TestLibseccompFilters optimizes filters libseccomp makes.
func TestLibseccompFilters(t *testing.T) {
	python := testenv.Libseccomp(t)
	out, err := exec.Command(python, "-c", libseccompScript).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	r := rand.New(rand.NewPCG(7, 8))
	var st seccompStats
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var text strings.Builder
		insns := strings.Split(line, ",")
		text.WriteString(strings.Join(append([]string{strconv.Itoa(len(insns))}, insns...), "\n"))
		prog, err := asm.Read("libseccomp", []byte(text.String()+"\n"), asm.DDD)
		if err != nil {
			t.Fatal(err)
		}
		checkSeccomp(t, "libseccomp", prog, r, &st)
	}
	st.log(t, "libseccomp filters")
}
