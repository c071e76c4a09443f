package main

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/diag"
)

// cli runs cbpf with args and stdin, returning its outputs and exit code.
func cli(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = cbpf(&env{stdin: strings.NewReader(stdin), stdout: &o, stderr: &e}, args)
	return o.String(), e.String(), code
}

func TestHelp(t *testing.T) {
	out, _, code := cli(t, "", "help")
	if code != exitOK {
		t.Fatalf("help: exit %d", code)
	}
	for _, c := range commands {
		if !strings.Contains(out, "\t"+c.name+" ") {
			t.Errorf("help does not list %q:\n%s", c.name, out)
		}
		// Every command has -h, exits 0 and prints its usage on stdout.
		o, e, code := cli(t, "", c.name, "-h")
		if code != exitOK || !strings.HasPrefix(o, "Usage: cbpf "+c.name) || e != "" {
			t.Errorf("%s -h: exit %d, stdout %q, stderr %q", c.name, code, o, e)
		}
	}
	if _, _, code := cli(t, ""); code != exitUsage {
		t.Errorf("no args: exit %d, want %d", code, exitUsage)
	}
	if _, e, code := cli(t, "", "frobnicate"); code != exitUsage || !strings.Contains(e, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, e)
	}
	if o, _, code := cli(t, "", "version"); code != exitOK || !strings.HasPrefix(o, "cbpf ") {
		t.Errorf("version: exit %d, stdout %q", code, o)
	}
	if _, e, code := cli(t, "", "version", "x"); code != exitUsage || !strings.Contains(e, `takes no arguments, got "x"`) {
		t.Errorf("version x: exit %d, stderr %q", code, e)
	}
}

// TestCommandHelp: every command's -h, and "cbpf help NAME", exits 0 and
// prints on stdout a usage line made from the command's declaration,
// "Usage: cbpf NAME [flags] ARGS" ("[flags]" once, and only for a command
// that has flags; no ARGS for one that takes none), its help, and its
// flags; nothing on stderr; no line ends in a blank.
func TestCommandHelp(t *testing.T) {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
		if c.summary == "" || c.about == "" || c.run == nil {
			t.Errorf("%s: declared without summary, help or run", c.name)
		}
		if strings.Contains(c.args, "flags") {
			t.Errorf("%s: args %q name the flags, which the usage line adds", c.name, c.args)
		}
		for _, args := range [][]string{{c.name, "-h"}, {c.name, "--help"}, {"help", c.name}, {c.name, "x", "-h"}} {
			out, e, code := cli(t, "", args...)
			if code != exitOK || e != "" {
				t.Errorf("cbpf %s: exit %d, stderr %q", strings.Join(args, " "), code, e)
			}
			first, rest, _ := strings.Cut(out, "\n")
			want := "Usage: cbpf " + c.name
			if strings.Contains(out, "\nFlags:\n") {
				want += " [flags]"
			}
			if c.args != "" {
				want += " " + c.args
			}
			if first != want {
				t.Errorf("cbpf %s: usage line %q, want %q", strings.Join(args, " "), first, want)
			}
			f := strings.Fields(first)
			for i := 1; i < len(f); i++ {
				if f[i] == f[i-1] {
					t.Errorf("cbpf %s: %q twice in the usage line %q", strings.Join(args, " "), f[i], first)
				}
			}
			if !strings.HasPrefix(rest, "\n"+strings.TrimSpace(c.about)+"\n") {
				t.Errorf("cbpf %s: the usage line is not followed by the help:\n%s", strings.Join(args, " "), out)
			}
			for i, l := range strings.Split(out, "\n") {
				if strings.TrimRight(l, " \t") != l {
					t.Errorf("cbpf %s: line %d ends in a blank: %q", strings.Join(args, " "), i+1, l)
				}
			}
		}
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("commands are not sorted, or a name is declared twice: %q", names)
	}
}

// TestExitErrors: cbpf maps the error a command returns to its exit status
// and message in one place.
func TestExitErrors(t *testing.T) {
	for _, tc := range []struct {
		err    error
		code   int
		stderr string
	}{
		{nil, exitOK, ""},
		{status(exitBad), exitBad, ""},
		{status(exitInvalid), exitInvalid, ""},
		{fail(exitUnknown, "x: %d", 3), exitUnknown, "x: 3\n"},
		{errors.New("disk on fire"), exitUsage, "cbpf test: disk on fire\n"},
	} {
		c := &command{name: "test", summary: "s", about: "a", run: func(*env, *flags, []string) error { return tc.err }}
		var o, e bytes.Buffer
		code := c.main(&env{stdin: strings.NewReader(""), stdout: &o, stderr: &e}, nil)
		if code != tc.code || e.String() != tc.stderr || o.Len() != 0 {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit %d, stderr %q", tc.err, code, e.String(), o.String(), tc.code, tc.stderr)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"disasm", "--no-such-flag"},
		{"disasm", "-o", "nope"},
		{"asm", "-i", "nope", "x"},
		{"asm", "a", "b"},
		{"disasm", "--example", "file"},
	} {
		_, e, code := cli(t, "", args...)
		if code != exitUsage || e == "" || strings.Contains(e, "goroutine") {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and a message", args, code, e)
		}
	}
	if _, e, code := cli(t, "", "disasm", "/no/such/file"); code != exitUsage || !strings.Contains(e, "/no/such/file") {
		t.Errorf("missing file: exit %d, stderr %q", code, e)
	}
}

func TestAsmDisasm(t *testing.T) {
	src := "ld [0]\njeq #39, ok, deny\nok: ret #0x7fff0000\ndeny: ret #0\n"
	ddd, e, code := cli(t, src, "asm")
	if code != exitOK {
		t.Fatalf("asm: exit %d: %s", code, e)
	}
	want := "4\n32 0 0 0\n21 0 1 39\n6 0 0 2147418112\n6 0 0 0\n"
	if ddd != want {
		t.Errorf("asm -o ddd = %q, want %q", ddd, want)
	}
	// Back to asm text and again to ddd: the same program.
	text, e, code := cli(t, ddd, "disasm")
	if code != exitOK {
		t.Fatalf("disasm: exit %d: %s", code, e)
	}
	again, e, code := cli(t, text, "asm")
	if code != exitOK || again != ddd {
		t.Errorf("asm(disasm(p)) = %q (exit %d, %s), want %q", again, code, e, ddd)
	}
	// Bad input: exit 1, a positioned message, no stack trace.
	_, e, code = cli(t, "ld [0]\njeq #39, nowhere\nret #0\n", "asm")
	if code != exitBad || !strings.HasPrefix(e, "<stdin>:2:") || strings.Contains(e, "goroutine") {
		t.Errorf("bad asm: exit %d, stderr %q", code, e)
	}
}

func TestExample(t *testing.T) {
	for _, f := range []string{"asm", "ddd", "pseudo", "tcpdump", "dot", "go", "c", "xt"} {
		out, e, code := cli(t, "", "disasm", "--example", "-o", f)
		if code != exitOK || out == "" {
			t.Errorf("disasm --example -o %s: exit %d, stderr %q", f, code, e)
		}
	}
	out, _, _ := cli(t, "", "disasm", "--example", "-o", "pseudo")
	for _, want := range []string{"ALLOW", "KILL_PROCESS", "ERRNO(38)"} {
		if !strings.Contains(out, want) {
			t.Errorf("pseudo listing of the example lacks %q:\n%s", want, out)
		}
	}
}

// TestEveryDiagnostic: bad input gets every diagnostic of the parser, one
// a line, and exit status 1; past diag.MaxErrors, "too many errors".
func TestEveryDiagnostic(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"policy", "default allow\nread: arg9 == 1\nopen: allow allow\nreed: allow\n", []string{"compile", "--arch", "x86_64", "-"}, []string{
			"<stdin>:2:7: argument 9: syscalls have arguments 0 to 5",
			`<stdin>:3:13: expected end of line after the rule, found "allow"`,
			`<stdin>:4:1: unknown syscall "reed": no arch cbpf knows has it (did you mean read?)`,
		}},
		{"asm", "ld [0]\nfrob\njeq #1, x, y, z\nret #0\nld M[16]\n", []string{"asm", "-i", "asm", "-"}, []string{
			`<stdin>:2:1: unknown mnemonic "frob"`,
			"<stdin>:3:13: conditional jump needs 1 or 2 targets",
			"<stdin>:5:6: M[16]: scratch index must be 0..15",
		}},
		{"oci", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
 {"names": ["read"], "action": "ALLOW"},
 {"names": ["open"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 7, "value": 1, "op": "SCMP_CMP_EQ"}]}]}`, []string{"compile", "--arch", "x86_64", "--kernel", "6.1", "-"}, []string{
			`<stdin>:2:32: syscalls[0].action: unknown action "ALLOW" (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, ...)`,
			"<stdin>:3:69: syscalls[1].args[0].index: argument index 7: syscalls have arguments 0 to 5",
		}},
		{"too many", "ret #0\n" + strings.Repeat("frob\n", 50), []string{"asm", "-i", "asm", "-"}, append(slices.Repeat([]string{`unknown mnemonic "frob"`}, diag.MaxErrors), "too many errors")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := cli(t, tc.stdin, tc.args...)
			got := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if code != exitBad || len(got) != len(tc.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant %d lines", code, stderr, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.HasSuffix(got[i], w) {
					t.Errorf("line %d: %q, want %q", i+1, got[i], w)
				}
			}
		})
	}
}
