package vm

import (
	"math/rand/v2"
	"testing"

	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// kernelAnc are the ancillary codes whose values loMeta knows for the
// oracle's frames (the others, rxhash, cpu, random, poff, vary per run).
var kernelAnc = []uint32{0, 4, 8, 20, 24, 28, 40, 44, 48}

// TestKernelPacketEdges runs, against the kernel, what progen's programs
// reach rarely or never: msh and indirect loads at negative offsets
// (SKF_NET_OFF, SKF_LL_OFF, the ancillary range, where msh and indirect
// loads do not mean the ancillary value), ancillary loads of half-word and
// byte size, X+k that wraps past 2^32, and fuseGen's fused and chained
// programs. Both the fast path and the plain interpreter must match it.
func TestKernelPacketEdges(t *testing.T) {
	needKernel(t, true)
	o, err := kernel.NewPacketOracle()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	const (
		netOff = 0xfff00000
		llOff  = 0xffe00000
		adOff  = 0xfffff000
	)
	// Each program ends in "ret a" after A got a value small enough for
	// the delivered length to show it (frames are at least 60 bytes), or
	// compares and returns one of two lengths.
	small := []bpf.RawInstruction{stmt(aluK(opcode.AND), 0x1f), stmt(aluK(opcode.ADD), 1), retA1}
	withSmall := func(p ...bpf.RawInstruction) []bpf.RawInstruction { return append(p, small...) }
	eq := func(k uint32) []bpf.RawInstruction {
		return []bpf.RawInstruction{jump(jeqK, k, 0, 1), stmt(retK_, 50), stmt(retK_, 10)}
	}
	directed := [][]bpf.RawInstruction{
		// msh at the ancillary offsets: a plain load at a negative offset,
		// not the ancillary value.
		withSmall(stmt(ldImm, 3), stmt(ldxMsh, adOff), stmt(txa, 0)),
		withSmall(stmt(ldImm, 3), stmt(ldxMsh, adOff+4), stmt(txa, 0)),
		withSmall(stmt(ldxMsh, netOff), stmt(txa, 0)),
		withSmall(stmt(ldxMsh, netOff+9), stmt(txa, 0)),
		withSmall(stmt(ldxMsh, llOff+14), stmt(txa, 0)),
		withSmall(stmt(ldxMsh, llOff), stmt(txa, 0)),
		withSmall(stmt(ldxMsh, netOff-1), stmt(txa, 0)),
		withSmall(stmt(ldxMsh, llOff-1), stmt(txa, 0)),
		withSmall(stmt(ldxMsh, 0x7fffffff), stmt(txa, 0)),
		// msh then an indirect load (the fused pair) at the edges.
		withSmall(stmt(ldxMsh, netOff), stmt(ldIndB, netOff)),
		withSmall(stmt(ldxMsh, 14), stmt(ldIndB, 0xffffffff)),
		withSmall(stmt(ldxMsh, 14), stmt(ldIndH, 0xfffffffe)),
		// Indirect loads whose X+k lands in the negative ranges.
		withSmall(stmt(ldxImm, netOff), stmt(ldIndB, 9)),
		withSmall(stmt(ldxImm, llOff), stmt(ldIndB, 23)),
		withSmall(stmt(ldxImm, adOff), stmt(ldIndB, 0)),
		withSmall(stmt(ldxImm, 0xffffffff), stmt(ldIndB, 1)),
		withSmall(stmt(ldxImm, 0xffffffff), stmt(ldIndW, 0xffffffff)),
		withSmall(stmt(ldxImm, 1), stmt(ldIndW, 0xfffffffe)),
		append([]bpf.RawInstruction{stmt(ldxImm, llOff), stmt(ldIndH, 12)}, eq(0x800)...),
		append([]bpf.RawInstruction{stmt(ldxImm, netOff), stmt(ldIndW, 0)}, small...),
		// Ancillary loads of every size.
		append([]bpf.RawInstruction{stmt(ldH, adOff)}, eq(0x800)...),
		append([]bpf.RawInstruction{stmt(ldB, adOff)}, eq(0x800)...),
		withSmall(stmt(ldB, adOff+28)),
		withSmall(stmt(ldH, adOff+4)),
		// Absolute loads at the very end of the packet.
		withSmall(stmt(ldLen, 0), stmt(aluK(opcode.SUB), 4), stmt(tax, 0), stmt(ldIndW, 0)),
		withSmall(stmt(ldLen, 0), stmt(aluK(opcode.SUB), 3), stmt(tax, 0), stmt(ldIndW, 0)),
		withSmall(stmt(ldLen, 0), stmt(tax, 0), stmt(ldIndB, 0xffffffff)),
		withSmall(stmt(ldLen, 0), stmt(tax, 0), stmt(ldIndB, 0)),
		withSmall(stmt(ldLen, 0), stmt(tax, 0), stmt(ldxMsh, 0x7ffffff0)),
	}
	r := rand.New(rand.NewPCG(21, 22))
	g := &fuseGen{r: r, mode: Packet}
	progs := directed
	for len(progs) < len(directed)+300 {
		p := g.prog()
		for i, in := range p {
			if op := opcode.Op(in.Op); op.Class() == opcode.LD && op.Mode() == opcode.ABS && in.K >= adOff {
				p[i].K = adOff + kernelAnc[r.IntN(len(kernelAnc))]
			}
		}
		if _, err := New(p, Packet); err == nil {
			progs = append(progs, p)
		}
	}
	d := &disagreements{t: t}
	pairs := 0
	seen := map[int]bool{} // what the directed programs delivered
	for pi, p := range progs {
		m, err := New(p, Packet)
		if err != nil {
			t.Fatalf("New: %v\nprogram: %s", err, ddd(p))
		}
		frames := progen.Frames(r, p, 12, 14)
		got, err := o.Run(p, frames)
		if err != nil {
			t.Fatalf("kernel: %v\nprogram: %s", err, ddd(p))
		}
		for j, f := range frames {
			pairs++
			if pi < len(directed) {
				seen[got[j]] = true
			}
			meta := loMeta(f)
			want := uint64(got[j])
			for _, run := range []struct {
				name string
				res  Result
			}{{"fast", m.RunPacket(f, meta)}, {"plain", m.RunPacketOpts(f, meta, &Options{})}} {
				if min(uint64(run.res.Ret), uint64(len(f))) != want {
					d.add("%s path: VM ret %#x (delivers %d), kernel delivered %d of %d bytes\nprogram: %s\nframe: %x",
						run.name, run.res.Ret, min(uint64(run.res.Ret), uint64(len(f))), want, len(f), ddd(p), f)
				}
			}
		}
	}
	if len(seen) < 6 {
		t.Errorf("the directed programs delivered only %v: they test little", seen)
	}
	t.Logf("%d programs, %d program×frame pairs, %d disagreements; directed results %v", len(progs), pairs, d.count, seen)
}
