package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cbpfkit/cbpf/diag"
)

// Path rules: what a filter cannot decide.
//
// A seccomp filter sees a syscall's registers, never the memory they
// point to, so it cannot tell which file open(2) is asked to open. A rule
// with Paths, written in the policy language as
//
//	openat, open: path in {"/etc/safe.conf", "/usr/share/zoneinfo/**"}
//	openat: path in {"/etc/shadow"} => errno(EACCES)
//	openat, open: path not in {"/etc/**", "/usr/**"} => errno(EACCES)
//
// applies to the calls whose path is one of the patterns ("not in": none
// of them): its action (allow when the rule names none) is taken for
// them, and the other calls of the syscall are decided by the rest of the
// policy, as always (the most restrictive matching rule wins, the default
// when none matches). Under "default allow", "path not in" with an errno
// is the allow-list: those paths only.
//
// The filter sends every call of a syscall that has path rules to a
// user-notification supervisor (SECCOMP_RET_USER_NOTIF), and nothing else:
// every other call stays in the filter, cached by the kernel where it was.
// The supervisor (cbpf exec, or package seccomp's) reads the path, resolves
// it as the kernel would, decides with Eval on the resolved path, and
// carries the decision out itself: for allow and log it opens the file
// and hands the descriptor to the caller (SECCOMP_IOCTL_NOTIF_ADDFD with
// SECCOMP_ADDFD_FLAG_SEND), never letting the call run on its own
// (CONTINUE would let the caller change the path after the check); an
// errno it returns; kill_process and kill_thread it carries out by killing
// the process with SIGKILL (the process dies of SIGKILL, not of SIGSYS).
// Trap, trace and user_notif cannot be carried out by a supervisor, nor
// errno(0) (the call would return 0, a descriptor it never opened), so a
// policy refuses them for syscalls with path rules (Validate).
//
// Patterns are absolute and clean ("/a/b", no ".", "..", "//" or trailing
// "/"). A segment "*" matches one path segment, "**" any number of them
// (none included), and "*" inside a segment any characters but "/"
// ("/var/log/*.log"). A pattern is compared with the path the kernel would
// open after following every symlink and "..": "/etc/../etc/safe.conf" is
// "/etc/safe.conf", and a symlink in an allowed directory that points out
// of it does not match.

// PathSyscalls are the syscalls path rules apply to: those that open a
// file by name and return a descriptor, which a supervisor can open itself
// and inject.
var PathSyscalls = []string{"open", "openat", "openat2", "creat"}

// IsPathSyscall reports whether path rules may be written for name.
func IsPathSyscall(name string) bool { return slices.Contains(PathSyscalls, name) }

// CheckPathPattern reports what is wrong with pattern, or nil.
func CheckPathPattern(pattern string) error {
	switch {
	case pattern == "":
		return fmt.Errorf("empty path pattern")
	case pattern[0] != '/':
		return fmt.Errorf("path pattern %q is not absolute (it must start with /)", pattern)
	case strings.IndexByte(pattern, 0) >= 0:
		return fmt.Errorf("path pattern %q contains a NUL byte", pattern)
	case pattern == "/":
		return nil
	case strings.HasSuffix(pattern, "/"):
		return fmt.Errorf("path pattern %q ends in /: write %q, or %q for what is inside", pattern, strings.TrimRight(pattern, "/"), strings.TrimRight(pattern, "/")+"/**")
	}
	for _, seg := range strings.Split(pattern[1:], "/") {
		switch {
		case seg == "":
			return fmt.Errorf("path pattern %q has an empty segment (//)", pattern)
		case seg == "." || seg == "..":
			return fmt.Errorf("path pattern %q has a %q segment: patterns are matched with resolved paths, write the path it means", pattern, seg)
		case strings.Contains(seg, "**") && seg != "**":
			return fmt.Errorf("path pattern %q: ** must be a whole segment", pattern)
		}
	}
	return nil
}

// MatchPath reports whether the resolved absolute path matches pattern
// (see the package documentation on path rules). A pattern that
// CheckPathPattern refuses matches nothing.
func MatchPath(pattern, path string) bool {
	if CheckPathPattern(pattern) != nil || path == "" || path[0] != '/' {
		return false
	}
	split := func(s string) []string {
		if s == "/" {
			return nil
		}
		return strings.Split(s[1:], "/")
	}
	return matchSegs(split(pattern), split(path))
}

// matchSegs matches path segments with pattern segments, "**" matching
// any number of them. It fills, from the end, which suffixes of the path
// each suffix of the pattern matches: O(len(pat) * len(segs)) segment
// matches whatever the number of "**" (the path comes from the supervised
// program, so no pattern may make it costly).
func matchSegs(pat, segs []string) bool {
	n := len(segs)
	next := make([]bool, n+1) // next[j]: pat[i+1:] matches segs[j:]
	cur := make([]bool, n+1)
	next[n] = true
	for i := len(pat) - 1; i >= 0; i-- {
		if pat[i] == "**" {
			cur[n] = next[n]
			for j := n - 1; j >= 0; j-- {
				cur[j] = next[j] || cur[j+1]
			}
		} else {
			cur[n] = false
			for j := n - 1; j >= 0; j-- {
				cur[j] = next[j+1] && matchSeg(pat[i], segs[j])
			}
		}
		next, cur = cur, next
	}
	return next[0]
}

// matchSeg matches one segment with a pattern segment in which "*" is any
// run of characters.
func matchSeg(pat, seg string) bool {
	parts := strings.Split(pat, "*")
	if len(parts) == 1 {
		return pat == seg
	}
	if !strings.HasPrefix(seg, parts[0]) {
		return false
	}
	seg = seg[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(seg, p)
		if i < 0 {
			return false
		}
		seg = seg[i+len(p):]
	}
	return len(seg) >= len(last) && strings.HasSuffix(seg, last)
}

// matchesAny reports whether path matches one of the patterns.
func matchesAny(patterns []string, path string) bool {
	for _, p := range patterns {
		if MatchPath(p, path) {
			return true
		}
	}
	return false
}

// writePathRule writes a path rule in the policy language:
// `openat: path in {"/etc/a", "/usr/**"}`, and " => ACTION" unless it
// allows.
func writePathRule(b textWriter, r Rule) {
	b.WriteString(r.Syscall)
	if r.PathsNot {
		b.WriteString(": path not in {")
	} else {
		b.WriteString(": path in {")
	}
	for i, p := range r.Paths {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(p))
	}
	b.WriteString("}")
	if r.Action != Allow {
		b.WriteString(" => ")
		b.WriteString(ActionText(r.Action))
	}
}

// HasPathRules reports whether p has rules on paths, which need a
// supervisor.
func (p *Policy) HasPathRules() bool {
	return slices.ContainsFunc(p.Rules, func(r Rule) bool { return r.Paths != nil })
}

// PathRuleSyscalls returns the syscalls p has path rules for, in the order
// of their first rule.
func (p *Policy) PathRuleSyscalls() []string {
	var out []string
	for _, r := range p.Rules {
		if r.Paths != nil && !slices.Contains(out, r.Syscall) {
			out = append(out, r.Syscall)
		}
	}
	return out
}

// ForFilter returns the policy a filter can enforce: p itself when it has
// no path rules; otherwise a copy in which every call of a syscall with
// path rules goes to the supervisor (one unconditional USER_NOTIF rule
// takes the place of all of that syscall's rules). For every call, Eval
// of the copy is Eval of p for a call whose path is not known.
func (p *Policy) ForFilter() *Policy {
	sup := p.PathRuleSyscalls()
	if len(sup) == 0 {
		return p
	}
	q := *p
	q.Rules = nil
	done := map[string]bool{}
	for _, r := range p.Rules {
		if !slices.Contains(sup, r.Syscall) {
			q.Rules = append(q.Rules, r)
			continue
		}
		if !done[r.Syscall] {
			done[r.Syscall] = true
			q.Rules = append(q.Rules, Rule{Syscall: r.Syscall, Action: UserNotif, Pos: r.Pos})
		}
	}
	return &q
}

// checkPaths is Validate's part for path rules: each on a syscall that
// opens a file, with valid patterns and no argument predicate, and every
// rule of such a syscall, and the default, an action a supervisor can
// carry out.
func (p *Policy) checkPaths(bad func(pos string, warning bool, format string, a ...any)) {
	sup := p.PathRuleSyscalls()
	if len(sup) == 0 {
		return
	}
	carried := func(a Action) bool {
		switch a.Kind() {
		case Allow, Log, KillProcess, KillThread:
			return true
		case Errno(0):
			return a.Data() != 0 // errno(0) would make open return 0, a descriptor it never opened
		}
		return false
	}
	for _, r := range p.Rules {
		if r.Paths != nil {
			if !IsPathSyscall(r.Syscall) {
				bad(r.Pos, false, "%s: path rules apply to %s, the calls that open a file", r.Syscall, strings.Join(PathSyscalls, ", "))
			}
			if len(r.Paths) == 0 {
				bad(r.Pos, false, "%s: an empty path set matches nothing", r.Syscall)
			}
			for _, pat := range r.Paths {
				if err := CheckPathPattern(pat); err != nil {
					bad(r.Pos, false, "%s: %v", r.Syscall, err)
				}
			}
			if r.When != nil {
				bad(r.Pos, false, "%s: a path rule cannot also test arguments", r.Syscall)
			}
		}
		if slices.Contains(sup, r.Syscall) && !carried(r.Action) {
			bad(r.Pos, false, "%s: %v with path rules on %s: a supervisor can only allow, log, return an errno or kill", r.Syscall, r.Action, r.Syscall)
		}
	}
	// Rules on some of the calls that open files leave the others to the
	// rest of the policy: an allow-list on openat alone lets openat2
	// through. Said once, at the first path rule.
	var first Rule
	for _, r := range p.Rules {
		if r.Paths != nil {
			first = r
			break
		}
	}
	for _, a := range p.Targets() {
		var missing []string
		for _, name := range PathSyscalls {
			if _, ok := a.SyscallNumber(name); ok && !slices.Contains(sup, name) {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			bad(first.Pos, true, "path rules on %s only: on %s, %s open files too and are decided without their path (add them to the rule)", strings.Join(sup, ", "), a.Name, strings.Join(missing, ", "))
		}
	}
	if !carried(p.Default) {
		bad("", false, "default %v with path rules on %s: the supervisor decides the calls no rule matches, and it can only allow, log, return an errno or kill", p.Default, strings.Join(sup, ", "))
	}
}

// maxPathPatterns bounds the patterns of one path rule: a supervisor
// matches every one on each call.
const maxPathPatterns = 1024

// pathRule parses the rest of a rule line after "SYSCALLS:" when it starts
// with "path in" or "path not in": `path [not] in {"/a", "/b/**"} [=>
// ACTION]`.
func (ps *textParser) pathRule(calls []nameAt) error {
	ps.next() // path
	not := ps.next().text == "not"
	if not {
		ps.next() // in
	}
	if err := ps.expect("{", "after 'path in'"); err != nil {
		return err
	}
	var pats []string
	for {
		t := ps.next()
		if t.kind != tString {
			return ps.errTok(t, diag.CodeSyntax, `expected a path pattern in quotes, e.g. "/etc/hosts", found %s`, t)
		}
		pat, err := strconv.Unquote(t.text)
		if err != nil {
			return ps.errTok(t, diag.CodeSyntax, "bad string %s: %v", t, err)
		}
		if err := CheckPathPattern(pat); err != nil {
			return ps.errTok(t, diag.CodeRange, "%v", err)
		}
		if len(pats) == maxPathPatterns {
			return ps.errTok(t, diag.CodeTooLong, "more than %d patterns in one path rule", maxPathPatterns)
		}
		if !slices.Contains(pats, pat) {
			pats = append(pats, pat)
		}
		if ps.is(",") {
			ps.next()
			continue
		}
		if err := ps.expect("}", "after the path patterns (or ',' before the next)"); err != nil {
			return err
		}
		break
	}
	act := Allow
	if ps.is("=>") {
		ps.next()
		if err := ps.action(&act); err != nil {
			return err
		}
	}
	if err := ps.expectEOL("after the path rule"); err != nil {
		return err
	}
	for _, c := range calls {
		if !IsPathSyscall(c.name) {
			return ps.errAt(ps.line, c.col, diag.CodeUnsupported, "%s: path rules apply to %s, the calls that open a file", c.name, strings.Join(PathSyscalls, ", "))
		}
	}
	for _, c := range calls {
		ps.p.Rules = append(ps.p.Rules, Rule{Syscall: c.name, Paths: pats, PathsNot: not, Action: act, Pos: ps.pos(ps.line, c.col)})
	}
	ps.checkRules(calls, act)
	return nil
}

// checkPathRules reports, once the whole policy is known, the rules (or
// the default, on line last) whose action a supervisor could not carry out
// for a syscall with path rules.
func (ps *textParser) checkPathRules(last int) error {
	var errs diag.List
	ps.p.checkPaths(func(pos string, warning bool, format string, a ...any) {
		line, col := last, 1
		if i := strings.LastIndexByte(pos, ':'); i > 0 {
			if j := strings.LastIndexByte(pos[:i], ':'); j >= 0 {
				l, e1 := strconv.Atoi(pos[j+1 : i])
				c, e2 := strconv.Atoi(pos[i+1:])
				if e1 == nil && e2 == nil {
					line, col = l, c
				}
			}
		}
		if warning {
			ps.warnAt(line, col, format, a...)
			return
		}
		errs.Add(ps.errAt(line, col, diag.CodeConflict, format, a...))
	})
	return errs.Err()
}
