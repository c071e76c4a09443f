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
