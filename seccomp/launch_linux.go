package seccomp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/verify"
)

// launchEnv marks a process started by Launch. Its value is
// "REQUEST_FD,REPLY_FD": a pipe carrying the launchRequest and a unix
// socket for the replies (the listener fd, or why the launch failed).
const launchEnv = "CBPF_SECCOMP_LAUNCH"

// The fds the launched child receives them on (exec.Cmd.ExtraFiles start
// at 3).
const (
	childRequestFD = 3
	childReplyFD   = 4
)

// Exit statuses of a launched child that failed before the command ran
// (the parent reads the reason from the reply socket; these are for
// whoever else looks).
const (
	launchFailed  = 125 // reading the request or installing the filter failed
	launchNoExec  = 126 // execve failed
	launchMissing = 127 // execve: no such file
)

// launchRequest is what the parent sends the child.
type launchRequest struct {
	Prog    []bpf.RawInstruction
	Options Options
	Path    string   // the command, resolved
	Args    []string // its argv
}

// launchReply is what the child answers over the socket, one message each.
type launchReply struct {
	Stage string // "install" (Err empty: installed; a listener fd rides along) or "exec"
	Err   string
}

// LaunchOptions says how Launch runs a command.
type LaunchOptions struct {
	// Options are the install options, as for Install (TSYNC by default).
	Options
	Env    []string // the command's environment; nil: this process's
	Dir    string   // its working directory; "": this process's
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// ReexecArgs are arguments for the re-executed binary, before
	// anything else runs: tests, whose main is the testing package's,
	// pass -test.run for a test that calls MaybeLaunched.
	ReexecArgs []string
}

// Process is a command launched under a filter.
type Process struct {
	Pid int
	// Listener is the user-notification fd of a filter installed with
	// FlagNewListener, nil otherwise. The caller owns it: a supervisor
	// serves it and closes it.
	Listener *os.File
	Path     string // the command that was executed

	cmd      *exec.Cmd
	prog     []bpf.RawInstruction
	audit    *auditLog
	reply    *os.File
	execErr  chan error // the exec outcome, when Launch did not wait for it
	writeErr error      // sending the request failed (the child died first)
	once     sync.Once
	exit     *Exit
	err      error
}

// Launch runs argv (argv[0] is looked up on PATH) with prog installed as
// its seccomp filter. The filter is installed just before the command is
// executed, in a re-executed copy of this binary, whose main must call
// MaybeLaunched first. Nothing before that point runs filtered; between
// the install and execve only the Go runtime and, for a listener, one
// sendmsg run under the filter, so the filter must allow execve (and
// sendmsg with FlagNewListener) for the command to start.
//
// Without a listener Launch returns once the command has been executed
// (or failed to be). With FlagNewListener it returns once the filter is
// installed, with Process.Listener set: the command may need the
// listener served to get as far as execve; a failed exec is then reported
// by Wait.
func Launch(prog []bpf.RawInstruction, argv []string, opts LaunchOptions) (*Process, error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, errors.New("seccomp: launch: no command")
	}
	if ds := verify.KernelCheck(prog, verify.Seccomp); len(ds) > 0 {
		msgs := make([]string, len(ds))
		for i, d := range ds {
			msgs[i] = d.String()
		}
		return nil, &Error{Op: opVerify, Diagnostics: ds, Msg: "the kernel would reject the program (" + strings.Join(msgs, "; ") + "); nothing launched"}
	}
	if _, err := effectiveFlags(opts.Options); err != nil {
		return nil, err
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return nil, fmt.Errorf("seccomp: launch: %w", err)
	}
	req, err := json.Marshal(launchRequest{Prog: prog, Options: opts.Options, Path: path, Args: argv})
	if err != nil {
		return nil, fmt.Errorf("seccomp: launch: %w", err)
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("seccomp: launch: %w", err)
	}
	defer reqR.Close()
	defer reqW.Close()
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("seccomp: launch: socketpair: %w", err)
	}
	reply, childReply := os.NewFile(uintptr(pair[0]), "launch-reply"), os.NewFile(uintptr(pair[1]), "launch-reply-child")
	defer childReply.Close()

	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	env = append(withoutLaunchEnv(env), fmt.Sprintf("%s=%d,%d", launchEnv, childRequestFD, childReplyFD))
	cmd := exec.Command("/proc/self/exe", opts.ReexecArgs...)
	cmd.Args[0] = argv[0] // what ps shows until the exec
	cmd.Env, cmd.Dir = env, opts.Dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = opts.Stdin, opts.Stdout, opts.Stderr
	cmd.ExtraFiles = []*os.File{reqR, childReply}
	p := &Process{Path: path, cmd: cmd, reply: reply, prog: prog}
	p.audit = openAudit() // before the start: records of this run only
	if err := cmd.Start(); err != nil {
		p.audit.close()
		reply.Close()
		return nil, fmt.Errorf("seccomp: launch: %w", err)
	}
	p.Pid = cmd.Process.Pid
	childReply.Close()
	reqR.Close()
	// The child reads the request before it does anything else; if it
	// died, the write fails and the replies say nothing: Wait tells why.
	_, werr := reqW.Write(req)
	reqW.Close()

	r, fd, rerr := recvReply(reply)
	switch {
	case rerr == io.EOF:
		// The socket closed without a word: the child executed the
		// command (the socket is close-on-exec), or died before; then
		// Wait says how (Exit.BeforeExec).
		p.writeErr = werr
		return p, nil
	case rerr != nil:
		p.abort()
		return nil, fmt.Errorf("seccomp: launch: reading the child's reply: %w", rerr)
	case r.Err != "":
		p.abort()
		return nil, p.launchError(r)
	}
	// Installed, with a listener (only a listener is announced).
	if fd >= 0 {
		p.Listener = os.NewFile(uintptr(fd), "seccomp-listener")
	}
	p.execErr = make(chan error, 1)
	go func() {
		r, _, err := recvReply(reply)
		switch {
		case err == io.EOF:
			p.execErr <- nil
		case err != nil:
			p.execErr <- err
		default:
			p.execErr <- p.launchError(r)
		}
	}()
	return p, nil
}

// launchError turns the child's failure report into an error; the child
// has exited or is exiting.
func (p *Process) launchError(r launchReply) error {
	p.Wait()
	if r.Stage == "exec" {
		return fmt.Errorf("seccomp: launch: exec %s: %s", p.Path, r.Err)
	}
	return errors.New(r.Err) // Install's own error, already prefixed
}

// abort kills and reaps the child after a failed launch.
func (p *Process) abort() {
	p.cmd.Process.Kill()
	p.Wait()
}

// Signal sends sig to the command.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Wait waits for the command to end and says how it did. For a death by
// SIGSYS it looks for the kernel's audit record of the seccomp action
// (in /dev/kmsg, from the moment of the launch on), waiting up to a
// second and a half for kauditd to print it. The error is for a failure
// to wait or, with a listener, a failed exec.
func (p *Process) Wait() (*Exit, error) {
	p.once.Do(func() {
		defer p.audit.close()
		defer p.reply.Close()
		err := p.cmd.Wait()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			p.err = fmt.Errorf("seccomp: wait: %w", err)
			return
		}
		st := p.cmd.ProcessState
		x := &Exit{State: st, Code: st.ExitCode()}
		if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			x.Signal = ws.Signal()
		}
		if x.Signal == unix.SIGSYS {
			v, err := p.audit.find(p.Pid)
			if err != nil {
				x.Unknown = err.Error()
				x.Candidates = sigsysCandidates(p.prog)
			} else {
				x.Violation = v
				self, _ := os.Executable()
				x.BeforeExec = v.Exe != "" && v.Exe == self && self != p.Path
			}
		}
		if p.writeErr != nil && x.Code == launchFailed {
			x.BeforeExec = true
		}
		p.exit = x
		if p.execErr != nil {
			p.err = <-p.execErr
		}
	})
	return p.exit, p.err
}

// recvReply reads one reply and the fd that came with it (-1 if none).
// io.EOF means the peer closed the socket.
func recvReply(f *os.File) (launchReply, int, error) {
	var r launchReply
	buf := make([]byte, 64<<10)
	oob := make([]byte, unix.CmsgSpace(4))
	rc, err := f.SyscallConn()
	if err != nil {
		return r, -1, err
	}
	var n, oobn int
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		n, oobn, _, _, rerr = unix.Recvmsg(int(fd), buf, oob, unix.MSG_CMSG_CLOEXEC)
		return rerr != unix.EAGAIN
	})
	if err == nil {
		err = rerr
	}
	if err != nil {
		return r, -1, err
	}
	fd := -1
	if oobn > 0 {
		msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
		if err == nil && len(msgs) > 0 {
			if fds, err := unix.ParseUnixRights(&msgs[0]); err == nil && len(fds) > 0 {
				fd = fds[0]
				for _, extra := range fds[1:] {
					unix.Close(extra)
				}
			}
		}
	}
	if n == 0 && fd < 0 {
		return r, -1, io.EOF
	}
	if err := json.Unmarshal(buf[:n], &r); err != nil {
		if fd >= 0 {
			unix.Close(fd)
		}
		return r, -1, fmt.Errorf("a malformed reply %q: %w", buf[:n], err)
	}
	return r, fd, nil
}

func withoutLaunchEnv(env []string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, launchEnv+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// MaybeLaunched returns at once unless this process was started by
// Launch; then it installs the filter it was sent and executes the
// command, and never returns. Call it first thing in main (before flags
// are parsed or anything starts), in every program that calls Launch.
// It has no effect at init time: importing the package does nothing.
func MaybeLaunched() {
	v, ok := os.LookupEnv(launchEnv)
	if !ok {
		return
	}
	os.Unsetenv(launchEnv) // the command must not see it
	runtime.LockOSThread() // ThisThreadOnly installs on the thread that executes
	reqFD, replyFD, err := parseLaunchEnv(v)
	if err != nil {
		fmt.Fprintf(os.Stderr, "seccomp: launched child: %v\n", err)
		os.Exit(launchFailed)
	}
	unix.CloseOnExec(reqFD)
	unix.CloseOnExec(replyFD)
	fail := func(stage string, code int, err error) {
		b, _ := json.Marshal(launchReply{Stage: stage, Err: err.Error()})
		if _, serr := unix.Write(replyFD, b); serr != nil {
			fmt.Fprintf(os.Stderr, "%v\n", err)
		}
		os.Exit(code)
	}
	data, err := io.ReadAll(os.NewFile(uintptr(reqFD), "launch-request"))
	if err != nil {
		fail("install", launchFailed, fmt.Errorf("seccomp: launched child: reading the request: %w", err))
	}
	var req launchRequest
	if err := json.Unmarshal(data, &req); err != nil {
		fail("install", launchFailed, fmt.Errorf("seccomp: launched child: decoding the request: %w", err))
	}
	listener, err := Install(req.Prog, req.Options)
	if err != nil {
		fail("install", launchFailed, err)
	}
	if listener != nil {
		b, _ := json.Marshal(launchReply{Stage: "install"})
		if err := unix.Sendmsg(replyFD, b, unix.UnixRights(int(listener.Fd())), nil, 0); err != nil {
			fail("install", launchFailed, fmt.Errorf("seccomp: launched child: sending the listener: %w", err))
		}
		listener.Close()
	}
	err = syscall.Exec(req.Path, req.Args, os.Environ())
	code := launchNoExec
	if errors.Is(err, syscall.ENOENT) {
		code = launchMissing
	}
	fail("exec", code, err)
}

func parseLaunchEnv(v string) (req, reply int, err error) {
	a, b, ok := strings.Cut(v, ",")
	req, err1 := strconv.Atoi(a)
	reply, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || req < 3 || reply < 3 {
		return 0, 0, fmt.Errorf("malformed %s=%q", launchEnv, v)
	}
	return req, reply, nil
}
