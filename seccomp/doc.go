// Package seccomp is the kernel side of cbpf: it installs seccomp filters
// from Go with every flag the kernel offers, probes what the running kernel
// supports, and runs a command under a filter. It exists only on Linux; on
// other systems the package is empty.
//
// # Installing
//
// Install checks a program with the project's verifier (verify.KernelCheck
// in seccomp mode) and only then hands it to seccomp(2): a program the
// kernel would reject is refused with the verifier's reason, and nothing is
// installed. An installed filter cannot be removed; it stays for the life of
// the process and is inherited by every child, across fork and execve.
//
// The safety rules Install follows:
//
//   - PR_SET_NO_NEW_PRIVS first. The kernel lets a task without
//     CAP_SYS_ADMIN install a filter only once no_new_privs is set, so that a
//     filter cannot make a setuid program misbehave (execve no longer grants
//     privileges). Options.KeepPrivileges skips it for callers that hold
//     CAP_SYS_ADMIN and want setuid programs to work under the filter.
//   - Every thread, by default. A seccomp filter belongs to a thread, and the
//     Go runtime runs goroutines on many OS threads it picks itself: a filter
//     on one thread only would leave the goroutines that run elsewhere
//     unfiltered. Install therefore adds SECCOMP_FILTER_FLAG_TSYNC, which
//     makes the kernel put the filter on every thread of the process or on
//     none; if a thread cannot take it (it already has another filter that
//     is not an ancestor of the caller's) the error names that thread.
//     Options.ThisThreadOnly installs on the calling thread only, for
//     callers that have pinned their goroutine with runtime.LockOSThread and
//     keep that thread to themselves (the filter dies with the thread).
//   - Never in your own test process. A filter is irreversible, so tests
//     (this package's included) install filters only in child processes:
//     the test binary re-executes itself and does the work there.
//
// Where seccomp(2) does not exist (Linux before 3.17) Install falls back to
// prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER), which takes no flags: on such
// kernels it works only with ThisThreadOnly and no Flags.
//
// # Probing
//
// ActionAvailable asks the kernel (SECCOMP_GET_ACTION_AVAIL) whether it
// knows a return action, NotifSizes reads the sizes of the user-notification
// structures (SECCOMP_GET_NOTIF_SIZES), and FlagSupported whether a filter
// flag is known. Their errors name the feature and the Linux version that
// introduced it.
//
// # Running a command under a filter
//
// Go cannot run code between fork and execve, so Launch re-executes the
// current binary (/proc/self/exe) with a marker in its environment; the
// program's main must call MaybeLaunched first thing. In that child,
// MaybeLaunched reads the filter from an inherited pipe, resolves the
// command on PATH, installs the filter and calls execve at once, so nothing
// of the launcher's own start-up runs filtered. A listener fd (a filter with
// FlagNewListener) comes back to the parent over a unix socket, ready to be
// served by a supervisor. Process.Wait reports how the command ended; a
// death by SIGSYS is explained with the syscall that caused it, from the
// kernel's audit record when there is one.
package seccomp
