// Package policy is what a seccomp filter is compiled from: a default
// action, target arches, and rules (syscall, predicate on the arguments,
// action), with Eval, the reference semantics the compiler is tested
// against. Policies come from Go code, from the policy language (ParseText)
// or from Docker/OCI seccomp profiles (ParseOCI).
//
// # Semantics
//
// See Eval for the exact rules. In short: calls from an arch (or, on
// x86_64, the x32 ABI) the policy does not target get BadArch; a number the
// arch's table does not name gets Default; otherwise every rule for that
// syscall whose predicate holds matches, and of those the most restrictive
// action wins, in the kernel's order (KILL_PROCESS, KILL_THREAD, TRAP,
// ERRNO, USER_NOTIF, TRACE, LOG, ALLOW; lower data first among equals). No
// matching rule: Default.
//
// Arguments are 64-bit and compared unsigned; a 32-bit comparison looks at
// the low half only. On 32-bit arches (x86, arm, mips o32) every
// comparison is 32-bit, since the kernel passes 32-bit arguments there.
// x32 is not one of them: its calls enter the kernel with 64-bit
// registers, so x32 comparisons see all 64 bits (write (u32)arg1 for a
// low-word test). libseccomp 2.5.4 compares x32 arguments on their low
// word only; Policy.X32LowWord does the same, for filters that must
// decide as runc's do.
//
// Calls that an arch also offers through socketcall or ipc (i386, mips
// o32, ppc64, s390x) are matched on both paths, the way libseccomp does it:
// a rule on socket matches the direct socket syscall with its predicate,
// and socketcall with first argument SYS_SOCKET with the predicate as
// MuxPredicate leaves it (conditions on arg0 dropped, the others compared
// with socketcall's own arguments; the real arguments are behind a
// pointer a filter cannot follow).
//
// # The policy language
//
// One statement a line; # starts a comment. In the spirit of the original
// seccomp filter proposal, a rule is "syscall: predicate", and the call is
// allowed when the predicate holds:
//
//	# A small service.
//	default errno(EPERM)
//	arch x86_64 aarch64
//	read, write, close, exit_group: allow
//	openat: (arg2 & O_ACCMODE) == O_RDONLY
//	socket: arg0 == AF_INET || arg0 == AF_INET6
//	socket: arg0 == AF_NETLINK => errno(EAFNOSUPPORT)
//	ptrace: kill_process
//	ioctl: (u32)arg1 == TCGETS
//
// Grammar (EBNF; tokens are separated by blanks, newlines end statements):
//
//	file      = { [ statement ] [ comment ] newline } .
//	statement = "default" action
//	          | "bad-arch" action
//	          | "arch" archname { [","] archname }
//	          | rule .
//	rule      = syscall { "," syscall } ":" body .
//	body      = action                        (unconditional)
//	          | expr [ "=>" action ] .        (action defaults to allow)
//	expr      = and { "||" and } .
//	and       = unary { "&&" unary } .
//	unary     = "!" unary | "(" expr ")" | "true" | "false" | compare .
//	compare   = arg relop value
//	          | "(" arg "&" value ")" "==" value .   (masked equality)
//	arg       = [ "(u32)" ] argname .
//	argname   = "arg0" … "arg5" | "args[" digit "]" | a named argument .
//	relop     = "==" | "!=" | "<" | "<=" | ">" | ">=" .
//	value     = term { "|" term } .
//	term      = number | "-" number | CONSTANT | "(" value ")" .
//	action    = "allow" | "log" | "kill_process" | "kill_thread" | "kill"
//	          | "user_notif" | "notify" | "errno" "(" value ")"
//	          | "trap" [ "(" value ")" ] | "trace" [ "(" value ")" ] .
//
// Numbers are decimal, 0x hex, 0o or leading-0 octal, or 0b binary; a
// negative number is two's complement in the comparison's width (so
// arg0 == -100 is 0xffffffffffffff9c, AT_FDCWD in a 64-bit argument).
// CONSTANT is a Linux constant name (AF_INET, O_RDONLY, PROT_EXEC, EPERM,
// CLONE_NEWUSER, TCGETS, SIGKILL, FUTEX_WAIT, PER_LINUX, ...; the table,
// consts.txt, is generated from golang.org/x/sys/unix). Some constants
// differ between arches (O_DIRECTORY, MAP_ANONYMOUS, TCGETS, SO_*, errnos
// on mips): a name takes its value on the policy's target arches, known
// once the whole file is read, and one that differs between two targets
// is an error: write one policy per arch, or the number. kill is
// kill_thread, as in libseccomp; notify is user_notif; false never holds.
//
// arch names are any spelling arch.Lookup takes (x86_64, amd64, i386,
// SCMP_ARCH_AARCH64, an AUDIT_ARCH number); several arch lines add up.
// Without one the policy targets the host. A file needs one default line;
// bad-arch defaults to kill_process.
//
// A named argument is one of the kernel's parameter names for the rule's
// syscall (socket: family type protocol; openat: dfd filename flags mode;
// see argnames.go); a rule on several syscalls resolves it for each.
// A masked test compares with == only: write !((arg & MASK) == VALUE) for
// the opposite.
//
// Errors carry file:line:col and say what was expected. Warnings, also
// positioned, report syscalls a target arch lacks, rules that never match
// (arg0 < 0, a masked value outside its mask), argument tests that the
// socketcall/ipc path cannot apply, and 64-bit constants that 32-bit
// arches compare by their low half.
//
// Policy.String prints the normalised form ParseText reads back: one rule a
// line, arguments as argN, constants by the names they were written with.
//
// # Docker and OCI profiles
//
// ParseOCI reads a Docker/OCI seccomp profile and behaves as runc with
// libseccomp does: see its documentation.
package policy
