package policy

import (
	"sort"
	"strings"
	"sync"

	"github.com/cbpfkit/cbpf/arch"
)

// A family is the set of Linux constants one argument of a syscall takes,
// as the kernel's uapi headers define them for that argument: fcntl's
// commands, prctl's options, socket's address families. Names are chosen
// by argument, never by prefix: fcntl's F_SEAL_* seals and F_RDLCK lock
// types share the F_ prefix with its commands but not their meaning, and
// prctl's PR_SET_MM_* and PR_CAP_AMBIENT_* are values of its second
// argument, not options.
type family struct {
	what string
	// names are the family's values. Where several name one value on an
	// arch (AF_UNIX, AF_LOCAL), the first listed is the one shown.
	names []string
	// flags may be ORed onto a value (socket's type takes SOCK_CLOEXEC):
	// a value that is one of names with some of these bits set reads
	// "SOCK_STREAM|SOCK_CLOEXEC".
	flags []string
	// rule, when set, computes names from the constants table.
	rule func() []string
	// aliases lists names that are another name of the family's on some
	// arches (F_GETLK64 is F_GETLK on 64-bit ones): the only names that
	// may share a value.
	aliases map[string]string
}

var (
	// fcntl(2) commands: include/uapi/asm-generic/fcntl.h and
	// include/uapi/linux/fcntl.h (mips: arch/mips/include/uapi/asm/fcntl.h).
	// Not the lock types (F_RDLCK), seals (F_SEAL_*), owner types
	// (F_OWNER_*), lockf's F_LOCK.. or access's F_OK.
	famFcntl = &family{what: "fcntl command", names: []string{
		"F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL",
		"F_GETLK", "F_SETLK", "F_SETLKW", "F_SETOWN", "F_GETOWN",
		"F_SETSIG", "F_GETSIG", "F_GETLK64", "F_SETLK64", "F_SETLKW64",
		"F_SETOWN_EX", "F_GETOWN_EX", "F_GETOWNER_UIDS",
		"F_OFD_GETLK", "F_OFD_SETLK", "F_OFD_SETLKW",
		"F_SETLEASE", "F_GETLEASE", "F_NOTIFY", "F_DUPFD_QUERY",
		"F_CREATED_QUERY", "F_CANCELLK", "F_DUPFD_CLOEXEC",
		"F_SETPIPE_SZ", "F_GETPIPE_SZ", "F_ADD_SEALS", "F_GET_SEALS",
		"F_GET_RW_HINT", "F_SET_RW_HINT", "F_GET_FILE_RW_HINT",
		"F_SET_FILE_RW_HINT", "F_GETDELEG", "F_SETDELEG",
	}, aliases: map[string]string{"F_GETLK64": "F_GETLK", "F_SETLK64": "F_SETLK", "F_SETLKW64": "F_SETLKW"}}

	// prctl(2) options: include/uapi/linux/prctl.h's top-level PR_*
	// codes, not the values of their second argument.
	famPrctl = &family{what: "prctl option", names: []string{
		"PR_SET_PDEATHSIG", "PR_GET_PDEATHSIG", "PR_GET_DUMPABLE", "PR_SET_DUMPABLE",
		"PR_GET_UNALIGN", "PR_SET_UNALIGN", "PR_GET_KEEPCAPS", "PR_SET_KEEPCAPS",
		"PR_GET_FPEMU", "PR_SET_FPEMU", "PR_GET_FPEXC", "PR_SET_FPEXC",
		"PR_GET_TIMING", "PR_SET_TIMING", "PR_SET_NAME", "PR_GET_NAME",
		"PR_GET_ENDIAN", "PR_SET_ENDIAN", "PR_GET_SECCOMP", "PR_SET_SECCOMP",
		"PR_CAPBSET_READ", "PR_CAPBSET_DROP", "PR_GET_TSC", "PR_SET_TSC",
		"PR_GET_SECUREBITS", "PR_SET_SECUREBITS", "PR_SET_TIMERSLACK", "PR_GET_TIMERSLACK",
		"PR_TASK_PERF_EVENTS_DISABLE", "PR_TASK_PERF_EVENTS_ENABLE",
		"PR_MCE_KILL", "PR_MCE_KILL_GET", "PR_SET_MM",
		"PR_SET_CHILD_SUBREAPER", "PR_GET_CHILD_SUBREAPER",
		"PR_SET_NO_NEW_PRIVS", "PR_GET_NO_NEW_PRIVS", "PR_GET_TID_ADDRESS",
		"PR_SET_THP_DISABLE", "PR_GET_THP_DISABLE",
		"PR_MPX_ENABLE_MANAGEMENT", "PR_MPX_DISABLE_MANAGEMENT",
		"PR_SET_FP_MODE", "PR_GET_FP_MODE", "PR_CAP_AMBIENT",
		"PR_SVE_SET_VL", "PR_SVE_GET_VL",
		"PR_GET_SPECULATION_CTRL", "PR_SET_SPECULATION_CTRL", "PR_PAC_RESET_KEYS",
		"PR_SET_TAGGED_ADDR_CTRL", "PR_GET_TAGGED_ADDR_CTRL",
		"PR_SET_IO_FLUSHER", "PR_GET_IO_FLUSHER", "PR_SET_SYSCALL_USER_DISPATCH",
		"PR_PAC_SET_ENABLED_KEYS", "PR_PAC_GET_ENABLED_KEYS", "PR_SCHED_CORE",
		"PR_SME_SET_VL", "PR_SME_GET_VL", "PR_SET_MDWE", "PR_GET_MDWE",
		"PR_SET_MEMORY_MERGE", "PR_GET_MEMORY_MERGE",
		"PR_RISCV_V_SET_CONTROL", "PR_RISCV_V_GET_CONTROL", "PR_RISCV_SET_ICACHE_FLUSH_CTX",
		"PR_PPC_GET_DEXCR", "PR_PPC_SET_DEXCR",
		"PR_GET_SHADOW_STACK_STATUS", "PR_SET_SHADOW_STACK_STATUS", "PR_LOCK_SHADOW_STACK_STATUS",
		"PR_TIMER_CREATE_RESTORE_IDS", "PR_FUTEX_HASH", "PR_RSEQ_SLICE_EXTENSION",
		"PR_GET_CFI", "PR_SET_CFI",
		"PR_SET_PTRACER", "PR_SET_VMA", "PR_GET_AUXV",
	}}

	// Address families: include/linux/socket.h's AF_* (not AF_MAX).
	famAF = &family{what: "address family", names: []string{
		"AF_UNSPEC", "AF_UNIX", "AF_LOCAL", "AF_FILE", "AF_INET", "AF_AX25", "AF_IPX",
		"AF_APPLETALK", "AF_NETROM", "AF_BRIDGE", "AF_ATMPVC", "AF_X25", "AF_INET6",
		"AF_ROSE", "AF_DECnet", "AF_NETBEUI", "AF_SECURITY", "AF_KEY", "AF_NETLINK",
		"AF_ROUTE", "AF_PACKET", "AF_ASH", "AF_ECONET", "AF_ATMSVC", "AF_RDS", "AF_SNA",
		"AF_IRDA", "AF_PPPOX", "AF_WANPIPE", "AF_LLC", "AF_IB", "AF_MPLS", "AF_CAN",
		"AF_TIPC", "AF_BLUETOOTH", "AF_IUCV", "AF_RXRPC", "AF_ISDN", "AF_PHONET",
		"AF_IEEE802154", "AF_CAIF", "AF_ALG", "AF_NFC", "AF_VSOCK", "AF_KCM",
		"AF_QIPCRTR", "AF_SMC", "AF_XDP", "AF_MCTP",
	}, aliases: map[string]string{"AF_LOCAL": "AF_UNIX", "AF_FILE": "AF_UNIX", "AF_ROUTE": "AF_NETLINK"}}

	// Socket types (include/linux/net.h; mips swaps STREAM and DGRAM),
	// with the flags socket(2) and socketpair(2) take in the same word.
	famSockType = &family{what: "socket type", names: []string{
		"SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET",
		"SOCK_DCCP", "SOCK_PACKET",
	}, flags: []string{"SOCK_NONBLOCK", "SOCK_CLOEXEC"}}

	// setsockopt/getsockopt levels: SOL_* (include/linux/socket.h and
	// the protocol numbers SOL_IP, SOL_TCP, SOL_UDP...). SOL_SOCKET is
	// 0xffff on mips.
	famSOL = &family{what: "socket level", names: []string{
		"SOL_SOCKET", "SOL_IP", "SOL_TCP", "SOL_UDP", "SOL_IPV6", "SOL_ICMPV6", "SOL_RAW",
		"SOL_DECNET", "SOL_X25", "SOL_PACKET", "SOL_ATM", "SOL_AAL", "SOL_IRDA",
		"SOL_NETBEUI", "SOL_LLC", "SOL_DCCP", "SOL_NETLINK", "SOL_TIPC", "SOL_RXRPC",
		"SOL_PPPOL2TP", "SOL_PNPIPE", "SOL_RDS", "SOL_IUCV", "SOL_CAIF", "SOL_ALG",
		"SOL_NFC", "SOL_KCM", "SOL_TLS", "SOL_XDP", "SOL_MPTCP", "SOL_MCTP", "SOL_SMC",
		"SOL_VSOCK", "SOL_CAN_BASE", "SOL_CAN_RAW",
	}}

	// Signals (asm/signal.h; mips numbers many differently).
	famSignal = &family{what: "signal", names: []string{
		"SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGIOT", "SIGBUS",
		"SIGEMT", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE",
		"SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCLD", "SIGCONT", "SIGSTOP",
		"SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
		"SIGPROF", "SIGWINCH", "SIGIO", "SIGPOLL", "SIGPWR", "SIGSYS",
	}, aliases: map[string]string{"SIGIOT": "SIGABRT", "SIGCLD": "SIGCHLD", "SIGPOLL": "SIGIO"}}

	// madvise(2) advice: include/uapi/asm-generic/mman-common.h.
	famMadvise = &family{what: "madvise advice", names: []string{
		"MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MADV_DONTNEED",
		"MADV_FREE", "MADV_REMOVE", "MADV_DONTFORK", "MADV_DOFORK", "MADV_MERGEABLE",
		"MADV_UNMERGEABLE", "MADV_HUGEPAGE", "MADV_NOHUGEPAGE", "MADV_DONTDUMP",
		"MADV_DODUMP", "MADV_WIPEONFORK", "MADV_KEEPONFORK", "MADV_COLD", "MADV_PAGEOUT",
		"MADV_POPULATE_READ", "MADV_POPULATE_WRITE", "MADV_DONTNEED_LOCKED",
		"MADV_COLLAPSE", "MADV_HWPOISON", "MADV_GUARD_INSTALL",
		"MADV_GUARD_REMOVE",
	}}

	// futex(2) operations (include/uapi/linux/futex.h), plain and
	// FUTEX_PRIVATE_FLAG'd, with FUTEX_CLOCK_REALTIME as a flag.
	famFutex = &family{what: "futex operation", names: []string{
		"FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE",
		"FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI",
		"FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI",
		"FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2",
		"FUTEX_WAIT_PRIVATE", "FUTEX_WAKE_PRIVATE", "FUTEX_REQUEUE_PRIVATE",
		"FUTEX_CMP_REQUEUE_PRIVATE", "FUTEX_WAKE_OP_PRIVATE", "FUTEX_LOCK_PI_PRIVATE",
		"FUTEX_UNLOCK_PI_PRIVATE", "FUTEX_TRYLOCK_PI_PRIVATE", "FUTEX_WAIT_BITSET_PRIVATE",
		"FUTEX_WAKE_BITSET_PRIVATE", "FUTEX_WAIT_REQUEUE_PI_PRIVATE",
		"FUTEX_CMP_REQUEUE_PI_PRIVATE", "FUTEX_LOCK_PI2_PRIVATE",
	}, flags: []string{"FUTEX_CLOCK_REALTIME"}}

	// arch_prctl(2) codes: arch/x86/include/uapi/asm/prctl.h (not the
	// ARCH_XCOMP_* feature numbers or ARCH_SHSTK_* feature bits, which
	// are second arguments).
	famArchPrctl = &family{what: "arch_prctl code", names: []string{
		"ARCH_SET_GS", "ARCH_SET_FS", "ARCH_GET_FS", "ARCH_GET_GS",
		"ARCH_GET_CPUID", "ARCH_SET_CPUID",
		"ARCH_GET_XCOMP_SUPP", "ARCH_GET_XCOMP_PERM", "ARCH_REQ_XCOMP_PERM",
		"ARCH_GET_XCOMP_GUEST_PERM", "ARCH_REQ_XCOMP_GUEST_PERM",
		"ARCH_MAP_VDSO_X32", "ARCH_MAP_VDSO_32", "ARCH_MAP_VDSO_64",
		"ARCH_GET_UNTAG_MASK", "ARCH_ENABLE_TAGGED_ADDR", "ARCH_GET_MAX_TAG_BITS",
		"ARCH_FORCE_TAGGED_SVA",
		"ARCH_SHSTK_ENABLE", "ARCH_SHSTK_DISABLE", "ARCH_SHSTK_LOCK",
		"ARCH_SHSTK_UNLOCK", "ARCH_SHSTK_STATUS",
	}}

	// seccomp(2) operations: include/uapi/linux/seccomp.h (not the
	// SECCOMP_MODE_* values of prctl(PR_SET_SECCOMP)).
	famSeccomp = &family{what: "seccomp operation", names: []string{
		"SECCOMP_SET_MODE_STRICT", "SECCOMP_SET_MODE_FILTER",
		"SECCOMP_GET_ACTION_AVAIL", "SECCOMP_GET_NOTIF_SIZES",
	}}

	// bpf(2) commands: enum bpf_cmd in include/uapi/linux/bpf.h (not map
	// or program types, attach types or flags).
	famBPF = &family{what: "bpf command", names: []string{
		"BPF_MAP_CREATE", "BPF_MAP_LOOKUP_ELEM", "BPF_MAP_UPDATE_ELEM", "BPF_MAP_DELETE_ELEM",
		"BPF_MAP_GET_NEXT_KEY", "BPF_PROG_LOAD", "BPF_OBJ_PIN", "BPF_OBJ_GET",
		"BPF_PROG_ATTACH", "BPF_PROG_DETACH", "BPF_PROG_TEST_RUN", "BPF_PROG_RUN",
		"BPF_PROG_GET_NEXT_ID", "BPF_MAP_GET_NEXT_ID", "BPF_PROG_GET_FD_BY_ID",
		"BPF_MAP_GET_FD_BY_ID", "BPF_OBJ_GET_INFO_BY_FD", "BPF_PROG_QUERY",
		"BPF_RAW_TRACEPOINT_OPEN", "BPF_BTF_LOAD", "BPF_BTF_GET_FD_BY_ID",
		"BPF_TASK_FD_QUERY", "BPF_MAP_LOOKUP_AND_DELETE_ELEM", "BPF_MAP_FREEZE",
		"BPF_BTF_GET_NEXT_ID", "BPF_MAP_LOOKUP_BATCH", "BPF_MAP_LOOKUP_AND_DELETE_BATCH",
		"BPF_MAP_UPDATE_BATCH", "BPF_MAP_DELETE_BATCH", "BPF_LINK_CREATE",
		"BPF_LINK_UPDATE", "BPF_LINK_GET_FD_BY_ID", "BPF_LINK_GET_NEXT_ID",
		"BPF_ENABLE_STATS", "BPF_ITER_CREATE", "BPF_LINK_DETACH", "BPF_PROG_BIND_MAP",
		"BPF_TOKEN_CREATE", "BPF_PROG_STREAM_READ_BY_FD",
	}, aliases: map[string]string{"BPF_PROG_RUN": "BPF_PROG_TEST_RUN"}}

	// keyctl(2) operations: include/uapi/linux/keyctl.h (not the
	// KEYCTL_CAPS*, KEYCTL_SUPPORTS_* or KEYCTL_MOVE_EXCL bits).
	famKeyctl = &family{what: "keyctl operation", names: []string{
		"KEYCTL_GET_KEYRING_ID", "KEYCTL_JOIN_SESSION_KEYRING", "KEYCTL_UPDATE",
		"KEYCTL_REVOKE", "KEYCTL_CHOWN", "KEYCTL_SETPERM", "KEYCTL_DESCRIBE",
		"KEYCTL_CLEAR", "KEYCTL_LINK", "KEYCTL_UNLINK", "KEYCTL_SEARCH", "KEYCTL_READ",
		"KEYCTL_INSTANTIATE", "KEYCTL_NEGATE", "KEYCTL_SET_REQKEY_KEYRING",
		"KEYCTL_SET_TIMEOUT", "KEYCTL_ASSUME_AUTHORITY", "KEYCTL_GET_SECURITY",
		"KEYCTL_SESSION_TO_PARENT", "KEYCTL_REJECT", "KEYCTL_INSTANTIATE_IOV",
		"KEYCTL_INVALIDATE", "KEYCTL_GET_PERSISTENT", "KEYCTL_DH_COMPUTE",
		"KEYCTL_PKEY_QUERY", "KEYCTL_PKEY_ENCRYPT", "KEYCTL_PKEY_DECRYPT",
		"KEYCTL_PKEY_SIGN", "KEYCTL_PKEY_VERIFY", "KEYCTL_RESTRICT_KEYRING",
		"KEYCTL_MOVE", "KEYCTL_CAPABILITIES", "KEYCTL_WATCH_KEY",
	}}

	// personality(2) personas (include/uapi/linux/personality.h), with
	// the flags that may be ORed onto them.
	famPersonality = &family{what: "personality", names: []string{
		"PER_LINUX", "PER_LINUX_32BIT", "PER_LINUX_FDPIC", "PER_SVR4", "PER_SVR3",
		"PER_SCOSVR3", "PER_OSR5", "PER_WYSEV386", "PER_ISCR4", "PER_BSD", "PER_SUNOS",
		"PER_XENIX", "PER_LINUX32", "PER_LINUX32_3GB", "PER_IRIX32", "PER_IRIXN32",
		"PER_IRIX64", "PER_RISCOS", "PER_SOLARIS", "PER_UW7", "PER_OSF4", "PER_HPUX",
	}, flags: []string{
		"UNAME26", "ADDR_NO_RANDOMIZE", "FDPIC_FUNCPTRS", "MMAP_PAGE_ZERO",
		"ADDR_COMPAT_LAYOUT", "READ_IMPLIES_EXEC", "ADDR_LIMIT_32BIT", "SHORT_INODE",
		"WHOLE_SECONDS", "STICKY_TIMEOUTS", "ADDR_LIMIT_3GB",
	}}

	// flock(2) operations, LOCK_NB ORed onto one.
	famFlock = &family{what: "flock operation", names: []string{"LOCK_SH", "LOCK_EX", "LOCK_UN"},
		flags: []string{"LOCK_NB"}}

	// lseek(2) whence: include/uapi/linux/fs.h (SEEK_MAX is not one).
	famWhence = &family{what: "lseek whence", names: []string{"SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE"}}

	// Clock ids: include/uapi/linux/time.h (not the CLOCK_TXINT-like
	// values of other headers).
	famClock = &family{what: "clock id", names: []string{
		"CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
		"CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE",
		"CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM",
		"CLOCK_BOOTTIME_ALARM", "CLOCK_TAI",
	}}

	// ioctl(2) requests: the terminal, socket, file and block requests
	// the table has (TC*, TIOC*, FIO*, SIOC*, FS_IOC_*, BLK*), computed by
	// ioctlRequests.
	famIoctl = &family{what: "ioctl request", rule: ioctlRequests,
		aliases: map[string]string{
			"TIOCINQ": "FIONREAD", "SIOCINQ": "FIONREAD", "SIOCOUTQ": "TIOCOUTQ",
			// The time64 pairs: where time_t is long, the plain names are
			// the _OLD requests.
			"SIOCGSTAMP_OLD": "SIOCGSTAMP", "SIOCGSTAMPNS_OLD": "SIOCGSTAMPNS",
		}}
)

// ioctlPrefixes name the ioctl requests the table has; ioctlNot are the
// names with those prefixes that are not requests: TCP options, traffic
// control attributes (TCA_), modem and packet-mode bits (TIOCM_,
// TIOCPKT_), tcsetattr's and tcflush's arguments (TCSA*, TCIFLUSH..);
// and protocol-private requests, numbers in the SIOCPROTOPRIVATE and
// SIOCDEVPRIVATE ranges whose meaning depends on the socket's protocol
// (SIOCKCMATTACH and TIPC's SIOCGETLINKNAME are both 0x89e0): such a
// value reads as the range's base, or as a number.
var (
	ioctlPrefixes = []string{"TC", "TIOC", "FIO", "SIOC", "FS_IOC_", "BLK"}
	ioctlNot      = []string{
		"TCP", "TCA_", "TIOCM_", "TIOCPKT_", "TIOCSER_TEMT", "TCSA", "TCIFLUSH", "TCOFLUSH",
		"TCIOFLUSH", "TCOOFF", "TCOON", "TCIOFF", "TCION", "BLKPG_",
		"SIOCGPPPSTATS", "SIOCGPPPVER", "SIOCGPPPCSTATS", "SIOCKCM", "SIOCGETLINKNAME", "SIOCGETNODEID",
	}
)

// ioctlRequests returns the table's names of ioctl requests: those with
// an ioctl prefix, not excluded by ioctlNot, whose value is an ioctl
// number on every arch that defines them (0x100 or more: the small
// values under these prefixes are arguments, not requests). FIONREAD
// comes first, so that 0x541b reads as FIONREAD rather than TIOCINQ.
func ioctlRequests() []string {
	out := []string{"FIONREAD", "TIOCOUTQ"}
	seen := map[string]bool{"FIONREAD": true, "TIOCOUTQ": true}
	for _, n := range consts().names {
		if seen[n] || !hasAnyPrefix(n, ioctlPrefixes) || hasAnyPrefix(n, ioctlNot) {
			continue
		}
		if small(n) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// small reports whether name's value is below 0x100 on some arch.
func small(name string) bool {
	for _, a := range arch.All() {
		if v, ok := constValue(name, a); ok && v >= 0 && v < 0x100 {
			return true
		}
	}
	return false
}

// argFamilies says which family each argument takes, by syscall name
// (the name on every arch that has the call) and argument index.
var argFamilies = map[string]map[int]*family{
	"fcntl":   {1: famFcntl},
	"fcntl64": {1: famFcntl},
	"prctl":   {0: famPrctl},

	"socket":     {0: famAF, 1: famSockType},
	"socketpair": {0: famAF, 1: famSockType},
	"setsockopt": {1: famSOL},
	"getsockopt": {1: famSOL},

	"kill":              {1: famSignal},
	"tkill":             {1: famSignal},
	"tgkill":            {2: famSignal},
	"rt_sigqueueinfo":   {1: famSignal},
	"rt_tgsigqueueinfo": {2: famSignal},
	"pidfd_send_signal": {1: famSignal},
	"rt_sigaction":      {0: famSignal},
	"sigaction":         {0: famSignal},
	"signal":            {0: famSignal},

	"madvise":         {2: famMadvise},
	"process_madvise": {3: famMadvise},

	"futex":        {1: famFutex},
	"futex_time64": {1: famFutex},

	"arch_prctl":  {0: famArchPrctl},
	"seccomp":     {0: famSeccomp},
	"bpf":         {0: famBPF},
	"keyctl":      {0: famKeyctl},
	"personality": {0: famPersonality},
	"ioctl":       {1: famIoctl},
	"flock":       {1: famFlock},
	"lseek":       {2: famWhence},
	"_llseek":     {4: famWhence},

	"clock_gettime":          {0: famClock},
	"clock_settime":          {0: famClock},
	"clock_getres":           {0: famClock},
	"clock_nanosleep":        {0: famClock},
	"clock_adjtime":          {0: famClock},
	"clock_gettime64":        {0: famClock},
	"clock_settime64":        {0: famClock},
	"clock_getres_time64":    {0: famClock},
	"clock_nanosleep_time64": {0: famClock},
	"clock_adjtime64":        {0: famClock},
	"timer_create":           {0: famClock},
	"timerfd_create":         {0: famClock},
}

// families lists every family once, for the tests.
func families() []*family {
	seen := map[*family]bool{}
	var out []*family
	for _, args := range argFamilies {
		for _, f := range args {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].what < out[j].what })
	return out
}

// members returns the family's names.
func (f *family) members() []string {
	if f.rule != nil {
		return f.rule()
	}
	return f.names
}

// byValue is one family's names on one arch: value → the name shown.
type byValue struct {
	names map[uint64]string
	flags []flagValue
}

type flagValue struct {
	name string
	v    uint64
}

var (
	tablesMu sync.Mutex
	tables   = map[familyArch]*byValue{}
)

type familyArch struct {
	f    *family
	arch string
}

// table returns f's names on a, built once.
func (f *family) table(a *arch.Arch) *byValue {
	tablesMu.Lock()
	defer tablesMu.Unlock()
	k := familyArch{f, a.Name}
	if t, ok := tables[k]; ok {
		return t
	}
	t := &byValue{names: map[uint64]string{}}
	for _, n := range f.members() {
		v, ok := constValue(n, a)
		if !ok {
			continue
		}
		u := uint64(v)
		if v < 0 {
			u = uint64(uint32(v)) // compared as a 32-bit int on every arch
		}
		if _, dup := t.names[u]; !dup {
			t.names[u] = n
		}
	}
	for _, n := range f.flags {
		if v, ok := constValue(n, a); ok && v > 0 {
			t.flags = append(t.flags, flagValue{n, uint64(v)})
		}
	}
	tables[k] = t
	return t
}

// ConstName names value v of argument arg of syscall on arch a, when the
// argument takes an enumeration of Linux constants (socket's family,
// prctl's option, ioctl's request, ...) and one of them has that value on
// a; a value that is one of them with some flags of the argument's ORed
// on reads "SOCK_STREAM|SOCK_CLOEXEC". Every name it returns is one the
// policy language reads, with that value on a.
func ConstName(a *arch.Arch, syscall string, arg int, v uint64) (string, bool) {
	f := argFamilies[syscall][arg]
	if f == nil || a == nil {
		return "", false
	}
	t := f.table(a)
	if n, ok := t.names[v]; ok {
		return n, true
	}
	if len(t.flags) == 0 || v > 0xffffffff {
		return "", false
	}
	// One value with flags ORed on: the largest value whose bits are all
	// in v and whose remaining bits are exactly some of the flags.
	best, bestV := "", uint64(0)
	var bestFlags []string
	for bv, bn := range t.names {
		if v&bv != bv || best != "" && bv <= bestV && !(bv == bestV && bn < best) {
			continue
		}
		rest := v &^ bv
		var fl []string
		for _, fv := range t.flags {
			if rest&fv.v == fv.v {
				rest &^= fv.v
				fl = append(fl, fv.name)
			}
		}
		if rest != 0 || len(fl) == 0 {
			continue
		}
		best, bestV, bestFlags = bn, bv, fl
	}
	if best == "" {
		return "", false
	}
	return best + "|" + strings.Join(bestFlags, "|"), true
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
