package vm

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// Classic BPF opcode fields (include/uapi/linux/bpf_common.h, filter.h).
const (
	clsLD   = 0x00
	clsLDX  = 0x01
	clsST   = 0x02
	clsSTX  = 0x03
	clsALU  = 0x04
	clsJMP  = 0x05
	clsRET  = 0x06
	clsMISC = 0x07

	szW = 0x00
	szH = 0x08
	szB = 0x10

	mdIMM = 0x00
	mdABS = 0x20
	mdIND = 0x40
	mdMEM = 0x60
	mdLEN = 0x80
	mdMSH = 0xa0

	aluADD = 0x00
	aluSUB = 0x10
	aluMUL = 0x20
	aluDIV = 0x30
	aluOR  = 0x40
	aluAND = 0x50
	aluLSH = 0x60
	aluRSH = 0x70
	aluNEG = 0x80
	aluMOD = 0x90
	aluXOR = 0xa0

	jmpJA   = 0x00
	jmpJEQ  = 0x10
	jmpJGT  = 0x20
	jmpJGE  = 0x30
	jmpJSET = 0x40

	srcK = 0x00
	srcX = 0x08

	retK = 0x00
	retA = 0x10

	miscTAX = 0x00
	miscTXA = 0x80

	memWords = 16   // BPF_MEMWORDS
	maxInsns = 4096 // BPF_MAXINSNS
)

// Negative offsets with a meaning (include/uapi/linux/filter.h).
const (
	skfAdOff  = -0x1000
	skfNetOff = -0x100000
	skfLLOff  = -0x200000

	adProtocol    = 0
	adPktType     = 4
	adIfindex     = 8
	adNlattr      = 12
	adNlattrNest  = 16
	adMark        = 20
	adQueue       = 24
	adHatype      = 28
	adRxhash      = 32
	adCPU         = 36
	adAluXorX     = 40
	adVlanTag     = 44
	adVlanPresent = 48
	adPayOffset   = 52
	adRandom      = 56
	adVlanTPID    = 60
)

// classicOK lists the opcodes bpf_check_classic accepts
// (net/core/filter.c, chk_code_allowed). Every other code, including
// anything above 0xff, is rejected.
var classicOK = func() [256]bool {
	var t [256]bool
	for _, op := range []uint16{aluADD, aluSUB, aluMUL, aluDIV, aluMOD, aluAND, aluOR, aluXOR, aluLSH, aluRSH} {
		t[clsALU|op|srcK] = true
		t[clsALU|op|srcX] = true
	}
	t[clsALU|aluNEG] = true
	for _, c := range []uint16{
		clsLD | szW | mdABS, clsLD | szH | mdABS, clsLD | szB | mdABS,
		clsLD | szW | mdLEN,
		clsLD | szW | mdIND, clsLD | szH | mdIND, clsLD | szB | mdIND,
		clsLD | mdIMM, clsLD | mdMEM,
		clsLDX | szW | mdLEN, clsLDX | szB | mdMSH, clsLDX | mdIMM, clsLDX | mdMEM,
		clsST, clsSTX,
		clsMISC | miscTAX, clsMISC | miscTXA,
		clsRET | retK, clsRET | retA,
		clsJMP | jmpJA,
	} {
		t[c] = true
	}
	for _, op := range []uint16{jmpJEQ, jmpJGT, jmpJGE, jmpJSET} {
		t[clsJMP|op|srcK] = true
		t[clsJMP|op|srcX] = true
	}
	return t
}()

// seccompOK lists what seccomp_check_filter (kernel/seccomp.c) lets
// through after bpf_check_classic: no packet loads but the aligned 32-bit
// absolute ones, no MOD, no MSH.
var seccompOK = func() [256]bool {
	var t [256]bool
	for _, op := range []uint16{aluADD, aluSUB, aluMUL, aluDIV, aluAND, aluOR, aluXOR, aluLSH, aluRSH} {
		t[clsALU|op|srcK] = true
		t[clsALU|op|srcX] = true
	}
	t[clsALU|aluNEG] = true
	for _, c := range []uint16{
		clsLD | szW | mdABS, clsLD | szW | mdLEN, clsLDX | szW | mdLEN,
		clsRET | retK, clsRET | retA,
		clsLD | mdIMM, clsLDX | mdIMM, clsMISC | miscTAX, clsMISC | miscTXA,
		clsLD | mdMEM, clsLDX | mdMEM, clsST, clsSTX,
		clsJMP | jmpJA,
	} {
		t[c] = true
	}
	for _, op := range []uint16{jmpJEQ, jmpJGT, jmpJGE, jmpJSET} {
		t[clsJMP|op|srcK] = true
		t[clsJMP|op|srcX] = true
	}
	return t
}()

func isAncillary(k uint32) bool {
	if k < uint32(skfAdOff&0xffffffff) {
		return false
	}
	switch int32(k) - skfAdOff {
	case adProtocol, adPktType, adIfindex, adNlattr, adNlattrNest, adMark,
		adQueue, adHatype, adRxhash, adCPU, adAluXorX, adVlanTag,
		adVlanPresent, adPayOffset, adRandom, adVlanTPID:
		return true
	}
	return false
}

// Stable codes of the kernel's reasons to reject a program (Error.Code).
const (
	CodeLength        = "length"         // 0 or more than 4096 instructions
	CodeOpcode        = "opcode"         // not a classic BPF opcode the kernel knows
	CodeDivZero       = "div-by-zero"    // div or mod by the constant 0
	CodeShift         = "shift-range"    // lsh/rsh by a constant of 32 or more
	CodeScratchIndex  = "scratch-index"  // M[k] with k > 15
	CodeJumpRange     = "jump-range"     // a jump past the last instruction
	CodeAncillary     = "ancillary"      // unknown Linux ancillary load
	CodeLastNotRet    = "last-not-ret"   // the last instruction is not a return
	CodeScratchUninit = "scratch-uninit" // M[k] read where some path has not written it
	CodeSeccompOpcode = "seccomp-opcode" // an instruction seccomp does not allow
	CodeSeccompLoad   = "seccomp-load"   // a load outside seccomp_data or misaligned
)

// Check reports the first reason the kernel would reject prog in mode, as
// an *Error with a Code, or nil if the kernel accepts it. It follows
// bpf_check_basics_ok, bpf_check_classic (with check_load_and_stores) and,
// for seccomp, seccomp_check_filter, in the kernel's order. New calls it;
// package verify reports it as a diagnostic.
func Check(prog []bpf.RawInstruction, mode Mode) error {
	n := len(prog)
	if n == 0 {
		return &Error{Index: -1, Code: CodeLength, Msg: fmt.Sprintf("empty program: the kernel needs 1 to %d instructions", maxInsns)}
	}
	if n > maxInsns {
		return &Error{Index: -1, Code: CodeLength, Msg: fmt.Sprintf("%d instructions: the kernel allows at most %d", n, maxInsns)}
	}
	bad := func(pc int, code, format string, a ...any) error {
		return &Error{Index: pc, Insn: prog[pc], Code: code, Msg: fmt.Sprintf(format, a...)}
	}
	for pc, ri := range prog {
		if ri.Op > 0xff || !classicOK[ri.Op] {
			return bad(pc, CodeOpcode, "unknown opcode %#04x", ri.Op)
		}
		switch ri.Op {
		case clsALU | aluDIV | srcK, clsALU | aluMOD | srcK:
			if ri.K == 0 {
				return bad(pc, CodeDivZero, "division by the constant 0")
			}
		case clsALU | aluLSH | srcK, clsALU | aluRSH | srcK:
			if ri.K >= 32 {
				return bad(pc, CodeShift, "shift by %d: constant shifts must be 0..31", ri.K)
			}
		case clsLD | mdMEM, clsLDX | mdMEM, clsST, clsSTX:
			if ri.K >= memWords {
				return bad(pc, CodeScratchIndex, "scratch index M[%d]: must be 0..15", ri.K)
			}
		case clsJMP | jmpJA:
			// The kernel compares in unsigned 32-bit arithmetic.
			if ri.K >= uint32(n-pc-1) {
				return bad(pc, CodeJumpRange, "ja +%d goes past the last instruction (%d)", ri.K, n-1)
			}
		case clsJMP | jmpJEQ | srcK, clsJMP | jmpJEQ | srcX,
			clsJMP | jmpJGT | srcK, clsJMP | jmpJGT | srcX,
			clsJMP | jmpJGE | srcK, clsJMP | jmpJGE | srcX,
			clsJMP | jmpJSET | srcK, clsJMP | jmpJSET | srcX:
			if pc+int(ri.Jt)+1 >= n || pc+int(ri.Jf)+1 >= n {
				return bad(pc, CodeJumpRange, "conditional jump (jt %d, jf %d) goes past the last instruction (%d)", ri.Jt, ri.Jf, n-1)
			}
		case clsLD | szW | mdABS, clsLD | szH | mdABS, clsLD | szB | mdABS:
			if ri.K >= uint32(skfAdOff&0xffffffff) && !isAncillary(ri.K) {
				return bad(pc, CodeAncillary, "unknown ancillary load at SKF_AD_OFF%+d", int32(ri.K)-skfAdOff)
			}
		}
	}
	if op := prog[n-1].Op; op != clsRET|retK && op != clsRET|retA {
		return bad(n-1, CodeLastNotRet, "the last instruction must be a return")
	}
	if err := checkMem(prog); err != nil {
		return err
	}
	if mode == Seccomp {
		for pc, ri := range prog {
			if ri.Op == clsLD|szW|mdABS {
				if ri.K >= SeccompDataSize || ri.K&3 != 0 {
					return bad(pc, CodeSeccompLoad, "ld [%d]: seccomp loads must be 4-byte aligned offsets below %d", ri.K, SeccompDataSize)
				}
				continue
			}
			if !seccompOK[ri.Op] {
				return bad(pc, CodeSeccompOpcode, "%s is not allowed in a seccomp filter", opName(ri.Op))
			}
		}
	}
	return nil
}

// opName names an instruction kind seccomp refuses.
func opName(op uint16) string {
	switch {
	case op&0x07 == clsLD && op&0xe0 == mdIND:
		return "an indirect load"
	case op&0x07 == clsLD && op&0xe0 == mdABS && op&0x18 == szH:
		return "a half-word load"
	case op&0x07 == clsLD && op&0xe0 == mdABS:
		return "a byte load"
	case op == clsLDX|szB|mdMSH:
		return "ldx 4*([k]&0xf)"
	case op&0x07 == clsALU && op&0xf0 == aluMOD:
		return "mod"
	}
	return fmt.Sprintf("opcode %#04x", op)
}

// checkMem is check_load_and_stores: every path must store M[k] before it
// loads it. Like the kernel it walks the program once in order and merges
// the valid set into jump targets; after a return the set carries over to
// the next instruction unchanged, as in the kernel.
func checkMem(prog []bpf.RawInstruction) error {
	masks := make([]uint16, len(prog))
	for i := range masks {
		masks[i] = 0xffff
	}
	var valid uint16
	for pc, ri := range prog {
		valid &= masks[pc]
		switch ri.Op {
		case clsST, clsSTX:
			valid |= 1 << ri.K
		case clsLD | mdMEM, clsLDX | mdMEM:
			if valid&(1<<ri.K) == 0 {
				return &Error{Index: pc, Insn: ri, Code: CodeScratchUninit, Msg: fmt.Sprintf("M[%d] is read but not written on every path to here", ri.K)}
			}
		case clsJMP | jmpJA:
			masks[pc+1+int(ri.K)] &= valid
			valid = 0xffff
		case clsJMP | jmpJEQ | srcK, clsJMP | jmpJEQ | srcX,
			clsJMP | jmpJGT | srcK, clsJMP | jmpJGT | srcX,
			clsJMP | jmpJGE | srcK, clsJMP | jmpJGE | srcX,
			clsJMP | jmpJSET | srcK, clsJMP | jmpJSET | srcX:
			masks[pc+1+int(ri.Jt)] &= valid
			masks[pc+1+int(ri.Jf)] &= valid
			valid = 0xffff
		}
	}
	return nil
}
