#!/usr/bin/python3
# Builds the lint tests' filters, in the style of real generators, and writes
# them as tcpdump -ddd text (a count line, then "code jt jf k" a line).
#
#   qemu_like.ddd      libseccomp deny-list like QEMU's "-sandbox on,
#                      obsolete=deny,elevateprivileges=deny,spawn=deny,
#                      resourcecontrol=deny" filter: default ALLOW, groups of
#                      calls killed or refused, clone refused unless its
#                      flags are a thread's (single-bit masked tests)
#   tor_like.ddd       libseccomp allow-list like Tor's sandbox: default TRAP,
#                      64-bit argument tests (prctl, rt_sigaction, mmap, ...)
#                      and one test of the low word only (openat's dirfd,
#                      MASKED_EQ 0xffffffff)
#   big_allowlist.ddd  libseccomp allow-list for x86_64, x86 and x32 with
#                      many argument rules: about 1300 instructions, for the
#                      benchmark
#   firejail_main.ddd  hand-written like firejail's default filter
#                      (src/include/seccomp.h macros): arch check (other
#                      arches ALLOW), ld nr, x32 killed, jeq chains to KILL
#                      or ERRNO, "ret ALLOW"; one ret carries jt/jf bytes
#   firejail_block.ddd hand-written like firejail's secondary "block" filter:
#                      arch check to ERRNO, x32 refused, personality(2)
#                      allowed for PER_LINUX and 0xffffffff with the high
#                      word checked, else KILL_PROCESS
#
# Usage: /usr/bin/python3 gen.py OUTDIR   (libseccomp 2.5.4, Debian 12)
import errno, os, struct, sys, tempfile
import seccomp

outdir = sys.argv[1]

def ddd(insns):
    return '%d\n' % len(insns) + ''.join('%d %d %d %d\n' % i for i in insns)

def export(f):
    fd, path = tempfile.mkstemp()
    with os.fdopen(fd, 'wb') as out:
        f.export_bpf(out)
    data = open(path, 'rb').read()
    os.unlink(path)
    return [struct.unpack('<HBBI', data[i:i+8]) for i in range(0, len(data), 8)]

def add(f, action, name, *args):
    try:
        f.add_rule(action, name, *args)
    except (RuntimeError, ValueError):
        pass  # not a syscall of these arches

A = seccomp.Arg
KILL_PROCESS = seccomp.KILL_PROCESS

def qemu_like():
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for n in ('swapon', 'swapoff', 'syslog', 'mount', 'umount2', 'kexec_load',
              'afs_syscall', 'getpmsg', 'putpmsg', 'security', 'tuxcall',
              'vserver', 'reboot', 'init_module', 'delete_module'):
        add(f, KILL_PROCESS, n)
    for n in ('_sysctl', 'create_module', 'get_kernel_syms', 'query_module',
              'sysfs', 'uselib', 'ustat', 'nfsservctl'):
        add(f, KILL_PROCESS, n)
    for n in ('setuid', 'setgid', 'setpgid', 'setsid', 'setreuid', 'setregid',
              'setresuid', 'setresgid', 'setfsuid', 'setfsgid'):
        add(f, seccomp.ERRNO(errno.EPERM), n)
    for n in ('fork', 'vfork', 'execve', 'execveat'):
        add(f, KILL_PROCESS, n)
    # clone: a thread's flags must be set, and no other flag may be.
    must = (0x100, 0x200, 0x400, 0x800, 0x10000, 0x40000)  # VM FS FILES SIGHAND THREAD SYSVSEM
    for bit in must:
        add(f, KILL_PROCESS, 'clone', A(0, seccomp.MASKED_EQ, bit, 0))
    other = [1 << b for b in range(8, 32)
             if (1 << b) not in must and (1 << b) not in (0x80000, 0x100000, 0x200000)]
    for bit in other[:17]:
        add(f, KILL_PROCESS, 'clone', A(0, seccomp.MASKED_EQ, bit, bit))
    add(f, seccomp.ERRNO(errno.ENOSYS), 'clone3')
    for n in ('setpriority', 'sched_setparam', 'sched_setscheduler',
              'sched_setscheduler', 'sched_setaffinity', 'sched_setattr'):
        add(f, seccomp.ERRNO(errno.EPERM), n)
    # A 64-bit argument test on a refused call.
    add(f, seccomp.ERRNO(errno.EPERM), 'prctl', A(0, seccomp.EQ, 0x59616d61))
    return f

def tor_like():
    f = seccomp.SyscallFilter(defaction=seccomp.TRAP)
    for n in ('access', 'brk', 'clock_gettime', 'close', 'clone', 'dup',
              'epoll_create', 'epoll_wait', 'epoll_pwait', 'eventfd2', 'pipe2',
              'pipe', 'fchmod', 'fcntl', 'fstat', 'fsync', 'futex', 'getdents',
              'getdents64', 'getegid', 'geteuid', 'getgid', 'getpid',
              'getrlimit', 'gettimeofday', 'gettid', 'getuid', 'lseek',
              'lstat', 'mkdir', 'mlockall', 'mmap', 'munmap', 'nanosleep',
              'prlimit64', 'read', 'rt_sigreturn', 'sched_getaffinity',
              'sched_yield', 'sendmsg', 'set_robust_list', 'setrlimit',
              'shutdown', 'sigaltstack', 'stat', 'uname', 'wait4', 'write',
              'writev', 'exit_group', 'exit', 'madvise', 'getrandom',
              'sysinfo', 'bind', 'listen', 'connect', 'getsockname',
              'recvmsg', 'recvfrom', 'sendto', 'unlink', 'unlinkat', 'poll'):
        add(f, seccomp.ALLOW, n)
    for sig in (2, 15, 13, 10, 12, 1, 17, 11, 4, 8, 7, 31, 29, 25):
        add(f, seccomp.ALLOW, 'rt_sigaction', A(0, seccomp.EQ, sig))
    add(f, seccomp.ALLOW, 'time', A(0, seccomp.EQ, 0))
    add(f, seccomp.ALLOW, 'accept4', A(3, seccomp.MASKED_EQ, ~(0o2000000 | 0o4000) & 0xffffffffffffffff, 0))
    # prctl: 64-bit equality on both words.
    add(f, seccomp.ALLOW, 'prctl', A(0, seccomp.EQ, 4), A(1, seccomp.EQ, 0))  # PR_SET_DUMPABLE, 0
    add(f, seccomp.ALLOW, 'prctl', A(0, seccomp.EQ, 1), A(1, seccomp.EQ, 15))  # PR_SET_PDEATHSIG, SIGTERM
    # openat: dirfd compared on its low word only, the path pointer on 64 bits.
    for path in (0x55d0c0a01000, 0x55d0c0a01040, 0x55d0c0a01080):
        add(f, seccomp.ALLOW, 'openat', A(0, seccomp.MASKED_EQ, 0xffffffff, 0xffffff9c),
            A(1, seccomp.EQ, path))
    for prot, flags in ((1, 2), (0, 0x4022), (3, 0x22), (3, 0x20022), (5, 0x802)):
        add(f, seccomp.ALLOW, 'mmap', A(2, seccomp.EQ, prot), A(3, seccomp.EQ, flags))
    for prot in (0, 1, 3):
        add(f, seccomp.ALLOW, 'mprotect', A(2, seccomp.EQ, prot))
    for fam, typ in ((1, 0x80801), (2, 0x80801), (10, 0x80801), (16, 0x80003)):
        add(f, seccomp.ALLOW, 'socket', A(0, seccomp.EQ, fam), A(1, seccomp.EQ, typ))
    for opt in (2, 9):
        add(f, seccomp.ALLOW, 'setsockopt', A(1, seccomp.EQ, 1), A(2, seccomp.EQ, opt))
    for op in (1, 2, 3):
        add(f, seccomp.ALLOW, 'epoll_ctl', A(1, seccomp.EQ, op))
    add(f, seccomp.ALLOW, 'flock', A(1, seccomp.EQ, 2 | 4))
    add(f, seccomp.ALLOW, 'flock', A(1, seccomp.EQ, 8))
    return f

def big_allowlist():
    f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
    f.add_arch(seccomp.Arch.X86)
    f.add_arch(seccomp.Arch.X32)
    names = []
    for nr in range(0, 335):
        try:
            names.append(seccomp.resolve_syscall(seccomp.Arch.X86_64, nr).decode())
        except Exception:
            pass
    skip = {'futex', 'fcntl', 'prctl', 'ioctl', 'socket', 'madvise', 'mmap',
            'mprotect', 'clone', 'kill', 'tgkill', 'personality', 'setsockopt',
            'getsockopt', 'ptrace', 'mount', 'reboot', 'kexec_load'}
    for n in names:
        if n not in skip:
            add(f, seccomp.ALLOW, n)
    for op in (0, 1, 9, 10, 128, 129, 137, 138):
        add(f, seccomp.ALLOW, 'futex', A(1, seccomp.EQ, op))
    for cmd in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1024, 1025, 1026, 1030, 1031, 1033, 1034):
        add(f, seccomp.ALLOW, 'fcntl', A(1, seccomp.EQ, cmd))
    for opt in (1, 3, 4, 15, 16, 22, 38, 0x59616d61):
        add(f, seccomp.ALLOW, 'prctl', A(0, seccomp.EQ, opt))
    for cmd in (0x5401, 0x5402, 0x5403, 0x5404, 0x540b, 0x540f, 0x5410, 0x5413, 0x5414, 0x541b, 0x5421, 0x5422, 0x5429, 0x5451, 0x5450, 0x8912, 0x8933, 0x89a0, 0xc0045401, 0x80045430):
        add(f, seccomp.ALLOW, 'ioctl', A(1, seccomp.EQ, cmd))
    for fam in (1, 2, 10, 16, 17):
        for typ in (1, 2, 3, 0x80001, 0x80002, 0x80003, 0x80801):
            add(f, seccomp.ALLOW, 'socket', A(0, seccomp.EQ, fam), A(1, seccomp.EQ, typ))
    for adv in (0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 100, 101):
        add(f, seccomp.ALLOW, 'madvise', A(2, seccomp.EQ, adv))
    for prot in (0, 1, 3, 5):
        add(f, seccomp.ALLOW, 'mmap', A(2, seccomp.EQ, prot))
        add(f, seccomp.ALLOW, 'mprotect', A(2, seccomp.EQ, prot))
    add(f, seccomp.ALLOW, 'clone', A(0, seccomp.MASKED_EQ, 0x7e020000, 0))
    for lvl, opt in ((1, 2), (1, 9), (1, 7), (1, 8), (6, 1), (41, 26)):
        add(f, seccomp.ALLOW, 'setsockopt', A(1, seccomp.EQ, lvl), A(2, seccomp.EQ, opt))
        add(f, seccomp.ALLOW, 'getsockopt', A(1, seccomp.EQ, lvl), A(2, seccomp.EQ, opt))
    for sig in (0, 1, 2, 3, 6, 9, 10, 12, 14, 15, 17, 19):
        add(f, seccomp.ALLOW, 'kill', A(1, seccomp.EQ, sig))
        add(f, seccomp.ALLOW, 'tgkill', A(2, seccomp.EQ, sig))
    add(f, seccomp.ALLOW, 'personality', A(0, seccomp.EQ, 0))
    add(f, seccomp.ALLOW, 'personality', A(0, seccomp.EQ, 0xffffffff))
    return f

# firejail's macros (src/include/seccomp.h), written out.
LD, JEQ, JGE, RET = 0x20, 0x15, 0x35, 0x06
ARCH, NR = 4, 0
X86_64, X32_BIT = 0xc000003e, 0x40000000
ALLOW, KILL_PROC, ERRNO = 0x7fff0000, 0x80000000, 0x00050000
EPERM = 1

def firejail_main():
    p = [(LD, 0, 0, ARCH), (JEQ, 1, 0, X86_64), (RET, 0, 0, ALLOW),  # VALIDATE_ARCHITECTURE
         (LD, 0, 0, NR),                                              # EXAMINE_SYSCALL
         (JGE, 1, 0, X32_BIT), (JGE, 1, 0, 0), (RET, 0, 0, ERRNO | EPERM)]  # HANDLE_X32
    for nr in (165, 166, 101, 246, 304, 175, 313, 176, 172, 173, 167, 168, 103):
        p += [(JEQ, 0, 1, nr), (RET, 0, 0, KILL_PROC)]  # BLACKLIST
    for nr in (135, 139, 153, 154, 156):
        p += [(JEQ, 0, 1, nr), (RET, 0, 0, ERRNO | EPERM)]  # BLACKLIST_ERRNO
    # The last blacklisted call's ret with jt/jf bytes left in it (the
    # kernel ignores them).
    p += [(JEQ, 0, 1, 310), (RET, 0, 1, ERRNO | EPERM)]
    p += [(RET, 0, 0, ALLOW)]  # RETURN_ALLOW
    return p

def firejail_block():
    PERSONALITY = 135
    p = [(LD, 0, 0, ARCH), (JEQ, 1, 0, X86_64), (RET, 0, 0, ERRNO | EPERM),  # VALIDATE_ARCHITECTURE_KILL
         (LD, 0, 0, NR),
         (JGE, 1, 0, X32_BIT), (JGE, 1, 0, 0), (RET, 0, 0, ERRNO | EPERM),  # HANDLE_X32
         # personality(2): domain PER_LINUX (0) or 0xffffffff (query) only,
         # the low word first, then the high word.
         (JEQ, 0, 6, PERSONALITY),
         (LD, 0, 0, 16),            # low word of args[0]
         (JEQ, 1, 0, 0),            # PER_LINUX: check the high word
         (JEQ, 0, 2, 0xffffffff),   # query: check the high word, else kill
         (LD, 0, 0, 20),            # high word of args[0]
         (JEQ, 1, 0, 0),            # 0: allow
         (RET, 0, 0, KILL_PROC),
         (RET, 0, 0, ALLOW)]
    return p

outs = {
    'qemu_like.ddd': ddd(export(qemu_like())),
    'tor_like.ddd': ddd(export(tor_like())),
    'big_allowlist.ddd': ddd(export(big_allowlist())),
    'firejail_main.ddd': ddd(firejail_main()),
    'firejail_block.ddd': ddd(firejail_block()),
}
for name, text in outs.items():
    with open(os.path.join(outdir, name), 'w') as f:
        f.write(text)
