// Package link turns a classic BPF program whose jumps name labels into
// one whose jumps count instructions: the one linker behind asm.Assemble
// and compile.Compile.
//
// A Builder collects the program: NewLabel makes a label, Mark places it
// at the next instruction, Jump and Ja name labels as targets (None is
// the next instruction), Emit adds any other instruction and Raw one that
// is emitted byte for byte. Link checks the labels and encodes the jumps.
//
// A conditional jump's offsets are 8 bits, so it reaches at most 255
// instructions ahead; "ja" has 32 bits. A farther conditional target is
// reached through a trampoline, an instruction inserted after the jump
// that continues like the target. Options.Layout chooses how: Keep (for
// assemblers) inserts only "ja" trampolines and keeps every instruction
// in order, sharing a trampoline between jumps to one target when it is
// in reach; Compact (for compilers) also copies returns as trampolines,
// reuses any equal instruction in reach, and removes code nothing
// reaches. Both are deterministic: the same Builder links to the same
// bytes.
//
// Link fails with an *Error, whose Code says what went wrong (an
// undefined, duplicate or backward label, a target past the end, a
// program past the kernel's 4096 instructions, BPF_MAXINSNS, a
// trampoline inside a raw jump) and whose Insn says where, as the index
// of an instruction in the order it was added, which the caller maps back
// to its source (a line, a rule).
//
// Rewrite passes over a Builder's Code (jump threading, removing jumps to
// the next instruction, ...) are listed and run by package pass, once or
// to a fixed point; Builder.Weight is the measure every change decreases,
// which bounds the fixed point.
//
// Link's *Error names the instruction at fault and a Code; errors.As also
// finds it as a *diag.Error at "insn N", its Code mapped to a diag code.
package link
