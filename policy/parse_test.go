package policy

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/diag"
)

var update = flag.Bool("update", false, "rewrite testdata/text/*.golden")

// render is what the golden files hold: the normalised policy, then the
// warnings.
func render(p *Policy, warns []Problem) string {
	var b strings.Builder
	b.WriteString(p.String())
	if len(warns) > 0 {
		b.WriteString("--- warnings\n")
		for _, w := range warns {
			b.WriteString(w.String() + "\n")
		}
	}
	return b.String()
}

// TestGolden parses every testdata/text/*.policy and compares the printed
// policy and warnings with the .golden file beside it; then the printed
// policy must parse back to the same policy.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/text/*.policy")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p, warns, err := ParseText(filepath.Base(f), src)
			if err != nil {
				t.Fatal(err)
			}
			got := render(p, warns)
			golden := strings.TrimSuffix(f, ".policy") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), got); d != "" {
				t.Errorf("%s (-want +got):\n%s", golden, d)
			}
			checkRoundTrip(t, p)
		})
	}
}

// checkRoundTrip parses p's printed form and wants the same policy back
// (positions aside) and the same text again.
func checkRoundTrip(t *testing.T, p *Policy) {
	t.Helper()
	text := p.String()
	q, _, err := ParseText("printed", []byte(text))
	if err != nil {
		t.Fatalf("printed policy does not parse: %v\n%s", err, text)
	}
	if d := cmp.Diff(stripPos(p), stripPos(q), cmp.Comparer(func(a, b *arch.Arch) bool { return a == b })); d != "" {
		t.Errorf("parse(print(p)) differs from p (-p +reparsed):\n%s\nprinted:\n%s", d, text)
	}
	if again := q.String(); again != text {
		t.Errorf("printing is not stable:\n%s\nthen:\n%s", text, again)
	}
}

func stripPos(p *Policy) *Policy {
	q := *p
	q.Rules = append([]Rule(nil), p.Rules...)
	for i := range q.Rules {
		q.Rules[i].Pos = ""
	}
	return &q
}

// TestErrors checks that malformed policies fail with a message that
// points at the problem and says what was expected.
func TestErrors(t *testing.T) {
	const head = "default allow\narch x86_64\n"
	for _, tc := range []struct {
		src, want string
	}{
		{"", "t:1:1: no default action: add a line such as \"default errno(EPERM)\" or \"default kill_process\""},
		{"read: allow\n", "t:2:1: no default action: add a line such as \"default errno(EPERM)\" or \"default kill_process\""},
		{"default alow", `t:1:9: unknown action "alow" (did you mean allow?); actions: allow, log, errno(N), trap, trace, user_notif, kill_thread, kill_process`},
		{"default", "t:1:8: expected an action (allow, log, errno(N), trap, trace, user_notif, kill_thread, kill_process)"},
		{"default allow\ndefault allow", "t:2:1: a second default action (the first is on line 1)"},
		{"bad-arch allow\nbad-arch allow", "t:2:1: a second bad-arch action (the first is on line 1)"},
		{"default allow allow", "t:1:15: expected end of line after the default action, found \"allow\""},
		{"default errno", "t:1:14: expected '(' after errno: errno(EPERM) or errno(1)"},
		{"default errno(1", "t:1:16: expected ')' after the action's value, found end of line"},
		{"default allow(1)", "t:1:14: allow takes no value"},
		{"default errno(65536)", "t:1:15: errno(65536): the value must be 0 to 4095 (the kernel returns larger errno values as 4095)"},
		{"default errno(4096)", "t:1:15: errno(4096): the value must be 0 to 4095 (the kernel returns larger errno values as 4095)"},
		{"default errno(4294967296)", "t:1:15: errno(4294967296): the value must be 0 to 4095 (the kernel returns larger errno values as 4095)"},
		{"default errno(-1)", "t:1:15: errno(-1): the value must be 0 to 4095"},
		{head + "write: errno(5000)", "t:3:14: errno(5000): the value must be 0 to 4095 (the kernel returns larger errno values as 4095)"},
		{head + "write: arg0 == 1 => errno(0x1000|1)", "t:3:27: errno(4097): the value must be 0 to 4095 (the kernel returns larger errno values as 4095)"},
		{"default trap(65536)", "t:1:14: trap(65536): the value must be 0 to 65535 (it is the 16-bit data of the return value)"},
		{"default trace(-1)", "t:1:15: trace(-1): the value must be 0 to 65535"},
		{head + "ptrce: kill_process", `t:3:1: unknown syscall "ptrce": no arch cbpf knows has it (did you mean ptrace?)`},
		{head + "read, opnat, write: kill_process", `t:3:7: unknown syscall "opnat": no arch cbpf knows has it (did you mean openat?)`},
		{head + "read: " + strings.Repeat("!", 2000) + "arg0 == 1", "t:3:1008: nesting too deep (limit 1000)"},
		{head + "read: " + strings.Repeat("!", 1001) + "arg0 == 1", "t:3:7: nesting too deep (limit 1000)"},
		{head + "read: " + strings.Repeat("(", 5000) + "arg0 == 1" + strings.Repeat(")", 5000), "t:3:1008: nesting too deep (limit 1000)"},
		{head + "read: arg0 == " + strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000), "t:3:1016: nesting too deep (limit 1000)"},
		{head + "read: " + strings.Repeat("(arg0 == 1 || arg1 == 2 && ", 600) + "arg0 == 1" + strings.Repeat(")", 600), "t:3:2694: nesting too deep (limit 1000)"},
		{head + "read: arg0 == " + strings.Repeat("9", 100), "t:3:15: number " + strings.Repeat("9", 64) + "... (100 bytes) does not fit in 64 bits"},
		{head + "read: arg0 == " + strings.Repeat("A", 100), `t:3:15: unknown constant "` + strings.Repeat("A", 63) + `... (102 bytes)`},
		{head + strings.Repeat("r", 100) + ": allow", `t:3:1: unknown syscall "` + strings.Repeat("r", 63) + `... (102 bytes): no arch cbpf knows has it`},
		{head + "read: arg0 == 1 || $ arg0", "t:3:20: unexpected character '$'"},
		{head + "read: arg0 == 1 || arg1 == \xff", "t:3:28: unexpected byte 0xff (not UTF-8 text)"},
		{head + "read: !!arg0 == 1 => errno(1) \x00", "t:3:31: unexpected character '\\x00'"},
		{"default errno(EPRM)", `t:1:15: unknown constant "EPRM" (did you mean EPERM?)`},
		{"arch\ndefault allow", `t:1:5: expected arch names after "arch" (x86_64, aarch64, ...)`},
		{"default allow\narch x86_64 amd65", `t:2:13: unknown arch "amd65" (did you mean amd64?); known arches: ` + strings.Join(arch.Names(), ", ")},
		{head + "read allow", "t:3:6: expected ':' after syscall name, found \"allow\""},
		{head + "allow", "t:3:6: expected ':' after syscall name allow (or is this meant to be a statement: default, bad-arch, arch?)"},
		{head + "read,: allow", "t:3:6: expected a syscall name, found \":\""},
		{head + "read:", "t:3:6: expected an action or a predicate after ':'"},
		{head + "read: alow", `t:3:7: unknown action "alow" (did you mean allow?); actions: allow, log, errno(N), trap, trace, user_notif, kill_thread, kill_process`},
		{head + "read: arg0 == 1 => alow", `t:3:20: unknown action "alow" (did you mean allow?); actions: allow, log, errno(N), trap, trace, user_notif, kill_thread, kill_process`},
		{head + "read: arg6 == 1", "t:3:7: argument 6: syscalls have arguments 0 to 5"},
		{head + "read: args[6] == 1", "t:3:12: argument 6: syscalls have arguments 0 to 5"},
		{head + "read: args[x] == 1", "t:3:12: expected an argument number 0 to 5 in args[N], found \"x\""},
		{head + "openat: fd == 1", `t:3:9: "fd" is not an argument of openat (its arguments: dfd, filename, flags, mode)`},
		{head + "read, openat: fd == 1", `t:3:15: "fd" is not an argument of openat (its arguments: dfd, filename, flags, mode)`},
		{head + "getpid: pid == 1", `t:3:9: "pid": cbpf does not know the argument names of getpid; use arg0..arg5`},
		{head + "read: arg0", "t:3:11: expected a comparison operator (==, !=, <, <=, >, >=) after the argument, found end of line"},
		{head + "read: arg0 = 1", "t:3:12: unexpected '=': compare with '==', or write '=>' before an action"},
		{head + "read: arg0 == 1 $", "t:3:17: unexpected character '$'"},
		{head + "read: arg0 & 1 == 1", "t:3:12: a masked test needs parentheses: (arg0 & MASK) == VALUE"},
		{head + "read: (arg0 & 1) != 1", "t:3:18: a masked test compares with '==' only; for the opposite write !((arg & MASK) == VALUE)"},
		{head + "read: (arg0 & 1 == 1", "t:3:17: expected ')' after the mask, found \"==\""},
		{head + "read: (arg0 == 1", "t:3:17: expected ')' to close the parenthesis, found end of line"},
		{head + "read: arg0 == 1 arg1", "t:3:17: expected '&&', '||', '=>' or end of line, found \"arg1\""},
		{head + "read: arg0 == 1 => allow allow", "t:3:26: expected end of line after the rule, found \"allow\""},
		{head + "read: arg0 ==", "t:3:14: expected a value (a number or a constant such as O_RDONLY), found end of line"},
		{head + "read: arg0 == - x", "t:3:17: expected a number after '-', found \"x\""},
		{head + "socket: arg0 == AF_INTE", `t:3:17: unknown constant "AF_INTE" (did you mean AF_INET?)`},
		{head + "read: arg0 == 0x", `t:3:15: bad number "0x" (decimal, 0x hex, 0o or leading-0 octal, 0b binary)`},
		{head + "read: arg0 == 09", `t:3:15: bad number "09" (decimal, 0x hex, 0o or leading-0 octal, 0b binary)`},
		{head + "read: arg0 == 1_000", `t:3:15: bad number "1_000"`},
		{head + "read: arg0 == 18446744073709551616", "t:3:15: number 18446744073709551616 does not fit in 64 bits"},
		{head + "read: (u32)arg0 == 0x100000000", "t:3:20: 0x100000000 does not fit a 32-bit comparison"},
		{head + "read: (u32)arg0 == -0x80000001", "t:3:20: -0x80000001 is out of range for a 32-bit comparison"},
		{head + "read: arg0 == -0x8000000000000001", "t:3:15: -0x8000000000000001 is out of range for a 64-bit comparison"},
		{head + "clone: (u32)arg0 == CLONE_INTO_CGROUP|1", "t:3:21: CLONE_INTO_CGROUP (0x200000000) does not fit a 32-bit comparison"},
		{"default allow\narch x86_64 aarch64\nopen: (flags & O_DIRECTORY) == 0", "t:3:16: O_DIRECTORY is 0x10000 on x86_64 but 0x4000 on aarch64: write one policy per arch, or the number"},
		{"default errno(EDEADLK)\narch x86_64 mips", "t:1:15: EDEADLK is 0x23 on x86_64 but 0x2d on mips: write one policy per arch, or the number"},
		{"default allow\narch x86_64 s390x\nclone: flags == 0", `t:3:8: "flags" is argument 0 of clone on x86_64 but 1 on s390x: write arg0, or one policy per arch`},
		{head + "read: !", "t:3:8: expected an argument (arg0..arg5, args[N] or a name such as fd), found end of line"},
		{head + "option x32-lowword", `t:3:8: unknown option "x32-lowword" (did you mean x32-low-word?); options: mux-whole-arg0, x32-low-word`},
		{head + "option # none", `t:3:8: expected option names after "option" (mux-whole-arg0, x32-low-word)`},
		{head + "read: (u32)(arg2 & 4) == 0", `t:3:12: expected an argument (arg0..arg5, args[N] or a name such as fd), found "("`},
		{head + "42: allow", "t:3:1: expected a statement (default, bad-arch, arch, option or \"syscall: rule\"), found number 42"},
		{"default allow\narch x86_64 " + strings.Repeat("x", 100), `t:2:13: unknown arch "` + strings.Repeat("x", 63) + `... (102 bytes); known arches: ` + strings.Join(arch.Names(), ", ")},
		{"default allow\nread: allow\narch amd65\nsocket: arg0 == AF_INET", `t:3:6: unknown arch "amd65" (did you mean amd64?); known arches: ` + strings.Join(arch.Names(), ", ")},
		{"default allow\nread: arg0 == O_DIRECTORY\narch x86_64\narch aarch64", "t:2:15: O_DIRECTORY is 0x10000 on x86_64 but 0x4000 on aarch64: write one policy per arch, or the number"},
	} {
		p, _, err := ParseText("t", []byte(tc.src))
		if err == nil {
			t.Errorf("%s: no error, parsed as\n%s", quote(tc.src), p)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", quote(tc.src), err, tc.want)
		}
	}
}

// TestConstants checks per-arch values against the kernel's headers
// (parse_linux_test.go compares the host's with x/sys/unix).
func TestConstants(t *testing.T) {
	// Values on other arches, from the kernel's uapi headers.
	for _, tc := range []struct {
		name, arch string
		want       int64
	}{
		{"O_DIRECTORY", "x86_64", 0o200000},
		{"O_DIRECTORY", "aarch64", 0o40000},
		{"O_DIRECTORY", "arm", 0o40000},
		{"O_DIRECTORY", "ppc64le", 0o40000},
		{"TCGETS", "mips", 0x540d},
		{"TCGETS", "ppc64", 0x402c7413},
		{"TCGETS", "x86", 0x5401},
		{"SO_REUSEADDR", "mipsel64", 4},
		{"SOL_SOCKET", "mips", 0xffff},
		{"EDEADLK", "mips", 45},
		{"EAGAIN", "mips", 11},
		{"MAP_ANONYMOUS", "mips64", 0x800},
		{"AT_FDCWD", "s390x", -100},
		{"EPERM", "x32", 1},
		{"FUTEX_WAIT_BITSET", "riscv64", 9},
		{"PER_LINUX32", "aarch64", 8},
		{"ADDR_NO_RANDOMIZE", "x86_64", 0x40000},
	} {
		a, err := arch.Lookup(tc.arch)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := constValue(tc.name, a); !ok || got != tc.want {
			t.Errorf("%s on %s = %#x, %v; want %#x", tc.name, tc.arch, got, ok, tc.want)
		}
	}
}

// TestValues checks the numbers a parsed comparison carries.
func TestValues(t *testing.T) {
	for _, tc := range []struct {
		rule string
		want Cmp
	}{
		{"arg0 == -100", Cmp{Arg: 0, Op: EQ, Value: 0xffffffffffffff9c, Bits: 64, ValueName: "-100"}},
		{"(u32)arg0 == -100", Cmp{Arg: 0, Op: EQ, Value: 0xffffff9c, Bits: 32, ValueName: "-100"}},
		{"dfd == AT_FDCWD", Cmp{Arg: 0, Op: EQ, Value: 0xffffffffffffff9c, Bits: 64, ValueName: "AT_FDCWD"}},
		{"(u32)dfd == AT_FDCWD", Cmp{Arg: 0, Op: EQ, Value: 0xffffff9c, Bits: 32, ValueName: "AT_FDCWD"}},
		{"(flags & O_ACCMODE) == O_WRONLY", Cmp{Arg: 2, Op: MaskedEQ, Mask: 3, Value: 1, Bits: 64, MaskName: "O_ACCMODE", ValueName: "O_WRONLY"}},
		{"flags >= O_WRONLY | O_CREAT", Cmp{Arg: 2, Op: GE, Value: 0x41, Bits: 64, ValueName: "O_WRONLY|O_CREAT"}},
		{"args[3] <= 0b101 | 0o10", Cmp{Arg: 3, Op: LE, Value: 13, Bits: 64}},
		{"arg5 != 0777", Cmp{Arg: 5, Op: NE, Value: 0o777, Bits: 64}},
		{"arg4 > -0x8000000000000000", Cmp{Arg: 4, Op: GT, Value: 1 << 63, Bits: 64, ValueName: "-0x8000000000000000"}},
	} {
		p, _, err := ParseText("t", []byte("default allow\narch x86_64\nopenat: "+tc.rule))
		if err != nil {
			t.Errorf("%s: %v", tc.rule, err)
			continue
		}
		if d := cmp.Diff(&tc.want, p.Rules[0].When); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.rule, d)
		}
	}
}

// TestNamedArgsPerSyscall: one rule for several syscalls resolves a named
// argument for each.
func TestNamedArgsPerSyscall(t *testing.T) {
	p, _, err := ParseText("t", []byte("default allow\narch x86_64\nopen, openat: (flags & O_CREAT) == O_CREAT => errno(EPERM)\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := "open: (arg1 & O_CREAT) == O_CREAT => errno(1)\nopenat: (arg2 & O_CREAT) == O_CREAT => errno(1)\n"
	if got := p.String(); !strings.HasSuffix(got, want) {
		t.Errorf("got\n%s\nwant it to end with\n%s", got, want)
	}
	// The predicates must be distinct copies.
	if p.Rules[0].When == p.Rules[1].When {
		t.Error("rules share one predicate")
	}
}

func TestParseAction(t *testing.T) {
	x86_64, _ := arch.Lookup("x86_64")
	mips, _ := arch.Lookup("mips")
	for _, tc := range []struct {
		s     string
		as    []*arch.Arch
		want  Action
		error string
	}{
		{"kill_thread", nil, KillThread, ""},
		{"kill", nil, KillThread, ""},
		{"notify", nil, UserNotif, ""},
		{"errno(EDEADLK)", []*arch.Arch{x86_64}, Errno(35), ""},
		{"errno(EDEADLK)", []*arch.Arch{mips}, Errno(45), ""},
		{"trap(0x10)", nil, Trap(16), ""},
		{"trace", nil, Trace(0), ""},
		{"log x", nil, 0, `action:1:5: expected end of line after the action, found "x"`},
	} {
		got, err := ParseAction(tc.s, tc.as)
		if tc.error != "" {
			if err == nil || err.Error() != tc.error {
				t.Errorf("ParseAction(%q) error %v, want %s", tc.s, err, tc.error)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseAction(%q) = %v, %v; want %v", tc.s, got, err, tc.want)
		}
	}
}

// TestTextDefaultArches: a file without arch lines targets no arch on any
// machine (a constant has nothing to take its value from), or
// TextOptions.DefaultArches; arch lines and TextOptions.Arches win over it.
func TestTextDefaultArches(t *testing.T) {
	mips, _ := arch.Lookup("mips")
	x86, _ := arch.Lookup("x86")
	src := []byte("default errno(EDEADLK)\nread: allow\n")
	if _, _, err := ParseTextWith("p", src, TextOptions{}); err == nil || !strings.Contains(err.Error(), "p:1:15: EDEADLK: no target arch") {
		t.Errorf("no arch: %v", err)
	}
	p, _, err := ParseTextWith("p", src, TextOptions{DefaultArches: []*arch.Arch{mips}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "default errno(45)\narch mips\nread: allow\n"; p.String() != want {
		t.Errorf("DefaultArches mips:\n%s\nwant\n%s", p, want)
	}
	for _, tc := range []struct {
		src  string
		opts TextOptions
		want string
	}{
		{"default errno(EDEADLK)\narch x86\n", TextOptions{DefaultArches: []*arch.Arch{mips}}, "default errno(35)\narch x86\n"},
		{"default errno(EDEADLK)\n", TextOptions{Arches: []*arch.Arch{x86}, DefaultArches: []*arch.Arch{mips}}, "default errno(35)\narch x86\n"},
	} {
		p, _, err := ParseTextWith("p", []byte(tc.src), tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		if p.String() != tc.want {
			t.Errorf("%q: got\n%s\nwant\n%s", tc.src, p, tc.want)
		}
	}
}

// TestErrorList: the parser reads on past a bad line, reports every bad
// line with its position and code, and stops after diag.MaxErrors.
func TestErrorList(t *testing.T) {
	type perr struct {
		Pos  string
		Code diag.Code
	}
	for _, tc := range []struct {
		src  string
		want []perr
	}{
		{"default allow\nread: arg9 == 1\nopen: allow allow\nbad-arch alow\nwrite: allow", []perr{
			{"t:2:7", diag.CodeRange}, {"t:3:13", diag.CodeSyntax}, {"t:4:10", diag.CodeUnknownName}}},
		{"default allow\nreed, writ: allow\nread: (arg0 == 1\ndefault kill", []perr{
			{"t:2:1", diag.CodeUnknownSyscall}, {"t:2:7", diag.CodeUnknownSyscall},
			{"t:3:17", diag.CodeSyntax}, {"t:4:1", diag.CodeDuplicate}}},
		{"arch x86_64 amd65\ndefault allow\nread: " + strings.Repeat("!", MaxNesting+5) + "(arg0 == 1)", []perr{
			{"t:1:13", diag.CodeUnknownArch}, {"t:3:" + strconv.Itoa(7+MaxNesting+1), diag.CodeNesting}}},
		{"read: allow", []perr{{"t:1:1", diag.CodeMissing}}},
	} {
		_, _, err := ParseText("t", []byte(tc.src))
		var got []perr
		for _, e := range diag.Errors(err) {
			got = append(got, perr{e.Pos.String(), e.Code})
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q: %v (-want +got):\n%s", tc.src, err, diff)
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Pos.String() != tc.want[0].Pos {
			t.Errorf("%q: errors.As: %v", tc.src, pe)
		}
		if lines := strings.Count(err.Error(), "\n") + 1; lines != len(tc.want) {
			t.Errorf("%q: %d lines in %q", tc.src, lines, err)
		}
	}

	// 50 bad lines: the first MaxErrors, then "too many errors" where the
	// parser stopped.
	var b strings.Builder
	b.WriteString("default allow\n")
	for range 50 {
		b.WriteString("read: arg7 == 1\n")
	}
	_, _, err := ParseText("t", []byte(b.String()))
	es := diag.Errors(err)
	if len(es) != diag.MaxErrors+1 {
		t.Fatalf("%d errors, want %d: %v", len(es), diag.MaxErrors+1, err)
	}
	for i, e := range es[:diag.MaxErrors] {
		if e.Line != i+2 || e.Code != diag.CodeRange {
			t.Errorf("error %d: %v (%s)", i, e, e.Code)
		}
	}
	if last := es[diag.MaxErrors]; last.Code != diag.CodeTooMany || last.Error() != "t:12:7: too many errors" {
		t.Errorf("last: %v (%s)", last, last.Code)
	}
}
