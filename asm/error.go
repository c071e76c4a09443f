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
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: offset %d: %s", e.File, e.Offset, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}
