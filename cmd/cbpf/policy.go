package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/policy"
)

func policyCommand() *command {
	return &command{
		name:    "policy",
		summary: "check a seccomp policy and print it normalised, or evaluate calls against it",
		run:     runPolicy,
	}
}

func runPolicy(e *env, args []string) int {
	fs := newFlags(e, "policy", "FILE", `Read a seccomp policy, in the policy language (see "go doc
github.com/cbpfkit/cbpf/policy") or as a Docker/OCI JSON profile, check it and
print it in the policy language, normalised: one rule a line, constants by
name. Warnings (syscalls a target arch lacks, rules that never match,
argument tests that socketcall or ipc cannot apply, ...) go to stderr as
  FILE:LINE:COL: warning: message

With --eval, read calls instead, one a line,
  ARCH NR [A0 .. A5 [IP]]
(ARCH a name such as x86_64 or an AUDIT_ARCH number, NR a number or a syscall
name, missing arguments 0, # comments), and print for each what the policy
decides, as the filter's return value and its action:
  0x7fff0000 ALLOW

Exit status: 0 success, 1 a malformed policy or input line, 2 usage or I/O
error.`)
	pf := addPolicyFlags(fs)
	eval := fs.Bool("eval", false, "evaluate the calls read from stdin (or --input)")
	input := fs.String("input", "", "with --eval, read the calls from `file`")
	badArch := fs.String("bad-arch", "", "with --eval, the `action` for calls from other arches (default: the policy's, kill_process)")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if len(fs.positional) != 1 {
		return fs.usageError("want one policy FILE (or - for stdin)")
	}
	if !*eval && (*input != "" || *badArch != "") {
		return fs.usageError("--input and --bad-arch go with --eval")
	}
	name, data, err := readInput(e, fs.positional[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "cbpf policy: %v\n", err)
		return exitUsage
	}
	p, code, ok := pf.load(e, fs, name, data, false)
	if !ok {
		return code
	}
	if !*eval {
		io.WriteString(e.stdout, p.String())
		return exitOK
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
			fmt.Fprintf(e.stderr, "cbpf policy: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		inName, in = *input, f
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		c, ok, err := parseCallLine(sc.Text())
		if err != nil {
			w.Flush()
			fmt.Fprintf(e.stderr, "%s:%d: %v\n", inName, n, err)
			return exitBad
		}
		if !ok {
			continue
		}
		ret := uint32(policy.Eval(p, c))
		fmt.Fprintf(w, "0x%08x %s\n", ret, action.String(ret))
	}
	if err := sc.Err(); err != nil {
		w.Flush()
		fmt.Fprintf(e.stderr, "cbpf policy: %s: %v\n", inName, err)
		return exitUsage
	}
	return exitOK
}

// parseCallLine reads "ARCH NR [A0 .. A5 [IP]]"; ok is false for blank and
// comment lines. (cbpf run reads the same lines; its parser was not written
// when this was, hence a second one.)
func parseCallLine(line string) (c policy.Call, ok bool, err error) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	f := strings.Fields(line)
	if len(f) == 0 {
		return c, false, nil
	}
	if len(f) < 2 || len(f) > 9 {
		return c, false, fmt.Errorf("want ARCH NR [A0 .. A5 [IP]], got %d fields", len(f))
	}
	a, err := arch.Lookup(f[0])
	if err != nil {
		return c, false, err
	}
	c.Arch = a.Audit
	if nr, err := parseCallNumber(f[1]); err == nil {
		if nr > 0xffffffff {
			return c, false, fmt.Errorf("syscall number %s does not fit in 32 bits", f[1])
		}
		c.Nr = int32(uint32(nr))
	} else if n, found := a.SyscallNumber(f[1]); found {
		c.Nr = int32(n)
	} else {
		return c, false, fmt.Errorf("%q is neither a number nor a syscall of %s", f[1], a.Name)
	}
	for i, s := range f[2:] {
		v, err := parseCallNumber(s)
		if err != nil {
			return c, false, fmt.Errorf("field %d: %v", i+3, err)
		}
		if i < 6 {
			c.Args[i] = v
		} else {
			c.IP = v
		}
	}
	return c, true, nil
}

// parseCallNumber reads a number in Go syntax; a negative one is two's
// complement in 64 bits.
func parseCallNumber(s string) (uint64, error) {
	if rest, neg := strings.CutPrefix(s, "-"); neg {
		v, err := strconv.ParseInt("-"+rest, 0, 64)
		if err != nil {
			return 0, fmt.Errorf("bad number %q", s)
		}
		return uint64(v), nil
	}
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return v, nil
}
