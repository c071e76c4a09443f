package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/optimize"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

var compileCommand = &command{
	name:    "compile",
	args:    "[POLICY]",
	summary: "compile a seccomp policy (default: Docker's default profile) into a filter",
	about: `Compile a seccomp policy into a filter. POLICY is a file in the policy
language (see "go doc github.com/cbpfkit/cbpf/policy") or a Docker/OCI JSON
profile; without it cbpf compiles Docker's default profile for the host arch
(as github.com/moby/profiles/seccomp builds it, read as runc would; its
warnings, mostly names of other arches' syscalls, are not shown).

The output is the program in any format of "cbpf asm -h": on a terminal by
default the pseudo listing, otherwise ddd. The pseudo listing ends with a
summary: the length, and for each arch the mean and maximum instructions
executed over its syscall numbers (with zero arguments), and how many of
the syscalls the filter allows whatever their arguments (by a rule or by
the default action) the kernel's action cache serves.

The filter checks the target arches in the order the policy lists them
(its arch lines, a profile's architectures after the host arch, or
--arch), whatever machine cbpf runs on; --first moves one to the front,
so that its calls pay for one arch comparison only ("--first host": this
machine's, on Linux). Without an arch line or --arch, a policy targets
this machine's arch, and a Docker/OCI profile is read for it and for the
running kernel (--kernel): on Linux only; elsewhere name them.

Actions on the command line are written as in the policy language:
kill_process, kill_thread, errno(1), trap(2), log, allow, ...

Examples:
  cbpf compile
  cbpf compile --lang oci --bad-arch kill_thread -o raw profile.json > filter.bpf
  cbpf compile --arch x86_64,aarch64 -o c policy.txt`,
	run: runCompile,
}

func runCompile(e *env, fs *flags, args []string) error {
	pf := addPolicyFlags(fs)
	badArch := fs.String("bad-arch", "", "`action` for calls from arches the policy does not target (default: the policy's, kill_process)")
	out := fs.String("o", "", "output `format` ("+formatList(false)+"; default pseudo with a summary on a terminal, else ddd)")
	first := fs.String("first", "", "check this `arch` first (host: this machine's, on Linux; default: the order of the policy's arches)")
	enosys := fs.Bool("enosys", false, "return ENOSYS for numbers just above each arch's newest known syscall, instead of the default action")
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 1 {
		return fs.usageError("at most one POLICY, got %d", len(fs.positional))
	}
	var name string
	var data []byte
	var err error
	if len(fs.positional) == 0 {
		name = "docker-default.json"
		if data, err = dockerDefault(); err != nil {
			return fail(exitUsage, "cbpf compile: %v", err)
		}
		if *pf.lang == "" {
			*pf.lang = "oci"
		}
	} else if name, data, err = readInput(e, fs.positional[0]); err != nil {
		return ioError("compile", err)
	}
	format := asm.DDD
	if *out == "" {
		if isTerminal(e.stdout) {
			format = asm.Pseudo
		}
	} else if format, err = asm.ParseFormat(*out); err != nil {
		return fs.usageError("-o: %v", err)
	}
	summary := format == asm.Pseudo
	p, err := pf.load(e, fs, name, data, len(fs.positional) == 0)
	if err != nil {
		return err
	}
	opts := compile.Options{ENOSYSNew: *enosys}
	if *first != "" {
		if opts.First, err = firstArch(*first); err != nil {
			return fs.usageError("--first: %v", err)
		}
		if !slices.ContainsFunc(p.Targets(), func(a *arch.Arch) bool { return a.Audit == opts.First.Audit }) {
			return fs.usageError("--first: %s is not one of the policy's arches", opts.First.Name)
		}
	}
	if *badArch != "" {
		a, err := policy.ParseAction(*badArch, p.Targets())
		if err != nil {
			return fs.usageError("--bad-arch: %v", err)
		}
		opts.BadArch = &a
	}
	prog, err := compile.Compile(p, opts)
	if err != nil {
		return fail(exitBad, "%s: %v", name, err)
	}
	warnDropped(e, "compile", prog, format)
	w := bufio.NewWriter(e.stdout)
	if err := asm.Write(w, prog, format); err != nil {
		return fail(exitBad, "cbpf compile: %v", err)
	}
	if summary {
		writeSummary(w, prog, p)
	}
	if err := w.Flush(); err != nil {
		return ioError("compile", err)
	}
	return nil
}

// firstArch reads --first: an arch name, or host.
func firstArch(s string) (*arch.Arch, error) {
	if s == "host" {
		return hostArch()
	}
	return arch.Lookup(s)
}

// writeSummary prints the length and, per target arch, how many
// instructions a call costs and how many unconditional allows are cached.
func writeSummary(w io.Writer, prog []bpf.RawInstruction, p *policy.Policy) {
	fmt.Fprintf(w, "// %d instructions (eBPF %d once the kernel has converted it)\n", len(prog), optimize.Measure(prog, vm.Seccomp).EBPF)
	for _, a := range p.Targets() {
		scs := a.Syscalls()
		lo, hi := scs[0].Number, scs[len(scs)-1].Number
		ex, err := optimize.ExecutedSeccompOn(prog, func(yield func(vm.SeccompData) bool) {
			for nr := lo; nr <= hi; nr++ {
				if !yield(vm.SeccompData{Nr: int32(nr), Arch: a.Audit}) {
					return
				}
			}
		})
		if err != nil {
			return
		}
		allowed, cached := 0, 0
		unconditional := unconditionalAllows(p.ForFilter(), a)
		for _, sc := range scs {
			if unconditional[sc.Name] {
				allowed++
				if verify.CacheAllows(prog, a.Audit, sc.Number) {
					cached++
				}
			}
		}
		fmt.Fprintf(w, "// %s: %.2f mean, %d max instructions executed (eBPF %.2f mean, %d max) over syscall numbers %d..%d; %d of %d unconditional allows served from the kernel's cache\n",
			a.Name, ex.Insns, ex.MaxInsns, ex.EBPF, ex.MaxEBPF, lo, hi, cached, allowed)
	}
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && fi.Mode()&os.ModeDevice != 0
}

// unconditionalAllows returns the syscalls of a that p allows whatever
// their arguments: those whose rules (with, for socketcall and ipc, the
// rules on the calls made through them) all allow, and of which one has
// no condition or the default allows.
func unconditionalAllows(p *policy.Policy, a *arch.Arch) map[string]bool {
	type state struct{ deny, always bool }
	st := map[string]*state{}
	get := func(name string) *state {
		s := st[name]
		if s == nil {
			s = &state{}
			st[name] = s
		}
		return s
	}
	for _, r := range p.Rules {
		s := get(r.Syscall)
		if r.Action != policy.Allow {
			s.deny = true
		} else if r.When == nil {
			s.always = true
		}
		if mux, _, ok := a.Multiplexed(r.Syscall); ok && r.Action != policy.Allow {
			get(mux).deny = true
		}
	}
	out := map[string]bool{}
	for _, sc := range a.Syscalls() {
		s := st[sc.Name]
		switch {
		case s == nil:
			out[sc.Name] = p.Default == policy.Allow
		default:
			out[sc.Name] = !s.deny && (s.always || p.Default == policy.Allow)
		}
	}
	return out
}
