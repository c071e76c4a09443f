//go:build !linux

package main

import "runtime"

func readDump(e *env, job *dumpJob) (*dumped, error) {
	return nil, fail(exitBad, "cbpf dump: seccomp filters exist only on Linux, not on %s", runtime.GOOS)
}
