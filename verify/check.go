package verify

import (
	"fmt"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/vm"
)

// Mode selects the rules a program is checked against.
type Mode = vm.Mode

// The modes: seccomp filters and socket (packet) filters.
const (
	Seccomp = vm.Seccomp
	Packet  = vm.Packet
)

// Severity tells an error, which makes the kernel reject the program, from a
// warning, which does not.
type Severity uint8

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Diagnostic is one finding about a program.
type Diagnostic struct {
	Pc       int // instruction index; -1 for the program as a whole
	Severity Severity
	Code     string // stable identifier, e.g. "jump-range"
	Msg      string
}

func (d Diagnostic) String() string {
	if d.Pc < 0 {
		return fmt.Sprintf("%s: %s: %s", d.Severity, d.Code, d.Msg)
	}
	return fmt.Sprintf("insn %d: %s: %s: %s", d.Pc, d.Severity, d.Code, d.Msg)
}

// Stable codes of the errors Check reports: the kernel's reasons to reject.
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

// MaxInsns is the kernel's BPF_MAXINSNS.
const MaxInsns = 4096

const (
	memWords        = 16         // BPF_MEMWORDS
	skfADOff        = 0xfffff000 // SKF_AD_OFF (-0x1000) as an unsigned k
	skfADMax        = 64         // SKF_AD_MAX
	seccompDataSize = 64         // sizeof(struct seccomp_data)
)

// Check returns the reasons the kernel would reject prog in mode (errors),
// or, for a program it accepts, the lints' warnings (see LintProgram). A
// program with no Error diagnostic is one the kernel accepts.
func Check(prog []bpf.RawInstruction, mode Mode) []Diagnostic {
	if ds := KernelCheck(prog, mode); len(ds) > 0 {
		return ds
	}
	return LintProgram(prog, mode)
}

// KernelCheck returns the reasons the kernel would reject prog in mode, in
// the order the kernel finds them; none if it accepts the program.
//
// It follows net/core/filter.c: bpf_check_basics_ok, bpf_check_classic
// (opcode table, per-instruction checks, last instruction, then
// check_load_and_stores), and for seccomp kernel/seccomp.c's
// seccomp_check_filter, which runs after the classic checks.
func KernelCheck(prog []bpf.RawInstruction, mode Mode) []Diagnostic {
	var ds []Diagnostic
	add := func(pc int, code, format string, a ...any) {
		ds = append(ds, Diagnostic{Pc: pc, Severity: Error, Code: code, Msg: fmt.Sprintf(format, a...)})
	}
	n := len(prog)
	if n == 0 {
		add(-1, CodeLength, "empty program: the kernel needs 1 to %d instructions", MaxInsns)
		return ds
	}
	if n > MaxInsns {
		add(-1, CodeLength, "%d instructions: the kernel allows at most %d", n, MaxInsns)
		return ds
	}
	for pc, ins := range prog {
		if !classicOpcode(ins.Op) {
			add(pc, CodeOpcode, "unknown opcode %#04x", ins.Op)
			continue
		}
		switch ins.Op {
		case opALU | unix.BPF_DIV | unix.BPF_K, opALU | bpfMOD | unix.BPF_K:
			if ins.K == 0 {
				add(pc, CodeDivZero, "division by the constant 0")
			}
		case opALU | unix.BPF_LSH | unix.BPF_K, opALU | unix.BPF_RSH | unix.BPF_K:
			if ins.K >= 32 {
				add(pc, CodeShift, "shift by %d: constant shifts must be 0..31", ins.K)
			}
		case unix.BPF_LD | unix.BPF_MEM, unix.BPF_LDX | unix.BPF_MEM, unix.BPF_ST, unix.BPF_STX:
			if ins.K >= memWords {
				add(pc, CodeScratchIndex, "scratch index M[%d]: must be 0..15", ins.K)
			}
		case unix.BPF_JMP | unix.BPF_JA:
			// The kernel compares in unsigned 32-bit arithmetic.
			if ins.K >= uint32(n-pc-1) {
				add(pc, CodeJumpRange, "ja +%d goes past the last instruction (%d)", ins.K, n-1)
			}
		case unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, unix.BPF_LD | unix.BPF_H | unix.BPF_ABS, unix.BPF_LD | unix.BPF_B | unix.BPF_ABS:
			if ins.K >= skfADOff && !ancillary(ins.K) {
				add(pc, CodeAncillary, "unknown ancillary load at SKF_AD_OFF%+d", int32(ins.K-skfADOff))
			}
		default:
			if isCondJump(ins.Op) {
				if pc+int(ins.Jt)+1 >= n || pc+int(ins.Jf)+1 >= n {
					add(pc, CodeJumpRange, "conditional jump (jt %d, jf %d) goes past the last instruction (%d)", ins.Jt, ins.Jf, n-1)
				}
			}
		}
	}
	if len(ds) > 0 {
		return ds
	}
	if last := prog[n-1].Op; last != unix.BPF_RET|unix.BPF_K && last != unix.BPF_RET|unix.BPF_A {
		add(n-1, CodeLastNotRet, "the last instruction must be a return")
		return ds
	}
	if pc, k, ok := checkScratch(prog); !ok {
		add(pc, CodeScratchUninit, "M[%d] is read but not written on every path to here", k)
		return ds
	}
	if mode == Seccomp {
		for pc, ins := range prog {
			if ins.Op == unix.BPF_LD|unix.BPF_W|unix.BPF_ABS {
				if ins.K >= seccompDataSize || ins.K&3 != 0 {
					add(pc, CodeSeccompLoad, "ld [%d]: seccomp loads must be 4-byte aligned offsets below %d", ins.K, seccompDataSize)
					return ds
				}
				continue
			}
			if !seccompOpcode(ins.Op) {
				add(pc, CodeSeccompOpcode, "%s is not allowed in a seccomp filter", opName(ins.Op))
				return ds
			}
		}
	}
	return ds
}

// Valid reports whether the kernel accepts prog in mode.
func Valid(prog []bpf.RawInstruction, mode Mode) bool {
	return len(KernelCheck(prog, mode)) == 0
}

const (
	opALU = unix.BPF_ALU
	opJMP = unix.BPF_JMP
)

// classicOpcode is the kernel's chk_code_allowed: the exact codes it takes.
func classicOpcode(op uint16) bool {
	switch op {
	case unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, unix.BPF_LD | unix.BPF_H | unix.BPF_ABS, unix.BPF_LD | unix.BPF_B | unix.BPF_ABS,
		unix.BPF_LD | unix.BPF_W | unix.BPF_LEN,
		unix.BPF_LD | unix.BPF_W | unix.BPF_IND, unix.BPF_LD | unix.BPF_H | unix.BPF_IND, unix.BPF_LD | unix.BPF_B | unix.BPF_IND,
		unix.BPF_LD | unix.BPF_IMM, unix.BPF_LD | unix.BPF_MEM,
		unix.BPF_LDX | unix.BPF_W | unix.BPF_LEN, unix.BPF_LDX | unix.BPF_B | unix.BPF_MSH,
		unix.BPF_LDX | unix.BPF_IMM, unix.BPF_LDX | unix.BPF_MEM,
		unix.BPF_ST, unix.BPF_STX,
		unix.BPF_MISC | unix.BPF_TAX, unix.BPF_MISC | unix.BPF_TXA,
		unix.BPF_RET | unix.BPF_K, unix.BPF_RET | unix.BPF_A,
		opJMP | unix.BPF_JA,
		opALU | unix.BPF_NEG:
		return true
	}
	if op&^(unix.BPF_X|0xf0) == opALU {
		switch op & 0xf0 {
		case unix.BPF_ADD, unix.BPF_SUB, unix.BPF_MUL, unix.BPF_DIV, bpfMOD,
			unix.BPF_AND, unix.BPF_OR, bpfXOR, unix.BPF_LSH, unix.BPF_RSH:
			return true
		}
	}
	return isCondJump(op)
}

func isCondJump(op uint16) bool {
	if op&^(unix.BPF_X|0xf0) != opJMP {
		return false
	}
	switch op & 0xf0 {
	case unix.BPF_JEQ, unix.BPF_JGT, unix.BPF_JGE, unix.BPF_JSET:
		return true
	}
	return false
}

// seccompOpcode is seccomp_check_filter's list (32-bit absolute loads are
// checked separately). It is applied after classicOpcode.
func seccompOpcode(op uint16) bool {
	switch op {
	case unix.BPF_LD | unix.BPF_W | unix.BPF_LEN, unix.BPF_LDX | unix.BPF_W | unix.BPF_LEN,
		unix.BPF_RET | unix.BPF_K, unix.BPF_RET | unix.BPF_A,
		opALU | unix.BPF_NEG,
		unix.BPF_LD | unix.BPF_IMM, unix.BPF_LDX | unix.BPF_IMM,
		unix.BPF_MISC | unix.BPF_TAX, unix.BPF_MISC | unix.BPF_TXA,
		unix.BPF_LD | unix.BPF_MEM, unix.BPF_LDX | unix.BPF_MEM, unix.BPF_ST, unix.BPF_STX,
		opJMP | unix.BPF_JA:
		return true
	}
	if op&^(unix.BPF_X|0xf0) == opALU {
		switch op & 0xf0 {
		case unix.BPF_ADD, unix.BPF_SUB, unix.BPF_MUL, unix.BPF_DIV,
			unix.BPF_AND, unix.BPF_OR, bpfXOR, unix.BPF_LSH, unix.BPF_RSH:
			return true
		}
		return false // MOD
	}
	return isCondJump(op)
}

// ancillary reports whether k (>= SKF_AD_OFF) names a Linux ancillary load
// the kernel knows: SKF_AD_PROTOCOL (0) to SKF_AD_VLAN_TPID (60), in steps
// of 4.
func ancillary(k uint32) bool {
	off := k - skfADOff
	return off < skfADMax && off%4 == 0
}

// checkScratch is the kernel's check_load_and_stores: a forward pass that
// tracks which of M[0..15] are written. It is deliberately as imprecise as
// the kernel's (an instruction after a return inherits the state before the
// return; after a jump the state restarts as "all written" and only jump
// targets narrow it), because the point is to agree with the kernel.
func checkScratch(prog []bpf.RawInstruction) (pc int, k uint32, ok bool) {
	masks := make([]uint16, len(prog))
	for i := range masks {
		masks[i] = 0xffff
	}
	var valid uint16
	for pc, ins := range prog {
		valid &= masks[pc]
		switch {
		case ins.Op == unix.BPF_ST || ins.Op == unix.BPF_STX:
			valid |= 1 << ins.K
		case ins.Op == unix.BPF_LD|unix.BPF_MEM || ins.Op == unix.BPF_LDX|unix.BPF_MEM:
			if valid&(1<<ins.K) == 0 {
				return pc, ins.K, false
			}
		case ins.Op == opJMP|unix.BPF_JA:
			masks[pc+1+int(ins.K)] &= valid
			valid = 0xffff
		case isCondJump(ins.Op):
			masks[pc+1+int(ins.Jt)] &= valid
			masks[pc+1+int(ins.Jf)] &= valid
			valid = 0xffff
		}
	}
	return 0, 0, true
}

func opName(op uint16) string {
	switch op & 0x07 {
	case unix.BPF_LD:
		switch op & 0xe0 {
		case unix.BPF_IND:
			return "an indirect load"
		case unix.BPF_ABS:
			if op&0x18 == unix.BPF_H {
				return "a half-word load"
			}
			return "a byte load"
		}
	case unix.BPF_LDX:
		if op&0xe0 == unix.BPF_MSH {
			return "ldx 4*([k]&0xf)"
		}
	case unix.BPF_ALU:
		if op&0xf0 == bpfMOD {
			return "mod"
		}
	}
	return fmt.Sprintf("opcode %#04x", op)
}

// BPF_MOD and BPF_XOR, which golang.org/x/sys/unix defines on Linux only:
// the analyses run anywhere.
const (
	bpfMOD = 0x90
	bpfXOR = 0xa0
)
