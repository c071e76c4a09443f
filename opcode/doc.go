// Package opcode is the vocabulary every cbpf package uses to talk about a
// classic BPF program: the typed opcode Op with its fields (class, size,
// mode, source, ALU and jump operations) and predicates, where control goes
// after an instruction, the names asm prints, the kernel's limits and
// offsets as named constants, and Program, a []bpf.RawInstruction with the
// methods the other packages share.
//
// The constants are those of include/uapi/linux/bpf_common.h and
// include/uapi/linux/filter.h; each limit says where in the kernel it
// comes from. Package opcode imports nothing else of cbpf.
//
// Where the rest of the program vocabulary lives:
//
//   - opcode (here): opcodes, instructions, limits, Program.
//   - link: the builder and linker, instructions with symbolic targets
//     laid out into a Program, with ja trampolines for conditional jumps
//     beyond 255; used by asm.Assemble and compile.
//   - link's pass list: the clean-up passes over a program, an ordered
//     list of small functions run to a fixed point, beside the linker
//     whose symbolic program they rewrite; compile and the optimizer run
//     them.
//   - asm: the text and binary formats; vm: running and the kernel's
//     checks; verify: lints, explanations and equivalence.
//
// A Program converts to and from []bpf.RawInstruction without copying, so
// the public APIs of the other packages keep taking and returning
// []bpf.RawInstruction.
package opcode
