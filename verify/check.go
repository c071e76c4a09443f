package verify

import (
	"fmt"

	"github.com/cbpfkit/cbpf/diag"
	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"

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

// The severities. They carry the type's name so that they do not read as
// (or clash with) error types.
const (
	SeverityError Severity = iota
	SeverityWarning
)

func (s Severity) String() string {
	if s == SeverityError {
		return "error"
	}
	return "warning"
}

// Diagnostic is one finding about a program.
type Diagnostic struct {
	PC       int // instruction index; -1 for the program as a whole
	Severity Severity
	Code     string // stable identifier, e.g. "jump-range"
	Msg      string
	// Witness, for a lint about paths, holds the inputs that demonstrate
	// it, each with what the program returns for it in the VM (LintProgram
	// prints no such lint without them).
	Witness []Witness
}

// Witness is an input to a seccomp filter and what the filter returns for
// it, as the VM (and the kernel) computes it.
type Witness struct {
	Input vm.SeccompData
	Ret   uint32
}

// Pos is the instruction of d (no position for the program as a whole).
func (d Diagnostic) Pos() diag.Pos { return diag.AtInsn(d.PC) }

// Err is d as a *diag.Error; the Code is d's, a diag.Code like every
// other code (vm.CodeJumpRange, LintX32, ...).
func (d Diagnostic) Err() *diag.Error {
	return &diag.Error{Pos: d.Pos(), Code: diag.Code(d.Code), Msg: d.Msg}
}

func (d Diagnostic) String() string {
	if d.PC < 0 {
		return fmt.Sprintf("%s: %s: %s", d.Severity, d.Code, d.Msg)
	}
	return fmt.Sprintf("insn %d: %s: %s: %s", d.PC, d.Severity, d.Code, d.Msg)
}

// Stable codes of the errors Check reports: the kernel's reasons to
// reject a program (the vm package's checker, shared with vm.New).
const (
	CodeLength        = vm.CodeLength        // 0 or more than 4096 instructions
	CodeOpcode        = vm.CodeOpcode        // not a classic BPF opcode the kernel knows
	CodeDivZero       = vm.CodeDivZero       // div or mod by the constant 0
	CodeShift         = vm.CodeShift         // lsh/rsh by a constant of 32 or more
	CodeScratchIndex  = vm.CodeScratchIndex  // M[k] with k > 15
	CodeJumpRange     = vm.CodeJumpRange     // a jump past the last instruction
	CodeAncillary     = vm.CodeAncillary     // unknown Linux ancillary load
	CodeLastNotRet    = vm.CodeLastNotRet    // the last instruction is not a return
	CodeScratchUninit = vm.CodeScratchUninit // M[k] read where some path has not written it
	CodeSeccompOpcode = vm.CodeSeccompOpcode // an instruction seccomp does not allow
	CodeSeccompLoad   = vm.CodeSeccompLoad   // a load outside seccomp_data or misaligned
)

// MaxInsns is the kernel's BPF_MAXINSNS (opcode.MaxInsns).
const MaxInsns = opcode.MaxInsns

// Check returns the reasons the kernel would reject prog in mode (errors),
// or, for a program it accepts, the lints' warnings (see LintProgram). A
// program with no SeverityError diagnostic is one the kernel accepts.
func Check(prog []bpf.RawInstruction, mode Mode) []Diagnostic {
	if ds := KernelCheck(prog, mode); len(ds) > 0 {
		return ds
	}
	return LintProgram(prog, mode)
}

// KernelCheck returns the reason the kernel would reject prog in mode (the
// first it finds, in its own order: net/core/filter.c's
// bpf_check_basics_ok and bpf_check_classic, then for seccomp
// kernel/seccomp.c's seccomp_check_filter); none if it accepts the program.
func KernelCheck(prog []bpf.RawInstruction, mode Mode) []Diagnostic {
	err := vm.Check(prog, mode)
	if err == nil {
		return nil
	}
	e, ok := err.(*vm.Error)
	if !ok {
		return []Diagnostic{{PC: -1, Severity: SeverityError, Code: CodeOpcode, Msg: err.Error()}}
	}
	return []Diagnostic{{PC: e.PC, Severity: SeverityError, Code: e.Code, Msg: e.Msg}}
}

// Valid reports whether the kernel accepts prog in mode.
func Valid(prog []bpf.RawInstruction, mode Mode) bool {
	return len(KernelCheck(prog, mode)) == 0
}
