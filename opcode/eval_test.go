package opcode_test

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/vm"
)

// TestComputeHoldsAgreeWithVM: Compute and Holds, which the verifier and
// the optimizer fold constants with, give what the VM's interpreter
// computes (written apart from them) for every ALU and conditional jump
// operation with an X operand, shift counts past 31 and division by zero
// included.
func TestComputeHoldsAgreeWithVM(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	vals := []uint32{0, 1, 2, 31, 32, 33, 63, 0x7fffffff, 0x80000000, 0xffffffff}
	pick := func() uint32 {
		if r.IntN(3) == 0 {
			return r.Uint32()
		}
		return vals[r.IntN(len(vals))]
	}
	run := func(prog []bpf.RawInstruction, a, x uint32) uint32 {
		t.Helper()
		res, err := vm.Run(prog, vm.SeccompData{Arch: 0xc000003e, Args: [6]uint64{uint64(a), uint64(x)}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Ret
	}
	load := []bpf.RawInstruction{{Op: uint16(opcode.LdAbsW), K: 24}, {Op: uint16(opcode.MISC | opcode.TAX)}, {Op: uint16(opcode.LdAbsW), K: 16}}
	for _, op := range []opcode.Op{opcode.ADD, opcode.SUB, opcode.MUL, opcode.DIV, opcode.MOD, opcode.AND, opcode.OR, opcode.XOR, opcode.LSH, opcode.RSH, opcode.NEG} {
		ins := bpf.RawInstruction{Op: uint16(opcode.ALU | op | opcode.X)}
		if op == opcode.NEG {
			ins.Op = uint16(opcode.ALU | opcode.NEG)
		}
		prog := append(append([]bpf.RawInstruction{}, load...), ins, bpf.RawInstruction{Op: uint16(opcode.RetA)})
		if op == opcode.MOD {
			continue // seccomp refuses mod; Compute's mod is the kernel's packet mod, tested below with div's rule
		}
		for range 300 {
			a, x := pick(), pick()
			got, ok := opcode.Compute(op, a, x)
			if !ok {
				got = 0 // the program ends returning 0
			}
			if want := run(prog, a, x); got != want {
				t.Fatalf("%v: a %#x x %#x: Compute %#x, vm %#x", opcode.Op(ins.Op), a, x, got, want)
			}
		}
	}
	if v, ok := opcode.Compute(opcode.MOD, 7, 3); !ok || v != 1 {
		t.Errorf("7 %% 3 = %d, %v", v, ok)
	}
	if _, ok := opcode.Compute(opcode.MOD, 7, 0); ok {
		t.Error("7 % 0 computed")
	}
	for _, op := range []opcode.Op{opcode.JEQ, opcode.JGT, opcode.JGE, opcode.JSET} {
		prog := append(append([]bpf.RawInstruction{}, load...),
			bpf.RawInstruction{Op: uint16(opcode.JMP | op | opcode.X), Jt: 0, Jf: 1},
			bpf.RawInstruction{Op: uint16(opcode.RetK), K: 1}, bpf.RawInstruction{Op: uint16(opcode.RetK), K: 2})
		for range 300 {
			a, x := pick(), pick()
			if r.IntN(4) == 0 {
				x = a
			}
			want := run(prog, a, x) == 1
			if got := opcode.Holds(op, a, x); got != want {
				t.Fatalf("%v: a %#x k %#x: Holds %v, vm %v", op, a, x, got, want)
			}
		}
	}
}
