package seccomp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

const (
	concThreads = 8
	concRounds  = 200
)

// The concurrent target opens its own file from each of 8 OS threads at
// once, many times, and checks every descriptor is that file. It waits
// interruptibly (no FlagWaitKillableRecv), so Go's preemption signals
// may restart calls and the supervisor meet answers the kernel no longer
// wants.
var _ = registerTarget("threads", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	targetInstall(0, "open", "openat", "openat2")
	var wg sync.WaitGroup
	for i := range concThreads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			p := fmt.Sprintf("%s/allowed/f%d", dir, i)
			var want unix.Stat_t
			if err := unix.Stat(p, &want); err != nil {
				tfail("stat: %v", err)
				return
			}
			for r := range concRounds {
				fd, err := unix.Open(p, unix.O_RDONLY|unix.O_CLOEXEC, 0)
				if err != nil {
					tfail("thread %d round %d: %v", i, r, err)
					return
				}
				var st unix.Stat_t
				if err := unix.Fstat(fd, &st); err != nil || st.Ino != want.Ino {
					tfail("thread %d round %d: fd %d is another file (ino %d, want %d)", i, r, fd, st.Ino, want.Ino)
					return
				}
				unix.Close(fd)
			}
			tok("thread %d", i)
		}()
	}
	wg.Wait()
})

func concTree(t *testing.T) string {
	dir := pathTree(t)
	for i := range concThreads {
		if err := os.WriteFile(fmt.Sprintf("%s/allowed/f%d", dir, i), []byte{byte(i)}, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestSuperviseConcurrent(t *testing.T) {
	dir := concTree(t)
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	g := &continueGuard{h: h}
	tg := startTarget(t, "threads", "CBPF_NOTIFY_DIR="+dir)
	done := make(chan error, 1)
	var errMu sync.Mutex
	var respErrs []string
	s := &Supervisor{Handler: g, OnError: func(n *Notif, r Response, err error) {
		errMu.Lock()
		respErrs = append(respErrs, fmt.Sprintf("%v: %v", r, err))
		errMu.Unlock()
	}}
	go func() { done <- s.Run(context.Background(), tg.L) }()
	defer func() {
		errMu.Lock()
		defer errMu.Unlock()
		if len(respErrs) > 0 {
			t.Logf("responses refused: %q", respErrs)
		}
	}()
	var want []string
	for i := range concThreads {
		want = append(want, "thread "+strconv.Itoa(i))
	}
	tg.wait(want...)
	// The target exited and was reaped: Supervise ends by itself.
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Supervise after the target exited: %v, want nil", err)
		}
	case <-time.After(targetTimeout):
		t.Fatal("Supervise still running after its only target exited")
	}
	if n := g.calls.Load(); n < concThreads*concRounds {
		t.Errorf("%d calls handled, want at least %d", n, concThreads*concRounds)
	}
	t.Logf("%d notifications for %d opens (the rest: restarted calls)", g.calls.Load(), concThreads*concRounds)
}

// The pending target blocks two threads in notified opens and, once the
// listener is gone, makes one more.
var _ = registerTarget("pending", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	targetInstall(FlagWaitKillableRecv, "open", "openat")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			fd, err := unix.Open(dir+"/allowed/a.txt", unix.O_RDONLY, 0)
			if err == nil {
				unix.Close(fd)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		tok("pending %d %v", i, err)
	}
	_, err := unix.Open(dir+"/allowed/a.txt", unix.O_RDONLY, 0)
	tok("later %v", err)
})

// blockingHandler answers nothing until its context ends; it tells
// got about each call.
func blockingHandler(got chan<- struct{}) Handler {
	return HandlerFunc(func(ctx context.Context, l *Listener, n *Notif) Response {
		got <- struct{}{}
		<-ctx.Done()
		return ReturnErrno(unix.EIO)
	})
}

// TestSuperviseListenerClosed: the supervisor closes its listener while
// calls wait for answers: Supervise returns, and the pending and later
// calls fail with ENOSYS.
func TestSuperviseListenerClosed(t *testing.T) {
	dir := pathTree(t)
	tg := startTarget(t, "pending", "CBPF_NOTIFY_DIR="+dir)
	got := make(chan struct{}, 2)
	done := make(chan error, 1)
	go func() { done <- Supervise(context.Background(), tg.L, blockingHandler(got)) }()
	for range 2 {
		select {
		case <-got:
		case <-time.After(targetTimeout):
			t.Fatal("the target's calls never reached the handler")
		}
	}
	tg.L.Close()
	select {
	case err := <-done:
		if !errors.Is(err, ErrListenerClosed) {
			t.Errorf("Supervise: %v, want ErrListenerClosed", err)
		}
	case <-time.After(targetTimeout):
		t.Fatal("Supervise did not return after Close")
	}
	enosys := syscall.ENOSYS.Error()
	tg.wait("pending 0 "+enosys, "pending 1 "+enosys, "later "+enosys)
}

// The supervisor process: serves the listener it got as fd 3 with a
// handler that never answers, and says when both calls are in.
var _ = registerTarget("supervisor", func() {
	l, err := NewListener(os.NewFile(3, "listener"))
	if err != nil {
		tfail("NewListener: %v", err)
		return
	}
	got := make(chan struct{}, 2)
	go Supervise(context.Background(), l, blockingHandler(got))
	<-got
	<-got
	fmt.Println("OK serving")
	select {} // until killed
})

// TestSuperviseProcessDies: the supervisor is another process, killed
// while the target's calls wait: they and later ones fail with ENOSYS.
func TestSuperviseProcessDies(t *testing.T) {
	dir := pathTree(t)
	tg := startTarget(t, "pending", "CBPF_NOTIFY_DIR="+dir)
	// Hand the listener to a supervisor process and keep no copy.
	fd, err := unix.FcntlInt(uintptr(tg.L.fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	lf := os.NewFile(uintptr(fd), "listener")
	tg.L.Close()
	sup := exec.Command(os.Args[0], "-test.run=^TestNotifyChild$", "-test.count=1")
	sup.Env = append(os.Environ(), notifyChildEnv+"=supervisor")
	out := &lockedBuffer{}
	sup.Stdout, sup.Stderr = out, out
	sup.ExtraFiles = []*os.File{lf}
	if err := sup.Start(); err != nil {
		t.Fatal(err)
	}
	lf.Close()
	defer sup.Process.Kill()
	deadline := time.Now().Add(targetTimeout)
	for !containsLine(out.String(), "OK serving") {
		if time.Now().After(deadline) {
			sup.Process.Kill()
			t.Fatalf("the supervisor process never got both calls: %s", out)
		}
		time.Sleep(10 * time.Millisecond)
	}
	sup.Process.Kill()
	sup.Wait()
	enosys := syscall.ENOSYS.Error()
	tg.wait("pending 0 "+enosys, "pending 1 "+enosys, "later "+enosys)
}

func containsLine(s, line string) bool {
	for l := range strings.SplitSeq(s, "\n") {
		if l == line {
			return true
		}
	}
	return false
}

const leakCalls = 1000

var _ = registerTarget("many", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	targetInstall(FlagWaitKillableRecv, "open", "openat")
	denied := 0
	for i := range leakCalls {
		p := dir + "/allowed/a.txt"
		if i%10 == 9 {
			p = dir + "/secret.txt"
		}
		fd, err := unix.Open(p, unix.O_RDONLY, 0)
		switch {
		case err == testDeny && i%10 == 9:
			denied++
		case err != nil:
			tfail("call %d: %v", i, err)
			return
		default:
			unix.Close(fd)
		}
	}
	tok("calls %d denied %d", leakCalls, denied)
})

func countFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// settle waits for a count to come back to want (goroutines end a little
// after they are done) and returns the last value.
func settle(want int, count func() int) int {
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := count()
		if n <= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSuperviseNoLeaks: 1000 supervised opens leave no descriptor and no
// goroutine behind, in the supervisor.
func TestSuperviseNoLeaks(t *testing.T) {
	dir := pathTree(t)
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	fds0, gs0 := countFDs(t), runtime.NumGoroutine()
	func() {
		tg := startTarget(t, "many", "CBPF_NOTIFY_DIR="+dir)
		g := &continueGuard{h: h}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- Supervise(ctx, tg.L, g) }()
		tg.wait(fmt.Sprintf("calls %d denied %d", leakCalls, leakCalls/10))
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Supervise: %v", err)
			}
		case <-time.After(targetTimeout):
			t.Fatal("Supervise did not end with its target")
		}
		if g.calls.Load() != leakCalls {
			t.Errorf("%d calls handled, want %d", g.calls.Load(), leakCalls)
		}
		if err := tg.L.Close(); err != nil {
			t.Error(err)
		}
	}()
	fds1 := settle(fds0, func() int { return countFDs(t) })
	gs1 := settle(gs0, runtime.NumGoroutine)
	t.Logf("fds %d -> %d, goroutines %d -> %d after %d calls", fds0, fds1, gs0, gs1, leakCalls)
	if fds1 != fds0 {
		t.Errorf("descriptors: %d before, %d after", fds0, fds1)
	}
	if gs1 > gs0 {
		t.Errorf("goroutines: %d before, %d after", gs0, gs1)
	}
}

// TestSuperviseContext: Supervise returns ctx's error when ctx ends, with
// a handler still running, and leaves no goroutine behind.
func TestSuperviseContext(t *testing.T) {
	dir := pathTree(t)
	gs0 := runtime.NumGoroutine()
	tg := startTarget(t, "pending", "CBPF_NOTIFY_DIR="+dir)
	got := make(chan struct{}, 2)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Supervise(ctx, tg.L, blockingHandler(got)) }()
	<-got
	<-got
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Supervise: %v, want context.Canceled", err)
		}
	case <-time.After(targetTimeout):
		t.Fatal("Supervise did not return after cancel")
	}
	// The handlers answered EIO as their context ended.
	tg.L.Close()
	eio := syscall.EIO.Error()
	tg.wait("pending 0 "+eio, "pending 1 "+eio, "later "+syscall.ENOSYS.Error())
	if gs1 := settle(gs0, runtime.NumGoroutine); gs1 > gs0 {
		t.Errorf("goroutines: %d before, %d after", gs0, gs1)
	}
	if err := Supervise(context.Background(), tg.L, blockingHandler(got)); !errors.Is(err, ErrListenerClosed) {
		t.Errorf("Supervise on a closed listener: %v", err)
	}
	if err := Supervise(context.Background(), nil, nil); err == nil {
		t.Error("Supervise without a handler or listener accepted")
	}
}

// TestSuperviseOnError: a Response the kernel refuses is reported, and
// the call is answered ENOSYS rather than left waiting.
func TestSuperviseOnError(t *testing.T) {
	tg := startTarget(t, "block")
	var mu sync.Mutex
	var errs []error
	s := &Supervisor{
		Handler: HandlerFunc(func(context.Context, *Listener, *Notif) Response { return Response{} }),
		Workers: 1,
		OnError: func(n *Notif, r Response, err error) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		},
	}
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background(), tg.L) }()
	enosys := strconv.Itoa(-1) + " " + strconv.Itoa(int(unix.ENOSYS))
	tg.wait("first "+enosys, "second "+enosys)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(targetTimeout):
		t.Fatal("Run did not end with its target")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(errs) != 2 {
		t.Errorf("OnError called %d times (%v), want 2", len(errs), errs)
	}
}

// TestStartSupervisor: the background service that cbpf exec uses.
func TestStartSupervisor(t *testing.T) {
	dir := pathTree(t)
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	gs0 := runtime.NumGoroutine()
	tg := startTarget(t, "pending", "CBPF_NOTIFY_DIR="+dir)
	fd, err := unix.FcntlInt(uintptr(tg.L.fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	tg.L.Close()
	stop, err := StartSupervisor(os.NewFile(uintptr(fd), "listener"), h)
	if err != nil {
		t.Fatal(err)
	}
	tg.wait("pending 0 <nil>", "pending 1 <nil>", "later <nil>")
	if err := stop(); err != nil {
		t.Errorf("stop: %v", err)
	}
	if err := stop(); err != nil {
		t.Errorf("second stop: %v", err)
	}
	if gs1 := settle(gs0, runtime.NumGoroutine); gs1 > gs0 {
		t.Errorf("goroutines: %d before, %d after", gs0, gs1)
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := StartSupervisor(null, nil); err == nil {
		t.Error("StartSupervisor without a handler accepted")
	}
	if _, err := StartSupervisor(null, h); err == nil {
		t.Error("StartSupervisor of /dev/null accepted")
	}
}

// signalStorm sends SIGURG (which the Go runtime takes as a harmless
// preemption request) to every thread of this process until stop is
// closed, so that the supervisor's ioctls are interrupted as often as
// they can be.
func signalStorm(stop <-chan struct{}) {
	pid := unix.Getpid()
	for {
		select {
		case <-stop:
			return
		default:
		}
		ents, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return
		}
		for _, e := range ents {
			if tid, err := strconv.Atoi(e.Name()); err == nil {
				unix.Tgkill(pid, tid, unix.SIGURG)
			}
		}
		time.Sleep(20 * time.Microsecond)
	}
}

// TestSuperviseSignalStorm: signals interrupting the supervisor's
// ioctls must not make a target's open return anything but its file
// (an interrupted ADDFD with SEND made the kernel return 0).
func TestSuperviseSignalStorm(t *testing.T) {
	dir := concTree(t)
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	tg := startTarget(t, "threads", "CBPF_NOTIFY_DIR="+dir)
	stop := make(chan struct{})
	stormDone := make(chan struct{})
	go func() { signalStorm(stop); close(stormDone) }()
	done := make(chan error, 1)
	go func() { done <- Supervise(context.Background(), tg.L, h) }()
	var want []string
	for i := range concThreads {
		want = append(want, "thread "+strconv.Itoa(i))
	}
	tg.wait(want...)
	close(stop)
	<-stormDone
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Supervise: %v", err)
		}
	case <-time.After(targetTimeout):
		t.Fatal("Supervise still running after its only target exited")
	}
}
