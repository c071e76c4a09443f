# Dumps libseccomp's syscall tables for the arch tests (run by
# libseccomp_test.go with /usr/bin/python3 and python3-seccomp).
#
# Usage: libseccomp_dump.py NAME... (names to resolve on every arch)
# Output, one record a line:
#   A arch audit          libseccomp's AUDIT_ARCH value for the arch
#   E arch number name    every number libseccomp resolves to a name
#   R arch name number    seccomp_syscall_resolve_name_arch for each NAME
import sys
import seccomp

# cbpf name -> (libseccomp arch attribute, first number, count)
ARCHES = {
    "x86": ("X86", 0, 1100),
    "x86_64": ("X86_64", 0, 1100),
    "x32": ("X32", 0x40000000, 1100),
    "arm": ("ARM", 0, 1100),
    "aarch64": ("AARCH64", 0, 1100),
    "loongarch64": ("LOONGARCH64", 0, 1100),
    "mips": ("MIPS", 4000, 1100),
    "mipsel": ("MIPSEL", 4000, 1100),
    "mips64": ("MIPS64", 5000, 1100),
    "mipsel64": ("MIPSEL64", 5000, 1100),
    "ppc64": ("PPC64", 0, 1100),
    "ppc64le": ("PPC64LE", 0, 1100),
    "riscv64": ("RISCV64", 0, 1100),
    "s390x": ("S390X", 0, 1100),
}
EXTRA = {"arm": range(0x0F0000, 0x0F0010)}

out = []
for name, (attr, base, count) in ARCHES.items():
    arch = getattr(seccomp.Arch, attr, None)
    if arch is None:
        continue  # this libseccomp predates the arch
    out.append("A %s %d" % (name, int(arch) & 0xFFFFFFFF))
    for nr in list(range(base, base + count)) + list(EXTRA.get(name, [])):
        try:
            sc = seccomp.resolve_syscall(arch, nr)
        except ValueError:
            continue
        out.append("E %s %d %s" % (name, nr, sc.decode()))
    for sc in sys.argv[1:]:
        try:
            v = seccomp.resolve_syscall(arch, sc)
        except ValueError:
            continue
        out.append("R %s %s %d" % (name, sc, v))
print("\n".join(out))
