package policy

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/profiles/seccomp"
	"github.com/opencontainers/runtime-spec/specs-go"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/diag"
)

// OCIOptions tune ParseOCI.
type OCIOptions struct {
	// Caps are the capabilities the container has, for Docker's
	// includes/excludes; nil means Docker's default capability set
	// (DockerDefaultCaps). Names may omit the CAP_ prefix.
	Caps []string
	// Arch is the host arch for Docker's archMap and includes/excludes
	// "arches", and the arch libseccomp adds by itself (its native arch,
	// the first target). Any name arch.Lookup takes; it must be an arch
	// Go runs on (not x32). ParseOCI does not look at the machine it runs
	// on: unset, it is the first of Arches (x86_64 for x32, whose calls
	// an x86_64 kernel serves), and without Arches ParseOCI fails (give
	// arch.Host().Name for this machine's).
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
	// MuxWholeArg0 compares the whole of arg0 of socketcall and ipc with
	// the call number, as libseccomp 2.5.4 does (Policy.MuxWholeArg0). By
	// default cbpf reads the call as the kernel does, so that versioned
	// ipc calls cannot escape a rule.
	MuxWholeArg0 bool
	// TruncateErrno keeps the low 16 bits of an errnoRet (or Podman errno)
	// that does not fit in them, with a warning, as runc does: the filter
	// is then byte for byte runc's. By default such a value is an error,
	// since the errno the kernel returns is not the one written
	// (4294967296 would become ERRNO(0), a denied call that looks like a
	// success).
	TruncateErrno bool
	// Arches, if set, are the policy's targets, replacing libseccomp's
	// native arch and the profile's architectures (cbpf compile --arch):
	// the warnings are then about these arches.
	Arches []*arch.Arch
	// Kernel ("5.8") is the kernel version for Docker's minKernel
	// conditions; Docker takes the running kernel's (cbpf compile does
	// too, on Linux, unless --kernel is given). ParseOCI does not read the
	// running kernel: unset, a profile with a minKernel condition in an
	// entry that otherwise applies is an error at that condition, and one
	// without is read as it would be on any kernel.
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

// OCIError is an error in a profile; its Pos prints as
// "file:line:col: JSON path". It is diag.Error: ParseOCI reports a
// diag.List of them, one or more per bad syscalls entry (at most
// diag.MaxErrors).
type OCIError = diag.Error

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
//   - Arches: OCIOptions.Arch (libseccomp always adds its native arch,
//     and checks it first) and those listed in architectures. Calls from other arches get the policy's
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
//
//   - socketcall's and ipc's call number is read as the kernel reads it
//     (arch.MuxCall: the low 32 bits; for ipc the low 16, bits 16 to 31
//     being an interface version); libseccomp compares the whole of arg0,
//     so runc's filter lets ipc(SHMGET | 1<<16, ...) escape a shmget rule
//     (OCIOptions.MuxWholeArg0 does as libseccomp does).
//
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
//   - An errnoRet that does not fit in the 16 data bits of a seccomp
//     return value is an error: runc keeps its low 16 bits, so that
//     4294967296 becomes ERRNO(0), a denied call that looks like a
//     success (OCIOptions.TruncateErrno does as runc does, with a
//     warning).
//
// Podman's profiles (containers/common pkg/seccomp) may give errno and
// defaultErrno, an errno name ("EPERM", with its value on OCIOptions.Arch; with
// OCIOptions.Arches, the value it has on all of them: a name whose value
// differs between them, such as EDQUOT on mips, is an error) or a
// decimal number; Podman then uses them instead of errnoRet and
// defaultErrnoRet, and so does ParseOCI (with a warning when both are given
// and differ: Docker reads errnoRet only). In a config.json, whose reader
// is runc, they are unknown fields.
//
// Fields no format defines are reported, each at its position, and
// ignored; a field spelt in another case ("errnoret") is read as Go's JSON
// decoding reads it, as the field it matches, with a warning. Docker's
// and Podman's comment fields are accepted. OCIOptions.Arches replaces the
// targets (libseccomp's native arch and the profile's architectures), and
// the warnings are about them.
//
// Not modelled: runc's ENOSYS stub for syscalls newer than the profile
// (runc answers ENOSYS, not the default action, for numbers above the
// highest one the profile names), flags and the notify listener.
//
// Errors and warnings carry "name:line:col: JSON path". On an error, the
// warnings found before it are returned with it.
func ParseOCI(name string, data []byte, opts OCIOptions) (*Policy, []Problem, error) {
	c, err := newOCIConv(name, data, opts)
	if err != nil {
		return nil, c.problems.result(name), err
	}
	p, err := c.policy()
	if err != nil {
		return nil, c.problems.result(name), err
	}
	return p, c.problems.result(name), nil
}

// ePERM is EPERM, 1 on every Linux arch: the errno runc's filters return
// when a profile gives none.
const ePERM = 1

// maxProfile is the largest profile ParseOCI reads: positions are kept as
// 32-bit offsets, and real profiles are some 100 KB.
const maxProfile = 1 << 30

// ociConv holds the state of one ParseOCI.
type ociConv struct {
	name     string
	data     []byte
	lines    *lineTable
	index    map[string]int // JSON path -> offset, for the values outside syscalls[]
	entryOff []int          // offsets of the syscalls[] entries
	entryEnd []int          // and where each ends
	ent      *entryIndex    // the values of the entry being converted
	prefix   string         // "linux.seccomp." for a config.json
	native   string         // Docker's name for the host arch ("amd64")
	host     *arch.Arch
	caps     []string
	kernel   *seccomp.KernelVersion // OCIOptions.Kernel; nil: unset
	newSys   bool                   // OCIOptions.NewSyscalls
	x32Low   bool                   // OCIOptions.X32LowWord
	muxWhole bool                   // OCIOptions.MuxWholeArg0
	truncate bool                   // OCIOptions.TruncateErrno
	arches   []*arch.Arch           // OCIOptions.Arches
	lacking  map[*arch.Arch]*lacking
	problems problemList

	top     ociTop
	entries []int // the syscalls[] entries that apply (includes/excludes)
}

// ociTop is a profile's top level; syscall entries are decoded one by one
// so that an error in one of them has its position.
type ociTop struct {
	DefaultAction    specs.LinuxSeccompAction `json:"defaultAction"`
	DefaultErrnoRet  *uint                    `json:"defaultErrnoRet"`
	DefaultErrno     string                   `json:"defaultErrno"` // Podman's
	Architectures    []specs.Arch             `json:"architectures"`
	ArchMap          []seccomp.Architecture   `json:"archMap"`
	Flags            []specs.LinuxSeccompFlag `json:"flags"`
	ListenerPath     string                   `json:"listenerPath"`
	ListenerMetadata string                   `json:"listenerMetadata"`
	Syscalls         []skipValue              `json:"syscalls"` // read one by one, from data
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

// newOCIConv reads the profile; on an error it returns the conversion so
// far, with its warnings.
func newOCIConv(name string, data []byte, opts OCIOptions) (*ociConv, error) {
	c := &ociConv{name: name, data: data, newSys: opts.NewSyscalls, x32Low: opts.X32LowWord, muxWhole: opts.MuxWholeArg0,
		truncate: opts.TruncateErrno, arches: opts.Arches, lines: newLineTable(data)}
	if len(data) > maxProfile {
		return c, diag.Errorf(diag.At(name, 0, 0), diag.CodeTooLong, "%d bytes: cbpf reads profiles of at most %d bytes", len(data), maxProfile)
	}
	var probe map[string]skipValue // which keys there are
	if err := json.Unmarshal(data, &probe); err != nil {
		return c, c.jsonError("", 0, err)
	}
	// A key given twice in an object: runc would read the last value, a
	// reader likely the first. Refused, each at its second key.
	var dups diag.List
	dupKeys(data, func(path []jsonStep, off int) {
		dups.Add(diag.Errorf(c.where(off, pathString(path)), diag.CodeDuplicate, "key %s given again in the same object (JSON readers keep the last value): keep one", quote(path[len(path)-1].key)))
	})
	if len(dups) > 0 {
		return c, dups
	}

	body := data
	base := 0
	if _, ok := probe["defaultAction"]; !ok {
		if _, ok := probe["syscalls"]; !ok {
			// A config.json: the profile is linux.seccomp.
			_, version := probe["ociVersion"]
			if _, linux := probe["linux"]; version || linux {
				var cfg struct {
					Linux *struct {
						Seccomp json.RawMessage `json:"seccomp"`
					} `json:"linux"`
				}
				if err := json.Unmarshal(data, &cfg); err != nil {
					return c, c.jsonError("", 0, err)
				}
				if cfg.Linux == nil || len(cfg.Linux.Seccomp) == 0 || string(cfg.Linux.Seccomp) == "null" {
					start := len(data) - len(bytes.TrimLeft(data, " \t\r\n"))
					return c, diag.Errorf(c.where(start, ""), diag.CodeMissing, "config has no linux.seccomp: the container runs without a filter")
				}
				c.prefix = "linux.seccomp."
				body = cfg.Linux.Seccomp
			}
		}
	}
	c.indexTop()
	if c.prefix != "" {
		base = c.index["linux.seccomp"]
	}
	if err := json.Unmarshal(body, &c.top); err != nil {
		return c, c.jsonError("", base, err)
	}
	if len(c.entryOff) != len(c.top.Syscalls) {
		return c, fmt.Errorf("policy: %s: found %d syscalls entries, decoded %d", name, len(c.entryOff), len(c.top.Syscalls))
	}

	// The host arch, as libseccomp's native arch and Docker's filter key:
	// given, never read from the machine.
	if opts.Arch != "" {
		a, err := arch.Lookup(opts.Arch)
		if err != nil {
			return c, fmt.Errorf("policy: OCIOptions.Arch: %w", err)
		}
		c.host = a
	} else if len(opts.Arches) > 0 {
		c.host = opts.Arches[0]
		if c.host.GoArch == "" { // x32
			c.host, _ = arch.Lookup("x86_64")
		}
	} else {
		return c, errors.New("policy: OCIOptions.Arch is unset: name the arch the filter is for (arch.Host().Name for this machine's)")
	}
	if c.host.GoArch == "" {
		return c, fmt.Errorf("policy: OCIOptions.Arch %s: give an arch Go runs on (libseccomp's native arch)", c.host.Name)
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
			return c, fmt.Errorf("policy: OCIOptions.Kernel %q: want a version such as 6.1: %v", opts.Kernel, err)
		}
		c.kernel = &kv
	}
	if err := c.expand(); err != nil {
		return c, err
	}
	return c, nil
}

// expand applies Docker's archMap, includes and excludes, as moby's
// setupSeccomp does for the host arch, caps and kernel of c.
func (c *ociConv) expand() error {
	t := &c.top
	if t.DefaultAction == "" && len(t.Syscalls) == 0 {
		return c.errf("", diag.CodeMissing, "no defaultAction and no syscalls: Docker runs such a profile without a filter")
	}
	if len(t.Architectures) > 0 && len(t.ArchMap) > 0 {
		return c.errf("archMap", diag.CodeConflict, "both architectures and archMap are given; use one")
	}
	for _, m := range t.ArchMap {
		if m.Arch == dockerToSCMP[c.native] {
			t.Architectures = append(append(t.Architectures, m.Arch), m.SubArches...)
			break
		}
	}
	for i := range t.Syscalls {
		c.ent = c.indexEntry(i, c.entryOff[i], c.entryBytes(i), true)
		e, err := c.entry(i)
		if err != nil {
			return err
		}
		ok, err := c.applies(fmt.Sprintf("syscalls[%d]", i), &e.Syscall)
		if err != nil {
			return err
		}
		if ok {
			c.entries = append(c.entries, i)
		}
	}
	c.ent = nil
	return nil
}

// dockerEntry is a syscalls[] entry of a Docker or Podman profile.
type dockerEntry struct {
	seccomp.Syscall
	Errno string `json:"errno"` // Podman's
}

// entry decodes syscalls[i]. The entries are decoded again where they
// are needed rather than kept: a profile of 10 MB would otherwise stay in
// memory several times over.
func (c *ociConv) entry(i int) (*dockerEntry, error) {
	path := fmt.Sprintf("syscalls[%d]", i)
	var e dockerEntry
	if err := json.Unmarshal(c.entryBytes(i), &e); err != nil {
		// moby's KernelVersion reports a bad minKernel without saying
		// where: find it, and say so at the value.
		ei := c.indexEntry(i, c.entryOff[i], c.entryBytes(i), false)
		for _, k := range []string{"includes.minKernel", "excludes.minKernel"} {
			off := ei.offset(k)
			if off < 0 {
				continue
			}
			var kv seccomp.KernelVersion
			if kerr := json.Unmarshal(c.data[off:jsonValueEnd(c.data, off)], &kv); kerr != nil {
				return nil, diag.Errorf(c.where(off, c.prefix+path+"."+k), diag.CodeJSON, "bad minKernel %s: a string \"<kernel>.<major>\" such as \"5.4\" is expected", shorten(string(c.data[off:jsonValueEnd(c.data, off)])))
			}
		}
		return nil, c.jsonError(path, c.offset(path), err)
	}
	if c.prefix != "" {
		e.Errno = "" // runc ignores it
	}
	//lint:ignore SA1019 old profiles still use name, and Docker reads it
	if name := e.Name; name != "" {
		if len(e.Names) > 0 {
			return nil, c.errf(path+".name", diag.CodeConflict, "both name and names are given; use names")
		}
		e.Names = []string{name}
	}
	return &e, nil
}

// entryBytes returns the text of syscalls[i].
func (c *ociConv) entryBytes(i int) []byte { return c.data[c.entryOff[i]:c.entryEnd[i]] }

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
		return false, c.errf(path, diag.CodeMissing, "minKernel %d.%d: the kernel version is unset: set OCIOptions.Kernel (cbpf compile --kernel)", min.Kernel, min.Major)
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
	for _, i := range c.entries {
		e, err := c.entry(i)
		if err != nil {
			panic(err) // decoded before
		}
		s.Syscalls = append(s.Syscalls, e.LinuxSyscall)
	}
	return s
}

// ociRule is a rule on its way into the policy.
type ociRule struct {
	Rule
	conds []*Cmp   // ANDed; nil: unconditional
	where diag.Pos // Rule.Pos, for errors
}

func (c *ociConv) policy() (*Policy, error) {
	t := &c.top
	def, err := c.action("defaultAction", t.DefaultAction, t.DefaultErrnoRet, "defaultErrnoRet", t.DefaultErrno, "defaultErrno")
	if err != nil {
		return nil, err
	}
	if def == UserNotif {
		return nil, c.errf("defaultAction", diag.CodeUnsupported, "SCMP_ACT_NOTIFY cannot be the default action (runc refuses it)")
	}
	p := &Policy{Default: def, BadArch: KillProcess, X32LowWord: c.x32Low, MuxWholeArg0: c.muxWhole}

	// libseccomp's native arch first, then the profile's; or the arches
	// the caller gives.
	p.Arches = []*arch.Arch{c.host}
	if len(c.arches) > 0 {
		p.Arches = slices.Clone(c.arches)
	}
	// A bad arch or a bad syscalls entry does not end the conversion: the
	// errors of every one are reported, up to diag.MaxErrors.
	var errs diag.List
	for i, name := range t.Architectures {
		path := fmt.Sprintf("architectures[%d]", i)
		if c.prefix == "" && len(t.ArchMap) > 0 {
			path = "archMap"
		}
		if !slices.Contains(ociArches, name) {
			errs.Add(diag.Errorf(c.posOf(path), diag.CodeUnknownArch, "unknown architecture %s (SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64, ...)", quote(string(name))))
			continue
		}
		if len(c.arches) > 0 {
			continue // replaced
		}
		a, err := arch.Lookup(string(name))
		if err != nil {
			c.warnf(path, "architecture %s is not supported by cbpf; its calls get the bad-arch action", name)
			continue
		}
		if a.ByteOrder != c.host.ByteOrder {
			// seccomp_arch_add fails with EDOM: one libseccomp filter
			// cannot serve both byte orders, and runc gives up.
			errs.Add(diag.Errorf(c.posOf(path), diag.CodeConflict, "architecture %s is %s-endian and %s is not: libseccomp cannot build one filter for both (runc fails with EDOM)",
				name, endianName(a), c.host.Name))
			continue
		}
		if !slices.Contains(p.Arches, a) {
			p.Arches = append(p.Arches, a)
		}
	}
	if len(t.Flags) > 0 {
		c.warnf("flags", "flags are install options, not part of the policy: pass them to the loader")
	}

	var rules []*ociRule
	for _, index := range c.entries {
		if errs.Full() {
			break
		}
		rs, err := c.entryRules(p, def, index)
		if err == nil {
			rules = append(rules, rs...)
			continue
		}
		es := diag.Errors(err)
		if es == nil {
			return nil, err
		}
		if !addAll(&errs, es) {
			break
		}
	}
	if len(errs) > 0 {
		c.ent = nil
		return nil, errs
	}
	c.ent = nil
	c.warnLacking(p)
	rules, err = c.merge(rules)
	if err != nil {
		return nil, err
	}
	c.warnMultiplexed(p, rules)
	c.warnX32Args(p, rules)
	c.warnArg32(p, rules) // arg32note.go
	narrowed := map[string]bool{}
	for _, r := range rules {
		if msg := exemptNote(r.Syscall, r.Action, p.Arches); msg != "" {
			c.problems.add(Problem{Pos: r.Pos, Warning: true, Msg: msg})
		}
		on := narrowArches(p, p.Arches, func(a *arch.Arch) bool { return hasSyscall(a, r.Syscall) })
		for _, x := range r.conds {
			msg := narrowNote(x, fmt.Sprintf("arg%d", x.Arg), on)
			if msg == "" || narrowed[msg] {
				continue
			}
			narrowed[msg] = true // once, for the entry's first name
			c.problems.add(Problem{Pos: r.Pos, Warning: true, Msg: r.Syscall + ": " + msg})
		}
	}
	for _, r := range rules {
		r.When = r.when()
		p.Rules = append(p.Rules, r.Rule)
	}
	c.warnLibseccompBugs(p) // oci_compat.go
	return p, nil
}

// entryRules converts syscalls[index], an entry that applies, to rules.
func (c *ociConv) entryRules(p *Policy, def Action, index int) ([]*ociRule, error) {
	var rules []*ociRule
	path := fmt.Sprintf("syscalls[%d]", index)
	c.ent = c.indexEntry(index, c.entryOff[index], c.entryBytes(index), false)
	de, err := c.entry(index)
	if err != nil {
		return nil, err
	}
	e := struct {
		call  specs.LinuxSyscall
		errno string
	}{de.LinuxSyscall, de.Errno}
	act, err := c.action(path+".action", e.call.Action, e.call.ErrnoRet, path+".errnoRet", e.errno, path+".errno")
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
	seen := map[string]bool{}
	var dups []string
	for j, name := range e.call.Names {
		np := fmt.Sprintf("%s.names[%d]", path, j)
		if seen[name] {
			if len(dups) < 10 && !slices.Contains(dups, name) {
				dups = append(dups, name)
			}
			continue // the same rule again
		}
		seen[name] = true
		if name == "" {
			return nil, c.errf(np, diag.CodeMissing, "empty syscall name (runc refuses it)")
		}
		if act == UserNotif && name == "write" {
			return nil, c.errf(np, diag.CodeUnsupported, "SCMP_ACT_NOTIFY cannot be used for write (runc refuses it)")
		}
		if act == def {
			continue // runc drops them: libseccomp refuses them
		}
		if !c.known(p, np, name) {
			continue
		}
		where := c.posOf(np)
		pos := where.String()
		if !split {
			rules = append(rules, &ociRule{Rule: Rule{Syscall: name, Action: act, Pos: pos}, conds: conds, where: where})
			continue
		}
		for _, cmp := range conds {
			rules = append(rules, &ociRule{Rule: Rule{Syscall: name, Action: act, Pos: pos}, conds: []*Cmp{cmp}, where: where})
		}
	}
	if len(dups) > 0 {
		c.warnf(path+".names", "%s listed more than once: one rule each", strings.Join(dups, ", "))
	}
	return rules, nil
}

// addAll adds es to l and reports whether l takes more.
func addAll(l *diag.List, es []*diag.Error) bool {
	for _, e := range es {
		if !l.Add(e) {
			return false
		}
	}
	return true
}

// warnMultiplexed warns where a rule on a call that an arch also offers
// through socketcall or ipc means something else on that path: libseccomp
// (found by experiment with libseccomp 2.5.4), like Eval and the compiler,
// replaces the rule's conditions on arg0 by the call number and compares
// its other conditions with the multiplexer's own registers (muxNotes says
// what they hold); and an unconditional rule on the multiplexer replaces
// the rule there.
func (c *ociConv) warnMultiplexed(p *Policy, rules []*ociRule) {
	all := make([]Rule, len(rules))
	for i, r := range rules {
		all[i] = r.Rule
		all[i].When = r.when()
	}
	fb := map[string]muxFallback{
		arch.Socketcall: fallbackOf(p.Default, all, arch.Socketcall),
		arch.IPC:        fallbackOf(p.Default, all, arch.IPC),
	}
	for k, r := range rules {
		for _, a := range p.Arches {
			if msg := structArgNote(a, r.Syscall, all[k].When); msg != "" {
				c.problems.add(Problem{Pos: r.Pos, Warning: true, Msg: msg + " (runc installs the filter all the same)"})
			}
			mux, call, ok := a.Multiplexed(r.Syscall)
			if !ok {
				continue
			}
			i := slices.IndexFunc(rules, func(u *ociRule) bool { return u.Syscall == mux && len(u.conds) == 0 })
			if i >= 0 {
				if rules[i].Action != r.Action {
					c.problems.add(Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf(
						"%s on %s: through %s(%d) libseccomp applies the unconditional %s rule at %s instead of this one (%s); Eval applies the most restrictive",
						r.Syscall, a.Name, mux, call, mux, rules[i].Pos, ActionText(r.Action))})
				}
				continue
			}
			for _, msg := range muxNotes(a, all[k], p.ArgBits(a), fb[mux], p, true) {
				c.problems.add(Problem{Pos: r.Pos, Warning: true, Msg: msg})
			}
			// Conditional rules on the multiplexer with another action
			// that can match the same call.
			for j, u := range rules {
				if u.Syscall != mux || u.Action == r.Action || len(u.conds) == 0 {
					continue
				}
				w := And{p.MuxCallPredicate(mux, call), all[j].When}
				if m := MuxPredicate(all[k].When); m != nil {
					w = append(w, m)
				}
				width := p.ArgBits(a)
				if width == 32 {
					w = Narrow(w).(And)
				}
				var none [6]bool
				if !analyseMux(w, &none, false, width).canTrue {
					continue
				}
				act := r.Action
				if MoreRestrictive(u.Action, act) {
					act = u.Action
				}
				c.problems.add(Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf(
					"%s on %s: a call through %s(%s) can match both this rule (%s) and the %s rule at %s (%s): cbpf's filter gives it %s, the more restrictive, unless a more restrictive rule matches too; which one runc's filter (libseccomp 2.5.4) applies depends on how it merges the two",
					r.Syscall, a.Name, mux, muxCallName(mux, r.Syscall), ActionText(r.Action), mux, u.Pos, ActionText(u.Action), ActionText(act))})
			}
		}
	}
}

// when is the rule's predicate: its conditions ANDed.
func (r *ociRule) when() Expr {
	switch len(r.conds) {
	case 0:
		return nil
	case 1:
		return r.conds[0]
	}
	and := make(And, len(r.conds))
	for i, x := range r.conds {
		and[i] = x
	}
	return and
}

// warnX32Args warns where a rule tests, on x32, an argument the kernel
// reads as a 64-bit value (not arch.Arch.Arg32: an off_t, a pointer):
// cbpf compares it on all 64 bits, libseccomp 2.5.4 (runc, and
// OCIOptions.X32LowWord) on its low word only, so that some call is
// decided differently; the warning names one, found with Eval. On the
// arguments the kernel reads as 32-bit both compare the low word.
func (c *ociConv) warnX32Args(p *Policy, rules []*ociRule) {
	i := slices.IndexFunc(p.Arches, func(a *arch.Arch) bool { return a.Name == "x32" })
	if p.X32LowWord || i < 0 {
		return
	}
	for _, msg := range x32Notes(p, p.Arches[i], ociRules(rules)) {
		c.problems.add(Problem{Pos: msg.pos, Warning: true, Msg: msg.msg})
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
		c.warnf(path, "unknown syscall %s on %s: runc ignores it", quote(name), strings.Join(ns, ", "))
		return false
	}
	for _, a := range lack {
		if c.lacking == nil {
			c.lacking = map[*arch.Arch]*lacking{}
		}
		l := c.lacking[a]
		if l == nil {
			l = &lacking{pos: c.pos(path), seen: map[string]bool{}}
			c.lacking[a] = l
		}
		if !l.seen[name] {
			l.seen[name] = true
			l.names = append(l.names, name)
		}
	}
	return true
}

// lacking lists the names of a profile an arch has no syscall for.
type lacking struct {
	pos   string // of the first
	names []string
	seen  map[string]bool
}

// warnLacking gives one warning per arch for the names it lacks: a
// profile for several arches names calls of all of them, so this is
// expected, and runc says nothing.
func (c *ociConv) warnLacking(p *Policy) {
	for _, a := range p.Arches {
		if l := c.lacking[a]; l != nil {
			c.problems.add(Problem{Pos: l.pos, Warning: true, Msg: fmt.Sprintf(
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
					c.problems.add(Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf(
						"%s: this rule (%s) has no effect: libseccomp keeps only the unconditional rule at %s (%s)",
						name, ActionText(r.Action), u.Pos, ActionText(u.Action))})
				}
			}
			out = append(out, u)
			continue
		}
		// The same conditions twice: one rule, or EEXIST.
		var kept []*ociRule
		byKey := map[string]int{} // condsKey -> index in kept
		for _, r := range rs {
			key := condsKey(r.conds)
			if i, ok := byKey[key]; ok {
				if k := kept[i]; k.Action != r.Action {
					return nil, diag.Errorf(r.where, diag.CodeConflict,
						"%s: the same conditions as the rule at %s with another action (%s, %s): libseccomp refuses it (EEXIST) and runc fails",
						name, k.Pos, ActionText(k.Action), ActionText(r.Action))
				}
				continue
			}
			byKey[key] = len(kept)
			kept = append(kept, r)
		}
		// Absorption: a rule whose conditions are a superset of another's.
		// A rule has at most one condition per argument (runc splits the
		// others), so its proper subsets are few: look them up.
		var final []*ociRule
		for _, r := range kept {
			k := absorber(r, kept, byKey)
			if k == nil {
				final = append(final, r)
				continue
			}
			if k.Action != r.Action {
				c.problems.add(Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf(
					"%s: this rule (%s) has no effect: its conditions include those of the rule at %s (%s), which libseccomp applies instead",
					name, ActionText(r.Action), k.Pos, ActionText(k.Action))})
			}
		}
		if len(final) > maxOverlapRules {
			c.problems.add(Problem{Pos: final[0].Pos, Warning: true, Msg: fmt.Sprintf(
				"%s: %d rules with conditions; not checked for rules with different actions that can both match (more than %d)", name, len(final), maxOverlapRules)})
		} else {
			for i, a := range final {
				for _, b := range final[i+1:] {
					if a.Action != b.Action && overlap(a.conds, b.conds) {
						win := a
						if MoreRestrictive(b.Action, a.Action) {
							win = b
						}
						c.problems.add(Problem{Pos: b.Pos, Warning: true, Msg: fmt.Sprintf(
							"%s: ambiguous: this rule (%s) and the rule at %s (%s) can both match; Eval takes the most restrictive, %s, while libseccomp's choice depends on its rule tree",
							name, ActionText(b.Action), a.Pos, ActionText(a.Action), ActionText(win.Action))})
					}
				}
			}
		}
		out = append(out, final...)
	}
	return out, nil
}

// maxOverlapRules bounds the pairwise search for rules of one syscall that
// can both match: past it the search would take quadratic time for a
// warning.
const maxOverlapRules = 256

// condsKey identifies a set of conditions.
func condsKey(cs []*Cmp) string {
	keys := make([]string, 0, len(cs))
	for _, x := range cs {
		keys = append(keys, fmt.Sprintf("%d/%d/%d/%x/%x/%s/%s", x.Arg, x.Op, x.Bits, x.Mask, x.Value, x.MaskName, x.ValueName))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	return strings.Join(keys, ";")
}

// absorber returns the first rule of kept whose conditions are a proper
// subset of r's, or nil.
func absorber(r *ociRule, kept []*ociRule, byKey map[string]int) *ociRule {
	var set []*Cmp // r's distinct conditions
	for _, x := range r.conds {
		if !slices.ContainsFunc(set, func(y *Cmp) bool { return *x == *y }) {
			set = append(set, x)
		}
	}
	best := -1
	if len(set) > 12 {
		for i, k := range kept {
			if k != r && subset(k.conds, r.conds) && !subset(r.conds, k.conds) {
				return kept[i]
			}
		}
		return nil
	}
	for mask := 1; mask < 1<<len(set)-1; mask++ {
		var sub []*Cmp
		for i, x := range set {
			if mask&(1<<i) != 0 {
				sub = append(sub, x)
			}
		}
		if i, ok := byKey[condsKey(sub)]; ok && (best < 0 || i < best) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	return kept[best]
}

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
		return nil, c.errf(path+".index", diag.CodeRange, "argument index %d: syscalls have arguments 0 to 5", a.Index)
	}
	op, ok := ociOps[a.Op]
	if !ok {
		return nil, c.errf(path+".op", diag.CodeUnknownName, "unknown operator %q (SCMP_CMP_EQ, NE, LT, LE, GT, GE, MASKED_EQ)", a.Op)
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

// action converts an action the way runc's getAction does, with its
// errno from errnoRet, or from Podman's errno when the profile gives one
// (Podman then ignores errnoRet).
func (c *ociConv) action(path string, a specs.LinuxSeccompAction, errnoRet *uint, retPath, errno, errnoPath string) (Action, error) {
	var act Action
	usesRet := false // the action carries errnoRet
	switch a {
	case specs.ActKill, specs.ActKillThread:
		act = KillThread
	case specs.ActKillProcess:
		act = KillProcess
	case specs.ActTrap:
		act = Trap(0)
	case specs.ActErrno:
		act, usesRet = Errno(0), true
	case specs.ActTrace:
		act, usesRet = Trace(0), true
	case specs.ActAllow:
		act = Allow
	case specs.ActLog:
		act = Log
	case specs.ActNotify:
		act = UserNotif
	case "":
		return 0, c.errf(path, diag.CodeMissing, "missing action (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, ...)")
	default:
		return 0, c.errf(path, diag.CodeUnknownName, "unknown action %s (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, ...)", quote(string(a)))
	}
	if errno != "" && c.prefix == "" {
		// Podman (containers/common pkg/seccomp, getErrno): a decimal
		// number, else a name of its errno table, with the host's value.
		v, err := podmanErrno(errno, c.host, c.arches)
		if err != nil {
			return 0, c.errf(errnoPath, diag.CodeUnknownName, "%v", err)
		}
		if errnoRet != nil && *errnoRet != v {
			c.warnf(errnoPath, "errno %s (%d) and errnoRet %d disagree: Podman uses errno, Docker errnoRet; cbpf uses errno", quote(errno), v, *errnoRet)
		}
		errnoRet, retPath = &v, errnoPath
	}
	if errnoRet != nil && !usesRet {
		c.warnf(retPath, "ignored: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE use it")
	}
	if !usesRet {
		return act, nil
	}
	data := uint16(ePERM)
	if errnoRet != nil {
		if *errnoRet > 0xffff {
			low := uint16(*errnoRet)
			what := ""
			if act == Errno(0) && low == 0 {
				what = " (ERRNO(0): a denied call would look like a success)"
			}
			if !c.truncate {
				return 0, c.errf(retPath, diag.CodeRange, "%d does not fit in the 16 bits of a seccomp return value: runc would keep its low 16 bits, %d%s; write the value the call should return, or keep runc's truncation with OCIOptions.TruncateErrno (--truncate-errno)", *errnoRet, low, what)
			}
			c.warnf(retPath, "%d does not fit in 16 bits; runc keeps the low 16 bits, %d%s (OCIOptions.TruncateErrno)", *errnoRet, low, what)
		}
		data = uint16(*errnoRet)
	}
	if act == Errno(0) && data >= MaxErrno {
		// Found by experiment: libseccomp 2.5.4 refuses ERRNO(4095) and
		// above (EINVAL), so runc fails; the kernel would return larger
		// values as 4095.
		p := retPath
		if errnoRet == nil {
			p = path
		}
		return 0, c.errf(p, diag.CodeRange, "errno %d: libseccomp refuses errno values above 4094, so runc fails", data)
	}
	return act | Action(data), nil
}

// podmanErrnos are the errno names Podman's profiles may give
// (containers/common pkg/seccomp/errno_list.go).
var podmanErrnos = strings.Fields(`EPERM ENOENT ESRCH EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EDEADLK ENOMEM
EACCES EFAULT ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY
EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EAGAIN EINPROGRESS EALREADY ENOTSOCK EDESTADDRREQ
EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT
EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN
ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED ELOOP ENAMETOOLONG EHOSTDOWN EHOSTUNREACH
ENOTEMPTY EUSERS EDQUOT ESTALE EREMOTE ENOLCK ENOSYS EILSEQ ENOMEDIUM EMEDIUMTYPE EOVERFLOW ECANCELED
EIDRM ENOMSG ENOTSUP EBADMSG ENOTRECOVERABLE EOWNERDEAD`)

// podmanErrno reads Podman's errno field: a decimal number below 2^32, or
// one of its names, which takes the value it has on the host arch
// (OCIOptions.Arch: Podman is built for it). With explicit targets (OCIOptions.Arches) the name must
// have one value on all of them, as constants must in the policy
// language: EDQUOT and ENOTSUP, for instance, differ on mips.
func podmanErrno(s string, host *arch.Arch, targets []*arch.Arch) (uint, error) {
	if v, err := strconv.ParseUint(s, 10, 32); err == nil {
		return uint(v), nil
	}
	if slices.Contains(podmanErrnos, s) {
		if len(targets) == 0 {
			targets = []*arch.Arch{host}
		}
		var first *arch.Arch
		var n int64
		for _, a := range targets {
			v, ok := constValue(s, a)
			if !ok || v < 0 {
				return 0, fmt.Errorf("%s is not defined on %s: write the number", s, a.Name)
			}
			if first != nil && v != n {
				return 0, fmt.Errorf("%s is %d on %s but %d on %s: write the number, or one profile per arch", s, n, first.Name, v, a.Name)
			}
			first, n = a, v
		}
		return uint(n), nil
	}
	msg := "unknown errno " + quote(s) + ": Podman refuses it (a decimal number, or a name such as EPERM"
	if n := suggest(s, podmanErrnos); n != "" {
		msg += "; did you mean " + n + "?"
	}
	return 0, errors.New(msg + ")")
}

func (c *ociConv) warnf(path, format string, a ...any) {
	if c.problems.full() {
		return // counted, not built: a file of many problems
	}
	c.problems.add(Problem{Pos: c.pos(path), Warning: true, Msg: fmt.Sprintf(format, a...)})
}

// warnAt warns at an offset, about a full path (with the config.json
// prefix).
func (c *ociConv) warnAt(off int, path, format string, a ...any) {
	if c.problems.full() {
		return // counted, not built: a file of many problems
	}
	c.problems.add(Problem{Pos: c.at(off, path), Warning: true, Msg: fmt.Sprintf(format, a...)})
}

func (c *ociConv) errf(path string, code diag.Code, format string, a ...any) error {
	return diag.Errorf(c.posOf(path), code, format, a...)
}

// jsonError adds a position to a decoding error; base is the offset of
// the part that was decoded.
func (c *ociConv) jsonError(path string, base int, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// The offset is just past the byte that broke the syntax.
		msg := syn.Error()
		if strings.HasSuffix(msg, "exceeded max depth") {
			msg = fmt.Sprintf("nesting too deep (limit %d, encoding/json's)", maxJSONDepth)
		}
		code := diag.CodeJSON
		if strings.HasPrefix(msg, "nesting") {
			code = diag.CodeNesting
		}
		return &OCIError{Pos: c.where(base+max(int(syn.Offset)-1, 0), c.prefix+path), Code: code, Msg: "bad JSON: " + msg}
	case errors.As(err, &typ):
		// The offset is just past the bad value: the path is the last
		// value that starts before it.
		target := base + int(typ.Offset)
		off, p := -1, c.prefix+path
		if c.ent != nil {
			rel, o := c.ent.lastBefore(target)
			off, p = o, c.ent.path
			if rel != "" {
				p += "." + rel
			}
		} else {
			for q, o := range c.index {
				if o < target && (o > off || o == off && len(q) > len(p)) {
					off, p = o, q
				}
			}
		}
		want := typ.Type.String()
		if typ.Type.Kind() == reflect.Map || typ.Type.Kind() == reflect.Struct {
			want = "an object"
		}
		return diag.Errorf(c.where(off, p), diag.CodeJSON, "bad value: %s where %s is expected", shorten(typ.Value), want)
	}
	return diag.Errorf(c.posOf(path), diag.CodeJSON, "%s", err.Error())
}

// offset finds a path of the profile (without the config.json prefix), or
// -1: in the entry being converted, or among the values outside
// syscalls[].
func (c *ociConv) offset(path string) int {
	full := c.prefix + path
	if e := c.ent; e != nil && strings.HasPrefix(full, e.path) && (len(full) == len(e.path) || full[len(e.path)] == '.') {
		return e.offset(strings.TrimPrefix(full[len(e.path):], "."))
	}
	var i int
	if _, err := fmt.Sscanf(path, "syscalls[%d]", &i); err == nil && path == fmt.Sprintf("syscalls[%d]", i) && i >= 0 && i < len(c.entryOff) {
		return c.entryOff[i]
	}
	if off, ok := c.index[full]; ok {
		return off
	}
	return -1
}

// pos is "name:line:col: path" for a path of the profile.
func (c *ociConv) pos(path string) string { return c.posOf(path).String() }

// posOf is the position of a path of the profile (without the
// config.json prefix).
func (c *ociConv) posOf(path string) diag.Pos {
	p := c.prefix + path
	if path == "" {
		p = strings.TrimSuffix(c.prefix, ".")
	}
	// A value that is not there (a missing field) is placed at the
	// nearest enclosing value that is.
	off := c.offset(path)
	for q := path; off < 0 && q != ""; {
		i := strings.LastIndexAny(q, ".[")
		if i < 0 {
			break
		}
		q = q[:i]
		off = c.offset(q)
	}
	return c.where(off, p)
}

func (c *ociConv) at(off int, path string) string { return c.where(off, path).String() }

// where is the position of a full path (with the config.json prefix),
// with the line and column of off if it is one.
func (c *ociConv) where(off int, path string) diag.Pos {
	line, col := 0, 0
	if off >= 0 && off <= len(c.data) {
		line, col = c.lines.at(off)
	}
	return diag.AtPath(c.name, line, col, path)
}

func endianName(a *arch.Arch) string {
	if a.ByteOrder == binary.BigEndian {
		return "big"
	}
	return "little"
}
