package compile_test

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

func Example() {
	x86, _ := arch.Lookup("x86_64")
	p := policy.New(policy.Errno(uint16(unix.EPERM))).On(x86).
		Allow("read", "write", "close", "exit_group").
		AllowIf("socket", policy.AnyOf(policy.Arg(0).Eq(unix.AF_INET), policy.Arg(0).Eq(unix.AF_INET6)))
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		panic(err)
	}
	m, _ := vm.New(prog, vm.Seccomp)
	socket, _ := x86.SyscallNumber("socket")
	for _, family := range []uint64{unix.AF_INET6, unix.AF_PACKET} {
		r := m.RunSeccomp(vm.SeccompData{Arch: x86.Audit, Nr: int32(socket), Args: [6]uint64{family}})
		fmt.Printf("socket(%d): %v\n", family, policy.Action(r.Ret))
	}
	// Output:
	// socket(10): ALLOW
	// socket(17): ERRNO(1)
}
