package policy

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cbpfkit/cbpf/arch"

	"github.com/cbpfkit/cbpf/diag"
)

// FuzzParseText: ParseText never panics, and whatever it accepts prints
// to text that parses back to the same policy and prints the same again.
func FuzzParseText(f *testing.F) {
	files, _ := filepath.Glob("testdata/text/*.policy")
	for _, name := range files {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"default allow\nread: arg0 == -1 || !(arg1 & 3) == 1",
		"default kill\narch x86\nsocket: (u32)family == AF_UNIX => trap(1)",
		"default errno(EPERM)\nclone: true\nclone: !false => log",
		"default allow\narch x86_64 mips\nioctl: arg1 == 0x5401 => errno(0xffff)",
		"default allow\narch x86_64 mips\nioctl: arg1 == 0x5401 => errno(4095)",
		"default allow\nread: errno(4096)",
		"default allow\nread: " + strings.Repeat("!", MaxNesting) + "arg0 == 1",
		"default allow\nread: " + strings.Repeat("(", MaxNesting) + "arg0 == 1" + strings.Repeat(")", MaxNesting),
		"default allow\nread: " + strings.Repeat("(arg0 == 1 || arg1 == 2 && ", 500) + "true" + strings.Repeat(")", 500),
		"default allow\nread, write, read, close: arg0 == 1 || arg1 != 2 => errno(EPERM)",
		"default allow\narch x86 x86_64\nopen, openat: (flags & O_CREAT) == O_CREAT && mode != 0 => kill",
		"default allow\narch x86 s390x\nsocket: arg0 == AF_PACKET && arg1 == 3 => kill_process\nshmget: arg1 == 4096\nmsgrcv: kill",
		"default allow\nread: arg0 == 18446744073709551615 || arg1 == -9223372036854775808 || (u32)arg2 == -1",
		"default allow\nread: arg0 == 18446744073709551616",
		"default allow\nptrce: allow",
		"default allow\nread: arg0 == 1 \xff",
		"default allow\narch x86_64\narch x86_64\nmmap2: allow\n",
		"default allow\nopenat, open: path in {\"/etc/a#b\", \"/usr/**\", \"/x/*.conf\"} => errno(EACCES) # c\noption mux-whole-arg0",
		"default errno(1)\nopenat: path not in {\"/\\\"q\\\\\", \"/\\u00e9\"}\nopenat2, creat: path in {\"/**\"} => kill",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, _, err := ParseText("f", src)
		if err != nil {
			es := diag.Errors(err)
			lines := bytes.Count(src, []byte("\n")) + 1
			if len(es) == 0 || len(es) > diag.MaxErrors+1 {
				t.Fatalf("%d errors: %v", len(es), err)
			}
			for _, e := range es {
				if e.Line < 1 || e.Line > lines || e.Col < 1 || e.Code == "" || e.Msg == "" {
					t.Fatalf("error without a position or code: %#v", e)
				}
			}
			return
		}
		text := p.String()
		q, _, err := ParseText("f", []byte(text))
		if err != nil {
			t.Fatalf("printed policy does not parse: %v\nsource:\n%s\nprinted:\n%s", err, src, text)
		}
		// go-cmp takes exponential time on deep predicates: compare
		// with equalPolicy, and diff only small ones.
		if !equalPolicy(p, q) {
			d := "(too deep to diff)"
			if len(text) < 10000 {
				opt := cmp.Comparer(func(a, b *arch.Arch) bool { return a == b })
				d = cmp.Diff(stripPos(p), stripPos(q), opt)
			}
			t.Fatalf("reparsed policy differs (-parsed +reparsed):\n%s\nprinted:\n%s", d, text)
		}
		if again := q.String(); again != text {
			t.Fatalf("printing is not stable:\n%s\nthen:\n%s", text, again)
		}
	})
}

// FuzzParseOCI: ParseOCI never panics, and what it accepts validates and
// prints to text that ParseText reads.
func FuzzParseOCI(f *testing.F) {
	files, _ := filepath.Glob("testdata/oci/*.json")
	for _, name := range files {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		`{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "ENOSYS", "syscalls": [{"names": ["read", "read"], "action": "SCMP_ACT_ALLOW", "errno": "EPERM"}]}`,
		`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4294967296, "Args": [{"index": 1, "value": 2, "op": "SCMP_CMP_GE"}]}]}`,
		`{"ociVersion": "1.2.0", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"], "syscalls": [{"names": ["socket"], "action": "SCMP_ACT_KILL", "args": [{"index": 1, "value": 3, "op": "SCMP_CMP_EQ"}]}]}}}`,
		`{"defaultAction": "SCMP_ACT_ALLOW", "x": [[[[[[[[[[]]]]]]]]]], "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "bogus": {"a": [1, "\"", {}]}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, _, err := ParseOCI("f.json", src, OCIOptions{Arch: "x86_64", Kernel: "6.1"})
		if err != nil {
			return
		}
		if errs := p.Errors(); len(errs) > 0 {
			t.Fatalf("ParseOCI accepted a policy with errors %v:\n%s", errs, src)
		}
		if _, _, err := ParseText("printed", []byte(p.String())); err != nil {
			t.Fatalf("printed policy does not parse: %v\n%s", err, p)
		}
	})
}

// equalPolicy compares two policies, positions aside, in linear time.
func equalPolicy(p, q *Policy) bool {
	if p.Default != q.Default || p.BadArch != q.BadArch || p.X32LowWord != q.X32LowWord || p.MuxWholeArg0 != q.MuxWholeArg0 ||
		len(p.Arches) != len(q.Arches) || len(p.Rules) != len(q.Rules) {
		return false
	}
	for i := range p.Arches {
		if p.Arches[i] != q.Arches[i] {
			return false
		}
	}
	for i, r := range p.Rules {
		s := q.Rules[i]
		if r.Syscall != s.Syscall || r.Action != s.Action || !equalExpr(r.When, s.When) ||
			r.PathsNot != s.PathsNot || !slices.Equal(r.Paths, s.Paths) || (r.Paths == nil) != (s.Paths == nil) {
			return false
		}
	}
	return true
}

func equalExpr(a, b Expr) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case *Cmp:
		b, ok := b.(*Cmp)
		return ok && *a == *b
	case *Not:
		b, ok := b.(*Not)
		return ok && equalExpr(a.X, b.X)
	case And:
		b, ok := b.(And)
		return ok && equalList(a, b)
	case Or:
		b, ok := b.(Or)
		return ok && equalList(a, b)
	}
	return false
}

func equalList(a, b []Expr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equalExpr(a[i], b[i]) {
			return false
		}
	}
	return true
}

// TestEqualPolicySeesPaths: FuzzParseText's oracle tells path rules and
// options apart, so a round trip that lost a pattern would be caught.
func TestEqualPolicySeesPaths(t *testing.T) {
	base := func() *Policy {
		p, _, err := ParseText("f", []byte("default allow\narch x86_64\nopenat: path in {\"/a\", \"/b/**\"} => errno(EACCES)\n"))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := base()
	for name, change := range map[string]func(q *Policy){
		"a pattern lost": func(q *Policy) { q.Rules[0].Paths = q.Rules[0].Paths[:1] },
		"in turned not":  func(q *Policy) { q.Rules[0].PathsNot = true },
		"mux option":     func(q *Policy) { q.MuxWholeArg0 = true },
	} {
		q := base()
		change(q)
		if equalPolicy(p, q) {
			t.Errorf("%s: equalPolicy says the policies are equal:\n%s\nvs\n%s", name, p, q)
		}
	}
}
