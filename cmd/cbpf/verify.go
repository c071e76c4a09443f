package main

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/net/bpf"

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
					if a, err = hostArch(); err != nil {
						return fs.usageError("cannot tell the arch (%v); use --arch", err)
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

// cbpf equiv's exit statuses beyond exitOK (equivalent), exitBad
// (different) and exitUsage.
const (
	exitUnknown = 3 // neither proven nor refuted
	exitInvalid = 4 // a program does not parse, or the kernel would reject it
)

func equivCommand() *command {
	return &command{
		name:    "equiv",
		summary: "prove two programs equivalent, or show an input where they differ",
		run: func(e *env, args []string) int {
			fs := newFlags(e, "equiv", "A B", `Decide whether programs A and B return the same value for every input.
For seccomp filters that only compare loaded words with constants (and masks),
as compilers emit them, the answer is exact. Otherwise cbpf searches for a
counterexample and answers "unknown" if it finds none.

The proof is split at the programs' tests of arch and syscall number, and each
part is bounded (--max-paths, --timeout): when a part cannot be finished, the
answer is "unknown", with the inputs it did prove (every input but those
listed) and a search for a counterexample in the rest.

A counterexample is printed as a "cbpf run" input line (the syscall by name
where the arch has one), with what each program returns for it.

Exit status: 0 equivalent, 1 different, 2 usage or I/O error, 3 unknown
(neither proven nor refuted; also an internal error, reported on stderr),
4 invalid input (a program that does not parse, or that the kernel would
reject).`)
			mode := fs.String("mode", "seccomp", "`mode`: seccomp or packet")
			in := fs.String("i", "", "input `format` of both programs (empty: detect)")
			maxPaths := fs.Int("max-paths", verify.DefaultMaxPaths, "pairs of paths to compare per class of inputs (an arch and syscall number) before giving it up")
			timeout := fs.Duration("timeout", verify.DefaultTimeout, "bound on the whole search (0: none)")
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
			if *maxPaths <= 0 {
				return fs.usageError("--max-paths must be positive")
			}
			if *timeout < 0 {
				return fs.usageError("--timeout must not be negative")
			}
			var progs [2][]bpf.RawInstruction
			for i := range progs {
				p, _, code, ok := readProgram(e, "equiv", fs.positional[i], *in)
				if !ok {
					if code == exitBad {
						code = exitInvalid
					}
					return code
				}
				progs[i] = p
			}
			opt := verify.EquivOptions{MaxPaths: *maxPaths, Timeout: *timeout}
			if *timeout == 0 {
				opt.Timeout = -1
			}
			r, err := verify.EquivalentWith(progs[0], progs[1], m, opt)
			var inv *verify.InvalidProgramError
			switch {
			case errors.As(err, &inv):
				fmt.Fprintf(e.stderr, "%s: %v\n", fs.positional[inv.Prog], inv)
				return exitInvalid
			case err != nil:
				fmt.Fprintf(e.stderr, "cbpf equiv: %v\n", err)
				return exitUnknown
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
			const show = 20
			for i, u := range r.Unproven {
				if i == show {
					fmt.Fprintf(e.stdout, "not proven: and %d more classes\n", len(r.Unproven)-show)
					break
				}
				fmt.Fprintf(e.stdout, "not proven: %s\n", u)
			}
			return exitUnknown
		},
	}
}

// runInputLine writes d as a line "cbpf run" reads back: the arch by name,
// the syscall by name where the arch has one (x32's for an x86_64 number
// with bit 30 set), else the number, then the arguments and IP in hex.
func runInputLine(d vm.SeccompData) string {
	nr := uint32(d.Nr)
	an := fmt.Sprintf("%#x", d.Arch)
	if a := arch.ByAudit(d.Arch); a != nil {
		an = a.Name
		if a.Name == "x86_64" && nr&arch.X32SyscallBit != 0 {
			if x32, err := arch.Lookup("x32"); err == nil {
				if name, ok := x32.SyscallName(nr); ok {
					return formatRunLine(x32.Name, name, d)
				}
			}
		}
		if name, ok := a.SyscallName(nr); ok {
			return formatRunLine(an, name, d)
		}
	}
	n := fmt.Sprintf("%#x", nr)
	switch {
	case nr < 0x10000:
		n = fmt.Sprintf("%d", nr)
	case d.Nr < 0:
		n = fmt.Sprintf("%d", d.Nr) // -1 reads better than 0xffffffff
	}
	return formatRunLine(an, n, d)
}

func formatRunLine(archName, nr string, d vm.SeccompData) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", archName, nr)
	for _, v := range d.Args {
		fmt.Fprintf(&b, " %#x", v)
	}
	fmt.Fprintf(&b, " %#x", d.InstructionPointer)
	return b.String()
}
