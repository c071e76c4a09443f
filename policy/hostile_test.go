package policy

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cbpfkit/cbpf/arch"
)

// deepNot is !!...!arg0 == 1 with n operators, built with the Go API.
func deepNot(n int) Expr {
	var e Expr = Arg(0).Eq(1)
	for range n {
		e = &Not{X: e}
	}
	return e
}

// TestPrintLinear: printing a deep or wide predicate takes time linear in
// its size (it was quadratic in the nesting: 500,000 '!' took minutes),
// and never recurses.
func TestPrintLinear(t *testing.T) {
	const n = 200_000
	wide := make(Or, n)
	for i := range wide {
		wide[i] = Arg(i % 6).Eq(uint64(i))
	}
	deepOr := Expr(Arg(0).Eq(1))
	for i := range n / 4 {
		deepOr = Or{And{deepOr, Arg(1).Ne(uint64(i))}, Arg(2).Eq(3)}
	}
	for _, tc := range []struct {
		name string
		e    Expr
		size int // lower bound of the text's length
	}{
		{"not", deepNot(n), n},
		{"wide", wide, 10 * n},
		{"nested and/or", deepOr, 5 * n},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			s := tc.e.String()
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("printing took %v", d)
			}
			if len(s) < tc.size {
				t.Errorf("printed %d bytes, want at least %d", len(s), tc.size)
			}
		})
	}
	// The text is what the recursive definition prints.
	if got, want := deepNot(3).String(), "!!!(arg0 == 1)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	e := Or{And{Arg(0).Eq(1), Or{Arg(1).Eq(2), And{}}}, &Not{X: Or{}}, &Not{X: And{Arg(2).Lt(3), Arg(3).Gt(4)}}, &Not{X: &Not{X: Arg(4).MaskedEq(6, 2)}}}
	if got, want := e.String(), "arg0 == 1 && (arg1 == 2 || true) || !false || !(arg2 < 3 && arg3 > 4) || !!((arg4 & 6) == 2)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestValidateDeep: Validate and Errors refuse predicates nested deeper
// than MaxNesting (and so Compile does), without recursing into them; a
// cyclic predicate is infinitely deep.
func TestValidateDeep(t *testing.T) {
	p := New(Allow).On(mustArch(t, "x86_64"))
	p.Add("read", deepNot(MaxNesting), Errno(1))
	if errs := p.Errors(); len(errs) != 0 {
		t.Errorf("nesting %d: %v", MaxNesting, errs)
	}
	p.Add("write", deepNot(MaxNesting+1), Errno(1))
	cyc := And{nil}
	cyc[0] = cyc
	p.Add("close", cyc, Errno(1))
	errs := p.Errors()
	if len(errs) != 2 || !strings.Contains(errs[0].Msg, "write: the predicate nests deeper than 1000 levels") || !strings.Contains(errs[1].Msg, "close: the predicate nests deeper") {
		t.Errorf("Errors() = %v", errs)
	}
	// A very deep tree is refused as quickly as a shallow one.
	q := New(Allow).On(mustArch(t, "x86_64")).Add("read", deepNot(1_000_000), Errno(1))
	if errs := q.Errors(); len(errs) != 1 {
		t.Errorf("Errors() = %v", errs)
	}
}

// TestValidateErrno: an errno the kernel would not return as written is an
// error, not a warning.
func TestValidateErrno(t *testing.T) {
	p := New(Errno(4096)).On(mustArch(t, "x86_64"))
	p.Deny(Errno(4095), "read")
	p.Deny(Errno(5000), "write")
	var got []string
	for _, e := range p.Errors() {
		got = append(got, e.String())
	}
	want := []string{
		"error: default action: errno 4096 is above 4095; the kernel would return 4095",
		"error: write: errno 5000 is above 4095; the kernel would return 4095",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Errors() = %q\nwant %q", got, want)
	}
}

// TestValidateNames: a syscall no arch knows is an error with a
// suggestion; one some targets lack is one warning naming them.
func TestValidateNames(t *testing.T) {
	p := New(Allow).On(mustArch(t, "x86_64"), mustArch(t, "x86"), mustArch(t, "aarch64"))
	p.Deny(KillProcess, "ptrce", "open", "mmap2", "riscv_flush_icache")
	var got []string
	for _, e := range p.Validate() {
		got = append(got, e.String())
	}
	want := []string{
		`error: unknown syscall "ptrce": no arch cbpf knows has it (did you mean ptrace?)`,
		"warning: open: no such syscall on aarch64; the rule is skipped there",
		"warning: mmap2: no such syscall on x86_64, aarch64; the rule is skipped there",
		"warning: riscv_flush_icache: no such syscall on x86_64, x86, aarch64; the rule is skipped",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Validate() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSharedPredicate: one line naming many syscalls makes one predicate
// for all (a line of 10 MB does not cost one copy per name), printed once.
func TestSharedPredicate(t *testing.T) {
	names := []string{"read", "write", "close", "fstat", "lseek", "mmap"}
	var or []string
	for i := range 2000 {
		or = append(or, fmt.Sprintf("arg0 == %d", i))
	}
	src := "default allow\narch x86_64\n" + strings.Join(names, ", ") + ": " + strings.Join(or, " || ") + " => errno(1)\n" +
		"open, openat: (flags & O_CREAT) == O_CREAT || arg0 == 1\n"
	p, _, err := ParseText("t", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rules) != 8 {
		t.Fatalf("%d rules", len(p.Rules))
	}
	for _, r := range p.Rules[1:6] {
		if !sameExpr(r.When, p.Rules[0].When) {
			t.Errorf("%s has a predicate of its own", r.Syscall)
		}
	}
	text := p.String()
	if len(text) > 2*len(src) {
		t.Errorf("printed %d bytes for a %d-byte source", len(text), len(src))
	}
	want := "open: (arg1 & O_CREAT) == O_CREAT || arg0 == 1\nopenat: (arg2 & O_CREAT) == O_CREAT || arg0 == 1\n"
	if !strings.HasSuffix(text, want) {
		t.Errorf("named arguments: got\n%s", text[strings.LastIndex(text, "=> errno(1)"):])
	}
	checkRoundTrip(t, p)
	var b bytes.Buffer
	if n, err := p.WriteTo(&b); err != nil || n != int64(len(text)) || b.String() != text {
		t.Errorf("WriteTo: %d, %v; differs from String: %v", n, err, b.String() != text)
	}
}

// TestSourceNotKept: the parser reads the source in place but keeps none
// of it: overwriting the source changes nothing.
func TestSourceNotKept(t *testing.T) {
	src := []byte("default errno(EPERM)\narch x86_64\nsocket, socketpair: family == AF_INET || arg1 == -1 => errno(EACCES)\nread: (arg0 & O_ACCMODE|O_CREAT) == O_CREAT\nopnatt: allow\n")
	_, _, err := ParseText("t", src)
	if err == nil {
		t.Fatal("no error for opnatt")
	}
	src = bytes.Replace(src, []byte("opnatt: allow\n"), nil, 1)
	p, warns, err := ParseText("t", src)
	if err != nil {
		t.Fatal(err)
	}
	before, msg := p.String(), fmt.Sprint(warns, err)
	for i := range src {
		src[i] = 'X'
	}
	if after := p.String(); after != before || fmt.Sprint(warns, err) != msg {
		t.Errorf("the policy changed with its source:\n%s\nthen\n%s", before, after)
	}
}

// TestWarningsBounded: a file with a million warnings returns a bounded
// number, the last saying how many were left out.
func TestWarningsBounded(t *testing.T) {
	src := "default allow\narch x86_64\n" + strings.Repeat("read: arg0 < 0\n", 100_000)
	_, warns, err := ParseText("t", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != maxWarnings+1 || warns[maxWarnings].Msg != "198999 more problems not shown" {
		t.Errorf("%d warnings, last %v", len(warns), warns[len(warns)-1])
	}
}

// TestRepeatedRules: a rule written again is dropped, with a warning
// (a file of a million identical lines makes one rule).
func TestRepeatedRules(t *testing.T) {
	src := "default allow\narch x86_64\nread: allow\nread: arg0 == 1 => kill\nread: allow\nread: arg0 == 1 => kill\nread: arg0 == 1\nwrite: allow\n"
	p, warns, err := ParseText("t", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := "default allow\narch x86_64\nread: allow\nread: arg0 == 1 => kill_thread\nread: arg0 == 1\nwrite: allow\n"
	if got := p.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	warns = slices.DeleteFunc(warns, func(w Problem) bool { return strings.Contains(w.Msg, "as a 32-bit value") }) // arg32note.go
	if fmt.Sprint(warns) != "[t:5:1: warning: read: the same rule as on line 3; dropped t:6:1: warning: read: the same rule as on line 4; dropped]" {
		t.Errorf("warnings %v", warns)
	}
	p, _, err = ParseText("t", []byte("default allow\n"+strings.Repeat("read: arg0 == 7 => errno(1)\n", 100_000)))
	if err != nil || len(p.Rules) != 1 {
		t.Errorf("%d rules, %v", len(p.Rules), err)
	}
}

// TestHostileText: hostile inputs give a positioned error or a policy,
// quickly, and never a panic.
func TestHostileText(t *testing.T) {
	const head = "default allow\narch x86_64\n"
	big := 1 << 20
	for _, tc := range []struct {
		name, src, err string
	}{
		{"deep not", head + "read: " + strings.Repeat("!", 2_000_000) + "arg0 == 1 => errno(2)", "t:3:1008: nesting too deep (limit 1000)"},
		{"deep parens", head + "read: " + strings.Repeat("(", 1_000_000) + "arg0 == 1" + strings.Repeat(")", 1_000_000), "t:3:1008: nesting too deep (limit 1000)"},
		{"unclosed", head + "read: " + strings.Repeat("(", 900) + "arg0 == 1", "t:3:916: expected ')' to close the parenthesis, found end of line"},
		{"long or", head + "read: " + strings.Repeat("arg0 == 1 || ", big/13) + "arg0 == 2", ""},
		{"many names", head + strings.Repeat("read, ", big/6) + "write: arg0 == 1", ""},
		{"long comment", head + "# " + strings.Repeat("x", big) + "\nread: allow", ""},
		{"long number", head + "read: arg0 == " + strings.Repeat("7", big), "t:3:15: number " + strings.Repeat("7", 64) + "... (1048576 bytes) does not fit in 64 bits"},
		{"long name", head + strings.Repeat("x", big) + ": allow", `t:3:1: unknown syscall "` + strings.Repeat("x", 63) + `... (1048578 bytes): no arch cbpf knows has it`},
		{"2^64", head + "read: arg0 == 0x10000000000000000", "t:3:15: number 0x10000000000000000 does not fit in 64 bits"},
		{"2^32 u32", head + "read: (u32)arg0 == 4294967296", "t:3:20: 4294967296 does not fit a 32-bit comparison"},
		{"errno 2^32", head + "read: errno(4294967296)", "t:3:13: errno(4294967296): the value must be 0 to 4095 (the kernel returns larger errno values as 4095)"},
		{"errno 2^64", head + "read: errno(18446744073709551616)", "t:3:13: number 18446744073709551616 does not fit in 64 bits"},
		{"truncated", head + "read: arg0 == 1 ||", "t:3:19: expected an argument (arg0..arg5, args[N] or a name such as fd), found end of line"},
		{"truncated masked", head + "read: (arg0 & ", "t:3:15: expected a value (a number or a constant such as O_RDONLY), found end of line"},
		{"nul", head + "read: allow\x00", "t:3:12: unexpected character '\\x00'"},
		{"garbage", "\xff\xfe\x00\x01", "t:1:1: unexpected byte 0xff (not UTF-8 text)"},
		{"blank lines", strings.Repeat("\n", big) + "default allow", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, _, err := ParseText("t", []byte(tc.src))
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.err {
				t.Errorf("error %s, want %q", quote(got), tc.err)
			}
		})
	}
}

func TestParseTextForTargets(t *testing.T) {
	// Constants before the arch lines take their values on all targets.
	src := "default errno(EDEADLK)\nopen: (flags & O_DIRECTORY) == 0\narch aarch64\n"
	p, _, err := ParseText("t", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Rules[0].When.(*Cmp); c.Mask != 0o40000 || p.Default != Errno(35) {
		t.Errorf("O_DIRECTORY %#x, default %v", c.Mask, p.Default)
	}
	// The override replaces the arch lines.
	p, _, err = ParseTextFor("t", []byte(src), []*arch.Arch{mustArch(t, "x86_64")})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Rules[0].When.(*Cmp); c.Mask != 0o200000 || len(p.Arches) != 1 || p.Arches[0].Name != "x86_64" {
		t.Errorf("O_DIRECTORY %#x, arches %v", c.Mask, p.Arches)
	}
}
