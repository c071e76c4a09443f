#!/usr/bin/python3
"""Build the seccomp filter runc would build for an OCI profile, with
libseccomp (Debian's python3-seccomp), and run it on test vectors.

This is the independent oracle for policy.ParseOCI: it shares no code with
cbpf. It reads JSON on stdin (or {"batch": [request, ...], "timeout":
seconds}, answered with a list of replies, each computed in a child
process: a request libseccomp does not finish in time, default 10 s, gets
{"hang": true}):

    {"spec": <runtime-spec linux.seccomp object>,
     "native": "x86_64",             # the arch libseccomp adds by itself
     "vectors": [[arch, nr, a0, a1, a2, a3, a4, a5, archname], ...]}

and writes {"error": null or "why runc fails", "unknown": [names runc
skips], "results": [seccomp return value per vector], "names": [the name
libseccomp gives nr on archname, or null, per vector], "prog": [[code, jt,
jf, k], ...] the exported filter}.

The conversion follows runc's libcontainer/seccomp (getAction, matchCall):
KILL is KILL_THREAD, errnoRet defaults to EPERM for ERRNO and TRACE, rules
with the default action are skipped, names libseccomp cannot resolve are
skipped, and an entry with several conditions on one argument is added as
one rule per condition.

The filter is exported with export_bpf and run by the small classic BPF
interpreter below (not cbpf's vm, which is under test).
"""
import json
import os
import select
import signal
import struct
import sys
import tempfile
import time

import seccomp

EPERM = 1
ACTIONS = {  # python3-seccomp's action values are signed C ints
    "SCMP_ACT_KILL": lambda r: seccomp.KILL,
    "SCMP_ACT_KILL_THREAD": lambda r: seccomp.KILL,
    "SCMP_ACT_KILL_PROCESS": lambda r: seccomp.KILL_PROCESS,
    "SCMP_ACT_TRAP": lambda r: seccomp.TRAP,
    "SCMP_ACT_ERRNO": lambda r: seccomp.ERRNO(errno_data(r)),
    "SCMP_ACT_TRACE": lambda r: seccomp.TRACE(errno_data(r)),
    "SCMP_ACT_ALLOW": lambda r: seccomp.ALLOW,
    "SCMP_ACT_LOG": lambda r: seccomp.LOG,
    "SCMP_ACT_NOTIFY": lambda r: seccomp.NOTIFY,
}


def errno_data(r):
    """runc: SetReturnCode(int16(errnoRet)), EPERM when unset."""
    return EPERM if r is None else r & 0xFFFF


OPS = {
    "SCMP_CMP_NE": seccomp.NE, "SCMP_CMP_LT": seccomp.LT, "SCMP_CMP_LE": seccomp.LE,
    "SCMP_CMP_EQ": seccomp.EQ, "SCMP_CMP_GE": seccomp.GE, "SCMP_CMP_GT": seccomp.GT,
    "SCMP_CMP_MASKED_EQ": seccomp.MASKED_EQ,
}
ARCHES = {  # runtime-spec name -> libseccomp name
    "SCMP_ARCH_X86": "x86", "SCMP_ARCH_X86_64": "x86_64", "SCMP_ARCH_X32": "x32",
    "SCMP_ARCH_ARM": "arm", "SCMP_ARCH_AARCH64": "aarch64",
    "SCMP_ARCH_MIPS": "mips", "SCMP_ARCH_MIPS64": "mips64",
    "SCMP_ARCH_MIPS64N32": "mips64n32", "SCMP_ARCH_MIPSEL": "mipsel",
    "SCMP_ARCH_MIPSEL64": "mipsel64", "SCMP_ARCH_MIPSEL64N32": "mipsel64n32",
    "SCMP_ARCH_PPC": "ppc", "SCMP_ARCH_PPC64": "ppc64", "SCMP_ARCH_PPC64LE": "ppc64le",
    "SCMP_ARCH_S390": "s390", "SCMP_ARCH_S390X": "s390x",
    "SCMP_ARCH_PARISC": "parisc", "SCMP_ARCH_PARISC64": "parisc64",
    "SCMP_ARCH_RISCV64": "riscv64",
}


class RuncError(Exception):
    pass


def action(name, ret):
    if name not in ACTIONS:
        raise RuncError("invalid action %r" % name)
    return ACTIONS[name](ret)


def build(spec, native):
    default = action(spec.get("defaultAction", ""), spec.get("defaultErrnoRet"))
    if default == seccomp.NOTIFY:
        raise RuncError("SCMP_ACT_NOTIFY cannot be used as default action")
    f = seccomp.SyscallFilter(default)
    host = seccomp.system_arch() & 0xFFFFFFFF
    arches = [native] + [ARCHES[a] if a in ARCHES else a for a in spec.get("architectures") or []]
    for a in arches:
        try:
            arch = seccomp.Arch(a)
        except Exception as e:
            raise RuncError("arch %s: %s" % (a, e))
        if int(arch) & 0xFFFFFFFF != host:
            try:
                f.add_arch(arch)
            except Exception as e:
                # runc (libseccomp-golang) accepts EEXIST (already there)
                # and fails on anything else, such as EDOM for an arch of
                # the other byte order.
                if "-17)" not in str(e):
                    raise RuncError("add_arch %s: %s" % (a, e))
    if int(seccomp.Arch(native)) & 0xFFFFFFFF != host:
        f.remove_arch(seccomp.Arch.NATIVE)
    unknown = []
    for call in spec.get("syscalls") or []:
        act = action(call.get("action", ""), call.get("errnoRet"))
        for name in call.get("names") or []:
            if act == seccomp.NOTIFY and name == "write":
                raise RuncError("SCMP_ACT_NOTIFY cannot be used for the write syscall")
            if act == default:
                continue
            # runc: libseccomp.GetSyscallFromName, which fails only for
            # names libseccomp does not know on any arch (__NR_SCMP_ERROR).
            try:
                nr = seccomp.resolve_syscall(seccomp.Arch.NATIVE, name)
            except Exception:
                nr = -1
            if nr == -1:
                unknown.append(name)
                continue
            conds, count = [], [0] * 6
            for a in call.get("args") or []:
                idx = a.get("index", 0)
                if idx > 5 or a.get("op") not in OPS:
                    raise RuncError("bad condition %r" % a)
                count[idx] += 1
                conds.append(seccomp.Arg(idx, OPS[a["op"]], a.get("value", 0), a.get("valueTwo", 0)))
            groups = [[c] for c in conds] if max(count) > 1 else [conds]
            for g in groups:
                try:
                    f.add_rule(act, name, *g)
                except Exception as e:
                    raise RuncError("add_rule %s: %s" % (name, e))
    return f, unknown


def export(f):
    with tempfile.TemporaryFile() as t:
        f.export_bpf(t)
        t.seek(0)
        raw = t.read()
    return [struct.unpack_from("=HBBI", raw, i) for i in range(0, len(raw), 8)]


def run(prog, data, order):
    """Classic BPF as the kernel runs it for seccomp."""
    a = x = 0
    mem = [0] * 16
    pc = 0
    m32 = 0xFFFFFFFF
    while True:
        code, jt, jf, k = prog[pc]
        pc += 1
        cls = code & 0x07
        if cls == 0x00:  # ld
            mode = code & 0xE0
            if mode == 0x20:
                a = struct.unpack_from(order + "I", data, k)[0]
            elif mode == 0x00:
                a = k
            elif mode == 0x60:
                a = mem[k]
            elif mode == 0x80:
                a = len(data)
            else:
                raise ValueError("ld %#x" % code)
        elif cls == 0x01:  # ldx
            mode = code & 0xE0
            x = k if mode == 0x00 else mem[k] if mode == 0x60 else len(data)
        elif cls == 0x02:
            mem[k] = a
        elif cls == 0x03:
            mem[k] = x
        elif cls == 0x04:  # alu
            v = x if code & 0x08 else k
            op = code & 0xF0
            if op == 0x00: a = (a + v) & m32
            elif op == 0x10: a = (a - v) & m32
            elif op == 0x20: a = (a * v) & m32
            elif op == 0x30: a = a // v if v else 0
            elif op == 0x40: a |= v
            elif op == 0x50: a &= v
            elif op == 0x60: a = (a << v) & m32 if v < 32 else 0
            elif op == 0x70: a = a >> v if v < 32 else 0
            elif op == 0x80: a = (-a) & m32
            elif op == 0xA0: a ^= v
            else: raise ValueError("alu %#x" % code)
        elif cls == 0x05:  # jmp
            op = code & 0xF0
            v = x if code & 0x08 else k
            if op == 0x00:
                pc += k
                continue
            if op == 0x10: t = a == v
            elif op == 0x20: t = a > v
            elif op == 0x30: t = a >= v
            elif op == 0x40: t = (a & v) != 0
            else: raise ValueError("jmp %#x" % code)
            pc += jt if t else jf
        elif cls == 0x06:  # ret
            return (a if code & 0x18 == 0x10 else k) & m32
        elif cls == 0x07:
            if code & 0xF8 == 0x00: x = a
            else: a = x


def main():
    req = json.load(sys.stdin)
    if "batch" in req:
        json.dump([isolated(r, req.get("timeout", 10)) for r in req["batch"]], sys.stdout)
    else:
        json.dump(answer(req), sys.stdout)


def isolated(req, timeout):
    """answer(req) in a child process: libseccomp 2.5.4 can loop forever
    on some rule sets; then the reply says "hang"."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        with os.fdopen(w, "w") as out:
            json.dump(answer(req), out)
        os._exit(0)
    os.close(w)
    chunks = []
    deadline = time.monotonic() + timeout
    with os.fdopen(r, "rb") as inp:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([inp], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return {"error": None, "hang": True, "unknown": [], "results": [], "names": []}
            chunk = os.read(inp.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks))


def answer(req):
    out = {"error": None, "unknown": [], "results": [], "names": []}
    try:
        f, out["unknown"] = build(req["spec"], req["native"])
    except RuncError as e:
        out["error"] = str(e)
        return out
    prog = export(f)
    out["prog"] = prog
    names = {}
    for v in req["vectors"]:
        key = (v[8], v[1])
        if key not in names:
            try:
                names[key] = seccomp.resolve_syscall(seccomp.Arch(v[8]), v[1]).decode()
            except Exception:
                names[key] = None
        out["names"].append(names[key])
        arch, nr, args = v[0], v[1], v[2:8]
        order = "<" if arch & 0x40000000 else ">"
        data = struct.pack(order + "iIQ6Q", nr, arch, 0, *args)
        out["results"].append(run(prog, data, order))
    return out


if __name__ == "__main__":
    main()
