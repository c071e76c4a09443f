package seccomp

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/verify"
)

// Flag is a set of SECCOMP_FILTER_FLAG_* bits, with the kernel's values.
type Flag uint

// The filter flags seccomp(2) knows, with the Linux version that added each.
const (
	FlagTSync            Flag = 1 << 0 // SECCOMP_FILTER_FLAG_TSYNC (3.17): every thread or none
	FlagLog              Flag = 1 << 1 // SECCOMP_FILTER_FLAG_LOG (4.14): audit-log every action but ALLOW
	FlagSpecAllow        Flag = 1 << 2 // SECCOMP_FILTER_FLAG_SPEC_ALLOW (4.17): no speculative-store-bypass mitigation
	FlagNewListener      Flag = 1 << 3 // SECCOMP_FILTER_FLAG_NEW_LISTENER (5.0): return a user-notification fd
	FlagTSyncESRCH       Flag = 1 << 4 // SECCOMP_FILTER_FLAG_TSYNC_ESRCH (5.7): a TSYNC failure is ESRCH, not a TID
	FlagWaitKillableRecv Flag = 1 << 5 // SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (5.19): notified targets wait killably
)

// flagInfo names each flag three ways (the command-line name, the kernel's
// name, the version that added it) for messages and ParseFlag.
var flagInfo = []struct {
	flag        Flag
	name, kname string
	since       string
}{
	{FlagTSync, "tsync", "SECCOMP_FILTER_FLAG_TSYNC", "3.17"},
	{FlagLog, "log", "SECCOMP_FILTER_FLAG_LOG", "4.14"},
	{FlagSpecAllow, "spec_allow", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "4.17"},
	{FlagNewListener, "new_listener", "SECCOMP_FILTER_FLAG_NEW_LISTENER", "5.0"},
	{FlagTSyncESRCH, "tsync_esrch", "SECCOMP_FILTER_FLAG_TSYNC_ESRCH", "5.7"},
	{FlagWaitKillableRecv, "wait_killable_recv", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "5.19"},
}

// allFlags is every bit Install knows.
const allFlags = FlagTSync | FlagLog | FlagSpecAllow | FlagNewListener | FlagTSyncESRCH | FlagWaitKillableRecv

// String names the set bits, e.g. "tsync|new_listener", and any unknown
// rest in hex; "0" for none.
func (f Flag) String() string {
	if f == 0 {
		return "0"
	}
	var parts []string
	for _, fi := range flagInfo {
		if f&fi.flag != 0 {
			parts = append(parts, fi.name)
			f &^= fi.flag
		}
	}
	if f != 0 {
		parts = append(parts, fmt.Sprintf("0x%x", uint(f)))
	}
	return strings.Join(parts, "|")
}

// ParseFlag returns the flag of a name: the command-line name ("tsync",
// "new_listener", ...), the kernel's (SECCOMP_FILTER_FLAG_TSYNC), either
// case.
func ParseFlag(name string) (Flag, error) {
	var names []string
	for _, fi := range flagInfo {
		if strings.EqualFold(name, fi.name) || strings.EqualFold(name, fi.kname) {
			return fi.flag, nil
		}
		names = append(names, fi.name)
	}
	return 0, fmt.Errorf("unknown seccomp filter flag %q; known: %s", name, strings.Join(names, ", "))
}

// Options says how Install installs a filter.
type Options struct {
	// Flags are passed to seccomp(2). FlagTSync is added unless
	// ThisThreadOnly is set; with it, FlagNewListener needs FlagTSyncESRCH
	// (the kernel could not tell a listener fd from a thread ID), which
	// Install adds itself when it added FlagTSync.
	Flags Flag
	// ThisThreadOnly installs the filter on the calling OS thread only.
	// The caller must hold the thread with runtime.LockOSThread for as
	// long as the filter is to apply to its goroutine, and should never
	// unlock it: an unlocked thread returns to the runtime's pool and
	// would run other goroutines filtered.
	ThisThreadOnly bool
	// KeepPrivileges leaves PR_SET_NO_NEW_PRIVS unset, so setuid and file
	// capabilities keep working under the filter. The kernel then
	// requires CAP_SYS_ADMIN (in the caller's user namespace).
	KeepPrivileges bool
}

// Error is an Install that failed. Nothing was installed.
type Error struct {
	// Op is the step that failed: "verify", "flags", "prctl(PR_SET_NO_NEW_PRIVS)",
	// "seccomp(SECCOMP_SET_MODE_FILTER)" or "prctl(PR_SET_SECCOMP)".
	Op string
	// Errno is the kernel's error, 0 if the step was not a syscall.
	Errno syscall.Errno
	// TID is the thread TSYNC could not synchronise, 0 if unknown.
	TID int
	// Diagnostics are the verifier's reasons to reject the program.
	Diagnostics []verify.Diagnostic
	Msg         string
}

func (e *Error) Error() string { return "seccomp: " + e.Msg }

// Unwrap makes errors.Is see the errno and ErrThreadSync.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Errno != 0 {
		errs = append(errs, e.Errno)
	}
	if e.Op == opSeccomp && (e.TID != 0 || e.Errno == unix.ESRCH) {
		errs = append(errs, ErrThreadSync)
	}
	return errs
}

// ErrThreadSync is what an Error wraps when TSYNC found a thread that
// could not take the filter.
var ErrThreadSync = errors.New("a thread could not be synchronised")

const (
	opVerify  = "verify"
	opFlags   = "flags"
	opNNP     = "prctl(PR_SET_NO_NEW_PRIVS)"
	opSeccomp = "seccomp(SECCOMP_SET_MODE_FILTER)"
	opPrctl   = "prctl(PR_SET_SECCOMP)"
)

// Install verifies prog (verify.KernelCheck, seccomp mode) and installs it
// as a seccomp filter of the calling process (every thread, see Options).
// With FlagNewListener it returns the user-notification fd (close-on-exec,
// as the kernel makes it); otherwise nil.
//
// A program the kernel would reject, a flag the kernel lacks or a
// contradictory set of flags is refused before anything changes. Install
// sets no_new_privs and installs the filter on a thread of its own; if the
// kernel still refuses (a thread TSYNC cannot synchronise, too many
// instructions across stacked filters, a second listener), that thread
// exits so its no_new_privs goes with it. With ThisThreadOnly both happen
// on the caller's thread, which keeps no_new_privs in that case.
func Install(prog []bpf.RawInstruction, opts Options) (listener *os.File, err error) {
	if ds := verify.KernelCheck(prog, verify.Seccomp); len(ds) > 0 {
		msgs := make([]string, len(ds))
		for i, d := range ds {
			msgs[i] = d.String()
		}
		return nil, &Error{Op: opVerify, Diagnostics: ds,
			Msg: "the kernel would reject the program (" + strings.Join(msgs, "; ") + "); nothing installed"}
	}
	flags, err := effectiveFlags(opts)
	if err != nil {
		return nil, err
	}
	if opts.ThisThreadOnly {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread() // the caller's own lock stays
		return install(prog, flags, opts.KeepPrivileges)
	}
	type result struct {
		f   *os.File
		err error
	}
	done := make(chan result)
	go func() {
		runtime.LockOSThread()
		f, err := install(prog, flags, opts.KeepPrivileges)
		if err == nil {
			// Every thread has the filter now (TSYNC); this one is
			// like any other.
			runtime.UnlockOSThread()
		}
		// On failure the goroutine ends locked: the runtime ends the
		// thread, and the no_new_privs it may have set.
		done <- result{f, err}
	}()
	r := <-done
	return r.f, r.err
}

// Effective returns the flags Install passes to seccomp(2) for these
// options (FlagTSync added, and so on), or why it refuses them.
func (o Options) Effective() (Flag, error) { return effectiveFlags(o) }

// effectiveFlags adds TSYNC (and TSYNC_ESRCH where the kernel needs it) and
// refuses the combinations the kernel refuses, with the reason.
func effectiveFlags(opts Options) (Flag, error) {
	flags := opts.Flags
	if bad := flags &^ allFlags; bad != 0 {
		return 0, &Error{Op: opFlags, Msg: fmt.Sprintf("unknown filter flag bits 0x%x", uint(bad))}
	}
	if opts.ThisThreadOnly {
		if flags&(FlagTSync|FlagTSyncESRCH) != 0 {
			return 0, &Error{Op: opFlags, Msg: fmt.Sprintf("ThisThreadOnly contradicts %v: TSYNC installs on every thread", flags&(FlagTSync|FlagTSyncESRCH))}
		}
	} else {
		if flags&FlagTSync == 0 {
			flags |= FlagTSync
			if flags&FlagNewListener != 0 {
				flags |= FlagTSyncESRCH
			}
		}
	}
	// kernel/seccomp.c, seccomp_set_mode_filter: both refused with EINVAL.
	if flags&FlagTSync != 0 && flags&FlagNewListener != 0 && flags&FlagTSyncESRCH == 0 {
		return 0, &Error{Op: opFlags, Msg: "FlagTSync with FlagNewListener needs FlagTSyncESRCH: the kernel returns a listener fd or the ID of a thread it could not synchronise and refuses a combination where the two cannot be told apart"}
	}
	if flags&FlagWaitKillableRecv != 0 && flags&FlagNewListener == 0 {
		return 0, &Error{Op: opFlags, Msg: "FlagWaitKillableRecv needs FlagNewListener: it changes how targets wait for a listener"}
	}
	if flags&FlagTSyncESRCH != 0 && flags&FlagTSync == 0 {
		return 0, &Error{Op: opFlags, Msg: "FlagTSyncESRCH means nothing without FlagTSync"}
	}
	return flags, nil
}

// install runs on a locked OS thread.
func install(prog []bpf.RawInstruction, flags Flag, keepPrivs bool) (*os.File, error) {
	// Ask for the flags with no program first: an unknown flag is
	// EINVAL, known ones fail on the NULL pointer (EFAULT), and nothing
	// has changed yet.
	useSeccomp := true
	switch e := setModeFilter(flags, nil); e {
	case unix.EFAULT:
	case unix.ENOSYS:
		if flags != 0 {
			return nil, &Error{Op: opSeccomp, Errno: e, Msg: fmt.Sprintf("this kernel has no seccomp(2) (it came in Linux 3.17), and the prctl(PR_SET_SECCOMP) fallback takes no flags: %v cannot be honoured (use Options.ThisThreadOnly and no Flags, or a newer kernel)", flags)}
		}
		useSeccomp = false
	case unix.EINVAL:
		return nil, flagsError(flags)
	default:
		return nil, &Error{Op: opSeccomp, Errno: e, Msg: fmt.Sprintf("probing flags %v: %v", flags, e)}
	}
	if !keepPrivs {
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			e, _ := err.(syscall.Errno)
			return nil, &Error{Op: opNNP, Errno: e, Msg: fmt.Sprintf("prctl(PR_SET_NO_NEW_PRIVS): %v", err)}
		}
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: (*unix.SockFilter)(unsafe.Pointer(&prog[0]))}
	if !useSeccomp {
		_, _, e := unix.Syscall6(unix.SYS_PRCTL, unix.PR_SET_SECCOMP, unix.SECCOMP_MODE_FILTER, uintptr(unsafe.Pointer(&fprog)), 0, 0, 0)
		runtime.KeepAlive(prog)
		runtime.KeepAlive(&fprog)
		if e != 0 {
			return nil, installErrno(opPrctl, e, 0, keepPrivs)
		}
		return nil, nil
	}
	r, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, uintptr(flags), uintptr(unsafe.Pointer(&fprog)))
	runtime.KeepAlive(prog)
	runtime.KeepAlive(&fprog)
	if e != 0 {
		return nil, installErrno(opSeccomp, e, flags, keepPrivs)
	}
	if flags&FlagNewListener != 0 {
		return os.NewFile(r, "seccomp-listener"), nil
	}
	if r != 0 {
		// TSYNC without NEW_LISTENER: the ID of the thread that could
		// not be synchronised; nothing was installed.
		tid := int(r)
		return nil, &Error{Op: opSeccomp, TID: tid, Msg: fmt.Sprintf("thread %d could not be synchronised: it has a different filter or seccomp mode (%s); nothing installed", tid, threadSeccomp(tid))}
	}
	return nil, nil
}

// setModeFilter calls seccomp(SECCOMP_SET_MODE_FILTER, flags, fprog) and
// returns its errno (0 on success; the caller must not pass a program
// it does not mean to install).
func setModeFilter(flags Flag, fprog *unix.SockFprog) syscall.Errno {
	_, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, uintptr(flags), uintptr(unsafe.Pointer(fprog)))
	return e
}

// flagsError explains an EINVAL for flags on their own: the first flag
// the kernel lacks, or the combination it refuses.
func flagsError(flags Flag) error {
	for _, fi := range flagInfo {
		if flags&fi.flag == 0 {
			continue
		}
		if err := FlagSupported(fi.flag); err != nil {
			var pe *FeatureError
			if errors.As(err, &pe) {
				return &Error{Op: opFlags, Errno: unix.EINVAL, Msg: pe.Error()}
			}
			return err
		}
	}
	return &Error{Op: opFlags, Errno: unix.EINVAL, Msg: fmt.Sprintf("the kernel refuses flags %v together (EINVAL), though it knows each", flags)}
}

// installErrno explains why the kernel refused an install.
func installErrno(op string, e syscall.Errno, flags Flag, keepPrivs bool) error {
	var why string
	switch e {
	case unix.EACCES:
		if keepPrivs {
			why = "installing a filter needs no_new_privs or CAP_SYS_ADMIN in the caller's user namespace: KeepPrivileges left no_new_privs unset and this process lacks CAP_SYS_ADMIN"
		} else {
			why = "installing a filter needs no_new_privs or CAP_SYS_ADMIN, and the kernel saw neither"
		}
	case unix.ESRCH:
		if flags&FlagTSync != 0 {
			return &Error{Op: op, Errno: e, Msg: "a thread could not be synchronised: it has a different filter or seccomp mode (with TSYNC_ESRCH the kernel does not say which" + otherThreads() + "); nothing installed"}
		}
	case unix.ENOMEM:
		why = "the filters of this thread together would exceed the kernel's limit of 32768 instructions (counted after the kernel's conversion of each filter to eBPF, where a ret takes 2 and a conditional jump 1 or 2, plus 4 per filter), or the kernel is out of memory"
	case unix.EBUSY:
		why = "a filter with a user-notification listener is already installed in this process's chain: the kernel allows one listener per chain"
	case unix.EINVAL:
		why = "the kernel rejects the program or the request although the verifier accepts it (is the thread in strict seccomp mode?)"
	case unix.EMFILE, unix.ENFILE:
		why = "no file descriptor is left for the listener"
	}
	if why == "" {
		why = e.Error()
	}
	return &Error{Op: op, Errno: e, Msg: fmt.Sprintf("%s: %s (%s); nothing installed", op, why, errnoName(e))}
}

// threadSeccomp describes a thread's seccomp state from
// /proc/self/task/TID/status, for the TSYNC error.
func threadSeccomp(tid int) string {
	mode, n, err := taskSeccomp(fmt.Sprintf("/proc/self/task/%d/status", tid))
	if err != nil {
		return "its state is unknown: " + err.Error()
	}
	return fmt.Sprintf("Seccomp: %s, Seccomp_filters: %s", mode, n)
}

// otherThreads lists the threads whose seccomp state differs from the
// calling thread's, which is what TSYNC refuses.
func otherThreads() string {
	self := unix.Gettid()
	myMode, myN, err := taskSeccomp(fmt.Sprintf("/proc/self/task/%d/status", self))
	if err != nil {
		return ""
	}
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return ""
	}
	var diff []string
	for _, ent := range ents {
		mode, n, err := taskSeccomp("/proc/self/task/" + ent.Name() + "/status")
		if err == nil && (mode != myMode || n != myN) {
			diff = append(diff, fmt.Sprintf("thread %s has Seccomp: %s, Seccomp_filters: %s", ent.Name(), mode, n))
		}
	}
	if len(diff) == 0 {
		return ""
	}
	return "; " + strings.Join(diff, "; ")
}

// taskSeccomp reads the Seccomp and Seccomp_filters lines of a status file.
func taskSeccomp(path string) (mode, filters string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", err
	}
	mode, filters = "?", "?"
	for line := range strings.SplitSeq(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch k {
		case "Seccomp":
			mode = strings.TrimSpace(v)
		case "Seccomp_filters":
			filters = strings.TrimSpace(v)
		}
	}
	return mode, filters, nil
}

func errnoName(e syscall.Errno) string {
	if e == unix.EOPNOTSUPP {
		return "EOPNOTSUPP" // the kernel's name; ErrnoName says ENOTSUP, the same value
	}
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return fmt.Sprintf("errno %d", int(e))
}
