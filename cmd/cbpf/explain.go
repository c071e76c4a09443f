package main

import (
	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
)

var explainCommand = &command{
	name:    "explain",
	args:    "PROG",
	summary: "tell what a seccomp filter decides for every syscall",
	about: `For each syscall of an arch, print what the filter decides: a fixed action,
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
one, else the host's.`,
	run: runExplain,
}

func runExplain(e *env, fs *flags, args []string) error {
	archName := fs.String("arch", "", "arch `name` (x86_64, aarch64, ...) or AUDIT_ARCH value")
	in := fs.String("i", "", "input `format` (empty: detect)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) != 1 {
		return fs.usageError("want one PROG (a file, or - for stdin)")
	}
	prog, name, err := readProgram(e, "explain", fs.positional[0], *in)
	if err != nil {
		return err
	}
	var a *arch.Arch
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
		return fail(exitBad, "%s: %v", name, err)
	}
	if err := ex.Write(e.stdout); err != nil {
		return status(exitUsage)
	}
	return nil
}
