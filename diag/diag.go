package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Pos is a position in the input: text (Line, Col), JSON (Path, with Line
// and Col when the value's offset is known), binary (Offset) or a program
// (Insn). Offset and Insn are -1 when unset; the constructors set them so.
// The zero Pos prints as "" (no position): its Offset and Insn are both 0,
// which String takes for neither.
type Pos struct {
	File   string // file name as given to the parser, "" if none
	Line   int    // 1-based; 0: not text
	Col    int    // 1-based, counting bytes; 0: unknown
	Path   string // JSON path of the value, e.g. "syscalls[3].args[0].op"
	Offset int    // byte offset in binary input; -1: none
	Insn   int    // instruction index in a program; -1: none
}

// At is a text position.
func At(file string, line, col int) Pos {
	return Pos{File: file, Line: line, Col: col, Offset: -1, Insn: -1}
}

// AtPath is a JSON position: the value at path, at line and col when they
// are known (0 otherwise).
func AtPath(file string, line, col int, path string) Pos {
	return Pos{File: file, Line: line, Col: col, Path: path, Offset: -1, Insn: -1}
}

// AtOffset is a byte offset in binary input.
func AtOffset(file string, off int) Pos {
	return Pos{File: file, Offset: off, Insn: -1}
}

// AtInsn is an instruction of a program; a negative index means the
// program as a whole, which prints as no position.
func AtInsn(i int) Pos {
	return Pos{Offset: -1, Insn: max(i, -1)}
}

// IsValid reports whether p says more than nothing.
func (p Pos) IsValid() bool { return p.String() != "" }

// String prints the position in the conventional form of its kind: see
// the package documentation.
func (p Pos) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	sep := func() {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
	}
	switch {
	case p.Line > 0:
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(p.Line))
		if p.Col > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(p.Col))
		}
		if p.Path != "" {
			sep()
			b.WriteString(p.Path)
		}
	case p.Path != "":
		sep()
		b.WriteString(p.Path)
	case p.Offset >= 0 && p.Insn < 0:
		sep()
		b.WriteString("offset ")
		b.WriteString(strconv.Itoa(p.Offset))
	case p.Insn >= 0 && p.Offset < 0:
		sep()
		b.WriteString("insn ")
		b.WriteString(strconv.Itoa(p.Insn))
	}
	return b.String()
}

// Compare orders positions by file, then line and column, then byte
// offset and instruction; JSON paths without a line keep their order
// (Sort is stable).
func (p Pos) Compare(q Pos) int {
	return cmp.Or(
		strings.Compare(p.File, q.File),
		cmp.Compare(p.Line, q.Line),
		cmp.Compare(p.Col, q.Col),
		cmp.Compare(p.Offset, q.Offset),
		cmp.Compare(p.Insn, q.Insn),
	)
}

// Error is one problem in the input: where, what kind, and what. Pos is
// embedded, so e.Line and e.File read as they did in the error types this
// one replaces.
type Error struct {
	Pos
	Code Code
	Msg  string
}

// Errorf is an *Error at pos with a formatted message.
func Errorf(pos Pos, code Code, format string, a ...any) *Error {
	return &Error{Pos: pos, Code: code, Msg: fmt.Sprintf(format, a...)}
}

// Error is "pos: msg", or msg alone without a position.
func (e *Error) Error() string {
	if p := e.Pos.String(); p != "" {
		return p + ": " + e.Msg
	}
	return e.Msg
}

// MaxErrors is how many errors a parser collects before it stops: past
// it the input is generated or garbage (go/scanner stops at 10 too).
const MaxErrors = 10

// List is the errors of one run of a parser, in the order of their
// positions once sorted. Its zero value is an empty list ready to use.
type List []*Error

// Add appends an error and reports whether the parser may go on. Once the
// list holds MaxErrors, the next error is not added: a last CodeTooMany
// error at its position is, and Add reports false, telling the parser to
// stop.
func (l *List) Add(e *Error) bool {
	if l.Full() {
		return false
	}
	if len(*l) == MaxErrors {
		*l = append(*l, &Error{Pos: e.Pos, Code: CodeTooMany, Msg: "too many errors"})
		return false
	}
	*l = append(*l, e)
	return true
}

// Full reports whether the list holds MaxErrors errors (and the last
// CodeTooMany one) and takes no more.
func (l List) Full() bool {
	return len(l) > 0 && l[len(l)-1].Code == CodeTooMany
}

// Len, Less and Swap make a List a sort.Interface.
func (l List) Len() int           { return len(l) }
func (l List) Less(i, j int) bool { return l[i].Pos.Compare(l[j].Pos) < 0 }
func (l List) Swap(i, j int)      { l[i], l[j] = l[j], l[i] }

// Sort orders the list by position, stable for errors at the same one; a
// CodeTooMany error stays last.
func (l List) Sort() {
	n := len(l)
	if l.Full() {
		n--
	}
	slices.SortStableFunc(l[:n], func(a, b *Error) int { return a.Pos.Compare(b.Pos) })
}

// Err returns the list as an error: nil when it is empty, the list itself
// otherwise (a list of one prints as its error).
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error prints the errors one a line, at most MaxErrors and a CodeTooMany
// one; a longer list (made by hand) ends with "and K more errors".
func (l List) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i == MaxErrors+1 {
			fmt.Fprintf(&b, "\nand %d more errors", len(l)-i)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap gives errors.Is and errors.As every error of the list.
func (l List) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Errors returns the *Errors of err, one a problem: the elements of a
// List, the *Error that err is or wraps (converted by errors.As), or nil.
func Errors(err error) []*Error {
	if err == nil {
		return nil
	}
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return nil
}
