package seccomp

import (
	"context"
	"encoding/binary"
	"os"
	"sync/atomic"
	"testing"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
)

// An i386 call under the amd64 kernel: a 64-bit process may enter the
// compat ABI with INT $0x80, and seccomp then reports AUDIT_ARCH_I386 and
// i386 numbers (openat is 295 there, 257 on x86_64). The target makes
// such a call from a few bytes of machine code it writes itself; the
// PathHandler must read the call from the x86 table and serve it.

// int80 runs openat(dirfd, path, flags, 0) through INT $0x80 and returns
// eax. path must lie below 4 GiB (the compat ABI has 32-bit pointers).
func int80(nr uint32, dirfd int32, path uintptr, flags uint32) int32 {
	code, err := unix.Mmap(-1, 0, os.Getpagesize(), unix.PROT_READ|unix.PROT_WRITE|unix.PROT_EXEC, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_32BIT)
	if err != nil {
		panic(err)
	}
	defer unix.Munmap(code)
	var result int32
	le := binary.LittleEndian
	c := []byte{0xb8, 0, 0, 0, 0} // mov eax, nr
	le.PutUint32(c[1:], nr)
	for _, r := range []struct {
		op byte
		v  uint32
	}{{0xbb, uint32(dirfd)}, {0xb9, uint32(path)}, {0xba, flags}, {0xbe, 0}} { // ebx, ecx, edx, esi
		c = append(c, r.op, 0, 0, 0, 0)
		le.PutUint32(c[len(c)-4:], r.v)
	}
	c = append(c, 0xcd, 0x80)                                                      // int $0x80
	c = le.AppendUint64(append(c, 0xa3), uint64(uintptr(unsafe.Pointer(&result)))) // mov [&result], eax
	c = append(c, 0xc3)                                                            // ret
	copy(code, c)
	entry := uintptr(unsafe.Pointer(&code[0]))
	fv := &entry
	fn := *(*func())(unsafe.Pointer(&fv))
	fn()
	return result
}

// i386Prog notifies i386 openat and allows everything else of both ABIs.
func i386Prog() []bpf.RawInstruction {
	x86, _ := arch.Lookup("x86")
	openat, _ := x86.SyscallNumber("openat")
	raw, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 4, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: arch.Host().Audit, SkipTrue: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: x86.Audit, SkipFalse: 4},
		bpf.LoadAbsolute{Off: 0, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: openat, SkipFalse: 1},
		bpf.RetConstant{Val: action.UserNotif},
		bpf.RetConstant{Val: action.Allow},
		bpf.RetConstant{Val: action.KillProcess},
	})
	if err != nil {
		panic(err)
	}
	return raw
}

var _ = registerTarget("i386", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	f, err := Install(i386Prog(), Options{Flags: FlagNewListener | FlagWaitKillableRecv})
	if err != nil {
		tfail("install: %v", err)
		return
	}
	sock := os.NewFile(3, "sock")
	if err := unix.Sendmsg(int(sock.Fd()), []byte("L"), unix.UnixRights(int(f.Fd())), nil, 0); err != nil {
		tfail("sendmsg: %v", err)
		return
	}
	f.Close()
	sock.Close()
	x86, _ := arch.Lookup("x86")
	openat, _ := x86.SyscallNumber("openat")
	mem, err := unix.Mmap(-1, 0, os.Getpagesize(), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_32BIT)
	if err != nil {
		tfail("mmap: %v", err)
		return
	}
	open := func(p string) int32 {
		copy(mem, append([]byte(p), 0))
		return int80(openat, unix.AT_FDCWD, uintptr(unsafe.Pointer(&mem[0])), 0x8000) // O_LARGEFILE, as i386 libc passes it
	}
	a := dir + "/allowed/a.txt"
	fd := open(a)
	var st, want unix.Stat_t
	if fd < 0 || unix.Fstat(int(fd), &st) != nil || unix.Stat(a, &want) != nil || st.Ino != want.Ino {
		tfail("i386 openat inside: %d", fd)
	} else {
		tok("i386 inside")
	}
	if fd := open(dir + "/secret.txt"); fd != -int32(testDeny) {
		tfail("i386 openat outside: %d, want -%d", fd, int(testDeny))
	} else {
		tok("i386 outside")
	}
})

func TestPathHandlerI386(t *testing.T) {
	dir := pathTree(t)
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	x86, _ := arch.Lookup("x86")
	var sawI386 atomic.Bool
	g := HandlerFunc(func(ctx context.Context, l *Listener, n *Notif) Response {
		if n.SyscallArch() == x86 {
			sawI386.Store(true)
		}
		return h.Handle(ctx, l, n)
	})
	tg := startTarget(t, "i386", "CBPF_NOTIFY_DIR="+dir)
	stop := supervise(t, tg.L, g)
	tg.wait("i386 inside", "i386 outside")
	stop()
	if !sawI386.Load() {
		t.Error("no notification with the x86 arch")
	}
}
