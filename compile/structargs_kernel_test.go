package compile

import (
	"testing"

	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/policy"
)

// TestStructArgsKernel: i386 calls through the kernel's compat entry. The
// policy warns that on x86 mmap's arg2 is a register old_mmap ignores and
// that socket's arg1 is compared with socketcall's pointer; the kernel's
// filter decides by those registers, as the warnings say.
func TestStructArgsKernel(t *testing.T) {
	testenv.Kernel(t, true)
	src := "default allow\narch x86\nmmap: arg2 == 4 => errno(13)\nsocket: arg1 == 3 => errno(14)\n"
	p, warns, err := policy.ParseText("s.policy", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 2 {
		t.Fatalf("warnings %v", warns)
	}
	x86 := mustArch(t, "x86")
	mmap, _ := x86.SyscallNumber("mmap")
	sc, _ := x86.SyscallNumber("socketcall")
	calls := []policy.Call{
		{Arch: x86.Audit, Nr: int32(mmap), Args: [6]uint64{0x1000, 0, 4}},
		{Arch: x86.Audit, Nr: int32(mmap), Args: [6]uint64{0x1000, 0, 5}},
		{Arch: x86.Audit, Nr: int32(sc), Args: [6]uint64{1, 3}},
		{Arch: x86.Audit, Nr: int32(sc), Args: [6]uint64{1, 0x1000}},
	}
	want := []policy.Action{policy.Errno(13), policy.Allow, policy.Errno(14), policy.Allow}
	prog, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ins []kernel.Input
	for _, c := range calls {
		ins = append(ins, kernel.Input{Nr: c.Nr, Args: c.Args, I386: true})
	}
	run, err := kernel.SeccompBatch([]kernel.SeccompJob{{Prog: prog, Inputs: ins}})
	if err != nil {
		t.Fatal(err)
	}
	res := run.Results[0]
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for j, got := range res.Rets {
		c := calls[j]
		c.IP = run.IP386
		if policy.Action(got) != want[j] || policy.Eval(p, c) != want[j] {
			t.Errorf("call %d %#x: kernel %v, Eval %v, want %v", j, c.Args, policy.Action(got), policy.Eval(p, c), want[j])
		}
	}
}
