package kernel

import (
	"fmt"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// How the seccomp execution oracle observes a return value without letting
// any syscall run.
//
// The program is prefixed with a check that seccomp_data.instruction_pointer
// is one of the two probes' (both halves), else ALLOW, so the Go runtime's own syscalls
// on the filtered thread pass untouched. The prefix ends with `ld #0` so the
// program starts with A = 0 as it would on its own; X and M are untouched.
// Prefixing moves no relative jump.
//
// Every `ret #k` becomes `ret #ERRNO(c)`, c in 1..2047 the index of k among
// the program's distinct constants (plus one). Every `ret a` becomes a `ja`
// (32-bit offset, same length) to a tail that encodes a slice of A's bits as
// ERRNO data, one slice per pass:
//
//	pass 1: and #0x7ff; or #ERRNO|0x800; ret a   data 2048..4095 = bits 0..10
//	pass 2: rsh #11; and #0x7ff; add #1; or #ERRNO; ret a   data 1..2048 = bits 11..21
//	pass 3: rsh #22; add #1; or #ERRNO; ret a    data 1..1024 = bits 22..31
//
// Pass 1 tells constant returns (data < 2048) from `ret a` (data >= 2048);
// passes 2 and 3 are run only for the inputs that reached the tail. Data 0
// (a syscall returning 0) never occurs, so a probe that was not intercepted
// is detected. The kernel clamps ERRNO data above 4095, which no code uses.
//
// `ret x` is not rewritten: Linux rejects it, and the original program's
// acceptance is checked separately before any rewrite runs, so a rewrite can
// never make a rejected program run.

const (
	seccompPrefixLen = 8
	maxTailLen       = 5
	retErrno         = 0x00050000
	retAllow         = 0x7fff0000

	// Opcodes of the rewritten programs, as uint16 for bpf.RawInstruction.
	opRetK  = uint16(opcode.RetK)
	opRetA  = uint16(opcode.RetA)
	opLdAbs = uint16(opcode.LdAbsW)
	opLdImm = uint16(opcode.LdImm)
	opLdx   = uint16(opcode.LdxImm)
	opLdLen = uint16(opcode.LD | opcode.W | opcode.LEN)
	opJeqK  = uint16(opcode.JMP | opcode.JEQ | opcode.K)
	opJa    = uint16(opcode.Ja)
	opAndK  = uint16(opcode.ALU | opcode.AND | opcode.K)
	opOrK   = uint16(opcode.ALU | opcode.OR | opcode.K)
	opAddK  = uint16(opcode.ALU | opcode.ADD | opcode.K)
	opRshK  = uint16(opcode.ALU | opcode.RSH | opcode.K)
)

func ins(op uint16, jt, jf uint8, k uint32) bpf.RawInstruction {
	return bpf.RawInstruction{Op: op, Jt: jt, Jf: jf, K: k}
}

// SeccompConsts lists the distinct `ret #k` constants of prog in order of
// first appearance, and whether prog has a `ret a`.
func SeccompConsts(prog []bpf.RawInstruction) (consts []uint32, retA bool) {
	seen := map[uint32]bool{}
	for _, in := range prog {
		switch in.Op {
		case opRetK:
			if !seen[in.K] {
				seen[in.K] = true
				consts = append(consts, in.K)
			}
		case opRetA:
			retA = true
		}
	}
	return consts, retA
}

// probeIPs are the instruction_pointer values of the two probe
// instructions: after the SYSCALL (native calls) and after the INT $0x80
// (i386 compat calls). They share their high half.
type probeIPs struct{ native, compat uint64 }

// rewriteSeccomp builds the program installed for one pass (1, 2 or 3).
func rewriteSeccomp(prog []bpf.RawInstruction, ip probeIPs, pass int) ([]bpf.RawInstruction, error) {
	if len(prog) > MaxSeccompProg {
		return nil, fmt.Errorf("kernel oracle: program has %d instructions, the seccomp oracle runs at most %d", len(prog), MaxSeccompProg)
	}
	consts, retA := SeccompConsts(prog)
	if len(consts) > MaxSeccompConsts {
		return nil, fmt.Errorf("kernel oracle: program has %d distinct return constants, at most %d are supported", len(consts), MaxSeccompConsts)
	}
	code := map[uint32]uint32{}
	for i, k := range consts {
		code[k] = uint32(i + 1)
	}
	out := []bpf.RawInstruction{
		ins(opLdAbs, 0, 0, 8), // instruction_pointer, low half (little endian)
		ins(opJeqK, 2, 0, uint32(ip.native)),
		ins(opJeqK, 1, 0, uint32(ip.compat)),
		ins(opRetK, 0, 0, retAllow),
		ins(opLdAbs, 0, 0, 12), // the high half, which both probes share
		ins(opJeqK, 1, 0, uint32(ip.native>>32)),
		ins(opRetK, 0, 0, retAllow),
		ins(opLdImm, 0, 0, 0),
	}
	tail := seccompPrefixLen + len(prog)
	for i, in := range prog {
		switch in.Op {
		case opRetK:
			in.K = retErrno | code[in.K]
		case opRetA:
			in = ins(opJa, 0, 0, uint32(tail-(seccompPrefixLen+i+1)))
		}
		out = append(out, in)
	}
	if !retA {
		return out, nil
	}
	switch pass {
	case 1:
		out = append(out, ins(opAndK, 0, 0, 0x7ff), ins(opOrK, 0, 0, retErrno|0x800), ins(opRetA, 0, 0, 0))
	case 2:
		out = append(out, ins(opRshK, 0, 0, 11), ins(opAndK, 0, 0, 0x7ff), ins(opAddK, 0, 0, 1), ins(opOrK, 0, 0, retErrno), ins(opRetA, 0, 0, 0))
	case 3:
		out = append(out, ins(opRshK, 0, 0, 22), ins(opAddK, 0, 0, 1), ins(opOrK, 0, 0, retErrno), ins(opRetA, 0, 0, 0))
	default:
		return nil, fmt.Errorf("kernel oracle: bad pass %d", pass)
	}
	return out, nil
}
