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
// served by a supervisor. Process.Wait reports how the command ended.
//
// A death by SIGSYS is explained with the syscall that caused it, from the
// kernel's audit record of the seccomp action (type 1326, AUDIT_SECCOMP:
// pid, arch, syscall number, action), which Launch starts watching before
// the child exists: on the audit netlink socket's read-only multicast group
// (needs CAP_AUDIT_READ; not every kernel or namespace delivers it), and in
// the kernel log /dev/kmsg (needs CAP_SYSLOG where kernel.dmesg_restrict
// is 1). The kernel records KILL_PROCESS, KILL_THREAD and LOG always, the
// other actions (TRAP among them) only for filters with FlagLog; and kauditd
// prints at most 10 records every 5 seconds to the kernel log, so under a
// flood of them a record can be lost. Without a record, Exit says why, and
// lists the calls the filter sends SIGSYS for (with zero arguments).//
// # User notifications
//
// A filter installed with FlagNewListener answers some calls with
// SECCOMP_RET_USER_NOTIF: the calling thread blocks until a supervisor,
// reading the listener fd, answers for it. Listener receives the
// notifications (struct sizes from SECCOMP_GET_NOTIF_SIZES, never from
// headers) and answers them (Respond with ReturnValue, ReturnErrno,
// ReturnFD or ContinueSyscall); Supervise and StartSupervisor serve a
// listener with a Handler from a bounded pool of goroutines, each
// notification answered exactly once, and end without leaking goroutines
// or descriptors.
//
// The API makes the kernel's discipline (seccomp_unotify(2), NOTES) the
// easy path. ReadMem and ReadString always check
// SECCOMP_IOCTL_NOTIF_ID_VALID before returning what they read, since the
// target may have died and its pid been reused. A decision on a pointer
// argument is carried out by the supervisor itself: the man page warns of
// SECCOMP_USER_NOTIF_FLAG_CONTINUE that "there is a time-of-check,
// time-of-use race here, since an attacker could exploit the interval of
// time where the target is blocked waiting on the "continue" response to
// do things such as rewriting the system call arguments". PathHandler
// therefore resolves an open's path from the target's cwd or dirfd (no
// symlink or ".." leads out of what is allowed: the rules see the real
// path), opens the file itself with the target's credentials, and injects
// the descriptor with ReturnFD (SECCOMP_IOCTL_NOTIF_ADDFD with
// SECCOMP_ADDFD_FLAG_SEND, Linux 5.14), whose number the call returns.
// Its rules are patterns, or a Decide function (cbpf exec decides with
// the policy's path rules, policy.Eval on the real path).
//
// Linux 6.18 has a race there: a signal that interrupts the supervisor's
// ADDFD with SEND after the kernel queued the descriptor withdraws it but
// leaves the call answered, and the target's open returns 0. AddFD blocks
// signals on its thread for that ioctl.
//
// SendToAgent hands a listener to a seccomp agent the way OCI runtimes do
// for a profile's listenerPath.
//
// # Reading a process's filters
//
// Filters reads every filter of a live thread with
// PTRACE_SECCOMP_GET_FILTER and PTRACE_SECCOMP_GET_METADATA, attaching with
// PTRACE_SEIZE and PTRACE_INTERRUPT from one locked OS thread; it needs
// ptrace access and CAP_SYS_ADMIN, and its errors say which is missing.
// The kernel numbers a thread's filters from the oldest (index 0, contrary
// to ptrace(2), which calls index 0 the most recent): Filters returns them
// in that order, the order they were installed. Filters belong to threads;
// filters installed with TSYNC are the same on every thread. Catch runs a
// command under ptrace and reads its filters after each install and as its
// processes exit. verify.Stack combines a stack into the one program that
// decides as the kernel does.
package seccomp
