package asm

import "fmt"

// Error is a malformed-input error with its position. Line and Col are
// 1-based; Col counts bytes. For binary input Line is 0 and Offset gives the
// byte offset instead.
type Error struct {
	File   string
	Line   int
	Col    int
	Offset int // for binary formats, when Line == 0
	Msg    string

	// Looks is the format the input appears to be in, when Read failed in
	// another one and the content leaves little doubt (see Detect); Hint
	// says so in words ("this looks like tcpdump -ddd output ..., not
	// bpf_asm text"). Both are empty otherwise.
	Looks Format
	Hint  string
}

func (e *Error) Error() string {
	msg := e.Msg
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	if e.Line == 0 {
		return fmt.Sprintf("%s: offset %d: %s", e.File, e.Offset, msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, msg)
}
