package vm_test

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/vm"
)

// A seccomp filter that kills calls from other arches than x86_64, makes
// getpid (39 on x86_64) fail with EPERM and allows everything else, run on
// one call of getpid.
func Example() {
	prog, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 4, Size: 4},                              // A = arch
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0xc000003e, SkipFalse: 4}, // x86_64?
		bpf.LoadAbsolute{Off: 0, Size: 4},                              // A = nr
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 39, SkipFalse: 1},         // getpid?
		bpf.RetConstant{Val: 0x00050001},                               // ERRNO(EPERM)
		bpf.RetConstant{Val: 0x7fff0000},                               // ALLOW
		bpf.RetConstant{Val: 0x80000000},                               // KILL_PROCESS
	})
	if err != nil {
		panic(err)
	}
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		panic(err)
	}
	r := m.RunSeccomp(vm.SeccompData{Nr: 39, Arch: 0xc000003e})
	fmt.Printf("ret 0x%08x after %d instructions\n", r.Ret, r.Insns)
	// Output: ret 0x00050001 after 5 instructions
}
