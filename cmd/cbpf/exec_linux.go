package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/seccomp"
	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// maybeLaunched hands over to the filter installer when this process is
// the copy cbpf exec started (seccomp.Launch); main calls it first.
func maybeLaunched() { seccomp.MaybeLaunched() }

func execute(e *env, job *execJob) error {
	var opts seccomp.LaunchOptions
	for _, name := range job.flags {
		f, err := seccomp.ParseFlag(name)
		if err != nil {
			return fail(exitExecFailed, "cbpf exec: --flag: %v", err)
		}
		opts.Flags |= f
	}
	if job.notify {
		opts.Flags |= seccomp.FlagNewListener
	}
	flags, err := opts.Effective()
	if err != nil {
		return fail(exitExecFailed, "cbpf exec: %v", err)
	}
	if err := seccomp.FlagSupported(flags); err != nil {
		return fail(exitExecFailed, "cbpf exec: %v", err)
	}
	log, err := openExecLog(job.logPath)
	if err != nil {
		return fail(exitExecFailed, "cbpf exec: --log: %v", err)
	}
	defer log.close()
	opts.Stdin, opts.Stdout, opts.Stderr = e.stdin, e.stdout, e.stderr

	// Catch SIGINT and SIGTERM before the start, so that none is lost,
	// and pass them on.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigs)

	log.printf("%s launch %s (filter: %d instructions, flags %v)", stamp(), quoteArgs(job.argv), len(job.prog), flags)
	p, err := seccomp.Launch(job.prog, job.argv, opts)
	if err != nil {
		log.printf("%s failed: %v", stamp(), err)
		code := exitExecFailed
		switch {
		case errors.Is(err, exec.ErrNotFound), errors.Is(err, os.ErrNotExist):
			code = exitNotFound
		case errors.Is(err, os.ErrPermission), strings.Contains(err.Error(), "launch: exec "):
			code = exitNoExec
		}
		return fail(code, "cbpf exec: %v", err)
	}
	log.printf("%s start pid %d %s", stamp(), p.Pid, p.Path)
	var stop func() error
	if p.Listener != nil {
		if job.notify {
			if stop, err = serveNotifications(job, p, log); err != nil {
				p.Signal(syscall.SIGKILL)
				p.Wait()
				return fail(exitExecFailed, "cbpf exec: supervisor: %v", err)
			}
		} else {
			// --flag new_listener on a filter that never notifies:
			// nothing will come.
			p.Listener.Close()
		}
	}
	// ^C, ^\ and a hangup on a terminal reach the whole foreground
	// process group, CMD with cbpf: passing them on would make two.
	fromTTY := foregroundGroup()
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				if fromTTY && (s == syscall.SIGINT || s == syscall.SIGQUIT || s == syscall.SIGHUP) {
					log.printf("%s %v: CMD has it from the terminal", stamp(), s)
					continue
				}
				log.printf("%s forwarding %v", stamp(), s)
				p.Signal(s)
			case <-done:
				return
			}
		}
	}()
	x, werr := p.Wait()
	close(done)
	if stop != nil {
		if err := stop(); err != nil {
			fmt.Fprintf(e.stderr, "cbpf exec: supervisor: %v\n", err)
		}
	}
	if werr != nil {
		log.printf("%s failed: %v", stamp(), werr)
		code := exitExecFailed
		if strings.Contains(werr.Error(), "launch: exec ") {
			code = exitNoExec
		}
		return fail(code, "cbpf exec: %v", werr)
	}
	log.printf("%s %s", stamp(), x)
	if why := job.pathKill.get(); why != "" && x.Signal == syscall.SIGKILL {
		return fail(x.Status(), "cbpf exec: %s: killed by cbpf's supervisor (SIGKILL): %s", job.argv[0], why)
	}
	if x.Signal != 0 {
		return fail(x.Status(), "cbpf exec: %s: %s", job.argv[0], x)
	}
	if x.Code != 0 {
		return status(x.Code)
	}
	return nil
}

func stamp() string { return time.Now().UTC().Format(time.RFC3339Nano) }

func quoteArgs(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = fmt.Sprintf("%q", a)
	}
	return strings.Join(q, " ")
}

// serveNotifications hands the listener of p's filter to whoever decides
// its notifications (notifyProblem has made sure there is someone): the
// seccomp agent of an OCI profile's listenerPath, which gets it with the
// container state as runc sends them, or cbpf's own path supervisor for
// the policy's path rules. stop, when not nil, ends the supervisor.
func serveNotifications(job *execJob, p *seccomp.Process, log *execLog) (stop func() error, err error) {
	if job.oci != nil && job.oci.ListenerPath != "" {
		defer p.Listener.Close() // the agent has its own copy
		bundle, _ := os.Getwd()
		st := specs.ContainerProcessState{
			Version:  specs.Version,
			Fds:      []string{specs.SeccompFdName},
			Pid:      p.Pid,
			Metadata: job.oci.ListenerMetadata,
			State: specs.State{
				Version: specs.Version,
				ID:      fmt.Sprintf("cbpf-exec-%d", p.Pid),
				Status:  specs.StateCreating,
				Pid:     p.Pid,
				Bundle:  bundle,
			},
		}
		if err := seccomp.SendToAgent(job.oci.ListenerPath, p.Listener, st); err != nil {
			return nil, err
		}
		log.printf("%s listener sent to the seccomp agent at %s", stamp(), job.oci.ListenerPath)
		return nil, nil
	}
	h, err := pathSupervisor(job.policy, &job.pathKill)
	if err != nil {
		p.Listener.Close()
		return nil, err
	}
	stop, err = seccomp.StartSupervisor(p.Listener, h)
	if err == nil {
		log.printf("%s supervising %s", stamp(), strings.Join(job.policy.PathRuleSyscalls(), ", "))
	}
	return stop, err
}

// pathSupervisor decides the calls the filter of a policy with path rules
// sends to the supervisor: each open is decided by policy.Eval on the path
// it resolves to, and carried out by the handler (which opens the file
// itself and hands over the descriptor). The kill actions kill the whole
// process with SIGKILL: a supervisor cannot make the kernel's SIGSYS.
func pathSupervisor(p *policy.Policy, killed *pathKill) (*seccomp.PathHandler, error) {
	h, err := seccomp.NewPathHandler(syscall.EACCES)
	if err != nil {
		return nil, err
	}
	h.Decide = func(n *seccomp.Notif, path string, resolved, write, create bool) syscall.Errno {
		c := policy.Call{Arch: n.Arch, Nr: n.Nr, IP: n.InstructionPointer, Args: n.Args, Path: path, PathKnown: true}
		switch act := policy.Eval(p, c); act.Kind() {
		case policy.Allow, policy.Log:
			return 0
		case policy.Errno(0):
			return syscall.Errno(act.Data())
		case policy.KillProcess, policy.KillThread:
			name, _ := n.SyscallName()
			a := "?"
			if sa := n.SyscallArch(); sa != nil {
				a = sa.Name
			}
			killed.set(fmt.Sprintf("%v on syscall %s (%d) arch %s, path %q, by the policy's path rules", act, name, n.Nr, a, path))
			// kill(2) of a thread ID signals its whole thread group.
			syscall.Kill(n.PID, syscall.SIGKILL)
			return syscall.EPERM
		}
		return syscall.EACCES // Validate refuses the other actions
	}
	return h, nil
}

// foregroundGroup reports whether cbpf (and so CMD, which stays in its
// process group) is the foreground process group of a terminal on one
// of its standard descriptors: the terminal then sends ^C's SIGINT to
// both of them.
func foregroundGroup() bool {
	pg := syscall.Getpgrp()
	for fd := 0; fd <= 2; fd++ {
		if fg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil && fg == pg {
			return true
		}
	}
	return false
}
