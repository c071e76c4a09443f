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

var equivCommand = &command{
	name:    "equiv",
	args:    "A B",
	summary: "prove two programs equivalent, or show an input where they differ",
	about: `Decide whether programs A and B return the same value for every input.
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
reject).`,
	run: runEquiv,
}

func runEquiv(e *env, fs *flags, args []string) error {
	mode := fs.String("mode", "seccomp", "`mode`: seccomp or packet")
	in := fs.String("i", "", "input `format` of both programs (empty: detect)")
	maxPaths := fs.Int("max-paths", verify.DefaultMaxPaths, "pairs of paths to compare per class of inputs (an arch and syscall number) before giving it up")
	timeout := fs.Duration("timeout", verify.DefaultTimeout, "bound on the whole search (0: none)")
	if err := fs.parse(args); err != nil {
		return err
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
		p, _, err := readProgram(e, "equiv", fs.positional[i], *in)
		if err != nil {
			// A malformed program is invalid input here, not exitBad
			// (which says "different").
			var xe *exitError
			if errors.As(err, &xe) && xe.Code == exitBad {
				xe.Code = exitInvalid
			}
			return err
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
		return fail(exitInvalid, "%s: %v", fs.positional[inv.Prog], inv)
	case err != nil:
		return fail(exitUnknown, "cbpf equiv: %v", err)
	}
	switch r.Verdict {
	case verify.Equal:
		fmt.Fprintln(e.stdout, "equivalent")
		return nil
	case verify.Different:
		fmt.Fprintln(e.stdout, "different")
		if m == verify.Seccomp {
			fmt.Fprintf(e.stdout, "input: %s\n", runInputLine(r.Seccomp))
			fmt.Fprintf(e.stdout, "A: 0x%08x %s\nB: 0x%08x %s\n", r.RetA, action.String(r.RetA), r.RetB, action.String(r.RetB))
		} else {
			fmt.Fprintf(e.stdout, "packet (%d bytes): % x\n", len(r.Packet), r.Packet)
			fmt.Fprintf(e.stdout, "A: %d\nB: %d\n", r.RetA, r.RetB)
		}
		return status(exitBad)
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
	return status(exitUnknown)
}
