package diag

// Code says what kind of problem an Error is. Its value is a stable,
// lower-case, hyphenated word ("unknown-syscall"), safe to match in tests
// and scripts; the message may change, the code does not.
type Code string

// The codes of the problems cbpf's parsers and checkers report.
const (
	// Input that does not follow the grammar: an unexpected token, a
	// missing ':' or ')', an invalid character.
	CodeSyntax Code = "syntax"
	// A number that does not fit where it is written: a field of an
	// instruction, an errno above 4095, an argument index above 5.
	CodeRange Code = "range"
	// A syscall name that no arch (or not the target arch) knows.
	CodeUnknownSyscall Code = "unknown-syscall"
	// An arch name cbpf does not know.
	CodeUnknownArch Code = "unknown-arch"
	// A name that is not one of the words allowed there: an action, an
	// option, a constant, an argument name, a format, an operator.
	CodeUnknownName Code = "unknown-name"
	// Parentheses, negations or JSON values nested past the limit.
	CodeNesting Code = "nesting"
	// Something that may be given once given twice: a default action, a
	// label, a JSON key.
	CodeDuplicate Code = "duplicate"
	// Something required that is missing: the default action, a
	// syscall's name.
	CodeMissing Code = "missing"
	// A value that means different things on two targets (a constant, a
	// named argument), or settings that contradict each other.
	CodeConflict Code = "conflict"
	// A jump to a label that no instruction carries.
	CodeUndefinedLabel Code = "undefined-label"
	// A jump that does not go forward to an instruction of the program.
	CodeJump Code = "jump"
	// A program longer than the kernel's 4096 instructions, or an input
	// larger than cbpf reads.
	CodeTooLong Code = "too-long"
	// A value of the wrong JSON type, or JSON that does not parse.
	CodeJSON Code = "json"
	// Binary input that ends inside a record or instruction.
	CodeTruncated Code = "truncated"
	// Input in another format than the one it is read as.
	CodeFormat Code = "format"
	// Something valid that cbpf does not support (a libseccomp feature it
	// lacks, pcapng files).
	CodeUnsupported Code = "unsupported"
	// A program the kernel would reject; vm and verify report the reason
	// with their own codes (vm.CodeJumpRange, ...), which are Codes too.
	CodeInvalidProgram Code = "invalid-program"
	// The last error of a List that stopped at MaxErrors.
	CodeTooMany Code = "too-many-errors"
	// A bug in cbpf: an invariant broke.
	CodeInternal Code = "internal"
)

func (c Code) String() string { return string(c) }
