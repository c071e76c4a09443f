//go:build linux

package policy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moby/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
)

// The libseccomp 2.5.4 bug warnings (oci_compat.go) are claims: "runc's
// filter returns X for CALL on ARCH where the profile (and cbpf) return
// Y". These tests check every claim on the filter libseccomp itself
// exports (through python3-seccomp, testdata/libseccomp_oracle.py) and on
// cbpf's, and that no profile whose libseccomp filter differs from cbpf's
// goes without an explanation.

// compatClaim matches the call and actions of a bug warning.
var compatClaim = regexp.MustCompile(`runc's filter returns (\S+) for (\w+)\(([^)]*)\) on (\w+) where the profile \(and cbpf\) return (\S+)$`)

// refusesWarned reports whether a warning says runc fails on the profile.
func refusesWarned(probs []policy.Problem) bool {
	return slices.ContainsFunc(probs, func(p policy.Problem) bool { return strings.Contains(p.Msg, "runc fails to start") })
}

// compatKinds tell the kinds of bug warnings apart.
var compatKinds = []string{"refuses this rule (EEXIST", "miscompiles the tests", "leaves the load of the syscall number", "builds a wrong tree", "corrupts its tree", "compares only the low 32 bits"}

func isCompatWarning(msg string) bool { return strings.HasPrefix(msg, "libseccomp 2.5.4 ") }

// libseccompProgs builds the filters runc would install for profiles, in
// one run of the oracle; a nil filter means runc fails, or hangs (hung).
func libseccompProgs(t *testing.T, python string, profiles [][]byte) (progs [][]bpf.RawInstruction, hung []bool) {
	t.Helper()
	var batch []any
	for _, data := range profiles {
		spec, err := seccomp.LoadProfile(string(data), &specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{Bounding: policy.DockerDefaultCaps()}}})
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, map[string]any{"spec": spec, "native": "x86_64", "vectors": [][]any{}})
	}
	// A request takes milliseconds; libseccomp loops forever on some.
	req, err := json.Marshal(map[string]any{"batch": batch, "timeout": 3})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, filepath.Join("testdata", "libseccomp_oracle.py"))
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("libseccomp: %v\n%s", err, stderr.Bytes())
	}
	var replies []struct {
		Error *string     `json:"error"`
		Hang  bool        `json:"hang"`
		Prog  [][4]uint32 `json:"prog"`
	}
	if err := json.Unmarshal(out, &replies); err != nil || len(replies) != len(profiles) {
		t.Fatalf("oracle reply: %v (%d replies for %d profiles)", err, len(replies), len(profiles))
	}
	progs, hung = make([][]bpf.RawInstruction, len(profiles)), make([]bool, len(profiles))
	for i, r := range replies {
		hung[i] = r.Hang
		if r.Error != nil || r.Hang {
			continue
		}
		progs[i] = make([]bpf.RawInstruction, len(r.Prog))
		for j, in := range r.Prog {
			progs[i][j] = bpf.RawInstruction{Op: uint16(in[0]), Jt: uint8(in[1]), Jf: uint8(in[2]), K: in[3]}
		}
	}
	return progs, hung
}

// checkClaim parses a bug warning and checks it on libseccomp's filter,
// Eval and cbpf's filter; it returns why it does not hold, or "".
func checkClaim(t *testing.T, msg string, p *policy.Policy, ref, ours []bpf.RawInstruction) string {
	m := compatClaim.FindStringSubmatch(msg)
	if m == nil {
		return "no call in the message"
	}
	a, err := arch.Lookup(m[4])
	if err != nil {
		return err.Error()
	}
	nr, ok := a.SyscallNumber(m[2])
	if !ok {
		return "no syscall " + m[2] + " on " + a.Name
	}
	c := policy.Call{Arch: a.Audit, Nr: int32(nr)}
	if m[3] != "" {
		for _, kv := range strings.Split(m[3], ", ") {
			var i int
			var v uint64
			if _, err := fmt.Sscanf(kv, "arg%d=%v", &i, &v); err != nil || i > 5 {
				return "bad argument " + kv
			}
			c.Args[i] = v
		}
	}
	got, want, cbpf := run(t, ref, c), policy.Eval(p, c), run(t, ours, c)
	switch {
	case got.String() != m[1]:
		return fmt.Sprintf("libseccomp's filter returns %v", got)
	case want.String() != m[5]:
		return fmt.Sprintf("Eval returns %v", want)
	case cbpf != want:
		return fmt.Sprintf("cbpf's filter returns %v", cbpf)
	case got == want:
		return "no difference"
	}
	return ""
}

// The example and a minimal case of each bug, checked against
// libseccomp; and profiles that hit neither get no warning.
func TestLibseccompBugWarnings(t *testing.T) {
	python := testenv.Libseccomp(t)
	for _, tc := range []struct {
		name, profile string
		warn          string // in the warning; "" for none
	}{
		{"issue", `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
			{"names":["close"],"action":"SCMP_ACT_ERRNO","errnoRet":5,"args":[{"index":4,"op":"SCMP_CMP_LE","value":1}]},
			{"names":["close"],"action":"SCMP_ACT_ERRNO","errnoRet":6,"args":[{"index":4,"op":"SCMP_CMP_GE","value":4294967297}]}]}`,
			"the high word of arg4"},
		{"one entry", `{"defaultAction":"SCMP_ACT_TRAP","syscalls":[
			{"names":["close"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"op":"SCMP_CMP_LE","value":4294967296},{"index":1,"op":"SCMP_CMP_LE","value":2147483647}]}]}`,
			"the high word of arg1"},
		{"x86 NE then LE", `{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86"],"syscalls":[
			{"names":["close"],"action":"SCMP_ACT_ERRNO","errnoRet":2,"args":[{"index":0,"op":"SCMP_CMP_NE","value":3},{"index":1,"op":"SCMP_CMP_EQ","value":2}]},
			{"names":["close"],"action":"SCMP_ACT_ERRNO","errnoRet":3,"args":[{"index":0,"op":"SCMP_CMP_LE","value":1}]}]}`,
			"test of arg0"},
		{"x86 repaired", `{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86"],"syscalls":[
			{"names":["close"],"action":"SCMP_ACT_ERRNO","errnoRet":2,"args":[{"index":0,"op":"SCMP_CMP_EQ","value":3},{"index":1,"op":"SCMP_CMP_EQ","value":2}]},
			{"names":["close"],"action":"SCMP_ACT_ERRNO","errnoRet":3,"args":[{"index":0,"op":"SCMP_CMP_EQ","value":1}]}]}`,
			""},
		{"no nr load", `{"defaultAction":"SCMP_ACT_TRAP","architectures":["SCMP_ARCH_ARM"],"syscalls":[
			{"names":["mmap"],"action":"SCMP_ACT_ALLOW"},
			{"names":["read"],"action":"SCMP_ACT_KILL","args":[{"index":0,"op":"SCMP_CMP_MASKED_EQ","value":255,"valueTwo":2}]}]}`,
			"out of its arm code"},
		{"merge loses a rule", `{"defaultAction":"SCMP_ACT_TRACE","syscalls":[
			{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"op":"SCMP_CMP_GT","value":2147483648}]},
			{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"op":"SCMP_CMP_GE","value":1},{"index":1,"op":"SCMP_CMP_LT","value":3}]}]}`,
			"builds a wrong tree of tests from the rules of read on x86_64"},
		{"pruning drops a rule", `{"defaultAction":"SCMP_ACT_KILL","syscalls":[
			{"names":["ioctl"],"action":"SCMP_ACT_TRAP","args":[{"index":2,"op":"SCMP_CMP_EQ","value":3}]},
			{"names":["ioctl"],"action":"SCMP_ACT_ERRNO","errnoRet":5,"args":[{"index":1,"op":"SCMP_CMP_GT","value":2147483648},{"index":2,"op":"SCMP_CMP_LE","value":4294967297}]},
			{"names":["ioctl"],"action":"SCMP_ACT_TRACE","errnoRet":5,"args":[{"index":0,"op":"SCMP_CMP_LT","value":4294967298},{"index":2,"op":"SCMP_CMP_NE","value":3}]}]}`,
			"builds a wrong tree of tests from the rules of ioctl on x86_64"},
		{"a branch reaches another rule's tests", `{"defaultAction":"SCMP_ACT_LOG","syscalls":[
			{"names":["ioctl"],"action":"SCMP_ACT_TRAP","args":[{"index":0,"op":"SCMP_CMP_LE","value":3},{"index":1,"op":"SCMP_CMP_MASKED_EQ","value":255,"valueTwo":1}]},
			{"names":["ioctl"],"action":"SCMP_ACT_TRAP","args":[{"index":0,"op":"SCMP_CMP_LT","value":2147483648},{"index":2,"op":"SCMP_CMP_LT","value":2}]}]}`,
			"builds a wrong tree of tests from the rules of ioctl on x86_64"},
		{"x86 mask of high bits", `{"defaultAction":"SCMP_ACT_LOG","architectures":["SCMP_ARCH_X86"],"syscalls":[
			{"names":["ioctl"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"op":"SCMP_CMP_MASKED_EQ","value":18446744069414584320,"valueTwo":4294967296}]},
			{"names":["ioctl"],"action":"SCMP_ACT_TRAP"}]}`,
			"where the condition (arg1 & 0xffffffff00000000) == 0x100000000 of the rule at p.json:2:14"},
		{"x86 overlap in 32 bits", `{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86"],"syscalls":[
			{"names":["read"],"action":"SCMP_ACT_KILL","args":[{"index":0,"op":"SCMP_CMP_GT","value":4294967296}]},
			{"names":["read"],"action":"SCMP_ACT_TRAP","args":[{"index":0,"op":"SCMP_CMP_EQ","value":2}]}]}`,
			"rules of read with different actions overlap"},
		{"hang", `{"defaultAction":"SCMP_ACT_KILL_PROCESS","syscalls":[
			{"names":["write"],"action":"SCMP_ACT_LOG","args":[{"index":1,"op":"SCMP_CMP_GT","value":2147483648},{"index":0,"op":"SCMP_CMP_NE","value":2147483647}]},
			{"names":["write"],"action":"SCMP_ACT_TRACE","args":[{"index":0,"op":"SCMP_CMP_NE","value":2147483647},{"index":1,"op":"SCMP_CMP_MASKED_EQ","value":255,"valueTwo":2}]}]}`,
			"corrupts its tree of tests for the rules of write on x86_64"},
		{"x86 accept placeholder", `{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86"],"syscalls":[
			{"names":["accept"],"action":"SCMP_ACT_ERRNO","errnoRet":1,"args":[{"index":1,"op":"SCMP_CMP_EQ","value":1}]},
			{"names":["read"],"action":"SCMP_ACT_ERRNO","errnoRet":2,"args":[{"index":0,"op":"SCMP_CMP_GT","value":1},{"index":1,"op":"SCMP_CMP_EQ","value":2}]}]}`,
			"out of its x86 code: the entry it sorts first there (fewest tests) is accept"},
		{"EEXIST", `{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[
			{"names":["close"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"op":"SCMP_CMP_EQ","value":1},{"index":1,"op":"SCMP_CMP_EQ","value":2}]},
			{"names":["close"],"action":"SCMP_ACT_KILL","args":[{"index":0,"op":"SCMP_CMP_EQ","value":1}]}]}`,
			"runc fails to start the container"},
		{"nr loaded", `{"defaultAction":"SCMP_ACT_TRAP","architectures":["SCMP_ARCH_ARM"],"syscalls":[
			{"names":["mmap", "write"],"action":"SCMP_ACT_ALLOW"},
			{"names":["read"],"action":"SCMP_ACT_KILL","args":[{"index":0,"op":"SCMP_CMP_MASKED_EQ","value":255,"valueTwo":2}]}]}`,
			""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.profile)
			p, probs, err := policy.ParseOCI("p.json", data, policy.OCIOptions{X32LowWord: true, MuxWholeArg0: true, Arch: "x86_64"})
			if err != nil {
				t.Fatal(err)
			}
			refs, hung := libseccompProgs(t, python, [][]byte{data})
			ref := refs[0]
			if hung[0] {
				if len(probs) == 0 || !strings.Contains(probs[len(probs)-1].String(), tc.warn) {
					t.Fatalf("libseccomp hangs; want a warning with %q, got %v", tc.warn, probs)
				}
				t.Log(probs[len(probs)-1])
				return
			}
			if ref == nil {
				if tc.warn == "" || !slices.ContainsFunc(probs, func(p policy.Problem) bool {
					return strings.Contains(p.Msg, tc.warn) && refusesWarned([]policy.Problem{p})
				}) {
					t.Fatalf("runc refuses the profile; warnings %v", probs)
				}
				return
			}
			bad := policy.KillThread
			ours, err := compile.Compile(p, compile.Options{BadArch: &bad})
			if err != nil {
				t.Fatal(err)
			}
			var mine []string
			for _, pr := range probs {
				if isCompatWarning(pr.Msg) {
					mine = append(mine, pr.String())
					if why := checkClaim(t, pr.Msg, p, ref, ours); why != "" {
						t.Errorf("false claim (%s): %s", why, pr)
					}
				}
			}
			res, err := verify.Equivalent(ours, ref, verify.Seccomp)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.warn == "" && len(mine) > 0:
				t.Errorf("unexpected warning: %s", mine[0])
			case tc.warn == "" && res.Verdict != verify.Equal:
				t.Errorf("libseccomp's filter is not equivalent (%v on %+v)", res.Verdict, res.Seccomp)
			case tc.warn != "" && (len(mine) != 1 || !strings.Contains(mine[0], tc.warn)):
				t.Errorf("want one warning with %q, got %q", tc.warn, mine)
			case tc.warn != "" && res.Verdict != verify.Different:
				t.Errorf("libseccomp's filter is %v to cbpf's, but there is a warning", res.Verdict)
			}
			for _, m := range mine {
				t.Log(m)
			}
		})
	}
}

// compatProfile makes a random profile in the shape that reaches the bugs:
// several rules on few syscalls and arguments (also several conditions on
// one argument in one entry, which runc splits), 64-bit constants, every
// operator and action, several arches, and names some arches lack.
func compatProfile(r *rand.Rand) map[string]any {
	actions := []string{"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP", "SCMP_ACT_LOG", "SCMP_ACT_TRACE"}
	arches := []string{"SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_RISCV64", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_PPC64LE"}
	names := []string{"read", "write", "close", "ioctl", "mmap", "personality", "fcntl", "open", "socket", "setsockopt", "mmap2", "chmod"}
	nargs := 3
	if r.IntN(4) == 0 { // wider: every argument, calls multiplexed on x86
		names = []string{"socket", "socketcall", "semget", "ipc", "connect", "shmctl", "read", "openat", "clone", "prctl", "futex", "mmap", "open"}
		nargs = 6
	}
	ops := []string{"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"}
	vals := []uint64{0, 1, 2, 3, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 32, 0x100000001, 0x100000002, 0xffffffffffffff9c}
	prof := map[string]any{"defaultAction": actions[r.IntN(len(actions))]}
	if r.IntN(3) == 0 {
		prof["defaultErrnoRet"] = 1 + r.IntN(9)
	}
	var as []string
	for _, a := range arches {
		if r.IntN(4) == 0 {
			as = append(as, a)
		}
	}
	prof["architectures"] = as
	nnames := 2 + r.IntN(4)
	var syscalls []map[string]any
	for range 1 + r.IntN(7) {
		var ns []string
		for range 1 + r.IntN(2) {
			ns = append(ns, names[r.IntN(nnames)])
		}
		e := map[string]any{"names": ns, "action": actions[r.IntN(len(actions))]}
		if r.IntN(2) == 0 {
			e["errnoRet"] = 1 + r.IntN(9)
		}
		if r.IntN(6) != 0 {
			var args []map[string]any
			for range 1 + r.IntN(3) {
				a := map[string]any{"index": r.IntN(nargs), "op": ops[r.IntN(len(ops))], "value": vals[r.IntN(len(vals))]}
				if a["op"] == "SCMP_CMP_MASKED_EQ" {
					a["value"] = []uint64{0xff, 0x7e020000, 1, 0xffffffff00000000, 0xffffffffffffffff}[r.IntN(5)]
					a["valueTwo"] = []uint64{0, 1, 2, 0x100000000}[r.IntN(4)]
				}
				args = append(args, a)
			}
			e["args"] = args
		}
		syscalls = append(syscalls, e)
	}
	prof["syscalls"] = syscalls
	return prof
}

// sampleCalls returns calls to compare the filters on: for every target
// arch (and x32 next to x86_64) and every syscall the profile names (and
// socketcall and ipc), arguments built from the profile's constants.
func sampleCalls(r *rand.Rand, p *policy.Policy, prof map[string]any) []policy.Call {
	vals := []uint64{0, 1, ^uint64(0), 1 << 32, 0xffffffff}
	names := map[string]bool{"socketcall": true, "ipc": true}
	for _, e := range prof["syscalls"].([]map[string]any) {
		for _, n := range e["names"].([]string) {
			names[n] = true
		}
		args, _ := e["args"].([]map[string]any)
		for _, a := range args {
			for _, k := range []string{"value", "valueTwo"} {
				if v, ok := a[k].(uint64); ok {
					vals = append(vals, v, v-1, v+1, v^1<<32, v&0xffffffff, v>>32, v<<32, v|0xffffffff00000000)
				}
			}
		}
	}
	var out []policy.Call
	for _, a := range p.Targets() {
		for n := range names {
			nr, ok := a.SyscallNumber(n)
			if !ok {
				continue
			}
			for range 60 {
				c := policy.Call{Arch: a.Audit, Nr: int32(nr)}
				for i := range 3 {
					c.Args[i] = vals[r.IntN(len(vals))]
				}
				if a.ArgBits == 32 {
					for i := range c.Args {
						c.Args[i] &= 0xffffffff
					}
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// warnedFor returns the (arch, syscall) pairs the bug warnings cover:
// "*" for every syscall of an arch whose section lacks the number load.
func warnedFor(probs []policy.Problem) map[[2]string]bool {
	m := map[[2]string]bool{}
	noNr := regexp.MustCompile(`out of its (\S+) code`)
	for _, pr := range probs {
		if !isCompatWarning(pr.Msg) {
			continue
		}
		if x := noNr.FindStringSubmatch(pr.Msg); x != nil {
			for _, a := range strings.Split(x[1], "/") {
				m[[2]string{a, "*"}] = true
			}
		}
		if x := compatClaim.FindStringSubmatch(pr.Msg); x != nil {
			m[[2]string{x[4], x[2]}] = true
		}
	}
	return m
}

// callArch is the ABI of a call (x32 by its number).
func callArch(c policy.Call) *arch.Arch {
	a := arch.ByAudit(c.Arch)
	if a != nil && a.Name == "x86_64" && uint32(c.Nr)&arch.X32SyscallBit != 0 {
		a, _ = arch.Lookup("x32")
	}
	return a
}

// TestLibseccompBugsRandom checks the bug warnings on random profiles
// against libseccomp: every claim holds on libseccomp's filter, Eval and
// cbpf's filter, and every profile whose libseccomp filter is not
// equivalent to cbpf's has a warning that says so (a bug warning, or one
// of ParseOCI's other warnings about what runc's filter does). It logs
// the numbers. CBPF_LONG=1 runs 1000 profiles; CBPF_COMPAT_N sets the
// number.
func TestLibseccompBugsRandom(t *testing.T) {
	python := testenv.Libseccomp(t)
	n := 60
	if os.Getenv("CBPF_LONG") != "" {
		n = 1000
	}
	if s := os.Getenv("CBPF_COMPAT_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	r := rand.New(rand.NewPCG(compatSeed(), 2026))
	var refused, runcFails, runcFailsUnwarned, equal, warned, otherOnly, missed, falseClaims, needless int
	var diffs, diffWarned, diffAmbiguous, diffMux, hangs, corruptOK int
	kinds := map[string]int{} // warnings by kind
	var profs []map[string]any
	var datas [][]byte
	for range n {
		prof := compatProfile(r)
		data, err := json.Marshal(prof)
		if err != nil {
			t.Fatal(err)
		}
		profs, datas = append(profs, prof), append(datas, data)
	}
	refs, hung := libseccompProgs(t, python, datas)
	for i, prof := range profs {
		data := datas[i]
		p, probs, err := policy.ParseOCI("random.json", data, policy.OCIOptions{X32LowWord: true, MuxWholeArg0: true, Arch: "x86_64"})
		if err != nil {
			refused++
			continue
		}
		for _, pr := range probs {
			for _, k := range compatKinds {
				if strings.Contains(pr.Msg, k) {
					kinds[k]++
				}
			}
		}
		ref := refs[i]
		corrupt := slices.ContainsFunc(probs, func(pr policy.Problem) bool { return strings.Contains(pr.Msg, "corrupts its tree") })
		switch {
		case hung[i] && corrupt:
			hangs++
			continue
		case hung[i]:
			missed++
			t.Errorf("profile %d %s: libseccomp hangs, and no warning says so", i, data)
			continue
		case ref == nil && refusesWarned(probs):
			runcFails++
			continue
		case ref == nil:
			runcFailsUnwarned++
			continue
		case refusesWarned(probs):
			falseClaims++
			t.Errorf("profile %d %s: a warning says runc fails, but it builds a filter", i, data)
			continue
		}
		bad := policy.KillThread
		ours, err := compile.Compile(p, compile.Options{BadArch: &bad})
		if err != nil {
			t.Fatal(err)
		}
		mine := 0
		for _, pr := range probs {
			if isCompatWarning(pr.Msg) && !strings.Contains(pr.Msg, "corrupts its tree") && !strings.Contains(pr.Msg, "runc fails to start") {
				mine++
				if why := checkClaim(t, pr.Msg, p, ref, ours); why != "" {
					falseClaims++
					t.Errorf("profile %d %s: false claim (%s): %s", i, data, why, pr)
				}
			}
		}
		res, err := verify.Equivalent(ours, ref, verify.Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict == verify.Equal {
			if corrupt {
				falseClaims++
				t.Errorf("profile %d %s: libseccomp neither hangs nor decides otherwise, but a warning says it corrupts its tree", i, data)
			}
			if mine > 0 {
				needless++
			} else {
				equal++
			}
			continue
		}
		if corrupt {
			corruptOK++ // the warning says "can hang, or decide otherwise"
			continue
		}
		// Every call on which the filters differ must be explained.
		covered := warnedFor(probs)
		calls := sampleCalls(r, p, prof)
		calls = append(calls, policy.Call{Arch: res.Seccomp.Arch, Nr: res.Seccomp.Nr, Args: res.Seccomp.Args})
		unexplained := 0
		for _, c := range calls {
			got, want := run(t, ref, c), run(t, ours, c)
			if got == want {
				continue
			}
			diffs++
			a := callArch(c)
			name, _ := a.SyscallName(uint32(c.Nr))
			switch {
			case covered[[2]string{a.Name, name}] || covered[[2]string{a.Name, "*"}]:
				diffWarned++
			case (name == arch.Socketcall || name == arch.IPC) && muxBoth(p, a, name, c):
				// A rule on the multiplexer and one on the call it
				// multiplexes, with other actions, match: a warning
				// must say so.
				if !muxOverlapWarned(probs, a, name, c) {
					if unexplained++; unexplained == 1 {
						t.Errorf("profile %d %s: libseccomp's filter returns %v for %s%#x on %s, cbpf %v: rules on %s and on the call it multiplexes match, and no warning says so\npolicy:\n%s",
							i, data, got, name, c.Args, a.Name, want, name, p)
					}
					continue
				}
				diffMux++
			case ambiguous32(p, c):
				diffAmbiguous++ // ParseOCI warns (on 64 bits) or see ambiguous32
			default:
				if unexplained++; unexplained == 1 {
					t.Errorf("profile %d %s: libseccomp's filter returns %v for %s%#x on %s, cbpf %v, and no warning explains it\npolicy:\n%s",
						i, data, got, name, c.Args, a.Name, want, p)
				}
			}
		}
		switch {
		case unexplained > 0:
			missed++
		case mine > 0:
			warned++
		default:
			otherOnly++
		}
	}
	t.Logf("%d random profiles: %d refused by ParseOCI; %d accepted by ParseOCI but refused by runc, with a warning that says so, %d without; %d equivalent to libseccomp's filter, %d of them with a bug warning; %d differ with a bug warning (claims checked: %d false); %d differ only on ambiguous or multiplexed calls; %d differ on calls nothing explains",
		n, refused, runcFails, runcFailsUnwarned, equal, needless, warned, falseClaims, otherOnly, missed)
	for _, k := range compatKinds {
		t.Logf("%5d warnings %q", kinds[k], k)
	}
	t.Logf("%d profiles on which libseccomp hangs, each with a warning; %d more with that warning, on which it does not hang (and its filter differs)", hangs, corruptOK)
	t.Logf("%d sampled calls on which the filters differ: %d on warned syscalls, %d matched by rules with different actions, %d through socketcall/ipc", diffs, diffWarned, diffAmbiguous, diffMux)
}

// muxBoth reports whether a rule on multiplexer mux and one on the call
// c makes through it, with different actions, both match c (Eval's view).
func muxBoth(p *policy.Policy, a *arch.Arch, mux string, c policy.Call) bool {
	demuxed, ok := a.Demultiplex(mux, int(c.Args[0]))
	if !ok || c.Args[0] > 0xffff {
		return false
	}
	acts := map[string]map[policy.Action]bool{}
	for _, r := range p.Rules {
		if r.Syscall != mux && r.Syscall != demuxed {
			continue
		}
		q := *p
		q.Rules = []policy.Rule{r}
		q.Default = policy.Action(0xffffffff)
		if act := policy.Eval(&q, c); act != q.Default {
			if acts[r.Syscall] == nil {
				acts[r.Syscall] = map[policy.Action]bool{}
			}
			acts[r.Syscall][act] = true
		}
	}
	for x := range acts[mux] {
		for y := range acts[demuxed] {
			if x != y {
				return true
			}
		}
	}
	return false
}

// muxOverlapWarned reports whether a warning says that rules on mux and on
// the call c makes through it both match calls on a (ParseOCI's
// warnMultiplexed: "can match both", or the unconditional rule on the
// multiplexer that libseccomp applies instead).
func muxOverlapWarned(probs []policy.Problem, a *arch.Arch, mux string, c policy.Call) bool {
	demuxed, _ := a.Demultiplex(mux, int(c.Args[0]))
	for _, pr := range probs {
		if strings.HasPrefix(pr.Msg, demuxed+" on "+a.Name+": ") &&
			(strings.Contains(pr.Msg, "can match both") || strings.Contains(pr.Msg, "libseccomp applies the unconditional")) {
			return true
		}
	}
	return false
}

// ambiguous32 reports whether rules with different actions match the call
// (Eval's view of it: 32-bit comparisons on 32-bit arches).
func ambiguous32(p *policy.Policy, c policy.Call) bool {
	acts := map[policy.Action]bool{}
	for _, r := range p.Rules {
		q := *p
		q.Rules = []policy.Rule{r}
		q.Default = policy.Action(0xffffffff)
		if a := policy.Eval(&q, c); a != q.Default {
			acts[a] = true
		}
	}
	return len(acts) > 1
}

// compatSeed is CBPF_COMPAT_SEED, or 9.
func compatSeed() uint64 {
	if s, err := strconv.ParseUint(os.Getenv("CBPF_COMPAT_SEED"), 10, 64); err == nil {
		return s
	}
	return 9
}

// The model of libseccomp never loops (libseccomp itself does on the
// first profile) and its work is bounded (the second has 400 rules on one
// syscall); each gets its warning. No libseccomp needed.
func TestLibseccompModelBounded(t *testing.T) {
	var big strings.Builder
	big.WriteString(`{"defaultAction":"SCMP_ACT_KILL","architectures":["SCMP_ARCH_X86","SCMP_ARCH_X32","SCMP_ARCH_AARCH64"],"syscalls":[`)
	for i := range 400 {
		if i > 0 {
			big.WriteString(",")
		}
		fmt.Fprintf(&big, `{"names":["read"],"action":"SCMP_ACT_ERRNO","errnoRet":%d,"args":[{"index":0,"op":"SCMP_CMP_EQ","value":%d}]}`, 1+i, i)
	}
	big.WriteString("]}")
	for _, tc := range []struct{ name, profile, warn string }{
		{"hang", `{"defaultAction":"SCMP_ACT_KILL_PROCESS","syscalls":[
			{"names":["write"],"action":"SCMP_ACT_LOG","args":[{"index":1,"op":"SCMP_CMP_GT","value":2147483648},{"index":0,"op":"SCMP_CMP_NE","value":2147483647}]},
			{"names":["write"],"action":"SCMP_ACT_TRACE","args":[{"index":0,"op":"SCMP_CMP_NE","value":2147483647},{"index":1,"op":"SCMP_CMP_MASKED_EQ","value":255,"valueTwo":2}]}]}`,
			"corrupts its tree"},
		{"400 rules", big.String(), "check for libseccomp 2.5.4's bugs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan []policy.Problem, 1)
			go func() {
				_, probs, err := policy.ParseOCI("p.json", []byte(tc.profile), policy.OCIOptions{Arch: "x86_64"})
				if err != nil {
					t.Error(err)
				}
				done <- probs
			}()
			select {
			case probs := <-done:
				if !slices.ContainsFunc(probs, func(p policy.Problem) bool { return strings.Contains(p.Msg, tc.warn) }) {
					t.Errorf("no warning with %q", tc.warn)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("ParseOCI did not finish in 20 s")
			}
		})
	}
}
