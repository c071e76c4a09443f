package kernel

const haveProbe = true

// probe performs syscall nr with six arguments and returns the raw rax.
// It is implemented in assembly so that the address after its SYSCALL
// instruction is unique to it (see probe_amd64.s).
func probe(nr, a1, a2, a3, a4, a5, a6 uintptr) uintptr

// probeAddr returns the entry address of probe.
func probeAddr() uintptr
