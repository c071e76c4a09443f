package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
)

// policyFlags are the flags of the commands that read a policy.
type policyFlags struct {
	lang, arches, caps, kernel *string
	newSyscalls, x32LowWord    *bool
	muxWholeArg0               *bool
	truncateErrno              *bool
}

func addPolicyFlags(fs *flags) *policyFlags {
	return &policyFlags{
		lang:          fs.String("lang", "", "policy `language`: text or oci (default: oci if the file starts with '{')"),
		arches:        fs.String("arch", "", "comma-separated target `arches`, replacing the policy's"),
		caps:          fs.String("caps", "", "comma-separated `capabilities` of the container, for a Docker profile's includes/excludes (default: Docker's)"),
		kernel:        fs.String("kernel", "", "kernel `version` for a Docker profile's minKernel conditions (default: the running kernel's, on Linux)"),
		newSyscalls:   fs.Bool("new-syscalls", false, "keep a Docker/OCI profile's rules on syscalls newer than libseccomp 2.5.4 (runc skips them)"),
		muxWholeArg0:  fs.Bool("mux-whole-arg0", false, "compare the whole first argument of socketcall and ipc with the call number, as libseccomp 2.5.4 (runc) does; by default it is read as the kernel reads it (ipc's low 16 bits)"),
		x32LowWord:    fs.Bool("x32-low-word", false, "compare x32 arguments on their low 32 bits, as libseccomp 2.5.4 (runc) does; by default all 64 bits, as the kernel passes them"),
		truncateErrno: fs.Bool("truncate-errno", false, "keep the low 16 bits of a Docker/OCI profile's errnoRet that does not fit in them, as runc does (by default an error: the call would not return the errno written)"),
	}
}

// targets parses --arch.
func (pf *policyFlags) targets() ([]*arch.Arch, error) {
	if *pf.arches == "" {
		return nil, nil
	}
	var as []*arch.Arch
	for _, s := range strings.Split(*pf.arches, ",") {
		a, err := arch.Lookup(s)
		if err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	return as, nil
}

// load parses a policy (name and data already read). It prints the
// warnings on stderr (unless quiet); the error is exitBad for a malformed
// policy, exitUsage for bad flags.
// language is --lang, or the language data looks like: oci if it starts
// with '{', else text.
func (pf *policyFlags) language(data []byte) string {
	if *pf.lang != "" {
		return *pf.lang
	}
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		return "oci"
	}
	return "text"
}

// isOCI reports whether data is read as a Docker/OCI profile.
func (pf *policyFlags) isOCI(data []byte) bool {
	switch pf.language(data) {
	case "oci", "docker", "json":
		return true
	}
	return false
}

func (pf *policyFlags) load(e *env, fs *flags, name string, data []byte, quiet bool) (*policy.Policy, error) {
	targets, err := pf.targets()
	if err != nil {
		return nil, fs.usageError("--arch: %v", err)
	}
	l := pf.language(data)
	var (
		p     *policy.Policy
		warns []policy.Problem
	)
	switch l {
	case "text":
		if *pf.caps != "" || *pf.kernel != "" || *pf.newSyscalls || *pf.truncateErrno {
			return nil, fs.usageError("--caps, --kernel, --new-syscalls and --truncate-errno are for Docker/OCI profiles")
		}
		opts := policy.TextOptions{Arches: targets, X32LowWord: *pf.x32LowWord, MuxWholeArg0: *pf.muxWholeArg0}
		if h, err := hostArch(); err == nil && targets == nil {
			opts.DefaultArches = []*arch.Arch{h} // a file without arch lines
		}
		p, warns, err = policy.ParseTextWith(name, data, opts)
	case "oci", "docker", "json":
		opts := policy.OCIOptions{Kernel: *pf.kernel, NewSyscalls: *pf.newSyscalls, X32LowWord: *pf.x32LowWord, MuxWholeArg0: *pf.muxWholeArg0,
			TruncateErrno: *pf.truncateErrno, Arches: targets}
		if *pf.caps != "" {
			opts.Caps = strings.Split(*pf.caps, ",")
		}
		// The host of Docker's archMap: the first of --arch (as
		// ParseOCI takes it), else this machine's.
		if len(targets) == 0 {
			h, err := hostArch()
			if err != nil {
				return nil, fail(exitBad, "cbpf %s: %v: name the target arch with --arch", fs.name, err)
			}
			opts.Arch = h.Name
		}
		if opts.Kernel == "" {
			if opts.Kernel, err = hostKernel(); err != nil {
				return nil, fail(exitBad, "cbpf %s: %v: give --kernel", fs.name, err)
			}
		}
		p, warns, err = policy.ParseOCI(name, data, opts)
	default:
		return nil, fs.usageError("--lang %q: want text or oci", l)
	}
	if err != nil {
		// The warnings found before the error first: they may explain it.
		for _, w := range warns {
			if w.Pos == "" {
				w.Pos = name
			}
			if !quiet || !w.Warning {
				fmt.Fprintf(e.stderr, "%s\n", w)
			}
		}
		return nil, badInput(err)
	}
	bad := false
	for _, w := range warns {
		if w.Pos == "" {
			w.Pos = name
		}
		if !quiet || !w.Warning {
			fmt.Fprintf(e.stderr, "%s\n", w)
		}
		bad = bad || !w.Warning
	}
	if bad {
		return nil, status(exitBad)
	}
	p.X32LowWord = p.X32LowWord || *pf.x32LowWord
	p.MuxWholeArg0 = p.MuxWholeArg0 || *pf.muxWholeArg0
	return p, nil
}
