#!/usr/bin/python3
# Builds Docker-default-sized x86_64 filters with libseccomp (Debian's
# python3-seccomp) for the equivalence tests, and writes them as
# tcpdump -ddd text:
#   docker_like.ddd         libseccomp's default layout
#   docker_like_tree.ddd    the same policy, binary tree (CTL_OPTIMIZE=2)
#   docker_like_minus.ddd   the same policy less one allowed syscall (tree)
#   docker_like_arg.ddd     the same policy with one argument value changed
# Usage: /usr/bin/python3 gen_libseccomp.py NAMES_FILE OUTDIR
import os, sys, tempfile, struct, errno
import seccomp

names_file, outdir = sys.argv[1], sys.argv[2]
names = []
for line in open(names_file):
    line = line.strip()
    if line and not line.startswith('#'):
        try:
            seccomp.resolve_syscall(seccomp.Arch.X86_64, line)
        except Exception:
            continue
        names.append(line)
names = [n for n in names if n not in ('personality', 'clone', 'socket')]

def build(optimize, drop=None, personality_value=0x0):
    f = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
    if optimize:
        f.set_attr(seccomp.Attr.CTL_OPTIMIZE, 2)
    for n in names:
        if n != drop:
            f.add_rule(seccomp.ALLOW, n)
    # Argument rules in the style of Docker's profile.
    for v in (personality_value, 0x8, 0x20000, 0x20008, 0xffffffff):
        f.add_rule(seccomp.ALLOW, 'personality', seccomp.Arg(0, seccomp.EQ, v))
    f.add_rule(seccomp.ALLOW, 'clone', seccomp.Arg(0, seccomp.MASKED_EQ, 0x7e020000, 0))
    for fam in (1, 2, 10, 16):
        f.add_rule(seccomp.ALLOW, 'socket', seccomp.Arg(0, seccomp.EQ, fam))
    fd, path = tempfile.mkstemp()
    with os.fdopen(fd, 'wb') as out:
        f.export_bpf(out)
    data = open(path, 'rb').read()
    os.unlink(path)
    insns = [struct.unpack('<HBBI', data[i:i+8]) for i in range(0, len(data), 8)]
    return '%d\n' % len(insns) + ''.join('%d %d %d %d\n' % i for i in insns)

outs = {
    'docker_like.ddd': build(False),
    'docker_like_tree.ddd': build(True),
    'docker_like_minus.ddd': build(True, drop='chown'),
    'docker_like_arg.ddd': build(False, personality_value=0x1),
}
for name, text in outs.items():
    with open(os.path.join(outdir, name), 'w') as f:
        f.write(text)
