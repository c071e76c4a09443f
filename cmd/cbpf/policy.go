package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/policy"
)

var policyCommand = &command{
	name:    "policy",
	args:    "FILE",
	summary: "check a seccomp policy and print it normalised, or evaluate calls against it",
	about: `Read a seccomp policy, in the policy language (see "go doc
github.com/cbpfkit/cbpf/policy") or as a Docker/OCI JSON profile, check it and
print it in the policy language, normalised: one rule a line, constants by
name. Warnings (syscalls a target arch lacks, comparisons that never hold,
what the filter compares for calls made through socketcall or ipc, ...) go
to stderr as
  FILE:LINE:COL: warning: message
A malformed policy (a syscall name no arch has, an errno above 4095,
nesting deeper than 1000, a number too wide, ...) is an error at its
position.

With --eval, read calls instead, one a line,
  ARCH NR [A0 .. A5 [IP]]
(ARCH a name such as x86_64 or an AUDIT_ARCH number, NR a number or a syscall
name, missing arguments 0, # starts a comment), and print for each what the policy
decides, as the filter's return value and its action:
  0x7fff0000 ALLOW

Exit status: 0 success, 1 a malformed policy or input line, 2 usage or I/O
error.`,
	run: runPolicy,
}

func runPolicy(e *env, fs *flags, args []string) error {
	pf := addPolicyFlags(fs)
	eval := fs.Bool("eval", false, "evaluate the calls read from stdin (or --input)")
	input := fs.String("input", "", "with --eval, read the calls from `file`")
	badArch := fs.String("bad-arch", "", "with --eval, the `action` for calls from other arches (default: the policy's, kill_process)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) != 1 {
		return fs.usageError("want one policy FILE (or - for stdin)")
	}
	if !*eval && (*input != "" || *badArch != "") {
		return fs.usageError("--input and --bad-arch go with --eval")
	}
	name, data, err := readInput(e, fs.positional[0])
	if err != nil {
		return ioError("policy", err)
	}
	p, err := pf.load(e, fs, name, data, false)
	if err != nil {
		return err
	}
	if !*eval {
		w := bufio.NewWriter(e.stdout)
		_, err := p.WriteTo(w)
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			return ioError("policy", err)
		}
		return nil
	}
	if *badArch != "" {
		a, err := policy.ParseAction(*badArch, p.Targets())
		if err != nil {
			return fs.usageError("--bad-arch: %v", err)
		}
		p.BadArch = a
	}
	inName, in := "<stdin>", io.Reader(e.stdin)
	if *input != "" && *input != "-" {
		f, err := os.Open(*input)
		if err != nil {
			return ioError("policy", err)
		}
		defer f.Close()
		inName, in = *input, f
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	err = readCallLines(in, func(n int, fields []callField, length int) error {
		d, ok, err := parseCallFields(fields, length)
		c := policy.Call{Arch: d.Arch, Nr: d.Nr, IP: d.InstructionPointer, Args: d.Args}
		if err != nil {
			return atLine(n, err)
		}
		if ok {
			ret := uint32(policy.Eval(p, c))
			fmt.Fprintf(w, "0x%08x %s\n", ret, action.String(ret))
		}
		return nil
	})
	return callLinesDone(w, "policy", inName, err)
}
