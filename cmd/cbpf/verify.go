package main

import (
	"fmt"

	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/verify"
)

var verifyCommand = &command{
	name:    "verify",
	args:    "PROG",
	summary: "check a program as the kernel would, and lint seccomp filters",
	about: `Check a program the way the kernel checks it when it is installed: with
seccomp(2) in seccomp mode, with setsockopt(SO_ATTACH_FILTER) in packet mode.
Errors are exactly the kernel's reasons to reject it; for a program the kernel
accepts, the lints print warnings (seccomp: arch checks, x32 bypasses, foreign
arches reaching ALLOW, one-sided 64-bit argument tests, calls that kernels
exempt from seccomp, clamped ERRNO data, unknown actions, instruction_pointer
reads; both modes: unreachable code).

Diagnostics look like
  PROG: insn N: error|warning: CODE: message
A lint about what the filter returns for some calls comes with the inputs that
show it, as "cbpf run" reads them, each with what the filter returns (the VM
computed it; "echo 'LINE' | cbpf run PROG" repeats it):
    input: ARCH NR A0 A1 A2 A3 A4 A5 IP => RET

Exit status: 0 the kernel accepts the program (warnings or not), 1 it rejects
it, 2 usage or I/O error.`,
	run: runVerify,
}

func runVerify(e *env, fs *flags, args []string) error {
	mode := fs.String("mode", "seccomp", "`mode`: seccomp or packet")
	in := fs.String("i", "", "input `format` (empty: detect)")
	if err := fs.parse(args); err != nil {
		return err
	}
	m, err := modeFlag(*mode)
	if err != nil {
		return fs.usageError("%v", err)
	}
	if len(fs.positional) != 1 {
		return fs.usageError("want one PROG (a file, or - for stdin)")
	}
	prog, name, err := readProgram(e, "verify", fs.positional[0], *in)
	if err != nil {
		return err
	}
	bad := false
	for _, d := range verify.Check(prog, m) {
		fmt.Fprintf(e.stdout, "%s: %s\n", name, d)
		for _, w := range d.Witness {
			fmt.Fprintf(e.stdout, "    input: %s => 0x%08x %s\n", runInputLine(w.Input), w.Ret, action.String(w.Ret))
		}
		bad = bad || d.Severity == verify.SeverityError
	}
	if bad {
		return status(exitBad)
	}
	return nil
}
