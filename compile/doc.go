// Package compile turns a policy into a seccomp filter for one or several
// architectures.
//
// The filter it builds:
//
//  1. loads arch and compares it with each target arch value, in the order
//     of the targets (Options.First first); any other value returns the
//     bad-arch action;
//  2. loads nr and dispatches on it with a search tree: the 32-bit number
//     space of the arch value is cut into ranges of consecutive numbers
//     with the same outcome (unnamed numbers take the default action; on
//     x86_64, numbers from 0x40000000 up belong to x32, which is either a
//     target or the bad-arch action), and an optimal alphabetic tree of
//     "jge" tests, weighted by how many real syscall numbers each range
//     holds, finds the range in a few comparisons;
//  3. for syscalls whose action depends on the arguments, tests them:
//     64-bit comparisons look at the high word, then the low word; 32-bit
//     ones (every comparison on a 32-bit ABI; x32's are 64-bit, see
//     policy.Policy.X32LowWord) at the low word; masks use "and" or "jset"; a set of values of
//     one argument is searched with a tree; rules are tried from the most
//     restrictive action to the least, so the first that holds wins, as
//     policy.Eval has it;
//  4. returns through shared "ret" instructions.
//
// Unconditionally allowed syscalls therefore reach "ret ALLOW" through
// loads of nr and arch, jumps with constants and "ja" only: the kernel
// (5.11+) serves them from its allow cache without running the filter.
// Conditional jumps farther than 255 instructions get trampolines (a copy
// of the return they lead to, or a "ja"), and the output is deterministic.
// The program is built on a link.Builder, cleaned up by the passes of
// passes.go (a pass.List) and laid out by link's Compact layout.
// A policy that does not fit in 4096 instructions is an error.
//
// Compile is tested against policy.Eval (random policies on every arch),
// against the kernel on amd64, and proven equivalent (verify.Equivalent)
// to libseccomp's filter for the same policy.
package compile
