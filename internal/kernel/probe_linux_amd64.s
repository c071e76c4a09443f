#include "textflag.h"

// func rawProbe(flags, stack, tid uintptr, job *rawJob) int
//
// Clones a bare thread (no Go runtime on it) that installs job's seccomp
// filter on itself, makes job's probe syscalls and exits. The filter may
// kill it (a classic BPF division by X = 0 returns 0, KILL_THREAD), which
// the Go runtime could not survive on one of its own threads; here the
// parent just sees the thread gone (CLONE_CHILD_CLEARTID) with job.done
// probes made. The address after the probe SYSCALL is the
// instruction_pointer the kernel reports for the probes, and no other code
// uses it. Returns clone's result in the parent.
//
// job layout (see rawJob): 0 fprog, 8 install result, 16 inputs ([8]uint64
// each: nr, args, flags), 24 count, 32 results, 40 done.
//
// An input with flags 1 is made with INT $0x80, the i386 compat entry, which
// a 64-bit process may use too: seccomp sees AUDIT_ARCH_I386 and i386
// numbers, and the arguments from ebx, ecx, edx, esi, edi, ebp. The address
// after that INT is the compat probes' instruction_pointer.
TEXT ·rawProbe(SB), NOSPLIT, $0-40
	MOVQ flags+0(FP), DI
	MOVQ stack+8(FP), SI
	MOVQ tid+16(FP), DX
	MOVQ tid+16(FP), R10
	MOVQ job+24(FP), R12
	MOVQ $0, R8
	MOVQ $56, AX // clone
	SYSCALL
	CMPQ AX, $0
	JEQ child
	MOVQ AX, ret+32(FP)
	RET

child:
	MOVQ $157, AX // prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
	MOVQ $38, DI
	MOVQ $1, SI
	MOVQ $0, DX
	MOVQ $0, R10
	MOVQ $0, R8
	SYSCALL
	MOVQ $317, AX // seccomp(SECCOMP_SET_MODE_FILTER, 0, fprog)
	MOVQ $1, DI
	MOVQ $0, SI
	MOVQ 0(R12), DX
	SYSCALL
	MOVQ AX, 8(R12)
	CMPQ AX, $0
	JNE exit
	MOVQ 16(R12), R13
	MOVQ 24(R12), R14
	MOVQ 32(R12), R15

loop:
	MOVQ 40(R12), BX
	CMPQ BX, R14
	JGE exit
	MOVQ 56(R13), BX
	CMPQ BX, $0
	JNE compat
	MOVQ 0(R13), AX
	MOVQ 8(R13), DI
	MOVQ 16(R13), SI
	MOVQ 24(R13), DX
	MOVQ 32(R13), R10
	MOVQ 40(R13), R8
	MOVQ 48(R13), R9
	SYSCALL // the probe
	MOVQ AX, 0(R15)
	ADDQ $64, R13
	ADDQ $8, R15
	INCQ 40(R12)
	JMP loop

compat:
	// INT $0x80 keeps every register but rax; saved anyway, the stack is ours.
	PUSHQ R12
	PUSHQ R13
	PUSHQ R14
	PUSHQ R15
	MOVQ 0(R13), AX
	MOVQ 8(R13), BX
	MOVQ 16(R13), CX
	MOVQ 24(R13), DX
	MOVQ 32(R13), SI
	MOVQ 40(R13), DI
	MOVQ 48(R13), BP
	INT $0x80 // the compat probe
	POPQ R15
	POPQ R14
	POPQ R13
	POPQ R12
	MOVQ AX, 0(R15)
	ADDQ $64, R13
	ADDQ $8, R15
	INCQ 40(R12)
	JMP loop

exit:
	MOVQ $60, AX // exit(0): this thread only
	MOVQ $0, DI
	SYSCALL
	JMP exit

// func probeAddr() uintptr
TEXT ·probeAddr(SB), NOSPLIT, $0-8
	LEAQ ·rawProbe(SB), AX
	MOVQ AX, ret+0(FP)
	RET
