package vm

import (
	"testing"

	"golang.org/x/net/bpf"
)

func BenchmarkExpSame(b *testing.B) {
	pkts := benchPackets()
	prog := loadDDD(b, "tcp_port_22.ddd")
	m, _ := New(prog, Packet)
	insts, _ := bpf.Disassemble(prog)
	xvm, _ := bpf.NewVM(insts)
	p := pkts[3]
	b.Run("cbpf", func(b *testing.B) {
		for b.Loop() {
			m.RunPacket(p, nil)
		}
	})
	b.Run("xnet", func(b *testing.B) {
		for b.Loop() {
			xvm.Run(p)
		}
	})
	b.Run("empty", func(b *testing.B) {
		i := 0
		for b.Loop() {
			_ = pkts[i&255]
			i++
		}
	})
}
