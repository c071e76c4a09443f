// Package verify answers the questions users ask of a filter: will the
// kernel take it, is it safe, what does it let through, and does it behave
// like another one.
//
//   - KernelCheck gives exactly the kernel's reasons to reject a program:
//     net/core/filter.c's classic checks (opcodes, jump ranges, constant
//     division by zero, shift constants, scratch memory written before it
//     is read on every path, the last instruction a return), for seccomp
//     followed by kernel/seccomp.c's (aligned 32-bit loads inside
//     seccomp_data, its opcode subset). It is tested against seccomp(2) and
//     setsockopt(SO_ATTACH_FILTER) on the running kernel.
//   - LintProgram warns about seccomp filters that the kernel accepts but
//     that are likely wrong (see Lints): nr tested before arch, x32 calls
//     slipping past an x86_64 deny-list, other arches reaching ALLOW,
//     one-sided 64-bit argument tests, calls that kernels exempt from
//     seccomp, clamped ERRNO data, unknown actions, reads of
//     instruction_pointer, unreachable code. Each lint about what the
//     filter returns comes with the inputs that show it (Witness), run in
//     the VM; one the VM does not confirm is not reported. Check runs both.
//   - Explain tells, for every syscall of an arch, the filter's decision:
//     a fixed action or actions with conditions on the arguments; and
//     CacheAllows which calls the kernel (5.11+) serves from its allow
//     cache without running the filter.
//   - Equivalent proves two programs return the same value for every input,
//     or gives an input on which they differ. EquivalentWith bounds the
//     proof (pairs of paths per class of arch and syscall number, time):
//     past the bounds the answer is Unknown, with the classes not proven.
//
// Explain and Equivalent execute seccomp filters symbolically: a value is
// a constant, a word of seccomp_data under a mask, or unknown, and each
// path through the program carries the constraints it puts on the words.
// For filters whose loaded words reach only comparisons with constants and
// masks (what compilers emit) this is exact; the satisfiability of a
// path's constraints is decided word by word (an interval and exclusions
// for unmasked comparisons; for masked ones, propagation over the 32 bits,
// which decides single-bit tests without search, then a search by the
// highest free bit that remembers dead subproblems). Other filters get over-approximate explanations, marked so, and
// Equivalent falls back to searching for a counterexample in the VM.
//
// A Diagnostic is at an instruction (Pos, "insn N") with a severity,
// SeverityError (the kernel rejects the program) or SeverityWarning (a
// lint), and a stable code; Err gives it as a *diag.Error.
package verify
