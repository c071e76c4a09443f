package policy

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/cbpfkit/cbpf/arch"
)

// argNamesText names the arguments of common syscalls, as the kernel does
// in include/linux/syscalls.h, so that a rule can say "socket: family ==
// AF_INET" rather than "arg0". Only arguments whose position is the same
// on every arch are named: a 64-bit offset takes two slots on 32-bit
// arches, so names stop before the first one (pread64's pos is left out).
// One syscall a line; several syscalls with the same arguments share one.
const argNamesText = `
read write: fd buf count
pread64 pwrite64: fd buf count
readv writev preadv pwritev preadv2 pwritev2: fd vec vlen
open: filename flags mode
openat: dfd filename flags mode
openat2: dfd filename how usize
creat: pathname mode
close: fd
close_range: fd max_fd flags
dup: fildes
dup2: oldfd newfd
dup3: oldfd newfd flags
lseek: fd offset whence
ioctl: fd cmd arg
fcntl fcntl64: fd cmd arg
flock: fd cmd
mmap mmap2: addr len prot flags fd off
mprotect: start len prot
pkey_mprotect: start len prot pkey
munmap: addr len
mremap: addr old_len new_len flags new_addr
madvise: start len behavior
process_madvise: pidfd vec vlen behavior flags
mlock: start len
mlock2: start len flags
mlockall: flags
msync: start len flags
socket: family type protocol
socketpair: family type protocol usockvec
bind: fd umyaddr addrlen
connect: fd uservaddr addrlen
listen: fd backlog
accept: fd upeer_sockaddr upeer_addrlen
accept4: fd upeer_sockaddr upeer_addrlen flags
getsockname getpeername: fd usockaddr usockaddr_len
sendto: fd buff len flags addr addr_len
recvfrom: fd ubuf size flags addr addr_len
setsockopt getsockopt: fd level optname optval optlen
sendmsg recvmsg: fd msg flags
sendmmsg: fd msg vlen flags
recvmmsg: fd msg vlen flags timeout
shutdown: fd how
socketcall: call args
ipc: call first second third ptr fifth
clone: flags newsp parent_tidptr
clone3: uargs size
unshare: flags
setns: fd nstype
kill tkill: pid sig
tgkill: tgid pid sig
rt_sigqueueinfo: pid sig uinfo
pidfd_send_signal: pidfd sig info flags
pidfd_open: pid flags
pidfd_getfd: pidfd fd flags
personality: personality
prctl: option arg2 arg3 arg4 arg5
arch_prctl: option arg2
ptrace: request pid addr data
execve: filename argv envp
execveat: fd filename argv envp flags
exit exit_group: error_code
wait4: upid stat_addr options ru
waitid: which upid infop options ru
mount: dev_name dir_name type flags data
umount2: name flags
pivot_root: new_root put_old
chroot chdir: filename
fchdir: fd
mkdir: pathname mode
mkdirat: dfd pathname mode
mknod: filename mode dev
mknodat: dfd filename mode dev
chmod: filename mode
fchmod: fd mode
fchmodat: dfd filename mode
fchmodat2: dfd filename mode flags
chown lchown: filename user group
fchown: fd user group
fchownat: dfd filename user group flag
access: filename mode
faccessat: dfd filename mode
faccessat2: dfd filename mode flags
unlink rmdir: pathname
unlinkat: dfd pathname flag
rename: oldname newname
renameat: olddfd oldname newdfd newname
renameat2: olddfd oldname newdfd newname flags
link: oldname newname
linkat: olddfd oldname newdfd newname flags
symlink: old new
symlinkat: oldname newdfd newname
readlink: path buf bufsiz
readlinkat: dfd path buf bufsiz
newfstatat fstatat64: dfd filename statbuf flag
statx: dfd filename flags mask buffer
fstat: fd statbuf
utimensat: dfd filename utimes flags
getdents64: fd dirent count
futex: uaddr op val utime uaddr2 val3
seccomp: op flags uargs
bpf: cmd uattr size
perf_event_open: attr_uptr pid cpu group_fd flags
setuid: uid
setgid: gid
setreuid: ruid euid
setregid: rgid egid
setresuid: ruid euid suid
setresgid: rgid egid sgid
setgroups: gidsetsize grouplist
capset capget: header dataptr
kcmp: pid1 pid2 type idx1 idx2
keyctl: option arg2 arg3 arg4 arg5
getrandom: buf count flags
memfd_create: uname flags
eventfd2: count flags
epoll_create1: flags
epoll_ctl: epfd op fd event
pipe2: fildes flags
inotify_init1: flags
timerfd_create: clockid flags
signalfd4: ufd user_mask sizemask flags
userfaultfd: flags
rt_sigaction: sig act oact sigsetsize
rt_sigprocmask: how nset oset sigsetsize
sched_setscheduler: pid policy param
sched_setaffinity sched_getaffinity: pid len user_mask_ptr
setpriority: which who niceval
getpriority: which who
ioprio_set: which who ioprio
prlimit64: pid resource new_rlim old_rlim
setrlimit getrlimit: resource rlim
clock_gettime clock_settime clock_getres: which_clock tp
clock_nanosleep: which_clock flags rqtp rmtp
nanosleep: rqtp rmtp
sendfile sendfile64: out_fd in_fd offset count
shmget: key size shmflg
shmat: shmid shmaddr shmflg
shmctl: shmid cmd buf
semget: key nsems semflg
msgget: key msgflg
membarrier: cmd flags cpu_id
rseq: rseq rseq_len flags sig
set_mempolicy: mode nmask maxnode
syslog: type buf len
reboot: magic1 magic2 cmd arg
swapon: specialfile swap_flags
init_module: umod len uargs
finit_module: fd uargs flags
delete_module: name_user flags
quotactl: cmd special id addr
io_uring_setup: entries p
io_uring_enter: fd to_submit min_complete flags
process_vm_readv process_vm_writev: pid lvec liovcnt rvec riovcnt flags
landlock_create_ruleset: attr size flags
landlock_restrict_self: ruleset_fd flags
`

// argNamesArch overrides argNamesText where an arch orders the arguments
// differently: s390x's clone takes the stack first (CLONE_BACKWARDS2).
var argNamesArch = map[string]map[string][]string{
	"clone": {"s390x": {"newsp", "flags", "parent_tidptr"}},
}

var argNames = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(argNamesText, "\n") {
		calls, args, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		for _, c := range strings.Fields(calls) {
			m[c] = strings.Fields(args)
		}
	}
	return m
})

// argNamesOf returns the argument names of syscall on the named arch
// ("" for the generic order), or nil if they are not known.
func argNamesOf(syscall, archName string) []string {
	if o, ok := argNamesArch[syscall][archName]; ok {
		return o
	}
	return argNames()[syscall]
}

// argIndex returns the position of the named argument of syscall on the
// named arch, or -1.
func argIndex(syscall, archName, name string) int {
	for i, n := range argNamesOf(syscall, archName) {
		if n == name {
			return i
		}
	}
	return -1
}

// structCall is a call whose kernel entry on an arch takes one argument,
// the address of a struct that holds the call's arguments: the registers
// a filter sees do not hold them.
type structCall struct {
	entry, str string // the kernel's function and struct
	use        string // a call of the same job with its arguments in registers, or ""
}

// structCalls lists them by call and arch, from the kernel's syscall
// tables: x86's mmap (90) is old_mmap (arch/x86/kernel/sys_ia32.c for the
// compat entry, mm/mmap.c) and its select (82) old_select (fs/select.c);
// s390x's mmap is old_mmap too (arch/s390/kernel/syscall.c), and s390x has
// no mmap2.
var structCalls = map[string]map[string]structCall{
	"mmap":   {"x86": {"old_mmap", "struct mmap_arg_struct", "mmap2"}, "s390x": {"old_mmap", "struct s390_mmap_arg_struct", ""}},
	"select": {"x86": {"old_select", "struct sel_arg_struct", "_newselect"}},
}

// structArgCall returns the struct call syscall is on the named arch.
func structArgCall(syscall, archName string) (structCall, bool) {
	s, ok := structCalls[syscall][archName]
	return s, ok
}

// namedStructArg is the error for argument name of syscall on an arch
// where the kernel reads it from memory, or "".
func namedStructArg(syscall, archName, name string) string {
	s, ok := structArgCall(syscall, archName)
	if !ok {
		return ""
	}
	instead := fmt.Sprintf("; no call there has them in registers: leave %s out of the targets", archName)
	if s.use != "" {
		instead = fmt.Sprintf("; on %s use %s, whose arguments are in registers, or leave %s out of the targets", archName, s.use, archName)
	}
	return fmt.Sprintf("%s of %s cannot be compared on %s: the kernel's %s there is %s, which takes one argument, the address of a %s holding the arguments, so no register holds %s%s",
		quote(name), syscall, archName, syscall, s.entry, s.str, name, instead)
}

// structArgNote is the warning for a rule with conditions on syscall on
// arch a where the kernel reads the arguments from memory, or "".
func structArgNote(a *arch.Arch, syscall string, when Expr) string {
	s, ok := structArgCall(syscall, a.Name)
	if !ok || when == nil {
		return ""
	}
	var used [6]bool
	walk(when, func(c *Cmp) {
		if c != nil && c.Arg >= 0 && c.Arg < 6 {
			used[c.Arg] = true
		}
	})
	var parts []string
	for k, u := range used {
		switch {
		case !u:
		case k == 0:
			parts = append(parts, "arg0 with the address of the struct")
		default:
			parts = append(parts, fmt.Sprintf("arg%d with a register the kernel ignores for it (the caller sets it as it likes)", k))
		}
	}
	msg := fmt.Sprintf("%s: on %s the kernel's %s is %s, which takes one argument, the address of a %s holding the arguments: the filter compares %s",
		syscall, a.Name, syscall, s.entry, s.str, strings.Join(parts, ", and "))
	if s.use != "" {
		msg += fmt.Sprintf("; use %s, whose arguments are in registers", s.use)
	}
	return msg
}

// checkStructArgs warns where a rule compares arguments of a call that a
// target's kernel reads from memory (structCalls).
func (ps *textParser) checkStructArgs() {
	for _, r := range ps.p.Rules {
		if _, ok := structCalls[r.Syscall]; !ok || r.When == nil {
			continue
		}
		for _, a := range ps.targets {
			if msg := structArgNote(a, r.Syscall, r.When); msg != "" {
				// Pos is ps.pos(line, col).
				l, c, _ := strings.Cut(strings.TrimPrefix(r.Pos, ps.file+":"), ":")
				line, _ := strconv.Atoi(l)
				col, _ := strconv.Atoi(c)
				ps.warnAt(line, col, "%s", msg)
			}
		}
	}
}
