// Package kernel asks the running Linux kernel what it does with a classic
// BPF program, to serve as the oracle for the VM, the verifier and fuzzing.
//
// Four oracles:
//
//   - Seccomp / SeccompBatch run seccomp programs under the kernel and return
//     the full 32-bit value each returned for each input.
//   - SeccompAccepts / SeccompAcceptsBatch: does seccomp(2) accept the
//     program (nil, or a *RejectError carrying EINVAL and the like)?
//   - SocketAccepts / SocketAcceptsBatch: the same for SO_ATTACH_FILTER.
//   - PacketOracle runs a socket filter on Ethernet frames and reports how
//     many bytes the kernel delivered: 0 if dropped, else min(ret, len).
//
// # Seccomp execution
//
// No filter is ever installed in the calling process: Seccomp re-executes
// the current binary (a test binary whose TestMain calls MaybeChild first)
// and works there. Each program runs on a bare thread cloned in assembly,
// not a Go runtime thread, so that a filter that kills its thread (a
// division by X = 0 ends a classic program with 0, KILL_THREAD) costs only
// that thread. Every return of the program is rewritten to an ERRNO code
// that identifies it (rewrite.go), and a prefix lets syscalls from any
// other instruction address through, so nothing the probe asks ever runs.
//
// What the probe can and cannot show (amd64): arch is AUDIT_ARCH_X86_64
// (AuditArchX86_64), or AUDIT_ARCH_I386 for an Input with I386 set, made
// through the i386 compat entry (INT $0x80; the kernel then passes the
// probe's full 64-bit registers as arguments, high words included), and
// instruction_pointer SeccompRun.IP (IP386); nr is any int32 (negative values, -1 and the x32 bit 30
// included) except 335 and 336, which Linux 6.14+ passes without running
// any filter (uretprobe, uprobe; see Unfiltered); args are full 64-bit.
// Programs may have at most MaxSeccompProg instructions and
// MaxSeccompConsts distinct return constants. Each KILL_THREAD shows up as
// an audit line in the kernel log.
//
// # Packet execution
//
// NewPacketOracle needs root. It creates a network namespace on a thread
// that is then discarded, brings its lo up and opens two AF_PACKET sockets
// there. Frames must pass CheckFrame (14..65535 bytes: the kernel will not
// send shorter ones on lo; no VLAN ethertypes: the kernel strips the tag
// before filters run). FrameMeta says what the ancillary loads see for a
// frame (protocol, pkt_type, ifindex 1, hatype 772, zero mark, queue and
// VLAN); the network header is at offset 14. Loads of #rand, #cpu, #rxhash
// and #poff are not predictable.
package kernel
