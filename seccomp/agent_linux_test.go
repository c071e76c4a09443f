package seccomp

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// TestSendToAgent plays a seccomp agent: it listens on a unix socket,
// receives what SendToAgent sends, and checks the message is the one OCI
// runtimes send: the container process state as JSON, and one descriptor
// (here a pipe, standing in for a listener) that is the same open file.
func TestSendToAgent(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "agent.sock")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()

	type got struct {
		st  specs.ContainerProcessState
		fds []int
		err error
	}
	done := make(chan got, 1)
	go func() {
		var g got
		defer func() { done <- g }()
		c, err := l.AcceptUnix()
		if err != nil {
			g.err = err
			return
		}
		defer c.Close()
		buf, oob := make([]byte, 1<<16), make([]byte, unix.CmsgSpace(4*4))
		n, oobn, _, _, err := c.ReadMsgUnix(buf, oob)
		if err != nil {
			g.err = err
			return
		}
		if g.err = json.Unmarshal(buf[:n], &g.st); g.err != nil {
			return
		}
		msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
		if err != nil {
			g.err = err
			return
		}
		for _, m := range msgs {
			fds, err := unix.ParseUnixRights(&m)
			if err != nil {
				g.err = err
				return
			}
			g.fds = append(g.fds, fds...)
		}
	}()

	st := specs.ContainerProcessState{
		Pid:      os.Getpid(),
		Metadata: "agent metadata",
		State:    specs.State{ID: "cbpf-test", Status: specs.StateRunning, Pid: os.Getpid()},
	}
	if err := SendToAgent(sock, w, st); err != nil {
		t.Fatal(err)
	}
	g := <-done
	if g.err != nil {
		t.Fatal(g.err)
	}
	for _, fd := range g.fds {
		defer unix.Close(fd)
	}
	if g.st.Version != specs.Version || len(g.st.Fds) != 1 || g.st.Fds[0] != specs.SeccompFdName ||
		g.st.Pid != os.Getpid() || g.st.Metadata != "agent metadata" || g.st.State.ID != "cbpf-test" {
		t.Errorf("state %+v", g.st)
	}
	if len(g.fds) != 1 {
		t.Fatalf("%d descriptors, want 1", len(g.fds))
	}
	var a, b unix.Stat_t
	if err := unix.Fstat(g.fds[0], &a); err != nil {
		t.Fatal(err)
	}
	if err := unix.Fstat(int(w.Fd()), &b); err != nil {
		t.Fatal(err)
	}
	if a.Ino != b.Ino || a.Dev != b.Dev {
		t.Errorf("the descriptor received is not the one sent")
	}
	// The agent's copy works: what it writes, the pipe's reader reads.
	if _, err := unix.Write(g.fds[0], []byte("x")); err != nil {
		t.Fatal(err)
	}
	one := make([]byte, 1)
	if _, err := r.Read(one); err != nil || one[0] != 'x' {
		t.Errorf("read %q, %v", one, err)
	}

	if err := SendToAgent(filepath.Join(t.TempDir(), "none.sock"), w, st); err == nil {
		t.Error("no agent listening: no error")
	}
	if err := SendToAgent(sock, nil, st); err == nil {
		t.Error("nil listener: no error")
	}
}
