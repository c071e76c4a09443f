#!/usr/bin/python3
# Builds, with libseccomp (Debian 12's python3-seccomp 2.5.4), x86_64 filters
# shaped like QEMU's "-sandbox" filter for the equivalence tests, and writes
# them as tcpdump -ddd text:
#   qemu_sandbox.ddd   the rule list of QEMU's system/qemu-seccomp.c with
#                      every set denied ("-sandbox on,obsolete=deny,
#                      elevateprivileges=deny,spawn=deny,resourcecontrol=deny"),
#                      default ALLOW, TRAP upgraded to KILL_PROCESS as QEMU
#                      does on kernels that have it; names that x86_64 lacks
#                      (break, ftime, umount, ...) are skipped, as libseccomp
#                      skips them for the native arch. Its clone rules test 23
#                      flag bits of args[0] (9 must be set, 13 must be clear,
#                      and "no flag but CSIGNAL").
#   bits_N.ddd         default ALLOW; clone is KILL_PROCESS when any of bits
#                      0..N-1 of args[0] is set: N rules
#                      (a0 & 1<<i) == 1<<i, for N in 8 12 16 20 23 32.
# Usage: /usr/bin/python3 gen_qemu.py OUTDIR
import os, sys, tempfile, struct, errno
import seccomp

outdir = sys.argv[1]

# The rule list (facts from QEMU's source): (name, action, [arg tests]).
TRAP = seccomp.KILL_PROCESS
KILL = 0  # SCMP_ACT_KILL_THREAD: the rules that give no action
CSIGNAL = 0xff
flags = {
    'CLONE_VM': 0x100, 'CLONE_FS': 0x200, 'CLONE_FILES': 0x400,
    'CLONE_SIGHAND': 0x800, 'CLONE_PIDFD': 0x1000, 'CLONE_PTRACE': 0x2000,
    'CLONE_VFORK': 0x4000, 'CLONE_PARENT': 0x8000, 'CLONE_THREAD': 0x10000,
    'CLONE_NEWNS': 0x20000, 'CLONE_SYSVSEM': 0x40000, 'CLONE_SETTLS': 0x80000,
    'CLONE_PARENT_SETTID': 0x100000, 'CLONE_CHILD_CLEARTID': 0x200000,
    'CLONE_UNTRACED': 0x800000, 'CLONE_NEWCGROUP': 0x2000000,
    'CLONE_NEWUTS': 0x4000000, 'CLONE_NEWIPC': 0x8000000,
    'CLONE_NEWUSER': 0x10000000, 'CLONE_NEWPID': 0x20000000,
    'CLONE_NEWNET': 0x40000000, 'CLONE_IO': 0x80000000,
}
require = ['CLONE_VM', 'CLONE_FS', 'CLONE_FILES', 'CLONE_SIGHAND',
           'CLONE_THREAD', 'CLONE_SYSVSEM', 'CLONE_SETTLS',
           'CLONE_PARENT_SETTID', 'CLONE_CHILD_CLEARTID']
forbid = ['CLONE_PIDFD', 'CLONE_PTRACE', 'CLONE_VFORK', 'CLONE_PARENT',
          'CLONE_NEWNS', 'CLONE_UNTRACED', 'CLONE_NEWCGROUP', 'CLONE_NEWUTS',
          'CLONE_NEWIPC', 'CLONE_NEWUSER', 'CLONE_NEWPID', 'CLONE_NEWNET',
          'CLONE_IO']
plain = ('reboot swapon swapoff syslog mount umount kexec_load afs_syscall '
         'break ftime getpmsg gtty lock mpx prof profil putpmsg security stty '
         'tuxcall ulimit vserver '
         'readdir _sysctl bdflush create_module get_kernel_syms query_module '
         'sgetmask ssetmask sysfs uselib ustat '
         'setuid setgid setpgid setsid setreuid setregid setresuid setresgid '
         'setfsuid setfsgid fork vfork execve').split()
rules = [(n, TRAP, []) for n in plain]
# ~CSIGNAL as the C int -256 converted to the 64-bit datum.
rules.append(('clone', TRAP, [seccomp.Arg(0, seccomp.MASKED_EQ, (~CSIGNAL) & 0xffffffffffffffff, 0)]))
for f in require:
    rules.append(('clone', TRAP, [seccomp.Arg(0, seccomp.MASKED_EQ, flags[f], 0)]))
for f in forbid:
    rules.append(('clone', TRAP, [seccomp.Arg(0, seccomp.MASKED_EQ, flags[f], flags[f])]))
rules += [
    ('clone3', seccomp.ERRNO(errno.ENOSYS), []),
    ('execveat', KILL, []), ('setns', KILL, []), ('unshare', KILL, []),
    ('setpriority', seccomp.ERRNO(errno.EPERM), []),
    ('sched_setparam', seccomp.ERRNO(errno.EPERM), []),
    ('sched_setscheduler', seccomp.ERRNO(errno.EPERM), [seccomp.Arg(1, seccomp.NE, 5)]),  # SCHED_IDLE
    ('sched_setaffinity', seccomp.ERRNO(errno.EPERM), []),
]

def export(f):
    fd, path = tempfile.mkstemp()
    with os.fdopen(fd, 'wb') as out:
        f.export_bpf(out)
    data = open(path, 'rb').read()
    os.unlink(path)
    insns = [struct.unpack('<HBBI', data[i:i+8]) for i in range(0, len(data), 8)]
    return '%d\n' % len(insns) + ''.join('%d %d %d %d\n' % i for i in insns)

def exists(name):
    try:
        seccomp.resolve_syscall(seccomp.Arch.X86_64, name)
        return True
    except Exception:
        return False

def qemu():
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for name, action, args in rules:
        if exists(name):
            f.add_rule(action, name, *args)
    return export(f)

def bits(n):
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    for i in range(n):
        f.add_rule(TRAP, 'clone', seccomp.Arg(0, seccomp.MASKED_EQ, 1 << i, 1 << i))
    return export(f)

outs = {'qemu_sandbox.ddd': qemu()}
for n in (8, 12, 16, 20, 23, 32):
    outs['bits_%d.ddd' % n] = bits(n)
for name, text in outs.items():
    with open(os.path.join(outdir, name), 'w') as f:
        f.write(text)
