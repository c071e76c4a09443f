// Package optimize makes classic BPF programs (seccomp filters and packet
// filters) smaller and faster without changing what they return.
//
// Program lifts a program into a graph (a node per instruction; a "ja" is
// only an edge, so jumps to jumps vanish), runs a list of passes to a
// fixed point, and lays the result out again through package link
// (fall-through chains, trampolines past 255). Every pass strictly lowers
// a weight of the graph (package pass checks it), so the fixed point is
// reached without an iteration cap. The passes:
//
//   - fold: constants propagated into operands and folded, with the
//     kernel's corner cases (shift counts by X taken modulo 32, division
//     or modulo by X = 0 ends the run with 0);
//   - thread: each edge skips what does nothing on it, judged by the state
//     on that edge: a jump decided by earlier tests of the same value
//     (intervals, excluded values and known bits: after "jgt #10" fails,
//     "jeq #20" fails), a load of what the register already holds, a jump
//     whose targets are one; and nodes whose results nobody reads where
//     the edge lands;
//   - dead code: stores to M[] that nothing reads, loads and computations
//     whose register is dead;
//   - merge tails: identical nodes with identical successors (identical
//     returns first, then whole tails) are shared;
//
// and, between fixed points, rewrites that add an edge (each removes an
// ALU instruction or a node, so the alternation ends too):
//
//   - and to jset: "and #k" then a test of A against 0 becomes "jset #k";
//     "add/sub/xor #k; jeq #c" one "jeq"; "sub x; jeq #0" becomes "jeq x";
//   - group tests (packet mode, or with Options.Size): in a chain of tests
//     that all lead to one place when they hold (an "or"), the tests made
//     after every value has been loaded once are grouped by value, so each
//     is loaded once more at most;
//   - fold offsets: "ld #c; add x; tax; ld [x + k]" becomes "ld [x + k+c]".
//
// Values are numbered (loads of the input, lengths, expressions), so a
// value is reused only where every path into a join agrees on it.
//
// Packet mode keeps the result on every packet, truncated ones included:
// a packet load may fail (the run ends with 0), so one is dropped only
// where an absolute load reaching as far already succeeded on every path
// into it, where the register already holds it, or where the path then
// returns 0 whatever happens.
//
// Packet mode may make some packets run more instructions (grouping tests
// reorders them); seccomp mode does not.
//
// Seccomp mode never moves anything onto a path: every path of the result
// is the same input's path with instructions removed, so every syscall
// the kernel's action cache served stays cached (Program checks it for the
// arches the filter tests), and no input runs more instructions unless
// Options.Size asks for size over speed. A result that fails a guard (the
// kernel check, a longer program, a lost cache entry) is dropped and the
// input returned, as Report.Kept says. A seccomp result whose layout
// needs a "ja" trampoline (which runs) for a far jump is not taken
// without Options.Size: sampled inputs cannot show that no path got
// longer (a review found one that 25000 samples missed).
//
// Options.Prove checks the result before returning it: verify.Equivalent
// in seccomp mode, and a differential run in package vm on inputs made
// from the programs' constants and load offsets, packets cut around the
// end of every load and random ones. A disagreement is an *Error that
// carries the input, never a returned program.
//
// Measure gives a program's cost in classic instructions and in the eBPF
// instructions the kernel converts it to.
package optimize
