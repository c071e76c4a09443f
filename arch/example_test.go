package arch_test

import (
	"fmt"

	"github.com/cbpfkit/cbpf/arch"
)

func Example() {
	a, err := arch.Lookup("386") // Go name; "i386", "x86" and "0x40000003" work too
	if err != nil {
		fmt.Println(err)
		return
	}
	nr, _ := a.SyscallNumber("socket")
	name, _ := a.SyscallName(11)
	fmt.Printf("%s: AUDIT_ARCH 0x%08x, %d-bit, socket=%d, 11=%s\n", a.Name, a.Audit, a.Bits, nr, name)

	// On i386 socket can also be called through socketcall(SYS_SOCKET, ...):
	// a filter about socket must test both.
	if mux, call, ok := a.Multiplexed("socket"); ok {
		muxNr, _ := a.SyscallNumber(mux)
		fmt.Printf("also %s (%d) with first argument %d\n", mux, muxNr, call)
	}

	x32, _ := arch.Lookup("x32")
	read, _ := x32.SyscallNumber("read")
	fmt.Printf("x32 read=0x%x, arch value shared with %s\n", read, arch.ByAudit(x32.Audit).Name)
	// Output:
	// x86: AUDIT_ARCH 0x40000003, 32-bit, socket=359, 11=execve
	// also socketcall (102) with first argument 1
	// x32 read=0x40000000, arch value shared with x86_64
}
