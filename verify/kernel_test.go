package verify

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

// The kernel is the oracle for KernelCheck: seccomp(2) in a child process
// for seccomp mode, setsockopt(SO_ATTACH_FILTER) for packet mode. Every
// program must get the same verdict. CBPF_LONG=1 runs 100,000 programs a
// mode instead of a few thousand.

func needKernel(t *testing.T) { t.Helper(); testenv.Kernel(t, true) }

func programCount() int {
	if os.Getenv("CBPF_LONG") != "" {
		return 100_000
	}
	return 3000
}

// corpus returns programs for mode: valid ones, each mutation of them, and
// random instruction soups that probe the edges of every check.
func corpus(r *rand.Rand, mode Mode, n int) [][]bpf.RawInstruction {
	pm := progen.Seccomp
	if mode == Packet {
		pm = progen.Packet
	}
	muts := progen.Mutations(pm)
	var out [][]bpf.RawInstruction
	for len(out) < n {
		switch r.IntN(4) {
		case 0:
			out = append(out, progen.Program(r, pm, progen.Options{}))
		case 1:
			p := progen.Program(r, pm, progen.Options{})
			out = append(out, progen.Invalid(r, p, muts[r.IntN(len(muts))]))
		default:
			out = append(out, soup(r))
		}
	}
	return out
}

// soup makes a short program from opcodes and operands near every
// boundary the kernel checks.
func soup(r *rand.Rand) []bpf.RawInstruction {
	n := 1 + r.IntN(8)
	p := make([]bpf.RawInstruction, n)
	ks := []uint32{0, 1, 2, 3, 4, 15, 16, 17, 31, 32, 33, 60, 61, 62, 63, 64, 68,
		0xfffff000, 0xfffff004, 0xfffff03c, 0xfffff040, 0xfffff002, 0xffffffff,
		0xfff00000, 0xffe00000, 0x7fff0000}
	for i := range p {
		var op uint16
		switch r.IntN(10) {
		case 0:
			op = uint16(r.IntN(256))
		case 1:
			op = uint16(r.IntN(256)) | uint16(r.IntN(2))<<8 | uint16(r.IntN(2))<<15
		default:
			codes := []uint16{0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0c, 0x0e, 0x14, 0x15, 0x16,
				0x1c, 0x1d, 0x20, 0x24, 0x25, 0x28, 0x2c, 0x2d, 0x30, 0x34, 0x35, 0x3c, 0x3d, 0x40, 0x44,
				0x45, 0x48, 0x4c, 0x4d, 0x50, 0x54, 0x5c, 0x60, 0x61, 0x64, 0x6c, 0x74, 0x7c, 0x80, 0x81,
				0x84, 0x87, 0x8c, 0x94, 0x9c, 0xa4, 0xa8, 0xac, 0xb1, 0xb4, 0xbc, 0x08, 0x10, 0x18}
			op = codes[r.IntN(len(codes))]
		}
		k := ks[r.IntN(len(ks))]
		if r.IntN(4) == 0 {
			k = r.Uint32()
		}
		p[i] = bpf.RawInstruction{Op: op, Jt: uint8(r.IntN(n + 1)), Jf: uint8(r.IntN(n + 1)), K: k}
	}
	if r.IntN(3) > 0 {
		p[n-1] = bpf.RawInstruction{Op: []uint16{0x06, 0x16}[r.IntN(2)], K: ks[r.IntN(len(ks))]}
	}
	return p
}

func TestKernelAgreesSeccomp(t *testing.T) { testKernelAgrees(t, Seccomp) }
func TestKernelAgreesPacket(t *testing.T)  { testKernelAgrees(t, Packet) }

func testKernelAgrees(t *testing.T, mode Mode) {
	needKernel(t)
	r := rand.New(rand.NewPCG(uint64(mode)+11, 99))
	total, rejected, disagree := 0, 0, 0
	const batch = 2000
	for total < programCount() {
		progs := corpus(r, mode, min(batch, programCount()-total))
		var verdicts []error
		var err error
		if mode == Seccomp {
			verdicts, err = kernel.SeccompAcceptsBatch(progs)
		} else {
			verdicts, err = kernel.SocketAcceptsBatch(progs)
		}
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range progs {
			var rej *kernel.RejectError
			if verdicts[i] != nil && !errors.As(verdicts[i], &rej) {
				t.Fatalf("oracle failed on program %d: %v", i, verdicts[i])
			}
			kernelOK := verdicts[i] == nil
			ds := KernelCheck(p, mode)
			if !kernelOK {
				rejected++
			}
			if kernelOK != (len(ds) == 0) {
				disagree++
				if disagree <= 10 {
					t.Errorf("kernel accepts=%v, KernelCheck=%v for\n%s", kernelOK, ds, dump(p))
				}
			}
		}
		total += len(progs)
	}
	t.Logf("%d programs, %d rejected by the kernel, %d disagreements", total, rejected, disagree)
	if rejected == 0 || rejected == total {
		t.Errorf("the corpus does not exercise both verdicts")
	}
}

func dump(p []bpf.RawInstruction) string {
	s := fmt.Sprintf("%d\n", len(p))
	for i, ins := range p {
		if i == 20 {
			s += "...\n"
			break
		}
		s += fmt.Sprintf("%d %d %d %d\n", ins.Op, ins.Jt, ins.Jf, ins.K)
	}
	return s
}

// TestKernelCheckCases asks the kernel about every hand-written case of
// TestCheck, so that the expectations there are the kernel's.
func TestKernelCheckCases(t *testing.T) {
	needKernel(t)
	for _, c := range checkCases {
		var verdict error
		var err error
		if c.mode == Seccomp {
			verdict, err = kernel.SeccompAccepts(c.prog)
		} else {
			verdict, err = kernel.SocketAccepts(c.prog)
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if (verdict == nil) != (c.code == "") {
			t.Errorf("%s: kernel verdict %v, the case expects %q", c.name, verdict, c.code)
		}
	}
}
