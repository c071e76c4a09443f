package seccomp

// The notification tests run their targets in child processes: startTarget
// re-executes the test binary with -test.run=^TestNotifyChild$ and the
// name of a child function in notifyChildEnv. The child installs a filter
// with FlagNewListener (targetInstall), hands the listener back over the
// unix socket it got as fd 3, and does its work, printing "OK ..." and
// "FAIL ..." lines, which the parent checks after it exited.

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

const notifyChildEnv = "CBPF_SECCOMP_NOTIFY_CHILD"

// notifyChildren are the target programs, by name (filled by the test
// files' init-free var blocks below and in the other _test files).
var notifyChildren = map[string]func(){}

func registerTarget(name string, f func()) bool {
	notifyChildren[name] = f
	return true
}

func TestNotifyChild(t *testing.T) {
	name := os.Getenv(notifyChildEnv)
	if name == "" {
		return // only a target started by startTarget does anything here
	}
	f := notifyChildren[name]
	if f == nil {
		fmt.Printf("FAIL no target %q\n", name)
		os.Exit(3)
	}
	f()
	os.Exit(0)
}

// tfail and tok report from inside a target.
func tfail(format string, a ...any) { fmt.Printf("FAIL "+format+"\n", a...) }
func tok(format string, a ...any)   { fmt.Printf("OK "+format+"\n", a...) }

// notifyProg notifies the named syscalls of the host arch and allows the
// rest; another arch is killed.
func notifyProg(names ...string) []bpf.RawInstruction {
	h := arch.Host()
	ins := []bpf.Instruction{
		bpf.LoadAbsolute{Off: 4, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: h.Audit, SkipTrue: 1},
		bpf.RetConstant{Val: action.KillProcess},
		bpf.LoadAbsolute{Off: 0, Size: 4},
	}
	for _, name := range names {
		n, ok := h.SyscallNumber(name)
		if !ok {
			continue // open and creat are missing on newer arches
		}
		ins = append(ins,
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: n, SkipFalse: 1},
			bpf.RetConstant{Val: action.UserNotif})
	}
	ins = append(ins, bpf.RetConstant{Val: action.Allow})
	raw, err := bpf.Assemble(ins)
	if err != nil {
		panic(err)
	}
	return raw
}

// targetInstall installs notifyProg(names) in the target and sends the
// listener to the parent over fd 3; the target keeps no copy (else
// closing the parent's would not release the filter's listener).
func targetInstall(flags Flag, names ...string) {
	f, err := Install(notifyProg(names...), Options{Flags: FlagNewListener | flags})
	if err != nil {
		tfail("install: %v", err)
		os.Exit(1)
	}
	sock := os.NewFile(3, "sock")
	rights := unix.UnixRights(int(f.Fd()))
	if err := unix.Sendmsg(int(sock.Fd()), []byte("L"), rights, nil, 0); err != nil {
		tfail("sendmsg: %v", err)
		os.Exit(1)
	}
	f.Close()
	sock.Close()
}

// target is a running target child with its listener.
type target struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	L    *Listener
	out  *lockedBuffer
	errb *lockedBuffer
	done chan struct{}
	err  error // of Wait, once done is closed
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// needNotify: the tests need the kernel's user notifications on an arch
// package arch knows (CI must have them).
func needNotify(t *testing.T) {
	t.Helper()
	if arch.Host() == nil {
		testenv.Missing(t, "package arch does not know this GOARCH")
	}
	if err := FlagSupported(FlagNewListener | FlagWaitKillableRecv); err != nil {
		testenv.Missing(t, err.Error())
	}
	if _, err := listenerSizes(); err != nil {
		testenv.Missing(t, err.Error())
	}
}

const targetTimeout = time.Minute

// startTarget starts notifyChildren[name] and returns once it has sent
// its listener.
func startTarget(t *testing.T, name string, env ...string) *target {
	t.Helper()
	return startTargetWith(t, name, nil, env...)
}

// startTargetWith is startTarget with process attributes (namespaces).
func startTargetWith(t *testing.T, name string, attr *syscall.SysProcAttr, env ...string) *target {
	t.Helper()
	needNotify(t)
	if _, ok := notifyChildren[name]; !ok {
		t.Fatalf("no target %q", name)
	}
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	mine, theirs := os.NewFile(uintptr(fds[0]), "mine"), os.NewFile(uintptr(fds[1]), "theirs")
	defer mine.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestNotifyChild$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), notifyChildEnv+"="+name), env...)
	tg := &target{t: t, name: name, cmd: cmd, out: &lockedBuffer{}, errb: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = tg.out, tg.errb
	cmd.ExtraFiles = []*os.File{theirs}
	cmd.SysProcAttr = attr
	if err := cmd.Start(); err != nil {
		theirs.Close()
		t.Fatal(err)
	}
	theirs.Close()
	go func() {
		tg.err = cmd.Wait()
		close(tg.done)
	}()
	t.Cleanup(func() { tg.kill() })

	c, err := net.FileConn(mine)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	uc := c.(*net.UnixConn)
	uc.SetReadDeadline(time.Now().Add(targetTimeout))
	buf, oob := make([]byte, 8), make([]byte, unix.CmsgSpace(4))
	_, oobn, _, _, err := uc.ReadMsgUnix(buf, oob)
	if err != nil {
		tg.kill()
		t.Fatalf("target %s sent no listener: %v\nstdout: %s\nstderr: %s", name, err, tg.out, tg.errb)
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil || len(msgs) != 1 {
		t.Fatalf("target %s: control message: %v", name, err)
	}
	rights, err := unix.ParseUnixRights(&msgs[0])
	if err != nil || len(rights) != 1 {
		t.Fatalf("target %s: rights: %v", name, err)
	}
	l, err := NewListener(os.NewFile(uintptr(rights[0]), "listener"))
	if err != nil {
		t.Fatal(err)
	}
	tg.L = l
	t.Cleanup(func() { l.Close() })
	return tg
}

// kill ends the target if it still runs and waits for it.
func (tg *target) kill() {
	select {
	case <-tg.done:
		return
	default:
	}
	tg.cmd.Process.Kill()
	<-tg.done
}

// wait waits for the target to exit (killing it after the timeout) and
// checks its report: no FAIL lines, and every want line among its OKs.
func (tg *target) wait(want ...string) string {
	tg.t.Helper()
	select {
	case <-tg.done:
	case <-time.After(targetTimeout):
		tg.kill()
		tg.t.Errorf("target %s did not finish in %v (killed)", tg.name, targetTimeout)
	}
	out := tg.out.String()
	if tg.err != nil {
		tg.t.Errorf("target %s: %v\nstdout: %s\nstderr: %s", tg.name, tg.err, out, tg.errb)
	}
	oks := map[string]bool{}
	for l := range strings.SplitSeq(out, "\n") {
		if rest, ok := strings.CutPrefix(l, "FAIL "); ok {
			tg.t.Errorf("target %s: %s", tg.name, rest)
		}
		if rest, ok := strings.CutPrefix(l, "OK "); ok {
			oks[rest] = true
		}
	}
	for _, w := range want {
		if !oks[w] {
			tg.t.Errorf("target %s did not report %q\nstdout: %s\nstderr: %s", tg.name, w, out, tg.errb)
		}
	}
	return out
}

// receive is Receive with the test's timeout.
func (tg *target) receive() *Notif {
	tg.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), targetTimeout)
	defer cancel()
	n, err := tg.L.Receive(ctx)
	if err != nil {
		tg.t.Fatalf("Receive: %v\nstdout: %s\nstderr: %s", err, tg.out, tg.errb)
	}
	return n
}

// rawSyscall6 makes a raw system call and returns its result and errno.
func rawSyscall6(nr uintptr, a ...uintptr) (uintptr, syscall.Errno) {
	var args [6]uintptr
	copy(args[:], a)
	r, _, e := unix.Syscall6(nr, args[0], args[1], args[2], args[3], args[4], args[5])
	return r, e
}
