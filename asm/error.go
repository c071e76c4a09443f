package asm

import (
	"fmt"

	"github.com/cbpfkit/cbpf/diag"
)

// Error is a malformed-input error with its position: diag.Error, whose
// embedded Pos gives File, Line and Col (1-based; Col counts bytes) for
// text, and Offset, the byte offset, for binary input (Line is then 0).
//
// The bpf_asm text reader (Assemble) goes on past a bad line and reports a
// diag.List of the errors of every bad line, at most diag.MaxErrors; the
// other readers stop at the first error. errors.As finds the first *Error
// of a list.
type Error = diag.Error

// FormatError is the error of Read in a named format on input whose
// content leaves little doubt that it is in another one (see Detect): Err
// is the first error reading in the named format, with the hint in its
// message ("...; this looks like tcpdump -ddd output ..., not bpf_asm
// text"), and Looks is the format the input appears to be in.
type FormatError struct {
	Looks Format
	Err   *Error
}

func (e *FormatError) Error() string { return e.Err.Error() }

// Unwrap gives errors.As the *Error.
func (e *FormatError) Unwrap() error { return e.Err }

// addErr adds the errors of err to l and reports whether a reader may go
// on (see diag.List.Add). An error without a position, which no reader
// makes, is added as an internal one rather than lost.
func addErr(l *diag.List, err error) bool {
	es := diag.Errors(err)
	if es == nil {
		es = []*Error{{Pos: diag.AtInsn(-1), Code: diag.CodeInternal, Msg: fmt.Sprint(err)}}
	}
	for _, e := range es {
		if !l.Add(e) {
			return false
		}
	}
	return true
}
