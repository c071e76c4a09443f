// Package corpus holds seccomp filters captured from real programs running
// on Linux (Chromium, firejail, Tor, QEMU, OpenSSH's sshd), read back from
// the kernel with ptrace(PTRACE_SECCOMP_GET_FILTER) and kept in tcpdump
// -ddd form under filters/. README.md says for each where it comes from:
// program and package version, command line, process, place in the stack.
//
// Tests use them as real-world inputs for the checker, the VM, explain,
// the lints and equivalence; the kernel accepts each and runs it as the VM
// does (corpus_test.go).
package corpus

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/asm"
)

//go:embed filters/*.ddd
var files embed.FS

// Filter is one captured filter.
type Filter struct {
	// Name is the file's name without ".ddd": "chromium-renderer",
	// "firejail-default-2".
	Name string
	// Source says which program and process installed it.
	Source string
	Prog   []bpf.RawInstruction
	// Stack names the stack a filter belongs to when its process carries
	// several ("firejail-default"), and Index is its place there as
	// PTRACE_SECCOMP_GET_FILTER numbers it: 0 is the oldest, the first
	// installed (ptrace(2) says the most recent; the kernel's
	// get_nth_filter counts from the oldest, and seccomp.Filters' tests
	// confirm it on 6.18). Stack is "" for a process with one filter.
	Stack string
	Index int
}

// source describes each file; stacks are the files whose name ends with
// "-N" after a stack's name.
var sources = map[string]string{
	"chromium-renderer":   "Chromium 156 renderer process (seccomp-bpf sandbox, renderer policy)",
	"chromium-gpu":        "Chromium 156 GPU process (seccomp-bpf sandbox, GPU policy; software fallback, --use-gl=disabled)",
	"chromium-gpu-broker": "Chromium 156 GPU process's broker (the process that opens files for the GPU process)",
	"chromium-utility":    "Chromium 156 utility process running the storage service (utility policy)",
	"firejail-default-0":  "firejail 0.9.72, default.profile: seccomp.namespaces.32 (i386 namespace-creation filter)",
	"firejail-default-1":  "firejail 0.9.72, default.profile: seccomp.namespaces (x86_64 namespace-creation filter)",
	"firejail-default-2":  "firejail 0.9.72, default.profile: seccomp (the main x86_64 deny-list)",
	"firejail-default-3":  "firejail 0.9.72, default.profile: seccomp.32 (the i386 deny-list)",
	"firejail-default-4":  "firejail 0.9.72, default.profile: seccomp.protocol (socket families unix, inet, inet6)",
	"firejail-server-4":   "firejail 0.9.72 run as root, server.profile: seccomp.protocol (unix, inet, inet6, netlink, packet); its filters 0-3 are firejail-default-0..3",
	"tor":                 "Tor 0.4.9.11 with Sandbox 1 (libseccomp 2.5.4)",
	"qemu-sandbox":        "QEMU 7.2 with -sandbox on (libseccomp 2.5.4; the default deny-list)",
	"qemu-sandbox-deny":   "QEMU 7.2 with -sandbox on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny (libseccomp 2.5.4)",
	"sshd-preauth":        "OpenSSH 9.2p1 sshd's pre-authentication privilege-separation child ([net])",
}

// stacks are the filter stacks: how many filters each has, and the stack
// that holds the ones not stored under its own name (firejail as root
// differs from firejail as a user only in its first filter, index 4).
var stacks = map[string]struct {
	n    int
	base string
}{
	"firejail-default": {n: 5},
	"firejail-server":  {n: 5, base: "firejail-default"},
}

// All returns every filter, sorted by name. It panics if an embedded file
// does not parse: they are fixed data, checked by the tests.
func All() []Filter {
	ents, err := files.ReadDir("filters")
	if err != nil {
		panic("corpus: " + err.Error())
	}
	var out []Filter
	for _, e := range ents {
		name := strings.TrimSuffix(e.Name(), ".ddd")
		f, err := load(name)
		if err != nil {
			panic(err)
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Get returns the named filter.
func Get(name string) (Filter, error) {
	if _, ok := sources[name]; !ok {
		return Filter{}, fmt.Errorf("corpus: no filter %q", name)
	}
	return load(name)
}

func load(name string) (Filter, error) {
	p := path.Join("filters", name+".ddd")
	data, err := files.ReadFile(p)
	if err != nil {
		return Filter{}, fmt.Errorf("corpus: %w", err)
	}
	prog, err := asm.Read(p, data, asm.DDD)
	if err != nil {
		return Filter{}, fmt.Errorf("corpus: %w", err)
	}
	src, ok := sources[name]
	if !ok {
		return Filter{}, fmt.Errorf("corpus: %s has no source description", p)
	}
	f := Filter{Name: name, Source: src, Prog: prog}
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		var idx int
		if _, err := fmt.Sscanf(name[i+1:], "%d", &idx); err == nil && stacks[name[:i]].n > 0 {
			f.Stack, f.Index = name[:i], idx
		}
	}
	return f, nil
}

// Stack returns the filters of the named stack in kernel order, which is
// the order they were installed (index 0, the oldest, first), as
// verify.Stack takes them. A stack stored with only the
// filters that differ from another ("firejail-server", whose 0..3 are
// "firejail-default"'s) is completed from that one.
func Stack(name string) ([]Filter, error) {
	s, ok := stacks[name]
	if !ok {
		return nil, fmt.Errorf("corpus: no stack %q", name)
	}
	out := make([]Filter, s.n)
	for i := range out {
		f, err := Get(fmt.Sprintf("%s-%d", name, i))
		if err != nil && s.base != "" {
			f, err = Get(fmt.Sprintf("%s-%d", s.base, i))
		}
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}
