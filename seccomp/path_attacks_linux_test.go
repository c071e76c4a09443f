package seccomp

// Attacks on PathHandler found by an adversarial review: each a target
// that tries, and the check that it fails.

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/internal/testenv"
)

const otherGroup = 4242 // a group nobody is not in

// r11setgid: nobody creates an executable with mode 02755 in a setgid
// directory of a group it is not in. The kernel strips S_ISGID then
// (inode_init_owner / mode_strip_sgid); the supervisor's Fchmod, made as
// root outside the target's credentials, must not put it back.
var _ = registerTarget("pasetgid", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	if !becomeNobody() {
		return
	}
	unix.Umask(0o022)
	targetInstall(FlagWaitKillableRecv, "open", "openat")
	fd, err := unix.Open(dir+"/rw/sgid/tool", unix.O_CREAT|unix.O_WRONLY, 0o2755)
	if err != nil {
		tfail("create: %v", err)
		return
	}
	unix.Close(fd)
	tok("created")
})

func TestPathHandlerCreateDoesNotRestoreStrippedSetgid(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Missing(t, "switching to the target's credentials needs root")
	}
	dir := pathTree(t)
	for d := dir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sgid := dir + "/rw/sgid"
	if err := os.Mkdir(sgid, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(sgid, 0, otherGroup); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sgid, 0o777|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	tg := startTarget(t, "pasetgid", "CBPF_NOTIFY_DIR="+dir)
	supervise(t, tg.L, h)
	tg.wait("created")
	var st syscall.Stat_t
	if err := syscall.Stat(sgid+"/tool", &st); err != nil {
		t.Fatal(err)
	}
	if st.Gid == otherGroup && st.Mode&unix.S_ISGID != 0 {
		t.Errorf("nobody created %s with mode %o, uid %d gid %d: a setgid-%d executable the kernel would have made without S_ISGID (the supervisor's root Fchmod put it back)",
			sgid+"/tool", st.Mode&0o7777, st.Uid, st.Gid, otherGroup)
	}
}

// r11fifo: the target opens a FIFO in an allowed directory (no writer)
// and exits while the call is pending. The handler blocks in its own
// open of the FIFO for ever, so Supervise (and cbpf exec after it) never
// returns, though nobody waits for the answer any more.
var _ = registerTarget("pafifo", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	targetInstall(FlagWaitKillableRecv, "open", "openat")
	go unix.Open(dir+"/allowed/fifo", unix.O_RDONLY, 0)
	time.Sleep(300 * time.Millisecond)
	tok("fifo open pending")
})

func TestPathHandlerFIFOOpenOutlivesTarget(t *testing.T) {
	dir := pathTree(t)
	fifo := dir + "/allowed/fifo"
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	tg := startTarget(t, "pafifo", "CBPF_NOTIFY_DIR="+dir)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Supervise(ctx, tg.L, h) }()
	tg.wait("fifo open pending")
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Errorf("Supervise has not returned 5s after the target exited and its context ended: a handler is blocked opening a FIFO for a call nobody waits for")
		// Unblock the handler: an O_RDWR open of a FIFO is a writer.
		if fd, err := unix.Open(fifo, unix.O_RDWR|unix.O_NONBLOCK, 0); err == nil {
			defer unix.Close(fd)
		}
		<-done
	}
}

// r11semantics: calls whose answer differs from the kernel's.
var _ = registerTarget("pasemantics", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	targetInstall(FlagWaitKillableRecv, "open", "openat")
	check := func(what, p string, flags int, want error) {
		fd, err := unix.Open(p, flags, 0o644)
		if err == nil {
			unix.Close(fd)
		}
		if err != want {
			tfail("%s: open(%s, %#x): fd %d, %v; want %v", what, p, flags, fd, err, want)
			return
		}
		tok("%s", what)
	}
	// open(2): O_CREAT on an existing directory is EISDIR (do_open).
	check("O_CREAT of a directory", dir+"/rw", unix.O_CREAT|unix.O_RDONLY, unix.EISDIR)
	// The handler answers the kernel's error only when the lexical form
	// is allowed "so that a denied target cannot probe for files"; with
	// ".." the lexical form says nothing about the path walked, and the
	// errno tells whether a file outside every rule exists.
	check("probe an existing file outside", dir+"/allowed/../secret.txt/../allowed/a.txt", unix.O_RDONLY, testDeny)
	check("probe a missing file outside", dir+"/allowed/../nothere/../allowed/a.txt", unix.O_RDONLY, testDeny)
})

func TestPathHandlerKernelSemantics(t *testing.T) {
	dir := pathTree(t)
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	tg := startTarget(t, "pasemantics", "CBPF_NOTIFY_DIR="+dir)
	supervise(t, tg.L, h)
	tg.wait("O_CREAT of a directory", "probe an existing file outside", "probe a missing file outside")
}

// r11nocaps: a root target whose thread has no effective capabilities
// (a container's root with its capabilities dropped) opens a file of
// another user with mode 000. The kernel refuses (no CAP_DAC_OVERRIDE);
// the supervisor opens it with its own capabilities. The doc says
// "Capabilities are not emulated", but that turns a dropped capability
// back on for every file a rule allows.
var _ = registerTarget("panocaps", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	targetInstall(FlagWaitKillableRecv, "open", "openat")
	runtime.LockOSThread() // capset changes this thread only; the process exits after
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if err := unix.Capget(&hdr, &data[0]); err != nil {
		tfail("capget: %v", err)
		return
	}
	data[0].Effective, data[1].Effective = 0, 0
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		tfail("capset: %v", err)
		return
	}
	fd, err := unix.Open(dir+"/allowed/private", unix.O_RDONLY, 0)
	if err == nil {
		unix.Close(fd)
		tfail("a thread without capabilities opened another user's mode-000 file")
		return
	}
	if err != unix.EACCES {
		tfail("open: %v, want EACCES", err)
		return
	}
	tok("no capabilities, no access")
})

func TestPathHandlerCapabilitiesOfTheTarget(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Missing(t, "needs root")
	}
	dir := pathTree(t)
	priv := dir + "/allowed/private"
	if err := os.WriteFile(priv, []byte("private"), 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(priv, 1000, 1000); err != nil {
		t.Fatal(err)
	}
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	tg := startTarget(t, "panocaps", "CBPF_NOTIFY_DIR="+dir)
	supervise(t, tg.L, h)
	tg.wait("no capabilities, no access")
}

// TestRealPathRefusesOurProc: the supervisor's own /proc files, by its
// pid or by any of its threads' ids (each has a hidden /proc/TID), are
// never taken as a file to hand out: any thread of the process may open
// them, its memory included, whatever credentials it takes. Another
// process's are.
func TestRealPathRefusesOurProc(t *testing.T) {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil || len(tasks) == 0 {
		t.Fatal(err)
	}
	paths := []string{"/proc/self/status", "/proc/" + strconv.Itoa(os.Getpid()) + "/environ"}
	for _, e := range tasks {
		paths = append(paths, "/proc/"+e.Name()+"/environ")
	}
	for _, p := range paths {
		fd, err := unix.Open(p, unix.O_PATH|unix.O_CLOEXEC, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := realPath(fd, 1); err == nil {
			t.Errorf("%s: realPath gives %q, want a refusal", p, got)
		}
		unix.Close(fd)
	}
	fd, err := unix.Open("/proc/1/status", unix.O_PATH|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if got, err := realPath(fd, 1); err != nil || got != "/proc/1/status" {
		t.Errorf("/proc/1/status: %q, %v", got, err)
	}
}
