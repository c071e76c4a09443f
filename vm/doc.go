// Package vm runs classic BPF programs exactly as the Linux kernel runs
// them: seccomp filters on struct seccomp_data, and socket filters on
// packets.
//
// New decodes and checks a program once, accepting what the kernel accepts
// for the mode (bpf_check_classic, and seccomp_check_filter for seccomp) and
// rejecting the rest with an *Error that names the instruction. The
// resulting Machine runs any number of inputs without allocating.
//
// Semantics, as in net/core/filter.c on amd64:
//
//   - A, X and M[0..15] start at 0. Arithmetic is 32-bit and wraps.
//   - Division or modulo by X == 0 ends the program and returns 0; by a
//     constant 0 the program is rejected. Shifts by a constant >= 32 are
//     rejected; shifts by X use X mod 32 (eBPF ALU32 shift semantics).
//   - "ret a" (BPF_RET|BPF_A) is valid; "ret x" is not an opcode.
//   - Seccomp mode: 32-bit loads at 4-byte-aligned offsets below 64 read
//     seccomp_data laid out in the byte order of SeccompData.Arch (on a
//     big-endian arch the high word of a 64-bit field comes first); "len"
//     reads 64. Packet loads, MOD and the ancillary loads are rejected.
//   - Packet mode: loads are big-endian; a load that does not fit in the
//     packet ends the program and returns 0. Negative offsets from
//     SKF_NET_OFF (-0x100000) read relative to Meta.NetOffset, from
//     SKF_LL_OFF (-0x200000) relative to the start of the packet, and the
//     Linux ancillary loads (SKF_AD_OFF + SKF_AD_*) read the fields of Meta.
//     "len" reads Meta.WireLen when set, else len(pkt).
//
// Result.Insns counts the instructions executed, the last one included
// (the return, or the load or division that ended the program). Options
// add a step-by-step trace and coverage to a run; without them (nil) a run
// costs nothing extra.
//
// Runs without Options take a fast path (fast.go, fastrun.go): New also
// builds a form in which a load and the jump after it run as one step, runs
// of "jeq #k" that fall through are scanned at once (through a hash table
// when long), jumps to a return end the run at the jump, and instructions
// and packet bytes are reached without bounds checks after New's and one
// length check per load. It computes exactly what the plain interpreter
// (run.go) computes, which serves traces, coverage and the rare loads;
// tests compare the two on tcpdump and random programs.
//
// New rejects a program with an *Error naming the instruction and a
// stable code (CodeJumpRange, ...); errors.As also finds it as a
// *diag.Error at "insn N" with that code, the shape of every cbpf error.
package vm
