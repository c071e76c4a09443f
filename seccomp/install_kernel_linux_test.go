package seccomp

// Kernel tests of Install: each filter is installed in a child process
// (runChild), which prints what it observes; the test checks the lines.

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

// call makes syscall name with the given arguments through Syscall (so
// the runtime knows the thread is in a syscall) and returns r1 and errno.
func call(name string, args ...uintptr) (uintptr, syscall.Errno) {
	var a [3]uintptr
	copy(a[:], args)
	r, _, e := unix.Syscall(uintptr(nr(name)), a[0], a[1], a[2])
	return r, e
}

func mustInstall(prog []bpf.RawInstruction, opts Options) {
	if _, err := Install(prog, opts); err != nil {
		childFail("Install: %v", err)
		os.Exit(1)
	}
}

func childActions() {
	ppid := os.Getppid()
	mustInstall(filter(action.Allow,
		rule{"getppid", action.Log},
		rule{"getpgid", action.Errno | 77},
		rule{"getsid", action.Errno | 5000},
		rule{"getpriority", action.Trace | 3},
		rule{"getitimer", action.UserNotif},
	), Options{})
	r, e := call("getppid")
	fmt.Printf("log %d %d %v\n", r, ppid, e == 0)
	_, e = call("getpgid")
	fmt.Printf("errno %d\n", e)
	// The kernel returns -4095 (MAX_ERRNO) for data above 4095. Go's
	// Syscall takes it for an error on some arches (arm64) and not on
	// others (amd64 stops at -4094), where r1 shows it.
	r, e = call("getsid")
	clamped := int(e)
	if e == 0 {
		clamped = -int(r)
	}
	fmt.Printf("errno-clamped %d\n", clamped)
	_, e = call("getpriority")
	fmt.Printf("trace-untraced %d\n", e)
	_, e = call("getitimer")
	fmt.Printf("notif-no-listener %d\n", e)
}

// TestActions: what each action does to the call, seen by the caller.
func TestActions(t *testing.T) {
	r := runChild(t, "actions", nil)
	want := []string{
		"log " + strconv.Itoa(os.Getpid()) + " " + strconv.Itoa(os.Getpid()) + " true", // LOG allows
		"errno 77",
		"errno-clamped 4095", // the kernel clamps ERRNO data to MAX_ERRNO
		fmt.Sprintf("trace-untraced %d", unix.ENOSYS),    // TRACE with no tracer
		fmt.Sprintf("notif-no-listener %d", unix.ENOSYS), // USER_NOTIF with no listener
	}
	for _, w := range want {
		if !strings.Contains(r.out, w+"\n") {
			t.Errorf("child output lacks %q:\n%s\n%s", w, r.out, r.stderr)
		}
	}
}

// childTrapHandled runs a python3 script under a TRAP filter: its
// SA_SIGINFO handler reads si_errno, si_code, si_syscall and si_arch (Go's
// runtime does not hand siginfo to programs, and crashes on a trap).
const trapScript = `
import ctypes, signal, sys
libc = ctypes.CDLL(None, use_errno=True)
class SigInfo(ctypes.Structure):
    _fields_ = [("signo", ctypes.c_int), ("errno", ctypes.c_int), ("code", ctypes.c_int),
                ("pad", ctypes.c_int), ("call_addr", ctypes.c_void_p), ("syscall", ctypes.c_int), ("arch", ctypes.c_uint)]
HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.POINTER(SigInfo), ctypes.c_void_p)
seen = []
def h(sig, info, ctx):
    i = info.contents
    seen.append((i.signo, i.errno, i.code, i.syscall, i.arch))
handler = HANDLER(h)
class SigAction(ctypes.Structure):
    _fields_ = [("handler", HANDLER), ("mask", ctypes.c_ulong * 16), ("flags", ctypes.c_int), ("restorer", ctypes.c_void_p)]
sa = SigAction()
sa.handler = handler
sa.flags = 4  # SA_SIGINFO
if libc.sigaction(signal.SIGSYS, ctypes.byref(sa), None) != 0:
    sys.exit("sigaction failed")
libc.syscall(int(sys.argv[1]))
print("trap signo=%d errno=%d code=%d syscall=%d arch=%x" % seen[0])
`

func TestTrapSiginfo(t *testing.T) {
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		testenv.Missing(t, "the script's siginfo layout is that of 64-bit Linux (amd64, arm64)")
	}
	py := testenv.Tool(t, testenv.Python) // not a shell shim: the shell would make the call
	trap := filter(action.Allow, rule{"getppid", action.Trap | 42})
	x, out := launch(t, trap, []string{py, "-c", trapScript, strconv.Itoa(int(nr("getppid")))}, LaunchOptions{})
	want := fmt.Sprintf("trap signo=%d errno=42 code=1 syscall=%d arch=%x", unix.SIGSYS, nr("getppid"), arch.Host().Audit)
	if x.Code != 0 || !strings.Contains(out, want) {
		t.Errorf("%v, output %q; want %q (code 1 is SYS_SECCOMP)", x, out, want)
	}
}

// childTrapGo: Go's runtime does not catch a seccomp SIGSYS for a program;
// it crashes, printing the signal and sigcode 1 (SYS_SECCOMP).
func childTrapGo() {
	mustInstall(filter(action.Allow, rule{"getppid", action.Trap | 1}), Options{})
	call("getppid")
	fmt.Println("survived")
}

func TestTrapGo(t *testing.T) {
	r := runChild(t, "trap-go", nil)
	if strings.Contains(r.out, "survived") || !strings.Contains(r.stderr, "SIGSYS: bad system call") || !strings.Contains(r.stderr, "sigcode=1") {
		t.Errorf("trap in Go: %v, stdout %q, stderr %.300q", r.state, r.out, r.stderr)
	}
}

// childKillThread: KILL_THREAD ends only the locked thread that made the
// call; the process, and the Go runtime, carry on (the goroutine that was
// on the thread never returns: it is parked in the syscall forever, so
// only a goroutine nobody waits for can do this).
func childKillThread() {
	mustInstall(filter(action.Allow, rule{"getppid", action.KillThread}), Options{})
	tids := make(chan int, 1)
	go func() {
		runtime.LockOSThread()
		tids <- unix.Gettid()
		call("getppid")
		fmt.Println("FAIL the killed thread returned")
	}()
	tid := <-tids
	for range 100 {
		// Gone, or a zombie if it was the main thread (the thread
		// group's leader stays until the process ends).
		b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/stat", tid))
		if f := strings.Fields(string(b)); err != nil || len(f) > 2 && f[2] == "Z" {
			fmt.Println("thread gone")
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.GC() // the runtime still works
	fmt.Println("process alive")
}

// childKillProcess: the same call under KILL_PROCESS ends the process.
func childKillProcess() {
	mustInstall(filter(action.Allow, rule{"getppid", action.KillProcess}), Options{})
	done := make(chan bool)
	go func() {
		runtime.LockOSThread()
		call("getppid")
		done <- true
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	fmt.Println("FAIL process alive")
}

func TestKillThreadVsProcess(t *testing.T) {
	r := runChild(t, "kill-thread", nil)
	if !r.state.Success() || !strings.Contains(r.out, "thread gone\nprocess alive\n") {
		t.Errorf("kill_thread: %v, stdout %q, stderr %.300q", r.state, r.out, r.stderr)
	}
	r = runChild(t, "kill-process", nil)
	if r.signal() != unix.SIGSYS {
		t.Errorf("kill_process: %v, want death by SIGSYS; stdout %q", r.state, r.out)
	}
}

// childStack installs three filters; every one runs, and the lowest
// action wins; between equal actions the newest filter's data.
func childStack() {
	mustInstall(filter(action.Allow, rule{"getppid", action.Log}, rule{"getpgid", action.Errno | 11}), Options{})
	mustInstall(filter(action.Allow, rule{"getppid", action.Errno | 12}, rule{"getpgid", action.Trace | 1}, rule{"getsid", action.Errno | 13}), Options{})
	mustInstall(filter(action.Allow, rule{"getsid", action.Errno | 14}, rule{"getpriority", action.Log}), Options{})
	for _, name := range []string{"getppid", "getpgid", "getsid", "getpriority"} {
		_, e := call(name)
		fmt.Printf("%s %d\n", name, e)
	}
	fmt.Printf("filters %s\n", procStatus("Seccomp_filters"))
}

func TestStacking(t *testing.T) {
	r := runChild(t, "stack", nil)
	for _, w := range []string{"getppid 12", "getpgid 11", "getsid 14", "getpriority 0", "filters 3"} {
		if !strings.Contains(r.out, w+"\n") {
			t.Errorf("child output lacks %q:\n%s%s", w, r.out, r.stderr)
		}
	}
}

// childTSync: filters installed with the default (TSYNC) reach every
// thread of the process, including threads that already exist and are
// locked to goroutines; ThisThreadOnly reaches one.
func childTSync() {
	const n = 6
	var ready, installed sync.WaitGroup
	ready.Add(n)
	installed.Add(1)
	results := make(chan string, n)
	finish := make(chan bool)
	defer close(finish)
	for range n {
		go func() {
			runtime.LockOSThread() // each on its own OS thread, kept to the end
			ready.Done()
			installed.Wait()
			_, e := call("getppid")
			results <- fmt.Sprintf("thread %d errno %d", unix.Gettid(), e)
			<-finish
		}()
	}
	ready.Wait()
	mustInstall(filter(action.Allow, rule{"getppid", action.Errno | 21}), Options{})
	installed.Done()
	tids := map[string]bool{}
	for range n {
		l := <-results
		fmt.Println(l)
		tids[strings.Fields(l)[1]] = true
	}
	fmt.Printf("distinct threads %d\n", len(tids))
	// Every task of the process carries the filter.
	ents, _ := os.ReadDir("/proc/self/task")
	for _, ent := range ents {
		mode, filters, err := taskSeccomp("/proc/self/task/" + ent.Name() + "/status")
		if err == nil {
			fmt.Printf("task seccomp %s %s\n", mode, filters)
			delete(tids, ent.Name())
		}
	}
	fmt.Printf("threads not listed %d\n", len(tids))
}

func TestTSync(t *testing.T) {
	r := runChild(t, "tsync", nil)
	if got := strings.Count(r.out, "errno 21\n"); got != 6 {
		t.Errorf("%d of 6 threads filtered:\n%s%s", got, r.out, r.stderr)
	}
	if !strings.Contains(r.out, "distinct threads 6\n") {
		t.Errorf("the goroutines did not run on 6 threads:\n%s", r.out)
	}
	if !strings.Contains(r.out, "threads not listed 0\n") || strings.Count(r.out, "task seccomp ") < 6 || strings.Count(r.out, "task seccomp 2 1\n") != strings.Count(r.out, "task seccomp ") {
		t.Errorf("some task lacks the filter:\n%s", r.out)
	}
}

// childThisThread: ThisThreadOnly filters the locked thread only; a
// later TSYNC install then cannot synchronise that thread, and says so.
func childThisThread() {
	tids := make(chan int)
	check := make(chan bool)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread carries a filter
		mustInstall(filter(action.Allow, rule{"getppid", action.Errno | 31}), Options{ThisThreadOnly: true})
		tids <- unix.Gettid()
		for range check {
			_, e := call("getppid")
			fmt.Printf("filtered thread %d\n", e)
			check <- true
		}
	}()
	tid := <-tids
	check <- true
	<-check
	runtime.LockOSThread()
	_, e := call("getppid")
	fmt.Printf("other thread %d\n", e)
	_, err := Install(filter(action.Allow), Options{})
	var ie *Error
	if errors.As(err, &ie) && ie.TID == tid && errors.Is(err, ErrThreadSync) {
		fmt.Printf("tsync refused: %v\n", err)
	} else {
		childFail("TSYNC with thread %d filtered alone: %v", tid, err)
	}
	_, err = Install(filter(action.Allow), Options{Flags: FlagTSync | FlagTSyncESRCH})
	if errors.Is(err, unix.ESRCH) && errors.Is(err, ErrThreadSync) {
		fmt.Printf("tsync_esrch refused: %v\n", err)
	} else {
		childFail("TSYNC_ESRCH with thread %d filtered alone: %v", tid, err)
	}
	// The refused installs set no_new_privs on threads of their own,
	// which then ended: only the filtered thread has it.
	n := 0
	for range 100 {
		if n = nnpThreads(); n == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Printf("no_new_privs on %d thread(s)\n", n)
	fmt.Printf("tid %d\n", tid)
}

// nnpThreads counts the threads with NoNewPrivs set.
func nnpThreads() int {
	ents, _ := os.ReadDir("/proc/self/task")
	n := 0
	for _, ent := range ents {
		b, err := os.ReadFile("/proc/self/task/" + ent.Name() + "/status")
		if err == nil && strings.Contains(string(b), "\nNoNewPrivs:\t1\n") {
			n++
		}
	}
	return n
}

func TestThisThreadOnly(t *testing.T) {
	r := runChild(t, "this-thread", nil)
	tid := strings.TrimSpace(strings.Join(r.lines("tid "), ""))
	for _, w := range []string{
		"filtered thread 31\n", "other thread 0\n", "no_new_privs on 1 thread(s)\n",
		"tsync refused: seccomp: thread " + tid + " could not be synchronised: it has a different filter or seccomp mode (Seccomp: 2, Seccomp_filters: 1); nothing installed\n",
		"tsync_esrch refused: seccomp: a thread could not be synchronised", "thread " + tid + " has Seccomp: 2, Seccomp_filters: 1",
	} {
		if !strings.Contains(r.out, w) {
			t.Errorf("child output lacks %q:\n%s%s", w, r.out, r.stderr)
		}
	}
}

// childInherit: a filter is inherited over fork and exec; the helper is
// this test binary again, in another child role, and sh.
func childInherit() {
	mustInstall(filter(action.Allow, rule{"getppid", action.Errno | 41}), Options{})
	mustInstall(filter(action.Allow), Options{})
	out, err := exec.Command("sh", "-c", "grep -E '^(Seccomp|Seccomp_filters|NoNewPrivs):' /proc/self/status").CombinedOutput()
	fmt.Printf("sh %q %v\n", out, err)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoaderChild$")
	cmd.Env = append(os.Environ(), loaderChildEnv+"=inherit-check")
	out, err = cmd.CombinedOutput()
	fmt.Printf("helper %q %v\n", out, err)
}

func childInheritCheck() {
	_, e := call("getppid")
	fmt.Printf("getppid %d filters %s", e, procStatus("Seccomp_filters"))
}

func TestInherit(t *testing.T) {
	r := runChild(t, "inherit", nil)
	for _, w := range []string{`Seccomp:\t2\nSeccomp_filters:\t2\n`, `NoNewPrivs:\t1`, `"getppid 41 filters 2" <nil>`} {
		if !strings.Contains(r.out, w) {
			t.Errorf("child output lacks %q:\n%s%s", w, r.out, r.stderr)
		}
	}
}

// childNoNewPrivs: without no_new_privs an unprivileged process may not
// install a filter. The child drops to nobody if it is root.
func childNoNewPrivs() {
	if os.Geteuid() == 0 {
		if err := syscall.Setgroups(nil); err != nil {
			childFail("setgroups: %v", err)
		}
		if err := syscall.Setgid(65534); err != nil {
			childFail("setgid: %v", err)
		}
		if err := syscall.Setuid(65534); err != nil {
			childFail("setuid: %v", err)
		}
	}
	_, err := Install(filter(action.Allow), Options{KeepPrivileges: true})
	fmt.Printf("uid %d keep: %v\n", os.Geteuid(), err)
	if !errors.Is(err, unix.EACCES) {
		childFail("KeepPrivileges unprivileged: %v, want EACCES", err)
	}
	fmt.Printf("after: Seccomp %s NoNewPrivs %s\n", procStatus("Seccomp"), procStatus("NoNewPrivs"))
	_, err = Install(filter(action.Allow, rule{"getppid", action.Errno | 51}), Options{})
	_, e := call("getppid")
	fmt.Printf("default: %v %d\n", err, e)
}

func TestNoNewPrivs(t *testing.T) {
	r := runChild(t, "no-new-privs", nil)
	for _, w := range []string{"uid 65534 keep: seccomp: seccomp(SECCOMP_SET_MODE_FILTER): installing a filter needs no_new_privs or CAP_SYS_ADMIN",
		"KeepPrivileges left no_new_privs unset and this process lacks CAP_SYS_ADMIN", "(EACCES); nothing installed\n",
		"after: Seccomp 0 NoNewPrivs 0\n", "default: <nil> 51\n"} {
		if os.Geteuid() != 0 {
			w = strings.Replace(w, "uid 65534", "uid "+strconv.Itoa(os.Geteuid()), 1)
		}
		if !strings.Contains(r.out, w) {
			t.Errorf("child output lacks %q:\n%s%s", w, r.out, r.stderr)
		}
	}
}

// childListener: Install with FlagNewListener returns a working listener
// (TSYNC_ESRCH added to TSYNC); a second listener is refused (EBUSY);
// with the listener closed, notified calls fail with ENOSYS.
func childListener() {
	l, err := Install(filter(action.Allow, rule{"getppid", action.UserNotif}), Options{Flags: FlagNewListener})
	if err != nil || l == nil {
		childFail("Install with a listener: %v, %v", l, err)
		return
	}
	id := uint64(1)
	const notifIDValid = 0x40082102 // SECCOMP_IOCTL_NOTIF_ID_VALID
	_, _, e := unix.Syscall(unix.SYS_IOCTL, l.Fd(), notifIDValid, uintptr(unsafe.Pointer(&id)))
	fmt.Printf("id_valid %d\n", e)
	_, err = Install(filter(action.Allow), Options{Flags: FlagNewListener})
	fmt.Printf("second: %v\n", err)
	l.Close()
	_, e = call("getppid")
	fmt.Printf("closed %d\n", e)
}

func TestListener(t *testing.T) {
	r := runChild(t, "listener", nil)
	for _, w := range []string{fmt.Sprintf("id_valid %d\n", unix.ENOENT), "second: seccomp: seccomp(SECCOMP_SET_MODE_FILTER): a filter with a user-notification listener is already installed", fmt.Sprintf("closed %d\n", unix.ENOSYS)} {
		if !strings.Contains(r.out, w) {
			t.Errorf("child output lacks %q:\n%s%s", w, r.out, r.stderr)
		}
	}
}

// childPrctlFallback: a first filter makes seccomp(2) fail with ENOSYS,
// as on Linux before 3.17; Install then uses prctl(PR_SET_SECCOMP) for a
// per-thread install without flags, and refuses the default (TSYNC).
func childPrctlFallback() {
	mustInstall(filter(action.Allow, rule{"seccomp", action.Errno | uint32(unix.ENOSYS)}), Options{})
	runtime.LockOSThread()
	_, err := Install(filter(action.Allow), Options{})
	fmt.Printf("tsync: %v\n", err)
	_, err = Install(filter(action.Allow, rule{"getppid", action.Errno | 61}), Options{ThisThreadOnly: true})
	_, e := call("getppid")
	fmt.Printf("prctl: %v %d filters %s\n", err, e, threadStatus("Seccomp_filters"))
}

// threadStatus reads a line of the calling thread's status.
func threadStatus(key string) string {
	_, n, err := taskSeccomp(fmt.Sprintf("/proc/self/task/%d/status", unix.Gettid()))
	if err != nil || key != "Seccomp_filters" {
		return "?"
	}
	return n
}

func TestPrctlFallback(t *testing.T) {
	r := runChild(t, "prctl-fallback", nil)
	for _, w := range []string{"tsync: seccomp: this kernel has no seccomp(2) (it came in Linux 3.17), and the prctl(PR_SET_SECCOMP) fallback takes no flags: tsync cannot be honoured", "prctl: <nil> 61 filters 2\n"} {
		if !strings.Contains(r.out, w) {
			t.Errorf("child output lacks %q:\n%s%s", w, r.out, r.stderr)
		}
	}
}

// childTooLong: the kernel limits a chain to 32768 instructions, each
// filter counting 4 more than its length after the kernel converted it
// to eBPF: 4096 rets are some 8192 eBPF instructions, so the fourth
// such filter is refused.
func childTooLong() {
	prog := make([]bpf.RawInstruction, 4096)
	for i := range prog {
		prog[i] = bpf.RawInstruction{Op: 0x06, K: action.Allow} // ret ALLOW, 4096 times
	}
	for i := 1; i <= 8; i++ {
		if _, err := Install(prog, Options{}); err != nil {
			fmt.Printf("filter %d: %v\n", i, err)
			return
		}
	}
	childFail("8 filters of 4096 instructions installed")
}

func TestTooLong(t *testing.T) {
	r := runChild(t, "too-long", nil)
	if w := "filter 4: seccomp: seccomp(SECCOMP_SET_MODE_FILTER): the filters of this thread together would exceed the kernel's limit of 32768 instructions"; !strings.Contains(r.out, w) {
		t.Errorf("child output lacks %q:\n%s%s", w, r.out, r.stderr)
	}
}
