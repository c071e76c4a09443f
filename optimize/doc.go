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
//     whose register is dead; in packet mode a load kept only for its
//     check of the packet's length, when every path after it checks as
//     far before returning anything but 0 ("ld [30]; ld [34]" is
//     "ld [34]");
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
// into it, where the register already holds it, where every path after
// it makes a load that reaches as far before returning anything but 0,
// or where the path then returns 0 whatever happens. Tests of "len" are
// not used to prove loads in bounds: on a capture cut by a snapshot
// length, len is the wire length, longer than what loads can reach
// (libpcap's optimizer does use them).
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
// end of every load and random ones; in packet mode also packets steered
// down the paths of both programs (each test of a loaded value or of the
// length sent the other way in turn, each packet also cut one byte short
// of every load it made). A disagreement is an *Error that carries the
// input, never a returned program.
//
// Measure gives a program's cost in classic instructions and in the eBPF
// instructions the kernel converts it to; ExecutedSeccomp and
// ExecutedPackets give the instructions executed, classic and eBPF, over
// every syscall of the arches a filter tests or over packets (one for
// each path, from PathPackets, by default). Layout chooses among its
// placements by them: in seccomp mode without Options.Size, one that runs
// no more eBPF instructions than the input where there is one.
package optimize
