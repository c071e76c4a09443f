package compile

import (
	"testing"

	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/policy"
)

// TestX32ArgumentsAre64Bit: x32 calls reach seccomp with full 64-bit
// registers, so "lseek: offset <= 5" must not match an offset of
// 4 GiB + 3 on x32 (a filter comparing the low word only would allow it).
// The kernel runs the filter on real x32-numbered calls.
func TestX32ArgumentsAre64Bit(t *testing.T) {
	p, _, err := policy.ParseText("x32.policy", []byte("default errno(1)\narch x86_64 x32\nlseek: arg1 <= 5 => allow\n"))
	if err != nil {
		t.Fatal(err)
	}
	x32 := mustArch(t, "x32")
	nr, _ := x32.SyscallNumber("lseek")
	prog, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		off  uint64
		want policy.Action
	}{{4, policy.Allow}, {0x100000003, policy.Errno(1)}, {0xffffffff00000000, policy.Errno(1)}, {6, policy.Errno(1)}}
	var ins []kernel.Input
	for _, c := range cases {
		call := policy.Call{Arch: x32.Audit, Nr: int32(nr), Args: [6]uint64{3, c.off}}
		if got := policy.Eval(p, call); got != c.want {
			t.Errorf("Eval(lseek on x32, offset %#x) = %v, want %v", c.off, got, c.want)
		}
		ins = append(ins, kernel.Input{Nr: call.Nr, Args: call.Args})
	}
	// The same policy compiled the way libseccomp 2.5.4 does it (low word
	// only) allows the 4 GiB + 3 offset: the difference is real.
	p.X32LowWord = true
	if got := policy.Eval(p, policy.Call{Arch: x32.Audit, Nr: int32(nr), Args: [6]uint64{3, 0x100000003}}); got != policy.Allow {
		t.Errorf("with X32LowWord, offset 0x100000003 gives %v, want ALLOW", got)
	}
	p.X32LowWord = false
	testenv.Kernel(t, true)
	rets, err := kernel.Seccomp(prog, ins)
	if err != nil {
		t.Fatal(err)
	}
	for i, got := range rets {
		if uint32(cases[i].want) != got {
			t.Errorf("kernel: lseek on x32 with offset %#x: %#08x, want %v", cases[i].off, got, cases[i].want)
		}
	}
}

// TestX32Arg32 (review of issue 9): x32's compat calls (512..547) and the
// int arguments of the others are read by the kernel as 32-bit values:
// comparing them on 64 bits would let a caller that sets the high word
// slip past a rule (ptrace(0x100000010) is PTRACE_ATTACH to the kernel).
// Those arguments are compared on their low word; 64-bit ones (lseek's
// offset) on both.
func TestX32Arg32(t *testing.T) {
	src := "default allow\narch x86_64 x32\nptrace: arg0 == PTRACE_ATTACH => kill_process\nioctl: arg2 == 0 => errno(22)\nclose: arg0 == 3 => errno(9)\nlseek: arg1 == 5 => errno(5)\n"
	p, _, err := policy.ParseText("x32.policy", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	x32 := mustArch(t, "x32")
	nr := func(name string) int32 {
		n, ok := x32.SyscallNumber(name)
		if !ok {
			t.Fatalf("x32 has no %s", name)
		}
		return int32(n)
	}
	cases := []struct {
		call string
		args [6]uint64
		want policy.Action
	}{
		{"ptrace", [6]uint64{0x10}, policy.KillProcess},
		{"ptrace", [6]uint64{0x100000010}, policy.KillProcess},
		{"ioctl", [6]uint64{1, 0x5401, 0x100000000}, policy.Errno(22)},
		{"close", [6]uint64{0xffffffff00000003}, policy.Errno(9)},
		{"lseek", [6]uint64{3, 5}, policy.Errno(5)},
		{"lseek", [6]uint64{3, 0x100000005}, policy.Allow},
	}
	prog, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ins []kernel.Input
	for _, c := range cases {
		call := policy.Call{Arch: x32.Audit, Nr: nr(c.call), Args: c.args}
		if got := policy.Eval(p, call); got != c.want {
			t.Errorf("Eval(x32 %s %#x) = %v, want %v", c.call, c.args, got, c.want)
		}
		ins = append(ins, kernel.Input{Nr: call.Nr, Args: call.Args})
	}
	testenv.Kernel(t, true)
	run, err := kernel.SeccompBatch([]kernel.SeccompJob{{Prog: prog, Inputs: ins}})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Results[0].Err; err != nil {
		t.Fatal(err)
	}
	for i, got := range run.Results[0].Rets {
		if uint32(cases[i].want) != got {
			t.Errorf("kernel: x32 %s %#x: %#08x, want %v", cases[i].call, cases[i].args, got, cases[i].want)
		}
	}
}
