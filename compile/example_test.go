package compile_test

import (
	"fmt"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// Linux's values, the same on every arch (x/sys/unix has the values of
// the OS it is built for).
const (
	ePERM    = 1
	afINET   = 2
	afINET6  = 10
	afPACKET = 17
)

func Example() {
	x86, _ := arch.Lookup("x86_64")
	p := policy.New(policy.Errno(ePERM)).On(x86).
		Allow("read", "write", "close", "exit_group").
		AllowIf("socket", policy.AnyOf(policy.Arg(0).Eq(afINET), policy.Arg(0).Eq(afINET6)))
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		panic(err)
	}
	m, _ := vm.New(prog, vm.Seccomp)
	socket, _ := x86.SyscallNumber("socket")
	for _, family := range []uint64{afINET6, afPACKET} {
		r := m.RunSeccomp(vm.SeccompData{Arch: x86.Audit, Nr: int32(socket), Args: [6]uint64{family}})
		fmt.Printf("socket(%d): %v\n", family, policy.Action(r.Ret))
	}
	// Output:
	// socket(10): ALLOW
	// socket(17): ERRNO(1)
}
