package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/seccomp"
)

// TestExecPathRules runs real commands under policies with path rules:
// cbpf exec's supervisor decides each open on the path it resolves to, so
// that symlinks and ".." cannot lead out of the allowed files, opens the
// file itself and hands over the descriptor.
func TestExecPathRules(t *testing.T) {
	bin := buildCbpf(t)
	dir := t.TempDir()
	allowed := filepath.Join(dir, "allowed")
	if err := os.Mkdir(allowed, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	write(filepath.Join(allowed, "safe.conf"), "hello\n")
	secret := write(filepath.Join(dir, "secret"), "secret\n")
	if err := os.Symlink(secret, filepath.Join(allowed, "link")); err != nil {
		t.Fatal(err)
	}
	// The libraries cat needs, then the allowed directory; every other
	// open is refused with EACCES, /tmp/.../allowed/deny.me with ENOSPC
	// (the more restrictive errno of the two rules that match it), and
	// opening kill.me kills cat.
	libs := `"/etc/ld.so.cache", "/lib/**", "/lib64/**", "/usr/lib/**", "/usr/lib64/**"`
	pol := write(filepath.Join(dir, "p.policy"), "default allow\n"+
		"open, openat, openat2, creat: path not in {"+libs+`, "`+allowed+`/**"} => errno(EACCES)`+"\n"+
		`open, openat, openat2, creat: path in {"`+allowed+`/deny.me"} => errno(ENOSPC)`+"\n"+
		`open, openat, openat2, creat: path in {"`+allowed+`/kill.me"} => kill_process`+"\n")
	write(filepath.Join(allowed, "deny.me"), "x\n")
	write(filepath.Join(allowed, "kill.me"), "x\n")

	for _, c := range []struct {
		name, file string
		code       int
		stdout     string
		stderr     string
	}{
		{"allowed", filepath.Join(allowed, "safe.conf"), 0, "hello\n", ""},
		{"outside", secret, 1, "", "Permission denied"},
		{"symlink out", filepath.Join(allowed, "link"), 1, "", "Permission denied"},
		{"dot dot", filepath.Join(allowed, "..", "secret"), 1, "", "Permission denied"},
		{"dot dot back in", filepath.Join(dir, "..", filepath.Base(dir), "allowed", "safe.conf"), 0, "hello\n", ""},
		{"missing inside", filepath.Join(allowed, "none"), 1, "", "No such file or directory"},
		{"missing outside", filepath.Join(dir, "none"), 1, "", "Permission denied"},
		{"errno rule", filepath.Join(allowed, "deny.me"), 1, "", "No space left on device"},
		{"kill rule", filepath.Join(allowed, "kill.me"), 128 + 9, "", "SIGKILL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runBin(t, bin, "exec", "--policy", pol, "--", "cat", c.file)
			if r.code != c.code || r.stdout != c.stdout || !strings.Contains(r.stderr, c.stderr) {
				t.Errorf("cat %s: exit %d, stdout %q, stderr %q; want %d, %q, %q", c.file, r.code, r.stdout, r.stderr, c.code, c.stdout, c.stderr)
			}
		})
	}
	// A relative path is resolved from the command's working directory.
	r := runBin(t, bin, "exec", "--policy", pol, "--", "sh", "-c", "cd "+allowed+" && cat safe.conf && cat ../secret")
	if r.code != 1 || r.stdout != "hello\n" || !strings.Contains(r.stderr, "../secret: Permission denied") {
		t.Errorf("relative paths: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// Writes go through the supervisor too, created with the command's umask.
	out := filepath.Join(allowed, "out")
	r = runBin(t, bin, "exec", "--policy", pol, "--", "sh", "-c", "umask 027 && echo made > "+out)
	if fi, err := os.Stat(out); r.code != 0 || err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("create: exit %d, stderr %q, %v %v", r.code, r.stderr, fi, err)
	}
	r = runBin(t, bin, "exec", "--policy", pol, "--", "sh", "-c", "echo no > "+filepath.Join(dir, "out"))
	if _, err := os.Stat(filepath.Join(dir, "out")); r.code == 0 || err == nil {
		t.Errorf("create outside: exit %d, stderr %q, %v", r.code, r.stderr, err)
	}
}

// TestExecOCIAgent: a profile's SCMP_ACT_NOTIFY rules go to the seccomp
// agent at its listenerPath, which gets the listener and the container
// state over the socket as runc sends them. The agent here answers every
// mkdir with ENOSPC.
func TestExecOCIAgent(t *testing.T) {
	bin := buildCbpf(t)
	dir := t.TempDir()
	sock := filepath.Join(dir, "agent.sock")
	profile := filepath.Join(dir, "notify.json")
	if err := os.WriteFile(profile, []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "`+sock+`", "listenerMetadata": "meta",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	type agentResult struct {
		st    specs.ContainerProcessState
		calls int
		err   error
	}
	done := make(chan agentResult, 1)
	go func() {
		var res agentResult
		defer func() { done <- res }()
		c, err := l.AcceptUnix()
		if err != nil {
			res.err = err
			return
		}
		defer c.Close()
		buf, oob := make([]byte, 1<<16), make([]byte, unix.CmsgSpace(4))
		n, oobn, _, _, err := c.ReadMsgUnix(buf, oob)
		if err != nil {
			res.err = err
			return
		}
		if res.err = json.Unmarshal(buf[:n], &res.st); res.err != nil {
			return
		}
		msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
		if err != nil || len(msgs) != 1 {
			res.err = err
			return
		}
		fds, err := unix.ParseUnixRights(&msgs[0])
		if err != nil || len(fds) != 1 {
			res.err = err
			return
		}
		lis, err := seccomp.NewListener(os.NewFile(uintptr(fds[0]), "listener"))
		if err != nil {
			res.err = err
			return
		}
		defer lis.Close()
		for {
			n, err := lis.Receive(context.Background())
			if err != nil {
				return // ErrNoTargets once the command is gone
			}
			res.calls++
			lis.Respond(n.ID, seccomp.ReturnErrno(syscall.ENOSPC))
		}
	}()
	r := runBin(t, bin, "exec", "--policy", profile, "--", "mkdir", filepath.Join(dir, "d"))
	if r.code != 1 || !strings.Contains(r.stderr, "No space left on device") {
		t.Errorf("mkdir under the agent: exit %d, stderr %q", r.code, r.stderr)
	}
	res := <-done
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.calls == 0 || res.st.Metadata != "meta" || res.st.Pid <= 0 || len(res.st.Fds) != 1 || res.st.Fds[0] != specs.SeccompFdName ||
		res.st.State.Pid != res.st.Pid || !strings.HasPrefix(res.st.State.ID, "cbpf-exec-") {
		t.Errorf("agent saw %d calls, state %+v", res.calls, res.st)
	}

	// Without listenerPath there is nobody to answer: refused, as runc does.
	noAgent := filepath.Join(dir, "noagent.json")
	os.WriteFile(noAgent, []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}`), 0o644)
	if r := runBin(t, bin, "exec", "--policy", noAgent, "--", "true"); r.code != 125 || !strings.Contains(r.stderr, "no listenerPath") {
		t.Errorf("no listenerPath: exit %d, stderr %q", r.code, r.stderr)
	}
	// Nor is there for a program alone.
	raw := runBin(t, bin, "compile", "-o", "raw", "--lang", "oci", profile)
	prog := filepath.Join(dir, "notify.bpf")
	os.WriteFile(prog, []byte(raw.stdout), 0o644)
	if r := runBin(t, bin, "exec", "--prog", prog, "-i", "raw", "--", "true"); r.code != 125 || !strings.Contains(r.stderr, "a program alone does not say") {
		t.Errorf("--prog with USER_NOTIF: exit %d, stderr %q", r.code, r.stderr)
	}
	// An agent that is not there: cbpf says so, and the command does not run on.
	os.Remove(sock)
	if r := runBin(t, bin, "exec", "--policy", profile, "--", "true"); r.code != 125 || !strings.Contains(r.stderr, "seccomp agent") {
		t.Errorf("agent missing: exit %d, stderr %q", r.code, r.stderr)
	}
}
