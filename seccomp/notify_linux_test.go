package seccomp

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
)

// The basic targets notify mknodat, which neither Go's runtime nor the
// tests call otherwise, and use its six argument registers as data.

var _ = registerTarget("respond", func() {
	targetInstall(FlagWaitKillableRecv, "mknodat")
	s := append([]byte("hello, supervisor"), 0)
	args := []uintptr{0x1111, uintptr(unsafe.Pointer(&s[0])), 0x3333, 0x4444, 0x5555, 0xffff9c9c}
	r, e := rawSyscall6(unix.SYS_MKNODAT, args...)
	if r != 42 || e != 0 {
		tfail("value: got %d, %v; want 42", int(r), e)
	}
	runtime.KeepAlive(s)
	if _, e := rawSyscall6(unix.SYS_MKNODAT, 2); e != unix.EXDEV {
		tfail("errno: got %v, want EXDEV", e)
	}
	// Continue: the kernel runs the call; mknodat on fd 1234 fails EBADF.
	p := append([]byte("x"), 0)
	if _, e := rawSyscall6(unix.SYS_MKNODAT, 1234, uintptr(unsafe.Pointer(&p[0])), unix.S_IFIFO|0600); e != unix.EBADF {
		tfail("continue: got %v, want EBADF from the real call", e)
	}
	runtime.KeepAlive(p)
	tok("respond")
})

func TestNotifyRespond(t *testing.T) {
	tg := startTarget(t, "respond")
	n := tg.receive()
	if name, ok := n.SyscallName(); !ok || name != "mknodat" {
		t.Errorf("SyscallName = %q, %v", name, ok)
	}
	if n.Arch != arch.Host().Audit || n.SyscallArch() != arch.Host() || n.PID != tg.cmd.Process.Pid && n.PID <= 0 {
		t.Errorf("notification arch %#x pid %d (target %d)", n.Arch, n.PID, tg.cmd.Process.Pid)
	}
	if n.InstructionPointer == 0 || n.Flags != 0 {
		t.Errorf("ip %#x flags %#x", n.InstructionPointer, n.Flags)
	}
	if n.Args[0] != 0x1111 || n.Args[2] != 0x3333 || n.Args[3] != 0x4444 || n.Args[4] != 0x5555 || n.Args[5] != 0xffff9c9c {
		t.Errorf("args %#x", n.Args)
	}
	if s, err := tg.L.ReadString(n, 1, 100); err != nil || s != "hello, supervisor" {
		t.Errorf("ReadString = %q, %v", s, err)
	}
	if _, err := tg.L.ReadString(n, 1, 5); !errors.Is(err, unix.ENAMETOOLONG) {
		t.Errorf("ReadString max 5: %v, want ENAMETOOLONG", err)
	}
	if _, err := tg.L.ReadString(n, 0, 100); !errors.Is(err, unix.EFAULT) {
		t.Errorf("ReadString of address 0x1111: %v, want EFAULT", err)
	}
	b := make([]byte, 5)
	if err := tg.L.ReadMem(n, n.Args[1], b); err != nil || string(b) != "hello" {
		t.Errorf("ReadMem = %q, %v", b, err)
	}
	if ok, err := tg.L.IDValid(n.ID); !ok || err != nil {
		t.Errorf("IDValid of a pending call = %v, %v", ok, err)
	}
	if err := tg.L.Respond(n.ID, ReturnValue(42)); err != nil {
		t.Fatal(err)
	}
	if ok, err := tg.L.IDValid(n.ID); ok || err != nil {
		t.Errorf("IDValid of an answered call = %v, %v", ok, err)
	}
	if err := tg.L.Respond(n.ID, ReturnValue(1)); !errors.Is(err, ErrNotifGone) && !errors.Is(err, ErrAnswered) {
		t.Errorf("second answer: %v, want ErrAnswered or ErrNotifGone", err)
	}
	n = tg.receive()
	if err := tg.L.Respond(n.ID, ReturnErrno(0)); err == nil {
		t.Error("ReturnErrno(0) accepted")
	}
	if err := tg.L.Respond(n.ID, Response{}); err == nil {
		t.Error("empty Response accepted")
	}
	if err := tg.L.Respond(n.ID, ReturnErrno(unix.EXDEV)); err != nil {
		t.Fatal(err)
	}
	n = tg.receive()
	if err := tg.L.Respond(n.ID, ContinueSyscall()); err != nil {
		t.Fatal(err)
	}
	tg.wait("respond")
}

// The ADDFD target gets descriptors back and checks they are the file
// named in CBPF_NOTIFY_FILE.
var _ = registerTarget("addfd", func() {
	targetInstall(FlagWaitKillableRecv, "mknodat")
	var want unix.Stat_t
	if err := unix.Stat(os.Getenv("CBPF_NOTIFY_FILE"), &want); err != nil {
		tfail("stat: %v", err)
		return
	}
	check := func(what string, fd uintptr, e syscall.Errno, cloexec bool) {
		var st unix.Stat_t
		if e != 0 {
			tfail("%s: %v", what, e)
			return
		}
		if err := unix.Fstat(int(fd), &st); err != nil || st.Ino != want.Ino || st.Dev != want.Dev {
			tfail("%s: fd %d is not the file (%v)", what, fd, err)
			return
		}
		fl, err := unix.FcntlInt(fd, unix.F_GETFD, 0)
		if err != nil || (fl&unix.FD_CLOEXEC != 0) != cloexec {
			tfail("%s: fd flags %#x, %v; want cloexec %v", what, fl, err, cloexec)
			return
		}
		tok("%s", what)
		unix.Close(int(fd))
	}
	r, e := rawSyscall6(unix.SYS_MKNODAT, 1)
	check("addfd", r, e, false)
	r, e = rawSyscall6(unix.SYS_MKNODAT, 2)
	check("addfd-send", r, e, true)
	r, e = rawSyscall6(unix.SYS_MKNODAT, 3)
	if r != 77 {
		tfail("setfd: returned %d, want 77", r)
	}
	check("addfd-setfd", r, e, false)
	r, e = rawSyscall6(unix.SYS_MKNODAT, 4)
	check("returnfd", r, e, true)
})

func TestNotifyAddFD(t *testing.T) {
	path := t.TempDir() + "/file"
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tg := startTarget(t, "addfd", "CBPF_NOTIFY_FILE="+path)
	fd := int(f.Fd())

	n := tg.receive() // 1: ADDFD, then Respond with the number
	tfd, err := tg.L.AddFD(n.ID, fd, AddFDOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := tg.L.Respond(n.ID, ReturnValue(int64(tfd))); err != nil {
		t.Fatal(err)
	}
	n = tg.receive() // 2: ADDFD with SEND
	if _, err := tg.L.AddFD(n.ID, fd, AddFDOptions{Send: true, CloseOnExec: true}); err != nil {
		t.Fatal(err)
	}
	if err := tg.L.Respond(n.ID, ReturnValue(0)); !errors.Is(err, ErrNotifGone) && !errors.Is(err, ErrAnswered) {
		t.Errorf("Respond after SEND: %v, want ErrAnswered or ErrNotifGone", err)
	}
	n = tg.receive() // 3: SETFD 77
	if _, err := tg.L.AddFD(n.ID, fd, AddFDOptions{SetFD: true, TargetFD: -1}); err == nil {
		t.Error("AddFD to target fd -1 accepted")
	}
	if _, err := tg.L.AddFD(n.ID, -1, AddFDOptions{}); err == nil {
		t.Error("AddFD of fd -1 accepted")
	}
	if tfd, err := tg.L.AddFD(n.ID, fd, AddFDOptions{SetFD: true, TargetFD: 77}); err != nil || tfd != 77 {
		t.Fatalf("SETFD: %d, %v", tfd, err)
	}
	if err := tg.L.Respond(n.ID, ReturnValue(77)); err != nil {
		t.Fatal(err)
	}
	n = tg.receive() // 4: ReturnFD
	g, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := tg.L.Respond(n.ID, ReturnFD(g, true)); err != nil {
		t.Fatal(err)
	}
	if err := g.Close(); err == nil {
		t.Error("ReturnFD left the file open")
	}
	tg.wait("addfd", "addfd-send", "addfd-setfd", "returnfd")
}

var _ = registerTarget("block", func() {
	targetInstall(FlagWaitKillableRecv, "mknodat")
	r, e := rawSyscall6(unix.SYS_MKNODAT, 1)
	tok("first %d %d", int(r), int(e))
	// The listener is gone by now: the kernel answers ENOSYS at once.
	r, e = rawSyscall6(unix.SYS_MKNODAT, 2)
	tok("second %d %d", int(r), int(e))
})

// TestNotifyTargetDied: after the target is killed, its notification is
// no longer valid, and reading, answering and adding fds say so.
func TestNotifyTargetDied(t *testing.T) {
	tg := startTarget(t, "block")
	n := tg.receive()
	if ok, err := tg.L.IDValid(n.ID); !ok || err != nil {
		t.Fatalf("IDValid while blocked = %v, %v", ok, err)
	}
	tg.kill()
	if ok, err := tg.L.IDValid(n.ID); ok || err != nil {
		t.Errorf("IDValid after death = %v, %v; want false", ok, err)
	}
	if _, err := tg.L.ReadString(n, 0, 10); !errors.Is(err, ErrNotifGone) {
		t.Errorf("ReadString after death: %v, want ErrNotifGone", err)
	}
	if err := tg.L.Respond(n.ID, ReturnValue(0)); !errors.Is(err, ErrNotifGone) {
		t.Errorf("Respond after death: %v, want ErrNotifGone", err)
	}
	if _, err := tg.L.AddFD(n.ID, 0, AddFDOptions{Send: true}); !errors.Is(err, ErrNotifGone) {
		t.Errorf("AddFD after death: %v, want ErrNotifGone", err)
	}
	// Reaped and alone: the listener has no targets left.
	ctx, cancel := context.WithTimeout(context.Background(), targetTimeout)
	defer cancel()
	if _, err := tg.L.Receive(ctx); !errors.Is(err, ErrNoTargets) {
		t.Errorf("Receive after the target was reaped: %v, want ErrNoTargets", err)
	}
}

// TestNotifyCloseUnblocks: Close ends a blocked Receive, and the target's
// pending and later calls fail with ENOSYS.
func TestNotifyCloseUnblocks(t *testing.T) {
	tg := startTarget(t, "block")
	n := tg.receive() // the first call waits for an answer that never comes
	_ = n
	got := make(chan error, 1)
	go func() {
		_, err := tg.L.Receive(context.Background())
		got <- err
	}()
	time.Sleep(50 * time.Millisecond) // let it block in poll
	if err := tg.L.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if !errors.Is(err, ErrListenerClosed) {
			t.Errorf("blocked Receive: %v, want ErrListenerClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Receive still blocked 10s after Close")
	}
	if err := tg.L.Close(); !errors.Is(err, ErrListenerClosed) {
		t.Errorf("second Close: %v", err)
	}
	if _, err := tg.L.Receive(context.Background()); !errors.Is(err, ErrListenerClosed) {
		t.Errorf("Receive after Close: %v", err)
	}
	if err := tg.L.Respond(n.ID, ReturnValue(0)); !errors.Is(err, ErrListenerClosed) {
		t.Errorf("Respond after Close: %v", err)
	}
	enosys := strconv.Itoa(-1) + " " + strconv.Itoa(int(unix.ENOSYS))
	tg.wait("first "+enosys, "second "+enosys)
}

// TestNotifyReceiveContext: a Receive blocked with nothing to receive
// returns when its context ends, and the listener stays usable.
func TestNotifyReceiveContext(t *testing.T) {
	tg := startTarget(t, "block")
	n := tg.receive()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := tg.L.Receive(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Receive: %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Receive took %v to see its deadline", d)
	}
	if err := tg.L.Respond(n.ID, ReturnValue(5)); err != nil {
		t.Fatal(err)
	}
	n = tg.receive()
	if err := tg.L.Respond(n.ID, ReturnValue(6)); err != nil {
		t.Fatal(err)
	}
	tg.wait("first 5 0", "second 6 0")
}

func TestNewListenerRefuses(t *testing.T) {
	needNotify(t)
	if _, err := NewListener(nil); err == nil {
		t.Error("NewListener(nil) accepted")
	}
	f, err := os.Open("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewListener(f); err == nil {
		t.Error("NewListener(/dev/null) accepted")
	}
}

func TestNotifPointer(t *testing.T) {
	x86, _ := arch.Lookup("x86")
	x32, _ := arch.Lookup("x32")
	amd, _ := arch.Lookup("x86_64")
	n := &Notif{Arch: x86.Audit, Nr: 295, Args: [6]uint64{0xdead_0000_1000}}
	if n.SyscallArch() != x86 || n.Pointer(0) != 0x1000 {
		t.Errorf("x86: %v %#x", n.SyscallArch(), n.Pointer(0))
	}
	if name, _ := n.SyscallName(); name != "openat" {
		t.Errorf("x86 295 = %q, want openat", name)
	}
	n = &Notif{Arch: amd.Audit, Nr: int32(257 | arch.X32SyscallBit), Args: [6]uint64{0xdead_0000_1000}}
	if n.SyscallArch() != x32 || n.Pointer(0) != 0xdead_0000_1000 {
		t.Errorf("x32: %v %#x", n.SyscallArch(), n.Pointer(0))
	}
	if name, _ := n.SyscallName(); name != "openat" {
		t.Errorf("x32 openat = %q", name)
	}
	n = &Notif{Arch: 0x1234}
	if n.SyscallArch() != nil || n.Pointer(7) != 0 {
		t.Error("unknown arch")
	}
	if _, ok := n.SyscallName(); ok {
		t.Error("unknown arch named")
	}
}

// The strings target passes strings that cross a page boundary: one
// ends in the second page, one runs into an unmapped page.
var _ = registerTarget("strings", func() {
	targetInstall(FlagWaitKillableRecv, "mknodat")
	pg := os.Getpagesize()
	m, err := unix.Mmap(-1, 0, 2*pg, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		tfail("mmap: %v", err)
		return
	}
	copy(m[pg-3:], "abcdef\x00")
	rawSyscall6(unix.SYS_MKNODAT, 0, uintptr(unsafe.Pointer(&m[pg-3])))
	if err := unix.Mprotect(m[pg:], unix.PROT_NONE); err != nil {
		tfail("mprotect: %v", err)
		return
	}
	copy(m[pg-3:pg], "xyz")
	rawSyscall6(unix.SYS_MKNODAT, 0, uintptr(unsafe.Pointer(&m[pg-3])))
	tok("strings")
})

func TestNotifyReadStringPages(t *testing.T) {
	tg := startTarget(t, "strings")
	n := tg.receive()
	if s, err := tg.L.ReadString(n, 1, 4096); err != nil || s != "abcdef" {
		t.Errorf("string across pages: %q, %v", s, err)
	}
	tg.L.Respond(n.ID, ReturnValue(0))
	n = tg.receive()
	if s, err := tg.L.ReadString(n, 1, 4096); !errors.Is(err, unix.EFAULT) {
		t.Errorf("string into an unreadable page: %q, %v; want EFAULT", s, err)
	}
	b := make([]byte, 3)
	if err := tg.L.ReadMem(n, n.Args[1], b); err != nil || string(b) != "xyz" {
		t.Errorf("ReadMem up to the page end: %q, %v", b, err)
	}
	if err := tg.L.ReadMem(n, n.Args[1], make([]byte, 4)); !errors.Is(err, unix.EFAULT) {
		t.Errorf("ReadMem into an unreadable page: %v, want EFAULT", err)
	}
	tg.L.Respond(n.ID, ReturnValue(0))
	tg.wait("strings")
}

// TestListenerDropped: a Listener nobody closes releases the filter's
// listener when it is collected, so the target is not left waiting.
func TestListenerDropped(t *testing.T) {
	tg := startTarget(t, "block")
	fd, err := unix.FcntlInt(uintptr(tg.L.fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	tg.L.Close()
	func() {
		l, err := NewListener(os.NewFile(uintptr(fd), "listener"))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), targetTimeout)
		defer cancel()
		if _, err := l.Receive(ctx); err != nil {
			t.Fatal(err)
		}
	}()
	deadline := time.Now().Add(targetTimeout)
	for {
		runtime.GC()
		select {
		case <-tg.done:
		case <-time.After(20 * time.Millisecond):
			if time.Now().Before(deadline) {
				continue
			}
		}
		break
	}
	enosys := strconv.Itoa(-1) + " " + strconv.Itoa(int(unix.ENOSYS))
	tg.wait("first "+enosys, "second "+enosys)
}
