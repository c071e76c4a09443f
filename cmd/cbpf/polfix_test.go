package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// TestPolicyOptionsRoundTrip: what "cbpf policy FLAG" prints compiles to
// the filter "cbpf compile FLAG" makes, for --x32-low-word and
// --mux-whole-arg0, from the policy language and from an OCI profile: the
// options are printed as option lines. (read's arg0 is an int, compared on
// its low word on x32 whatever the flag: pread64's offset is 64 bits.)
func TestPolicyOptionsRoundTrip(t *testing.T) {
	text := writePolicyTemp(t, "p.policy", `default errno(EPERM)
arch x86_64 x32 x86
read: arg0 == 0x100000001 => allow
pread64: arg3 == 0x100000001 => allow
lseek: (u32)arg2 <= 2
shmget: arg2 == 0 => kill_process
socket: arg1 == 3 => allow
`)
	oci := writePolicyTemp(t, "p.json", `{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"],"syscalls":[
{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":4294967297,"op":"SCMP_CMP_EQ"}]},
{"names":["pread64"],"action":"SCMP_ACT_ALLOW","args":[{"index":3,"value":4294967297,"op":"SCMP_CMP_EQ"}]},
{"names":["shmget"],"action":"SCMP_ACT_KILL_PROCESS"},
{"names":["lseek"],"action":"SCMP_ACT_ALLOW","args":[{"index":2,"value":2,"op":"SCMP_CMP_LE"}]}]}`)
	for _, file := range []string{text, oci} {
		for _, flags := range [][]string{{}, {"--x32-low-word"}, {"--mux-whole-arg0"}, {"--x32-low-word", "--mux-whole-arg0"}} {
			args := append([]string{"compile", "-o", "ddd"}, flags...)
			want, e, code := cli(t, "", append(args, file)...)
			if code != exitOK {
				t.Fatalf("compile %v %s: exit %d: %s", flags, file, code, e)
			}
			printed, e, code := cli(t, "", append(append([]string{"policy"}, flags...), file)...)
			if code != exitOK {
				t.Fatalf("policy %v %s: exit %d: %s", flags, file, code, e)
			}
			for _, f := range flags {
				if line := "option " + strings.TrimPrefix(f, "--") + "\n"; !strings.Contains(printed, line) {
					t.Errorf("policy %v %s: no %q in\n%s", flags, file, line, printed)
				}
			}
			got, e, code := cli(t, printed, "compile", "-o", "ddd", "-")
			if code != exitOK {
				t.Fatalf("compile of the printed policy: exit %d: %s\n%s", code, e, printed)
			}
			if got != want {
				t.Errorf("%s with %v: the printed policy compiles to another filter\n%s", file, flags, printed)
			}
			// And the flag applies once, not twice, over a printed option.
			again, e, code := cli(t, printed, append(append([]string{"compile", "-o", "ddd"}, flags...), "-")...)
			if code != exitOK || again != want {
				t.Errorf("%s with %v, printed and compiled with the flags again: exit %d %s", file, flags, code, e)
			}
		}
	}
	// Without the flags, the filters differ: the options mean something.
	plain, _, _ := cli(t, "", "compile", "-o", "ddd", text)
	for _, f := range []string{"--x32-low-word", "--mux-whole-arg0"} {
		if with, _, _ := cli(t, "", "compile", "-o", "ddd", f, text); with == plain {
			t.Errorf("%s makes no difference", f)
		}
	}
}

// TestWarningsBeforeError: the warnings a parser found before an error are
// printed, then the error.
func TestWarningsBeforeError(t *testing.T) {
	for _, tc := range []struct{ src, warn, err string }{
		{`{"defaultAction":"SCMP_ACT_ALLOW","foo":1,"syscalls":[{"names":["read"],"action":"SCMP_ACT_BAD"}]}`,
			`<stdin>:1:41: foo: warning: unknown field "foo": ignored`, `<stdin>:1:82: syscalls[0].action: unknown action "SCMP_ACT_BAD"`},
		{"default allow\narch x86_64 x86_64\nread: nope\n",
			"<stdin>:2:13: warning: arch x86_64 is listed twice", `<stdin>:3:7: unknown action "nope"`},
	} {
		_, e, code := cli(t, tc.src, "policy", "-")
		w, er := strings.Index(e, tc.warn), strings.Index(e, tc.err)
		if code != exitBad || w < 0 || er < 0 || w > er {
			t.Errorf("%s: exit %d, stderr:\n%s\nwant %q before %q", tc.src, code, e, tc.warn, tc.err)
		}
	}
}

// TestCallLines: the input lines of "cbpf run" and "cbpf policy --eval"
// take a trailing # comment and may be of any length (read with bounded
// memory: fieldScanner): a long field is an error at its position that
// quotes its start and gives its length, not bufio's "token too long".
func TestCallLines(t *testing.T) {
	prog := writePolicyTemp(t, "p.asm", "ld [0]\njeq #1, e1, e2\ne1: ret #0x50001\ne2: ret #0x50002\n")
	pol := writePolicyTemp(t, "p.policy", "default errno(2)\narch x86_64\nwrite: errno(1)\n")
	long := strings.Repeat(" ", 70000)
	for _, tc := range []struct {
		name, in string
		want     []string // the results, as errno values
		err      string
	}{
		{"comment", "x86_64 1 0 # write\n# alone\nx86_64 0 #0\n", []string{"1", "2"}, ""},
		{"long comment", "x86_64 1 # " + strings.Repeat("#x", 1<<20) + "\nx86_64 1\n", []string{"1", "1"}, ""},
		{"long blanks", "x86_64" + long + "1" + long + "7\n", []string{"1"}, ""},
		{"no newline", "x86_64 0\nx86_64 1", []string{"2", "1"}, ""},
		{"long line", "x86_64 1\nx86_64 1 " + strings.Repeat(" ", 3<<20) + "1\r\n", []string{"1", "1"}, ""},
		{"long number", "x86_64 1\nx86_64 1 " + strings.Repeat("9", 3<<20) + "\r\n", []string{"1"}, `<stdin>:2:10: A0: bad number "9999999999999999999999999999999999999999"... (3145728 bytes)`},
		{"long name", "x86_64 " + strings.Repeat("r", 300) + "\n", nil, `<stdin>:1:8: NR: bad number "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"... (300 bytes)`},
		{"far fields", "x86_64 0 1 2 3 4 5 6 7" + strings.Repeat(" 8", 1<<20) + "\n", nil, "<stdin>:1:24: too many fields"},
		{"missing NR", "x86_64   \r\r\n", nil, "<stdin>:1:10: want ARCH NR"},
		{"CR inside", "x86_64 1\r2\n", nil, `<stdin>:1:8: NR: bad number "1\r2"`},
		{"bad after comment", "x86_64 1 # ok\nx86_64 1 zz # bad\n", []string{"1"}, `<stdin>:2:10: A0: bad number "zz"`},
	} {
		for _, cmd := range [][]string{{"run", "--input", "-", prog}, {"policy", "--eval", pol}} {
			out, e, code := cli(t, tc.in, cmd...)
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				if f := strings.Fields(l); len(f) > 1 {
					got = append(got, strings.TrimSuffix(strings.TrimPrefix(f[1], "ERRNO("), ")"))
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("%s, %s: results %q, want %q (stderr %q)", tc.name, cmd[0], got, tc.want, e)
			}
			switch {
			case tc.err == "" && (code != exitOK || e != ""):
				t.Errorf("%s, %s: exit %d, stderr %q", tc.name, cmd[0], code, e)
			case tc.err != "" && (code != exitBad || !strings.HasPrefix(e, tc.err)):
				t.Errorf("%s, %s: exit %d, stderr %q, want %q", tc.name, cmd[0], code, e, tc.err)
			}
		}
	}
}

// TestCompileSummaryAllows: the summary counts the syscalls the filter
// allows whatever their arguments, the default's included; checked in the
// VM on arguments that hit the rules.
func TestCompileSummaryAllows(t *testing.T) {
	for _, src := range []string{
		"default allow\narch x86_64 x86\nread: arg0 == 1 => errno(1)\nsocket: arg0 == 2 => errno(1)\nwrite: arg0 == 1\n",
		"default errno(1)\narch x86_64 x86\nread: allow\nwrite: arg0 == 1\nclose: allow\nclose: arg0 == 2 => errno(9)\nconnect: allow\n",
	} {
		file := writePolicyTemp(t, "p.policy", src)
		out, e, code := cli(t, "", "compile", "-o", "pseudo", file)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, e)
		}
		ddd, _, _ := cli(t, "", "compile", "-o", "ddd", file)
		prog, err := asm.Read("p", []byte(ddd), asm.DDD)
		if err != nil {
			t.Fatal(err)
		}
		m, err := vm.New(prog, vm.Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"x86_64", "x86"} {
			a, _ := arch.Lookup(name)
			want := 0
			for _, sc := range a.Syscalls() {
				allowed := true
				for _, args := range [][6]uint64{{}, {1}, {2}, {3, 1}, {1, 0xbfff0000}, {2, 0xbfff0000}, {0xffffffff, 2, 3}} {
					if r := m.RunSeccomp(vm.SeccompData{Arch: a.Audit, Nr: int32(sc.Number), Args: args}); r.Ret != uint32(policy.Allow) {
						allowed = false
					}
				}
				if allowed {
					want++
				}
			}
			re := regexp.MustCompile(`// ` + name + `: .*; (\d+) of (\d+) unconditional allows`)
			got := re.FindStringSubmatch(out)
			if got == nil || got[2] != strconv.Itoa(want) {
				t.Errorf("%s on %s: summary %q, want %d unconditional allows\n%s", src, name, got, want, out)
			}
		}
	}
}
