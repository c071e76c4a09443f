package policy

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/profiles/seccomp"
	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
)

// OCIOptions tune ParseOCI.
type OCIOptions struct {
	// Caps are the capabilities the container has, for Docker's
	// includes/excludes; nil means Docker's default capability set
	// (DockerDefaultCaps). Names may omit the CAP_ prefix.
	Caps []string
	// Arch, if set, is the host arch for Docker's archMap and
	// includes/excludes "arches", and the arch libseccomp adds by itself
	// (default: the host's). Any name arch.Lookup takes; it must be an
	// arch Go runs on (not x32).
	Arch string
	// NewSyscalls keeps rules on syscalls newer than libseccomp 2.5.4 (the
	// one runc links on Debian 12). By default they are skipped with a
	// warning, as runc skips names libseccomp cannot resolve, so that the
	// filter matches runc's.
	NewSyscalls bool
	// X32LowWord compares x32 arguments on their low 32 bits, as
	// libseccomp 2.5.4 does, so that the filter decides as runc's does
	// (Policy.X32LowWord). By default cbpf compares them on all 64 bits,
	// as the kernel passes them, and warns where a profile's x32 rules
	// then mean something stricter than runc's filter.
	X32LowWord bool
	// Kernel, if set ("5.8"), is the kernel version for Docker's minKernel
	// conditions. By default it is the running kernel's, as Docker does it:
	// the same profile can then give different policies on different hosts.
	Kernel string
}

// DockerDefaultCaps returns the capabilities Docker gives a container by
// default.
func DockerDefaultCaps() []string {
	return []string{
		"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
		"CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
		"CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
	}
}

// OCIError is an error in a profile: Pos is "file:line:col: JSON path".
type OCIError struct {
	Pos string
	Msg string
}

func (e *OCIError) Error() string {
	if e.Pos == "" {
		return e.Msg
	}
	return e.Pos + ": " + e.Msg
}

// ParseOCI reads a seccomp profile: Docker's form (archMap, includes and
// excludes, as github.com/moby/profiles/seccomp expands them), the OCI
// runtime spec's linux.seccomp object, or a whole OCI config.json. The
// policy is the filter runc with libseccomp installs for it:
//
//   - Actions: SCMP_ACT_KILL and SCMP_ACT_KILL_THREAD are KILL_THREAD,
//     SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP (data 0, errnoRet is ignored),
//     SCMP_ACT_ERRNO (errnoRet, default EPERM; defaultErrnoRet for the
//     default action), SCMP_ACT_TRACE (the same data as ERRNO: errnoRet,
//     default EPERM), SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY (not as
//     the default action, nor for write: runc refuses both).
//   - Arches: the host's (libseccomp always adds its native arch) and those
//     listed in architectures. Calls from other arches get the policy's
//     bad-arch action: KILL_PROCESS, cbpf's default for every policy;
//     runc leaves libseccomp's, KILL_THREAD, so set BadArch (cbpf compile
//     --bad-arch kill_thread) to match runc exactly.
//   - Rules: args inside one entry are ANDed; entries are separate rules.
//     When an entry has several conditions on the same argument, runc adds
//     each as a rule of its own (so they are ORed): a warning says so.
//     MASKED_EQ is (arg & value) == valueTwo. Rules whose action is the
//     default action are dropped, as runc drops them.
//   - Syscall names no target arch knows are skipped with a warning, as
//     runc skips them; so are names newer than libseccomp 2.5.4 (see
//     arch.KnownToLibseccomp) unless OCIOptions.NewSyscalls is set.
//   - libseccomp keeps one rule set per syscall: the first unconditional
//     rule for a syscall replaces every other rule for it; a conditional
//     rule whose conditions include all those of another rule is dropped;
//     two rules with the same conditions and different actions are an
//     error (runc fails). Where these change the meaning, and where two
//     rules with different actions can both match (Eval then takes the most
//     restrictive action; libseccomp's choice depends on its rule tree),
//     there is a warning.
//
// Where cbpf deliberately differs from the filter runc + libseccomp 2.5.4
// install (each with a warning when a profile is affected):
//
//   - x32 arguments are compared on all 64 bits, as the kernel passes them;
//     libseccomp compares their low 32 bits only (OCIOptions.X32LowWord
//     does as libseccomp does).
//   - libseccomp 2.5.4's code generation bugs, which cbpf does not copy
//     (oci_compat.go describes them): a test that compares a word loaded
//     for another test (two rules on one syscall part on one word), an
//     arch section that never loads the syscall number (its first entry is
//     a name the arch lacks), rules lost when it merges or prunes a
//     syscall's rules, and a corrupt tree on which it can loop forever
//     (runc hangs). Also its per-arch rule handling on 32-bit arches, where
//     a MASKED_EQ whose mask has only high bits always holds and rules can
//     overlap in 32 bits. The warning names a call runc's filter decides
//     otherwise and what each side returns.
//
// Not modelled: runc's ENOSYS stub for syscalls newer than the profile
// (runc answers ENOSYS, not the default action, for numbers above the
// highest one the profile names), flags and the notify listener.
//
// Errors and warnings carry "name:line:col: JSON path".
func ParseOCI(name string, data []byte, opts OCIOptions) (*Policy, []Problem, error) {
	c, err := newOCIConv(name, data, opts)
	if err != nil {
		return nil, nil, err
	}
	p, err := c.policy()
	if err != nil {
		return nil, nil, err
	}
	return p, c.problems, nil
}

// ociConv holds the state of one ParseOCI.
type ociConv struct {
	name     string
	data     []byte
	index    map[string]int // JSON path -> offset of its value
	prefix   string         // "linux.seccomp." for a config.json
	native   string         // Docker's name for the host arch ("amd64")
	host     *arch.Arch
	caps     []string
	kernel   *seccomp.KernelVersion // nil: the running kernel's
	newSys   bool                   // OCIOptions.NewSyscalls
	x32Low   bool                   // OCIOptions.X32LowWord
	lacking  map[*arch.Arch]*lacking
	problems []Problem

	top     ociTop
	entries []ociEntry // after includes/excludes
}

// ociTop is a profile's top level; syscall entries are decoded one by one
// so that an error in one of them has its position.
type ociTop struct {
	DefaultAction    specs.LinuxSeccompAction `json:"defaultAction"`
	DefaultErrnoRet  *uint                    `json:"defaultErrnoRet"`
	Architectures    []specs.Arch             `json:"architectures"`
	ArchMap          []seccomp.Architecture   `json:"archMap"`
	Flags            []specs.LinuxSeccompFlag `json:"flags"`
	ListenerPath     string                   `json:"listenerPath"`
	ListenerMetadata string                   `json:"listenerMetadata"`
	Syscalls         []json.RawMessage        `json:"syscalls"`
}

// ociEntry is one syscalls[] entry that applies.
type ociEntry struct {
	index int // in syscalls[]
	call  specs.LinuxSyscall
}

// goToDocker maps GOARCH to the arch names Docker's profiles use in
// includes/excludes "arches" (moby/profiles: goToNative).
var goToDocker = map[string]string{
	"386": "x86", "amd64": "amd64", "arm": "arm", "arm64": "arm64",
	"loong64": "loongarch64", "mips64": "mips64", "mips64le": "mipsel64",
	"mipsle": "mipsel", "ppc64": "ppc64", "ppc64le": "ppc64le",
	"riscv64": "riscv64", "s390x": "s390x",
}

// dockerToSCMP maps those names to the SCMP_ARCH_ names of archMap.
var dockerToSCMP = map[string]specs.Arch{
	"x86": specs.ArchX86, "amd64": specs.ArchX86_64, "arm": specs.ArchARM,
	"arm64": specs.ArchAARCH64, "loongarch64": specs.ArchLOONGARCH64,
	"mips64": specs.ArchMIPS64, "mipsel64": specs.ArchMIPSEL64,
	"mipsel": specs.ArchMIPSEL, "ppc64": specs.ArchPPC64,
	"ppc64le": specs.ArchPPC64LE, "riscv64": specs.ArchRISCV64,
	"s390x": specs.ArchS390X,
}

// ociArches are the arch names the runtime spec defines; libseccomp knows
// them all, cbpf not all (n32, ppc, s390, parisc).
var ociArches = []specs.Arch{
	specs.ArchX86, specs.ArchX86_64, specs.ArchX32, specs.ArchARM, specs.ArchAARCH64,
	specs.ArchMIPS, specs.ArchMIPS64, specs.ArchMIPS64N32, specs.ArchMIPSEL,
	specs.ArchMIPSEL64, specs.ArchMIPSEL64N32, specs.ArchPPC, specs.ArchPPC64,
	specs.ArchPPC64LE, specs.ArchS390, specs.ArchS390X, specs.ArchPARISC,
	specs.ArchPARISC64, specs.ArchRISCV64, specs.ArchLOONGARCH64,
}

func newOCIConv(name string, data []byte, opts OCIOptions) (*ociConv, error) {
	c := &ociConv{name: name, data: data, newSys: opts.NewSyscalls, x32Low: opts.X32LowWord}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, c.jsonError("", 0, err)
	}
	c.index = indexJSON(data)

	body := data
	base := 0
	if _, ok := probe["defaultAction"]; !ok {
		if _, ok := probe["syscalls"]; !ok {
			// A config.json: the profile is linux.seccomp.
			if _, ok := probe["ociVersion"]; ok || probe["linux"] != nil {
				var cfg struct {
					Linux *struct {
						Seccomp json.RawMessage `json:"seccomp"`
					} `json:"linux"`
				}
				if err := json.Unmarshal(data, &cfg); err != nil {
					return nil, c.jsonError("", 0, err)
				}
				if cfg.Linux == nil || len(cfg.Linux.Seccomp) == 0 || string(cfg.Linux.Seccomp) == "null" {
					return nil, c.errf("", "config has no linux.seccomp: the container runs without a filter")
				}
				c.prefix = "linux.seccomp."
				body = cfg.Linux.Seccomp
				base = c.index["linux.seccomp"]
			}
		}
	}
	if err := json.Unmarshal(body, &c.top); err != nil {
		return nil, c.jsonError("", base, err)
	}
	c.unknownFields(body)

	// The host arch, as libseccomp's native arch and Docker's filter key.
	c.host = arch.Host()
	if opts.Arch != "" {
		a, err := arch.Lookup(opts.Arch)
		if err != nil {
			return nil, fmt.Errorf("policy: OCIOptions.Arch: %w", err)
		}
		c.host = a
	}
	if c.host == nil || c.host.GoArch == "" {
		return nil, fmt.Errorf("policy: host arch %v: give OCIOptions.Arch, an arch Go runs on", c.host)
	}
	c.native = goToDocker[c.host.GoArch]

	c.caps = DockerDefaultCaps()
	if opts.Caps != nil {
		c.caps = nil
		for _, s := range opts.Caps {
			s = strings.ToUpper(strings.TrimSpace(s))
			if !strings.HasPrefix(s, "CAP_") {
				s = "CAP_" + s
			}
			c.caps = append(c.caps, s)
		}
	}
	if opts.Kernel != "" {
		// Parsed as Docker parses the running kernel's release.
		var kv seccomp.KernelVersion
		if _, err := fmt.Sscanf(opts.Kernel, "%d.%d", &kv.Kernel, &kv.Major); err != nil {
			return nil, fmt.Errorf("policy: OCIOptions.Kernel %q: want a version such as 6.1: %v", opts.Kernel, err)
		}
		c.kernel = &kv
	}
	if err := c.expand(); err != nil {
		return nil, err
	}
	return c, nil
}

// expand applies Docker's archMap, includes and excludes, as moby's
// setupSeccomp does for the host arch, caps and kernel of c.
func (c *ociConv) expand() error {
	t := &c.top
	if t.DefaultAction == "" && len(t.Syscalls) == 0 {
		return c.errf("", "no defaultAction and no syscalls: Docker runs such a profile without a filter")
	}
	if len(t.Architectures) > 0 && len(t.ArchMap) > 0 {
		return c.errf("archMap", "both architectures and archMap are given; use one")
	}
	for _, m := range t.ArchMap {
		if m.Arch == dockerToSCMP[c.native] {
			t.Architectures = append(append(t.Architectures, m.Arch), m.SubArches...)
			break
		}
	}
	for i, raw := range t.Syscalls {
		path := fmt.Sprintf("syscalls[%d]", i)
		var s seccomp.Syscall
		if err := json.Unmarshal(raw, &s); err != nil {
			return c.jsonError(path, c.offset(path), err)
		}
		if s.Name != "" {
			if len(s.Names) > 0 {
				return c.errf(path+".name", "both name and names are given; use names")
			}
			s.Names = []string{s.Name}
		}
		ok, err := c.applies(path, &s)
		if err != nil {
			return err
		}
		if ok {
			c.entries = append(c.entries, ociEntry{index: i, call: s.LinuxSyscall})
		}
	}
	return nil
}

// applies evaluates an entry's includes and excludes.
func (c *ociConv) applies(path string, s *seccomp.Syscall) (bool, error) {
	hasCap := func(cap string) bool { return slices.Contains(c.caps, cap) }
	if f := s.Excludes; f != nil {
		if slices.Contains(f.Arches, c.native) {
			return false, nil
		}
		if slices.ContainsFunc(f.Caps, hasCap) {
			return false, nil
		}
		if f.MinKernel != nil {
			ge, err := c.kernelAtLeast(path+".excludes.minKernel", *f.MinKernel)
			if err != nil || ge {
				return false, err
			}
		}
	}
	if f := s.Includes; f != nil {
		if len(f.Arches) > 0 && !slices.Contains(f.Arches, c.native) {
			return false, nil
		}
		for _, cp := range f.Caps {
			if !hasCap(cp) {
				return false, nil
			}
		}
		if f.MinKernel != nil {
			ge, err := c.kernelAtLeast(path+".includes.minKernel", *f.MinKernel)
			if err != nil || !ge {
				return false, err
			}
		}
	}
	return true, nil
}

func (c *ociConv) kernelAtLeast(path string, min seccomp.KernelVersion) (bool, error) {
	kv := c.kernel
	if kv == nil {
		var uts unix.Utsname
		if err := unix.Uname(&uts); err != nil {
			return false, c.errf(path, "minKernel: cannot read the kernel version (%v); set OCIOptions.Kernel", err)
		}
		rel := unix.ByteSliceToString(uts.Release[:])
		var v seccomp.KernelVersion
		if _, err := fmt.Sscanf(rel, "%d.%d", &v.Kernel, &v.Major); err != nil {
			return false, c.errf(path, "minKernel: kernel release %q: %v; set OCIOptions.Kernel", rel, err)
		}
		c.kernel = &v
		kv = &v
	}
	return kv.Kernel > min.Kernel || kv.Kernel == min.Kernel && kv.Major >= min.Major, nil
}

// spec returns the expanded profile in the runtime spec's form, as moby's
// LoadProfile gives it to runc.
func (c *ociConv) spec() *specs.LinuxSeccomp {
	s := &specs.LinuxSeccomp{
		DefaultAction:    c.top.DefaultAction,
		DefaultErrnoRet:  c.top.DefaultErrnoRet,
		Architectures:    c.top.Architectures,
		Flags:            c.top.Flags,
		ListenerPath:     c.top.ListenerPath,
		ListenerMetadata: c.top.ListenerMetadata,
	}
	for _, e := range c.entries {
		s.Syscalls = append(s.Syscalls, e.call)
	}
	return s
}

// ociRule is a rule on its way into the policy.
type ociRule struct {
	Rule
	conds []*Cmp // ANDed; nil: unconditional
}

func (c *ociConv) policy() (*Policy, error) {
	t := &c.top
	def, err := c.action("defaultAction", t.DefaultAction, t.DefaultErrnoRet, "defaultErrnoRet")
	if err != nil {
		return nil, err
	}
	if def == UserNotif {
		return nil, c.errf("defaultAction", "SCMP_ACT_NOTIFY cannot be the default action (runc refuses it)")
	}
	p := &Policy{Default: def, BadArch: KillProcess, X32LowWord: c.x32Low}

	// libseccomp's native arch first, then the profile's.
	p.Arches = []*arch.Arch{c.host}
	for i, name := range t.Architectures {
		path := fmt.Sprintf("architectures[%d]", i)
		if c.prefix == "" && len(t.ArchMap) > 0 {
			path = "archMap"
		}
		if !slices.Contains(ociArches, name) {
			return nil, c.errf(path, "unknown architecture %q (SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64, ...)", name)
		}
		a, err := arch.Lookup(string(name))
		if err != nil {
			c.warnf(path, "architecture %s is not supported by cbpf; its calls get the bad-arch action", name)
			continue
		}
		if a.ByteOrder != c.host.ByteOrder {
			// seccomp_arch_add fails with EDOM: one libseccomp filter
			// cannot serve both byte orders, and runc gives up.
			return nil, c.errf(path, "architecture %s is %s-endian and %s is not: libseccomp cannot build one filter for both (runc fails with EDOM)",
				name, endianName(a), c.host.Name)
		}
		if !slices.Contains(p.Arches, a) {
			p.Arches = append(p.Arches, a)
		}
	}
	if len(t.Flags) > 0 {
		c.warnf("flags", "flags are install options, not part of the policy: pass them to the loader")
	}

	var rules []*ociRule
	for _, e := range c.entries {
		path := fmt.Sprintf("syscalls[%d]", e.index)
		act, err := c.action(path+".action", e.call.Action, e.call.ErrnoRet, path+".errnoRet")
		if err != nil {
			return nil, err
		}
		var conds []*Cmp
		count := [6]int{}
		for k, a := range e.call.Args {
			ap := fmt.Sprintf("%s.args[%d]", path, k)
			cmp, err := c.cond(ap, a)
			if err != nil {
				return nil, err
			}
			count[cmp.Arg]++
			conds = append(conds, cmp)
		}
		split := false
		for i, n := range count {
			if n > 1 {
				split = true
				c.warnf(path+".args", "%d conditions on argument %d: runc adds each condition of this entry as a rule of its own, so they are ORed, not ANDed", n, i)
				break
			}
		}
		if len(e.call.Names) == 0 {
			c.warnf(path, "no syscall names: the entry does nothing")
		}
		for j, name := range e.call.Names {
			np := fmt.Sprintf("%s.names[%d]", path, j)
			if name == "" {
				return nil, c.errf(np, "empty syscall name (runc refuses it)")
			}
			if act == UserNotif && name == "write" {
				return nil, c.errf(np, "SCMP_ACT_NOTIFY cannot be used for write (runc refuses it)")
			}
			if act == def {
				continue // runc drops them: libseccomp refuses them
			}
			if !c.known(p, np, name) {
				continue
			}
			pos := c.pos(np)
			if !split {
				rules = append(rules, &ociRule{Rule: Rule{Syscall: name, Action: act, Pos: pos}, conds: conds})
				continue
			}
			for _, cmp := range conds {
				rules = append(rules, &ociRule{Rule: Rule{Syscall: name, Action: act, Pos: pos}, conds: []*Cmp{cmp}})
			}
		}
	}
	c.warnLacking(p)
	rules, err = c.merge(rules)
	if err != nil {
		return nil, err
	}
	c.warnMultiplexed(p, rules)
	c.warnX32Args(p, rules)
	for _, r := range rules {
		switch len(r.conds) {
		case 0:
		case 1:
			r.When = r.conds[0]
		default:
			and := make(And, len(r.conds))
			for i, x := range r.conds {
				and[i] = x
			}
			r.When = and
		}
		p.Rules = append(p.Rules, r.Rule)
	}
	c.warnLibseccompBugs(p) // oci_compat.go
	return p, nil
}

// warnMultiplexed warns where a rule on a call that an arch also offers
// through socketcall or ipc means something else on that path in
// libseccomp than in Eval (found by experiment with libseccomp 2.5.4):
// libseccomp replaces a condition on arg0 with the call number but
// compares the other conditions with the multiplexer's own arguments, and
// an unconditional rule on the multiplexer replaces the rule there.
func (c *ociConv) warnMultiplexed(p *Policy, rules []*ociRule) {
	for _, r := range rules {
		for _, a := range p.Arches {
			mux, call, ok := a.Multiplexed(r.Syscall)
			if !ok {
				continue
			}
			i := slices.IndexFunc(rules, func(u *ociRule) bool { return u.Syscall == mux && len(u.conds) == 0 })
			switch {
			case i >= 0 && rules[i].Action != r.Action:
				c.problems = append(c.problems, Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf(
					"%s on %s: through %s(%d) libseccomp applies the unconditional %s rule at %s instead of this one (%s); Eval applies the most restrictive",
					r.Syscall, a.Name, mux, call, mux, rules[i].Pos, ActionText(r.Action))})
			case i < 0 && slices.ContainsFunc(r.conds, func(x *Cmp) bool { return x.Arg > 0 }):
				c.problems = append(c.problems, Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf(
					"%s on %s: through %s(%d) libseccomp compares this rule's conditions on arg1..arg5 with %s's own arguments; Eval applies the rule there without conditions",
					r.Syscall, a.Name, mux, call, mux)})
			default:
				continue
			}
			break
		}
	}
}

// warnX32Args warns, once, where the profile's x32 rules mean something
// else than in runc's filter: libseccomp 2.5.4 compares x32 arguments on
// their low 32 bits, cbpf on all 64 (the kernel passes 64-bit registers),
// so a call whose argument has high bits set, or a constant wider than 32
// bits, is decided differently.
func (c *ociConv) warnX32Args(p *Policy, rules []*ociRule) {
	i := slices.IndexFunc(p.Arches, func(a *arch.Arch) bool { return a.Name == "x32" })
	if p.X32LowWord || i < 0 {
		return
	}
	for _, r := range rules {
		if len(r.conds) == 0 {
			continue
		}
		if _, ok := p.Arches[i].SyscallNumber(r.Syscall); !ok {
			continue
		}
		c.problems = append(c.problems, Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf(
			"%s on x32: cbpf compares the arguments on all 64 bits, as the kernel passes them; libseccomp 2.5.4 (runc) compares only their low 32 bits, so x32 calls with high argument bits set are decided differently (OCIOptions.X32LowWord, --x32-low-word, does as runc does); further x32 rules with conditions are not reported",
			r.Syscall)})
		return
	}
}

// known reports whether some target arch has the syscall. Arches that
// lack it are noted in c.lacking, for one warning per arch.
func (c *ociConv) known(p *Policy, path, name string) bool {
	if !c.newSys && !slices.ContainsFunc(p.Arches, func(a *arch.Arch) bool {
		_, ok := a.SyscallNumber(name)
		return ok && a.KnownToLibseccomp(name)
	}) && slices.ContainsFunc(p.Arches, func(a *arch.Arch) bool { _, ok := a.SyscallNumber(name); return ok }) {
		c.warnf(path, "%s is newer than libseccomp 2.5.4, so runc skips it; skipped (keep it with the NewSyscalls option, --new-syscalls)", name)
		return false
	}
	var lack []*arch.Arch
	for _, a := range p.Arches {
		if _, ok := a.SyscallNumber(name); ok {
			continue
		}
		if _, _, ok := a.Multiplexed(name); ok {
			continue
		}
		lack = append(lack, a)
	}
	if len(lack) == len(p.Arches) {
		var ns []string
		for _, a := range lack {
			ns = append(ns, a.Name)
		}
		c.warnf(path, "unknown syscall %q on %s: runc ignores it", name, strings.Join(ns, ", "))
		return false
	}
	for _, a := range lack {
		if c.lacking == nil {
			c.lacking = map[*arch.Arch]*lacking{}
		}
		l := c.lacking[a]
		if l == nil {
			l = &lacking{pos: c.pos(path)}
			c.lacking[a] = l
		}
		if !slices.Contains(l.names, name) {
			l.names = append(l.names, name)
		}
	}
	return true
}

// lacking lists the names of a profile an arch has no syscall for.
type lacking struct {
	pos   string // of the first
	names []string
}

// warnLacking gives one warning per arch for the names it lacks: a
// profile for several arches names calls of all of them, so this is
// expected, and runc says nothing.
func (c *ociConv) warnLacking(p *Policy) {
	for _, a := range p.Arches {
		if l := c.lacking[a]; l != nil {
			c.problems = append(c.problems, Problem{Pos: l.pos, Warning: true, Msg: fmt.Sprintf(
				"%d syscall names have no syscall on %s; their rules are skipped there: %s",
				len(l.names), a.Name, strings.Join(l.names, " "))})
		}
	}
}

// merge does to the rules of each syscall what libseccomp's rule database
// does (found by experiment with libseccomp 2.5.4): the first
// unconditional rule replaces all others; a conditional rule whose
// conditions include all of another's is absorbed by it; the same
// conditions with another action are an error (EEXIST, runc fails).
func (c *ociConv) merge(rules []*ociRule) ([]*ociRule, error) {
	bySys := map[string][]*ociRule{}
	var order []string
	for _, r := range rules {
		if _, ok := bySys[r.Syscall]; !ok {
			order = append(order, r.Syscall)
		}
		bySys[r.Syscall] = append(bySys[r.Syscall], r)
	}
	var out []*ociRule
	for _, name := range order {
		rs := bySys[name]
		if i := slices.IndexFunc(rs, func(r *ociRule) bool { return len(r.conds) == 0 }); i >= 0 {
			u := rs[i]
			for _, r := range rs {
				if r != u && r.Action != u.Action {
					c.problems = append(c.problems, Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf(
						"%s: this rule (%s) has no effect: libseccomp keeps only the unconditional rule at %s (%s)",
						name, ActionText(r.Action), u.Pos, ActionText(u.Action))})
				}
			}
			out = append(out, u)
			continue
		}
		var kept []*ociRule
	next:
		for _, r := range rs {
			for _, k := range kept {
				if sameConds(k.conds, r.conds) {
					if k.Action != r.Action {
						return nil, &OCIError{Pos: r.Pos, Msg: fmt.Sprintf(
							"%s: the same conditions as the rule at %s with another action (%s, %s): libseccomp refuses it (EEXIST) and runc fails",
							name, k.Pos, ActionText(k.Action), ActionText(r.Action))}
					}
					continue next
				}
			}
			kept = append(kept, r)
		}
		// Absorption: a rule whose conditions are a superset of another's.
		var final []*ociRule
		for _, r := range kept {
			absorbed := false
			for _, k := range kept {
				if k != r && subset(k.conds, r.conds) && !sameConds(k.conds, r.conds) {
					absorbed = true
					if k.Action != r.Action {
						c.problems = append(c.problems, Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf(
							"%s: this rule (%s) has no effect: its conditions include those of the rule at %s (%s), which libseccomp applies instead",
							name, ActionText(r.Action), k.Pos, ActionText(k.Action))})
					}
					break
				}
			}
			if !absorbed {
				final = append(final, r)
			}
		}
		for i, a := range final {
			for _, b := range final[i+1:] {
				if a.Action != b.Action && overlap(a.conds, b.conds) {
					win := a
					if MoreRestrictive(b.Action, a.Action) {
						win = b
					}
					c.problems = append(c.problems, Problem{Pos: b.Pos, Warning: true, Msg: fmt.Sprintf(
						"%s: ambiguous: this rule (%s) and the rule at %s (%s) can both match; Eval takes the most restrictive, %s, while libseccomp's choice depends on its rule tree",
						name, ActionText(b.Action), a.Pos, ActionText(a.Action), ActionText(win.Action))})
				}
			}
		}
		out = append(out, final...)
	}
	return out, nil
}

func sameConds(a, b []*Cmp) bool { return subset(a, b) && subset(b, a) }

// subset reports whether every condition of a is in b.
func subset(a, b []*Cmp) bool {
	for _, x := range a {
		if !slices.ContainsFunc(b, func(y *Cmp) bool { return *x == *y }) {
			return false
		}
	}
	return true
}

// overlap reports whether some arguments satisfy both conjunctions. The
// arguments are independent, so it tries, one argument at a time,
// candidate values built from the constants; with masks it can miss an
// overlap (then there is no warning), never invent one.
func overlap(a, b []*Cmp) bool {
	all := append(append([]*Cmp(nil), a...), b...)
	for i := 0; i < 6; i++ {
		var cs []*Cmp
		for _, x := range all {
			if x.Arg == i {
				cs = append(cs, x)
			}
		}
		if len(cs) == 0 {
			continue
		}
		cands := []uint64{0, ^uint64(0)}
		for _, x := range cs {
			cands = append(cands, x.Value-1, x.Value, x.Value+1)
		}
		for _, x := range cs {
			if x.Op != MaskedEQ {
				continue
			}
			n := len(cands)
			for _, v := range cands[:n] {
				cands = append(cands, v&^x.Mask|x.Value)
			}
		}
		found := false
		for _, v := range cands {
			var args [6]uint64
			args[i] = v
			if !slices.ContainsFunc(cs, func(x *Cmp) bool { return !x.Eval(&args) }) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

var ociOps = map[specs.LinuxSeccompOperator]Op{
	specs.OpEqualTo: EQ, specs.OpNotEqual: NE, specs.OpLessThan: LT,
	specs.OpLessEqual: LE, specs.OpGreaterThan: GT, specs.OpGreaterEqual: GE,
	specs.OpMaskedEqual: MaskedEQ,
}

func (c *ociConv) cond(path string, a specs.LinuxSeccompArg) (*Cmp, error) {
	if a.Index > 5 {
		return nil, c.errf(path+".index", "argument index %d: syscalls have arguments 0 to 5", a.Index)
	}
	op, ok := ociOps[a.Op]
	if !ok {
		return nil, c.errf(path+".op", "unknown operator %q (SCMP_CMP_EQ, NE, LT, LE, GT, GE, MASKED_EQ)", a.Op)
	}
	cmp := &Cmp{Arg: int(a.Index), Op: op, Value: a.Value, Bits: 64}
	if op == MaskedEQ {
		// libseccomp compares (arg & value) == (valueTwo & value): the
		// bits of valueTwo outside the mask do not count.
		cmp.Mask, cmp.Value = a.Value, a.ValueTwo&a.Value
		if a.ValueTwo&^a.Value != 0 {
			c.warnf(path, "valueTwo %#x has bits outside the mask %#x; libseccomp ignores them and tests (arg%d & %#x) == %#x",
				a.ValueTwo, a.Value, a.Index, cmp.Mask, cmp.Value)
		}
	} else if a.ValueTwo != 0 {
		c.warnf(path+".valueTwo", "valueTwo is only used by SCMP_CMP_MASKED_EQ; ignored")
	}
	return cmp, nil
}

// action converts an action the way runc's getAction does.
func (c *ociConv) action(path string, a specs.LinuxSeccompAction, errnoRet *uint, retPath string) (Action, error) {
	data := uint16(unix.EPERM)
	if errnoRet != nil {
		if *errnoRet > 0xffff {
			c.warnf(retPath, "%d does not fit in 16 bits; runc keeps the low 16 bits, %d", *errnoRet, uint16(*errnoRet))
		}
		data = uint16(*errnoRet)
	}
	usesRet := false // the action carries errnoRet
	var act Action
	switch a {
	case specs.ActKill, specs.ActKillThread:
		act = KillThread
	case specs.ActKillProcess:
		act = KillProcess
	case specs.ActTrap:
		act = Trap(0)
	case specs.ActErrno:
		act, usesRet = Errno(data), true
	case specs.ActTrace:
		act, usesRet = Trace(data), true
	case specs.ActAllow:
		act = Allow
	case specs.ActLog:
		act = Log
	case specs.ActNotify:
		act = UserNotif
	case "":
		return 0, c.errf(path, "missing action (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, ...)")
	default:
		return 0, c.errf(path, "unknown action %q (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, ...)", a)
	}
	if errnoRet != nil && !usesRet {
		c.warnf(retPath, "ignored: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE use it")
	}
	if act.Kind() == Errno(0) && data >= 4095 {
		// Found by experiment: libseccomp 2.5.4 refuses ERRNO(4095) and
		// above (EINVAL), so runc fails.
		p := retPath
		if errnoRet == nil {
			p = path
		}
		return 0, c.errf(p, "errno %d: libseccomp refuses errno values above 4094, so runc fails", data)
	}
	return act, nil
}

// unknownFields warns about the first field no profile format defines (a
// typo such as "errnoret" otherwise goes unnoticed).
func (c *ociConv) unknownFields(body []byte) {
	var strict struct {
		seccomp.Seccomp
		Comment any `json:"comment"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&strict); err != nil && strings.Contains(err.Error(), "unknown field") {
		c.warnf("", "%s: ignored", strings.TrimPrefix(err.Error(), "json: "))
	}
}

func (c *ociConv) warnf(path, format string, a ...any) {
	c.problems = append(c.problems, Problem{Pos: c.pos(path), Warning: true, Msg: fmt.Sprintf(format, a...)})
}

func (c *ociConv) errf(path, format string, a ...any) error {
	return &OCIError{Pos: c.pos(path), Msg: fmt.Sprintf(format, a...)}
}

// jsonError adds a position to a decoding error; base is the offset of
// the part that was decoded.
func (c *ociConv) jsonError(path string, base int, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// The offset is just past the byte that broke the syntax.
		return &OCIError{Pos: c.at(base+max(int(syn.Offset)-1, 0), c.prefix+path), Msg: "bad JSON: " + syn.Error()}
	case errors.As(err, &typ):
		// The offset is just past the bad value: the path is the last
		// value that starts before it.
		off, p := -1, c.prefix+path
		for q, o := range c.index {
			if o < base+int(typ.Offset) && (o > off || o == off && len(q) > len(p)) {
				off, p = o, q
			}
		}
		return &OCIError{Pos: c.at(off, p), Msg: fmt.Sprintf("bad value: %s where %s is expected", typ.Value, typ.Type)}
	}
	return &OCIError{Pos: c.pos(path), Msg: err.Error()}
}

func (c *ociConv) offset(path string) int {
	if off, ok := c.index[c.prefix+path]; ok {
		return off
	}
	return -1
}

// pos is "name:line:col: path" for a path of the profile.
func (c *ociConv) pos(path string) string {
	p := c.prefix + path
	if path == "" {
		p = strings.TrimSuffix(c.prefix, ".")
	}
	return c.at(c.offset(path), p)
}

func (c *ociConv) at(off int, path string) string {
	var parts []string
	if c.name != "" {
		parts = append(parts, c.name)
	}
	if off >= 0 && off <= len(c.data) {
		line := 1 + bytes.Count(c.data[:off], []byte("\n"))
		col := off - bytes.LastIndexByte(c.data[:off], '\n')
		parts = append(parts, strconv.Itoa(line), strconv.Itoa(col))
	}
	s := strings.Join(parts, ":")
	if path != "" {
		if s != "" {
			s += ": "
		}
		s += path
	}
	return s
}

// indexJSON maps the path of every value in a JSON document
// ("syscalls[3].args[0].op") to the offset where the value starts.
func indexJSON(data []byte) map[string]int {
	idx := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(data))
	start := func() int {
		off := int(dec.InputOffset())
		for off < len(data) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
			off++
		}
		return off
	}
	var walk func(path string) bool
	walk = func(path string) bool {
		off := start()
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		idx[path] = off
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return false
				}
				key, _ := k.(string)
				p := key
				if path != "" {
					p = path + "." + key
				}
				if !walk(p) {
					return false
				}
			}
			_, err = dec.Token()
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if !walk(fmt.Sprintf("%s[%d]", path, i)) {
					return false
				}
			}
			_, err = dec.Token()
		}
		return err == nil
	}
	walk("")
	return idx
}

func endianName(a *arch.Arch) string {
	if a.ByteOrder == binary.BigEndian {
		return "big"
	}
	return "little"
}
