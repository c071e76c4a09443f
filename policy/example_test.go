package policy_test

import (
	"fmt"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
)

func ExampleParseText() {
	src := `
# Allow IPv4 and IPv6 sockets; refuse the rest.
default errno(EPERM)
arch x86_64
read, write, exit_group: allow
socket: family == AF_INET || family == AF_INET6
openat: (flags & O_ACCMODE) != O_RDONLY
`
	_, _, err := policy.ParseText("service.policy", []byte(src))
	fmt.Println(err)

	src = src[:len(src)-len("openat: (flags & O_ACCMODE) != O_RDONLY\n")] +
		"openat: (flags & O_ACCMODE) == O_RDONLY\n"
	p, warnings, err := policy.ParseText("service.policy", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(p)
	fmt.Println(len(warnings), "warnings")

	x86_64, _ := arch.Lookup("x86_64")
	socket, _ := x86_64.SyscallNumber("socket")
	for _, family := range []uint64{2, 16} { // AF_INET, AF_NETLINK
		c := policy.Call{Arch: x86_64.Audit, Nr: int32(socket), Args: [6]uint64{family}}
		fmt.Printf("socket(%d): %v\n", family, policy.Eval(p, c))
	}
	// Output:
	// service.policy:7:29: a masked test compares with '==' only; for the opposite write !((arg & MASK) == VALUE)
	// default errno(1)
	// arch x86_64
	// read: allow
	// write: allow
	// exit_group: allow
	// socket: arg0 == AF_INET || arg0 == AF_INET6
	// openat: (arg2 & O_ACCMODE) == O_RDONLY
	// 0 warnings
	// socket(2): ALLOW
	// socket(16): ERRNO(1)
}

// A policy built in Go: the same rules as the text above.
func Example_builder() {
	x86_64, _ := arch.Lookup("x86_64")
	p := policy.New(policy.Errno(1)).On(x86_64).
		Allow("read", "write", "exit_group").
		AllowIf("socket", policy.AnyOf(policy.Arg(0).Eq(2), policy.Arg(0).Eq(10))).
		Deny(policy.KillProcess, "ptrace")
	fmt.Print(p)
	for _, pr := range p.Validate() {
		fmt.Println(pr)
	}
	ptrace, _ := x86_64.SyscallNumber("ptrace")
	fmt.Println(policy.Eval(p, policy.Call{Arch: x86_64.Audit, Nr: int32(ptrace)}))
	// Output:
	// default errno(1)
	// arch x86_64
	// read: allow
	// write: allow
	// exit_group: allow
	// socket: arg0 == 2 || arg0 == 10
	// ptrace: kill_process
	// KILL_PROCESS
}
