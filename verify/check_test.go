package verify

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/diag"
)

func ins(op uint16, jt, jf uint8, k uint32) bpf.RawInstruction {
	return bpf.RawInstruction{Op: op, Jt: jt, Jf: jf, K: k}
}

var (
	retAllow = ins(0x06, 0, 0, 0x7fff0000)
	retA     = ins(0x16, 0, 0, 0)
)

type checkCase struct {
	name string
	prog []bpf.RawInstruction
	mode Mode
	code string // "" = accepted
	pc   int
}

func TestCheck(t *testing.T) {
	for _, c := range checkCases {
		t.Run(c.name, func(t *testing.T) {
			ds := KernelCheck(c.prog, c.mode)
			if c.code == "" {
				if len(ds) != 0 {
					t.Fatalf("Check = %v, want accepted", ds)
				}
				return
			}
			if len(ds) == 0 || ds[0].Code != c.code || ds[0].PC != c.pc || ds[0].Severity != SeverityError {
				t.Fatalf("Check = %v, want error %s at %d", ds, c.code, c.pc)
			}
			if e := ds[0].Err(); e.Pos != diag.AtInsn(c.pc) || string(e.Code) != c.code || e.Msg != ds[0].Msg {
				t.Errorf("Err() = %+v", e)
			}
		})
	}
}

var checkCases = []checkCase{
	{"ret", []bpf.RawInstruction{retAllow}, Seccomp, "", 0},
	{"empty", nil, Seccomp, CodeLength, -1},
	{"too long", make([]bpf.RawInstruction, 4097), Packet, CodeLength, -1},
	{"seccomp load", []bpf.RawInstruction{ins(0x20, 0, 0, 60), retA}, Seccomp, "", 0},
	{"misaligned", []bpf.RawInstruction{ins(0x20, 0, 0, 2), retA}, Seccomp, CodeSeccompLoad, 0},
	{"past seccomp_data", []bpf.RawInstruction{ins(0x20, 0, 0, 64), retA}, Seccomp, CodeSeccompLoad, 0},
	{"packet load anywhere", []bpf.RawInstruction{ins(0x20, 0, 0, 2), retA}, Packet, "", 0},
	{"ldh in seccomp", []bpf.RawInstruction{ins(0x28, 0, 0, 0), retA}, Seccomp, CodeSeccompOpcode, 0},
	{"mod in seccomp", []bpf.RawInstruction{ins(0x94, 0, 0, 3), retA}, Seccomp, CodeSeccompOpcode, 0},
	{"mod in packet", []bpf.RawInstruction{ins(0x94, 0, 0, 3), retA}, Packet, "", 0},
	{"len in seccomp", []bpf.RawInstruction{ins(0x80, 0, 0, 0), retA}, Seccomp, "", 0},
	{"div by 0", []bpf.RawInstruction{ins(0x34, 0, 0, 0), retA}, Packet, CodeDivZero, 0},
	{"mod by 0", []bpf.RawInstruction{ins(0x94, 0, 0, 0), retA}, Packet, CodeDivZero, 0},
	{"div by X", []bpf.RawInstruction{ins(0x3c, 0, 0, 0), retA}, Seccomp, "", 0},
	{"lsh 31", []bpf.RawInstruction{ins(0x64, 0, 0, 31), retA}, Seccomp, "", 0},
	{"lsh 32", []bpf.RawInstruction{ins(0x64, 0, 0, 32), retA}, Seccomp, CodeShift, 0},
	{"rsh 32", []bpf.RawInstruction{ins(0x74, 0, 0, 32), retA}, Packet, CodeShift, 0},
	{"M[16]", []bpf.RawInstruction{ins(0x02, 0, 0, 16), retA}, Packet, CodeScratchIndex, 0},
	{"ja to last", []bpf.RawInstruction{ins(0x05, 0, 0, 0), retA}, Seccomp, "", 0},
	{"ja past", []bpf.RawInstruction{ins(0x05, 0, 0, 1), retA}, Seccomp, CodeJumpRange, 0},
	{"ja huge", []bpf.RawInstruction{ins(0x05, 0, 0, 0xffffffff), retA}, Seccomp, CodeJumpRange, 0},
	{"jeq past", []bpf.RawInstruction{ins(0x15, 0, 1, 0), retA}, Seccomp, CodeJumpRange, 0},
	{"last not ret", []bpf.RawInstruction{retA, ins(0x00, 0, 0, 0)}, Seccomp, CodeLastNotRet, 1},
	{"ret x", []bpf.RawInstruction{ins(0x0e, 0, 0, 0)}, Packet, CodeOpcode, 0},
	{"neg x", []bpf.RawInstruction{ins(0x8c, 0, 0, 0), retA}, Packet, CodeOpcode, 0},
	{"ldh imm", []bpf.RawInstruction{ins(0x08, 0, 0, 0), retA}, Packet, CodeOpcode, 0},
	{"high bits", []bpf.RawInstruction{ins(0x8006, 0, 0, 0)}, Packet, CodeOpcode, 0},
	{"anc proto", []bpf.RawInstruction{ins(0x30, 0, 0, 0xfffff000), retA}, Packet, "", 0},
	{"anc vlan tpid", []bpf.RawInstruction{ins(0x28, 0, 0, 0xfffff000+60), retA}, Packet, "", 0},
	{"anc unknown", []bpf.RawInstruction{ins(0x20, 0, 0, 0xfffff000+64), retA}, Packet, CodeAncillary, 0},
	{"anc odd", []bpf.RawInstruction{ins(0x20, 0, 0, 0xfffff000+2), retA}, Packet, CodeAncillary, 0},
	{"net off", []bpf.RawInstruction{ins(0x20, 0, 0, 0xfff00000), retA}, Packet, "", 0},
	{"anc in seccomp", []bpf.RawInstruction{ins(0x20, 0, 0, 0xfffff000), retA}, Seccomp, CodeSeccompLoad, 0},
	{"scratch ok", []bpf.RawInstruction{ins(0x02, 0, 0, 3), ins(0x60, 0, 0, 3), retA}, Seccomp, "", 0},
	{"scratch uninit", []bpf.RawInstruction{ins(0x02, 0, 0, 3), ins(0x60, 0, 0, 4), retA}, Seccomp, CodeScratchUninit, 1},
	// Written on one path only: jeq skips the store.
	{"scratch one path", []bpf.RawInstruction{
		ins(0x15, 1, 0, 7), ins(0x02, 0, 0, 0), ins(0x60, 0, 0, 0), retA,
	}, Seccomp, CodeScratchUninit, 2},
	// The kernel's pass lets the instruction after a return inherit
	// the state before it: M[0] counts as written at pc 2.
	{"scratch after ret", []bpf.RawInstruction{
		ins(0x02, 0, 0, 0), retA, ins(0x60, 0, 0, 0), retA,
	}, Seccomp, "", 0},
}
