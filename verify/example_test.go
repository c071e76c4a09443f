package verify_test

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/verify"
)

func Example() {
	// A filter that tests the syscall number before the arch.
	prog := []bpf.RawInstruction{
		{Op: 0x20, K: 0},                // ld [0]          (nr)
		{Op: 0x15, Jt: 0, Jf: 1, K: 59}, // jeq #59 (execve)
		{Op: 0x06, K: 0x80000000},       // ret KILL_PROCESS
		{Op: 0x06, K: 0x7fff0000},       // ret ALLOW
	}
	for _, d := range verify.Check(prog, verify.Seccomp) {
		fmt.Println(d.PC, d.Severity, d.Code)
	}
	// A jump past the end: the kernel refuses the program.
	bad := []bpf.RawInstruction{{Op: 0x15, Jt: 5, K: 1}, {Op: 0x06}}
	fmt.Println(verify.Valid(bad, verify.Seccomp), verify.KernelCheck(bad, verify.Seccomp)[0])
	// Output:
	// 1 warning nr-before-arch
	// 3 warning foreign-arch-allow
	// false insn 0: error: jump-range: conditional jump (jt 5, jf 0) goes past the last instruction (1)
}
