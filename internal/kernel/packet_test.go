//go:build linux

package kernel

import (
	"encoding/binary"
	"testing"

	"golang.org/x/net/bpf"
)

func frame(n int, dst byte, proto uint16) []byte {
	f := make([]byte, n)
	for i := range f {
		f[i] = byte(i * 7)
	}
	for i := 0; i < 6; i++ {
		f[i] = dst
	}
	binary.BigEndian.PutUint16(f[12:], proto)
	return f
}

func TestPacketKnownPrograms(t *testing.T) {
	needKernel(t, true)
	o, err := NewPacketOracle()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	ipv4 := frame(60, 0, 0x0800)
	arp := frame(42, 0xff, 0x0806)
	tiny := frame(14, 0, 0x86dd)
	big := frame(3000, 0x01, 0x0800)
	frames := [][]byte{ipv4, arp, tiny, big}
	tests := []struct {
		name string
		prog []bpf.Instruction
		want []int
	}{
		{"accept all", []bpf.Instruction{bpf.RetConstant{Val: 0xffffffff}}, []int{60, 42, 14, 3000}},
		{"drop all", []bpf.Instruction{bpf.RetConstant{Val: 0}}, []int{0, 0, 0, 0}},
		{"snap 20", []bpf.Instruction{bpf.RetConstant{Val: 20}}, []int{20, 20, 14, 20}},
		{"ipv4 only", []bpf.Instruction{
			bpf.LoadAbsolute{Off: 12, Size: 2},
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: 0x0800, SkipFalse: 1},
			bpf.RetConstant{Val: 0xffff},
			bpf.RetConstant{Val: 0},
		}, []int{60, 0, 0, 3000}},
		{"ret len-1", []bpf.Instruction{
			bpf.LoadExtension{Num: bpf.ExtLen},
			bpf.ALUOpConstant{Op: bpf.ALUOpSub, Val: 1},
			bpf.RetA{},
		}, []int{59, 41, 13, 2999}},
		{"load past end", []bpf.Instruction{
			bpf.LoadAbsolute{Off: 40, Size: 4},
			bpf.RetConstant{Val: 1000},
		}, []int{60, 0, 0, 1000}},
		{"tax; ret a", []bpf.Instruction{bpf.LoadConstant{Dst: bpf.RegA, Val: 50}, bpf.TAX{}, bpf.LoadConstant{Dst: bpf.RegA, Val: 1}, bpf.TXA{}, bpf.RetA{}}, []int{50, 42, 14, 50}},
		{"div by X=0", []bpf.Instruction{
			bpf.LoadConstant{Dst: bpf.RegA, Val: 77},
			bpf.ALUOpX{Op: bpf.ALUOpDiv},
			bpf.RetConstant{Val: 1000},
		}, []int{0, 0, 0, 0}},
		{"A and X start at 0", []bpf.Instruction{bpf.TXA{}, bpf.ALUOpConstant{Op: bpf.ALUOpAdd, Val: 33}, bpf.RetA{}}, []int{33, 33, 14, 33}},
		{"msh", []bpf.Instruction{bpf.LoadMemShift{Off: 14}, bpf.TXA{}, bpf.RetA{}}, []int{4 * (98 & 0xf), 4 * (98 & 0xf), 0, 4 * (98 & 0xf)}},
	}
	for _, tt := range tests {
		got, err := o.Run(asm(t, tt.prog...), frames)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: frame %d (%d bytes): delivered %d, want %d", tt.name, i, len(frames[i]), got[i], tt.want[i])
			}
		}
	}
}

// TestPacketMeta checks FrameMeta against what the kernel's ancillary
// loads see: each program returns 2000 when the value matches, else 1000.
func TestPacketMeta(t *testing.T) {
	needKernel(t, true)
	o, err := NewPacketOracle()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	frames := [][]byte{
		frame(3000, 0, 0x0800),
		frame(3000, 0xff, 0x0806),
		frame(3000, 0x01, 0x86dd),
		frame(3000, 0x02, 0x0800),
		frame(3000, 0, 0x05ff),
		frame(3000, 0, 0x0600),
		func() []byte { f := frame(3000, 0, 0x0100); f[14], f[15] = 0xff, 0xff; return f }(),
		frame(14, 0, 0x0010),
		func() []byte { f := frame(3000, 0xff, 0x0800); f[5] = 0xfe; return f }(),
	}
	checks := []struct {
		ext bpf.Extension
		get func(PacketMeta) uint32
	}{
		{bpf.ExtProto, func(m PacketMeta) uint32 { return uint32(m.Protocol) }},
		{bpf.ExtType, func(m PacketMeta) uint32 { return m.PktType }},
		{bpf.ExtInterfaceIndex, func(m PacketMeta) uint32 { return m.Ifindex }},
		{bpf.ExtLinkLayerType, func(m PacketMeta) uint32 { return m.Hatype }},
		{bpf.ExtMark, func(m PacketMeta) uint32 { return m.Mark }},
		{bpf.ExtQueue, func(m PacketMeta) uint32 { return m.Queue }},
		{bpf.ExtVLANTag, func(m PacketMeta) uint32 { return m.VlanTag }},
		{bpf.ExtVLANTagPresent, func(m PacketMeta) uint32 {
			if m.VlanAvail {
				return 1
			}
			return 0
		}},
	}
	for _, c := range checks {
		for i, f := range frames {
			want := c.get(FrameMeta(f))
			prog := asm(t,
				bpf.LoadExtension{Num: c.ext},
				bpf.JumpIf{Cond: bpf.JumpEqual, Val: want, SkipFalse: 1},
				bpf.RetConstant{Val: 2000},
				bpf.RetConstant{Val: 1000},
			)
			got, err := o.Run(prog, [][]byte{f})
			if err != nil {
				t.Fatal(err)
			}
			if exp := min(2000, len(f)); got[0] != exp {
				t.Errorf("extension %v, frame %d: kernel value differs from FrameMeta's %#x (delivered %d)", c.ext, i, want, got[0])
			}
		}
	}
}

func TestCheckFrame(t *testing.T) {
	for _, n := range []int{0, 1, 13} {
		if CheckFrame(make([]byte, n)) == nil {
			t.Errorf("CheckFrame accepts %d bytes", n)
		}
	}
	if err := CheckFrame(frame(20, 0, 0x8100)); err == nil {
		t.Error("CheckFrame accepts a VLAN frame")
	}
	if err := CheckFrame(frame(14, 0, 0x0800)); err != nil {
		t.Error(err)
	}
}

func TestSocketAccepts(t *testing.T) {
	needKernel(t, false)
	ret := bpf.RawInstruction{Op: opRetK, K: 1}
	long := make([]bpf.RawInstruction, 4097)
	for i := range long {
		long[i] = ret
	}
	tests := []acceptCase{
		{"ret", []bpf.RawInstruction{ret}, true},
		{"4096", long[:4096], true},
		{"4097", long, false},
		{"empty", nil, false},
		{"byte load", asm(t, bpf.LoadAbsolute{Off: 0, Size: 1}, bpf.RetA{}), true},
		{"indirect", asm(t, bpf.LoadIndirect{Off: 3, Size: 2}, bpf.RetA{}), true},
		{"ancillary", asm(t, bpf.LoadExtension{Num: bpf.ExtProto}, bpf.RetA{}), true},
		{"ret x", []bpf.RawInstruction{{Op: 0x0e}}, false}, // Linux has no ret x
		{"mod", asm(t, bpf.ALUOpConstant{Op: bpf.ALUOpMod, Val: 3}, bpf.RetA{}), true},
		{"mod 0", asm(t, bpf.ALUOpConstant{Op: bpf.ALUOpMod, Val: 0}, bpf.RetA{}), false},
		{"jump out", []bpf.RawInstruction{{Op: opJa, K: 1}, ret}, false},
		{"scratch unset", asm(t, bpf.LoadScratch{Dst: bpf.RegA, N: 15}, bpf.RetA{}), false},
		{"no final return", asm(t, bpf.LoadConstant{Dst: bpf.RegA, Val: 1}), false},
		{"unknown opcode", []bpf.RawInstruction{{Op: 0xff}, ret}, false},
		{"scratch 16", []bpf.RawInstruction{{Op: 0x02, K: 16}, ret}, false},
	}
	checkAccepts(t, SocketAcceptsBatch, tests)
}
