package seccomp

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
)

// TestLoaderLaunched is the re-executed binary of the Launch tests: a
// test binary's main is the testing package's, so the launched copy runs
// this test, which hands over to MaybeLaunched.
func TestLoaderLaunched(t *testing.T) {
	if os.Getenv(launchEnv) == "" {
		return // only a child started by Launch does anything here
	}
	MaybeLaunched()
	t.Fatal("MaybeLaunched returned in a launched child")
}

var launchedArgs = []string{"-test.run=^TestLoaderLaunched$", "-test.count=1"}

// launch runs argv under prog and waits for it.
func launch(t *testing.T, prog []bpf.RawInstruction, argv []string, opts LaunchOptions) (*Exit, string) {
	t.Helper()
	needKernel(t)
	var out bytes.Buffer
	opts.ReexecArgs = launchedArgs
	opts.Stdout, opts.Stderr = &out, &out
	p, err := Launch(prog, argv, opts)
	if err != nil {
		t.Fatalf("Launch %q: %v", argv, err)
	}
	x, err := p.Wait()
	if err != nil {
		t.Fatalf("Wait %q: %v", argv, err)
	}
	return x, out.String()
}

// launchAudited is launch for a command the filter kills, when the test
// needs the kernel's audit record: the kernel log prints at most 10 audit
// records every 5 seconds, so a flood from other tests (the kernel
// oracle's KILL_THREADs) can swallow ours. It retries after the rate
// limit's interval.
func launchAudited(t *testing.T, prog []bpf.RawInstruction, argv []string, opts LaunchOptions) (*Exit, string) {
	t.Helper()
	for try := 1; ; try++ {
		x, out := launch(t, prog, argv, opts)
		if x.Violation != nil || x.Signal != unix.SIGSYS || try == 4 {
			return x, out
		}
		t.Logf("try %d: %v; retrying after the kernel log's rate-limit interval", try, x)
		time.Sleep(5500 * time.Millisecond)
	}
}

func TestLaunchExitStatus(t *testing.T) {
	allow := filter(action.Allow)
	for _, c := range []struct {
		argv []string
		code int
	}{
		{[]string{"true"}, 0},
		{[]string{"false"}, 1},
		{[]string{"sh", "-c", "exit 3"}, 3},
	} {
		x, out := launch(t, allow, c.argv, LaunchOptions{})
		if x.Code != c.code || x.Signal != 0 || x.Status() != c.code {
			t.Errorf("%q: %v (status %d), want exit %d; output %q", c.argv, x, x.Status(), c.code, out)
		}
	}
}

// TestLaunchFiltered: the command runs under the filter (and only the
// command: the test process is not filtered).
func TestLaunchFiltered(t *testing.T) {
	deny := filter(action.Allow, rule{"mkdir", action.Errno | uint32(unix.EACCES)}, rule{"mkdirat", action.Errno | uint32(unix.EACCES)})
	dir := t.TempDir() + "/d"
	x, out := launch(t, deny, []string{"mkdir", dir}, LaunchOptions{})
	if x.Code != 1 || !strings.Contains(out, "Permission denied") {
		t.Errorf("mkdir under errno(EACCES): %v, output %q", x, out)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("%s was created", dir)
	}
	x, out = launch(t, deny, []string{"sh", "-c", "grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status"}, LaunchOptions{})
	if x.Code != 0 || !strings.Contains(out, "Seccomp:\t2") || !strings.Contains(out, "NoNewPrivs:\t1") {
		t.Errorf("status under the filter: %v, output %q", x, out)
	}
	if s := procStatus("Seccomp"); s != "0" {
		t.Fatalf("the test process has Seccomp %s", s)
	}
}

func TestLaunchKilled(t *testing.T) {
	kill := filter(action.Allow, rule{"mkdir", action.KillProcess}, rule{"mkdirat", action.KillProcess})
	x, _ := launchAudited(t, kill, []string{"mkdir", t.TempDir() + "/d"}, LaunchOptions{})
	if x.Signal != unix.SIGSYS || x.Status() != 128+31 {
		t.Fatalf("mkdir under kill_process: %v", x)
	}
	if x.Violation == nil {
		t.Fatalf("no audit record: %s", x.Unknown)
	}
	v := x.Violation
	if (v.Name != "mkdir" && v.Name != "mkdirat") || v.Arch == nil || v.Arch.Audit != v.AuditArch || v.Action != action.KillProcess || x.BeforeExec {
		t.Errorf("violation %+v", v)
	}
	want := "killed by seccomp: SIGSYS on syscall " + v.Name
	if s := x.String(); !strings.HasPrefix(s, want) || !strings.Contains(s, "arch "+v.Arch.Name) {
		t.Errorf("String = %q, want %q...", s, want)
	}
}

// TestLaunchTrap: SECCOMP_RET_TRAP kills a command without a SIGSYS
// handler; the kernel records it only with FlagLog.
func TestLaunchTrap(t *testing.T) {
	trap := filter(action.Allow, rule{"mkdir", action.Trap | 7}, rule{"mkdirat", action.Trap | 7})
	x, _ := launch(t, trap, []string{"mkdir", t.TempDir() + "/d"}, LaunchOptions{})
	if x.Signal != unix.SIGSYS || x.Violation != nil || !strings.Contains(x.Unknown, "flag log") {
		t.Errorf("trap without log: %v (%+v)", x, x.Violation)
	}
	// Without a record, Exit names the calls the filter traps.
	var want []string
	for _, n := range []string{"mkdir", "mkdirat"} {
		want = append(want, (&Violation{AuditArch: arch.Host().Audit, Arch: arch.Host(), Nr: nr(n), Name: n}).String())
	}
	if fmt.Sprint(x.Candidates) != fmt.Sprint(want) || !strings.Contains(x.String(), "this filter sends SIGSYS (with zero arguments) for "+strings.Join(want, ", ")) {
		t.Errorf("candidates %q, want %q; %v", x.Candidates, want, x)
	}
	x, _ = launchAudited(t, trap, []string{"mkdir", t.TempDir() + "/d"}, LaunchOptions{Options: Options{Flags: FlagLog}})
	if x.Signal != unix.SIGSYS || x.Violation == nil || x.Violation.Action != action.Trap {
		t.Errorf("trap with log: %v (%+v)", x, x.Violation)
	}
}

func TestLaunchSignal(t *testing.T) {
	needKernel(t)
	p, err := Launch(filter(action.Allow), []string{"sleep", "30"}, LaunchOptions{ReexecArgs: launchedArgs})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if err := p.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	x, err := p.Wait()
	if err != nil || x.Signal != syscall.SIGTERM || x.Status() != 143 || x.String() != "killed by signal SIGTERM" {
		t.Errorf("sleep after SIGTERM: %v, %v", x, err)
	}
}

func TestLaunchErrors(t *testing.T) {
	needKernel(t)
	opts := LaunchOptions{ReexecArgs: launchedArgs}
	if _, err := Launch(filter(action.Allow), []string{"no-such-command-cbpf"}, opts); err == nil || !strings.Contains(err.Error(), "executable file not found") {
		t.Errorf("missing command: %v", err)
	}
	if _, err := Launch(nil, []string{"true"}, opts); err == nil || !strings.Contains(err.Error(), "nothing launched") {
		t.Errorf("empty program: %v", err)
	}
	if _, err := Launch(filter(action.Allow), nil, opts); err == nil {
		t.Errorf("no command: no error")
	}
	noExec := filter(action.Allow, rule{"execve", action.Errno | uint32(unix.EPERM)})
	_, err := Launch(noExec, []string{"true"}, opts)
	if err == nil || !strings.Contains(err.Error(), "exec ") || !strings.Contains(err.Error(), "operation not permitted") {
		t.Errorf("execve denied: %v", err)
	}
	// A filter that kills execve kills the launcher's child before the
	// command runs: Exit says so.
	killExec := filter(action.Allow, rule{"execve", action.KillProcess})
	x, _ := launchAudited(t, killExec, []string{"true"}, LaunchOptions{})
	if x.Violation == nil || x.Violation.Name != "execve" || !x.BeforeExec || !strings.Contains(x.String(), "before the command was executed") {
		t.Errorf("execve killed: %v", x)
	}
}

// TestLaunchListener: with FlagNewListener the listener comes back to the
// parent; the command's notified calls fail with ENOSYS once it is closed.
func TestLaunchListener(t *testing.T) {
	needKernel(t)
	notif := filter(action.Allow, rule{"mkdir", action.UserNotif}, rule{"mkdirat", action.UserNotif})
	var out bytes.Buffer
	dir := t.TempDir() + "/d"
	p, err := Launch(notif, []string{"mkdir", dir}, LaunchOptions{
		Options: Options{Flags: FlagNewListener}, ReexecArgs: launchedArgs,
		Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	if p.Listener == nil {
		t.Fatal("no listener")
	}
	// The kernel knows no notification id 12345 on this listener.
	id := uint64(12345)
	const notifIDValid = 0x40082102 // SECCOMP_IOCTL_NOTIF_ID_VALID, _IOW('!', 2, __u64)
	if _, _, e := unix.Syscall(unix.SYS_IOCTL, p.Listener.Fd(), notifIDValid, uintptr(unsafe.Pointer(&id))); e != unix.ENOENT {
		t.Errorf("ID_VALID on the listener: %v, want ENOENT", e)
	}
	p.Listener.Close()
	x, err := p.Wait()
	if err != nil || x.Code != 1 || !strings.Contains(out.String(), "Function not implemented") {
		t.Errorf("mkdir after the listener closed: %v, %v, output %q", x, err, out.String())
	}
}
