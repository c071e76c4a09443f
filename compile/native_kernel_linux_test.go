package compile

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/seccomp"

	mobyseccomp "github.com/moby/profiles/seccomp"
)

// The native kernel check runs on whatever arch the test binary was built
// for (amd64, arm64, riscv64, s390x, ppc64le under qemu; 386 through an
// x86_64 kernel's compat entry), unlike the amd64 oracle of package
// internal/kernel: it needs no assembly. Each generated policy is compiled
// for the arch of the running binary, its returns rewritten to distinct
// errno values (so that nothing a rule allows or kills happens, and every
// action can be told from every other), a prefix lets every syscall but
// the probed ones through, and a child installs it with package seccomp on
// one thread of its own and makes the probed syscalls there with chosen
// arguments. Each errno is then compared with policy.Eval.

// nativeProbes are the syscalls the check makes: none that the Go runtime
// makes itself, so that the runtime, which runs on the filtered thread
// too, never meets a rewritten return; and calls that socketcall and ipc
// multiplex on the arches that have them (s390x, ppc64le, x86).
var nativeProbes = []string{"personality", "getppid", "umask", "getpgid", "getsid", "setpgid",
	"sethostname", "syslog", "acct", "times", "sysinfo", "capget", "getpriority", "ioprio_get",
	"socket", "connect", "recvfrom", "socketpair", "shmget", "semget", "msgget"}

// nativeJob is one filter and the calls to make under it.
type nativeJob struct {
	Prog  []bpf.RawInstruction
	Calls []nativeCall
}

type nativeCall struct {
	Nr   int32
	Args [6]uint64
}

// nativeResult is the errno each call returned, or why the filter could
// not be installed.
type nativeResult struct {
	Errnos []int
	Err    string
}

const nativeChildEnv = "CBPF_NATIVE_KERNEL_JOBS"

// nativeArches returns the ABIs a binary of this GOARCH makes syscalls
// in: its own, and x32 on an x86_64 kernel that has it.
func nativeArches(t *testing.T) []*arch.Arch {
	t.Helper()
	a := arch.Host()
	if a == nil {
		t.Fatalf("no arch for GOARCH %s", runtime.GOARCH)
	}
	as := []*arch.Arch{a}
	if a.Name == "x86_64" {
		x32, _ := arch.Lookup("x32")
		if x32Enabled() {
			as = append(as, x32)
		} else {
			t.Logf("x32: this kernel has no x32 ABI (CONFIG_X86_X32_ABI or syscall.x32=n): x32 not checked")
		}
	}
	return as
}

// x32Enabled reports whether x32's getppid runs (ENOSYS when the kernel
// has no x32 ABI).
func x32Enabled() bool {
	_, _, e := syscall.RawSyscall(0x40000000|110, 0, 0, 0)
	return e == 0
}

// nativeValues collects a predicate's constants, and the values next to
// them, masked, and cut to one half.
func nativeValues(e policy.Expr, out []uint64) []uint64 {
	for c := range policy.Cmps(e) {
		out = append(out, c.Value, c.Value+1, c.Value-1, c.Value&c.Mask, c.Value|^c.Mask,
			c.Value&0xffffffff, c.Value&^0xffffffff, c.Value^1<<32)
	}
	return out
}

func TestNativeKernel(t *testing.T) {
	as := nativeArches(t)
	a := as[0]
	r := rand.New(rand.NewPCG(uint64(a.Audit), 13))
	var names []string
	var nrs []int32
	for _, n := range append(nativeProbes, arch.Socketcall, arch.IPC) {
		for _, ab := range as {
			if nr, ok := ab.SyscallNumber(n); ok {
				if ab.Name == "x32" {
					nr |= 0x40000000
				}
				if ab == a {
					names = append(names, n)
				}
				nrs = append(nrs, int32(nr))
			}
		}
	}
	const policies = 48
	var jobs []nativeJob
	var ps []*policy.Policy
	for i := range policies {
		p := policy.New(progen.Actions[r.IntN(len(progen.Actions))])
		p.Arches = as
		var vals []uint64
		for range 1 + r.IntN(8) {
			var when policy.Expr
			if r.IntN(4) > 0 {
				when = progen.ExprArgs(r, 2, 6)
				vals = nativeValues(when, vals)
			}
			p.Add(names[r.IntN(len(names))], when, progen.Actions[r.IntN(len(progen.Actions))])
		}
		prog, err := Compile(p, Options{})
		if err != nil {
			t.Fatalf("policy %d: %v\n%s", i, err, p)
		}
		job := nativeJob{Prog: prog, Calls: nativeCalls(r, a, nrs, vals, 60)}
		jobs = append(jobs, job)
		ps = append(ps, p)
	}
	// And Docker's default profile for this arch (its personality and
	// socket rules compare arguments), with calls of the probed syscalls
	// on the values it compares.
	p, vals := nativeDocker(t, a)
	prog, err := Compile(p, Options{})
	if err != nil {
		t.Fatalf("Docker's default profile: %v", err)
	}
	jobs = append(jobs, nativeJob{Prog: prog, Calls: nativeCalls(r, a, nrs, vals, 120)})
	ps = append(ps, p)
	rewritten := make([]nativeJob, len(jobs))
	rets := make([][]uint32, len(jobs))
	for i, j := range jobs {
		prog, ks, err := nativeRewrite(j.Prog, nrs)
		if err != nil {
			t.Fatalf("policy %d: %v", i, err)
		}
		rewritten[i], rets[i] = nativeJob{Prog: prog, Calls: j.Calls}, ks
	}
	results := runNativeChild(t, rewritten)
	checked, mux := 0, 0
	for i, res := range results {
		if res.Err != "" {
			t.Fatalf("policy %d: %s\n%s", i, res.Err, ps[i])
		}
		for k, c := range jobs[i].Calls {
			want := uint32(policy.Eval(ps[i], policy.Call{Arch: a.Audit, Nr: c.Nr, Args: c.Args}))
			e := res.Errnos[k]
			if e < 1 || e > len(rets[i]) {
				t.Fatalf("policy %d: call %+v returned errno %d, not one of the filter's", i, c, e)
			}
			if got := rets[i][e-1]; got != want {
				t.Errorf("%s: policy %d, call nr %d args %#x: the kernel ran %s, policy.Eval says %s\n%s",
					a.Name, i, c.Nr, c.Args, policy.Action(got), policy.Action(want), ps[i])
			}
			checked++
			if n, _ := a.SyscallName(uint32(c.Nr)); n == arch.Socketcall || n == arch.IPC {
				mux++
			}
		}
	}
	var abis []string
	for _, ab := range as {
		abis = append(abis, ab.Name)
	}
	t.Logf("%s (%s): %d policies (%d generated, Docker's default), %d calls made under the kernel's filter agree with policy.Eval (%d through socketcall or ipc)",
		strings.Join(abis, "+"), runtime.GOARCH, len(jobs), policies, checked, mux)
	if checked < policies*50 {
		t.Errorf("only %d calls checked", checked)
	}
}

// nativeCalls makes n calls of the numbers nrs, their arguments (two in
// three) values a policy compares or (else) progen values, the first
// argument of socketcall and ipc mostly a call they multiplex.
func nativeCalls(r *rand.Rand, a *arch.Arch, nrs []int32, vals []uint64, n int) []nativeCall {
	var calls []nativeCall
	for range n {
		c := nativeCall{Nr: nrs[r.IntN(len(nrs))]}
		for j := range c.Args {
			if len(vals) > 0 && r.IntN(3) > 0 {
				c.Args[j] = vals[r.IntN(len(vals))]
			} else {
				c.Args[j] = progen.Value(r)
			}
		}
		if name, _ := a.SyscallName(uint32(c.Nr)); (name == arch.Socketcall || name == arch.IPC) && r.IntN(4) > 0 {
			c.Args[0] = uint64(1 + r.IntN(24))
		}
		if a.Bits == 32 {
			for j := range c.Args {
				c.Args[j] &= 0xffffffff // what the registers can hold
			}
		}
		calls = append(calls, c)
	}
	return calls
}

// nativeDocker returns Docker's default profile (moby/profiles) as
// runc reads it on this arch and kernel, and the argument values its
// rules compare, with their neighbours.
func nativeDocker(t *testing.T, a *arch.Arch) (*policy.Policy, []uint64) {
	t.Helper()
	data, err := json.Marshal(mobyseccomp.DefaultProfile())
	if err != nil {
		t.Fatal(err)
	}
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		t.Fatal(err)
	}
	var major, minor int
	fmt.Sscanf(unix.ByteSliceToString(uts.Release[:]), "%d.%d", &major, &minor)
	p, _, err := policy.ParseOCI("docker-default.json", data, policy.OCIOptions{Arch: a.Name, Kernel: fmt.Sprintf("%d.%d", major, minor)})
	if err != nil {
		t.Fatalf("Docker's default profile on %s: %v", a.Name, err)
	}
	vals := []uint64{0, 1}
	for _, r := range p.Rules {
		if r.When != nil {
			vals = nativeValues(r.When, vals)
		}
	}
	return p, vals
}

// nativeRewrite makes every return of prog an errno naming it (the
// returned constants, in order: errno i+1 is ks[i]) and puts in front a
// test that lets every syscall but nrs through, ending in "ld #0" so that
// prog starts as it would alone.
func nativeRewrite(prog []bpf.RawInstruction, nrs []int32) ([]bpf.RawInstruction, []uint32, error) {
	if len(nrs) > 255 {
		return nil, nil, fmt.Errorf("%d probed numbers", len(nrs))
	}
	ks, retA := kernel.SeccompConsts(prog)
	if retA {
		return nil, nil, fmt.Errorf("the filter returns A")
	}
	code := map[uint32]uint32{}
	for i, k := range ks {
		code[k] = uint32(i + 1)
	}
	out := []bpf.RawInstruction{{Op: uint16(opcode.LdAbsW), K: opcode.SeccompNr}}
	for i, nr := range nrs {
		out = append(out, bpf.RawInstruction{Op: uint16(opcode.JMP | opcode.JEQ | opcode.K), Jt: uint8(len(nrs) - i), K: uint32(nr)})
	}
	out = append(out, bpf.RawInstruction{Op: uint16(opcode.RetK), K: action.Allow},
		bpf.RawInstruction{Op: uint16(opcode.LdImm)})
	for _, in := range prog {
		if opcode.Op(in.Op) == opcode.RetK {
			in.K = action.Errno | code[in.K]
		}
		out = append(out, in)
	}
	return out, ks, nil
}

// runNativeChild runs the jobs in a child (the test binary again, in
// TestNativeKernelChild): no filter is ever installed in this process.
func runNativeChild(t *testing.T, jobs []nativeJob) []nativeResult {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "jobs.json")
	data, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNativeKernelChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), nativeChildEnv+"="+in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	data, err = os.ReadFile(in + ".out")
	if err != nil {
		t.Fatal(err)
	}
	var res []nativeResult
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != len(jobs) {
		t.Fatalf("%d results for %d jobs", len(res), len(jobs))
	}
	return res
}

// TestNativeKernelChild is the child of TestNativeKernel (it does nothing
// in a plain test run): each job on a new locked thread that dies with
// its goroutine, and its filter with it.
func TestNativeKernelChild(t *testing.T) {
	in := os.Getenv(nativeChildEnv)
	if in == "" {
		return
	}
	data, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	var jobs []nativeJob
	if err := json.Unmarshal(data, &jobs); err != nil {
		t.Fatal(err)
	}
	res := make([]nativeResult, len(jobs))
	for i, j := range jobs {
		done := make(chan nativeResult)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
			if _, err := seccomp.Install(j.Prog, seccomp.Options{ThisThreadOnly: true}); err != nil {
				done <- nativeResult{Err: err.Error()}
				return
			}
			var r nativeResult
			for _, c := range j.Calls {
				a := c.Args
				_, _, e := unix.RawSyscall6(uintptr(uint32(c.Nr)), uintptr(a[0]), uintptr(a[1]), uintptr(a[2]), uintptr(a[3]), uintptr(a[4]), uintptr(a[5]))
				r.Errnos = append(r.Errnos, int(e))
			}
			done <- r
		}()
		res[i] = <-done
	}
	data, err = json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in+".out", data, 0o600); err != nil {
		t.Fatal(err)
	}
}
