// Package progen generates random classic BPF programs and inputs for
// differential tests and fuzzing: valid seccomp and packet programs biased
// toward the instructions implementations get wrong, inputs that hit the
// programs' comparisons, and mutations that make a program subtly invalid.
//
// Everything is deterministic given the *rand.Rand.
//
// Program returns a valid program (seccomp or packet), SeccompInputs and
// Frames inputs for it, and Invalid a copy broken by one Mutation. Programs
// write scratch memory before reading it exactly as the kernel's
// check_load_and_stores requires, keep constant shifts below 32 and
// constant divisors non-zero, and avoid the ancillary loads whose values
// are not reproducible (#rand, #cpu, #rxhash, #poff). Syscall numbers 335
// and 336 are never generated: Linux runs no seccomp filter for them.
package progen
