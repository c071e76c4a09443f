package link_test

import (
	"fmt"

	"github.com/cbpfkit/cbpf/link"
)

// A seccomp filter that allows read (0) and write (1) and kills the rest,
// with symbolic targets; Link computes the offsets.
func Example() {
	const (
		ldW  = 0x20 // ld [k]
		jeq  = 0x15 // jeq #k
		retK = 0x06 // ret #k
	)
	var b link.Builder
	allow, kill := b.NewLabel(), b.NewLabel()
	b.Emit(ldW, 0) // nr
	b.Jump(jeq, 0, allow, link.None)
	b.Jump(jeq, 1, allow, kill)
	b.Mark(kill)
	b.Emit(retK, 0) // SECCOMP_RET_KILL_THREAD
	b.Mark(allow)
	b.Emit(retK, 0x7fff0000) // SECCOMP_RET_ALLOW
	prog, err := b.Link(link.Options{Layout: link.Compact})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range prog {
		fmt.Printf("0x%02x %d %d %#x\n", in.Op, in.Jt, in.Jf, in.K)
	}
	// Output:
	// 0x20 0 0 0x0
	// 0x15 2 0 0x0
	// 0x15 1 0 0x1
	// 0x06 0 0 0x0
	// 0x06 0 0 0x7fff0000
}

// Errors say which instruction, in the order added, is to blame.
func ExampleError() {
	var b link.Builder
	b.Emit(0x20, 0)
	b.Ja(b.NewLabel()) // never marked
	b.Emit(0x06, 0)
	_, err := b.Link(link.Options{})
	if e, ok := err.(*link.Error); ok {
		fmt.Println(e.Code, "at instruction", e.Insn)
	}
	// Output: label not defined at instruction 1
}
