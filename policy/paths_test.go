package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestMatchPath(t *testing.T) {
	for _, c := range []struct {
		pat, path string
		want      bool
	}{
		{"/etc/safe.conf", "/etc/safe.conf", true},
		{"/etc/safe.conf", "/etc/safe.conf2", false},
		{"/etc/safe.conf", "/etc", false},
		{"/etc", "/etc/safe.conf", false},
		{"/usr/share/zoneinfo/**", "/usr/share/zoneinfo", true},
		{"/usr/share/zoneinfo/**", "/usr/share/zoneinfo/Europe/Paris", true},
		{"/usr/share/zoneinfo/**", "/usr/share/zoneinfo2/UTC", false},
		{"/usr/share/zoneinfo/**", "/usr/share", false},
		{"/var/log/*.log", "/var/log/syslog.log", true},
		{"/var/log/*.log", "/var/log/a/b.log", false},
		{"/var/log/*.log", "/var/log/.log", true},
		{"/var/log/*.log", "/var/log/log", false},
		{"/a/*/c", "/a/b/c", true},
		{"/a/*/c", "/a/c", false},
		{"/a/**/c", "/a/c", true},
		{"/a/**/c", "/a/x/y/c", true},
		{"/a/**/c", "/a/x/y/d", false},
		{"/a/b*c*d", "/a/bxcyd", true},
		{"/a/b*c*d", "/a/bcd", true},
		{"/a/b*c*d", "/a/bdc", false},
		{"/a/*a", "/a/a", true}, // the suffix does not overlap the prefix
		{"/a/ab*ba", "/a/aba", false},
		{"/**", "/", true},
		{"/**", "/anything/at/all", true},
		{"/", "/", true},
		{"/", "/etc", false},
		{"/**/**", "/", true},
		{"/**/**/**", "/", true},
		{"/**/x/**", "/x", true},
		// Invalid patterns and relative paths match nothing.
		{"etc/x", "etc/x", false},
		{"/etc/../etc/x", "/etc/x", false},
		{"/etc/x", "x", false},
		{"/etc/x", "", false},
	} {
		if got := MatchPath(c.pat, c.path); got != c.want {
			t.Errorf("MatchPath(%q, %q) = %v, want %v", c.pat, c.path, got, c.want)
		}
	}
}

func TestCheckPathPattern(t *testing.T) {
	for _, c := range []struct{ pat, err string }{
		{"/etc/x", ""},
		{"/", ""},
		{"/a/**/b/*.c", ""},
		{"", "empty"},
		{"etc", "not absolute"},
		{"/etc/", "ends in /"},
		{"/etc//x", "empty segment"},
		{"/etc/./x", `"." segment`},
		{"/etc/../x", `".." segment`},
		{"/etc/a**", "whole segment"},
		{"/a\x00b", "NUL"},
	} {
		err := CheckPathPattern(c.pat)
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("CheckPathPattern(%q) = %v, want %q", c.pat, err, c.err)
		}
	}
}

const pathPolicy = `default errno(EPERM)
arch x86_64
read, write, close, exit_group: allow
openat, open: path in {"/etc/safe.conf", "/usr/share/zoneinfo/**", "/tmp/a#b"} # a comment
openat: path in {"/usr/share/zoneinfo/secret"} => errno(EACCES)
openat: arg2 == 0x40 => kill_process
`

// TestPathRulesParse: the syntax round-trips through String, keeps a # in
// a string, and says where a path rule is wrong.
func TestPathRulesParse(t *testing.T) {
	p, _, err := ParseText("p.policy", []byte(pathPolicy))
	if err != nil {
		t.Fatal(err)
	}
	var paths []Rule
	for _, r := range p.Rules {
		if r.Paths != nil {
			paths = append(paths, r)
		}
	}
	if len(paths) != 3 || paths[0].Syscall != "openat" || paths[1].Syscall != "open" ||
		len(paths[0].Paths) != 3 || paths[0].Paths[2] != "/tmp/a#b" || paths[0].Action != Allow ||
		paths[2].Action != Errno(13) || paths[0].Pos != "p.policy:4:1" {
		t.Fatalf("path rules %+v", paths)
	}
	text := p.String()
	q, _, err := ParseText("again", []byte(text))
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if q.String() != text {
		t.Errorf("round trip:\n%s\nthen\n%s", text, q.String())
	}
	if got := p.PathRuleSyscalls(); len(got) != 2 || got[0] != "openat" || got[1] != "open" {
		t.Errorf("PathRuleSyscalls = %v", got)
	}

	for _, c := range []struct{ src, err string }{
		{`read: path in {"/x"}`, "3:1: read: path rules apply to open, openat, openat2, creat"},
		{`openat: path in {"x"}`, `3:18: path pattern "x" is not absolute`},
		{`openat: path in {"/x/../y"}`, `3:18: path pattern "/x/../y" has a ".." segment`},
		{`openat: path in {"/x}`, "3:18: unterminated string"},
		{`openat: path in {"/x" "/y"}`, `3:23: expected '}' after the path patterns`},
		{`openat: path in {}`, "3:18: expected a path pattern in quotes"},
		{`openat: path in "/x"`, "3:17: expected '{' after 'path in'"},
		{`openat: path in {"/x"} => trap`, "3:1: openat: TRAP(0) with path rules on openat: a supervisor can only"},
		{`openat: path in {"/x\q"}`, "3:18: bad string"},
		{"openat: path in {\"/x\"} && arg0 == 1", "3:24: expected end of line after the path rule"},
		{"openat: path in {\"/x\"}\nopenat: arg0 == 1 => trace(1)", "4:1: openat: TRACE(1) with path rules"},
	} {
		src := "default allow\narch x86_64\n" + c.src + "\n"
		_, _, err := ParseText("e", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "e:"+c.err) {
			t.Errorf("%q: error %v, want %q", c.src, err, c.err)
		}
	}
	if _, _, err := ParseText("e", []byte("default trap\narch x86_64\nopenat: path in {\"/x\"}\n")); err == nil ||
		!strings.Contains(err.Error(), "e:1:1: default TRAP(0) with path rules") {
		t.Errorf("default trap with path rules: %v", err)
	}
}

// TestPathRulesEval: Eval decides path rules on the call's path as any
// other rule (the most restrictive match wins, the default when none
// does); a call whose path is unknown is USER_NOTIF, what ForFilter's
// policy says for every call.
func TestPathRulesEval(t *testing.T) {
	p, _, err := ParseText("p.policy", []byte(pathPolicy))
	if err != nil {
		t.Fatal(err)
	}
	a := p.Arches[0]
	nr := func(name string) int32 {
		n, ok := a.SyscallNumber(name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		return int32(n)
	}
	openat, open, read := nr("openat"), nr("open"), nr("read")
	for _, c := range []struct {
		nr   int32
		arg2 uint64
		path string
		want Action
	}{
		{openat, 0, "/etc/safe.conf", Allow},
		{open, 0, "/etc/safe.conf", Allow},
		{openat, 0, "/etc/passwd", Errno(1)},
		{openat, 0, "/usr/share/zoneinfo/UTC", Allow},
		{openat, 0, "/usr/share/zoneinfo/secret", Errno(13)}, // both match: errno wins over allow
		{open, 0, "/usr/share/zoneinfo/secret", Allow},       // no errno rule on open
		{openat, 0x40, "/etc/safe.conf", KillProcess},
		{openat, 0x40, "/elsewhere", KillProcess},
		{openat, 0, "/tmp/a#b", Allow},
		{read, 0, "/etc/passwd", Allow}, // a path means nothing to read
	} {
		call := Call{Arch: a.Audit, Nr: c.nr, Args: [6]uint64{0, 0, c.arg2}, Path: c.path, PathKnown: true}
		if got := Eval(p, call); got != c.want {
			t.Errorf("nr %d %q arg2 %#x: %v, want %v", c.nr, c.path, c.arg2, got, c.want)
		}
	}
	f := p.ForFilter()
	if f.HasPathRules() || !p.HasPathRules() {
		t.Fatal("ForFilter kept path rules")
	}
	r := rand.New(rand.NewPCG(5, 5))
	for range 2000 {
		call := Call{Arch: a.Audit, Nr: []int32{openat, open, read, nr("write"), nr("mmap"), 1000}[r.IntN(6)]}
		for i := range call.Args {
			call.Args[i] = []uint64{0, 0x40, r.Uint64()}[r.IntN(3)]
		}
		got, want := Eval(f, call), Eval(p, call)
		if got != want {
			t.Fatalf("%+v: ForFilter %v, Eval with an unknown path %v", call, got, want)
		}
		if (call.Nr == openat || call.Nr == open) != (want == UserNotif) {
			t.Fatalf("%+v: %v", call, want)
		}
	}
}

// TestPathsNot: "path not in" is the allow-list of a default-allow
// policy: the calls whose path matches none of the patterns.
func TestPathsNot(t *testing.T) {
	src := "default allow\narch x86_64\nopenat, open: path not in {\"/etc/**\", \"/usr/lib/**\"} => errno(EACCES)\nopenat: path in {\"/etc/shadow\"} => errno(EPERM)\n"
	p, _, err := ParseText("n.policy", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !p.Rules[0].PathsNot || p.Rules[2].PathsNot {
		t.Fatalf("rules %+v", p.Rules)
	}
	if q, _, err := ParseText("again", []byte(p.String())); err != nil || q.String() != p.String() {
		t.Fatalf("round trip: %v\n%s", err, p.String())
	}
	a := p.Arches[0]
	openat, _ := a.SyscallNumber("openat")
	for path, want := range map[string]Action{
		"/etc/hosts":        Allow,
		"/usr/lib/libc.so":  Allow,
		"/home/u/.ssh/id":   Errno(13),
		"/etc":              Allow,
		"/etc/shadow":       Errno(1),
		"/usr/libexec/x":    Errno(13),
		"/tmp/../etc/hosts": Errno(13), // Eval takes resolved paths: this one is not
	} {
		if got := Eval(p, Call{Arch: a.Audit, Nr: int32(openat), Path: path, PathKnown: true}); got != want {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
}

// TestMatchPathManyDoubleStars: the path comes from the supervised
// program (cbpf exec's supervisor evaluates policy.Eval on it), so no
// pattern may make matching it costly. Trying every split for each "**"
// cost O(n^(k+1)) for k of them: 2m22s for "/**/**/**/x" against
// "/a/a/.../a" of 2000 segments (PATH_MAX allows about that many).
func TestMatchPathManyDoubleStars(t *testing.T) {
	for _, c := range []struct {
		pattern string
		segs    int
	}{
		{"/**/**/x", 2000},
		{"/**/**/**/x", 1000},
		{"/home/**/a/**/b/**/c/**/x", 2000},
	} {
		path := strings.Repeat("/a", c.segs)
		done := make(chan bool, 1)
		start := time.Now()
		go func() { done <- MatchPath(c.pattern, path) }()
		select {
		case got := <-done:
			if got {
				t.Errorf("MatchPath(%q, /a x %d) = true", c.pattern, c.segs)
			}
			if d := time.Since(start); d > 100*time.Millisecond {
				t.Errorf("MatchPath(%q, /a x %d) took %v: want linear in the path", c.pattern, c.segs, d)
			}
		case <-time.After(3 * time.Second):
			t.Fatalf("MatchPath(%q, /a x %d) still running after 3s (the supervisor answers opens with it)", c.pattern, c.segs)
		}
	}
	// Through Eval, as cbpf exec's supervisor calls it.
	p, _, err := ParseText("f", []byte("default allow\narch x86_64\nopenat: path in {\"/**/**/**/secret\"} => errno(EACCES)\n"))
	if err != nil {
		t.Fatal(err)
	}
	x86 := p.Arches[0]
	nr, _ := x86.SyscallNumber("openat")
	done := make(chan Action, 1)
	go func() {
		done <- Eval(p, Call{Arch: x86.Audit, Nr: int32(nr), Path: strings.Repeat("/a", 1000), PathKnown: true})
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatalf("Eval of an openat of /a/a/.../a (1000 segments) under a path rule with three ** still running after 3s")
	}
}
