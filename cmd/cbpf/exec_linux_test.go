package main

// cbpf exec needs the real binary: it re-executes /proc/self/exe, whose
// main must call maybeLaunched first, which a test binary's does not. So
// these tests build cbpf (go build) into a temporary directory and run it
// as a user would.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

// buildCbpf builds this command into dir and returns the binary's path.
func buildCbpf(t *testing.T) string {
	t.Helper()
	if arch.Host() == nil {
		testenv.Missing(t, "package arch does not know this GOARCH")
	}
	goTool := testenv.Tool(t, "go")
	bin := filepath.Join(t.TempDir(), "cbpf")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type execRun struct {
	code           int
	stdout, stderr string
}

func runBin(t *testing.T, bin string, args ...string) execRun {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("cbpf %q: %v", args, err)
	}
	return execRun{cmd.ProcessState.ExitCode(), o.String(), e.String()}
}

func TestExec(t *testing.T) {
	bin := buildCbpf(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	host := arch.Host()
	mkdirNr, _ := host.SyscallNumber("mkdir")
	mkdiratNr, _ := host.SyscallNumber("mkdirat")
	allow := write("allow.policy", "default allow\n")
	deny := write("deny.policy", "default allow\nmkdir, mkdirat: errno(EACCES)\n")
	kill := write("kill.policy", "default allow\nmkdir, mkdirat: kill_process\n")
	notify := write("notify.policy", "default allow\nmkdir, mkdirat: user_notif\n")
	other := write("other.policy", "default allow\narch s390x\n")
	killThread := write("kill-thread.policy", "default allow\nmkdir, mkdirat: kill_thread\n")
	trap := write("trap.policy", "default allow\nmkdir, mkdirat: trap(3)\n")
	oci := write("deny.json", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}`)
	logFile := filepath.Join(dir, "exec.log")

	// The same policy as a raw program, through cbpf compile.
	raw := runBin(t, bin, "compile", "-o", "raw", deny)
	if raw.code != 0 {
		t.Fatalf("cbpf compile: %d %s", raw.code, raw.stderr)
	}
	prog := write("deny.bpf", raw.stdout)

	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string // a part of it
	}{
		{"true", []string{"--policy", allow, "--", "true"}, 0, ""},
		{"false", []string{"--policy", allow, "--", "false"}, 1, ""},
		{"exit 3", []string{"--policy", deny, "--", "sh", "-c", "exit 3"}, 3, ""},
		{"errno", []string{"--policy", deny, "--", "mkdir", filepath.Join(dir, "a")}, 1, "Permission denied"},
		{"oci errno", []string{"--policy", oci, "--lang", "oci", "--", "mkdir", filepath.Join(dir, "b")}, 1, "Permission denied"},
		{"prog errno", []string{"--prog", prog, "-i", "raw", "--", "mkdir", filepath.Join(dir, "c")}, 1, "Permission denied"},
		{"flag log", []string{"--policy", deny, "--flag", "log", "--flag", "spec_allow", "--", "mkdir", filepath.Join(dir, "d")}, 1, "Permission denied"},
		{"kill", []string{"--policy", kill, "--", "mkdir", filepath.Join(dir, "e")}, 128 + 31, "SIGSYS"},
		{"errno 28", []string{"--policy", write("enospc.policy", "default allow\nmkdir, mkdirat: errno(28)\n"), "--", "mkdir", filepath.Join(dir, "i")}, 1, "No space left on device"},
		{"kill_thread", []string{"--policy", killThread, "--", "mkdir", filepath.Join(dir, "g")}, 128 + 31, "SIGSYS"},
		{"trap", []string{"--policy", trap, "--", "mkdir", filepath.Join(dir, "h")}, 128 + 31, "SIGSYS"},
		{"listener unused", []string{"--policy", deny, "--flag", "new_listener", "--", "sh", "-c", "exit 4"}, 4, ""},
		{"signal", []string{"--policy", allow, "--", "sh", "-c", "kill -USR1 $$"}, 128 + 10, "killed by signal SIGUSR1"},
		{"log file", []string{"--policy", allow, "--log", logFile, "--", "true"}, 0, ""},
		{"notify", []string{"--policy", notify, "--", "true"}, 125, "mkdir: user_notif needs a supervisor, and cbpf exec serves only path rules"},
		{"not found", []string{"--policy", allow, "--", "no-such-command-cbpf"}, 127, "executable file not found"},
		{"not executable", []string{"--policy", allow, "--", allow}, 126, "permission denied"},
		{"other arch", []string{"--policy", other, "--", "true"}, 125, "does not target this machine's arch"},
		{"no --", []string{"--policy", allow, "true"}, 125, `the command goes after "--"`},
		{"no command", []string{"--policy", allow, "--"}, 125, "no command"},
		{"no filter", []string{"--", "true"}, 125, "give the filter"},
		{"both", []string{"--policy", allow, "--prog", prog, "--", "true"}, 125, "exclude each other"},
		{"bad flag", []string{"--policy", allow, "--flag", "tsnyc", "--", "true"}, 125, `unknown seccomp filter flag "tsnyc"`},
		{"tsync+listener", []string{"--policy", allow, "--flag", "tsync,new_listener", "--", "true"}, 125, "needs FlagTSyncESRCH"},
		{"bad policy", []string{"--policy", write("bad.policy", "default frobnicate\n"), "--", "true"}, 125, `unknown action "frobnicate"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runBin(t, bin, append([]string{"exec"}, c.args...)...)
			if r.code != c.code || !strings.Contains(r.stderr, c.stderr) {
				t.Errorf("cbpf exec %q: exit %d, stderr %q; want %d and %q", c.args, r.code, r.stderr, c.code, c.stderr)
			}
		})
	}
	// The kill names the call with its number and arch. The kernel log
	// prints at most 10 audit records every 5 seconds: under a flood from
	// other tests, retry after that interval.
	var r execRun
	for try := 1; try <= 4; try++ {
		r = runBin(t, bin, "exec", "--policy", kill, "--", "mkdir", filepath.Join(dir, "f"))
		if !strings.Contains(r.stderr, "no seccomp audit record") {
			break
		}
		t.Logf("try %d: %s", try, r.stderr)
		time.Sleep(5500 * time.Millisecond)
	}
	want1 := fmt.Sprintf("syscall mkdir (%d) arch %s", mkdirNr, host.Name)
	want2 := fmt.Sprintf("syscall mkdirat (%d) arch %s", mkdiratNr, host.Name)
	if !strings.Contains(r.stderr, want1) && !strings.Contains(r.stderr, want2) {
		t.Errorf("kill report %q names neither %q nor %q", r.stderr, want1, want2)
	}
	if _, err := os.Stat(filepath.Join(dir, "a")); err == nil {
		t.Errorf("a denied mkdir created its directory")
	}
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{` launch "true" (filter: `, "flags tsync)", " start pid ", " exit status 0"} {
		if !bytes.Contains(log, []byte(w)) {
			t.Errorf("--log file lacks %q:\n%s", w, log)
		}
	}
}

// TestExecForwardsSignals: SIGTERM to cbpf exec reaches the command.
func TestExecForwardsSignals(t *testing.T) {
	bin := buildCbpf(t)
	policy := filepath.Join(t.TempDir(), "allow.policy")
	if err := os.WriteFile(policy, []byte("default allow\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "exec", "--policy", policy, "--", "sleep", "30")
	var e bytes.Buffer
	cmd.Stderr = &e
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGTERM)
	start := time.Now()
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 143 || !strings.Contains(e.String(), "sleep: killed by signal SIGTERM") || time.Since(start) > 10*time.Second {
		t.Errorf("after SIGTERM: exit %d, stderr %q", code, e.String())
	}
}
