//go:build !linux

package main

import "runtime"

func execute(e *env, job *execJob) error {
	return fail(exitExecFailed, "cbpf exec: seccomp filters exist only on Linux, not on %s", runtime.GOOS)
}

// maybeLaunched: outside Linux nothing is ever launched.
func maybeLaunched() {}
