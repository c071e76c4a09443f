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
