package compile

import (
	"testing"

	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/policy"
)

// TestMuxCallKernel: i386 calls through socketcall and ipc, made through
// the kernel's compat entry. A versioned ipc(SHMGET | 1<<16) is shmget to
// the kernel, so a kill rule on shmget must catch it; with MuxWholeArg0
// (libseccomp's way) it escapes. socketcall(SYS_SOCKET) with the high
// word of the 64-bit caller's register set is socket too.
func TestMuxCallKernel(t *testing.T) {
	testenv.Kernel(t, true)
	src := "default allow\narch x86\nshmget, socket: errno(13)\n"
	p, _, err := policy.ParseText("mux.policy", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	x86 := mustArch(t, "x86")
	ipc, _ := x86.SyscallNumber("ipc")
	sc, _ := x86.SyscallNumber("socketcall")
	calls := []policy.Call{
		{Arch: x86.Audit, Nr: int32(ipc), Args: [6]uint64{23}},
		{Arch: x86.Audit, Nr: int32(ipc), Args: [6]uint64{23 | 1<<16}},
		{Arch: x86.Audit, Nr: int32(ipc), Args: [6]uint64{24 | 1<<16}}, // shmctl
		{Arch: x86.Audit, Nr: int32(sc), Args: [6]uint64{1, 0x1000}},
		{Arch: x86.Audit, Nr: int32(sc), Args: [6]uint64{1 | 7<<32, 0x1000}},
	}
	var jobs []kernel.SeccompJob
	var pols []*policy.Policy
	for _, whole := range []bool{false, true} {
		q := *p
		q.MuxWholeArg0 = whole
		prog, err := Compile(&q, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var ins []kernel.Input
		for _, c := range calls {
			ins = append(ins, kernel.Input{Nr: c.Nr, Args: c.Args, I386: true})
		}
		jobs = append(jobs, kernel.SeccompJob{Prog: prog, Inputs: ins})
		pols = append(pols, &q)
	}
	run, err := kernel.SeccompBatch(jobs)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]policy.Action{
		{policy.Errno(13), policy.Errno(13), policy.Allow, policy.Errno(13), policy.Errno(13)},
		{policy.Errno(13), policy.Allow, policy.Allow, policy.Errno(13), policy.Errno(13)},
	}
	for i, res := range run.Results {
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		for j, got := range res.Rets {
			c := calls[j]
			c.IP = run.IP386
			if policy.Action(got) != want[i][j] || policy.Eval(pols[i], c) != want[i][j] {
				t.Errorf("MuxWholeArg0 %v, call %#x: kernel %v, Eval %v, want %v", pols[i].MuxWholeArg0, c.Args, policy.Action(got), policy.Eval(pols[i], c), want[i][j])
			}
		}
	}
}
