//go:build linux && (amd64 || arm64 || riscv64 || ppc64 || ppc64le || s390x || mips64 || mips64le || loong64)

package arch

import (
	"io"
	"os"
	"runtime"
	"syscall"
	"testing"
	"unsafe"
)

// TestArg32Kernel makes calls on the host with the high half of
// arguments set and checks that the kernel ignores it exactly where
// Arg32 says it reads the argument as 32-bit (and not for the 64-bit
// arguments tried: lseek's offset, pread64's position).
func TestArg32Kernel(t *testing.T) {
	a := Host()
	if a == nil || a.ArgBits != 64 {
		t.Fatalf("host arch %v is not a 64-bit ABI", a)
	}
	const hi = uintptr(0x5a5a5a5a) << 32
	call := func(name string, args ...uintptr) (uintptr, syscall.Errno) {
		t.Helper()
		nr, ok := a.SyscallNumber(name)
		if !ok {
			t.Fatalf("%s: no %s", a.Name, name)
		}
		var v [6]uintptr
		copy(v[:], args)
		r, _, e := syscall.Syscall6(uintptr(nr), v[0], v[1], v[2], v[3], v[4], v[5])
		return r, e
	}
	claim := func(name string, i int, want bool) {
		t.Helper()
		if got := a.Arg32(name, i); got != want {
			t.Errorf("%s %s arg %d: Arg32 %v, but the kernel reads it as a %s value", a.Name, name, i, got, map[bool]string{true: "32-bit", false: "64-bit"}[want])
		}
	}

	f, err := os.CreateTemp(t.TempDir(), "arg32")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("0123456789"); err != nil {
		t.Fatal(err)
	}
	fd := f.Fd()
	path, err := syscall.BytePtrFromString(f.Name())
	if err != nil {
		t.Fatal(err)
	}

	// fcntl(unsigned int fd, unsigned int cmd, unsigned long arg)
	r0, e0 := call("fcntl", fd, syscall.F_GETFD)
	if r, e := call("fcntl", fd|hi, syscall.F_GETFD|hi); r != r0 || e != e0 || e != 0 {
		t.Errorf("fcntl with high halves: %d %v, without: %d %v", r, e, r0, e0)
	} else {
		claim("fcntl", 0, true)
		claim("fcntl", 1, true)
	}
	// lseek(unsigned int fd, off_t offset, unsigned int whence)
	if r, e := call("lseek", fd|hi, 7, uintptr(io.SeekStart)|hi); r != 7 || e != 0 {
		t.Errorf("lseek(fd|hi, 7, SEEK_SET|hi) = %d %v, want 7", r, e)
	} else {
		claim("lseek", 0, true)
		claim("lseek", 2, true)
	}
	if r, e := call("lseek", fd, 7|1<<32, uintptr(io.SeekStart)); r != 7|1<<32 || e != 0 {
		t.Errorf("lseek(fd, 1<<32|7, SEEK_SET) = %#x %v, want 0x100000007", r, e)
	} else {
		claim("lseek", 1, false)
	}
	// pread64(unsigned int fd, char __user *buf, size_t count, loff_t pos)
	// Heap memory (which Go does not move), kept alive to the end.
	buf := make([]byte, 4)
	defer runtime.KeepAlive(buf)
	defer runtime.KeepAlive(path)
	if r, e := call("pread64", fd|hi, uintptr(unsafe.Pointer(&buf[0])), 1, 2); r != 1 || e != 0 || buf[0] != '2' {
		t.Errorf("pread64(fd|hi, buf, 1, 2) = %d %v %q, want 1 '2'", r, e, buf[0])
	} else {
		claim("pread64", 0, true)
	}
	if r, e := call("pread64", fd, uintptr(unsafe.Pointer(&buf[0])), 1, 2|1<<32); r != 0 || e != 0 {
		t.Errorf("pread64(fd, buf, 1, 1<<32|2) = %d %v, want 0 (past the end)", r, e)
	} else {
		claim("pread64", 3, false)
	}
	// openat(int dfd, const char __user *filename, int flags, umode_t mode)
	// and close(unsigned int fd)
	atFDCWD := uintptr(0xffffff9c) // AT_FDCWD (-100) in the low half
	nfd, e := call("openat", atFDCWD|hi, uintptr(unsafe.Pointer(path)), syscall.O_RDONLY|syscall.O_CLOEXEC|hi, hi)
	if e != 0 {
		t.Errorf("openat with high halves on dfd, flags and mode: %v", e)
	} else {
		claim("openat", 0, true)
		claim("openat", 2, true)
		claim("openat", 3, true)
		if _, e := call("close", nfd|hi); e != 0 {
			t.Errorf("close(fd|hi): %v", e)
		} else if _, e := call("fcntl", nfd, syscall.F_GETFD); e != syscall.EBADF {
			t.Errorf("close(fd|hi) left fd %d open", nfd)
		} else {
			claim("close", 0, true)
		}
	}
	// socket(int family, int type, int protocol)
	if s, e := call("socket", syscall.AF_UNIX|hi, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC|hi, hi); e != 0 {
		t.Errorf("socket with high halves: %v", e)
	} else {
		call("close", s)
		claim("socket", 0, true)
		claim("socket", 1, true)
		claim("socket", 2, true)
	}
	// kill(pid_t pid, int sig), signal 0: a permission check only
	if _, e := call("kill", uintptr(os.Getpid())|hi, hi); e != 0 {
		t.Errorf("kill(pid|hi, 0|hi): %v", e)
	} else {
		claim("kill", 0, true)
		claim("kill", 1, true)
	}
	// getrandom(char __user *buf, size_t count, unsigned int flags)
	if r, e := call("getrandom", uintptr(unsafe.Pointer(&buf[0])), 4, hi); r != 4 || e != 0 {
		t.Errorf("getrandom(buf, 4, 0|hi) = %d %v", r, e)
	} else {
		claim("getrandom", 2, true)
	}
}
