package diag

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPosString(t *testing.T) {
	for _, tt := range []struct {
		pos  Pos
		want string
	}{
		{Pos{}, ""},
		{At("f.policy", 3, 7), "f.policy:3:7"},
		{At("f.policy", 3, 0), "f.policy:3"},
		{At("", 3, 7), "3:7"},
		{AtPath("p.json", 12, 5, "syscalls[3].names[1]"), "p.json:12:5: syscalls[3].names[1]"},
		{AtPath("p.json", 0, 0, "syscalls[3]"), "p.json: syscalls[3]"},
		{AtPath("", 0, 0, "syscalls[3]"), "syscalls[3]"},
		{AtOffset("prog.bpf", 24), "prog.bpf: offset 24"},
		{AtOffset("", 0), "offset 0"},
		{AtInsn(12), "insn 12"},
		{AtInsn(0), "insn 0"},
		{AtInsn(-1), ""},
		{AtInsn(-7), ""},
		{At("f", 0, 0), "f"},
	} {
		if got := tt.pos.String(); got != tt.want {
			t.Errorf("%#v: %q, want %q", tt.pos, got, tt.want)
		}
		if tt.pos.IsValid() != (tt.want != "") {
			t.Errorf("%#v: IsValid %v", tt.pos, tt.pos.IsValid())
		}
	}
}

func TestErrorString(t *testing.T) {
	e := Errorf(At("f", 2, 4), CodeSyntax, "expected %s", "':'")
	if got := e.Error(); got != "f:2:4: expected ':'" {
		t.Errorf("%q", got)
	}
	if got := (&Error{Pos: AtInsn(-1), Msg: "empty"}).Error(); got != "empty" {
		t.Errorf("%q", got)
	}
	if e.Line != 2 || e.Col != 4 || e.File != "f" {
		t.Errorf("promoted fields %+v", e)
	}
}

func TestListBound(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("empty list is an error")
	}
	n := 0
	for i := 1; i <= 50; i++ {
		n++
		if !l.Add(Errorf(At("f", i, 1), CodeSyntax, "bad %d", i)) {
			break
		}
	}
	if n != MaxErrors+1 || len(l) != MaxErrors+1 || !l.Full() {
		t.Fatalf("stopped after %d adds with %d errors, full %v", n, len(l), l.Full())
	}
	last := l[MaxErrors]
	if last.Code != CodeTooMany || last.Pos != At("f", 11, 1) {
		t.Errorf("last %+v", last)
	}
	if l.Add(Errorf(At("f", 99, 1), CodeSyntax, "more")) || len(l) != MaxErrors+1 {
		t.Errorf("a full list took more")
	}
	lines := strings.Split(l.Error(), "\n")
	if len(lines) != MaxErrors+1 || lines[0] != "f:1:1: bad 1" || lines[MaxErrors] != "f:11:1: too many errors" {
		t.Errorf("%q", lines)
	}

	// Exactly MaxErrors: no marker.
	var m List
	for i := 1; i <= MaxErrors; i++ {
		if !m.Add(Errorf(At("f", i, 1), CodeSyntax, "bad")) {
			t.Fatalf("add %d refused", i)
		}
	}
	if m.Full() {
		t.Errorf("list of %d is full", MaxErrors)
	}
}

func TestListLongByHand(t *testing.T) {
	var l List
	for i := range 15 {
		l = append(l, Errorf(AtInsn(i), CodeJump, "j"))
	}
	s := l.Error()
	lines := strings.Split(s, "\n")
	if len(lines) != MaxErrors+2 || lines[len(lines)-1] != "and 4 more errors" {
		t.Errorf("%q", lines)
	}
}

func TestListSort(t *testing.T) {
	l := List{
		Errorf(At("b", 1, 1), CodeSyntax, "b1"),
		Errorf(At("a", 3, 2), CodeSyntax, "a3.2"),
		Errorf(At("a", 3, 1), CodeSyntax, "a3.1"),
		Errorf(At("a", 1, 9), CodeSyntax, "a1"),
		Errorf(At("a", 3, 1), CodeSyntax, "a3.1 second"),
		{Pos: At("a", 0, 0), Code: CodeTooMany, Msg: "too many errors"},
	}
	l.Sort()
	var got []string
	for _, e := range l {
		got = append(got, e.Msg)
	}
	want := []string{"a1", "a3.1", "a3.1 second", "a3.2", "b1", "too many errors"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestErrorsAs(t *testing.T) {
	l := List{Errorf(At("f", 1, 2), CodeRange, "one"), Errorf(At("f", 3, 4), CodeNesting, "two")}
	err := fmt.Errorf("wrapped: %w", l.Err())
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeRange {
		t.Errorf("errors.As: %v", e)
	}
	var back List
	if !errors.As(err, &back) || len(back) != 2 {
		t.Errorf("errors.As List: %v", back)
	}
	if got := Errors(err); len(got) != 2 || got[1].Code != CodeNesting {
		t.Errorf("Errors: %v", got)
	}
	if got := Errors(fmt.Errorf("x: %w", l[1])); len(got) != 1 || got[0] != l[1] {
		t.Errorf("Errors of one: %v", got)
	}
	if got := Errors(errors.New("plain")); got != nil {
		t.Errorf("Errors of plain: %v", got)
	}
	if got := List(l[:1]).Error(); got != "f:1:2: one" {
		t.Errorf("list of one: %q", got)
	}
}

// The codes are part of the API: scripts match them.
func TestCodesStable(t *testing.T) {
	got := []Code{CodeSyntax, CodeRange, CodeUnknownSyscall, CodeUnknownArch, CodeUnknownName,
		CodeNesting, CodeDuplicate, CodeMissing, CodeConflict, CodeUndefinedLabel, CodeJump,
		CodeTooLong, CodeJSON, CodeTruncated, CodeFormat, CodeUnsupported, CodeInvalidProgram,
		CodeTooMany, CodeInternal}
	want := []Code{"syntax", "range", "unknown-syscall", "unknown-arch", "unknown-name",
		"nesting", "duplicate", "missing", "conflict", "undefined-label", "jump",
		"too-long", "json", "truncated", "format", "unsupported", "invalid-program",
		"too-many-errors", "internal"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("codes changed (-want +got):\n%s", diff)
	}
}
