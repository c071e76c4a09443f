package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/cbpfkit/cbpf/seccomp"
)

// readDump reads the filters job asks for: a live thread's, or those a
// command installs.
func readDump(e *env, job *dumpJob) (*dumped, error) {
	if len(job.argv) > 0 {
		return catchDump(e, job)
	}
	var (
		fs  []seccomp.Filter
		err error
	)
	what := fmt.Sprintf("process %d", job.pid)
	if job.tid != 0 && job.tid != job.pid {
		what = fmt.Sprintf("process %d, thread %d", job.pid, job.tid)
		fs, err = seccomp.FiltersOfThread(job.pid, job.tid)
	} else {
		fs, err = seccomp.Filters(job.pid)
	}
	if err != nil {
		return nil, fail(exitBad, "cbpf dump: %v", err)
	}
	return &dumped{what: what, filters: fromSeccomp(fs)}, nil
}

func fromSeccomp(fs []seccomp.Filter) []dumpedFilter {
	out := make([]dumpedFilter, len(fs))
	for i, f := range fs {
		out[i] = dumpedFilter{prog: f.Prog, log: f.Log, index: f.Index}
	}
	return out
}

// catchDump runs the command under ptrace (seccomp.Catch) and returns the
// last filters it saw.
func catchDump(e *env, job *dumpJob) (*dumped, error) {
	opts := seccomp.CatchOptions{Installs: job.installs}
	// CMD's output goes to cbpf's stderr: stdout is the dump's.
	if f, ok := e.stdin.(*os.File); ok {
		opts.Stdin = f
	}
	if f, ok := e.stderr.(*os.File); ok {
		opts.Stdout, opts.Stderr = f, f
	}
	c, err := seccomp.Catch(job.argv, opts)
	if err != nil {
		return nil, fail(exitBad, "cbpf dump: %v", err)
	}
	cmd := strings.Join(job.argv, " ")
	installs := 0
	for _, s := range c.Snapshots {
		if s.At == "install" {
			installs++
		}
	}
	end := "it exited"
	switch {
	case c.Killed:
		end = fmt.Sprintf("cbpf killed it after %d installs (--installs)", installs)
	case c.Exit.Exited():
		end = fmt.Sprintf("it exited with status %d", c.Exit.ExitStatus())
	case c.Exit.Signaled():
		end = fmt.Sprintf("it was killed by signal %d (%v)", int(c.Exit.Signal()), c.Exit.Signal())
	}
	// The fullest stack: filters are never removed and children inherit
	// them, so it is the one that says the most (the latest of equals).
	var last *seccomp.Snapshot
	most := map[int]int{} // per process, its most filters
	var pids []int
	for i := range c.Snapshots {
		s := &c.Snapshots[i]
		if last == nil || len(s.Filters) >= len(last.Filters) {
			last = s
		}
		if _, ok := most[s.Pid]; !ok {
			pids = append(pids, s.Pid)
		}
		most[s.Pid] = max(most[s.Pid], len(s.Filters))
	}
	if last == nil {
		return nil, fail(exitBad, "cbpf dump: %s installed no seccomp filter (%s)", cmd, end)
	}
	var others []string
	for _, p := range pids {
		if p != last.Pid {
			others = append(others, fmt.Sprintf("process %d had %d", p, most[p]))
		}
	}
	what := fmt.Sprintf("process %d", last.Pid)
	if last.Tid != last.Pid {
		what += fmt.Sprintf(" (thread %d)", last.Tid)
	}
	if last.At == "exit" {
		what += " as it exited"
	} else {
		what += " after its last install"
	}
	note := fmt.Sprintf("caught running %s: %d successful installs seen; %s", cmd, installs, end)
	if len(others) > 0 {
		note += "; also " + strings.Join(others, ", ")
	}
	return &dumped{what: what, note: note, filters: fromSeccomp(last.Filters)}, nil
}
