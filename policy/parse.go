package policy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
)

// ParseError is a malformed policy: where, and what was expected.
type ParseError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// ParseText parses the policy language (see the package documentation).
// name is used in error positions. Warnings are returned along with the
// policy; a malformed file gives an error with file:line:col.
//
// Named constants are resolved once the whole file is read, against the
// policy's target arches (the host's when there is no arch line): a
// constant whose value differs between two targets is an error, since a
// rule means one number.
func ParseText(name string, src []byte) (*Policy, []Problem, error) {
	return ParseTextFor(name, src, nil)
}

// ParseTextFor is ParseText for the given target arches, which replace the
// file's arch lines (nil: keep them). Constants are resolved against the
// arches given.
func ParseTextFor(name string, src []byte, arches []*arch.Arch) (*Policy, []Problem, error) {
	ps := &textParser{file: name, p: New(KillProcess), override: arches}
	if err := ps.parse(string(src)); err != nil {
		return nil, nil, err
	}
	return ps.p, ps.warns, nil
}

// ParseAction reads one action as the policy language spells it
// ("kill_thread", "errno(EPERM)", "trap(3)"). Constant names take their
// value on the given arches (nil: the host's), which must agree.
func ParseAction(s string, arches []*arch.Arch) (Action, error) {
	ps := &textParser{file: "action", p: New(KillProcess), line: 1}
	toks, col, err := lexLine(s)
	if err != nil {
		return 0, ps.errAt(1, col, "%v", err)
	}
	ps.toks = toks
	var a Action
	if err := ps.actionStatement(&a, "after the action"); err != nil {
		return 0, err
	}
	if len(arches) == 0 {
		arches = ps.p.Targets()
	}
	for _, f := range ps.later {
		if err := f(arches); err != nil {
			return 0, err
		}
	}
	return a, nil
}

// valueTerm is one operand of a value: a number, a negated number or a
// named constant.
type valueTerm struct {
	num  uint64
	neg  bool
	name string
	text string
	line int
	col  int
}

// value is an unresolved "A|B|-1" with the position of its first term.
type value struct {
	terms []valueTerm
	line  int
	col   int
}

// text is the value's normalised spelling, kept as Cmp.ValueName when it
// names a constant or a negative number.
func (v *value) text() (string, bool) {
	named := false
	parts := make([]string, len(v.terms))
	for i, t := range v.terms {
		parts[i] = t.text
		named = named || t.name != "" || t.neg
	}
	return strings.Join(parts, "|"), named
}

// argRef is a named argument waiting for the rule's syscall and arches.
type argRef struct {
	name      string
	line, col int
}

type textParser struct {
	file string
	p    *Policy

	line int
	toks []token
	i    int

	seenDefault, seenBadArch int // line numbers, 0: not yet
	override                 []*arch.Arch

	// Resolved after the whole file is read, in source order.
	later []func(targets []*arch.Arch) error
	warns []Problem
}

func (ps *textParser) errAt(line, col int, format string, a ...any) error {
	return &ParseError{File: ps.file, Line: line, Col: col, Msg: fmt.Sprintf(format, a...)}
}

func (ps *textParser) errTok(t token, format string, a ...any) error {
	return ps.errAt(ps.line, t.col, format, a...)
}

func (ps *textParser) pos(line, col int) string {
	return fmt.Sprintf("%s:%d:%d", ps.file, line, col)
}

func (ps *textParser) warn(line, col int, format string, a ...any) {
	ps.warns = append(ps.warns, Problem{Pos: ps.pos(line, col), Warning: true, Msg: fmt.Sprintf(format, a...)})
}

func (ps *textParser) peek() token { return ps.toks[ps.i] }

func (ps *textParser) next() token {
	t := ps.toks[ps.i]
	if t.kind != tEOL {
		ps.i++
	}
	return t
}

func (ps *textParser) is(text string) bool {
	t := ps.peek()
	return t.kind != tEOL && t.kind != tNumber && t.text == text
}

func (ps *textParser) isAt(k int, text string) bool {
	if ps.i+k >= len(ps.toks) {
		return false
	}
	t := ps.toks[ps.i+k]
	return t.kind != tEOL && t.kind != tNumber && t.text == text
}

func (ps *textParser) expect(text, what string) error {
	if !ps.is(text) {
		return ps.errTok(ps.peek(), "expected '%s' %s, found %s", text, what, ps.peek())
	}
	ps.next()
	return nil
}

func (ps *textParser) expectEOL(what string) error {
	if t := ps.peek(); t.kind != tEOL {
		return ps.errTok(t, "expected end of line %s, found %s", what, t)
	}
	return nil
}

func (ps *textParser) parse(src string) error {
	lines := strings.Split(src, "\n")
	for n, line := range lines {
		ps.line = n + 1
		toks, col, err := lexLine(line)
		if err != nil {
			return ps.errAt(ps.line, col, "%v", err)
		}
		ps.toks, ps.i = toks, 0
		if err := ps.statement(line); err != nil {
			return err
		}
	}
	if ps.seenDefault == 0 {
		return ps.errAt(len(lines), 1, "no default action: add a line such as \"default errno(EPERM)\" or \"default kill_process\"")
	}
	if ps.override != nil {
		ps.p.Arches = append([]*arch.Arch(nil), ps.override...)
	}
	targets := ps.p.Targets()
	for _, f := range ps.later {
		if err := f(targets); err != nil {
			return err
		}
	}
	ps.check()
	return nil
}

func (ps *textParser) statement(line string) error {
	t := ps.peek()
	switch {
	case t.kind == tEOL:
		return nil
	case t.kind == tIdent && t.text == "default" && !ps.isAt(1, ",") && !ps.isAt(1, ":"):
		ps.next()
		if ps.seenDefault != 0 {
			return ps.errTok(t, "a second default action (the first is on line %d)", ps.seenDefault)
		}
		ps.seenDefault = ps.line
		return ps.actionStatement(&ps.p.Default, "after the default action")
	case t.kind == tIdent && t.text == "bad-arch":
		ps.next()
		if ps.seenBadArch != 0 {
			return ps.errTok(t, "a second bad-arch action (the first is on line %d)", ps.seenBadArch)
		}
		ps.seenBadArch = ps.line
		return ps.actionStatement(&ps.p.BadArch, "after the bad-arch action")
	case t.kind == tIdent && t.text == "arch" && !ps.isAt(1, ",") && !ps.isAt(1, ":"):
		return ps.archStatement(line, t)
	case t.kind == tIdent:
		return ps.rule()
	}
	return ps.errTok(t, "expected a statement (default, bad-arch, arch or \"syscall: rule\"), found %s", t)
}

func (ps *textParser) actionStatement(dst *Action, what string) error {
	if ps.peek().kind == tEOL {
		return ps.errTok(ps.peek(), "expected an action (allow, log, errno(N), trap, trace, user_notif, kill_thread, kill_process)")
	}
	if err := ps.action(dst); err != nil {
		return err
	}
	return ps.expectEOL(what)
}

// archStatement reads arch names as words, since they are spelt in many
// ways ("x86-64", "386", "SCMP_ARCH_AARCH64", "0xc000003e").
func (ps *textParser) archStatement(line string, kw token) error {
	rest := stripComment(line)
	i := kw.col - 1 + len("arch")
	n := 0
	for i < len(rest) {
		c := rest[i]
		if c == ' ' || c == '\t' || c == ',' || c == '\r' {
			i++
			continue
		}
		start := i
		for i < len(rest) && rest[i] != ' ' && rest[i] != '\t' && rest[i] != ',' && rest[i] != '\r' {
			i++
		}
		word := rest[start:i]
		a, err := arch.Lookup(word)
		if err != nil {
			msg := fmt.Sprintf("unknown arch %q", word)
			if s := closest(word, arch.Names()); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			return ps.errAt(ps.line, start+1, "%s; known arches: %s", msg, strings.Join(arch.Names(), ", "))
		}
		n++
		dup := false
		for _, b := range ps.p.Arches {
			dup = dup || a == b
		}
		if dup {
			ps.warn(ps.line, start+1, "arch %s is listed twice", a.Name)
			continue
		}
		ps.p.Arches = append(ps.p.Arches, a)
	}
	if n == 0 {
		return ps.errAt(ps.line, len(rest)+1, "expected arch names after \"arch\" (x86_64, aarch64, ...)")
	}
	return nil
}

// nameAt is a syscall name of a rule and where it is.
type nameAt struct {
	name      string
	line, col int
}

func (ps *textParser) rule() error {
	var calls []nameAt
	for {
		t := ps.next()
		if t.kind != tIdent {
			return ps.errTok(t, "expected a syscall name, found %s", t)
		}
		calls = append(calls, nameAt{t.text, ps.line, t.col})
		if ps.is(",") {
			ps.next()
			continue
		}
		if ps.is(":") {
			ps.next()
			break
		}
		if len(calls) == 1 {
			if _, ok := actionWords[t.text]; ok || t.text == "default" || t.text == "arch" {
				return ps.errTok(ps.peek(), "expected ':' after syscall name %s (or is this meant to be a statement: default, bad-arch, arch?)", t.text)
			}
		}
		return ps.errTok(ps.peek(), "expected ':' after syscall name, found %s", ps.peek())
	}
	named := map[*Cmp]argRef{}
	var when Expr
	act := Allow
	switch t := ps.peek(); {
	case t.kind == tEOL:
		return ps.errTok(t, "expected an action or a predicate after ':'")
	case ps.bodyIsAction(calls):
		if err := ps.action(&act); err != nil {
			return err
		}
	default:
		var vals []func([]*arch.Arch) error
		e, err := ps.expr(calls, named, &vals)
		if err != nil {
			return err
		}
		when = e
		if ps.is("=>") {
			ps.next()
			if err := ps.action(&act); err != nil {
				return err
			}
		} else if t := ps.peek(); t.kind != tEOL {
			return ps.errTok(t, "expected '&&', '||', '=>' or end of line, found %s", t)
		}
		ps.later = append(ps.later, vals...)
	}
	if err := ps.expectEOL("after the rule"); err != nil {
		return err
	}
	if a, ok := when.(And); ok && len(a) == 0 {
		when = nil // "true"
	}
	// The rules are made once the arches, and so the constants and the
	// argument positions, are known.
	idx := len(ps.p.Rules)
	for _, c := range calls {
		ps.p.Rules = append(ps.p.Rules, Rule{Syscall: c.name, Action: act, Pos: ps.pos(c.line, c.col)})
	}
	ps.later = append(ps.later, func(targets []*arch.Arch) error {
		for k, c := range calls {
			ps.p.Rules[idx+k].Action = act // errno(NAME) is resolved by now
			if when == nil {
				continue
			}
			var bad error
			e := cloneExpr(when, func(orig, cp *Cmp) {
				ref, ok := named[orig]
				if !ok || bad != nil {
					return
				}
				cp.Arg, bad = ps.namedArg(c.name, ref, targets)
			})
			if bad != nil {
				return bad
			}
			ps.p.Rules[idx+k].When = e
		}
		return nil
	})
	return nil
}

// namedArg finds the position of a named argument of syscall on every
// target; they must agree.
func (ps *textParser) namedArg(syscall string, ref argRef, targets []*arch.Arch) (int, error) {
	idx, first := -1, ""
	for _, a := range targets {
		i := argIndex(syscall, a.Name, ref.name)
		if i < 0 {
			return 0, ps.errAt(ref.line, ref.col, "%q is not an argument of %s on %s; use arg0..arg5", ref.name, syscall, a.Name)
		}
		if idx >= 0 && i != idx {
			return 0, ps.errAt(ref.line, ref.col, "%q is argument %d of %s on %s but %d on %s: write arg%d, or one policy per arch", ref.name, idx, syscall, first, i, a.Name, idx)
		}
		idx, first = i, a.Name
	}
	if idx < 0 {
		idx = argIndex(syscall, "", ref.name)
	}
	return idx, nil
}

// actionWords are the action keywords, with whether they take a value:
// 2 required, 1 optional, 0 none.
var actionWords = map[string]int{
	"allow": 0, "log": 0, "kill_process": 0, "kill_thread": 0, "kill": 0,
	"user_notif": 0, "notify": 0, "errno": 2, "trap": 1, "trace": 1,
}

// bodyIsAction tells an unconditional rule from a predicate: an action
// keyword, or a lone word that is not an argument (a misspelt action).
func (ps *textParser) bodyIsAction(calls []nameAt) bool {
	t := ps.peek()
	if t.kind != tIdent {
		return false
	}
	if _, ok := actionWords[t.text]; ok {
		return true
	}
	next := ps.toks[ps.i+1]
	if next.kind == tEOL || next.text == "(" {
		if _, ok := plainArg(t.text); ok || t.text == "args" || t.text == "true" || t.text == "false" {
			return false
		}
		for _, c := range calls {
			if argIndex(c.name, "", t.text) >= 0 {
				return false
			}
		}
		return true
	}
	return false
}

func (ps *textParser) action(dst *Action) error {
	t := ps.next()
	if t.kind != tIdent {
		return ps.errTok(t, "expected an action (allow, log, errno(N), trap, trace, user_notif, kill_thread, kill_process), found %s", t)
	}
	takes, ok := actionWords[t.text]
	if !ok {
		msg := fmt.Sprintf("unknown action %q", t.text)
		words := make([]string, 0, len(actionWords))
		for w := range actionWords {
			words = append(words, w)
		}
		sort.Strings(words)
		if s := closest(t.text, words); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		return ps.errTok(t, "%s; actions: allow, log, errno(N), trap, trace, user_notif, kill_thread, kill_process", msg)
	}
	switch t.text {
	case "allow":
		*dst = Allow
	case "log":
		*dst = Log
	case "kill_process":
		*dst = KillProcess
	case "kill_thread", "kill":
		*dst = KillThread
	case "user_notif", "notify":
		*dst = UserNotif
	case "errno":
		*dst = Errno(0)
	case "trap":
		*dst = Trap(0)
	case "trace":
		*dst = Trace(0)
	}
	if !ps.is("(") {
		if takes == 2 {
			return ps.errTok(ps.peek(), "expected '(' after errno: errno(EPERM) or errno(1)")
		}
		return nil
	}
	if takes == 0 {
		return ps.errTok(ps.peek(), "%s takes no value", t.text)
	}
	ps.next()
	v, err := ps.value()
	if err != nil {
		return err
	}
	if err := ps.expect(")", "after the action's value"); err != nil {
		return err
	}
	kind := *dst
	ps.later = append(ps.later, func(targets []*arch.Arch) error {
		n, err := ps.resolve(v, 64, targets)
		if err != nil {
			return err
		}
		for _, term := range v.terms {
			if term.neg {
				return ps.errAt(term.line, term.col, "%s(%s): the value must be 0 to 65535", t.text, term.text)
			}
		}
		if n > 0xffff {
			return ps.errAt(v.line, v.col, "%s(%d): the value must be 0 to 65535 (it is the 16-bit data of the return value)", t.text, n)
		}
		*dst = kind | Action(n)
		return nil
	})
	return nil
}

func (ps *textParser) expr(calls []nameAt, named map[*Cmp]argRef, vals *[]func([]*arch.Arch) error) (Expr, error) {
	x, err := ps.and(calls, named, vals)
	if err != nil || !ps.is("||") {
		return x, err
	}
	or := Or{x}
	for ps.is("||") {
		ps.next()
		y, err := ps.and(calls, named, vals)
		if err != nil {
			return nil, err
		}
		or = append(or, y)
	}
	return or, nil
}

func (ps *textParser) and(calls []nameAt, named map[*Cmp]argRef, vals *[]func([]*arch.Arch) error) (Expr, error) {
	x, err := ps.unary(calls, named, vals)
	if err != nil || !ps.is("&&") {
		return x, err
	}
	and := And{x}
	for ps.is("&&") {
		ps.next()
		y, err := ps.unary(calls, named, vals)
		if err != nil {
			return nil, err
		}
		and = append(and, y)
	}
	return and, nil
}

func (ps *textParser) unary(calls []nameAt, named map[*Cmp]argRef, vals *[]func([]*arch.Arch) error) (Expr, error) {
	t := ps.peek()
	switch {
	case ps.is("!"):
		ps.next()
		x, err := ps.unary(calls, named, vals)
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	case ps.is("(") && ps.isCast(0):
		return ps.compare(calls, named, vals)
	case ps.is("(") && ps.isMasked():
		return ps.masked(calls, named, vals)
	case ps.is("("):
		ps.next()
		x, err := ps.expr(calls, named, vals)
		if err != nil {
			return nil, err
		}
		if err := ps.expect(")", "to close the parenthesis"); err != nil {
			return nil, err
		}
		return x, nil
	case t.kind == tIdent && t.text == "true":
		ps.next()
		return And{}, nil
	case t.kind == tIdent && t.text == "false":
		ps.next()
		return Or{}, nil
	}
	return ps.compare(calls, named, vals)
}

// isCast reports whether "(u32)" starts k tokens ahead.
func (ps *textParser) isCast(k int) bool {
	return ps.isAt(k, "(") && ps.isAt(k+1, "u32") && ps.isAt(k+2, ")")
}

// isMasked reports whether a "(" starts a masked test: "(" arg "&".
func (ps *textParser) isMasked() bool {
	k := 1
	if ps.isCast(k) {
		k += 3
	}
	if ps.i+k >= len(ps.toks) || ps.toks[ps.i+k].kind != tIdent {
		return false
	}
	if ps.isAt(k+1, "[") { // args[N]
		k += 3
	}
	return ps.isAt(k+1, "&")
}

// arg reads [ "(u32)" ] argname: the argument's index (-1 for a name to
// resolve later) and width.
func (ps *textParser) arg(calls []nameAt) (idx, bits int, ref argRef, err error) {
	bits = 64
	if ps.isCast(0) {
		ps.next()
		ps.next()
		ps.next()
		bits = 32
	}
	t := ps.next()
	if t.kind != tIdent {
		return 0, 0, ref, ps.errTok(t, "expected an argument (arg0..arg5, args[N] or a name such as fd), found %s", t)
	}
	if n, ok := plainArg(t.text); ok {
		if n > 5 {
			return 0, 0, ref, ps.errTok(t, "argument %d: syscalls have arguments 0 to 5", n)
		}
		return n, bits, ref, nil
	}
	if t.text == "args" && ps.is("[") {
		ps.next()
		nt := ps.next()
		n, err := strconv.ParseUint(nt.text, 10, 8)
		if nt.kind != tNumber || err != nil {
			return 0, 0, ref, ps.errTok(nt, "expected an argument number 0 to 5 in args[N], found %s", nt)
		}
		if n > 5 {
			return 0, 0, ref, ps.errTok(nt, "argument %d: syscalls have arguments 0 to 5", n)
		}
		if err := ps.expect("]", "after the argument number"); err != nil {
			return 0, 0, ref, err
		}
		return int(n), bits, ref, nil
	}
	for _, c := range calls {
		if argIndex(c.name, "", t.text) >= 0 {
			continue
		}
		names := argNamesOf(c.name, "")
		if names == nil {
			return 0, 0, ref, ps.errTok(t, "%q: cbpf does not know the argument names of %s; use arg0..arg5", t.text, c.name)
		}
		return 0, 0, ref, ps.errTok(t, "%q is not an argument of %s (its arguments: %s)", t.text, c.name, strings.Join(names, ", "))
	}
	return -1, bits, argRef{t.text, ps.line, t.col}, nil
}

// plainArg parses "arg0".."arg99".
func plainArg(s string) (int, bool) {
	if !strings.HasPrefix(s, "arg") || len(s) < 4 || len(s) > 5 {
		return 0, false
	}
	n, err := strconv.Atoi(s[3:])
	if err != nil || s[3] == '+' || s[3] == '-' {
		return 0, false
	}
	return n, true
}

var relops = map[string]Op{"==": EQ, "!=": NE, "<": LT, "<=": LE, ">": GT, ">=": GE}

func (ps *textParser) compare(calls []nameAt, named map[*Cmp]argRef, vals *[]func([]*arch.Arch) error) (Expr, error) {
	start := ps.peek()
	idx, bits, ref, err := ps.arg(calls)
	if err != nil {
		return nil, err
	}
	t := ps.peek()
	if ps.is("&") {
		return nil, ps.errTok(t, "a masked test needs parentheses: (%s & MASK) == VALUE", start.text)
	}
	op, ok := relops[t.text]
	if !ok || t.kind != tPunct {
		return nil, ps.errTok(t, "expected a comparison operator (==, !=, <, <=, >, >=) after the argument, found %s", t)
	}
	ps.next()
	v, err := ps.value()
	if err != nil {
		return nil, err
	}
	c := &Cmp{Arg: idx, Op: op, Bits: bits}
	if idx < 0 {
		named[c] = ref
	}
	*vals = append(*vals, ps.setValue(v, bits, &c.Value, &c.ValueName))
	return c, nil
}

func (ps *textParser) masked(calls []nameAt, named map[*Cmp]argRef, vals *[]func([]*arch.Arch) error) (Expr, error) {
	ps.next() // (
	idx, bits, ref, err := ps.arg(calls)
	if err != nil {
		return nil, err
	}
	if err := ps.expect("&", "in a masked test (arg & MASK) == VALUE"); err != nil {
		return nil, err
	}
	mask, err := ps.value()
	if err != nil {
		return nil, err
	}
	if err := ps.expect(")", "after the mask"); err != nil {
		return nil, err
	}
	if t := ps.peek(); t.text != "==" || t.kind != tPunct {
		if _, isOp := relops[t.text]; isOp && t.kind == tPunct {
			return nil, ps.errTok(t, "a masked test compares with '==' only; for the opposite write !((arg & MASK) == VALUE)")
		}
		return nil, ps.errTok(t, "expected '==' after (arg & MASK), found %s", t)
	}
	ps.next()
	v, err := ps.value()
	if err != nil {
		return nil, err
	}
	c := &Cmp{Arg: idx, Op: MaskedEQ, Bits: bits}
	if idx < 0 {
		named[c] = ref
	}
	*vals = append(*vals, ps.setValue(mask, bits, &c.Mask, &c.MaskName), ps.setValue(v, bits, &c.Value, &c.ValueName))
	return c, nil
}

// setValue returns the step that resolves v into *dst (and its name).
func (ps *textParser) setValue(v *value, bits int, dst *uint64, name *string) func([]*arch.Arch) error {
	return func(targets []*arch.Arch) error {
		n, err := ps.resolve(v, bits, targets)
		if err != nil {
			return err
		}
		*dst = n
		if s, ok := v.text(); ok {
			*name = s
		}
		return nil
	}
}

// value reads term { "|" term }.
func (ps *textParser) value() (*value, error) {
	v := &value{line: ps.line, col: ps.peek().col}
	if err := ps.terms(v); err != nil {
		return nil, err
	}
	return v, nil
}

func (ps *textParser) terms(v *value) error {
	for {
		if err := ps.term(v); err != nil {
			return err
		}
		if !ps.is("|") {
			return nil
		}
		ps.next()
	}
}

func (ps *textParser) term(v *value) error {
	t := ps.next()
	switch {
	case t.kind == tPunct && t.text == "(":
		if err := ps.terms(v); err != nil {
			return err
		}
		return ps.expect(")", "to close the value's parenthesis")
	case t.kind == tPunct && t.text == "-":
		nt := ps.next()
		if nt.kind != tNumber {
			return ps.errTok(nt, "expected a number after '-', found %s", nt)
		}
		n, err := ps.number(nt)
		if err != nil {
			return err
		}
		v.terms = append(v.terms, valueTerm{num: n, neg: true, text: "-" + nt.text, line: ps.line, col: t.col})
		return nil
	case t.kind == tNumber:
		n, err := ps.number(t)
		if err != nil {
			return err
		}
		v.terms = append(v.terms, valueTerm{num: n, text: t.text, line: ps.line, col: t.col})
		return nil
	case t.kind == tIdent:
		if !knownConst(t.text) {
			msg := fmt.Sprintf("unknown constant %q", t.text)
			if s := closest(t.text, consts().names); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			return ps.errTok(t, "%s", msg)
		}
		v.terms = append(v.terms, valueTerm{name: t.text, text: t.text, line: ps.line, col: t.col})
		return nil
	}
	return ps.errTok(t, "expected a value (a number or a constant such as O_RDONLY), found %s", t)
}

func (ps *textParser) number(t token) (uint64, error) {
	s := t.text
	// Go's syntax, except that a leading 0 means octal as in C, and no
	// underscores.
	if strings.Contains(s, "_") {
		return 0, ps.errTok(t, "bad number %q", s)
	}
	n, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, ps.errTok(t, "number %s does not fit in 64 bits", s)
		}
		return 0, ps.errTok(t, "bad number %q (decimal, 0x hex, 0o or leading-0 octal, 0b binary)", s)
	}
	return n, nil
}

// resolve computes v in a comparison of the given width on every target:
// negative numbers and constants are two's complement in that width, and
// a constant must mean the same on every target.
func (ps *textParser) resolve(v *value, bits int, targets []*arch.Arch) (uint64, error) {
	var out uint64
	width := uint64(1)<<bits - 1
	if bits == 64 {
		width = ^uint64(0)
	}
	for _, t := range v.terms {
		var n uint64
		switch {
		case t.name != "":
			if len(targets) == 0 {
				return 0, ps.errAt(t.line, t.col, "%s: no target arch to take its value from; add an arch line", t.name)
			}
			var first *arch.Arch
			for _, a := range targets {
				sv, ok := constValue(t.name, a)
				if !ok {
					return 0, ps.errAt(t.line, t.col, "%s is not defined on %s: write the number, or one policy per arch", t.name, a.Name)
				}
				w, err := ps.widen(t, sv, bits)
				if err != nil {
					return 0, err
				}
				if first != nil && w != n {
					return 0, ps.errAt(t.line, t.col, "%s is %#x on %s but %#x on %s: write one policy per arch, or the number", t.name, n, first.Name, w, a.Name)
				}
				n, first = w, a
			}
		case t.neg:
			limit := uint64(1) << (bits - 1)
			if t.num > limit {
				return 0, ps.errAt(t.line, t.col, "%s is out of range for a %d-bit comparison", t.text, bits)
			}
			n = -t.num & width
		default:
			if t.num > width {
				return 0, ps.errAt(t.line, t.col, "%s does not fit a %d-bit comparison", t.text, bits)
			}
			n = t.num
		}
		out |= n
	}
	return out, nil
}

// widen gives a constant's signed value in a comparison of width bits.
func (ps *textParser) widen(t valueTerm, v int64, bits int) (uint64, error) {
	if bits == 64 {
		return uint64(v), nil
	}
	if v < -1<<31 || v > 0xffffffff {
		return 0, ps.errAt(t.line, t.col, "%s (%#x) does not fit a 32-bit comparison", t.name, v)
	}
	return uint64(v) & 0xffffffff, nil
}

// cloneExpr copies e, calling f with every comparison and its copy.
func cloneExpr(e Expr, f func(orig, cp *Cmp)) Expr {
	switch e := e.(type) {
	case *Cmp:
		c := *e
		f(e, &c)
		return &c
	case And:
		out := make(And, len(e))
		for i, x := range e {
			out[i] = cloneExpr(x, f)
		}
		return out
	case Or:
		out := make(Or, len(e))
		for i, x := range e {
			out[i] = cloneExpr(x, f)
		}
		return out
	case *Not:
		return &Not{X: cloneExpr(e.X, f)}
	}
	return e
}

// check adds the warnings: Validate's (syscalls a target lacks, masked
// values outside their mask, ...), comparisons that never hold, argument
// tests that socketcall or ipc cannot apply, and 64-bit constants that
// 32-bit arches cut short.
func (ps *textParser) check() {
	p := ps.p
	targets := p.Targets()
	var names []string
	for _, a := range targets {
		for _, s := range a.Syscalls() {
			names = append(names, s.Name)
		}
	}
	// The parser rejects what Validate calls an error, so its problems
	// are warnings.
	ps.warns = append(ps.warns, p.Validate()...)
	for i := range ps.warns {
		w := &ps.warns[i]
		for _, r := range p.Rules {
			if w.Pos == r.Pos && strings.HasPrefix(w.Msg, r.Syscall+": no such syscall on ") {
				if s := closest(r.Syscall, names); s != "" && s != r.Syscall {
					w.Msg += fmt.Sprintf(" (did you mean %s?)", s)
				}
			}
		}
	}
	defer ps.sortWarnings()
	for _, r := range p.Rules {
		walk(r.When, func(c *Cmp) {
			max := ^uint64(0)
			if c.Bits == 32 {
				max = 0xffffffff
			}
			switch {
			case c.Op == LT && c.Value == 0:
				ps.warns = append(ps.warns, Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf("%s: %s never holds: arguments are unsigned", r.Syscall, c)})
			case c.Op == GT && c.Value == max:
				ps.warns = append(ps.warns, Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf("%s: %s never holds: no %d-bit argument is greater", r.Syscall, c, c.Bits)})
			}
		})
		if r.When == nil {
			continue
		}
		for _, a := range targets {
			if mux, _, ok := a.Multiplexed(r.Syscall); ok {
				ps.warns = append(ps.warns, Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf("%s: on %s, calls made through %s match this rule whatever the arguments (they are behind a pointer a filter cannot read)", r.Syscall, a.Name, mux)})
			}
			if a.ArgBits == 32 {
				wide := false
				walk(r.When, func(c *Cmp) {
					wide = wide || c.Bits == 64 && c.Op != MaskedEQ && c.Value>>32 != 0 && c.Value>>31 != 0x1ffffffff
				})
				if wide {
					ps.warns = append(ps.warns, Problem{Pos: r.Pos, Warning: true, Msg: fmt.Sprintf("%s: on %s arguments are 32-bit; a constant wider than 32 bits is compared by its low half", r.Syscall, a.Name)})
				}
			}
		}
	}
}

// sortWarnings puts the warnings in the order of the lines they are about.
func (ps *textParser) sortWarnings() {
	key := func(pos string) (int, int) {
		rest := strings.TrimPrefix(pos, ps.file+":")
		l, c, _ := strings.Cut(rest, ":")
		line, _ := strconv.Atoi(l)
		col, _ := strconv.Atoi(c)
		return line, col
	}
	sort.SliceStable(ps.warns, func(i, j int) bool {
		li, ci := key(ps.warns[i].Pos)
		lj, cj := key(ps.warns[j].Pos)
		return li < lj || li == lj && ci < cj
	})
}
