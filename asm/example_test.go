package asm_test

import (
	"fmt"
	"os"

	"github.com/cbpfkit/cbpf/asm"
)

// Read a program printed by tcpdump -ddd and print it as tcpdump -d would.
func Example() {
	ddd := []byte("4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n")
	prog, err := asm.Read("ip.ddd", ddd, "") // detected as ddd
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := asm.Write(os.Stdout, prog, asm.Tcpdump); err != nil {
		fmt.Println(err)
	}
	// Output:
	// (000) ldh      [12]
	// (001) jeq      #0x800           jt 2	jf 3
	// (002) ret      #262144
	// (003) ret      #0
}

// Errors carry the position of the problem.
func ExampleRead_error() {
	_, err := asm.Read("filter.ddd", []byte("2\n6 0 0 0\n21 0 300 0\n"), asm.DDD)
	fmt.Println(err)
	// Output:
	// filter.ddd:3:6: jf 300 out of range (0..255)
}

// A seccomp filter as a C-like listing.
func ExampleWrite_pseudo() {
	prog, err := asm.Read("f.xt", []byte("5,32 0 0 4,21 1 0 3221225534,6 0 0 2147483648,32 0 0 24,6 0 0 2147418112"), asm.XT)
	if err != nil {
		fmt.Println(err)
		return
	}
	asm.Write(os.Stdout, prog, asm.Pseudo)
	// Output:
	// // 5 instructions; a seccomp filter, 64-bit fields read as little endian
	//     A = arch
	//     if (A == AUDIT_ARCH_X86_64) goto L3
	//     return KILL_PROCESS
	// L3: A = args[1] (low)
	//     return ALLOW
}
