package vm

import (
	"errors"
	"testing"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/diag"
)

// Shorthands for raw instructions, so a table reads like the kernel's
// BPF_STMT / BPF_JUMP macros.
func stmt(code opcode.Op, k uint32) bpf.RawInstruction {
	return bpf.RawInstruction{Op: uint16(code), K: k}
}
func jump(code opcode.Op, k uint32, jt, jf uint8) bpf.RawInstruction {
	return bpf.RawInstruction{Op: uint16(code), Jt: jt, Jf: jf, K: k}
}

const (
	ldW    = opcode.LD | opcode.W | opcode.ABS
	ldH    = opcode.LD | opcode.H | opcode.ABS
	ldB    = opcode.LD | opcode.B | opcode.ABS
	ldIndW = opcode.LD | opcode.W | opcode.IND
	ldIndH = opcode.LD | opcode.H | opcode.IND
	ldIndB = opcode.LD | opcode.B | opcode.IND
	ldImm  = opcode.LD | opcode.IMM
	ldxImm = opcode.LDX | opcode.IMM
	ldLen  = opcode.LD | opcode.W | opcode.LEN
	ldxLen = opcode.LDX | opcode.W | opcode.LEN
	ldMem  = opcode.LD | opcode.MEM
	ldxMem = opcode.LDX | opcode.MEM
	ldxMsh = opcode.LDX | opcode.B | opcode.MSH
	st     = opcode.ST
	stx    = opcode.STX
	tax    = opcode.MISC | opcode.TAX
	txa    = opcode.MISC | opcode.TXA
	retK_  = opcode.RET | opcode.K
	retA_  = opcode.RET | opcode.A
	ja     = opcode.JMP | opcode.JA
	jeqK   = opcode.JMP | opcode.JEQ | opcode.K
	jgtK   = opcode.JMP | opcode.JGT | opcode.K
	jgeK   = opcode.JMP | opcode.JGE | opcode.K
	jsetK  = opcode.JMP | opcode.JSET | opcode.K
	jeqX   = opcode.JMP | opcode.JEQ | opcode.X
	jgtX   = opcode.JMP | opcode.JGT | opcode.X
	jgeX   = opcode.JMP | opcode.JGE | opcode.X
	jsetX  = opcode.JMP | opcode.JSET | opcode.X
	neg    = opcode.ALU | opcode.NEG
)

func aluK(op opcode.Op) opcode.Op { return opcode.ALU | op | opcode.K }
func aluX(op opcode.Op) opcode.Op { return opcode.ALU | op | opcode.X }

var retA1 = stmt(retA_, 0)

func TestNewRejects(t *testing.T) {
	ok := stmt(retK_, 0)
	long := make([]bpf.RawInstruction, opcode.MaxInsns+1)
	for i := range long {
		long[i] = ok
	}
	tests := []struct {
		name  string
		mode  Mode
		prog  []bpf.RawInstruction
		index int // -1: whole program; -2: accepted
	}{
		{"empty", Packet, nil, -1},
		{"too long", Packet, long, -1},
		{"max length", Packet, long[:opcode.MaxInsns], -2},
		{"no final ret", Packet, []bpf.RawInstruction{ok, stmt(ldImm, 1)}, 1},
		{"ret x is no opcode", Packet, []bpf.RawInstruction{stmt(opcode.RET|opcode.X, 0)}, 0},
		{"opcode above 0xff", Packet, []bpf.RawInstruction{stmt(0x106, 0)}, 0},
		{"ld #k with size h", Packet, []bpf.RawInstruction{stmt(opcode.LD|opcode.H|opcode.IMM, 0), ok}, 0},
		{"neg x is no opcode", Packet, []bpf.RawInstruction{stmt(opcode.ALU|opcode.NEG|opcode.X, 0), ok}, 0},
		{"alu op 0xb0", Packet, []bpf.RawInstruction{stmt(opcode.ALU|0xb0, 0), ok}, 0},
		{"jmp op 0x50", Packet, []bpf.RawInstruction{stmt(opcode.JMP|0x50, 0), ok}, 0},
		{"ldx [k]", Packet, []bpf.RawInstruction{stmt(opcode.LDX|opcode.W|opcode.ABS, 0), ok}, 0},
		{"ld msh", Packet, []bpf.RawInstruction{stmt(opcode.LD|opcode.B|opcode.MSH, 0), ok}, 0},
		{"ldx msh w", Packet, []bpf.RawInstruction{stmt(opcode.LDX|opcode.W|opcode.MSH, 0), ok}, 0},
		{"div #0", Packet, []bpf.RawInstruction{stmt(aluK(opcode.DIV), 0), ok}, 0},
		{"mod #0", Packet, []bpf.RawInstruction{stmt(aluK(opcode.MOD), 0), ok}, 0},
		{"div x is fine", Packet, []bpf.RawInstruction{stmt(aluX(opcode.DIV), 0), ok}, -2},
		{"lsh #32", Packet, []bpf.RawInstruction{stmt(aluK(opcode.LSH), 32), ok}, 0},
		{"rsh #31 is fine", Packet, []bpf.RawInstruction{stmt(aluK(opcode.RSH), 31), ok}, -2},
		{"M[16]", Packet, []bpf.RawInstruction{stmt(st, 16), ok}, 0},
		{"ja to end", Packet, []bpf.RawInstruction{stmt(ja, 1), ok}, 0},
		{"ja to last", Packet, []bpf.RawInstruction{stmt(ja, 0), ok}, -2},
		{"ja huge", Packet, []bpf.RawInstruction{stmt(ja, 0xffffffff), ok}, 0},
		{"jt past end", Packet, []bpf.RawInstruction{jump(jeqK, 0, 1, 0), ok}, 0},
		{"jf past end", Packet, []bpf.RawInstruction{jump(jsetX, 0, 0, 1), ok}, 0},
		{"unknown ancillary", Packet, []bpf.RawInstruction{stmt(ldW, 0xfffff000+64), ok}, 0},
		{"misaligned ancillary", Packet, []bpf.RawInstruction{stmt(ldB, 0xfffff001), ok}, 0},
		{"ancillary ldh", Packet, []bpf.RawInstruction{stmt(ldH, 0xfffff000+opcode.AdVlanTPID), ok}, -2},
		{"SKF_NET_OFF load", Packet, []bpf.RawInstruction{stmt(ldW, 0xfff00000), ok}, -2},
		{"ind with k in ancillary range", Packet, []bpf.RawInstruction{stmt(ldIndW, 0xfffff001), ok}, -2},
		{"M read before write", Packet, []bpf.RawInstruction{stmt(ldMem, 3), ok}, 0},
		{"M written on one path only", Packet, []bpf.RawInstruction{
			jump(jeqK, 0, 0, 1), stmt(st, 2), stmt(ldxMem, 2), ok}, 2},
		{"M written on both paths", Packet, []bpf.RawInstruction{
			jump(jeqK, 0, 0, 2), stmt(st, 2), stmt(ja, 1), stmt(stx, 2), stmt(ldxMem, 2), ok}, -2},
		// check_load_and_stores carries the valid set over a return into
		// the next instruction when no jump lands there.
		{"M valid across ret", Packet, []bpf.RawInstruction{stmt(st, 5), ok, stmt(ldMem, 5), ok}, -2},
		{"seccomp ldh", Seccomp, []bpf.RawInstruction{stmt(ldH, 0), ok}, 0},
		{"seccomp ldb", Seccomp, []bpf.RawInstruction{stmt(ldB, 0), ok}, 0},
		{"seccomp misaligned", Seccomp, []bpf.RawInstruction{stmt(ldW, 2), ok}, 0},
		{"seccomp offset 64", Seccomp, []bpf.RawInstruction{stmt(ldW, 64), ok}, 0},
		{"seccomp offset 60", Seccomp, []bpf.RawInstruction{stmt(ldW, 60), ok}, -2},
		{"seccomp ind", Seccomp, []bpf.RawInstruction{stmt(ldIndW, 0), ok}, 0},
		{"seccomp msh", Seccomp, []bpf.RawInstruction{stmt(ldxMsh, 0), ok}, 0},
		{"seccomp mod x", Seccomp, []bpf.RawInstruction{stmt(aluX(opcode.MOD), 0), ok}, 0},
		{"seccomp ancillary", Seccomp, []bpf.RawInstruction{stmt(ldW, 0xfffff000), ok}, 0},
		{"seccomp neg, len, xor", Seccomp, []bpf.RawInstruction{stmt(ldLen, 0), stmt(neg, 0), stmt(aluX(opcode.XOR), 0), stmt(ldxLen, 0), ok}, -2},
		{"seccomp ret a", Seccomp, []bpf.RawInstruction{stmt(ldW, 0), retA1}, -2},
		{"mode 7", 7, []bpf.RawInstruction{ok}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(tt.prog, tt.mode)
			if tt.index == -2 {
				if err != nil {
					t.Fatalf("New: %v, want accepted", err)
				}
				if m.Len() != len(tt.prog) {
					t.Errorf("Len = %d, want %d", m.Len(), len(tt.prog))
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("New: err = %v, want *Error at %d", err, tt.index)
			}
			if e.PC != tt.index {
				t.Errorf("New: error at %d (%v), want at %d", e.PC, e, tt.index)
			}
			var de *diag.Error
			if !errors.As(err, &de) || de.Pos != diag.AtInsn(tt.index) || string(de.Code) != e.Code || de.Msg != e.Msg {
				t.Errorf("New: errors.As diag.Error: %+v", de)
			}
		})
	}
}

// run is a test helper: New then RunPacket, failing the test on a reject.
func runPacket(t *testing.T, prog []bpf.RawInstruction, pkt []byte, meta *Meta) Result {
	t.Helper()
	m, err := New(prog, Packet)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m.RunPacket(pkt, meta)
}

func TestALU(t *testing.T) {
	// Each case computes A = a OP b (b in K, then again in X) and returns
	// A. The expectations are 32-bit unsigned arithmetic that wraps, as
	// eBPF ALU32 does after bpf_convert_filter; shift counts by X are taken
	// mod 32 (checked on this machine's kernel: 1 << X with X = 33 gives 2).
	tests := []struct {
		name string
		op   opcode.Op
		a, b uint32
		want uint32
		noK  bool // K form is rejected for this b
	}{
		{"add", opcode.ADD, 7, 5, 12, false},
		{"add wraps", opcode.ADD, 0xffffffff, 2, 1, false},
		{"sub", opcode.SUB, 7, 5, 2, false},
		{"sub wraps", opcode.SUB, 5, 7, 0xfffffffe, false},
		{"mul", opcode.MUL, 0x10000, 0x10001, 0x10000, false},
		{"div unsigned", opcode.DIV, 0xfffffffe, 2, 0x7fffffff, false},
		{"div truncates", opcode.DIV, 7, 2, 3, false},
		{"mod", opcode.MOD, 17, 5, 2, false},
		{"mod unsigned", opcode.MOD, 0xffffffff, 10, 5, false},
		{"and", opcode.AND, 0xf0f0, 0xff00, 0xf000, false},
		{"or", opcode.OR, 0xf0f0, 0x0f00, 0xfff0, false},
		{"xor", opcode.XOR, 0xf0f0, 0xff00, 0x0ff0, false},
		{"lsh", opcode.LSH, 1, 31, 0x80000000, false},
		{"lsh drops", opcode.LSH, 0xffffffff, 4, 0xfffffff0, false},
		{"rsh logical", opcode.RSH, 0x80000000, 31, 1, false},
		{"lsh by 32 is by 0", opcode.LSH, 100, 32, 100, true},
		{"lsh by 33 is by 1", opcode.LSH, 1, 33, 2, true},
		{"rsh by 36 is by 4", opcode.RSH, 1600, 36, 100, true},
		{"rsh by 0xffffffff is by 31", opcode.RSH, 0x80000000, 0xffffffff, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.noK {
				r := runPacket(t, []bpf.RawInstruction{stmt(ldImm, tt.a), stmt(aluK(tt.op), tt.b), retA1}, nil, nil)
				if r.Ret != tt.want || r.Insns != 3 {
					t.Errorf("K form: got %#x in %d insns, want %#x in 3", r.Ret, r.Insns, tt.want)
				}
			}
			r := runPacket(t, []bpf.RawInstruction{stmt(ldImm, tt.a), stmt(ldxImm, tt.b), stmt(aluX(tt.op), 0), retA1}, nil, nil)
			if r.Ret != tt.want || r.Insns != 4 {
				t.Errorf("X form: got %#x in %d insns, want %#x in 4", r.Ret, r.Insns, tt.want)
			}
		})
	}
}

func TestPacket(t *testing.T) {
	pkt := []byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x45, 0xcd, 0xee, 0xff}
	meta := &Meta{
		NetOffset: 12, Protocol: 0x0800, PktType: 0xfc, Ifindex: 3, Mark: 0xdead, Queue: 5,
		Hatype: 772, Rxhash: 0x12345678, CPU: 1, VlanTCI: 0xf00d, VlanPresent: true,
		VlanTPID: 0x8100, PayloadOffset: 34, Rand: 0xcafe,
	}
	anc := func(code uint32) uint32 { return 0xfffff000 + code }
	tests := []struct {
		name  string
		prog  []bpf.RawInstruction
		meta  *Meta
		want  uint32
		insns int
	}{
		{"ld [k] big endian", []bpf.RawInstruction{stmt(ldW, 1), retA1}, nil, 0x11223344, 2},
		{"ldh [k]", []bpf.RawInstruction{stmt(ldH, 14), retA1}, nil, 0xeeff, 2},
		{"ldb [k]", []bpf.RawInstruction{stmt(ldB, 15), retA1}, nil, 0xff, 2},
		{"ld [k] last word", []bpf.RawInstruction{stmt(ldW, 12), retA1}, nil, 0x45cdeeff, 2},
		// A load that does not fit ends the program with 0 (the helpers'
		// -EFAULT path in bpf_convert_filter's ld_abs lowering).
		{"ld [k] one past", []bpf.RawInstruction{stmt(ldImm, 9), stmt(ldW, 13), retA1}, nil, 0, 2},
		{"ldh [k] past", []bpf.RawInstruction{stmt(ldH, 15), retA1}, nil, 0, 1},
		{"ldb [k] at len", []bpf.RawInstruction{stmt(ldB, 16), retA1}, nil, 0, 1},
		{"ld [k] huge", []bpf.RawInstruction{stmt(ldW, 0x7ffffffe), retA1}, nil, 0, 1},
		{"ld [x+k]", []bpf.RawInstruction{stmt(ldxImm, 2), stmt(ldIndW, 2), retA1}, nil, 0x44556677, 3},
		{"ldh [x+k]", []bpf.RawInstruction{stmt(ldxImm, 2), stmt(ldIndH, 2), retA1}, nil, 0x4455, 3},
		{"ldb [x+k]", []bpf.RawInstruction{stmt(ldxImm, 2), stmt(ldIndB, 2), retA1}, nil, 0x44, 3},
		// X+k wraps in 32 bits (BPF_ALU32_IMM add): 0xffffffff + 4 = 3.
		{"ldb [x+k] wraps", []bpf.RawInstruction{stmt(ldxImm, 0xffffffff), stmt(ldIndB, 4), retA1}, nil, 0x33, 3},
		// X+k = -1 is below SKF_AD_OFF's range but >= SKF_NET_OFF: the
		// network header plus 0xfffff, far out of the packet.
		{"ldb [x+k] = -1", []bpf.RawInstruction{stmt(ldxImm, 0xffffffff), stmt(ldIndB, 0), retA1}, meta, 0, 2},
		{"ld [x+k] past", []bpf.RawInstruction{stmt(ldxImm, 10), stmt(ldIndW, 3), retA1}, nil, 0, 2},
		{"ldx msh", []bpf.RawInstruction{stmt(ldxMsh, 12), stmt(txa, 0), retA1}, nil, 20, 3},
		{"ldx msh past", []bpf.RawInstruction{stmt(ldxMsh, 16), stmt(txa, 0), retA1}, nil, 0, 1},
		{"ldx msh keeps A", []bpf.RawInstruction{stmt(ldImm, 9), stmt(ldxMsh, 0), retA1}, nil, 9, 3},
		{"ld len", []bpf.RawInstruction{stmt(ldLen, 0), retA1}, nil, 16, 2},
		{"ldx len", []bpf.RawInstruction{stmt(ldxLen, 0), stmt(txa, 0), retA1}, nil, 16, 3},
		{"ld len is wire len", []bpf.RawInstruction{stmt(ldLen, 0), retA1}, &Meta{WireLen: 1500}, 1500, 2},
		{"wire len does not widen loads", []bpf.RawInstruction{stmt(ldB, 16), retA1}, &Meta{WireLen: 1500}, 0, 1},
		{"net off", []bpf.RawInstruction{stmt(ldB, 0xfff00000), retA1}, meta, 0x45, 2},
		{"net off h", []bpf.RawInstruction{stmt(ldH, 0xfff00002), retA1}, meta, 0xeeff, 2},
		{"net off past", []bpf.RawInstruction{stmt(ldH, 0xfff00003), retA1}, meta, 0, 1},
		{"net off without meta is 0", []bpf.RawInstruction{stmt(ldB, 0xfff00001), retA1}, nil, 0x11, 2},
		{"ll off", []bpf.RawInstruction{stmt(ldW, 0xffe00000), retA1}, meta, 0x00112233, 2},
		{"ll off past", []bpf.RawInstruction{stmt(ldW, 0xffe0000d), retA1}, meta, 0, 1},
		{"below ll off", []bpf.RawInstruction{stmt(ldB, 0xffdfffff), retA1}, meta, 0, 1},
		{"ind into net off", []bpf.RawInstruction{stmt(ldxImm, 0xfff00000), stmt(ldIndB, 1), retA1}, meta, 0xcd, 3},
		{"msh at net off", []bpf.RawInstruction{stmt(ldxMsh, 0xfff00000), stmt(txa, 0), retA1}, meta, 20, 3},
		{"protocol", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdProtocol)), retA1}, meta, 0x0800, 2},
		// ldb of an ancillary field still reads all of it (checked on this
		// machine's kernel: ldb protocol gives 0x800).
		{"protocol via ldb", []bpf.RawInstruction{stmt(ldB, anc(opcode.AdProtocol)), retA1}, meta, 0x0800, 2},
		{"pkttype masked to 3 bits", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdPktType)), retA1}, meta, 4, 2},
		{"ifindex", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdIfindex)), retA1}, meta, 3, 2},
		{"mark", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdMark)), retA1}, meta, 0xdead, 2},
		{"queue", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdQueue)), retA1}, meta, 5, 2},
		{"hatype", []bpf.RawInstruction{stmt(ldH, anc(opcode.AdHatype)), retA1}, meta, 772, 2},
		{"rxhash", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdRxhash)), retA1}, meta, 0x12345678, 2},
		{"cpu", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdCPU)), retA1}, meta, 1, 2},
		{"alu xor x", []bpf.RawInstruction{stmt(ldImm, 0xff00), stmt(ldxImm, 0x0ff0), stmt(ldW, anc(opcode.AdAluXorX)), retA1}, nil, 0xf0f0, 4},
		{"vlan tag", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdVlanTag)), retA1}, meta, 0xf00d, 2},
		{"vlan present", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdVlanPresent)), retA1}, meta, 1, 2},
		{"vlan absent", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdVlanPresent)), retA1}, nil, 0, 2},
		{"payload offset", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdPayOffset)), retA1}, meta, 34, 2},
		{"random", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdRandom)), retA1}, meta, 0xcafe, 2},
		{"vlan tpid", []bpf.RawInstruction{stmt(ldW, anc(opcode.AdVlanTPID)), retA1}, meta, 0x8100, 2},
		{"div by x 0 returns 0", []bpf.RawInstruction{stmt(ldImm, 5), stmt(aluX(opcode.DIV), 0), stmt(retK_, 9)}, nil, 0, 2},
		{"mod by x 0 returns 0", []bpf.RawInstruction{stmt(ldImm, 5), stmt(aluX(opcode.MOD), 0), stmt(retK_, 9)}, nil, 0, 2},
		{"neg", []bpf.RawInstruction{stmt(ldImm, 0xffffff00), stmt(neg, 0), retA1}, nil, 0x100, 3},
		{"neg 0", []bpf.RawInstruction{stmt(neg, 0), retA1}, nil, 0, 2},
		{"tax txa", []bpf.RawInstruction{stmt(ldImm, 7), stmt(tax, 0), stmt(ldImm, 1), stmt(txa, 0), retA1}, nil, 7, 5},
		{"txa is X to A", []bpf.RawInstruction{stmt(ldxImm, 3), stmt(txa, 0), retA1}, nil, 3, 3},
		{"scratch", []bpf.RawInstruction{stmt(ldImm, 1), stmt(st, 15), stmt(ldxImm, 2), stmt(stx, 0),
			stmt(ldMem, 0), stmt(ldxMem, 15), stmt(aluX(opcode.SUB), 0), retA1}, nil, 1, 8},
		{"registers start at 0", []bpf.RawInstruction{stmt(txa, 0), stmt(aluK(opcode.ADD), 1), retA1}, nil, 1, 3},
		{"ret k", []bpf.RawInstruction{stmt(retK_, 0xffffffff)}, nil, 0xffffffff, 1},
		{"ja", []bpf.RawInstruction{stmt(ja, 1), stmt(retK_, 1), stmt(retK_, 2)}, nil, 2, 2},
		{"jeq k true", []bpf.RawInstruction{stmt(ldImm, 5), jump(jeqK, 5, 0, 1), stmt(retK_, 1), stmt(retK_, 2)}, nil, 1, 3},
		{"jeq k false", []bpf.RawInstruction{stmt(ldImm, 4), jump(jeqK, 5, 0, 1), stmt(retK_, 1), stmt(retK_, 2)}, nil, 2, 3},
		{"jgt k unsigned", []bpf.RawInstruction{stmt(ldImm, 0x80000000), jump(jgtK, 1, 0, 1), stmt(retK_, 1), stmt(retK_, 2)}, nil, 1, 3},
		{"jgt k equal", []bpf.RawInstruction{stmt(ldImm, 1), jump(jgtK, 1, 0, 1), stmt(retK_, 1), stmt(retK_, 2)}, nil, 2, 3},
		{"jge k equal", []bpf.RawInstruction{stmt(ldImm, 1), jump(jgeK, 1, 0, 1), stmt(retK_, 1), stmt(retK_, 2)}, nil, 1, 3},
		{"jset k", []bpf.RawInstruction{stmt(ldImm, 6), jump(jsetK, 8, 0, 1), stmt(retK_, 1), stmt(retK_, 2)}, nil, 2, 3},
		{"jset all ones", []bpf.RawInstruction{jump(jsetK, 0xffffffff, 0, 1), stmt(retK_, 1), stmt(retK_, 2)}, nil, 2, 2},
		{"jeq x", []bpf.RawInstruction{stmt(ldImm, 5), stmt(ldxImm, 5), jump(jeqX, 0, 1, 0), stmt(retK_, 1), stmt(retK_, 2)}, nil, 2, 4},
		{"jgt x", []bpf.RawInstruction{stmt(ldImm, 5), stmt(ldxImm, 6), jump(jgtX, 0, 1, 0), stmt(retK_, 1), stmt(retK_, 2)}, nil, 1, 4},
		{"jge x", []bpf.RawInstruction{stmt(ldImm, 6), stmt(ldxImm, 6), jump(jgeX, 0, 1, 0), stmt(retK_, 1), stmt(retK_, 2)}, nil, 2, 4},
		{"jset x", []bpf.RawInstruction{stmt(ldImm, 6), stmt(ldxImm, 2), jump(jsetX, 0, 1, 0), stmt(retK_, 1), stmt(retK_, 2)}, nil, 2, 4},
		{"jump both ways same", []bpf.RawInstruction{jump(jeqK, 0, 0, 0), stmt(retK_, 1)}, nil, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runPacket(t, tt.prog, pkt, tt.meta)
			want := Result{Ret: tt.want, Insns: tt.insns}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSeccompLayout(t *testing.T) {
	d := SeccompData{
		Nr: -1, InstructionPointer: 0x1111222233334444,
		Args: [6]uint64{0x0102030405060708, 0xa0a0a0a0b0b0b0b0, 0, 0, 0, 0xfffffffffffffffe},
	}
	// Per include/uapi/linux/seccomp.h: nr @0, arch @4, ip @8, args[i] @
	// 16+8i. A 32-bit load takes the native order of the arch: on a
	// little-endian arch the low word is at the lower offset, on a
	// big-endian one (s390x) the high word is.
	tests := []struct {
		arch uint32
		off  uint32
		want uint32
	}{
		{0xc000003e, 0, 0xffffffff},
		{0xc000003e, 4, 0xc000003e},
		{0xc000003e, 8, 0x33334444},
		{0xc000003e, 12, 0x11112222},
		{0xc000003e, 16, 0x05060708},
		{0xc000003e, 20, 0x01020304},
		{0xc000003e, 24, 0xb0b0b0b0},
		{0xc000003e, 28, 0xa0a0a0a0},
		{0xc000003e, 56, 0xfffffffe},
		{0xc000003e, 60, 0xffffffff},
		{0x80000016, 0, 0xffffffff},
		{0x80000016, 4, 0x80000016},
		{0x80000016, 8, 0x11112222},
		{0x80000016, 12, 0x33334444},
		{0x80000016, 16, 0x01020304},
		{0x80000016, 20, 0x05060708},
		{0x80000016, 24, 0xa0a0a0a0},
		{0x80000016, 28, 0xb0b0b0b0},
		{0x80000016, 56, 0xffffffff},
		{0x80000016, 60, 0xfffffffe},
	}
	for _, tt := range tests {
		d.Arch = tt.arch
		m, err := New([]bpf.RawInstruction{stmt(ldW, tt.off), retA1}, Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.RunSeccomp(d); got != (Result{Ret: tt.want, Insns: 2}) {
			t.Errorf("arch %#x ld [%d]: got %#x, want %#x", tt.arch, tt.off, got.Ret, tt.want)
		}
	}
}

func TestSeccomp(t *testing.T) {
	d := SeccompData{Nr: 39, Arch: 0xc000003e, Args: [6]uint64{1, 2}}
	tests := []struct {
		name  string
		prog  []bpf.RawInstruction
		want  uint32
		insns int
	}{
		// seccomp_check_filter turns "ld len" into "ld #64".
		{"len is 64", []bpf.RawInstruction{stmt(ldLen, 0), retA1}, 64, 2},
		{"ldx len is 64", []bpf.RawInstruction{stmt(ldxLen, 0), stmt(txa, 0), retA1}, 64, 3},
		{"div by x 0", []bpf.RawInstruction{stmt(ldW, 0), stmt(aluX(opcode.DIV), 0), retA1}, 0, 2},
		{"filter", []bpf.RawInstruction{
			stmt(ldW, 4), jump(jeqK, 0xc000003e, 0, 4),
			stmt(ldW, 0), jump(jeqK, 39, 0, 1),
			stmt(retK_, 0x00050001), stmt(retK_, 0x7fff0000), stmt(retK_, 0x80000000)}, 0x00050001, 5},
		{"arg x compare", []bpf.RawInstruction{
			stmt(ldW, 24), stmt(tax, 0), stmt(ldW, 16), stmt(aluK(opcode.ADD), 1), jump(jeqX, 0, 0, 1), stmt(retK_, 1), stmt(retK_, 2)}, 1, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(tt.prog, Seccomp)
			if err != nil {
				t.Fatal(err)
			}
			got := m.RunSeccomp(d)
			if diff := cmp.Diff(Result{Ret: tt.want, Insns: tt.insns}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestModeMismatch(t *testing.T) {
	prog := []bpf.RawInstruction{stmt(retK_, 5)}
	s, _ := New(prog, Seccomp)
	p, _ := New(prog, Packet)
	if r := s.RunPacket([]byte{1}, nil); r != (Result{}) {
		t.Errorf("seccomp machine RunPacket = %+v, want zero", r)
	}
	if r := p.RunSeccomp(SeccompData{}); r != (Result{}) {
		t.Errorf("packet machine RunSeccomp = %+v, want zero", r)
	}
	if r := s.RunSeccomp(SeccompData{}); r != (Result{Ret: 5, Insns: 1}) {
		t.Errorf("RunSeccomp = %+v", r)
	}
}

func TestNlattr(t *testing.T) {
	// A netlink message body: three attributes in host (little-endian)
	// order. struct nlattr { u16 nla_len; u16 nla_type; }.
	pkt := []byte{
		0xaa, 0xbb, 0xcc, 0xdd, // 4 bytes of something before (A = 4 starts the search)
		5, 0, 1, 0, 'x', 0, 0, 0, // @4: len 5 (padded to 8), type 1
		12, 0, 0x02, 0x80, // @12: len 12, type 2 | NLA_F_NESTED
		6, 0, 7, 0, 0xee, 0xee, 0, 0, // @16: nested: len 6, type 7
		4, 0, 3, 0, // @24: len 4, type 3
	}
	prog := func(code uint32, a, x uint32) []bpf.RawInstruction {
		return []bpf.RawInstruction{stmt(ldImm, a), stmt(ldxImm, x), stmt(ldW, 0xfffff000+code), retA1}
	}
	tests := []struct {
		name    string
		code    uint32
		a, x    uint32
		want    uint32
		pktSize int
	}{
		{"find 1", opcode.AdNlattr, 4, 1, 4, len(pkt)},
		{"find nested flag masked", opcode.AdNlattr, 4, 2, 12, len(pkt)},
		{"find 3", opcode.AdNlattr, 4, 3, 24, len(pkt)},
		{"not found", opcode.AdNlattr, 4, 9, 0, len(pkt)},
		{"nested attr not at top level", opcode.AdNlattr, 4, 7, 0, len(pkt)},
		{"type with flag bits never matches", opcode.AdNlattr, 4, 0x8002, 0, len(pkt)},
		{"a too far", opcode.AdNlattr, 25, 3, 0, len(pkt)},
		{"a at last header", opcode.AdNlattr, 24, 3, 24, len(pkt)},
		{"truncated stream stops", opcode.AdNlattr, 4, 3, 0, 26},
		{"nest finds 7", opcode.AdNlattrNest, 12, 7, 16, len(pkt)},
		{"nest not 3", opcode.AdNlattrNest, 12, 3, 0, len(pkt)},
		{"nest len beyond packet", opcode.AdNlattrNest, 12, 7, 0, 20},
		{"tiny packet", opcode.AdNlattr, 0, 0, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runPacket(t, prog(tt.code, tt.a, tt.x), pkt[:tt.pktSize], nil)
			if got.Ret != tt.want {
				t.Errorf("got %d, want %d", got.Ret, tt.want)
			}
		})
	}
}

func TestTraceAndCoverage(t *testing.T) {
	prog := []bpf.RawInstruction{
		stmt(ldImm, 5), jump(jeqK, 5, 0, 1), stmt(tax, 0), stmt(ldB, 100), stmt(retK_, 1),
	}
	m, err := New(prog, Packet)
	if err != nil {
		t.Fatal(err)
	}
	var steps []Step
	cov := make([]bool, m.Len())
	r := m.RunPacketOpts([]byte{1, 2}, nil, &Options{Trace: func(s Step) { steps = append(steps, s) }, Coverage: cov})
	want := []Step{
		{PC: 0, Insn: prog[0], A: 5},
		{PC: 1, Insn: prog[1], A: 5},
		{PC: 2, Insn: prog[2], A: 5, X: 5},
		{PC: 3, Insn: prog[3], A: 5, X: 5, Exit: true, Fault: true},
	}
	if diff := cmp.Diff(want, steps); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{true, true, true, true, false}, cov); diff != "" {
		t.Errorf("coverage (-want +got):\n%s", diff)
	}
	if r != (Result{Ret: 0, Insns: 4}) {
		t.Errorf("result %+v", r)
	}
	// A short coverage slice is not written past its end.
	short := make([]bool, 1)
	m.RunPacketOpts(nil, nil, &Options{Coverage: short})
	if !short[0] {
		t.Errorf("short coverage not recorded")
	}
}

func TestZeroAllocs(t *testing.T) {
	pm, err := New([]bpf.RawInstruction{
		stmt(ldH, 12), jump(jeqK, 0x800, 0, 3), stmt(ldxMsh, 14), stmt(ldIndH, 16), stmt(retA_, 0),
		stmt(ldW, 0xfffff000+opcode.AdNlattr), stmt(retA_, 0),
	}, Packet)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := New([]bpf.RawInstruction{stmt(ldW, 4), stmt(ldW, 0), stmt(st, 0), stmt(ldxMem, 0), stmt(aluX(opcode.DIV), 0), retA1}, Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	pkt := make([]byte, 60)
	pkt[12], pkt[14] = 0x08, 0x45
	meta := &Meta{NetOffset: 14}
	if n := testing.AllocsPerRun(100, func() { pm.RunPacket(pkt, meta) }); n != 0 {
		t.Errorf("RunPacket allocates %v times per run", n)
	}
	pkt[12] = 0x86
	if n := testing.AllocsPerRun(100, func() { pm.RunPacket(pkt, nil) }); n != 0 {
		t.Errorf("RunPacket (nlattr) allocates %v times per run", n)
	}
	d := SeccompData{Nr: 1, Arch: 0xc000003e}
	if n := testing.AllocsPerRun(100, func() { sm.RunSeccomp(d) }); n != 0 {
		t.Errorf("RunSeccomp allocates %v times per run", n)
	}
	cov := make([]bool, sm.Len())
	o := &Options{Coverage: cov}
	if n := testing.AllocsPerRun(100, func() { sm.RunSeccompOpts(d, o) }); n != 0 {
		t.Errorf("RunSeccompOpts with coverage allocates %v times per run", n)
	}
}

func TestOneShot(t *testing.T) {
	r, err := Run([]bpf.RawInstruction{stmt(ldW, 0), retA1}, SeccompData{Nr: 7})
	if err != nil || r != (Result{Ret: 7, Insns: 2}) {
		t.Errorf("Run = %+v, %v", r, err)
	}
	if _, err := Run([]bpf.RawInstruction{stmt(ldB, 0), retA1}, SeccompData{}); err == nil {
		t.Errorf("Run accepted ldb in seccomp mode")
	}
	r, err = RunPacket([]bpf.RawInstruction{stmt(ldB, 1), retA1}, []byte{1, 2}, nil)
	if err != nil || r != (Result{Ret: 2, Insns: 2}) {
		t.Errorf("RunPacket = %+v, %v", r, err)
	}
}

// TestMachineMode: a Machine reports the mode it was prepared for, and the
// mode decides which input it runs (the other Run method returns the zero
// Result).
func TestMachineMode(t *testing.T) {
	prog := []bpf.RawInstruction{{Op: 0x06, K: 7}} // ret #7
	for _, mode := range []Mode{Seccomp, Packet} {
		m, err := New(prog, mode)
		if err != nil {
			t.Fatal(err)
		}
		if m.Mode() != mode {
			t.Errorf("New(_, %v).Mode() = %v", mode, m.Mode())
		}
		s, p := m.RunSeccomp(SeccompData{}), m.RunPacket([]byte{1}, nil)
		if (mode == Seccomp) != (s.Ret == 7) || (mode == Packet) != (p.Ret == 7) {
			t.Errorf("mode %v: RunSeccomp %+v, RunPacket %+v", mode, s, p)
		}
	}
	if _, err := New(prog, Mode(7)); err == nil {
		t.Error("New accepts mode 7")
	}
}
