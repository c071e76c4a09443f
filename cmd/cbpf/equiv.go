package main

import (
	"errors"
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/verify"
)

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
