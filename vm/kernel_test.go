package vm

// Differential tests: random programs run by the VM and by the real kernel
// (internal/kernel) must return the same values. CBPF_LONG=1 runs at least
// 100,000 program×input pairs per mode; CBPF_SEED picks another seed.

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/opcode"
)

// needKernel skips where the kernel oracle cannot run, but fails on CI.
func needKernel(t *testing.T, root bool) { t.Helper(); testenv.Kernel(t, root) }

// diffSize returns how many programs and inputs per program to run, and
// the seed.
func diffSize(t *testing.T) (progs, inputs int, seed uint64) {
	progs, inputs, seed = 200, 20, 1
	if os.Getenv("CBPF_LONG") != "" {
		progs, inputs, seed = 5000, 20, uint64(time.Now().UnixNano())
	}
	if s := os.Getenv("CBPF_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 0, 64)
		if err != nil {
			t.Fatalf("CBPF_SEED: %v", err)
		}
		seed = v
	}
	t.Logf("seed %d (rerun with CBPF_SEED=%d)", seed, seed)
	return progs, inputs, seed
}

// ddd prints prog as tcpdump -ddd does: the count, then "op jt jf k" lines,
// here joined by commas so a report fits on one line.
func ddd(prog []bpf.RawInstruction) string {
	parts := []string{strconv.Itoa(len(prog))}
	for _, in := range prog {
		parts = append(parts, fmt.Sprintf("%d %d %d %d", in.Op, in.Jt, in.Jf, in.K))
	}
	return strings.Join(parts, ",")
}

// disagreements collects mismatches and reports the first few in full.
type disagreements struct {
	t     *testing.T
	count int
}

func (d *disagreements) add(format string, args ...any) {
	d.t.Helper()
	d.count++
	if d.count <= 10 {
		d.t.Errorf(format, args...)
	}
}

func TestKernelSeccomp(t *testing.T) {
	needKernel(t, false)
	nprogs, ninputs, seed := diffSize(t)
	r := rand.New(rand.NewPCG(seed, 0x5ecc))
	start := time.Now()
	d := &disagreements{t: t}
	pairs := 0
	const batch = 1000
	for done := 0; done < nprogs; done += batch {
		var jobs []kernel.SeccompJob
		for i := done; i < min(nprogs, done+batch); i++ {
			p := progen.Program(r, progen.Seccomp, progen.Options{})
			var in []kernel.Input
			for _, x := range progen.SeccompInputs(r, p, ninputs) {
				in = append(in, kernel.Input{Nr: x.Nr, Args: x.Args})
			}
			jobs = append(jobs, kernel.SeccompJob{Prog: p, Inputs: in})
		}
		run, err := kernel.SeccompBatch(jobs)
		if err != nil {
			t.Fatal(err)
		}
		for i, job := range jobs {
			res := run.Results[i]
			if res.Err != nil {
				t.Errorf("kernel cannot run generated program: %v\nprogram: %s", res.Err, ddd(job.Prog))
				continue
			}
			m, err := New(job.Prog, Seccomp)
			if err != nil {
				d.add("VM rejects a program the kernel runs: %v\nprogram: %s", err, ddd(job.Prog))
				continue
			}
			for j, in := range job.Inputs {
				pairs++
				sd := SeccompData{Nr: in.Nr, Arch: kernel.AuditArchX86_64, InstructionPointer: run.IP, Args: in.Args}
				if got, want := m.RunSeccomp(sd).Ret, res.Rets[j]; got != want {
					d.add("seccomp disagreement: VM %#x, kernel %#x\nprogram: %s\ninput: nr=%d args=%#x ip=%#x", got, want, ddd(job.Prog), in.Nr, in.Args, run.IP)
				}
			}
		}
	}
	t.Logf("%d programs, %d program×input pairs, %d disagreements, %v", nprogs, pairs, d.count, time.Since(start).Round(time.Millisecond))
}

// loMeta is what the kernel's ancillary loads see for frame on the
// oracle's lo.
func loMeta(frame []byte) *Meta {
	k := kernel.FrameMeta(frame)
	return &Meta{
		NetOffset:   14, // eth_type_trans leaves the network header after Ethernet
		Protocol:    k.Protocol,
		PktType:     uint8(k.PktType),
		Ifindex:     k.Ifindex,
		Hatype:      uint16(k.Hatype),
		Mark:        k.Mark,
		Queue:       uint16(k.Queue),
		VlanTCI:     uint16(k.VlanTag),
		VlanPresent: k.VlanAvail,
	}
}

func TestKernelPacket(t *testing.T) {
	needKernel(t, true)
	nprogs, ninputs, seed := diffSize(t)
	o, err := kernel.NewPacketOracle()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	r := rand.New(rand.NewPCG(seed, 0xfa11))
	start := time.Now()
	d := &disagreements{t: t}
	pairs := 0
	for i := 0; i < nprogs; i++ {
		p := progen.Program(r, progen.Packet, progen.Options{})
		frames := progen.Frames(r, p, ninputs, 14)
		got, err := o.Run(p, frames)
		if err != nil {
			t.Errorf("kernel cannot run generated program: %v\nprogram: %s", err, ddd(p))
			continue
		}
		m, err := New(p, Packet)
		if err != nil {
			d.add("VM rejects a program the kernel runs: %v\nprogram: %s", err, ddd(p))
			continue
		}
		for j, f := range frames {
			pairs++
			ret := m.RunPacket(f, loMeta(f)).Ret
			if want := uint64(got[j]); min(uint64(ret), uint64(len(f))) != want {
				d.add("packet disagreement: VM ret %#x (delivers %d), kernel delivered %d of %d bytes\nprogram: %s\nframe: %x",
					ret, min(uint64(ret), uint64(len(f))), want, len(f), ddd(p), f)
			}
		}
	}
	t.Logf("%d programs, %d program×frame pairs, %d disagreements, %v", nprogs, pairs, d.count, time.Since(start).Round(time.Millisecond))
}

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
