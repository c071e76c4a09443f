package policy

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/diag"
)

// ParseError is a malformed policy: where (file:line:col), what kind
// (Code), and what was expected. It is diag.Error: ParseText reports a
// diag.List of them, one per bad line (at most diag.MaxErrors).
type ParseError = diag.Error

// ParseText parses the policy language (see the package documentation).
// name is used in error positions. Warnings are returned along with the
// policy; a malformed file gives a diag.List of *ParseError, each with
// file:line:col: the parser reads on past a bad line and reports the
// errors of every line, up to diag.MaxErrors.
//
// Named constants are resolved against the policy's target arches (all
// the file's arch lines, or the host's when there is none): a constant
// whose value differs between two targets is an error, since a rule means
// one number.
//
// The rules one line makes for several syscalls share their predicate (or
// the parts of it that do not depend on the syscall): treat the parsed
// predicates as read-only.
//
// On an error, the warnings found before it are returned with it.
func ParseText(name string, src []byte) (*Policy, []Problem, error) {
	return ParseTextWith(name, src, TextOptions{})
}

// ParseTextFor is ParseText for the given target arches, which replace the
// file's arch lines (nil: keep them). Constants are resolved against the
// arches given.
func ParseTextFor(name string, src []byte, arches []*arch.Arch) (*Policy, []Problem, error) {
	return ParseTextWith(name, src, TextOptions{Arches: arches})
}

// TextOptions tune ParseTextWith.
type TextOptions struct {
	// Arches, if set, replace the file's arch lines; constants are
	// resolved against them.
	Arches []*arch.Arch
	// DefaultArches, if set, are the targets of a file without arch
	// lines (cbpf compile gives the host's). Unset, such a file targets
	// no arch, whatever machine parses it.
	DefaultArches []*arch.Arch
	// X32LowWord and MuxWholeArg0 set the Policy fields of those names,
	// as the lines "option x32-low-word" and "option mux-whole-arg0" do
	// (a file's option lines set them too): the warnings are then about
	// the filter those options make.
	X32LowWord, MuxWholeArg0 bool
}

// ParseTextWith is ParseText with options.
func ParseTextWith(name string, src []byte, opts TextOptions) (*Policy, []Problem, error) {
	ps := &textParser{file: name, p: New(KillProcess), override: opts.Arches, defaults: opts.DefaultArches}
	ps.p.X32LowWord, ps.p.MuxWholeArg0 = opts.X32LowWord, opts.MuxWholeArg0
	if err := ps.parse(src); err != nil {
		return nil, ps.warnings(), err
	}
	return ps.p, ps.warnings(), nil
}

// textOptions are the words of an option line, and what each sets.
var textOptions = map[string]func(p *Policy) *bool{
	"x32-low-word":   func(p *Policy) *bool { return &p.X32LowWord },
	"mux-whole-arg0": func(p *Policy) *bool { return &p.MuxWholeArg0 },
}

// ParseAction reads one action as the policy language spells it
// ("kill_thread", "errno(EPERM)", "trap(3)"). Constant names take their
// value on the given arches, which must agree (with none, a constant name
// is an error).
func ParseAction(s string, arches []*arch.Arch) (Action, error) {
	ps := &textParser{file: "action", p: New(KillProcess), line: 1, targets: arches}
	ps.startLine(s)
	var a Action
	if err := ps.actionStatement(&a, "after the action"); err != nil {
		return 0, err
	}
	return a, nil
}

// lookahead is how many tokens the parser looks ahead at most (a masked
// test "( (u32) args [ 3 ] &" needs nine).
const lookahead = 16

type textParser struct {
	file     string
	p        *Policy
	override []*arch.Arch
	defaults []*arch.Arch // TextOptions.DefaultArches

	// targets are the arches constants and named arguments are resolved
	// on, known before the first rule (prescan). noResolve is set when an
	// arch line is malformed: the parse fails there, and values do not
	// matter until then.
	targets   []*arch.Arch
	noResolve bool

	line  int
	lx    lexer
	la    [lookahead]token // ring of tokens lexed ahead
	head  int
	n     int
	depth int // of "(" and "!" being parsed on this line

	seenDefault, seenBadArch int // line numbers, 0: not yet
	seenOption               map[string]bool

	refs      []argRef     // named arguments of the rule being parsed
	narrows   []narrowCand // the rule's comparisons that may mean something else on 32 bits
	texts     []string     // scratch: the terms of the value being read
	ops       []Expr       // scratch: the operands of the Ands and Ors being read
	cmps      []Cmp        // the block newCmp takes comparisons from
	posBuf    []byte       // the block pos cuts positions from
	cmpCache  *[cmpCacheSize]*Cmp
	ruleCache *[ruleCacheSize]ruleSeen

	warns     []textWarning // at most maxWarnings
	dropped   int
	lackCache map[string]string // lackingMsg by syscall name
}

// textWarning is a warning and where it is.
type textWarning struct {
	line, col int
	msg       string
}

// argRef is a named argument of the rule being parsed: a comparison on
// it has Arg -1-k, k its index in refs, until the rule's syscalls are known.
type argRef struct {
	name string
	col  int // of its first use
}

func (ps *textParser) errAt(line, col int, code diag.Code, format string, a ...any) *ParseError {
	return diag.Errorf(diag.At(ps.file, line, col), code, format, a...)
}

// errTok reports an error at t; at an invalid character, the lexer's
// error is the one to report.
func (ps *textParser) errTok(t token, code diag.Code, format string, a ...any) error {
	if t.kind == tError {
		return ps.errAt(ps.line, t.col, diag.CodeSyntax, "%s", ps.lx.msg)
	}
	return ps.errAt(ps.line, t.col, code, format, a...)
}

// pos is "file:line:col". Rules keep theirs, so the strings are cut from
// a shared block rather than allocated one by one.
func (ps *textParser) pos(line, col int) string {
	if cap(ps.posBuf)-len(ps.posBuf) < len(ps.file)+42 {
		ps.posBuf = make([]byte, 0, max(4096, 4*len(ps.file)+168))
	}
	b := ps.posBuf
	start := len(b)
	b = append(b, ps.file...)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(col), 10)
	ps.posBuf = b
	// The bytes from start on are never written again.
	return unsafe.String(&b[start], len(b)-start)
}

func (ps *textParser) warn(col int, format string, a ...any) {
	ps.warnAt(ps.line, col, format, a...)
}

func (ps *textParser) warnAt(line, col int, format string, a ...any) {
	if len(ps.warns) >= maxWarnings {
		ps.dropped++
		return
	}
	ps.warns = append(ps.warns, textWarning{line, col, fmt.Sprintf(format, a...)})
}

// warnings returns the warnings in the order of their positions.
func (ps *textParser) warnings() []Problem {
	sort.SliceStable(ps.warns, func(i, j int) bool {
		a, b := ps.warns[i], ps.warns[j]
		return a.line < b.line || a.line == b.line && a.col < b.col
	})
	l := problemList{dropped: ps.dropped}
	for _, w := range ps.warns {
		l.list = append(l.list, Problem{Pos: ps.pos(w.line, w.col), Warning: true, Msg: w.msg})
	}
	return l.result(ps.file)
}

func (ps *textParser) startLine(line string) {
	ps.lx = newLexer(line)
	ps.head, ps.n, ps.depth = 0, 0, 0
}

// peekAt returns the token k ahead (k < lookahead).
func (ps *textParser) peekAt(k int) token {
	for ps.n <= k {
		ps.la[(ps.head+ps.n)%lookahead] = ps.lx.next()
		ps.n++
	}
	return ps.la[(ps.head+k)%lookahead]
}

func (ps *textParser) peek() token { return ps.peekAt(0) }

// next consumes a token; the end of the line and an invalid character
// stay.
func (ps *textParser) next() token {
	t := ps.peekAt(0)
	if t.kind != tEOL && t.kind != tError {
		ps.head = (ps.head + 1) % lookahead
		ps.n--
	}
	return t
}

func (ps *textParser) is(text string) bool { return ps.isAt(0, text) }

func (ps *textParser) isAt(k int, text string) bool {
	t := ps.peekAt(k)
	return (t.kind == tIdent || t.kind == tPunct) && t.text == text
}

func (ps *textParser) expect(text, what string) error {
	if !ps.is(text) {
		return ps.errTok(ps.peek(), diag.CodeSyntax, "expected '%s' %s, found %s", text, what, ps.peek())
	}
	ps.next()
	return nil
}

func (ps *textParser) expectEOL(what string) error {
	if t := ps.peek(); t.kind != tEOL {
		return ps.errTok(t, diag.CodeSyntax, "expected end of line %s, found %s", what, t)
	}
	return nil
}

// enter counts one level of nesting ("(" or "!") at t. The text may nest
// one level more than a predicate (MaxNesting): the parentheses of a
// negated comparison, !(arg0 == 1), add none, and Policy.String writes
// them, so that what it prints parses again.
func (ps *textParser) enter(t token) error {
	ps.depth++
	if ps.depth > MaxNesting+1 {
		return ps.errTok(t, diag.CodeNesting, "nesting too deep (limit %d)", MaxNesting)
	}
	return nil
}

func (ps *textParser) leave() { ps.depth-- }

// lines calls f with each line of src (without its newline) and its
// number, as strings.Split(src, "\n") would cut them, until f fails; it
// returns the number of lines.
func lines(src []byte, f func(n int, line []byte) error) (int, error) {
	for n := 1; ; n++ {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return n, f(n, src)
		}
		if err := f(n, src[:i]); err != nil {
			return n, err
		}
		src = src[i+1:]
	}
}

// blank reports whether a line holds no statement.
func blank(line []byte) bool {
	for _, c := range line {
		switch c {
		case ' ', '\t', '\r', '\f', '\v':
			continue
		case '#':
			return true
		}
		return false
	}
	return true
}

// errStop ends the walk over the lines once the error list is full.
var errStop = errors.New("too many errors")

// parse reads every line, collecting the errors of the bad ones: a
// statement is one line, so the next line starts afresh.
func (ps *textParser) parse(src []byte) error {
	ps.prescan(src)
	var errs diag.List
	total, _ := lines(src, func(n int, line []byte) error {
		if blank(line) {
			return nil
		}
		ps.line = n
		// The line is read in place: the parser keeps no substring of
		// it (names come from the arch tables and the constants table,
		// the rest is copied), so src may change once ParseText returns.
		s := unsafe.String(unsafe.SliceData(line), len(line))
		ps.startLine(s)
		err := ps.statement(s)
		if err == nil {
			return nil
		}
		es := diag.Errors(err)
		if es == nil { // not expected: every error has its position
			es = []*diag.Error{ps.errAt(n, 1, diag.CodeInternal, "%v", err)}
		}
		for _, e := range es {
			if !errs.Add(e) {
				return errStop
			}
		}
		return nil
	})
	// A missing default is said only of a file otherwise well formed: in
	// garbage, or a file cut short, it is noise after the real errors.
	if ps.seenDefault == 0 && len(errs) == 0 {
		errs.Add(ps.errAt(total, 1, diag.CodeMissing, "no default action: add a line such as \"default errno(EPERM)\" or \"default kill_process\""))
	}
	if len(errs) > 0 {
		return errs
	}
	if ps.override != nil {
		ps.p.Arches = append([]*arch.Arch(nil), ps.override...)
	} else if len(ps.p.Arches) == 0 {
		ps.p.Arches = slices.Clone(ps.defaults)
	}
	if rs := ps.p.Rules; len(rs) < cap(rs)/2 {
		ps.p.Rules = slices.Clone(rs) // rules were dropped: give back the room
	}
	ps.checkMux()
	ps.checkStructArgs()                     // argnames.go
	ps.checkArg32()                          // arg32note.go
	return ps.checkPathRules(ps.seenDefault) // paths.go
}

// checkMux warns where rules on calls that a target also offers through
// socketcall or ipc mean something else on that path (once the whole
// policy, with its default action, is known).
func (ps *textParser) checkMux() {
	p := ps.p
	var muxed []*arch.Arch
	for _, a := range ps.targets {
		if len(a.MultiplexedCalls(arch.Socketcall))+len(a.MultiplexedCalls(arch.IPC)) > 0 {
			muxed = append(muxed, a)
		}
	}
	if len(muxed) == 0 {
		return
	}
	fb := map[string]muxFallback{
		arch.Socketcall: fallbackOf(p.Default, p.Rules, arch.Socketcall),
		arch.IPC:        fallbackOf(p.Default, p.Rules, arch.IPC),
	}
	for _, r := range p.Rules {
		for _, a := range muxed {
			mux, _, ok := a.Multiplexed(r.Syscall)
			if !ok {
				continue
			}
			// Pos is ps.pos(line, col).
			l, c, _ := strings.Cut(strings.TrimPrefix(r.Pos, ps.file+":"), ":")
			line, _ := strconv.Atoi(l)
			col, _ := strconv.Atoi(c)
			for _, msg := range muxNotes(a, r, p.ArgBits(a), fb[mux], p, false) {
				ps.warnAt(line, col, "%s", msg)
			}
		}
	}
}

// prescan finds the target arches before the rules are read, so that
// every value is resolved where it is written: the override, else every
// arch line of the file, else TextOptions.DefaultArches.
func (ps *textParser) prescan(src []byte) {
	var as []*arch.Arch
	statements := 0
	lines(src, func(n int, line []byte) error {
		if !blank(line) {
			statements++
		}
		t := bytes.TrimLeft(line, " \t\r\f\v")
		if !bytes.HasPrefix(t, []byte("arch")) && !bytes.HasPrefix(t, []byte("option")) {
			return nil
		}
		s := unsafe.String(unsafe.SliceData(line), len(line))
		lx := newLexer(s)
		kw := lx.next()
		if kw.kind != tIdent || kw.text != "arch" && kw.text != "option" {
			return nil
		}
		if t := lx.next(); t.kind == tPunct && (t.text == "," || t.text == ":") {
			return nil
		}
		if kw.text == "option" {
			// Known before the rules, whose warnings depend on them;
			// the statement reports unknown ones.
			archWords(s, kw, func(word string, col int) bool {
				if field, ok := textOptions[word]; ok {
					*field(ps.p) = true
				}
				return true
			})
			return nil
		}
		if ps.override != nil {
			return nil
		}
		archWords(s, kw, func(word string, col int) bool {
			a, err := arch.Lookup(word)
			if err != nil {
				ps.noResolve = true
				return false
			}
			if !slices.Contains(as, a) {
				as = append(as, a)
			}
			return true
		})
		return nil
	})
	// Most statements are rules on one syscall.
	ps.p.Rules = make([]Rule, 0, statements)
	if ps.override != nil {
		ps.targets = ps.override
		return
	}
	ps.targets = as
	if len(as) == 0 {
		ps.targets = ps.defaults
	}
}

func (ps *textParser) statement(line string) error {
	t := ps.peek()
	switch {
	case t.kind == tEOL:
		return nil
	case t.kind == tIdent && t.text == "default" && !ps.isAt(1, ",") && !ps.isAt(1, ":"):
		ps.next()
		if ps.seenDefault != 0 {
			return ps.errTok(t, diag.CodeDuplicate, "a second default action (the first is on line %d)", ps.seenDefault)
		}
		ps.seenDefault = ps.line
		return ps.actionStatement(&ps.p.Default, "after the default action")
	case t.kind == tIdent && t.text == "bad-arch":
		ps.next()
		if ps.seenBadArch != 0 {
			return ps.errTok(t, diag.CodeDuplicate, "a second bad-arch action (the first is on line %d)", ps.seenBadArch)
		}
		ps.seenBadArch = ps.line
		return ps.actionStatement(&ps.p.BadArch, "after the bad-arch action")
	case t.kind == tIdent && t.text == "arch" && !ps.isAt(1, ",") && !ps.isAt(1, ":"):
		return ps.archStatement(line, t)
	case t.kind == tIdent && t.text == "option" && !ps.isAt(1, ",") && !ps.isAt(1, ":"):
		return ps.optionStatement(line, t)
	case t.kind == tIdent:
		return ps.rule()
	}
	return ps.errTok(t, diag.CodeSyntax, "expected a statement (default, bad-arch, arch, option or \"syscall: rule\"), found %s", t)
}

func (ps *textParser) actionStatement(dst *Action, what string) error {
	if ps.peek().kind == tEOL {
		return ps.errTok(ps.peek(), diag.CodeSyntax, "expected an action (allow, log, errno(N), trap, trace, user_notif, kill_thread, kill_process)")
	}
	if err := ps.action(dst); err != nil {
		return err
	}
	return ps.expectEOL(what)
}

// archWords calls f with each word after the keyword kw (arch, option)
// of line and its column, until f returns false. Arch names are read as
// words, since they are spelt in many ways ("x86-64", "386",
// "SCMP_ARCH_AARCH64", "0xc000003e"), and so are options
// ("x32-low-word").
func archWords(line string, kw token, f func(word string, col int) bool) int {
	rest := stripComment(line)
	i := kw.col - 1 + len(kw.text)
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
		n++
		if !f(rest[start:i], start+1) {
			break
		}
	}
	return n
}

func (ps *textParser) archStatement(line string, kw token) error {
	var err error
	n := archWords(line, kw, func(word string, col int) bool {
		a, lerr := arch.Lookup(word)
		if lerr != nil {
			msg := "unknown arch " + quote(word)
			if s := suggest(word, arch.Names()); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			err = ps.errAt(ps.line, col, diag.CodeUnknownArch, "%s; known arches: %s", msg, strings.Join(arch.Names(), ", "))
			return false
		}
		if slices.Contains(ps.p.Arches, a) {
			ps.warn(col, "arch %s is listed twice", a.Name)
			return true
		}
		ps.p.Arches = append(ps.p.Arches, a)
		return true
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return ps.errAt(ps.line, len(stripComment(line))+1, diag.CodeSyntax, "expected arch names after \"arch\" (x86_64, aarch64, ...)")
	}
	return nil
}

// optionStatement reads "option" optname { [","] optname }.
func (ps *textParser) optionStatement(line string, kw token) error {
	var err error
	n := archWords(line, kw, func(word string, col int) bool {
		field, ok := textOptions[word]
		if !ok {
			names := slices.Sorted(maps.Keys(textOptions))
			msg := "unknown option " + quote(word)
			if s := suggest(word, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			err = ps.errAt(ps.line, col, diag.CodeUnknownName, "%s; options: %s", msg, strings.Join(names, ", "))
			return false
		}
		if ps.seenOption[word] {
			ps.warn(col, "option %s is given twice", word)
		}
		if ps.seenOption == nil {
			ps.seenOption = map[string]bool{}
		}
		ps.seenOption[word] = true
		*field(ps.p) = true
		return true
	})
	if err != nil {
		return err
	}
	if n == 0 {
		names := slices.Sorted(maps.Keys(textOptions))
		return ps.errAt(ps.line, len(stripComment(line))+1, diag.CodeSyntax, "expected option names after \"option\" (%s)", strings.Join(names, ", "))
	}
	return nil
}

// nameAt is a syscall name of a rule and its column.
type nameAt struct {
	name string
	col  int
}

// syscallNames maps every syscall name some arch cbpf knows (directly or
// through socketcall or ipc) to itself, and lists them sorted, for
// suggestions.
var syscallNames = sync.OnceValues(func() (map[string]string, []string) {
	m := map[string]string{}
	for _, a := range arch.All() {
		for _, s := range a.Syscalls() {
			m[s.Name] = s.Name
		}
		for _, mux := range []string{arch.Socketcall, arch.IPC} {
			for _, n := range a.MultiplexedCalls(mux) {
				m[n] = n
			}
		}
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return m, names
})

// suggestions counts the searches suggest makes, for the test that a
// large file does not make one per warning.
var suggestions atomic.Int64

// suggest is closest, for names short enough to be typos of a candidate.
func suggest(s string, candidates []string) string {
	suggestions.Add(1)
	if len(s) > maxQuoted {
		return ""
	}
	return closest(s, candidates)
}

// unknownSyscall is the error for a name no arch cbpf knows.
func unknownSyscall(name string) string {
	_, all := syscallNames()
	msg := fmt.Sprintf("unknown syscall %s: no arch cbpf knows has it", quote(name))
	if s := suggest(name, all); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg
}

func (ps *textParser) rule() error {
	var calls []nameAt       // distinct, in order
	var index map[string]int // name -> times seen, once calls is long
	var dups []string
	for {
		t := ps.next()
		if t.kind != tIdent {
			return ps.errTok(t, diag.CodeSyntax, "expected a syscall name, found %s", t)
		}
		seen := 0
		if index != nil {
			seen = index[t.text]
			index[t.text] = seen + 1
		} else if slices.ContainsFunc(calls, func(c nameAt) bool { return c.name == t.text }) {
			seen = 1
			if !slices.Contains(dups, t.text) {
				seen = 2 // dups does not list it yet
			}
		}
		switch {
		case seen == 0:
			calls = append(calls, nameAt{t.text, t.col})
			if index == nil && len(calls) > 16 {
				index = map[string]int{}
				for _, c := range calls {
					index[c.name] = 1
				}
				for _, d := range dups {
					index[d] = 2
				}
			}
		case index != nil && seen == 1, index == nil && seen == 2:
			dups = append(dups, t.text)
		}
		if ps.is(",") {
			ps.next()
			continue
		}
		if ps.is(":") {
			ps.next()
			break
		}
		if len(calls) == 1 && seen == 0 {
			if _, ok := actionWords[t.text]; ok || t.text == "default" || t.text == "arch" {
				return ps.errTok(ps.peek(), diag.CodeSyntax, "expected ':' after syscall name %s (or is this meant to be a statement: default, bad-arch, arch?)", t.text)
			}
		}
		return ps.errTok(ps.peek(), diag.CodeSyntax, "expected ':' after syscall name, found %s", ps.peek())
	}
	known, _ := syscallNames()
	var unknown diag.List // every unknown name of the line
	for i, c := range calls {
		name, ok := known[c.name]
		if !ok {
			unknown = append(unknown, ps.errAt(ps.line, c.col, diag.CodeUnknownSyscall, "%s", unknownSyscall(c.name)))
			continue
		}
		calls[i].name = name // the table's copy: the line's text is not kept
	}
	if len(unknown) > 0 {
		return unknown
	}
	if len(dups) > 0 {
		for i := range dups {
			dups[i] = known[dups[i]]
		}
		ps.warn(calls[0].col, "%s listed more than once in this rule; one rule each", strings.Join(dups, ", "))
	}

	ps.refs = ps.refs[:0]
	ps.narrows = ps.narrows[:0]
	var when Expr
	act := Allow
	switch t := ps.peek(); {
	case t.kind == tEOL:
		return ps.errTok(t, diag.CodeSyntax, "expected an action or a predicate after ':'")
	case ps.is("path") && (ps.isAt(1, "in") || ps.isAt(1, "not") && ps.isAt(2, "in")):
		return ps.pathRule(calls) // paths.go
	case ps.bodyIsAction(calls):
		if err := ps.action(&act); err != nil {
			return err
		}
	default:
		e, _, err := ps.expr(calls)
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
			return ps.errTok(t, diag.CodeSyntax, "expected '&&', '||', '=>' or end of line, found %s", t)
		}
	}
	if err := ps.expectEOL("after the rule"); err != nil {
		return err
	}
	if a, ok := when.(And); ok && len(a) == 0 {
		when = nil // "true"
	}
	if len(ps.refs) == 0 {
		for _, c := range calls {
			if line := ps.repeated(c.name, when, act); line > 0 {
				ps.warn(c.col, "%s: the same rule as on line %d; dropped", c.name, line)
				continue
			}
			ps.p.Rules = append(ps.p.Rules, Rule{Syscall: c.name, When: when, Action: act, Pos: ps.pos(ps.line, c.col)})
		}
	} else {
		// One copy of the predicate per distinct placement of the named
		// arguments, shared by the syscalls that have it.
		copies := map[string]Expr{}
		vec := make([]int, len(ps.refs))
		for _, c := range calls {
			for k, ref := range ps.refs {
				i, err := ps.namedArg(c.name, ref)
				if err != nil {
					return err
				}
				vec[k] = i
			}
			key := fmt.Sprint(vec)
			e, ok := copies[key]
			if !ok {
				e = placeArgs(when, vec)
				copies[key] = e
			}
			ps.p.Rules = append(ps.p.Rules, Rule{Syscall: c.name, When: e, Action: act, Pos: ps.pos(ps.line, c.col)})
		}
	}
	ps.checkRules(calls, act)
	return nil
}

// ruleCacheSize is the number of recent rules the parser compares a new
// one with, to drop a rule written again (the comparisons cache makes
// the predicates of two identical lines the same Expr).
const ruleCacheSize = 1 << 12

// repeated reports the line of a recent rule identical to this one, or 0,
// and remembers this one.
func (ps *textParser) repeated(name string, when Expr, act Action) int {
	if ps.ruleCache == nil {
		ps.ruleCache = new([ruleCacheSize]ruleSeen)
	}
	h := uint64(len(name))*0x9e3779b97f4a7c15 ^ uint64(act)*0xc2b2ae3d27d4eb4f
	if len(name) > 0 {
		h ^= uint64(name[0])<<8 | uint64(name[len(name)-1])<<16
	}
	switch w := when.(type) {
	case *Cmp:
		h ^= w.Value * 0x165667b19e3779f9
	case Or:
		h ^= uint64(len(w)) * 0x27d4eb2f165667c5
	case And:
		h ^= uint64(len(w)) * 0x94d049bb133111eb
	}
	slot := &ps.ruleCache[(h^h>>29)%ruleCacheSize]
	if slot.line > 0 && slot.name == name && slot.act == act && sameExpr(slot.when, when) {
		return slot.line
	}
	*slot = ruleSeen{name, when, act, ps.line}
	return 0
}

type ruleSeen struct {
	name string
	when Expr
	act  Action
	line int
}

// namedArg finds the position of a named argument of syscall on every
// target; they must agree.
func (ps *textParser) namedArg(syscall string, ref argRef) (int, error) {
	idx, first := -1, ""
	if !ps.noResolve {
		for _, a := range ps.targets {
			if msg := namedStructArg(syscall, a.Name, ref.name); msg != "" {
				return 0, ps.errAt(ps.line, ref.col, diag.CodeUnsupported, "%s", msg) // argnames.go
			}
			i := argIndex(syscall, a.Name, ref.name)
			if i < 0 {
				return 0, ps.errAt(ps.line, ref.col, diag.CodeUnknownName, "%q is not an argument of %s on %s; use arg0..arg5", ref.name, syscall, a.Name)
			}
			if idx >= 0 && i != idx {
				return 0, ps.errAt(ps.line, ref.col, diag.CodeConflict, "%q is argument %d of %s on %s but %d on %s: write arg%d, or one policy per arch", ref.name, idx, syscall, first, i, a.Name, idx)
			}
			idx, first = i, a.Name
		}
	}
	if idx < 0 {
		idx = max(argIndex(syscall, "", ref.name), 0)
	}
	return idx, nil
}

// placeArgs copies e with the named arguments (Arg -1-k) at the positions
// vec gives; the comparisons of plain arguments are shared.
func placeArgs(e Expr, vec []int) Expr {
	return mapCmps(e, func(e *Cmp) Expr {
		if e.Arg >= 0 {
			return e
		}
		c := *e
		c.Arg = vec[-1-e.Arg]
		return &c
	})
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
	next := ps.peekAt(1)
	if next.kind == tEOL || next.kind == tPunct && next.text == "(" {
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
		return ps.errTok(t, diag.CodeSyntax, "expected an action (allow, log, errno(N), trap, trace, user_notif, kill_thread, kill_process), found %s", t)
	}
	takes, ok := actionWords[t.text]
	if !ok {
		msg := "unknown action " + quote(t.text)
		words := make([]string, 0, len(actionWords))
		for w := range actionWords {
			words = append(words, w)
		}
		sort.Strings(words)
		if s := suggest(t.text, words); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		return ps.errTok(t, diag.CodeUnknownName, "%s; actions: allow, log, errno(N), trap, trace, user_notif, kill_thread, kill_process", msg)
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
			return ps.errTok(ps.peek(), diag.CodeSyntax, "expected '(' after errno: errno(EPERM) or errno(1)")
		}
		return nil
	}
	if takes == 0 {
		return ps.errTok(ps.peek(), diag.CodeSyntax, "%s takes no value", t.text)
	}
	ps.next()
	start := ps.peek()
	v, err := ps.value(64)
	if err != nil {
		return err
	}
	if err := ps.expect(")", "after the action's value"); err != nil {
		return err
	}
	limit, why := uint64(0xffff), "it is the 16-bit data of the return value"
	if t.text == "errno" {
		limit, why = MaxErrno, "the kernel returns larger errno values as 4095"
	}
	if v.negCol > 0 {
		return ps.errAt(ps.line, v.negCol, diag.CodeRange, "%s(%s): the value must be 0 to %d", t.text, v.negText, limit)
	}
	if v.n > limit {
		return ps.errTok(start, diag.CodeRange, "%s(%d): the value must be 0 to %d (%s)", t.text, v.n, limit, why)
	}
	*dst |= Action(v.n)
	return nil
}

// The predicate parsers return the expression and its nesting (see
// MaxNesting), and refuse deeper trees where they start.

func (ps *textParser) expr(calls []nameAt) (Expr, int, error) {
	start := ps.peek()
	x, d, err := ps.and(calls)
	if err != nil || !ps.is("||") {
		return x, d, err
	}
	base := len(ps.ops)
	ps.push(x)
	for ps.is("||") {
		ps.next()
		y, dy, err := ps.and(calls)
		if err != nil {
			return nil, 0, err
		}
		ps.push(y)
		d = max(d, dy)
	}
	return ps.nested(start, Or(ps.popOps(base)), d+1)
}

func (ps *textParser) and(calls []nameAt) (Expr, int, error) {
	start := ps.peek()
	x, d, err := ps.unary(calls)
	if err != nil || !ps.is("&&") {
		return x, d, err
	}
	base := len(ps.ops)
	ps.push(x)
	for ps.is("&&") {
		ps.next()
		y, dy, err := ps.unary(calls)
		if err != nil {
			return nil, 0, err
		}
		ps.push(y)
		d = max(d, dy)
	}
	return ps.nested(start, And(ps.popOps(base)), d+1)
}

// push adds an operand to ps.ops, doubling its size when it is full
// (append grows large slices by a quarter, which leaves four times as much
// garbage).
func (ps *textParser) push(x Expr) {
	if len(ps.ops) == cap(ps.ops) {
		ops := make([]Expr, len(ps.ops), max(16, 2*cap(ps.ops)))
		copy(ops, ps.ops)
		ps.ops = ops
	}
	ps.ops = append(ps.ops, x)
}

// popOps returns the operands pushed on ps.ops from base, in a slice of
// their own, exactly as long: the stack is shared by every level, so that
// a long line costs no more than its operands.
func (ps *textParser) popOps(base int) []Expr {
	xs := make([]Expr, len(ps.ops)-base)
	copy(xs, ps.ops[base:])
	clear(ps.ops[base:])
	ps.ops = ps.ops[:base]
	return xs
}

// cmpCacheSize is the number of recent comparisons the parser reuses:
// a comparison written many times (arg0 == AF_INET) is then one Cmp.
const cmpCacheSize = 1 << 14

// newCmp returns c as a *Cmp: one made before if it is in the cache of
// recent comparisons, else a new one, allocated in blocks (a parsed policy
// keeps them all).
func (ps *textParser) newCmp(c Cmp) *Cmp {
	if ps.cmpCache == nil {
		ps.cmpCache = new([cmpCacheSize]*Cmp)
	}
	h := c.Value*0x9e3779b97f4a7c15 ^ c.Mask*0xc2b2ae3d27d4eb4f ^ uint64(c.Arg)<<8 ^ uint64(c.Op)<<16 ^ uint64(c.Bits)
	slot := &ps.cmpCache[(h^h>>32)%cmpCacheSize]
	if *slot != nil && **slot == c {
		return *slot
	}
	if len(ps.cmps) == 0 {
		ps.cmps = make([]Cmp, 128)
	}
	p := &ps.cmps[0]
	ps.cmps = ps.cmps[1:]
	*p = c
	*slot = p
	return p
}

// nested returns x of nesting d, or the error if d is too deep.
func (ps *textParser) nested(start token, x Expr, d int) (Expr, int, error) {
	if d > MaxNesting {
		return nil, 0, ps.errTok(start, diag.CodeNesting, "nesting too deep (limit %d)", MaxNesting)
	}
	return x, d, nil
}

func (ps *textParser) unary(calls []nameAt) (Expr, int, error) {
	t := ps.peek()
	switch {
	case ps.is("!"):
		ps.next()
		if err := ps.enter(t); err != nil {
			return nil, 0, err
		}
		x, d, err := ps.unary(calls)
		if err != nil {
			return nil, 0, err
		}
		ps.leave()
		return ps.nested(t, &Not{X: x}, d+1)
	case ps.is("(") && ps.isCast(0):
		x, err := ps.compare(calls)
		return x, 0, err
	case ps.is("(") && ps.isMasked():
		x, err := ps.masked(calls)
		return x, 0, err
	case ps.is("("):
		ps.next()
		if err := ps.enter(t); err != nil {
			return nil, 0, err
		}
		x, d, err := ps.expr(calls)
		if err != nil {
			return nil, 0, err
		}
		if err := ps.expect(")", "to close the parenthesis"); err != nil {
			return nil, 0, err
		}
		ps.leave()
		return x, d, nil
	case t.kind == tIdent && t.text == "true":
		ps.next()
		return And{}, 0, nil
	case t.kind == tIdent && t.text == "false":
		ps.next()
		return Or{}, 0, nil
	}
	x, err := ps.compare(calls)
	return x, 0, err
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
	if ps.peekAt(k).kind != tIdent {
		return false
	}
	if ps.isAt(k+1, "[") { // args[N]
		k += 3
	}
	return ps.isAt(k+1, "&")
}

// arg reads [ "(u32)" ] argname: the argument's index (-1-k for a name
// to place once the syscalls are known, ps.refs[k]) and width.
func (ps *textParser) arg(calls []nameAt) (idx, bits int, text string, err error) {
	bits = 64
	if ps.isCast(0) {
		ps.next()
		ps.next()
		ps.next()
		bits = 32
	}
	t := ps.next()
	if t.kind != tIdent {
		return 0, 0, "", ps.errTok(t, diag.CodeSyntax, "expected an argument (arg0..arg5, args[N] or a name such as fd), found %s", t)
	}
	if n, ok := plainArg(t.text); ok {
		if n > 5 {
			return 0, 0, "", ps.errTok(t, diag.CodeRange, "argument %d: syscalls have arguments 0 to 5", n)
		}
		return n, bits, t.text, nil
	}
	if t.text == "args" && ps.is("[") {
		ps.next()
		nt := ps.next()
		n, err := strconv.ParseUint(nt.text, 10, 8)
		if nt.kind != tNumber || err != nil {
			return 0, 0, "", ps.errTok(nt, diag.CodeSyntax, "expected an argument number 0 to 5 in args[N], found %s", nt)
		}
		if n > 5 {
			return 0, 0, "", ps.errTok(nt, diag.CodeRange, "argument %d: syscalls have arguments 0 to 5", n)
		}
		if err := ps.expect("]", "after the argument number"); err != nil {
			return 0, 0, "", err
		}
		return int(n), bits, "arg" + strconv.Itoa(int(n)), nil
	}
	for _, c := range calls {
		if argIndex(c.name, "", t.text) >= 0 {
			continue
		}
		names := argNamesOf(c.name, "")
		if names == nil {
			return 0, 0, "", ps.errTok(t, diag.CodeUnknownName, "%s: cbpf does not know the argument names of %s; use arg0..arg5", quote(t.text), c.name)
		}
		return 0, 0, "", ps.errTok(t, diag.CodeUnknownName, "%s is not an argument of %s (its arguments: %s)", quote(t.text), c.name, strings.Join(names, ", "))
	}
	k := slices.IndexFunc(ps.refs, func(r argRef) bool { return r.name == t.text })
	if k < 0 {
		k = len(ps.refs)
		ps.refs = append(ps.refs, argRef{strings.Clone(t.text), t.col})
	}
	return -1 - k, bits, t.text, nil
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

func (ps *textParser) compare(calls []nameAt) (Expr, error) {
	start := ps.peek()
	idx, bits, text, err := ps.arg(calls)
	if err != nil {
		return nil, err
	}
	t := ps.peek()
	if ps.is("&") {
		return nil, ps.errTok(t, diag.CodeSyntax, "a masked test needs parentheses: (%s & MASK) == VALUE", text)
	}
	op, ok := relops[t.text]
	if !ok || t.kind != tPunct {
		return nil, ps.errTok(t, diag.CodeSyntax, "expected a comparison operator (==, !=, <, <=, >, >=) after the argument, found %s", t)
	}
	ps.next()
	v, err := ps.value(bits)
	if err != nil {
		return nil, err
	}
	c := ps.newCmp(Cmp{Arg: idx, Op: op, Bits: bits, Value: v.n, ValueName: v.name})
	ps.checkCmp(start.col, text, c)
	return c, nil
}

func (ps *textParser) masked(calls []nameAt) (Expr, error) {
	start := ps.next() // (
	idx, bits, text, err := ps.arg(calls)
	if err != nil {
		return nil, err
	}
	if err := ps.expect("&", "in a masked test (arg & MASK) == VALUE"); err != nil {
		return nil, err
	}
	mask, err := ps.value(bits)
	if err != nil {
		return nil, err
	}
	if err := ps.expect(")", "after the mask"); err != nil {
		return nil, err
	}
	if t := ps.peek(); t.text != "==" || t.kind != tPunct {
		if _, isOp := relops[t.text]; isOp && t.kind == tPunct {
			return nil, ps.errTok(t, diag.CodeSyntax, "a masked test compares with '==' only; for the opposite write !((arg & MASK) == VALUE)")
		}
		return nil, ps.errTok(t, diag.CodeSyntax, "expected '==' after (arg & MASK), found %s", t)
	}
	ps.next()
	v, err := ps.value(bits)
	if err != nil {
		return nil, err
	}
	c := ps.newCmp(Cmp{Arg: idx, Op: MaskedEQ, Bits: bits, Mask: mask.n, MaskName: mask.name, Value: v.n, ValueName: v.name})
	ps.checkCmp(start.col, text, c)
	return c, nil
}

// checkCmp warns about a comparison that never holds, and notes a
// constant that 32-bit arches compare by its low half.
func (ps *textParser) checkCmp(col int, arg string, c *Cmp) {
	max := ^uint64(0)
	if c.Bits == 32 {
		max = 0xffffffff
	}
	switch {
	case c.Op == LT && c.Value == 0:
		ps.warn(col, "%s never holds: arguments are unsigned", cmpText(arg, c))
	case c.Op == GT && c.Value == max:
		ps.warn(col, "%s never holds: no %d-bit argument is greater", cmpText(arg, c), c.Bits)
	case c.Op == MaskedEQ && c.Value&^c.Mask != 0:
		on := ""
		if c.Bits == 64 && (c.Value&^c.Mask)&0xffffffff == 0 {
			on = " on 64 bits" // the low halves may hold (narrowNote)
		}
		ps.warn(col, "%s never holds%s: the value has bits outside the mask", cmpText(arg, c), on)
	}
	if c.Bits == 64 && narrowNote(c, arg, []string{"?"}) != "" {
		if len(ps.narrows) < maxWarnings {
			ps.narrows = append(ps.narrows, narrowCand{col, strings.Clone(arg), c})
		} else {
			ps.dropped++
		}
	}
}

// narrowCand is a comparison narrowNote has something to say about, once
// the arches it applies on are known.
type narrowCand struct {
	col int
	arg string
	c   *Cmp
}

// cmpText prints c with its argument as written.
func cmpText(arg string, c *Cmp) string {
	var b strings.Builder
	writeCmpArg(&b, c, arg)
	return b.String()
}

// checkRules adds the warnings about the rules one line made: syscalls
// some targets lack, constants that 32-bit arches cut short, and what the
// filter compares on the socketcall and ipc paths.
func (ps *textParser) checkRules(calls []nameAt, act Action) {
	if len(ps.narrows) > 0 && !ps.noResolve {
		on := narrowArches(ps.p, ps.targets, func(a *arch.Arch) bool {
			return slices.ContainsFunc(calls, func(c nameAt) bool { return hasSyscall(a, c.name) })
		})
		for _, n := range ps.narrows {
			if msg := narrowNote(n.c, n.arg, on); msg != "" {
				ps.warn(n.col, "%s", msg)
			}
		}
	}
	for _, c := range calls {
		if msg := exemptNote(c.name, act, ps.targets); msg != "" {
			ps.warn(c.col, "%s", msg)
		}
		if msg, ok := ps.lackCache[c.name]; ok {
			if msg != "" {
				ps.warn(c.col, "%s", msg)
			}
			continue
		}
		if len(ps.warns) >= maxWarnings {
			// Not kept: count it without making the message and its
			// suggestion (a large file repeats the same names).
			if len(lackingArches(c.name, ps.targets)) > 0 {
				ps.dropped++
			}
			continue
		}
		msg := lackingMsg(c.name, ps.targets)
		if ps.lackCache == nil {
			ps.lackCache = map[string]string{}
		}
		ps.lackCache[c.name] = msg // names are the tables' copies: few
		if msg != "" {
			ps.warn(c.col, "%s", msg)
		}
	}
}

// lackingArches returns the targets that have no syscall name, directly
// or through a multiplexer.
func lackingArches(name string, targets []*arch.Arch) []string {
	var lack []string
	for _, a := range targets {
		if _, ok := a.SyscallNumber(name); ok {
			continue
		}
		if _, _, ok := a.Multiplexed(name); ok {
			continue
		}
		lack = append(lack, a.Name)
	}
	return lack
}

// lackingMsg says which targets have no syscall name (directly or through
// a multiplexer), or "" when all have it.
func lackingMsg(name string, targets []*arch.Arch) string {
	lack := lackingArches(name, targets)
	switch {
	case len(lack) == 0:
		return ""
	case len(lack) < len(targets):
		return fmt.Sprintf("%s: no such syscall on %s; the rule is skipped there", name, strings.Join(lack, ", "))
	}
	msg := fmt.Sprintf("%s: no such syscall on %s; the rule is skipped", name, strings.Join(lack, ", "))
	var names []string
	for _, a := range targets {
		for _, s := range a.Syscalls() {
			names = append(names, s.Name)
		}
	}
	if s := suggest(name, names); s != "" && s != name {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg
}

// valueOf is a value read and resolved: the number, its spelling when it
// names a constant or is negative (for Cmp.ValueName), and the first
// negative term.
type valueOf struct {
	n       uint64
	name    string
	negCol  int
	negText string
}

// value reads term { "|" term } and resolves it for a comparison of the
// given width: negative numbers and constants are two's complement in that
// width, and a constant must mean the same on every target.
func (ps *textParser) value(bits int) (valueOf, error) {
	var v valueOf
	ps.texts = ps.texts[:0]
	named := false
	if err := ps.terms(bits, &v, &named); err != nil {
		return v, err
	}
	if named {
		if len(ps.texts) == 1 {
			v.name = ps.texts[0]
		} else {
			v.name = strings.Join(ps.texts, "|")
		}
	}
	return v, nil
}

func (ps *textParser) terms(bits int, v *valueOf, named *bool) error {
	for {
		if err := ps.term(bits, v, named); err != nil {
			return err
		}
		if !ps.is("|") {
			return nil
		}
		ps.next()
	}
}

func (ps *textParser) term(bits int, v *valueOf, named *bool) error {
	width := ^uint64(0)
	if bits == 32 {
		width = 0xffffffff
	}
	t := ps.next()
	switch {
	case t.kind == tPunct && t.text == "(":
		if err := ps.enter(t); err != nil {
			return err
		}
		if err := ps.terms(bits, v, named); err != nil {
			return err
		}
		ps.leave()
		return ps.expect(")", "to close the value's parenthesis")
	case t.kind == tPunct && t.text == "-":
		nt := ps.next()
		if nt.kind != tNumber {
			return ps.errTok(nt, diag.CodeSyntax, "expected a number after '-', found %s", nt)
		}
		n, err := ps.number(nt)
		if err != nil {
			return err
		}
		text := "-" + nt.text
		if n > uint64(1)<<(bits-1) {
			return ps.errTok(t, diag.CodeRange, "%s is out of range for a %d-bit comparison", shorten(text), bits)
		}
		v.n |= -n & width
		*named = true
		ps.texts = append(ps.texts, text)
		if v.negCol == 0 {
			v.negCol, v.negText = t.col, text
		}
		return nil
	case t.kind == tNumber:
		n, err := ps.number(t)
		if err != nil {
			return err
		}
		if n > width {
			return ps.errTok(t, diag.CodeRange, "%s does not fit a %d-bit comparison", shorten(t.text), bits)
		}
		v.n |= n
		ps.texts = append(ps.texts, t.text) // value joins a copy
		return nil
	case t.kind == tIdent:
		name, ok := canonConst(t.text)
		if !ok {
			msg := "unknown constant " + quote(t.text)
			if s := suggest(t.text, consts().names); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			return ps.errTok(t, diag.CodeUnknownName, "%s", msg)
		}
		n, err := ps.resolveConst(t, name, bits)
		if err != nil {
			return err
		}
		v.n |= n
		*named = true
		ps.texts = append(ps.texts, name)
		return nil
	}
	return ps.errTok(t, diag.CodeSyntax, "expected a value (a number or a constant such as O_RDONLY), found %s", t)
}

// canonConst returns the table's copy of a constant's name.
func canonConst(s string) (string, bool) {
	if !knownConst(s) {
		return "", false
	}
	names := consts().names
	i := sort.SearchStrings(names, s)
	if i < len(names) && names[i] == s {
		return names[i], true
	}
	return "", false
}

func (ps *textParser) number(t token) (uint64, error) {
	s := t.text
	// Go's syntax, except that a leading 0 means octal as in C, and no
	// underscores.
	if strings.Contains(s, "_") {
		return 0, ps.errTok(t, diag.CodeSyntax, "bad number %s", quote(s))
	}
	n, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, ps.errTok(t, diag.CodeRange, "number %s does not fit in 64 bits", shorten(s))
		}
		return 0, ps.errTok(t, diag.CodeSyntax, "bad number %s (decimal, 0x hex, 0o or leading-0 octal, 0b binary)", quote(s))
	}
	return n, nil
}

// resolveConst gives a constant's value in a comparison of the given
// width on every target; they must agree.
func (ps *textParser) resolveConst(t token, name string, bits int) (uint64, error) {
	if ps.noResolve {
		return 0, nil
	}
	if len(ps.targets) == 0 {
		return 0, ps.errTok(t, diag.CodeMissing, "%s: no target arch to take its value from; add an arch line", name)
	}
	var n uint64
	var first *arch.Arch
	for _, a := range ps.targets {
		sv, ok := constValue(name, a)
		if !ok {
			return 0, ps.errTok(t, diag.CodeUnknownName, "%s is not defined on %s: write the number, or one policy per arch", name, a.Name)
		}
		w := uint64(sv)
		if bits == 32 {
			if sv < -1<<31 || sv > 0xffffffff {
				return 0, ps.errTok(t, diag.CodeRange, "%s (%#x) does not fit a 32-bit comparison", name, sv)
			}
			w &= 0xffffffff
		}
		if first != nil && w != n {
			return 0, ps.errTok(t, diag.CodeConflict, "%s is %#x on %s but %#x on %s: write one policy per arch, or the number", name, n, first.Name, w, a.Name)
		}
		n, first = w, a
	}
	return n, nil
}
