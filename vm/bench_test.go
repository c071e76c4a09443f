package vm

import (
	"encoding/binary"
	"os"
	"testing"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// Side-by-side benchmarks with golang.org/x/net/bpf's VM: the same
// programs on the same inputs in the same run (the goal is at least 5x
// faster per run, 0 allocs). Wall-clock numbers are noisy on a shared
// machine; compare cbpf and xnet from one run, several times:
//
//	go test -run XXX -bench . -count 10 ./vm/ | tee /tmp/bench.txt
//	benchstat /tmp/bench.txt
//
// Instruction counts are exact and repeatable: run one sub-benchmark under
// callgrind for 1 and for N+1 iterations, and divide the difference by N
// (GODEBUG: valgrind 3.19 knows neither RDTSCP nor Go's preemption
// signals):
//
//	go test -c -o /tmp/vm.test ./vm/ && cd vm
//	for n in 1 200001; do
//	  GODEBUG=cpu.rdtscp=off,asyncpreemptoff=1 valgrind --tool=callgrind \
//	    --callgrind-out-file=/dev/null /tmp/vm.test -test.run XXX -test.cpu 1 \
//	    -test.bench '^BenchmarkPacket$/^tcp_port_22$/^cbpf$' -test.benchtime ${n}x 2>&1 |
//	    grep Collected
//	done

// The packet programs are tcpdump's (libpcap 1.10.3) for Ethernet:
//
//	tcpdump -y EN10MB -ddd 'tcp port 22' > testdata/tcp_port_22.ddd
//	tcpdump -y EN10MB -ddd "$(cat testdata/hosts_ports.expr)" > testdata/hosts_ports.ddd
func loadDDD(b *testing.B, name string) []bpf.RawInstruction {
	b.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		b.Fatal(err)
	}
	prog, err := parseDDD(string(data))
	if err != nil {
		b.Fatal(err)
	}
	return prog
}

// benchPackets are complete frames (caplen == len, so "len" means the
// same to both VMs).
func benchPackets() [][]byte {
	pkts, wire := genPackets(2000, 7)
	var out [][]byte
	for i, p := range pkts {
		if uint32(len(p)) == wire[i] && len(p) >= 14 {
			out = append(out, p)
		}
		if len(out) == 256 {
			break
		}
	}
	return out
}

func BenchmarkPacket(b *testing.B) {
	pkts := benchPackets()
	for _, f := range []string{"tcp_port_22.ddd", "hosts_ports.ddd"} {
		prog := loadDDD(b, f)
		m, err := New(prog, Packet)
		if err != nil {
			b.Fatal(err)
		}
		insts, ok := bpf.Disassemble(prog)
		if !ok {
			b.Fatalf("%s: x/net/bpf cannot disassemble it", f)
		}
		xvm, err := bpf.NewVM(insts)
		if err != nil {
			b.Fatal(err)
		}
		// Both VMs must agree before their speed means anything; count the
		// instructions the runs execute for ns/insn.
		total := 0
		for _, p := range pkts {
			r := m.RunPacket(p, nil)
			xr, err := xvm.Run(p)
			if err != nil || uint32(xr) != r.Ret {
				b.Fatalf("%s: x/net/bpf returns %d (%v), cbpf %d", f, xr, err, r.Ret)
			}
			total += r.Insns
		}
		perRun := float64(total) / float64(len(pkts))
		b.Run(f[:len(f)-4]+"/cbpf", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				m.RunPacket(pkts[i&255], nil)
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/perRun, "ns/insn")
			b.ReportMetric(perRun, "insns/run")
		})
		b.Run(f[:len(f)-4]+"/xnet", func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				xvm.Run(pkts[i&255])
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/perRun, "ns/insn")
			b.ReportMetric(perRun, "insns/run")
		})
	}
}

// seccompBenchProg is a typical allow-list filter of about 100
// instructions: check the arch, then compare nr against 45 syscalls, with
// argument checks on two of them.
func seccompBenchProg(arch uint32) []bpf.RawInstruction {
	const allow, deny, kill = 0x7fff0000, 0x00050001, 0x80000000
	var p []bpf.RawInstruction
	add := func(code opcode.Op, k uint32, jt, jf uint8) {
		p = append(p, bpf.RawInstruction{Op: uint16(code), Jt: jt, Jf: jf, K: k})
	}
	nrs := make([]uint32, 45)
	for i := range nrs {
		nrs[i] = uint32(i * 7)
	}
	add(opcode.LD|opcode.W|opcode.ABS, 4, 0, 0)
	add(opcode.JMP|opcode.JEQ, arch, 1, 0)
	add(opcode.RET, kill, 0, 0)
	add(opcode.LD|opcode.W|opcode.ABS, 0, 0, 0)
	for i, nr := range nrs {
		// jeq nr: to the allow at the end (or the arg check block)
		rest := len(nrs) - 1 - i
		add(opcode.JMP|opcode.JEQ, nr, uint8(rest+1), 0)
	}
	add(opcode.RET, deny, 0, 0)
	// arg block: args[0] (low word, BE: offset 20) must be < 16 and the
	// high word 0, a few ALU steps to make it realistic.
	add(opcode.LD|opcode.W|opcode.ABS, 16, 0, 0)
	add(opcode.JMP|opcode.JEQ, 0, 1, 0)
	add(opcode.RET, deny, 0, 0)
	add(opcode.LD|opcode.W|opcode.ABS, 20, 0, 0)
	add(opcode.ALU|opcode.AND, 0xfffffff0, 0, 0)
	add(opcode.JMP|opcode.JEQ, 0, 1, 0)
	add(opcode.RET, deny, 0, 0)
	for len(p) < 99 {
		add(opcode.ALU|opcode.ADD, 0, 0, 0)
	}
	add(opcode.RET, allow, 0, 0)
	return p
}

func BenchmarkSeccomp(b *testing.B) {
	const s390x = 0x80000016 // big endian, so x/net/bpf's loads agree
	prog := seccompBenchProg(s390x)
	m, err := New(prog, Seccomp)
	if err != nil {
		b.Fatal(err)
	}
	insts, _ := bpf.Disassemble(prog)
	xvm, err := bpf.NewVM(insts)
	if err != nil {
		b.Fatal(err)
	}
	inputs := make([]SeccompData, 64)
	raws := make([][]byte, 64)
	total := 0
	for i := range inputs {
		d := SeccompData{Nr: int32(i * 5), Arch: s390x, Args: [6]uint64{uint64(i % 20)}}
		inputs[i] = d
		raw := make([]byte, 64)
		binary.BigEndian.PutUint32(raw[0:], uint32(d.Nr))
		binary.BigEndian.PutUint32(raw[4:], d.Arch)
		for j, a := range d.Args {
			binary.BigEndian.PutUint64(raw[16+8*j:], a)
		}
		raws[i] = raw
		r := m.RunSeccomp(d)
		xr, err := xvm.Run(raw)
		if err != nil || uint32(xr) != r.Ret {
			b.Fatalf("input %d: x/net/bpf returns %#x (%v), cbpf %#x", i, xr, err, r.Ret)
		}
		total += r.Insns
	}
	perRun := float64(total) / float64(len(inputs))
	b.Run("cbpf", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			m.RunSeccomp(inputs[i&63])
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/perRun, "ns/insn")
		b.ReportMetric(perRun, "insns/run")
	})
	b.Run("xnet", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			xvm.Run(raws[i&63])
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/perRun, "ns/insn")
		b.ReportMetric(perRun, "insns/run")
	})

	// The same filter for x86_64, the common case: a little-endian arch
	// on a little-endian host, whose seccomp_data RunSeccomp reads in
	// place. x/net/bpf has no equivalent (its loads are big-endian).
	const x86_64 = 0xc000003e
	mle, err := New(seccompBenchProg(x86_64), Seccomp)
	if err != nil {
		b.Fatal(err)
	}
	le := make([]SeccompData, len(inputs))
	leTotal := 0
	for i, d := range inputs {
		d.Arch = x86_64
		le[i] = d
		// The argument checks read other halves on x86_64: check the fast
		// path against the step-by-step one instead of against s390x.
		rle := mle.RunSeccomp(d)
		if step := mle.RunSeccompOpts(d, &Options{}); step != rle {
			b.Fatalf("input %d: fast path %+v, step by step %+v", i, rle, step)
		}
		leTotal += rle.Insns
	}
	lePerRun := float64(leTotal) / float64(len(le))
	b.Run("cbpf-x86_64", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			mle.RunSeccomp(le[i&63])
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/lePerRun, "ns/insn")
		b.ReportMetric(lePerRun, "insns/run")
	})
}
