package seccomp

// Catching the filters a program installs: run it under ptrace, stop each
// of its threads at the exit of every seccomp(2) or prctl(2) call, and
// read the thread's filters after each successful install and when the
// program ends.

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
)

// CatchOptions tune Catch.
type CatchOptions struct {
	// Installs, if positive, ends the run after that many successful
	// installs: the program is killed once they are read. Zero runs the
	// program to its end.
	Installs int
	// Stdin, Stdout and Stderr are the program's (nil: /dev/null).
	Stdin, Stdout, Stderr *os.File
	// Env is the program's environment (nil: this process's).
	Env []string
}

// Snapshot is the filters of a thread of a caught program at one moment.
type Snapshot struct {
	Pid     int      // the process (thread group)
	Tid     int      // the thread
	At      string   // "install" (right after a successful install) or "exit" (as a process's main thread exits)
	Filters []Filter // in install order, as Filters returns them
}

// Caught is what Catch saw.
type Caught struct {
	Pid       int
	Snapshots []Snapshot // one per install, and one as each process with filters exits, in time order
	// Exit is how the program (its first process) ended: its wait
	// status, unless Catch killed it (Killed).
	Exit   syscall.WaitStatus
	Killed bool
}

// Last returns the latest snapshot, nil if the program installed nothing.
func (c *Caught) Last() *Snapshot {
	if len(c.Snapshots) == 0 {
		return nil
	}
	return &c.Snapshots[len(c.Snapshots)-1]
}

// Catch runs argv (argv[0] looked up in PATH) under ptrace and returns the
// filters it installs.
//
// The approach, and its limits: the program starts traced (it stops at
// its execve before any of its own code runs); every thread and process
// it creates is traced too (PTRACE_O_TRACECLONE, TRACEFORK, TRACEVFORK),
// and each is stopped at every syscall entry and exit. At the exit of a
// seccomp(SECCOMP_SET_MODE_FILTER) or prctl(PR_SET_SECCOMP,
// SECCOMP_MODE_FILTER) that succeeded, the thread's filters are read (a
// Snapshot); when the main thread of a process exits (PTRACE_EVENT_EXIT),
// they are read once more. The syscall numbers come from package arch for
// the arch each call is made with. Catch returns when every traced
// process has ended, or after opts.Installs installs (then it kills them).
// The program runs slower (two stops per syscall), and in a process group
// of its own, whose members Catch waits for: a process that moves to
// another group (setsid, setpgid) is lost to it. If the caller dies, the
// kernel kills the program (PTRACE_O_EXITKILL).
//
// The permissions are those of Filters: CAP_SYS_ADMIN to read filters.
func Catch(argv []string, opts CatchOptions) (*Caught, error) {
	if len(argv) == 0 {
		return nil, fmt.Errorf("seccomp: catch: no command")
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return nil, fmt.Errorf("seccomp: catch: %w", err)
	}
	var (
		c    *Caught
		cerr error
	)
	onDumpTracer(func() { c, cerr = dumpCatch(path, argv, opts) })
	return c, cerr
}

func dumpCatch(path string, argv []string, opts CatchOptions) (*Caught, error) {
	files, closeAll, err := dumpStdio(opts)
	if err != nil {
		return nil, err
	}
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	proc, err := os.StartProcess(path, argv, &os.ProcAttr{Env: env, Files: files,
		Sys: &syscall.SysProcAttr{Ptrace: true, Setpgid: true, Pdeathsig: syscall.SIGKILL}})
	closeAll()
	if err != nil {
		return nil, fmt.Errorf("seccomp: catch: %w", err)
	}
	// Waited for with dumpWait4 below, never by os.Process.
	defer proc.Release()
	pid := proc.Pid
	c := &Caught{Pid: pid}
	t := &dumpCatcher{c: c, pid: pid, opts: opts, entry: map[int]dumpSyscallEntry{},
		seen: map[int]bool{pid: true}, alive: map[int]bool{pid: true}}
	if err := t.run(); err != nil {
		unix.Kill(-pid, unix.SIGKILL)
		t.drain()
		return c, err
	}
	return c, nil
}

// dumpStdio returns the program's standard files, /dev/null for those not
// given; closeAll closes what was opened here once the program has them.
func dumpStdio(opts CatchOptions) ([]*os.File, func(), error) {
	var opened []*os.File
	closeAll := func() {
		for _, f := range opened {
			f.Close()
		}
	}
	files := []*os.File{opts.Stdin, opts.Stdout, opts.Stderr}
	for i, f := range files {
		if f != nil {
			continue
		}
		flag := os.O_WRONLY
		if i == 0 {
			flag = os.O_RDONLY
		}
		n, err := os.OpenFile(os.DevNull, flag, 0)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("seccomp: catch: %w", err)
		}
		opened = append(opened, n)
		files[i] = n
	}
	return files, closeAll, nil
}

type dumpSyscallEntry struct {
	audit uint32
	nr    uint64
	args  [6]uint64
}

// dumpCatcher is the state of one Catch, on the tracer thread.
type dumpCatcher struct {
	c     *Caught
	pid   int
	opts  CatchOptions
	entry map[int]dumpSyscallEntry // the syscall each thread is in
	seen  map[int]bool             // threads that have stopped once
	alive map[int]bool             // threads traced and not yet reaped, announced ones included
}

const dumpCatchOptions = unix.PTRACE_O_TRACESYSGOOD | unix.PTRACE_O_TRACECLONE | unix.PTRACE_O_TRACEFORK |
	unix.PTRACE_O_TRACEVFORK | unix.PTRACE_O_TRACEEXEC | unix.PTRACE_O_TRACEEXIT | unix.PTRACE_O_EXITKILL

// dumpSyscallStop is the stop signal of a syscall stop with TRACESYSGOOD.
const dumpSyscallStop = syscall.SIGTRAP | 0x80

func (t *dumpCatcher) run() error {
	// The first stop: SIGTRAP after execve.
	var ws unix.WaitStatus
	if _, err := dumpWait4(t.pid, &ws); err != nil {
		return fmt.Errorf("seccomp: catch: waiting for the program to start: %w", err)
	}
	if !ws.Stopped() {
		t.c.Exit = syscall.WaitStatus(ws)
		return fmt.Errorf("seccomp: catch: the program ended before it started (status %#x)", uint32(ws))
	}
	if err := unix.PtraceSetOptions(t.pid, dumpCatchOptions); err != nil {
		return fmt.Errorf("seccomp: catch: PTRACE_SETOPTIONS: %w", err)
	}
	if err := unix.PtraceSyscall(t.pid, 0); err != nil {
		return fmt.Errorf("seccomp: catch: %w", err)
	}
	for len(t.alive) > 0 {
		tid, err := dumpWait4(-t.pid, &ws) // the program's process group
		if err == unix.ECHILD {
			return nil
		}
		if err != nil {
			return fmt.Errorf("seccomp: catch: wait: %w", err)
		}
		switch {
		case ws.Exited() || ws.Signaled():
			delete(t.seen, tid)
			delete(t.alive, tid)
			delete(t.entry, tid)
			if tid == t.pid {
				t.c.Exit = syscall.WaitStatus(ws)
			}
			continue
		case !ws.Stopped():
			continue
		}
		sig, first := 0, !t.seen[tid]
		t.seen[tid], t.alive[tid] = true, true
		switch ev := dumpPtraceEvent(ws); {
		case first && ws.StopSignal() == syscall.SIGSTOP:
			// A new thread's first stop (PTRACE_O_TRACECLONE): not a
			// signal to deliver.
		case ws.StopSignal() == dumpSyscallStop:
			done, err := t.dumpSyscallStop(tid)
			if err != nil {
				return err
			}
			if done {
				unix.Kill(-t.pid, unix.SIGKILL)
				t.c.Killed = true
				t.drain()
				return nil
			}
		case ev == unix.PTRACE_EVENT_EXIT:
			if st, err := dumpReadStatus(tid); err == nil && st.tgid == tid {
				t.snapshot(tid, "exit")
			}
		case ev == unix.PTRACE_EVENT_CLONE || ev == unix.PTRACE_EVENT_FORK || ev == unix.PTRACE_EVENT_VFORK:
			// The new thread or process is traced already; its first
			// stop comes on its own, maybe after this one exits.
			if msg, err := unix.PtraceGetEventMsg(tid); err == nil {
				t.alive[int(msg)] = true
			}
		case ev != 0:
			// exec, and the rest: nothing to do but go on.
		default:
			sig = int(ws.StopSignal()) // a signal for the program: deliver it
		}
		// The thread may be gone (killed meanwhile): nothing to resume.
		unix.PtraceSyscall(tid, sig)
	}
	return nil
}

// dumpSyscallStop handles a syscall entry or exit stop of tid; done is true
// when enough installs have been caught.
func (t *dumpCatcher) dumpSyscallStop(tid int) (done bool, err error) {
	var info dumpSyscallInfo
	if _, err := dumpPtraceRet(unix.PTRACE_GET_SYSCALL_INFO, tid, unsafe.Sizeof(info), uintptr(unsafe.Pointer(&info))); err != nil {
		if err == unix.ESRCH {
			return false, nil // killed since the stop: its exit comes next
		}
		return false, fmt.Errorf("seccomp: catch: PTRACE_GET_SYSCALL_INFO (Linux 5.3+): %w", err)
	}
	switch info.Op {
	case unix.PTRACE_SYSCALL_INFO_ENTRY:
		e := dumpSyscallEntry{audit: info.Arch, nr: info.Data[0]}
		copy(e.args[:], info.Data[1:7])
		t.entry[tid] = e
	case unix.PTRACE_SYSCALL_INFO_EXIT:
		e, ok := t.entry[tid]
		delete(t.entry, tid)
		rval, isErr := int64(info.Data[0]), uint8(info.Data[1]) != 0
		if !ok || isErr || rval < 0 || !dumpInstalls(e) {
			return false, nil
		}
		if t.snapshot(tid, "install") {
			installsSeen := 0
			for _, s := range t.c.Snapshots {
				if s.At == "install" {
					installsSeen++
				}
			}
			return t.opts.Installs > 0 && installsSeen >= t.opts.Installs, nil
		}
	}
	return false, nil
}

// dumpInstalls reports whether a syscall entry installs a filter:
// seccomp(SECCOMP_SET_MODE_FILTER, ...) or prctl(PR_SET_SECCOMP,
// SECCOMP_MODE_FILTER, ...), numbered as the arch of the call numbers them.
func dumpInstalls(e dumpSyscallEntry) bool {
	a := arch.ByAudit(e.audit)
	if a == nil {
		return false
	}
	if nr, ok := a.SyscallNumber("seccomp"); ok && uint64(nr) == e.nr&^uint64(arch.X32SyscallBit) {
		return e.args[0] == unix.SECCOMP_SET_MODE_FILTER
	}
	if nr, ok := a.SyscallNumber("prctl"); ok && uint64(nr) == e.nr&^uint64(arch.X32SyscallBit) {
		return e.args[0] == unix.PR_SET_SECCOMP && e.args[1] == unix.SECCOMP_MODE_FILTER
	}
	return false
}

// snapshot reads tid's filters (it is stopped) and records them; it
// reports whether there were any.
func (t *dumpCatcher) snapshot(tid int, at string) bool {
	fs, err := dumpReadFilters(tid)
	if err != nil || len(fs) == 0 {
		return false
	}
	pid := tid
	if st, err := dumpReadStatus(tid); err == nil && st.tgid > 0 {
		pid = st.tgid
	}
	t.c.Snapshots = append(t.c.Snapshots, Snapshot{Pid: pid, Tid: tid, At: at, Filters: fs})
	return true
}

// drain lets every traced thread of a killed program die and reaps them.
func (t *dumpCatcher) drain() {
	var ws unix.WaitStatus
	for {
		tid, err := dumpWait4(-t.pid, &ws)
		if err != nil {
			return
		}
		if ws.Stopped() {
			unix.PtraceCont(tid, 0)
			continue
		}
		if tid == t.pid {
			t.c.Exit = syscall.WaitStatus(ws)
		}
	}
}

func dumpWait4(pid int, ws *unix.WaitStatus) (int, error) {
	for {
		tid, err := unix.Wait4(pid, ws, unix.WALL, nil)
		if err != unix.EINTR {
			return tid, err
		}
	}
}

// dumpSyscallInfo is struct ptrace_syscall_info: op, arch, ip, sp,
// then the entry (nr, args[6]), exit (rval, is_error) or seccomp data.
type dumpSyscallInfo struct {
	Op   uint8
	_    [3]uint8
	Arch uint32
	IP   uint64
	SP   uint64
	Data [8]uint64
}
