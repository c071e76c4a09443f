//go:build linux

package kernel

import (
	"errors"
	"syscall"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/testenv"
)

// needKernel skips where the oracle cannot run, but never on CI.
func needKernel(t *testing.T, root bool) { t.Helper(); testenv.Kernel(t, root) }

func asm(t *testing.T, insns ...bpf.Instruction) []bpf.RawInstruction {
	t.Helper()
	p, err := bpf.Assemble(insns)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSeccompKnownPrograms(t *testing.T) {
	needKernel(t, false)
	const getpid = 39
	tests := []struct {
		name   string
		prog   []bpf.Instruction
		inputs []Input
		want   []uint32
	}{
		{
			name: "nr dispatch",
			prog: []bpf.Instruction{
				bpf.LoadAbsolute{Off: 0, Size: 4},
				bpf.JumpIf{Cond: bpf.JumpEqual, Val: getpid, SkipFalse: 1},
				bpf.RetConstant{Val: 0x7fff0000},
				bpf.RetConstant{Val: 0x80000000},
			},
			inputs: []Input{{Nr: getpid}, {Nr: 0}, {Nr: -1}, {Nr: 1 << 30}},
			want:   []uint32{0x7fff0000, 0x80000000, 0x80000000, 0x80000000},
		},
		{
			name:   "ret a echoes nr",
			prog:   []bpf.Instruction{bpf.LoadAbsolute{Off: 0, Size: 4}, bpf.RetA{}},
			inputs: []Input{{Nr: 0}, {Nr: 39}, {Nr: -1}, {Nr: 0x40000000 | 39}, {Nr: 0x7fffffff}, {Nr: -0x80000000}, {Nr: 100000}},
			want:   []uint32{0, 39, 0xffffffff, 0x40000027, 0x7fffffff, 0x80000000, 100000},
		},
		{
			name: "ret a large values",
			prog: []bpf.Instruction{
				bpf.LoadAbsolute{Off: 16, Size: 4}, // args[0] low half
				bpf.RetA{},
			},
			inputs: []Input{{Args: [6]uint64{0x7fff0000}}, {Args: [6]uint64{0xdeadbeef}}, {Args: [6]uint64{0xffffffff}}, {Args: [6]uint64{0x1_0000_0800}}},
			want:   []uint32{0x7fff0000, 0xdeadbeef, 0xffffffff, 0x800},
		},
		{
			name: "all args, high halves",
			prog: []bpf.Instruction{
				bpf.LoadAbsolute{Off: 16 + 8*5 + 4, Size: 4},
				bpf.TAX{},
				bpf.LoadAbsolute{Off: 16 + 8*2, Size: 4},
				bpf.ALUOpX{Op: bpf.ALUOpXor},
				bpf.RetA{},
			},
			inputs: []Input{{Args: [6]uint64{2: 0x0f0f0f0f, 5: 0xf0f0f0f0_00000000}}},
			want:   []uint32{0xffffffff},
		},
		{
			name:   "arch",
			prog:   []bpf.Instruction{bpf.LoadAbsolute{Off: 4, Size: 4}, bpf.RetA{}},
			inputs: []Input{{Nr: 39}},
			want:   []uint32{AuditArchX86_64},
		},
		{
			name: "mixed constants and A",
			prog: []bpf.Instruction{
				bpf.LoadAbsolute{Off: 16, Size: 4},
				bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: 10, SkipTrue: 1},
				bpf.RetA{},
				bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: 20, SkipTrue: 1},
				bpf.RetConstant{Val: 0x00050001},
				bpf.RetConstant{Val: 0},
			},
			inputs: []Input{{Args: [6]uint64{3}}, {Args: [6]uint64{15}}, {Args: [6]uint64{25}}, {Args: [6]uint64{10}}},
			want:   []uint32{3, 0x00050001, 0, 10},
		},
		{
			// The kernel ends the program with 0 (KILL_THREAD): the probe
			// thread dies, and the oracle must carry on.
			name: "div by X = 0",
			prog: []bpf.Instruction{
				bpf.LoadAbsolute{Off: 16, Size: 4},
				bpf.TAX{},
				bpf.LoadConstant{Dst: bpf.RegA, Val: 100},
				bpf.ALUOpX{Op: bpf.ALUOpDiv},
				bpf.RetA{},
			},
			inputs: []Input{{Args: [6]uint64{0}}, {Args: [6]uint64{7}}, {Args: [6]uint64{0}}, {Args: [6]uint64{0}}, {Args: [6]uint64{200}}},
			want:   []uint32{0, 14, 0, 0, 0},
		},
		{
			name: "scratch and ALU",
			prog: []bpf.Instruction{
				bpf.LoadConstant{Dst: bpf.RegA, Val: 0xfffffff0},
				bpf.StoreScratch{Src: bpf.RegA, N: 3},
				bpf.ALUOpConstant{Op: bpf.ALUOpAdd, Val: 0x20}, // wraps
				bpf.TAX{},
				bpf.LoadScratch{Dst: bpf.RegA, N: 3},
				bpf.ALUOpX{Op: bpf.ALUOpDiv}, // 0xfffffff0 / 0x10
				bpf.RetA{},
			},
			inputs: []Input{{}},
			want:   []uint32{0x0fffffff},
		},
	}
	var jobs []SeccompJob
	for _, tt := range tests {
		jobs = append(jobs, SeccompJob{Prog: asm(t, tt.prog...), Inputs: tt.inputs})
	}
	run, err := SeccompBatch(jobs)
	if err != nil {
		t.Fatal(err)
	}
	if ip := uint64(probeAddr()); run.IP <= ip || run.IP > ip+4096 {
		t.Errorf("IP = %#x, not just after probe at %#x", run.IP, ip)
	}
	for i, tt := range tests {
		r := run.Results[i]
		if r.Err != nil {
			t.Errorf("%s: %v", tt.name, r.Err)
			continue
		}
		for j := range tt.want {
			if r.Rets[j] != tt.want[j] {
				t.Errorf("%s: input %+v: kernel returned %#x, want %#x", tt.name, tt.inputs[j], r.Rets[j], tt.want[j])
			}
		}
	}
}

func TestSeccompAccepts(t *testing.T) {
	needKernel(t, false)
	ret := bpf.RawInstruction{Op: opRetK, K: retAllow}
	long := make([]bpf.RawInstruction, 4097)
	for i := range long {
		long[i] = ret
	}
	tests := []acceptCase{
		{"ret allow", []bpf.RawInstruction{ret}, true},
		{"4096 insns", long[:4096], true},
		{"4097 insns", long, false},
		{"empty", nil, false},
		{"byte load", asm(t, bpf.LoadAbsolute{Off: 0, Size: 1}, bpf.RetA{}), false},
		{"misaligned", asm(t, bpf.LoadAbsolute{Off: 2, Size: 4}, bpf.RetA{}), false},
		{"load past end", asm(t, bpf.LoadAbsolute{Off: 64, Size: 4}, bpf.RetA{}), false},
		{"last word", asm(t, bpf.LoadAbsolute{Off: 60, Size: 4}, bpf.RetA{}), true},
		{"ret x", []bpf.RawInstruction{{Op: 0x0e}}, false},
		{"no final return", asm(t, bpf.LoadConstant{Dst: bpf.RegA, Val: 1}), false},
		{"jump out", []bpf.RawInstruction{{Op: opJa, K: 1}, ret}, false},
		{"scratch unset", asm(t, bpf.LoadScratch{Dst: bpf.RegA, N: 0}, bpf.RetA{}), false},
		{"div by 0", asm(t, bpf.ALUOpConstant{Op: bpf.ALUOpDiv, Val: 0}, bpf.RetA{}), false},
		{"mod", asm(t, bpf.ALUOpConstant{Op: bpf.ALUOpMod, Val: 3}, bpf.RetA{}), false},
		{"neg", []bpf.RawInstruction{{Op: 0x84}, {Op: opRetA}}, true},
		{"len", asm(t, bpf.LoadExtension{Num: bpf.ExtLen}, bpf.RetA{}), true},
		{"ancillary", asm(t, bpf.LoadExtension{Num: bpf.ExtProto}, bpf.RetA{}), false},
	}
	checkAccepts(t, SeccompAcceptsBatch, tests)
}

// acceptCase is a program and whether the kernel accepts it.
type acceptCase struct {
	name string
	prog []bpf.RawInstruction
	ok   bool
}

// checkAccepts asks the kernel, through batch, about every case: an
// accepted program must be accepted, a rejected one refused with EINVAL.
func checkAccepts(t *testing.T, batch func([][]bpf.RawInstruction) ([]error, error), tests []acceptCase) {
	t.Helper()
	var progs [][]bpf.RawInstruction
	for _, tt := range tests {
		progs = append(progs, tt.prog)
	}
	errs, err := batch(progs)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		var re *RejectError
		switch {
		case tt.ok && errs[i] != nil:
			t.Errorf("%s: kernel rejects: %v", tt.name, errs[i])
		case !tt.ok && errs[i] == nil:
			t.Errorf("%s: kernel accepts, want a rejection", tt.name)
		case !tt.ok && (!errors.As(errs[i], &re) || re.Errno != syscall.EINVAL):
			t.Errorf("%s: got %v, want EINVAL", tt.name, errs[i])
		}
	}
}
