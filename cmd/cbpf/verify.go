package main

import (
	"fmt"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

func verifyCommand() *command {
	return &command{
		name:    "verify",
		summary: "check a program as the kernel would, and lint seccomp filters",
		run: func(e *env, args []string) int {
			fs := newFlags(e, "verify", "PROG", `Check a program the way the kernel checks it when it is installed: with
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
it, 2 usage or I/O error.`)
			mode := fs.String("mode", "seccomp", "`mode`: seccomp or packet")
			in := fs.String("i", "", "input `format` (empty: detect)")
			if code, ok := fs.parse(args); !ok {
				return code
			}
			m, err := modeFlag(*mode)
			if err != nil {
				return fs.usageError("%v", err)
			}
			if len(fs.positional) != 1 {
				return fs.usageError("want one PROG (a file, or - for stdin)")
			}
			prog, name, code, ok := readProgram(e, "verify", fs.positional[0], *in)
			if !ok {
				return code
			}
			bad := false
			for _, d := range verify.Check(prog, m) {
				fmt.Fprintf(e.stdout, "%s: %s\n", name, d)
				for _, w := range d.Witness {
					fmt.Fprintf(e.stdout, "    input: %s => 0x%08x %s\n", runInputLine(w.Input), w.Ret, action.String(w.Ret))
				}
				bad = bad || d.Severity == verify.Error
			}
			if bad {
				return exitBad
			}
			return exitOK
		},
	}
}

func explainCommand() *command {
	return &command{
		name:    "explain",
		summary: "tell what a seccomp filter decides for every syscall",
		run: func(e *env, args []string) int {
			fs := newFlags(e, "explain", "PROG", `For each syscall of an arch, print what the filter decides: a fixed action,
or actions that depend on the arguments with the conditions as predicates, e.g.
  socket: ALLOW if args[0] == 2 || args[0] == 10; else ERRNO(1)
then the numbers without a name, x32 calls on x86_64, and which calls the
kernel (5.11+) serves from its allow cache without running the filter.

What a filter computes on nr and arch is computed for each syscall; a test
of a value computed from the arguments is written as the filter computes it,
e.g. "(u32)args[0] + 3 > 4". A line is marked approximate where explain
cannot tell whether a case it lists can happen. Syscalls that recent kernels
run without consulting seccomp (x86_64 uretprobe, uprobe) say so.

The arch defaults to the one the filter checks for, if it checks for exactly
one, else the host's.`)
			archName := fs.String("arch", "", "arch `name` (x86_64, aarch64, ...) or AUDIT_ARCH value")
			in := fs.String("i", "", "input `format` (empty: detect)")
			if code, ok := fs.parse(args); !ok {
				return code
			}
			if len(fs.positional) != 1 {
				return fs.usageError("want one PROG (a file, or - for stdin)")
			}
			prog, name, code, ok := readProgram(e, "explain", fs.positional[0], *in)
			if !ok {
				return code
			}
			var a *arch.Arch
			var err error
			switch {
			case *archName != "":
				if a, err = arch.Lookup(*archName); err != nil {
					return fs.usageError("--arch: %v", err)
				}
			default:
				if a = verify.FilterArch(prog); a == nil {
					if a = arch.Host(); a == nil {
						return fs.usageError("cannot tell the arch; use --arch")
					}
				}
			}
			ex, err := verify.ExplainWith(prog, a, verify.ExplainOptions{
				Name: func(syscall string, arg int, v uint64) (string, bool) { return policy.ConstName(a, syscall, arg, v) },
			})
			if err != nil {
				fmt.Fprintf(e.stderr, "%s: %v\n", name, err)
				return exitBad
			}
			if err := ex.Write(e.stdout); err != nil {
				return exitUsage
			}
			return exitOK
		},
	}
}

// exitUnknown is cbpf equiv's status when equivalence is neither proven
// nor refuted.
const exitUnknown = 3

func equivCommand() *command {
	return &command{
		name:    "equiv",
		summary: "prove two programs equivalent, or show an input where they differ",
		run: func(e *env, args []string) int {
			fs := newFlags(e, "equiv", "A B", `Decide whether programs A and B return the same value for every input.
For seccomp filters that only compare loaded words with constants (and masks),
as compilers emit them, the answer is exact. Otherwise cbpf searches for a
counterexample and answers "unknown" if it finds none.

A counterexample is printed as a "cbpf run" input line, with what each program
returns for it.

Exit status: 0 equivalent, 1 different, 2 usage or I/O error, 3 unknown.`)
			mode := fs.String("mode", "seccomp", "`mode`: seccomp or packet")
			in := fs.String("i", "", "input `format` of both programs (empty: detect)")
			if code, ok := fs.parse(args); !ok {
				return code
			}
			m, err := modeFlag(*mode)
			if err != nil {
				return fs.usageError("%v", err)
			}
			if len(fs.positional) != 2 {
				return fs.usageError("want two programs A and B")
			}
			pa, _, code, ok := readProgram(e, "equiv", fs.positional[0], *in)
			if !ok {
				return code
			}
			pb, _, code, ok := readProgram(e, "equiv", fs.positional[1], *in)
			if !ok {
				return code
			}
			r, err := verify.Equivalent(pa, pb, m)
			if err != nil {
				fmt.Fprintf(e.stderr, "cbpf equiv: %v\n", err)
				return exitBad
			}
			switch r.Verdict {
			case verify.Equal:
				fmt.Fprintln(e.stdout, "equivalent")
				return exitOK
			case verify.Different:
				fmt.Fprintln(e.stdout, "different")
				if m == verify.Seccomp {
					fmt.Fprintf(e.stdout, "input: %s\n", runInputLine(r.Seccomp))
					fmt.Fprintf(e.stdout, "A: 0x%08x %s\nB: 0x%08x %s\n", r.RetA, action.String(r.RetA), r.RetB, action.String(r.RetB))
				} else {
					fmt.Fprintf(e.stdout, "packet (%d bytes): % x\n", len(r.Packet), r.Packet)
					fmt.Fprintf(e.stdout, "A: %d\nB: %d\n", r.RetA, r.RetB)
				}
				return exitBad
			}
			fmt.Fprintf(e.stdout, "unknown: %s\n", r.Reason)
			return exitUnknown
		},
	}
}

// runInputLine writes d as a line "cbpf run" reads back.
func runInputLine(d vm.SeccompData) string {
	an := fmt.Sprintf("%#x", d.Arch)
	if a := arch.ByAudit(d.Arch); a != nil {
		an = a.Name
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d", an, d.Nr)
	for _, v := range d.Args {
		fmt.Fprintf(&b, " %#x", v)
	}
	fmt.Fprintf(&b, " %#x", d.InstructionPointer)
	return b.String()
}
