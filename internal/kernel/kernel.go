package kernel

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/net/bpf"
)

// AuditArchX86_64 is the arch value the kernel reports in seccomp_data for
// the probes (they are native 64-bit syscalls on amd64); AuditArchI386 the
// one for the probes made through the i386 compat entry (Input.I386).
const (
	AuditArchX86_64 uint32 = 0xc000003e
	AuditArchI386   uint32 = 0x40000003
)

// Input is the part of seccomp_data a probe controls. Arch is the host's
// native arch, or i386 with I386, and instruction_pointer the probe's
// (SeccompRun.IP or IP386).
type Input struct {
	Nr   int32
	Args [6]uint64
	// I386 makes the call through the i386 compat entry (INT $0x80 from
	// the 64-bit probe; amd64 kernels with IA32_EMULATION): seccomp sees
	// AUDIT_ARCH_I386, an i386 syscall number, and the arguments from
	// ebx, ecx, edx, esi, edi and ebp.
	I386 bool
}

// SeccompJob is one program and the inputs to run it on.
type SeccompJob struct {
	Prog   []bpf.RawInstruction
	Inputs []Input
}

// SeccompResult is the outcome of one SeccompJob: the full 32-bit value
// the program returned for each input, or why it could not be run
// (a *RejectError when seccomp(2) refuses the program).
type SeccompResult struct {
	Rets []uint32
	Err  error
}

// SeccompRun is the outcome of a batch of SeccompJobs.
type SeccompRun struct {
	// IP is the instruction_pointer the kernel put into seccomp_data for
	// every native probe, IP386 for every i386 one; a VM must be given the
	// same value to agree.
	IP, IP386 uint64
	Results   []SeccompResult
}

// RejectError reports that the kernel refused a program, and with what.
type RejectError struct {
	Errno syscall.Errno
}

func (e *RejectError) Error() string {
	return fmt.Sprintf("kernel rejects the program: %v (%s)", e.Errno, errnoName(e.Errno))
}

func errnoName(e syscall.Errno) string {
	switch e {
	case syscall.EINVAL:
		return "EINVAL"
	case syscall.ENOMEM:
		return "ENOMEM"
	case syscall.EFAULT:
		return "EFAULT"
	case syscall.EACCES:
		return "EACCES"
	}
	return fmt.Sprintf("errno %d", int(e))
}

// ErrUnsupported is returned where the oracle cannot run: not Linux, not
// amd64 (seccomp execution needs the assembly probe), or not root.
var ErrUnsupported = errors.New("kernel oracle: unsupported on this system")

// Limits of the rewriting used by the seccomp execution oracle.
const (
	// MaxSeccompProg is the longest program Seccomp can run: the kernel's
	// 4096 minus the instructions the oracle adds (prefix and tail).
	MaxSeccompProg = 4096 - seccompPrefixLen - maxTailLen
	// MaxSeccompConsts is how many distinct `ret #k` constants one program
	// may have: each gets its own ERRNO code.
	MaxSeccompConsts = 2047
	// MaxPacketProg is the longest program PacketOracle.Run can run.
	MaxPacketProg = 4096 - packetPrefixLen
)

// Syscall numbers that Linux (6.14 and later on x86_64) passes without
// running any seccomp filter: the uretprobe and uprobe trampolines' own
// syscalls. A probe cannot observe a filter's verdict for them.
const (
	NrUretprobe = 335
	NrUprobe    = 336
)

// Unfiltered reports whether the kernel skips seccomp filters for native
// syscall nr (so the oracle refuses to probe it).
func Unfiltered(nr int32) bool { return nr == NrUretprobe || nr == NrUprobe }

// Main is the body of TestMain for every test package that uses the
// kernel oracle: in an oracle child it serves the request and exits (see
// MaybeChild); otherwise it runs the tests and exits with their status.
//
//	func TestMain(m *testing.M) { kernel.Main(m.Run) }
func Main(run func() int) {
	MaybeChild()
	os.Exit(run())
}
