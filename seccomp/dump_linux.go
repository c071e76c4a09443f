package seccomp

// Reading the filters of a live thread: PTRACE_SECCOMP_GET_FILTER and
// PTRACE_SECCOMP_GET_METADATA (kernel/seccomp.c, seccomp_get_filter and
// seccomp_get_metadata). The kernel answers them only to a tracer that
// holds CAP_SYS_ADMIN and is not itself under seccomp, about a tracee in
// a ptrace stop, and only from the tracer thread that attached.

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// Filter is one seccomp filter of a thread, as the kernel keeps it.
type Filter struct {
	// Prog is the program exactly as it was installed.
	Prog []bpf.RawInstruction
	// Log: it was installed with SECCOMP_FILTER_FLAG_LOG (the only flag
	// the kernel remembers and reports).
	Log bool
	// Index is the kernel's index of the filter for
	// PTRACE_SECCOMP_GET_FILTER: 0 is the oldest, the first installed.
	// (ptrace(2) says 0 is the most recent, but Linux's get_nth_filter
	// counts from the oldest; the tests check it on the running kernel.)
	// The kernel runs the newest, the highest index, first.
	Index int
}

// Errors a dump can wrap (test with errors.Is); the message of the
// *DumpError says more.
var (
	// ErrNoFilters: the thread has no seccomp filter (seccomp mode 0).
	ErrNoFilters = errors.New("no seccomp filters")
	// ErrStrictMode: the thread is in strict mode (SECCOMP_MODE_STRICT),
	// which has no filters: only read, write, _exit and sigreturn.
	ErrStrictMode = errors.New("in seccomp strict mode, which has no filters")
	// ErrKernelThread: a kernel thread, which cannot be traced and never
	// has filters.
	ErrKernelThread = errors.New("a kernel thread")
)

// DumpError is a dump that failed.
type DumpError struct {
	Pid   int           // the thread asked about
	Op    string        // the step that failed: "status", "attach", "wait", "get filter", ...
	Errno syscall.Errno // the kernel's error, 0 if none
	Err   error         // ErrNoFilters, ErrStrictMode, ErrKernelThread or nil
	Msg   string
}

func (e *DumpError) Error() string { return "seccomp: " + e.Msg }

// Unwrap makes errors.Is see the errno and the sentinel errors.
func (e *DumpError) Unwrap() []error {
	var errs []error
	if e.Errno != 0 {
		errs = append(errs, e.Errno)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Filters returns the seccomp filters of the thread whose id is pid (for
// a process, pass its pid: its main thread), in install order: the oldest
// first, which is the kernel's own index order (Filter.Index is i) and the
// order verify.Stack takes.
//
// Filters belong to threads, not processes. A process whose filters were
// installed with TSYNC (seccomp.Install's default) has the same filters on
// every thread; otherwise they may differ, and FiltersOfThread reads
// another thread's.
//
// It attaches to the thread with PTRACE_SEIZE, stops it with
// PTRACE_INTERRUPT, reads each filter with PTRACE_SECCOMP_GET_FILTER and
// its flags with PTRACE_SECCOMP_GET_METADATA, and detaches, leaving the
// thread as it was; all from one locked OS thread, since the kernel takes
// ptrace requests only from the thread that attached. It needs:
// permission to ptrace the thread (CAP_SYS_PTRACE, or the same user and
// the Yama ptrace_scope allowing it) and CAP_SYS_ADMIN for the filter
// requests; and the calling process must not be under seccomp itself.
// A thread without filters gives an error wrapping ErrNoFilters; the
// count read is checked against Seccomp_filters in /proc/PID/status.
func Filters(pid int) ([]Filter, error) {
	if pid <= 0 {
		return nil, &DumpError{Pid: pid, Op: "pid", Errno: unix.ESRCH, Msg: fmt.Sprintf("no process %d: want a positive pid", pid)}
	}
	if err := dumpFilterMode(pid); err != nil {
		return nil, err
	}
	var (
		fs  []Filter
		err error
	)
	onDumpTracer(func() { fs, err = dumpSeizeAndRead(pid) })
	return fs, err
}

// FiltersOfThread returns the filters of thread tid of process pid (see
// Filters), after checking that tid is one of pid's threads.
func FiltersOfThread(pid, tid int) ([]Filter, error) {
	if pid <= 0 || tid <= 0 {
		return nil, &DumpError{Pid: tid, Op: "pid", Errno: unix.ESRCH, Msg: fmt.Sprintf("no thread %d of process %d: want positive ids", tid, pid)}
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d/task/%d", pid, tid)); err != nil {
		return nil, &DumpError{Pid: tid, Op: "status", Errno: unix.ESRCH, Msg: fmt.Sprintf("process %d has no thread %d", pid, tid)}
	}
	return Filters(tid)
}

// dumpStatus is what /proc/PID/status says about a thread's seccomp.
type dumpStatus struct {
	mode    int // Seccomp: 0 none, 1 strict, 2 filter
	filters int // Seccomp_filters (Linux 5.9+), -1 if absent
	kthread bool
	name    string
	tgid    int
}

func dumpReadStatus(pid int) (dumpStatus, error) {
	st := dumpStatus{mode: -1, filters: -1}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return st, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "Name":
			st.name = v
		case "Tgid":
			st.tgid, _ = strconv.Atoi(v)
		case "Seccomp":
			st.mode, _ = strconv.Atoi(v)
		case "Seccomp_filters":
			st.filters, _ = strconv.Atoi(v)
		case "Kthread":
			st.kthread = v == "1"
		}
	}
	if err := sc.Err(); err != nil {
		return st, err
	}
	if !st.kthread {
		st.kthread = dumpIsKthread(pid)
	}
	return st, nil
}

// dumpIsKthread reads PF_KTHREAD from /proc/PID/stat, for kernels whose
// status has no Kthread line (before 6.x).
func dumpIsKthread(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The name, in parentheses, may contain anything: fields follow the
	// last ')'. flags is field 9, the 7th after it.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return false
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 7 {
		return false
	}
	flags, err := strconv.ParseUint(fields[6], 10, 64)
	return err == nil && flags&0x00200000 != 0 // PF_KTHREAD
}

// dumpFilterMode checks that pid exists and is in filter mode.
func dumpFilterMode(pid int) error {
	st, err := dumpReadStatus(pid)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return &DumpError{Pid: pid, Op: "status", Errno: unix.ESRCH, Msg: fmt.Sprintf("no such process: %d", pid)}
		}
		return &DumpError{Pid: pid, Op: "status", Msg: fmt.Sprintf("process %d: %v", pid, err)}
	}
	switch {
	case st.kthread:
		return &DumpError{Pid: pid, Op: "status", Err: ErrKernelThread, Msg: fmt.Sprintf("process %d (%s) is a kernel thread: kernel threads have no seccomp filters and cannot be traced", pid, st.name)}
	case st.mode == 0:
		return &DumpError{Pid: pid, Op: "status", Err: ErrNoFilters, Msg: fmt.Sprintf("process %d (%s) has no seccomp filters", pid, st.name)}
	case st.mode == 1:
		return &DumpError{Pid: pid, Op: "status", Err: ErrStrictMode, Msg: fmt.Sprintf("process %d (%s) is in seccomp strict mode (SECCOMP_MODE_STRICT: only read, write, _exit and sigreturn), which has no filters", pid, st.name)}
	case st.mode != 2:
		return &DumpError{Pid: pid, Op: "status", Msg: fmt.Sprintf("process %d: /proc/%d/status has no Seccomp line this package understands", pid, pid)}
	}
	return nil
}

// onDumpTracer runs f on a new OS thread of its own, locked for its
// whole life: ptrace requests must come from the thread that attached,
// and the thread ends with f (the kernel detaches whatever a dying
// tracer still traces), so no other goroutine ever runs as the tracer.
func onDumpTracer(f func()) {
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread exits with us
		defer close(done)
		f()
	}()
	<-done
}

// dumpSeizeAndRead attaches to pid, stops it, reads its filters and detaches.
// It runs on the tracer thread.
func dumpSeizeAndRead(pid int) ([]Filter, error) {
	if err := unix.PtraceSeize(pid); err != nil {
		return nil, dumpAttachError(pid, err)
	}
	sig, err := dumpInterrupt(pid)
	if err != nil {
		return nil, err
	}
	fs, rerr := dumpReadFilters(pid)
	// Detach in any case; a signal that arrived while we held the thread
	// is delivered as we leave.
	if err := dumpPtrace(unix.PTRACE_DETACH, pid, 0, uintptr(sig)); err != nil && rerr == nil && err != unix.ESRCH {
		rerr = &DumpError{Pid: pid, Op: "detach", Errno: dumpErrno(err), Msg: fmt.Sprintf("detaching from process %d: %v", pid, err)}
	}
	if rerr != nil {
		return nil, rerr
	}
	return fs, nil
}

// dumpInterrupt stops a seized thread and waits for the stop. It returns the
// signal to deliver on detach when the thread stopped for a signal
// rather than for the interrupt.
func dumpInterrupt(pid int) (syscall.Signal, error) {
	if err := unix.PtraceInterrupt(pid); err != nil {
		unix.PtraceDetach(pid)
		return 0, &DumpError{Pid: pid, Op: "interrupt", Errno: dumpErrno(err), Msg: fmt.Sprintf("stopping process %d (PTRACE_INTERRUPT): %v", pid, err)}
	}
	// A thread stops for the interrupt when it next returns to user
	// space or sleeps interruptibly; one stuck in the kernel (state D)
	// may not for long. Give up after dumpStopTimeout: the tracer thread
	// then exits, and the kernel detaches it.
	var ws unix.WaitStatus
	deadline := time.Now().Add(dumpStopTimeout)
	for delay := 100 * time.Microsecond; ; delay = min(2*delay, 50*time.Millisecond) {
		got, err := unix.Wait4(pid, &ws, unix.WALL|unix.WNOHANG, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.PtraceDetach(pid)
			return 0, &DumpError{Pid: pid, Op: "wait", Errno: dumpErrno(err), Msg: fmt.Sprintf("waiting for process %d to stop: %v", pid, err)}
		}
		if got == pid {
			break
		}
		if time.Now().After(deadline) {
			return 0, &DumpError{Pid: pid, Op: "wait", Errno: unix.ETIMEDOUT, Msg: fmt.Sprintf("process %d did not stop within %v (is it stuck in the kernel?)", pid, dumpStopTimeout)}
		}
		time.Sleep(delay)
	}
	switch {
	case ws.Exited() || ws.Signaled():
		return 0, &DumpError{Pid: pid, Op: "wait", Errno: unix.ESRCH, Msg: fmt.Sprintf("process %d ended before it could be read", pid)}
	case !ws.Stopped():
		unix.PtraceDetach(pid)
		return 0, &DumpError{Pid: pid, Op: "wait", Msg: fmt.Sprintf("process %d: unexpected wait status %#x", pid, uint32(ws))}
	}
	// A stop for the interrupt (or a group stop) is PTRACE_EVENT_STOP;
	// anything else is a signal-delivery stop whose signal must go on.
	if dumpPtraceEvent(ws) == unix.PTRACE_EVENT_STOP {
		return 0, nil
	}
	return ws.StopSignal(), nil
}

// dumpPtraceEvent is the PTRACE_EVENT_* of a ptrace stop (status>>16), 0 for
// a signal-delivery or syscall stop. Group stops of a seized tracee are
// PTRACE_EVENT_STOP with the stop signal, not SIGTRAP.
func dumpPtraceEvent(ws unix.WaitStatus) int { return int(uint32(ws)>>16) & 0xff }

// dumpStopTimeout bounds the wait for a thread to stop.
const dumpStopTimeout = 10 * time.Second

// dumpMetadata is struct seccomp_metadata.
type dumpMetadata struct {
	FilterOff uint64
	Flags     uint64
}

// dumpReadFilters reads every filter of a stopped tracee, oldest first.
func dumpReadFilters(pid int) ([]Filter, error) {
	var fs []Filter
	for i := 0; ; i++ {
		n, err := dumpPtraceRet(unix.PTRACE_SECCOMP_GET_FILTER, pid, uintptr(i), 0)
		switch {
		case err == unix.ENOENT && i == 0:
			return nil, &DumpError{Pid: pid, Op: "get filter", Err: ErrNoFilters, Errno: unix.ENOENT, Msg: fmt.Sprintf("process %d has no seccomp filters", pid)}
		case err == unix.ENOENT:
			// Past the oldest filter.
			st, serr := dumpReadStatus(pid)
			if serr == nil && st.filters >= 0 && st.filters != len(fs) {
				return nil, &DumpError{Pid: pid, Op: "get filter", Msg: fmt.Sprintf("process %d: read %d filters, but /proc/%d/status says Seccomp_filters: %d", pid, len(fs), pid, st.filters)}
			}
			return fs, nil
		case err == unix.EINVAL && i == 0:
			return nil, &DumpError{Pid: pid, Op: "get filter", Err: ErrNoFilters, Errno: unix.EINVAL, Msg: fmt.Sprintf("process %d has no seccomp filters", pid)}
		case err != nil:
			return nil, dumpGetFilterError(pid, i, err)
		}
		if n <= 0 || n > 0xffff {
			return nil, &DumpError{Pid: pid, Op: "get filter", Msg: fmt.Sprintf("process %d, filter %d: the kernel reports %d instructions", pid, i, n)}
		}
		prog := make([]bpf.RawInstruction, n)
		// bpf.RawInstruction has the layout of struct sock_filter.
		m, err := dumpPtraceRet(unix.PTRACE_SECCOMP_GET_FILTER, pid, uintptr(i), uintptr(unsafe.Pointer(&prog[0])))
		runtime.KeepAlive(prog)
		if err != nil {
			return nil, dumpGetFilterError(pid, i, err)
		}
		if m != n {
			return nil, &DumpError{Pid: pid, Op: "get filter", Msg: fmt.Sprintf("process %d, filter %d: %d instructions, then %d", pid, i, n, m)}
		}
		md := dumpMetadata{FilterOff: uint64(i)}
		if _, err := dumpPtraceRet(unix.PTRACE_SECCOMP_GET_METADATA, pid, unsafe.Sizeof(md), uintptr(unsafe.Pointer(&md))); err != nil {
			return nil, &DumpError{Pid: pid, Op: "get metadata", Errno: dumpErrno(err), Msg: fmt.Sprintf("process %d, filter %d: PTRACE_SECCOMP_GET_METADATA: %v", pid, i, err)}
		}
		fs = append(fs, Filter{Prog: prog, Log: md.Flags&uint64(FlagLog) != 0, Index: i})
	}
}

func dumpGetFilterError(pid, i int, err error) error {
	e := &DumpError{Pid: pid, Op: "get filter", Errno: dumpErrno(err)}
	switch err {
	case unix.EACCES:
		e.Msg = fmt.Sprintf("process %d: PTRACE_SECCOMP_GET_FILTER refused (EACCES): it needs CAP_SYS_ADMIN, and a caller that is not under seccomp itself", pid)
	case unix.EMEDIUMTYPE:
		e.Msg = fmt.Sprintf("process %d, filter %d is not a classic BPF program (EMEDIUMTYPE)", pid, i)
	default:
		e.Msg = fmt.Sprintf("process %d, filter %d: PTRACE_SECCOMP_GET_FILTER: %v", pid, i, err)
	}
	return e
}

// dumpAttachError explains a refused PTRACE_SEIZE.
func dumpAttachError(pid int, err error) error {
	e := &DumpError{Pid: pid, Op: "attach", Errno: dumpErrno(err)}
	switch err {
	case unix.ESRCH:
		e.Msg = fmt.Sprintf("no such process: %d", pid)
	case unix.EPERM:
		why := "ptrace needs CAP_SYS_PTRACE, or the same user as a process that is still dumpable"
		if b, rerr := os.ReadFile("/proc/sys/kernel/yama/ptrace_scope"); rerr == nil {
			switch s := strings.TrimSpace(string(b)); s {
			case "1":
				why += "; Yama ptrace_scope is 1: without CAP_SYS_PTRACE only descendants can be traced"
			case "2":
				why += "; Yama ptrace_scope is 2: only CAP_SYS_PTRACE may trace"
			case "3":
				why += "; Yama ptrace_scope is 3: no process may trace"
			}
		}
		if os.Geteuid() != 0 {
			why += "; reading filters also needs CAP_SYS_ADMIN (run as root)"
		}
		e.Msg = fmt.Sprintf("process %d: ptrace refused (EPERM): %s; or it is already traced", pid, why)
	default:
		e.Msg = fmt.Sprintf("process %d: PTRACE_SEIZE: %v", pid, err)
	}
	return e
}

func dumpErrno(err error) syscall.Errno {
	var e syscall.Errno
	if errors.As(err, &e) {
		return e
	}
	return 0
}

func dumpPtrace(req int, pid int, addr, data uintptr) error {
	_, err := dumpPtraceRet(req, pid, addr, data)
	return err
}

// dumpPtraceRet makes a ptrace request and returns what the kernel returned
// (x/sys/unix wraps only the requests whose result is 0).
func dumpPtraceRet(req int, pid int, addr, data uintptr) (int, error) {
	r, _, e := unix.Syscall6(unix.SYS_PTRACE, uintptr(req), uintptr(pid), addr, data, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}
