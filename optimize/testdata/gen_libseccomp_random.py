# A random libseccomp filter (python3-seccomp): gen_libseccomp_random.py SEED OUT.bpf
# writes it raw; seed 8 made size_longer_libseccomp.ddd (as cbpf disasm -o ddd).
import seccomp, sys, random
random.seed(int(sys.argv[1]))
f = seccomp.SyscallFilter(defaction=random.choice([seccomp.KILL, seccomp.ERRNO(38), seccomp.ALLOW]))
for a in random.sample(["X86", "X32", "AARCH64", "ARM"], random.randint(0,3)):
    try: f.add_arch(getattr(seccomp.Arch, a))
    except Exception: pass
nrs = list(range(0, 330))
for nr in random.sample(nrs, random.randint(50, 300)):
    act = random.choice([seccomp.ALLOW, seccomp.ALLOW, seccomp.ERRNO(1), seccomp.TRAP, seccomp.LOG, seccomp.ERRNO(nr % 50)])
    try:
        nm = seccomp.resolve_syscall(seccomp.Arch.NATIVE, nr).decode()
    except Exception:
        continue
    try:
        k = random.random()
        if k < 0.4:
            ops = [seccomp.EQ, seccomp.NE, seccomp.GT, seccomp.GE, seccomp.LT, seccomp.LE]
            args = []
            for i in random.sample(range(6), random.randint(1,2)):
                if random.random() < 0.2:
                    args.append(seccomp.Arg(i, seccomp.MASKED_EQ, random.choice([0xff,0xffffffff00000000,1]), random.choice([0,1,0x100000000])))
                else:
                    args.append(seccomp.Arg(i, random.choice(ops), random.choice([0,1,2,0xffffffff,0x100000000,0xffffffffffffffff,0x80000000])))
            f.add_rule(act, nm, *args)
        else:
            f.add_rule(act, nm)
    except Exception:
        pass
f.export_bpf(open(sys.argv[2], "wb"))
