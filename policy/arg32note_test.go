package policy_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
)

// The warnings about 32-bit arguments compared on 64 bits (arg32note.go)
// name two calls and what the filter gives each: these tests run both in
// the VM (compileVM, which also checks Eval) on every arch the warning
// names, and check that the calls differ only in the high words of the
// arguments named, which the kernel reads as 32-bit there.

var arg32Re = regexp.MustCompile(`^(\w+): on ([\w, ]+) the kernel reads (.+?) as (?:a 32-bit value|32-bit values) and ignores (?:its high word|their high words), but this rule compares all 64 bits: (\w+)\(([^)]*)\) gets (\S+?)( from this rule)? and (\w+)\(([^)]*)\), the same call for the kernel, gets (\S+?)( from this rule)?; `)

// arg32Claim is one such warning, read.
type arg32Claim struct {
	syscall       string
	arches        []*arch.Arch
	args          []int
	in, out       [6]uint64
	inAct, outAct policy.Action
	inRule        bool
}

func parseArgs(t *testing.T, s string) [6]uint64 {
	t.Helper()
	var v [6]uint64
	for i, f := range strings.Split(s, ", ") {
		n, err := strconv.ParseUint(f, 0, 64)
		if err != nil || i > 5 {
			t.Fatalf("argument %q in %q", f, s)
		}
		v[i] = n
	}
	return v
}

func parseArg32Claim(t *testing.T, msg string) (arg32Claim, bool) {
	t.Helper()
	m := arg32Re.FindStringSubmatch(msg)
	if m == nil {
		if strings.Contains(msg, "as a 32-bit value") || strings.Contains(msg, "as 32-bit values") {
			t.Errorf("unreadable warning %q", msg)
		}
		return arg32Claim{}, false
	}
	c := arg32Claim{syscall: m[1], in: parseArgs(t, m[5]), out: parseArgs(t, m[9]), inRule: m[7] != ""}
	if m[4] != c.syscall || m[8] != c.syscall || (m[7] != "") == (m[11] != "") {
		t.Errorf("calls or rule in %q", msg)
	}
	for _, n := range strings.Split(m[2], ", ") {
		a, err := arch.Lookup(n)
		if err != nil {
			t.Fatalf("arch %q in %q", n, msg)
		}
		c.arches = append(c.arches, a)
	}
	for _, w := range regexp.MustCompile(`arg(\d)`).FindAllStringSubmatch(m[3], -1) {
		i, _ := strconv.Atoi(w[1])
		c.args = append(c.args, i)
	}
	var err error
	if c.inAct, err = policy.ParseAction(m[6], c.arches); err != nil {
		t.Fatalf("%q: %v", msg, err)
	}
	if c.outAct, err = policy.ParseAction(m[10], c.arches); err != nil {
		t.Fatalf("%q: %v", msg, err)
	}
	return c, true
}

// checkArg32Claims checks every 32-bit argument warning in ws against
// the filter of p, and returns how many there were.
func checkArg32Claims(t *testing.T, p *policy.Policy, ws []policy.Problem) int {
	t.Helper()
	var run func(policy.Call) policy.Action
	n := 0
	for _, w := range ws {
		c, ok := parseArg32Claim(t, w.Msg)
		if !ok {
			continue
		}
		n++
		if run == nil {
			run = compileVM(t, p)
		}
		if !policy.MoreRestrictive(c.inAct, c.outAct) {
			t.Errorf("%s: the second call's action is not more permissive", w)
		}
		for i := range 6 {
			if slices.Contains(c.args, i) && !canonical(c.in[i]) {
				t.Errorf("%s: arg%d of the first call is not a zero- or sign-extended 32-bit value", w, i)
			}

			same := c.in[i] == c.out[i]
			lowSame := uint32(c.in[i]) == uint32(c.out[i])
			if !lowSame || !same && !slices.Contains(c.args, i) {
				t.Errorf("%s: the calls differ in more than the high words of %v", w, c.args)
			}
		}
		if !c.inRule && !slices.ContainsFunc(c.args, func(i int) bool { return !canonical(c.out[i]) }) {
			t.Errorf("%s: the rule lets through a call as meant", w)
		}
		for _, a := range c.arches {
			for _, i := range c.args {
				if !a.Arg32(c.syscall, i) || a.ArgBits != 64 {
					t.Errorf("%s: on %s, arg%d of %s is not a 32-bit argument of a 64-bit ABI", w, a.Name, i, c.syscall)
				}
			}
			nr, ok := a.SyscallNumber(c.syscall)
			if !ok {
				t.Fatalf("%s: %s has no %s", w, a.Name, c.syscall)
			}
			if got := run(policy.Call{Arch: a.Audit, Nr: int32(nr), Args: c.in}); got != c.inAct {
				t.Errorf("%s: on %s the filter gives the first call %v", w, a.Name, got)
			}
			if got := run(policy.Call{Arch: a.Audit, Nr: int32(nr), Args: c.out}); got != c.outAct {
				t.Errorf("%s: on %s the filter gives the second call %v", w, a.Name, got)
			}
		}
	}
	return n
}

func TestArg32Warnings(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string // substrings, one warning each
	}{
		{"default allow\narch x86_64 aarch64 x32 x86\nkill: arg1 == SIGKILL => errno(1)\n",
			[]string{"kill: on x86_64, aarch64 the kernel reads arg1 (sig) as a 32-bit value and ignores its high word, but this rule compares all 64 bits: kill(0, 9) gets errno(1) from this rule and kill(0, 0x100000009), the same call for the kernel, gets allow; write (u32)arg1"}},
		{"default allow\narch x86_64\nsetsockopt: level == SOL_SOCKET => kill_process\n",
			[]string{"setsockopt(0, 1, 0, 0, 0) gets kill_process from this rule and setsockopt(0, 0x100000001, 0, 0, 0)"}},
		{"default kill_process\narch x86_64\nsocket: arg0 != AF_PACKET => allow\n",
			[]string{"socket(17, 0, 0) gets kill_process and socket(0x100000011, 0, 0), the same call for the kernel, gets allow from this rule"}},
		{"default allow\narch x86_64\nkill: pid == -1 => errno(1)\n",
			[]string{"kill(0xffffffffffffffff, 0) gets errno(1) from this rule and kill(0xffffffff, 0)"}},
		{"default allow\narch x86_64\nread: fd == 3 && count > 10 => errno(1)\n",
			[]string{"read: on x86_64 the kernel reads arg0 (fd) as a 32-bit value"}},
		// The low word compared: nothing to say.
		{"default allow\narch x86_64 aarch64\nkill: (u32)arg1 == SIGKILL => errno(1)\n", nil},
		// x32 narrows the arguments it reads as 32-bit; 32-bit arches all.
		{"default allow\narch x32 x86 arm\nkill: arg1 == SIGKILL => errno(1)\n", nil},
		{"default allow\narch x32\noption x32-low-word\nkill: arg1 == SIGKILL => errno(1)\n", nil},
		// 64-bit arguments.
		{"default allow\narch x86_64\nlseek: offset <= 5 => errno(1)\n", nil},
		// A high word only makes the call more restricted.
		{"default errno(1)\narch x86_64\nsocket: arg0 == AF_INET\n", nil},
		{"default kill_process\narch x86_64\nkill: arg1 == SIGKILL => errno(1)\n", nil},
		// Whatever the high word, another rule denies the call as much.
		{"default allow\narch x86_64\nkill: arg1 == SIGKILL => errno(1)\nkill: (u32)arg1 == SIGKILL => errno(1)\n", nil},
	} {
		p, ws, err := policy.ParseText("p", []byte(tc.src))
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		var got []string
		for _, w := range ws {
			if strings.Contains(w.Msg, "the same call for the kernel") {
				got = append(got, w.Msg)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: warnings %q, want %d", tc.src, got, len(tc.want))
		}
		for i, w := range tc.want {
			if i < len(got) && !strings.Contains(got[i], w) {
				t.Errorf("%q: warning %q, want %q in it", tc.src, got[i], w)
			}
		}
		checkArg32Claims(t, p, ws)
	}
}

// TestArg32WarningsOCI: the same for profiles, and the x32 note, whose
// call the two filters (cbpf's, and libseccomp 2.5.4's: X32LowWord)
// decide as it says.
func TestArg32WarningsOCI(t *testing.T) {
	src := `{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X32"],"syscalls":[
{"names":["lseek"],"action":"SCMP_ACT_ERRNO","errnoRet":4,"args":[{"index":1,"value":5,"op":"SCMP_CMP_LE"}]},
{"names":["kill"],"action":"SCMP_ACT_ERRNO","errnoRet":1,"args":[{"index":1,"value":9,"op":"SCMP_CMP_EQ"}]},
{"names":["tkill"],"action":"SCMP_ACT_ERRNO","errnoRet":1,"args":[{"index":1,"value":4294967295,"valueTwo":9,"op":"SCMP_CMP_MASKED_EQ"}]},
{"names":["pread64"],"action":"SCMP_ACT_ERRNO","errnoRet":2,"args":[{"index":0,"value":3,"op":"SCMP_CMP_EQ"}]}]}`
	p, ws, err := policy.ParseOCI("p.json", []byte(src), policy.OCIOptions{Arch: "x86_64"})
	if err != nil {
		t.Fatal(err)
	}
	if n := checkArg32Claims(t, p, ws); n != 2 || len(warned(ws, "kill: on x86_64 the kernel reads arg1 (sig)")) != 1 || len(warned(ws, "pread64: on x86_64 the kernel reads arg0 (fd)")) != 1 || len(warned(ws, "SCMP_CMP_MASKED_EQ with value 0xffffffff")) != 2 {
		t.Errorf("%d 32-bit argument warnings, want kill's and pread64's (not tkill's, masked): %v", n, ws)
	}

	x32Re := regexp.MustCompile(`^(\w+) on x32: the kernel reads (.+?) as (?:a 64-bit value|64-bit values), and cbpf compares all 64 bits where libseccomp 2.5.4 \(runc\) compares only the low 32, so (\w+)\(([^)]*)\) gets (\S+) from cbpf's filter and (\S+) from runc's`)
	x32, _ := arch.Lookup("x32")
	low := *p
	low.X32LowWord = true
	cb, lw := compileVM(t, p), compileVM(t, &low)
	n := 0
	for _, w := range ws {
		m := x32Re.FindStringSubmatch(w.Msg)
		if m == nil {
			if strings.Contains(w.Msg, "on x32") {
				t.Errorf("unreadable: %s", w)
			}
			continue
		}
		n++
		if m[1] != "lseek" || m[2] != "arg1 (offset)" || m[3] != "lseek" {
			t.Errorf("x32 note on something else than lseek's offset: %s", w)
		}
		nr, _ := x32.SyscallNumber(m[3])
		call := policy.Call{Arch: x32.Audit, Nr: int32(nr), Args: parseArgs(t, m[4])}
		for _, f := range []struct {
			run  func(policy.Call) policy.Action
			want string
		}{{cb, m[5]}, {lw, m[6]}} {
			want, err := policy.ParseAction(f.want, p.Arches)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.run(call); got != want {
				t.Errorf("%s: the filter gives %v", w, got)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d x32 notes, want 1 (lseek's offset; kill's sig and pread64's fd are 32-bit on x32): %v", n, ws)
	}
	// With X32LowWord the filter is libseccomp's: nothing to say.
	_, ws, err = policy.ParseOCI("p.json", []byte(src), policy.OCIOptions{Arch: "x86_64", X32LowWord: true})
	if err != nil {
		t.Fatal(err)
	}
	if w := warned(ws, "on x32:"); len(w) != 0 {
		t.Errorf("with X32LowWord: %v", w)
	}
}

// TestArg32WarningsRandom: on random policies of comparisons of kill's,
// fcntl's and lseek's arguments (300; CBPF_LONG=1: 5000), every warning's claim holds in the VM,
// and where Eval finds a pair of calls that only the high word of a
// 32-bit argument separates, the first's zero- or sign-extended, the
// second more permissive, there is a warning (tried on calls made of the
// policy's constants, their low words and neighbours).
func TestArg32WarningsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 32))
	consts := []uint64{0, 1, 9, 0xffffffff, 0x100000009, ^uint64(0), 1 << 32}
	ops := []string{"==", "!=", "<", "<=", ">", ">="}
	acts := []string{"allow", "errno(1)", "errno(2)", "kill_process", "trap", "log"}
	x86_64, _ := arch.Lookup("x86_64")
	n := 300
	if os.Getenv("CBPF_LONG") != "" {
		n = 5000
	}
	warnings := 0
	for range n {
		var b strings.Builder
		fmt.Fprintf(&b, "default %s\narch x86_64 x32\n", acts[rng.IntN(len(acts))])
		for range 1 + rng.IntN(3) {
			name := []string{"kill", "fcntl", "lseek"}[rng.IntN(3)]
			var conds []string
			for range 1 + rng.IntN(2) {
				cast, top := "", ^uint64(0)
				if rng.IntN(4) == 0 {
					cast, top = "(u32)", 0xffffffff
				}
				i := rng.IntN(3)
				c1, c2 := consts[rng.IntN(len(consts))]&top, consts[rng.IntN(len(consts))]&top
				if rng.IntN(3) == 0 {
					conds = append(conds, fmt.Sprintf("(%sarg%d & %#x) == %#x", cast, i, c1, c2))
				} else {
					conds = append(conds, fmt.Sprintf("%sarg%d %s %#x", cast, i, ops[rng.IntN(len(ops))], c1))
				}
			}
			join := " && "
			if rng.IntN(2) == 0 {
				join = " || "
			}
			fmt.Fprintf(&b, "%s: %s => %s\n", name, strings.Join(conds, join), acts[rng.IntN(len(acts))])
		}
		p, ws, err := policy.ParseText("p", []byte(b.String()))
		if err != nil {
			t.Fatalf("%s: %v", b.String(), err)
		}
		warnings += checkArg32Claims(t, p, ws)
		if u, v, ok := arg32Bypass(p, x86_64); ok && len(warned(ws, "the same call for the kernel")) == 0 {
			t.Errorf("%s: no warning, but on x86_64 %v gets %v and %v gets %v", b.String(), u, policy.Eval(p, u), v, policy.Eval(p, v))
		}
	}
	if warnings < n/10 {
		t.Errorf("only %d warnings on %d random policies", warnings, n)
	}
	t.Logf("%d warnings checked", warnings)
}

// ruled reports whether a rule of p on syscall matches c with action act.
func ruled(p *policy.Policy, syscall string, c policy.Call, act policy.Action) bool {
	return slices.ContainsFunc(p.Rules, func(r policy.Rule) bool {
		return r.Syscall == syscall && r.Action == act && (r.When == nil || r.When.Eval(&c.Args))
	})
}

// canonical reports whether x is a 32-bit value zero- or sign-extended.
func canonical(x uint64) bool {
	return x>>32 == 0 || x>>32 == 0xffffffff && x&0x80000000 != 0
}

// arg32Bypass looks, on the calls made of p's constants, their
// neighbours, their low words and 0, for two calls of one syscall on a
// that differ only in the high word of one argument the kernel reads as
// 32-bit, the first's zero- or sign-extended, the second with a more
// permissive action, and with another extension or the first decided by
// a rule.
func arg32Bypass(p *policy.Policy, a *arch.Arch) (policy.Call, policy.Call, bool) {
	vals := map[string]*[6][]uint64{}
	var names []string
	for _, r := range p.Rules {
		if vals[r.Syscall] == nil {
			vals[r.Syscall] = &[6][]uint64{}
			names = append(names, r.Syscall)
		}
		v := vals[r.Syscall]
		walk := func(w policy.Expr) {
			for e := range policy.Cmps(w) {
				for _, x := range []uint64{e.Value, e.Value + 1, e.Value - 1, e.Value & 0xffffffff, e.Value | ^e.Mask&0xffffffff} {
					if !slices.Contains(v[e.Arg], x) {
						v[e.Arg] = append(v[e.Arg], x)
					}
				}
			}
		}
		walk(r.When)
	}
	for _, name := range names {
		v := vals[name]
		for i := range v {
			if !slices.Contains(v[i], 0) {
				v[i] = append(v[i], 0)
			}
		}
		nr, _ := a.SyscallNumber(name)
		var rec func(i int, args [6]uint64) (policy.Call, policy.Call, bool)
		rec = func(i int, args [6]uint64) (policy.Call, policy.Call, bool) {
			if i == 6 {
				u := policy.Call{Arch: a.Audit, Nr: int32(nr), Args: args}
				ua := policy.Eval(p, u)
				for j := range 6 {
					if !a.Arg32(name, j) {
						continue
					}
					for _, h := range []uint64{0, 1, 0xffffffff} {
						w := u
						w.Args[j] = h<<32 | args[j]&0xffffffff
						if canonical(args[j]) && policy.MoreRestrictive(ua, policy.Eval(p, w)) && (!canonical(w.Args[j]) || ruled(p, name, u, ua)) {
							return u, w, true
						}
					}
				}
				return policy.Call{}, policy.Call{}, false
			}
			for _, x := range v[i] {
				args[i] = x
				if u, w, ok := rec(i+1, args); ok {
					return u, w, true
				}
			}
			return policy.Call{}, policy.Call{}, false
		}
		if u, w, ok := rec(0, [6]uint64{}); ok {
			return u, w, true
		}
	}
	return policy.Call{}, policy.Call{}, false
}
