// Package diag is the one shape of cbpf's errors about input: where
// ([Pos]), what kind ([Code]) and what ([Error]), and a [List] of them for
// the parsers that report more than one problem per run.
//
// A position says "where" in the form of its input:
//
//	file:3:7                  text: line and column (1-based, bytes)
//	file:12:5: syscalls[3].names[1]
//	                          JSON: line, column and the path of the value
//	file: syscalls[3]         JSON, when the value has no offset
//	file: offset 24           binary input: byte offset
//	insn 12                   a program: instruction index (0-based)
//
// Every package that reads input reports an *Error (policy.ParseError,
// policy.OCIError and asm.Error are names for it or wrap it), and the
// errors of programs (link.Error, vm.Error, verify.InvalidProgramError)
// convert to one with errors.As, so a caller can print, sort or test every
// problem the same way:
//
//	var e *diag.Error
//	if errors.As(err, &e) {
//		fmt.Println(e.Pos, e.Code)
//	}
//
// The parsers that can go on after an error (the policy language and the
// bpf_asm text per line, OCI profiles per syscalls entry) collect their
// errors in a List, as go/scanner.ErrorList does, and stop after
// [MaxErrors] of them: a file with more is generated or garbage, and the
// first ones say what is wrong. The list then ends with a [CodeTooMany]
// error at the position where reading stopped.
package diag
