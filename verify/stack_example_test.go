package verify_test

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// Two filters of one process: the first installed denies ptrace (101)
// with EPERM, the second kills it and denies getppid (110) with EACCES.
// The kernel runs both; the lowest action wins.
func ExampleStack() {
	x86, _ := arch.Lookup("x86_64")
	older := []bpf.RawInstruction{
		{Op: 0x20, K: 4}, {Op: 0x15, Jt: 1, K: x86.Audit}, {Op: 0x06, K: 0x80000000},
		{Op: 0x20, K: 0}, {Op: 0x15, Jf: 1, K: 101}, {Op: 0x06, K: 0x00050001}, {Op: 0x06, K: 0x7fff0000},
	}
	newer := []bpf.RawInstruction{
		{Op: 0x20, K: 4}, {Op: 0x15, Jt: 1, K: x86.Audit}, {Op: 0x06, K: 0x80000000},
		{Op: 0x20, K: 0}, {Op: 0x15, Jf: 1, K: 101}, {Op: 0x06, K: 0x80000000},
		{Op: 0x15, Jf: 1, K: 110}, {Op: 0x06, K: 0x0005000d}, {Op: 0x06, K: 0x7fff0000},
	}
	stack := [][]bpf.RawInstruction{older, newer} // install order
	prog, err := verify.Stack(stack)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, nr := range []int32{101, 110, 0} {
		r, _ := vm.Run(prog, vm.SeccompData{Arch: x86.Audit, Nr: nr})
		fmt.Printf("nr %d: %#x, cached %v\n", nr, r.Ret, verify.StackCacheAllows(stack, x86.Audit, uint32(nr)))
	}
	// Output:
	// nr 101: 0x80000000, cached false
	// nr 110: 0x5000d, cached false
	// nr 0: 0x7fff0000, cached true
}
