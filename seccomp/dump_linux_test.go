package seccomp

// The dump's tests read filters from child processes (re-executed test
// binaries, dumpChildEnv names what the child does): filters are only
// ever installed in those children.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

const dumpChildEnv = "CBPF_SECCOMP_DUMP_CHILD"

// dumpChildren are the bodies of the children, by name.
var dumpChildren = map[string]func(){
	"stacked":  dumpChildStacked,  // installs dumpStack, reports, waits for stdin to close
	"plain":    dumpChildPlain,    // no filter; waits for stdin to close
	"dump":     dumpChildDump,     // dumps the pid in CBPF_DUMP_TARGET, prints the error
	"strict":   dumpChildStrict,   // strict mode; waits for stdin to close
	"installs": dumpChildInstalls, // for Catch: installs dumpStack, then exits 0
	"prctl":    dumpChildPrctl,    // for Catch: one filter with prctl on one thread, then exits 0
	"thread":   dumpChildThread,   // one filter on a thread other than the main one; waits for stdin to close
}

func TestDumpChild(t *testing.T) {
	name := os.Getenv(dumpChildEnv)
	if name == "" {
		return
	}
	f := dumpChildren[name]
	if f == nil {
		fmt.Printf("FAIL no child %q\n", name)
		os.Exit(3)
	}
	f()
	os.Exit(0)
}

// dumpStack is what the "stacked" child installs, oldest first. The
// second filter has FlagLog.
func dumpStack() [][]bpf.RawInstruction {
	h := arch.Host()
	nr := func(name string) uint32 {
		n, ok := h.SyscallNumber(name)
		if !ok {
			panic("no " + name)
		}
		return n
	}
	head := func() []bpf.Instruction {
		return []bpf.Instruction{
			bpf.LoadAbsolute{Off: 4, Size: 4},
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: h.Audit, SkipTrue: 1},
			bpf.RetConstant{Val: action.KillProcess},
			bpf.LoadAbsolute{Off: 0, Size: 4},
		}
	}
	asm := func(ins []bpf.Instruction) []bpf.RawInstruction {
		raw, err := bpf.Assemble(ins)
		if err != nil {
			panic(err)
		}
		return raw
	}
	// getppid: ERRNO(1), then ERRNO(3) from a newer filter (ties: the
	// newest wins); getpgid: ERRNO(2) unless its argument is 0x77, then
	// TRAP from the newest (lower); getsid: ret a of ERRNO(5).
	f1 := asm(append(head(),
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr("getppid"), SkipFalse: 1},
		bpf.RetConstant{Val: action.Errno | 1},
		bpf.RetConstant{Val: action.Allow}))
	f2 := asm(append(head(),
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr("getppid"), SkipFalse: 1},
		bpf.RetConstant{Val: action.Errno | 3},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr("getpgid"), SkipFalse: 1},
		bpf.RetConstant{Val: action.Errno | 2},
		bpf.RetConstant{Val: action.Allow}))
	f3 := asm(append(head(),
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr("getpgid"), SkipFalse: 3},
		bpf.LoadAbsolute{Off: 16, Size: 4}, // args[0], low word (little endian)
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x77, SkipFalse: 4},
		bpf.RetConstant{Val: action.Trap | 9},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr("getsid"), SkipFalse: 2},
		bpf.LoadConstant{Dst: bpf.RegA, Val: action.Errno | 5},
		bpf.RetA{},
		bpf.RetConstant{Val: action.Allow}))
	return [][]bpf.RawInstruction{f1, f2, f3}
}

func installDumpStack() {
	for i, p := range dumpStack() {
		var o Options
		if i == 1 {
			o.Flags = FlagLog
		}
		if _, err := Install(p, o); err != nil {
			fmt.Printf("FAIL install %d: %v\n", i, err)
			os.Exit(3)
		}
	}
}

func dumpChildStacked() {
	installDumpStack()
	// What the kernel does with getppid under the stack.
	_, _, e := syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
	fmt.Printf("getppid %d\nready\n", int(e))
	io.Copy(io.Discard, os.Stdin)
}

func dumpChildPlain() {
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
}

func dumpChildStrict() {
	// Strict mode is per thread: this one, locked, which then only reads
	// until the parent closes stdin and writes to a pipe. A violation
	// kills the thread, not the process, so the process ends from
	// another goroutine, woken by that write.
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Printf("FAIL %v\n", err)
		return
	}
	go func() {
		r.Read(make([]byte, 1))
		os.Exit(0)
	}()
	runtime.LockOSThread()
	fmt.Printf("tid %d\nready\n", unix.Gettid())
	wfd := w.Fd()
	// No signal on this thread from now on: the handler's return is
	// rt_sigreturn, which strict mode allows on x86_64 but not on i386
	// (only sigreturn), so a preemption signal would kill the thread.
	var all unix.Sigset_t
	for i := range all.Val {
		all.Val[i] = ^all.Val[i]
	}
	unix.RawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_BLOCK, uintptr(unsafe.Pointer(&all)), 0, 8, 0, 0)
	unix.RawSyscall(unix.SYS_PRCTL, unix.PR_SET_SECCOMP, unix.SECCOMP_MODE_STRICT, 0)
	var buf [1]byte
	unix.RawSyscall(unix.SYS_READ, 0, uintptr(unsafe.Pointer(&buf[0])), 1)
	unix.RawSyscall(unix.SYS_WRITE, wfd, uintptr(unsafe.Pointer(&buf[0])), 1)
	unix.RawSyscall(unix.SYS_EXIT, 0, 0, 0)
}

func dumpChildDump() {
	var pid int
	fmt.Sscan(os.Getenv("CBPF_DUMP_TARGET"), &pid)
	_, err := Filters(pid)
	var de *DumpError
	fmt.Printf("eperm %v eacces %v dumperror %v\n", errors.Is(err, unix.EPERM), errors.Is(err, unix.EACCES), errors.As(err, &de))
	fmt.Printf("err %v\n", err)
}

func dumpChildPrctl() {
	runtime.LockOSThread() // never unlocked: the thread with the filter ends with the process
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		fmt.Printf("FAIL %v\n", err)
		return
	}
	prog := dumpStack()[0]
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: (*unix.SockFilter)(unsafe.Pointer(&prog[0]))}
	if _, _, e := unix.RawSyscall(unix.SYS_PRCTL, unix.PR_SET_SECCOMP, unix.SECCOMP_MODE_FILTER, uintptr(unsafe.Pointer(&fprog))); e != 0 {
		fmt.Printf("FAIL prctl: %v\n", e)
		return
	}
	runtime.KeepAlive(prog)
	fmt.Printf("tid %d\n", unix.Gettid())
}

func dumpChildThread() {
	done := make(chan bool)
	for {
		go func() {
			runtime.LockOSThread()
			if unix.Gettid() == os.Getpid() {
				done <- false
				select {} // hold the main thread, try again elsewhere
			}
			dumpChildPrctl()
			fmt.Println("ready")
			done <- true
			select {} // keep the thread, and its filter
		}()
		if <-done {
			break
		}
	}
	io.Copy(io.Discard, os.Stdin)
}

func dumpChildInstalls() {
	installDumpStack()
	fmt.Println("installed")
}

// needDumpRoot: reading filters needs CAP_SYS_ADMIN.
func needDumpRoot(t *testing.T) {
	t.Helper()
	if arch.Host() == nil {
		testenv.Missing(t, "package arch does not know this GOARCH")
	}
	if os.Geteuid() != 0 {
		testenv.Missing(t, "reading seccomp filters needs root (CAP_SYS_ADMIN)")
	}
}

// child is a running child process: its stdin is a pipe that, closed,
// ends it.
type dumpChild struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines []string // what it printed before "ready"
}

// startDumpChild starts dumpChildren[name] and waits for its "ready" line.
func startDumpChild(t *testing.T, name string, bin string, attr *syscall.SysProcAttr, env ...string) *dumpChild {
	t.Helper()
	if bin == "" {
		bin = os.Args[0]
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, bin, "-test.run=^TestDumpChild$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), dumpChildEnv+"="+name), env...)
	cmd.SysProcAttr = attr
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &dumpChild{cmd: cmd, stdin: stdin}
	t.Cleanup(func() { c.stop() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "FAIL") {
			t.Fatalf("child %s: %s", name, l)
		}
		if l == "ready" {
			return c
		}
		c.lines = append(c.lines, l)
	}
	t.Fatalf("child %s ended before it was ready (%v): %q", name, cmd.Wait(), c.lines)
	return nil
}

func (c *dumpChild) stop() {
	c.stdin.Close()
	c.cmd.Wait()
}

func TestDumpRoundTrip(t *testing.T) {
	needDumpRoot(t)
	c := startDumpChild(t, "stacked", "", nil)
	pid := c.cmd.Process.Pid
	fs, err := Filters(pid)
	if err != nil {
		t.Fatal(err)
	}
	want := dumpStack()
	if len(fs) != len(want) {
		t.Fatalf("%d filters, want %d", len(fs), len(want))
	}
	progs := make([][]bpf.RawInstruction, len(fs))
	for i, f := range fs {
		if !slices.Equal(f.Prog, want[i]) {
			t.Errorf("filter %d: read\n%v\nwant\n%v", i, f.Prog, want[i])
		}
		if f.Index != i {
			t.Errorf("filter %d: Index %d", i, f.Index)
		}
		if f.Log != (i == 1) {
			t.Errorf("filter %d: Log %v", i, f.Log)
		}
		progs[i] = f.Prog
	}
	// The child goes on as before: it can still be dumped, and it
	// answers.
	again, err := FiltersOfThread(pid, pid)
	if err != nil || len(again) != len(fs) {
		t.Fatalf("second dump: %d filters, %v", len(again), err)
	}
	if _, err := FiltersOfThread(pid, 1); err == nil || !errors.Is(err, unix.ESRCH) {
		t.Errorf("FiltersOfThread(pid, 1): %v, want ESRCH", err)
	}

	// The effective policy against the filters run one by one.
	stack, err := verify.Stack(progs)
	if err != nil {
		t.Fatal(err)
	}
	h := arch.Host()
	r := rand.New(rand.NewPCG(11, 7))
	names := []string{"getppid", "getpgid", "getsid", "read", "write", "openat"}
	for i := 0; i < 3000; i++ {
		d := vm.SeccompData{Arch: h.Audit}
		if r.IntN(20) == 0 {
			d.Arch = r.Uint32()
		}
		n, _ := h.SyscallNumber(names[r.IntN(len(names))])
		d.Nr = int32(n)
		if r.IntN(10) == 0 {
			d.Nr = int32(r.Uint32())
		}
		for k := range d.Args {
			d.Args[k] = []uint64{0, 0x77, 0x1_0000_0077, r.Uint64()}[r.IntN(4)]
		}
		var rets []uint32
		for _, p := range progs {
			res, err := vm.Run(p, d)
			if err != nil {
				t.Fatal(err)
			}
			rets = append(rets, res.Ret)
		}
		res, err := vm.Run(stack, d)
		if err != nil {
			t.Fatal(err)
		}
		if w := verify.StackReturn(rets); res.Ret != w {
			t.Fatalf("on %+v the filters return %#x, combined %#x; the stacked program %#x", d, rets, w, res.Ret)
		}
	}
	// And the kernel agrees on getppid: ERRNO(3), from the newer filter.
	n, _ := h.SyscallNumber("getppid")
	res, _ := vm.Run(stack, vm.SeccompData{Arch: h.Audit, Nr: int32(n)})
	if got, want := c.lines, fmt.Sprintf("getppid %d", res.Ret&action.DataMask); len(got) != 1 || got[0] != want {
		t.Errorf("the child says %q, the stack %q", got, want)
	}
}

// Filters are per thread: one installed on one thread only (prctl) is
// there, and not on the main thread.
func TestDumpThread(t *testing.T) {
	needDumpRoot(t)
	c := startDumpChild(t, "thread", "", nil)
	pid := c.cmd.Process.Pid
	var tid int
	if len(c.lines) != 1 {
		t.Fatalf("child: %q", c.lines)
	}
	fmt.Sscanf(c.lines[0], "tid %d", &tid)
	fs, err := FiltersOfThread(pid, tid)
	if err != nil || len(fs) != 1 || !slices.Equal(fs[0].Prog, dumpStack()[0]) {
		t.Errorf("FiltersOfThread(%d, %d): %d filters, %v", pid, tid, len(fs), err)
	}
	if _, err := Filters(pid); !errors.Is(err, ErrNoFilters) {
		t.Errorf("Filters(%d), the main thread: %v, want ErrNoFilters", pid, err)
	}
}

func TestDumpErrors(t *testing.T) {
	needDumpRoot(t)
	// No filters: this process, and a child.
	for _, pid := range []int{os.Getpid(), startDumpChild(t, "plain", "", nil).cmd.Process.Pid} {
		_, err := Filters(pid)
		if !errors.Is(err, ErrNoFilters) || !strings.Contains(err.Error(), fmt.Sprintf("process %d", pid)) || !strings.Contains(err.Error(), "has no seccomp filters") {
			t.Errorf("Filters(%d) without filters: %v", pid, err)
		}
	}
	// No such process: one that has ended.
	c := startDumpChild(t, "plain", "", nil)
	gone := c.cmd.Process.Pid
	c.stop()
	if _, err := Filters(gone); !errors.Is(err, unix.ESRCH) || !strings.Contains(err.Error(), "no such process") {
		t.Errorf("Filters(ended process): %v", err)
	}
	for _, pid := range []int{0, -1} {
		if _, err := Filters(pid); !errors.Is(err, unix.ESRCH) {
			t.Errorf("Filters(%d): %v", pid, err)
		}
	}
	// A kernel thread, if this pid namespace shows one.
	if kt := findDumpKthread(); kt > 0 {
		if _, err := Filters(kt); !errors.Is(err, ErrKernelThread) {
			t.Errorf("Filters(kernel thread %d): %v", kt, err)
		}
	} else {
		t.Log("no kernel thread visible here")
	}
	// Strict mode, on one thread of a child.
	s := startDumpChild(t, "strict", "", nil)
	var tid int
	if len(s.lines) != 1 {
		t.Fatalf("strict child: %q", s.lines)
	}
	fmt.Sscanf(s.lines[0], "tid %d", &tid)
	for i := 0; i < 200; i++ {
		if st, err := dumpReadStatus(tid); err != nil || st.mode == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := FiltersOfThread(s.cmd.Process.Pid, tid); !errors.Is(err, ErrStrictMode) || !strings.Contains(err.Error(), "strict mode") {
		t.Errorf("Filters(strict thread): %v", err)
	}
}

func findDumpKthread() int {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		var pid int
		if _, err := fmt.Sscan(e.Name(), &pid); err != nil || pid <= 1 {
			continue
		}
		if st, err := dumpReadStatus(pid); err == nil && st.kthread {
			return pid
		}
	}
	return 0
}

// TestDumpPermission dumps as an unprivileged user: another user's process
// (ptrace refused, EPERM) and a process of the same user (ptrace allowed,
// PTRACE_SECCOMP_GET_FILTER refused without CAP_SYS_ADMIN, EACCES).
func TestDumpPermission(t *testing.T) {
	needDumpRoot(t)
	// The test binary where user nobody can run it.
	dir, err := os.MkdirTemp("", "cbpf-dump")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "seccomp.test")
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	nobody := &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	for _, c := range []struct {
		name   string
		target *syscall.SysProcAttr
		want   syscall.Errno
		says   string
	}{
		{"other user", nil, unix.EPERM, "ptrace refused (EPERM)"},
		{"same user", nobody, unix.EACCES, "needs CAP_SYS_ADMIN"},
	} {
		target := startDumpChild(t, "stacked", bin, c.target)
		cmd := exec.Command(bin, "-test.run=^TestDumpChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), dumpChildEnv+"=dump", fmt.Sprintf("CBPF_DUMP_TARGET=%d", target.cmd.Process.Pid))
		cmd.SysProcAttr = nobody
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v: %s", c.name, err, out)
		}
		flags := fmt.Sprintf("eperm %v eacces %v dumperror true", c.want == unix.EPERM, c.want == unix.EACCES)
		if !strings.Contains(string(out), flags) || !strings.Contains(string(out), c.says) {
			t.Errorf("%s: the unprivileged dump says\n%s\nwant %q and %q", c.name, out, flags, c.says)
		}
		if c.want == unix.EPERM && !strings.Contains(string(out), "CAP_SYS_ADMIN") {
			t.Errorf("%s: the error does not say CAP_SYS_ADMIN is needed too: %s", c.name, out)
		}
	}
}

func TestCatch(t *testing.T) {
	needDumpRoot(t)
	env := append(os.Environ(), dumpChildEnv+"=installs")
	out, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Catch([]string{os.Args[0], "-test.run=^TestDumpChild$", "-test.count=1"}, CatchOptions{Env: env, Stdout: out})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out.Name())
	if !c.Exit.Exited() || c.Exit.ExitStatus() != 0 || c.Killed {
		t.Fatalf("the program ended with %#x (killed %v); it printed %q", uint32(c.Exit), c.Killed, b)
	}
	if !strings.Contains(string(b), "installed") {
		t.Errorf("the program's output %q", b)
	}
	want := dumpStack()
	var installs []Snapshot
	for _, s := range c.Snapshots {
		if s.At == "install" {
			installs = append(installs, s)
		}
	}
	if len(installs) != len(want) {
		t.Fatalf("%d installs caught, want %d: %+v", len(installs), len(want), c.Snapshots)
	}
	for i, s := range installs {
		if len(s.Filters) != i+1 {
			t.Fatalf("install %d: %d filters", i, len(s.Filters))
		}
		for j, f := range s.Filters {
			if !slices.Equal(f.Prog, want[j]) {
				t.Errorf("install %d, filter %d differs", i, j)
			}
		}
	}
	last := c.Last()
	if last.At != "exit" || len(last.Filters) != len(want) || !last.Filters[1].Log {
		t.Errorf("last snapshot: %s with %d filters", last.At, len(last.Filters))
	}

	// Installs: 2 stops after the second install, and kills.
	c, err = Catch([]string{os.Args[0], "-test.run=^TestDumpChild$", "-test.count=1"}, CatchOptions{Env: env, Installs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Killed || len(c.Snapshots) != 2 || len(c.Last().Filters) != 2 {
		t.Errorf("Installs 2: killed %v, %d snapshots", c.Killed, len(c.Snapshots))
	}
	// Filters installed in a child process (sh forks the test binary).
	c, err = Catch([]string{"/bin/sh", "-c", `"$0" -test.run='^TestDumpChild$' -test.count=1; exit 3`, os.Args[0]}, CatchOptions{Env: env})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Exit.Exited() || c.Exit.ExitStatus() != 3 || len(c.Snapshots) != 4 {
		t.Fatalf("sh: status %#x, %d snapshots", uint32(c.Exit), len(c.Snapshots))
	}
	if l := c.Last(); l.Pid == c.Pid || l.At != "exit" || len(l.Filters) != 3 {
		t.Errorf("sh: last snapshot %+v (sh is %d)", l, c.Pid)
	}
	// prctl(PR_SET_SECCOMP) on one thread: caught there; unless that is
	// the main thread, the process exits with no filter on its main thread.
	out2, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	c, err = Catch([]string{os.Args[0], "-test.run=^TestDumpChild$", "-test.count=1"},
		CatchOptions{Env: append(os.Environ(), dumpChildEnv+"=prctl"), Stdout: out2})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(out2.Name())
	var tid int
	fmt.Sscanf(string(b), "tid %d", &tid)
	n := 1
	if tid == c.Pid {
		n = 2 // and at exit
	}
	if len(c.Snapshots) != n || c.Snapshots[0].Tid != tid || c.Snapshots[0].At != "install" || !slices.Equal(c.Snapshots[0].Filters[0].Prog, want[0]) {
		t.Errorf("prctl: snapshots %+v, the child says %q", c.Snapshots, b)
	}
	// A program without filters, and one that does not exist.
	c, err = Catch([]string{"true"}, CatchOptions{})
	if err != nil || len(c.Snapshots) != 0 || !c.Exit.Exited() {
		t.Errorf("true: %+v %v", c, err)
	}
	if _, err := Catch([]string{"/no/such/program"}, CatchOptions{}); err == nil {
		t.Error("no error for a missing program")
	}
}
