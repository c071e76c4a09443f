package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const testPolicy = `# test
default errno(EPERM)
arch x86_64 x86
read, write: allow
socket: family == AF_INET => allow
socket: family == AF_NETLINK => errno(EAFNOSUPPORT)
ptrace: kill_process
mmap2: allow
`

func writePolicyTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPolicyPrint(t *testing.T) {
	file := writePolicyTemp(t, "p.policy", testPolicy)
	out, errOut, code := cli(t, "", "policy", file)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `default errno(1)
arch x86_64 x86
read: allow
write: allow
socket: arg0 == AF_INET
socket: arg0 == AF_NETLINK => errno(97)
ptrace: kill_process
mmap2: allow
`
	if d := cmp.Diff(want, out); d != "" {
		t.Errorf("stdout (-want +got):\n%s", d)
	}
	for _, w := range []string{
		file + ":5:1: warning: socket: on x86, through socketcall(SYS_SOCKET) the filter does not check arg0 (socketcall's arg0 is the call number): the rule is met there whatever socket's arguments",
		file + ":8:1: warning: mmap2: no such syscall on x86_64; the rule is skipped there",
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	// The printed policy is a policy: it prints the same again.
	again, _, code := cli(t, out, "policy", "-")
	if code != exitOK || again != out {
		t.Errorf("policy of its own output: exit %d\n%s", code, again)
	}
	// --arch replaces the targets, and constants are resolved for them.
	out, errOut, code = cli(t, testPolicy, "policy", "--arch", "mips", "-")
	if code != exitOK || !strings.Contains(out, "arch mips\n") || !strings.Contains(out, "errno(124)") {
		t.Errorf("--arch mips: exit %d\n%s%s", code, out, errOut)
	}
	_, errOut, code = cli(t, testPolicy, "policy", "--arch", "x86_64,mips", "-")
	if code != exitBad || !strings.Contains(errOut, "<stdin>:6:39: EAFNOSUPPORT is 0x61 on x86_64 but 0x7c on mips") {
		t.Errorf("--arch x86_64,mips: exit %d, stderr %q", code, errOut)
	}
}

func TestPolicyErrors(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		stdin string
		code  int
		want  string
	}{
		{[]string{"policy", "-"}, "default alow\n", exitBad, `<stdin>:1:9: unknown action "alow" (did you mean allow?)`},
		{[]string{"policy", "-"}, "default allow\nread: fd == 1 => kil\n", exitBad, `<stdin>:2:18: unknown action "kil"`},
		{[]string{"policy", "-"}, "default allow\nptrce: kill_process\n", exitBad, `<stdin>:2:1: unknown syscall "ptrce": no arch cbpf knows has it (did you mean ptrace?)`},
		{[]string{"compile", "-o", "raw", "-"}, "default allow\nptrce: kill_process\n", exitBad, `<stdin>:2:1: unknown syscall "ptrce"`},
		{[]string{"policy", "-"}, "default allow\nread: errno(5000)\n", exitBad, `<stdin>:2:13: errno(5000): the value must be 0 to 4095`},
		{[]string{"policy"}, "", exitUsage, "want one policy FILE"},
		{[]string{"policy", "a", "b"}, "", exitUsage, "want one policy FILE"},
		{[]string{"policy", "--lang", "yaml", "-"}, "default allow", exitUsage, `--lang "yaml"`},
		{[]string{"policy", "--arch", "vax", "-"}, "default allow", exitUsage, `unknown arch "vax"`},
		{[]string{"policy", "/no/such/file"}, "", exitUsage, "/no/such/file"},
		{[]string{"policy", "--input", "x", "-"}, "default allow", exitUsage, "--input and --bad-arch go with --eval"},
		{[]string{"policy", "--eval", "--bad-arch", "nope", "-"}, "default allow", exitUsage, `unknown action "nope"`},
	} {
		_, errOut, code := cli(t, tc.stdin, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "goroutine") {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

func TestPolicyEval(t *testing.T) {
	file := writePolicyTemp(t, "p.policy", testPolicy)
	in := `# arch nr args
x86_64 read
x86_64 socket 2 1 0
x86_64 socket 16
x86_64 socket 10
x86_64 41 0xffffffff00000002
x86_64 ptrace
x86_64 999
x86 socket 16
x86 socketcall 1 0xbffff000
x86 socketcall 3
x32 read
aarch64 read
0xc000003e 0 1 2 3 4 5 6 0x401000
`
	want := `0x7fff0000 ALLOW
0x7fff0000 ALLOW
0x00050061 ERRNO(97)
0x00050001 ERRNO(1)
0x00050001 ERRNO(1)
0x80000000 KILL_PROCESS
0x00050001 ERRNO(1)
0x00050061 ERRNO(97)
0x00050061 ERRNO(97)
0x00050001 ERRNO(1)
0x80000000 KILL_PROCESS
0x80000000 KILL_PROCESS
0x7fff0000 ALLOW
`
	out, errOut, code := cli(t, in, "policy", "--eval", file)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if d := cmp.Diff(want, out); d != "" {
		t.Errorf("--eval (-want +got):\n%s", d)
	}
	// --bad-arch, and --input.
	input := writePolicyTemp(t, "calls", "aarch64 read\nx32 read\nx86_64 read\n")
	out, errOut, code = cli(t, "", "policy", "--eval", "--bad-arch", "errno(EACCES)", "--input", input, file)
	want = "0x0005000d ERRNO(13)\n0x0005000d ERRNO(13)\n0x7fff0000 ALLOW\n"
	if code != exitOK || out != want {
		t.Errorf("--bad-arch: exit %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
	}
	// A bad input line: exit 1, its line number.
	_, errOut, code = cli(t, "x86_64 read\nx86_64 nosuchcall\n", "policy", "--eval", file)
	if code != exitBad || !strings.Contains(errOut, "<stdin>:2:") {
		t.Errorf("bad line: exit %d, stderr %q", code, errOut)
	}
}

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
