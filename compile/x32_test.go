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
	run, err := kernel.SeccompBatch([]kernel.SeccompJob{{Prog: prog, Inputs: ins}})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Results[0]
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for i, got := range res.Rets {
		if uint32(cases[i].want) != got {
			t.Errorf("kernel: lseek on x32 with offset %#x: %#08x, want %v", cases[i].off, got, cases[i].want)
		}
	}
}
