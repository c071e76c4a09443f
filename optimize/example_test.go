package optimize_test

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/optimize"
)

func Example() {
	// A filter that reloads nr and tests what an earlier test decided.
	prog := []bpf.RawInstruction{
		{Op: uint16(opcode.LdAbsW), K: 0},                   // ld [0]
		{Op: uint16(opcode.JMP | opcode.JGT), Jt: 3, K: 10}, // jgt #10, deny
		{Op: uint16(opcode.LdAbsW), K: 0},                   // ld [0]
		{Op: uint16(opcode.JMP | opcode.JEQ), Jt: 1, K: 20}, // jeq #20, deny (never: nr <= 10)
		{Op: uint16(opcode.RetK), K: 0x7fff0000},            // ret ALLOW
		{Op: uint16(opcode.RetK), K: 0x00050001},            // deny: ret ERRNO(1)
	}
	out, rep, err := optimize.Program(prog, optimize.Seccomp, optimize.Options{Prove: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(opcode.Program(out))
	fmt.Println(rep.Before.Insns, "->", rep.After.Insns, rep.Proof)
	// Output:
	// 0: ld [0]
	// 1: jgt #10, L3
	// 2: ret #0x7fff0000
	// 3: ret #0x50001
	// 6 -> 4 proven equivalent
}
