package arch

import (
	"strings"
	"testing"
)

// Spot checks of Arg32 against the SYSCALL_DEFINE declarations of Linux
// 6.17 (read by hand, independently of arg32.txt's source).
func TestArg32Spot(t *testing.T) {
	all64 := []string{"x86_64", "x32", "aarch64", "riscv64", "ppc64", "ppc64le", "s390x", "mips64", "mipsel64", "loongarch64"}
	every := func(name string, want ...bool) []arg32Case {
		var cs []arg32Case
		for _, a := range all64 {
			cs = append(cs, arg32Case{a, name, want})
		}
		return cs
	}
	var cases []arg32Case
	for _, cs := range [][]arg32Case{
		// fs/open.c: int dfd, const char __user *filename, int flags, umode_t mode
		every("openat", true, false, true, true, false, false),
		// net/socket.c: int family, int type, int protocol
		every("socket", true, true, true, false, false, false),
		// fs/read_write.c: unsigned int fd, off_t offset, unsigned int whence
		every("lseek", true, false, true, false, false, false),
		// kernel/sys.c: int option, unsigned long arg2..arg5
		every("prctl", true, false, false, false, false, false),
		// kernel/futex/syscalls.c: u32 __user *uaddr, int op, u32 val,
		// const struct __kernel_timespec __user *utime, u32 __user *uaddr2, u32 val3
		every("futex", false, true, true, false, false, true),
		// kernel/signal.c: pid_t pid, int sig
		every("kill", true, true, false, false, false, false),
		// fs/read_write.c: unsigned int fd, const char __user *buf, size_t count
		every("write", true, false, false, false, false, false),
		// mm/mprotect.c: unsigned long start, size_t len, unsigned long prot
		every("mprotect", false, false, false, false, false, false),
		// kernel/fork.c: unsigned long flags, newsp, pointers, tls in a
		// different order on each arch, none of them 32-bit
		every("clone", false, false, false, false, false, false),
		{
			// mmap: every argument unsigned long or off_t, on every arch
			// (arch/x86/kernel/sys_x86_64.c, arch/arm64/kernel/sys.c,
			// arch/riscv/kernel/sys_riscv.c, arch/loongarch/kernel/syscall.c,
			// arch/powerpc/kernel/syscalls.c, arch/mips/kernel/syscall.c);
			// s390x's mmap is old_mmap(struct mmap_arg_struct __user *)
			{"x86_64", "mmap", []bool{false, false, false, false, false, false}},
			{"aarch64", "mmap", []bool{false, false, false, false, false, false}},
			{"riscv64", "mmap", []bool{false, false, false, false, false, false}},
			{"loongarch64", "mmap", []bool{false, false, false, false, false, false}},
			{"ppc64le", "mmap", []bool{false, false, false, false, false, false}},
			{"mips64", "mmap", []bool{false, false, false, false, false, false}},
			{"s390x", "mmap", []bool{false, false, false, false, false, false}},
			// fs/ioctl.c: unsigned int fd, unsigned int cmd, unsigned long arg;
			// x32: compat_sys_ioctl's arg is a compat_ulong_t
			{"x86_64", "ioctl", []bool{true, true, false}},
			{"aarch64", "ioctl", []bool{true, true, false}},
			{"x32", "ioctl", []bool{true, true, true}},
			// net/socket.c: int fd, void __user *ubuf, size_t size, unsigned
			// int flags, ...; net/compat.c (x32): compat_size_t len
			{"x86_64", "recvfrom", []bool{true, false, false, true, false, false}},
			{"x32", "recvfrom", []bool{true, false, true, true, false, false}},
			// kernel/exec_domain.c: unsigned int personality; ppc64's own
			// (arch/powerpc/kernel/syscalls.c) takes an unsigned long
			{"x86_64", "personality", []bool{true}},
			{"s390x", "personality", []bool{true}},
			{"ppc64", "personality", []bool{false}},
			{"ppc64le", "personality", []bool{false}},
			// multiplexers: net/socket.c int call; ipc/syscall.c unsigned int
			// call, int first, unsigned long second, ...
			{"s390x", "socketcall", []bool{true, false}},
			{"ppc64", "socketcall", []bool{true, false}},
			{"s390x", "ipc", []bool{true, true, false, false, false, false}},
			{"ppc64", "ipc", []bool{true, true, false, false, false, false}},
			// x86_64 only: arch_prctl(int option, unsigned long arg2)
			{"x86_64", "arch_prctl", []bool{true, false}},
			// 32-bit ABIs: every register is 32 bits
			{"x86", "mmap2", []bool{true, true, true, true, true, true}},
			{"arm", "openat", []bool{true, true, true, true, true, true}},
			{"mips", "_llseek", []bool{true, true, true, true, true}},
		},
	} {
		cases = append(cases, cs...)
	}
	for _, c := range cases {
		a, err := Lookup(c.arch)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range c.want {
			if got := a.Arg32(c.name, i); got != want {
				t.Errorf("%s %s arg %d: Arg32 %v, want %v", c.arch, c.name, i, got, want)
			}
		}
	}
	x, _ := Lookup("x86_64")
	for _, c := range []struct {
		name string
		i    int
	}{{"openat", -1}, {"openat", 6}, {"no_such_call", 0}, {"socketcall", 0}} {
		if x.Arg32(c.name, c.i) {
			t.Errorf("x86_64 Arg32(%q, %d) is true", c.name, c.i)
		}
	}
}

type arg32Case struct {
	arch, name string
	want       []bool
}

// TestArg32Table checks arg32.txt: it parses, names only calls of the
// 64-bit tables and gives per-ABI lists only to ABIs that have the call.
func TestArg32Table(t *testing.T) {
	tab, err := parseArg32(arg32Text)
	if err != nil {
		t.Fatal(err)
	}
	var as []*Arch
	for _, a := range All() {
		if a.ArgBits == 64 {
			as = append(as, a)
		}
	}
	for name := range tab.common {
		found := false
		for _, a := range as {
			if _, ok := a.SyscallNumber(name); ok {
				found = true
			}
		}
		if !found {
			t.Errorf("arg32.txt: %s is no 64-bit ABI's syscall", name)
		}
	}
	for ab, m := range tab.byArch {
		a, _ := Lookup(ab)
		for name := range m {
			if _, ok := a.SyscallNumber(name); !ok {
				t.Errorf("arg32.txt: %s is not a syscall of %s", name, ab)
			}
		}
	}
	if len(tab.common) < 250 {
		t.Errorf("arg32.txt lists %d calls, want the whole table", len(tab.common))
	}
	for _, bad := range []string{"openat 0 2", "openat: 0 6", "openat: 1 1", "openat x86: 0", "openat nosuch: 0", "openat: 0\nopenat: 1", ": 0"} {
		if _, err := parseArg32(bad); err == nil {
			t.Errorf("parseArg32(%q) accepts it", bad)
		} else if !strings.Contains(err.Error(), "line") {
			t.Errorf("parseArg32(%q): %v, want a line number", bad, err)
		}
	}
}
