#include "textflag.h"

// func probe(nr uintptr, a1, a2, a3, a4, a5, a6 uintptr) uintptr
//
// A bare SYSCALL with no runtime bookkeeping. The address just after the
// SYSCALL instruction is the instruction_pointer the kernel puts into
// seccomp_data for calls made here, and no other code in the process uses
// it, so a filter can tell our probes from the runtime's own syscalls.
TEXT ·probe(SB), NOSPLIT, $0-64
	MOVQ nr+0(FP), AX
	MOVQ a1+8(FP), DI
	MOVQ a2+16(FP), SI
	MOVQ a3+24(FP), DX
	MOVQ a4+32(FP), R10
	MOVQ a5+40(FP), R8
	MOVQ a6+48(FP), R9
	SYSCALL
	MOVQ AX, ret+56(FP)
	RET

// func probeAddr() uintptr
TEXT ·probeAddr(SB), NOSPLIT, $0-8
	LEAQ ·probe(SB), AX
	MOVQ AX, ret+0(FP)
	RET
