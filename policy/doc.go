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
// registers, so x32 comparisons see all 64 bits of the arguments the
// kernel reads as 64-bit values (an off_t, a pointer) and the low 32 bits
// of those it reads as 32-bit (an int fd, and the arguments of x32's
// compat calls 512 to 547, which it truncates: arch.Arch.Arg32), so that
// no high word a caller sets changes the decision (Policy.Lower).
// libseccomp 2.5.4 compares every x32 argument on its low word only;
// Policy.X32LowWord does the same, for filters that must decide as runc's
// do.
//
// Calls that an arch also offers through socketcall or ipc (i386, mips
// o32, ppc64, s390x) are matched on both paths, the way libseccomp does it:
// a rule on socket matches the direct socket syscall with its predicate,
// and socketcall with first argument exactly SYS_SOCKET with the predicate
// as MuxPredicate leaves it: conditions on arg0 dropped, the others
// compared with the multiplexer's own registers. Those hold something
// else than the call's arguments: socketcall's arg1 is the address of the
// real arguments (which a filter cannot read) and its arg2..arg5 are
// registers it ignores; ipc passes most arguments shifted by one register,
// some in other registers or behind a pointer (ipc/syscall.c, ksys_ipc).
// The parsers warn, per condition, what the filter compares on that path
// and what follows for the rule (never met, met whatever the arguments, or
// decided by registers the caller sets). They also warn where a call
// through the multiplexer escapes a rule: the kernel reads only the low 16
// bits of ipc's arg0 as the call (the next 16 are an interface version),
// and on 64-bit arches only the low 32 bits of socketcall's, while the
// filter compares all of arg0 with the call number.
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
//	          | "option" optname { [","] optname }
//	          | rule .
//	optname   = "x32-low-word" | "mux-whole-arg0" .
//	rule      = syscall { "," syscall } ":" body .
//	body      = action                        (unconditional)
//	          | expr [ "=>" action ]          (action defaults to allow)
//	          | "path" [ "not" ] "in" "{" string { "," string } "}" [ "=>" action ] .
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
// A string is written as in Go ("/etc/hosts", with \" and \\ escapes); a #
// inside one is not a comment.
//
// Path rules, "openat: path in {"/etc/safe.conf", "/usr/share/zoneinfo/**"}",
// decide on the file a call opens, which no filter can see: the filter
// sends those syscalls' calls to a supervisor that resolves the path,
// decides, opens the file itself and hands the caller the descriptor
// (cbpf exec runs one). They apply to open, openat, openat2 and creat;
// see paths.go ("Path rules") for the patterns and what a supervisor can
// carry out.
//
// Expressions nest at most MaxNesting levels ('!', parentheses, and the
// && and || they make), so that no input can exhaust the stack of the
// code that walks predicates.
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
// errno takes 0 to 4095 (MaxErrno): the kernel returns a larger value as
// 4095, so it is an error rather than a filter that answers something
// else than written; trap and trace take 0 to 65535.
//
// A syscall name must exist on some arch cbpf knows: a typo ("ptrce") is
// an error with a suggestion. A name some target arches lack is a warning
// naming them (the rule is skipped there), so that one policy can serve
// several arches. A rule on several syscalls makes one rule each, sharing
// one predicate (with named arguments, one per placement of them).
//
// arch names are any spelling arch.Lookup takes (x86_64, amd64, i386,
// SCMP_ARCH_AARCH64, an AUDIT_ARCH number); several arch lines add up.
// Without one (and without TextOptions.Arches or DefaultArches) the policy
// targets no arch, on every machine: constants cannot be resolved, and
// compile.Compile refuses it. A file needs one default line;
// bad-arch defaults to kill_process.
//
// option lines set the Policy fields that make the filter decide as
// libseccomp 2.5.4's do, wherever they are in the file: x32-low-word
// (Policy.X32LowWord: x32 arguments compared on their low 32 bits) and
// mux-whole-arg0 (Policy.MuxWholeArg0: the whole of socketcall's and ipc's
// arg0 compared with the call number). Policy.String prints them, one a
// line, so that a policy read from an OCI profile with those options (or
// cbpf's --x32-low-word and --mux-whole-arg0) prints as text that
// compiles to the same filter.
//
// A named argument is one of the kernel's parameter names for the rule's
// syscall (socket: family type protocol; openat: dfd filename flags mode;
// see argnames.go); a rule on several syscalls resolves it for each.
// A masked test compares with == only: write !((arg & MASK) == VALUE) for
// the opposite.
//
// Errors carry file:line:col, a diag.Code, and say what was expected.
// ParseText reads on past a bad line (a statement is one line) and
// returns a diag.List with the errors of every bad line, at most
// diag.MaxErrors and then a "too many errors" one; ParseOCI does the same
// per syscalls entry, its positions followed by the JSON path
// ("p.json:12:5: syscalls[3].args[0].op"). Warnings, also positioned, report syscalls a target arch
// lacks, comparisons that never hold (arg0 < 0, a masked value outside its
// mask), what the filter compares on the socketcall/ipc paths, and 64-bit
// constants that 32-bit arches compare by their low half; past 1000 of
// them the last says how many more there are.
//
// Memory and time are linear in the size of the file: tokens are made as
// the parser needs them, and the source is not kept.
//
// Policy.String prints the normalised form ParseText reads back: one rule a
// line (rules that share their predicate, from one line, stay on one
// line), arguments as argN, constants by the names they were written with.
//
// # Docker and OCI profiles
//
// ParseOCI reads a Docker/OCI seccomp profile and behaves as runc with
// libseccomp does: see its documentation.
package policy
