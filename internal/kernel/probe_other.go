//go:build linux && !amd64

package kernel

const haveProbe = false

func rawProbe(flags, stack, tid uintptr, job *rawJob) int { return -1 }

func probeAddr() uintptr { return 0 }
