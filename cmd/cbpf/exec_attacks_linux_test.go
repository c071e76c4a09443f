package main

// Attacks and misuses of cbpf exec found by an adversarial review, each a
// test of what it must do instead.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/internal/testenv"
)

const attackLibs = `"/etc/ld.so.cache", "/lib/**", "/lib64/**", "/usr/lib/**", "/usr/lib64/**"`

func attackWrite(t *testing.T, name, text string) string {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// runBinTimeout is runBin that kills cbpf after d and says so.
func runBinTimeout(t *testing.T, d time.Duration, bin string, args ...string) (execRun, bool) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
		return execRun{cmd.ProcessState.ExitCode(), o.String(), e.String()}, true
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		return execRun{-1, o.String(), e.String()}, false
	}
}

// A command that leaves a FIFO open pending (its opener killed) and
// exits: cbpf exec waits for the supervisor, whose handler is blocked in
// its own open of the FIFO, for ever; SIGTERM does not end it either
// (cbpf still catches it to forward it).
func TestExecHangsOnFIFOAfterCommandExits(t *testing.T) {
	bin := buildCbpf(t)
	dir := t.TempDir()
	allowed := filepath.Join(dir, "allowed")
	if err := os.Mkdir(allowed, 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(allowed, "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	pol := attackWrite(t, filepath.Join(dir, "p.policy"), "default allow\n"+
		"openat, open: path not in {"+attackLibs+`, "/dev/null", "`+allowed+`/**"} => errno(EACCES)`+"\n")
	r, ok := runBinTimeout(t, 20*time.Second, bin, "exec", "--policy", pol, "--",
		"sh", "-c", "cat "+fifo+" & p=$!; sleep 1; kill -9 $p; exit 7")
	if !ok {
		t.Errorf("cbpf exec did not exit 20s after its command exited 7 (killed); stderr %q", r.stderr)
	} else if r.code != 7 {
		t.Errorf("exit %d, want 7; stderr %q", r.code, r.stderr)
	}
}

// kill_process on a path rule: the supervisor kills CMD with SIGKILL,
// and cbpf reports only "killed by signal SIGKILL", not the call that
// did it (the issue: a kill is reported with the syscall that caused it).
func TestExecPathKillNamesTheCall(t *testing.T) {
	bin := buildCbpf(t)
	dir := t.TempDir()
	target := attackWrite(t, filepath.Join(dir, "kill.me"), "x\n")
	pol := attackWrite(t, filepath.Join(dir, "p.policy"), "default allow\n"+
		`openat, open: path in {"`+target+`"} => kill_process`+"\n")
	r := runBin(t, bin, "exec", "--policy", pol, "--", "cat", target)
	if r.code == 0 || !strings.Contains(r.stderr, "open") {
		t.Errorf("exit %d, stderr %q: want the call (openat) and the path rule named", r.code, r.stderr)
	}
}

// openPty returns a new pseudo-terminal's master and slave.
func openPty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		testenv.Missing(t, "no /dev/ptmx: "+err.Error())
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, s
}

// runOnTerminal runs argv as the session leader of a new terminal (its
// controlling tty), calls ready once the output contains "READY", and
// returns all output.
func runOnTerminal(t *testing.T, ready func(m *os.File), argv ...string) string {
	t.Helper()
	m, s := openPty(t)
	defer m.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s, s, s
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	var mu sync.Mutex
	var out bytes.Buffer
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		buf := make([]byte, 4096)
		called := false
		for {
			n, err := m.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			has := bytes.Contains(out.Bytes(), []byte("READY"))
			mu.Unlock()
			if has && !called && ready != nil {
				called = true
				ready(m)
			}
			if err != nil {
				return
			}
		}
	}()
	waited := make(chan struct{})
	go func() { cmd.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-waited
		t.Errorf("%q did not finish in 30s", argv)
	}
	select {
	case <-readDone:
	case <-time.After(5 * time.Second):
	}
	mu.Lock()
	defer mu.Unlock()
	return out.String()
}

// A command that left its terminal (setsid: no controlling tty, as
// sandboxes do against TIOCSTI) opens /dev/tty: the kernel says ENXIO,
// but the supervisor opens /dev/tty as itself and hands the command
// cbpf's own terminal.
func TestExecDevTTYIsTheSupervisors(t *testing.T) {
	bin := buildCbpf(t)
	setsid := testenv.Tool(t, "setsid")
	dir := t.TempDir()
	pol := attackWrite(t, filepath.Join(dir, "p.policy"), "default allow\n"+
		`openat, open, openat2, creat: path in {"/etc/shadow"} => errno(EACCES)`+"\n")
	script := "echo READY; if ( exec 3</dev/tty ) 2>/dev/null; then echo TTY-OPENED; else echo NO-TTY; fi"
	direct := runOnTerminal(t, nil, setsid, "-w", "sh", "-c", script)
	if !strings.Contains(direct, "NO-TTY") {
		t.Fatalf("without cbpf: %q, want NO-TTY", direct)
	}
	under := runOnTerminal(t, nil, bin, "exec", "--policy", pol, "--", setsid, "-w", "sh", "-c", script)
	if !strings.Contains(under, "NO-TTY") {
		t.Errorf("under cbpf exec, a command without a controlling terminal opened /dev/tty: %q", under)
	}
}

const attackSigintEnv = "CBPF_R11_SIGINT_CHILD"

// TestExecSigintChild counts the SIGINTs it gets in 1.5s (a helper
// for TestExecOneCtrlCIsOneSIGINT).
func TestExecSigintChild(t *testing.T) {
	if os.Getenv(attackSigintEnv) == "" {
		return
	}
	c := make(chan os.Signal, 16)
	signal.Notify(c, syscall.SIGINT)
	fmt.Println("READY")
	time.Sleep(1500 * time.Millisecond)
	fmt.Printf("count %d\n", len(c))
	os.Exit(0)
}

// One ^C on the terminal: the tty sends SIGINT to the foreground process
// group, which holds CMD as well as cbpf, and cbpf forwards its own copy:
// CMD gets two.
func TestExecOneCtrlCIsOneSIGINT(t *testing.T) {
	bin := buildCbpf(t)
	dir := t.TempDir()
	pol := attackWrite(t, filepath.Join(dir, "p.policy"), "default allow\n")
	ctrlC := func(m *os.File) {
		time.Sleep(300 * time.Millisecond)
		m.Write([]byte{3})
	}
	direct := runOnTerminal(t, ctrlC, "env", attackSigintEnv+"=1", os.Args[0], "-test.run=^TestExecSigintChild$")
	if !strings.Contains(direct, "count 1") {
		t.Fatalf("without cbpf: %q, want count 1", direct)
	}
	under := runOnTerminal(t, ctrlC, bin, "exec", "--policy", pol, "--", "env", attackSigintEnv+"=1", os.Args[0], "-test.run=^TestExecSigintChild$")
	if !strings.Contains(under, "count 1") {
		t.Errorf("one ^C under cbpf exec: %q, want count 1", under)
	}
}

// A deny-list policy (default allow, one path refused) decides, by
// policy.Eval, that every other open is allowed: the command's own /proc
// files (through /proc/self, which the supervisor reads as the
// command's), other processes', /proc/mounts, and the command's own
// descriptors (/dev/stdin, /dev/fd/N) open as without cbpf.
func TestExecDenyListAllowsWhatEvalAllows(t *testing.T) {
	bin := buildCbpf(t)
	dir := t.TempDir()
	pol := attackWrite(t, filepath.Join(dir, "p.policy"), "default allow\n"+
		`openat, open, openat2, creat: path in {"/etc/shadow"} => errno(EACCES)`+"\n")
	data := attackWrite(t, filepath.Join(dir, "data"), "data\n")
	for _, c := range []struct{ name, script string }{
		{"proc self", "head -c 5 /proc/self/status"},
		{"proc pid", "head -c 5 /proc/$$/status"},
		{"proc self data", "cat /proc/self/cmdline | tr '\\0' ' ' | grep -q cat"},
		{"dev stdin", "cat /dev/stdin < " + data},
		{"dev stdin pipe", "echo hi | cat /dev/stdin | grep -q hi"},
		{"dev fd", "cat /dev/fd/3 3< " + data},
		{"proc self fd", "cat /proc/self/fd/3 3< " + data},
		{"proc mounts", "cat /proc/mounts >/dev/null"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runBin(t, bin, "exec", "--policy", pol, "--", "sh", "-c", c.script)
			if r.code != 0 {
				t.Errorf("sh -c %q: exit %d, stderr %q; the policy allows every open but /etc/shadow", c.script, r.code, r.stderr)
			}
		})
	}
	// The supervisor's own /proc files are never handed out: any of its
	// threads could open them (its memory included) whatever credentials
	// it takes. sh's parent is cbpf.
	r := runBin(t, bin, "exec", "--policy", pol, "--", "sh", "-c", "head -c 1 /proc/$PPID/environ")
	if r.code == 0 || !strings.Contains(r.stderr, "Permission denied") {
		t.Errorf("the supervisor's /proc/PID/environ: exit %d, stderr %q", r.code, r.stderr)
	}
}
