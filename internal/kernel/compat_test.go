package kernel

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/testenv"
)

// TestCompatProbe: a call made through INT $0x80 reaches seccomp as an i386
// call (AUDIT_ARCH_I386, the i386 number) with the compat probe's
// instruction_pointer, and with the caller's full 64-bit registers as
// arguments: the high words are not cleared (Linux 6.18, measured), though
// the i386 syscall itself uses only the low 32 bits. A native call with the
// same registers is the control.
func TestCompatProbe(t *testing.T) {
	testenv.Kernel(t, true)
	args := [6]uint64{0x1111111122222222, 0x3333333344444444, 0x5555555566666666, 0x77777777888888ff, 0x99999999aaaaaaaa, 0xbbbbbbbbcccccccc}
	in := []Input{{Nr: 20, I386: true, Args: args}, {Nr: 39, Args: args}}
	var jobs []SeccompJob
	for off := uint32(0); off < 64; off += 4 {
		jobs = append(jobs, SeccompJob{Prog: []bpf.RawInstruction{{Op: opLdAbs, K: off}, {Op: opRetA}}, Inputs: in})
	}
	run, err := SeccompBatch(jobs)
	if err != nil {
		t.Fatal(err)
	}
	if run.IP386 == 0 || run.IP386 == run.IP || run.IP>>32 != run.IP386>>32 {
		t.Fatalf("probe addresses %#x, %#x", run.IP, run.IP386)
	}
	word := func(ip uint64, nr, arch uint32, off int) uint32 {
		switch {
		case off == 0:
			return nr
		case off == 4:
			return arch
		case off == 8:
			return uint32(ip)
		case off == 12:
			return uint32(ip >> 32)
		}
		a := args[(off-16)/8]
		if off%8 == 4 {
			return uint32(a >> 32)
		}
		return uint32(a)
	}
	for i, res := range run.Results {
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		off := 4 * i
		if want := word(run.IP386, 20, AuditArchI386, off); res.Rets[0] != want {
			t.Errorf("i386 call, word at offset %d: %#x, want %#x", off, res.Rets[0], want)
		}
		if want := word(run.IP, 39, AuditArchX86_64, off); res.Rets[1] != want {
			t.Errorf("native call, word at offset %d: %#x, want %#x", off, res.Rets[1], want)
		}
	}
}
