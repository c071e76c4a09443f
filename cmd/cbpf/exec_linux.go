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

	"github.com/cbpfkit/cbpf/seccomp"
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
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
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
			if stop, err = superviseFor(p.Listener, job.policy); err != nil {
				p.Signal(syscall.SIGKILL)
				p.Wait()
				return fail(exitExecFailed, "cbpf exec: supervisor: %v", err)
			}
			log.printf("%s supervising the listener", stamp())
		} else {
			// --flag new_listener on a filter that never notifies:
			// nothing will come.
			p.Listener.Close()
		}
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
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
