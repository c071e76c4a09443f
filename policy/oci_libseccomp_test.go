//go:build linux

package policy

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/profiles/seccomp"
	"github.com/opencontainers/runtime-spec/specs-go"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

// The oracle for ParseOCI is libseccomp 2.5.4 through python3-seccomp:
// testdata/libseccomp_oracle.py builds the filter runc would build from
// the expanded profile and runs it on vectors; Eval on ParseOCI's policy
// must give the same action for every vector, except where
// testdata/oci/disagreements.txt explains why not.

const systemPython = testenv.Python

// needLibseccomp skips without python3-seccomp, but fails on CI, where
// .ci/run installs it.
func needLibseccomp(t *testing.T) { t.Helper(); testenv.Libseccomp(t) }

type oracleVector struct {
	Call
	arch string // libseccomp's name for the ABI
}

type oracleReply struct {
	Error   *string   `json:"error"`
	Unknown []string  `json:"unknown"`
	Results []uint32  `json:"results"`
	Names   []*string `json:"names"`
}

func runOracle(t *testing.T, spec *specs.LinuxSeccomp, native string, vs []oracleVector) oracleReply {
	t.Helper()
	rows := make([][]any, len(vs))
	for i, v := range vs {
		rows[i] = []any{v.Arch, v.Nr, v.Args[0], v.Args[1], v.Args[2], v.Args[3], v.Args[4], v.Args[5], v.arch}
	}
	req, err := json.Marshal(map[string]any{"spec": spec, "native": native, "vectors": rows})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(systemPython, filepath.Join("testdata", "libseccomp_oracle.py"))
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v\n%s", err, stderr.Bytes())
	}
	var r oracleReply
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("oracle reply: %v", err)
	}
	if r.Error == nil && (len(r.Results) != len(vs) || len(r.Names) != len(vs)) {
		t.Fatalf("oracle gave %d results for %d vectors", len(r.Results), len(vs))
	}
	return r
}

// interesting returns values around the constants of cs: equal, off by
// one, the other word flipped, sign-extended and truncated forms.
func interesting(cs []*Cmp) []uint64 {
	set := map[uint64]bool{0: true, ^uint64(0): true, 1 << 32: true, 0xffffffff: true}
	for _, c := range cs {
		for _, k := range []uint64{c.Value, c.Mask} {
			for _, v := range []uint64{k, k - 1, k + 1, k ^ 1<<32, k & 0xffffffff, k | 0xffffffff00000000, k >> 32, k << 32} {
				set[v] = true
			}
		}
		if c.Op == MaskedEQ {
			set[c.Value|^c.Mask] = true
			set[c.Value|(^c.Mask&0xffffffff)] = true
		}
	}
	var out []uint64
	for v := range set {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// oracleVectors derives test calls from a policy: every number of every
// target table (and of x32 next to x86_64), numbers without a name, calls
// from foreign arches, and for syscalls with conditions, arguments around
// every constant, alone and in combinations that satisfy each rule.
func oracleVectors(p *Policy, seed int64) []oracleVector {
	rng := rand.New(rand.NewSource(seed))
	var vs []oracleVector
	add := func(a *arch.Arch, nr uint32, args [6]uint64) {
		vs = append(vs, oracleVector{Call: Call{Arch: a.Audit, Nr: int32(nr), Args: args}, arch: a.Name})
	}
	abis := slices.Clone(p.Targets())
	x32, _ := arch.Lookup("x32")
	for _, a := range abis {
		if a.Name == "x86_64" && !slices.Contains(abis, x32) {
			abis = append(abis, x32)
		}
	}
	for _, f := range arch.All() {
		if f.Name == "x32" || slices.ContainsFunc(p.Targets(), func(a *arch.Arch) bool { return a.Audit == f.Audit }) {
			continue
		}
		for _, s := range f.Syscalls()[:3] {
			add(f, s.Number, [6]uint64{})
		}
	}
	conds := map[string][]*Cmp{}
	byName := map[string][]Rule{}
	for _, r := range p.Rules {
		byName[r.Syscall] = append(byName[r.Syscall], r)
		walk(r.When, func(c *Cmp) { conds[r.Syscall] = append(conds[r.Syscall], c) })
	}
	for _, a := range abis {
		var max uint32
		for _, s := range a.Syscalls() {
			max = s.Number
			add(a, s.Number, [6]uint64{})
			var rnd [6]uint64
			for i := range rnd {
				rnd[i] = rng.Uint64() >> (rng.Intn(4) * 16)
			}
			add(a, s.Number, rnd)
			if s.Name == arch.Socketcall || s.Name == arch.IPC {
				for call := uint64(0); call <= 25; call++ {
					add(a, s.Number, [6]uint64{call})
					add(a, s.Number, [6]uint64{call | 1<<16})
					add(a, s.Number, [6]uint64{call | 1<<32, 5, 6})
				}
			}
			cs := conds[s.Name]
			if len(cs) == 0 {
				continue
			}
			var vals [6][]uint64
			for i := range vals {
				var mine []*Cmp
				for _, c := range cs {
					if c.Arg == i {
						mine = append(mine, c)
					}
				}
				if len(mine) > 0 {
					vals[i] = interesting(mine)
				}
			}
			rs := byName[s.Name]
			bases := make([][6]uint64, len(rs))
			for ri, r := range rs {
				// A vector that satisfies r, then every value of every
				// argument around it.
				base := &bases[ri]
				for i := range base {
					for _, v := range vals[i] {
						base[i] = v
						var rc []*Cmp
						walk(r.When, func(c *Cmp) {
							if c.Arg == i {
								rc = append(rc, c)
							}
						})
						if !slices.ContainsFunc(rc, func(c *Cmp) bool { return !c.Eval(base) }) {
							break
						}
					}
				}
				add(a, s.Number, *base)
				for i := range vals {
					var own []*Cmp
					walk(r.When, func(c *Cmp) {
						if c.Arg == i {
							own = append(own, c)
						}
					})
					if len(own) == 0 {
						continue
					}
					for _, v := range interesting(own) {
						args := *base
						args[i] = v
						add(a, s.Number, args)
					}
				}
			}
			// Where two rules with different actions can both match.
			for i, r1 := range rs {
				for j, r2 := range rs {
					if i == j || r1.Action == r2.Action {
						continue
					}
					args := bases[j]
					walk(r1.When, func(c *Cmp) { args[c.Arg] = bases[i][c.Arg] })
					add(a, s.Number, args)
				}
			}
			for range 40 {
				var args [6]uint64
				for i := range args {
					if len(vals[i]) > 0 {
						args[i] = vals[i][rng.Intn(len(vals[i]))]
					}
				}
				add(a, s.Number, args)
			}
		}
		for _, nr := range []uint32{max + 1, max + 2, 999, 0x3fff, 0xffffffff, 0x7fffffff, 0x80000000} {
			add(a, nr, [6]uint64{})
		}
		if a.Name != "x32" {
			add(a, 0x40000000, [6]uint64{})
			add(a, 0x40000001, [6]uint64{})
		}
	}
	return vs
}

// disagreements reads testdata/oci/disagreements.txt: "case syscall reason".
func disagreements(t *testing.T) map[[2]string]string {
	f, err := os.Open(filepath.Join("testdata", "oci", "disagreements.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[[2]string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) < 3 {
			t.Fatalf("disagreements.txt: %q: want case syscall reason", line)
		}
		m[[2]string{fs[0], fs[1]}] = strings.Join(fs[2:], " ")
	}
	return m
}

// dockerSpec is the runtime spec moby's LoadProfile makes for the host.
func dockerSpec(t *testing.T, data []byte, caps []string) *specs.LinuxSeccomp {
	t.Helper()
	rs := &specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{Bounding: caps}}}
	s, err := seccomp.LoadProfile(string(data), rs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOCIAgainstLibseccomp(t *testing.T) {
	needLibseccomp(t)
	if arch.Host() == nil || arch.Host().Name != "x86_64" {
		t.Skip("the oracle cases are written for an x86_64 host (CI's)")
	}
	allowed := disagreements(t)
	kernel := testenv.RunningKernel(t) // what moby's LoadProfile reads
	used := map[[2]string]bool{}
	var mu sync.Mutex
	cases := []struct {
		name, file string
		opts       OCIOptions
		// hostSpec: compare the expansion with moby's LoadProfile and give
		// the oracle LoadProfile's output.
		hostSpec bool
	}{
		{name: "docker", file: "docker-default.json", hostSpec: true},
		{name: "docker-nocaps", file: "docker-default.json", opts: OCIOptions{Caps: []string{}}, hostSpec: true},
		{name: "docker-sysadmin", file: "docker-default.json", opts: OCIOptions{Caps: append(DockerDefaultCaps(), "CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_BPF")}, hostSpec: true},
		{name: "docker-aarch64", file: "docker-default.json", opts: OCIOptions{Arch: "aarch64", Kernel: "6.1"}},
		{name: "docker-oldkernel", file: "docker-default.json", opts: OCIOptions{Kernel: "4.4"}},
		{name: "podman", file: "podman-default.json", hostSpec: true},
		{name: "podman-nocaps", file: "podman-default.json", opts: OCIOptions{Caps: []string{"CHOWN"}}, hostSpec: true},
		{name: "allowlist", file: "allowlist.json", hostSpec: true},
		{name: "denylist", file: "denylist.json", hostSpec: true},
		{name: "operators", file: "operators.json", hostSpec: true},
		{name: "overlap", file: "overlap.json", hostSpec: true},
		{name: "oci-form", file: "oci-form.json", hostSpec: true},
		{name: "config", file: "config.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", "oci", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			// The host and kernel moby's LoadProfile and libseccomp see,
			// unless the case names others.
			base := tc.opts
			if base.Arch == "" {
				base.Arch = "x86_64"
			}
			if base.Kernel == "" {
				base.Kernel = kernel
			}
			// runc's filter compares x32 arguments on the low word; the
			// default (all 64 bits) is checked against this one below.
			opts := base
			opts.X32LowWord = true
			opts.MuxWholeArg0 = true
			p, _, perr := ParseOCI(tc.file, data, opts)
			c, err := newOCIConv(tc.file, data, opts)
			if err != nil {
				t.Fatal(err)
			}
			spec := c.spec()
			if tc.hostSpec {
				caps := c.caps
				want := dockerSpec(t, data, caps)
				if d := cmp.Diff(want, spec); d != "" {
					t.Errorf("expansion differs from moby's LoadProfile (-moby +ours):\n%s", d)
				}
				spec = want
			}
			native := c.host.Name
			if perr != nil {
				r := runOracle(t, spec, native, nil)
				if r.Error == nil {
					t.Fatalf("ParseOCI: %v, but runc + libseccomp accept the profile", perr)
				}
				return
			}
			// runc leaves libseccomp's bad-arch action, KILL_THREAD; cbpf's
			// default is KILL_PROCESS (--bad-arch kill_thread matches runc).
			if p.BadArch != KillProcess {
				t.Fatalf("ParseOCI's bad-arch action is %v, want the default KILL_PROCESS", p.BadArch)
			}
			p.BadArch = KillThread
			vs := oracleVectors(p, 1)
			r := runOracle(t, spec, native, vs)
			if r.Error != nil {
				t.Fatalf("runc + libseccomp refuse the profile (%s), ParseOCI accepts it", *r.Error)
			}
			p64, _, err := ParseOCI(tc.file, data, base)
			if err != nil {
				t.Fatal(err)
			}
			p64.BadArch = KillThread
			newer, bad, x32diff := 0, 0, 0
			for i, v := range vs {
				if Eval(p64, v.Call) != Eval(p, v.Call) {
					a, _ := arch.Lookup(v.arch)
					name, _ := a.SyscallName(uint32(v.Nr))
					mux := (name == arch.Socketcall || name == arch.IPC) && arch.MuxCall(name, v.Args[0]) != int(v.Args[0])
					if v.arch != "x32" && !mux {
						t.Errorf("%s nr %d args %#x: X32LowWord or MuxWholeArg0 changes a call that is neither x32's nor a multiplexer's with a call number the kernel reads in part", v.arch, v.Nr, v.Args)
					}
					x32diff++
				}
				a, _ := arch.Lookup(v.arch)
				name, ok := a.SyscallName(uint32(v.Nr))
				if ok && r.Names[i] == nil {
					newer++ // libseccomp 2.5.4 does not know the call
					continue
				}
				got := Eval(p, v.Call)
				want := Action(r.Results[i])
				if got == want {
					continue
				}
				key := [2]string{tc.name, name}
				if _, ok := allowed[key]; ok {
					mu.Lock()
					used[key] = true
					mu.Unlock()
					continue
				}
				if bad++; bad <= 20 {
					t.Errorf("%s nr %d (%s) args %#x: Eval %s, libseccomp %s", v.arch, v.Nr, name, v.Args, got, want)
				}
			}
			if bad > 20 {
				t.Errorf("... %d disagreements in all", bad)
			}
			t.Logf("%d vectors, %d skipped (calls newer than libseccomp 2.5.4), libseccomp ignored %d names; %d x32 or multiplexer calls decided differently without X32LowWord and MuxWholeArg0", len(vs), newer, len(r.Unknown), x32diff)
		})
	}
	t.Cleanup(func() {
		if t.Failed() {
			return
		}
		for k, why := range allowed {
			if !used[k] {
				t.Errorf("disagreements.txt: %s %s (%s) no longer disagrees: remove it", k[0], k[1], why)
			}
		}
	})
}
