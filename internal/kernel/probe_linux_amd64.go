package kernel

const haveProbe = true

// rawProbe clones a bare probing thread; see probe_linux_amd64.s.
func rawProbe(flags, stack, tid uintptr, job *rawJob) int

// probeAddr returns the entry address of rawProbe.
func probeAddr() uintptr
