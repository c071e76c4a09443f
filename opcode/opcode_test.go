package opcode_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// effects is what an instruction reads and writes, as x/net/bpf's decoder
// (an independent source) says: its typed instruction names the registers.
type effects struct{ readsA, writesA, readsX, writesX, readsMem, writesMem bool }

func xnetEffects(ins bpf.Instruction) (effects, bool) {
	switch i := ins.(type) {
	case bpf.LoadConstant:
		return effects{writesA: i.Dst == bpf.RegA, writesX: i.Dst == bpf.RegX}, true
	case bpf.LoadScratch:
		return effects{writesA: i.Dst == bpf.RegA, writesX: i.Dst == bpf.RegX, readsMem: true}, true
	case bpf.LoadAbsolute, bpf.LoadExtension:
		return effects{writesA: true}, true
	case bpf.LoadIndirect:
		return effects{writesA: true, readsX: true}, true
	case bpf.LoadMemShift:
		return effects{writesX: true}, true
	case bpf.StoreScratch:
		return effects{readsA: i.Src == bpf.RegA, readsX: i.Src == bpf.RegX, writesMem: true}, true
	case bpf.ALUOpConstant, bpf.NegateA:
		return effects{readsA: true, writesA: true}, true
	case bpf.ALUOpX:
		return effects{readsA: true, writesA: true, readsX: true}, true
	case bpf.Jump, bpf.RetConstant:
		return effects{}, true
	case bpf.JumpIf:
		return effects{readsA: true}, true
	case bpf.JumpIfX:
		return effects{readsA: true, readsX: true}, true
	case bpf.RetA:
		return effects{readsA: true}, true
	case bpf.TAX:
		return effects{readsA: true, writesX: true}, true
	case bpf.TXA:
		return effects{readsX: true, writesA: true}, true
	}
	return effects{}, false
}

func TestPredicatesMatchXnet(t *testing.T) {
	decoded := 0
	for code := range 256 {
		op := opcode.Op(code)
		// x/net/bpf decodes some codes the kernel rejects loosely (0x21 as
		// ld [k]): compare only where its decoding encodes back the same.
		dis := bpf.RawInstruction{Op: uint16(code)}.Disassemble()
		want, ok := xnetEffects(dis)
		if back, err := dis.Assemble(); !ok || err != nil || back.Op != uint16(code) {
			continue
		}
		decoded++
		got := effects{op.ReadsA(), op.WritesA(), op.ReadsX(), op.WritesX(), op.ReadsMem(), op.WritesMem()}
		if got != want {
			t.Errorf("%#04x (%v): got %+v, x/net/bpf says %+v", code, op, got, want)
		}
		if op.String() == fmt.Sprintf("%#02x", code) {
			t.Errorf("%#04x: x/net/bpf decodes it but it has no mnemonic", code)
		}
	}
	if decoded < 45 {
		t.Errorf("x/net/bpf decoded only %d opcodes", decoded)
	}
}

func TestAccessors(t *testing.T) {
	op := opcode.JMP | opcode.JGE | opcode.X
	if op.Class() != opcode.JMP || op.JumpOp() != opcode.JGE || op.Src() != opcode.X {
		t.Errorf("%#x: class %#x, jump op %#x, src %#x", uint16(op), uint16(op.Class()), uint16(op.JumpOp()), uint16(op.Src()))
	}
	if !op.IsJump() || !op.IsCondJump() || op.IsReturn() {
		t.Errorf("%v: jump %v, conditional %v, return %v", op, op.IsJump(), op.IsCondJump(), op.IsReturn())
	}
	if opcode.Ja.IsCondJump() || !opcode.Ja.IsJump() {
		t.Errorf("ja: conditional %v, jump %v", opcode.Ja.IsCondJump(), opcode.Ja.IsJump())
	}
	ld := opcode.LD | opcode.H | opcode.IND
	if ld.Size() != opcode.H || ld.Mode() != opcode.IND || !ld.IsLoad() || ld.IsStore() {
		t.Errorf("%v: size %#x mode %#x", ld, uint16(ld.Size()), uint16(ld.Mode()))
	}
	if r := opcode.RetA; r.RetSrc() != opcode.A || !r.IsReturn() {
		t.Errorf("ret a: source %#x", uint16(r.RetSrc()))
	}
	if (opcode.ALU|opcode.MOD).ALUOp() != opcode.MOD || (opcode.MISC|opcode.TXA).MiscOp() != opcode.TXA {
		t.Error("ALU or MISC operation misread")
	}
	for op, n := range map[opcode.Op]int{opcode.LdAbsW: 4, ld: 2, opcode.LD | opcode.B | opcode.ABS: 1, opcode.LDX | opcode.B | opcode.MSH: 1} {
		if op.LoadBytes() != n {
			t.Errorf("%v: %d bytes, want %d", op, op.LoadBytes(), n)
		}
	}
	for op, want := range map[opcode.Op]bool{opcode.ALU | opcode.DIV | opcode.X: true, opcode.ALU | opcode.MOD | opcode.X: true,
		opcode.ALU | opcode.DIV | opcode.K: false, opcode.ALU | opcode.ADD | opcode.X: false, opcode.JMP | opcode.JGT | opcode.X: false} {
		if op.DividesByX() != want {
			t.Errorf("%v: DividesByX %v", op, op.DividesByX())
		}
	}
}

func TestOpString(t *testing.T) {
	for _, tc := range []struct {
		op   opcode.Op
		want string
	}{
		{0x20, "ld"}, {0x28, "ldh"}, {0x30, "ldb"}, {0x48, "ldh"}, {0x00, "ld"}, {0x60, "ld"},
		{0x80, "ld"}, {0x01, "ldx"}, {0x61, "ldx"}, {0x81, "ldx"}, {0xb1, "ldxb"},
		{0x02, "st"}, {0x03, "stx"}, {0x04, "add"}, {0x0c, "add"}, {0x84, "neg"}, {0x94, "mod"},
		{0xa4, "xor"}, {0x05, "ja"}, {0x15, "jeq"}, {0x2d, "jgt"}, {0x35, "jge"}, {0x45, "jset"},
		{0x06, "ret"}, {0x16, "ret"}, {0x0e, "ret"}, {0x07, "tax"}, {0x87, "txa"},
		{0x8c, "0x8c"}, {0x0d, "0x0d"}, {0x55 | 0xb0, "0xf5"}, {0x1e, "0x1e"}, {0x38, "0x38"}, {0x100, "0x100"},
	} {
		if got := tc.op.String(); got != tc.want {
			t.Errorf("Op(%#x).String() = %q, want %q", uint16(tc.op), got, tc.want)
		}
	}
}

// farJa is where "ja +0xffffffff" at 1 goes: 2^32+1, or math.MaxInt
// where int is 32 bits.
func farJa() int {
	t := uint64(1) + 1 + 0xffffffff
	if t > math.MaxInt {
		return math.MaxInt
	}
	return int(t)
}

func TestSuccessors(t *testing.T) {
	for _, tc := range []struct {
		ins  bpf.RawInstruction
		pc   int
		want []int
	}{
		{bpf.RawInstruction{Op: 0x06}, 3, nil},
		{bpf.RawInstruction{Op: 0x16}, 3, nil},
		{bpf.RawInstruction{Op: 0x05, K: 7}, 2, []int{10}},
		{bpf.RawInstruction{Op: 0x05, K: 0xffffffff}, 1, []int{farJa()}},
		{bpf.RawInstruction{Op: 0x15, Jt: 0, Jf: 4}, 5, []int{6, 10}},
		{bpf.RawInstruction{Op: 0x4d, Jt: 255, Jf: 1}, 0, []int{256, 2}},
		{bpf.RawInstruction{Op: 0x20, K: 4}, 9, []int{10}},
		{bpf.RawInstruction{Op: 0x07}, 0, []int{1}},
	} {
		if got := opcode.Successors(tc.ins, tc.pc); !slices.Equal(got, tc.want) {
			t.Errorf("Successors(%v, %d) = %v, want %v", tc.ins, tc.pc, got, tc.want)
		}
	}
}

func TestLeaders(t *testing.T) {
	p := opcode.Program{
		{Op: 0x20, K: 4},          // 0
		{Op: 0x15, Jt: 1, Jf: 0},  // 1: -> 3, 2
		{Op: 0x06, K: 0},          // 2
		{Op: 0x20, K: 0},          // 3
		{Op: 0x05, K: 0},          // 4: -> 5
		{Op: 0x06, K: 0x7fff0000}, // 5
	}
	got := p.Leaders()
	want := []bool{true, false, true, true, false, true, true}
	if !slices.Equal(got, want) {
		t.Errorf("Leaders() = %v, want %v", got, want)
	}
}

func TestAncillary(t *testing.T) {
	for off := uint32(0); off < 80; off++ {
		name, named := opcode.AncillaryName(off)
		known := opcode.IsAncillary(opcode.SkfAdOff + off)
		if known != (off%4 == 0 && off < 64) {
			t.Errorf("IsAncillary(SKF_AD_OFF+%d) = %v", off, known)
		}
		if named && !known || known && !named && off != opcode.AdAluXorX {
			t.Errorf("offset %d: known %v, named %q", off, known, name)
		}
		if named {
			if back, ok := opcode.AncillaryByName(name); !ok || back != off {
				t.Errorf("AncillaryByName(%q) = %d, %v; want %d", name, back, ok, off)
			}
		}
	}
	if opcode.IsAncillary(opcode.SkfAdOff-4) || opcode.IsAncillary(0) {
		t.Error("IsAncillary true below SKF_AD_OFF")
	}
	if off, ok := opcode.AncillaryByName("vlan_pr"); !ok || off != opcode.AdVlanPresent {
		t.Errorf("vlan_pr = %d, %v", off, ok)
	}
}

func TestSeccompArg(t *testing.T) {
	if got := opcode.SeccompArg(0, false); got != 16 {
		t.Errorf("args[0] low = %d", got)
	}
	if got := opcode.SeccompArg(5, true); got != 16+5*8+4 || got+4 != opcode.SeccompDataSize {
		t.Errorf("args[5] high = %d", got)
	}
}

func ExampleProgram() {
	// Allow read(2) (0 on x86_64), kill anything else.
	p := opcode.Program{
		{Op: uint16(opcode.LdAbsW), K: opcode.SeccompNr},
		{Op: uint16(opcode.JMP | opcode.JEQ | opcode.K), Jt: 0, Jf: 1, K: 0},
		{Op: uint16(opcode.RetK), K: 0x7fff0000},
		{Op: uint16(opcode.RetK), K: 0},
	}
	fmt.Print(p)
	for pc := range p {
		fmt.Println(pc, p.Op(pc), p.Successors(pc))
	}
	// Output:
	// 0: ld [0]
	// 1: jne #0, L3
	// 2: ret #0x7fff0000
	// 3: ret #0
	// 0 ld [1]
	// 1 jeq [2 3]
	// 2 ret []
	// 3 ret []
}
