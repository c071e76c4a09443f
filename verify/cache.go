package verify

import (
	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
)

// CacheAllows reports whether the kernel (5.11 and later) would put
// syscall nr of the arch with AUDIT_ARCH value audit in its per-filter
// allow cache: whether its emulator, which knows only loads of nr and
// arch, jeq/jge/jgt/jset with constants, ja, and with a constant and
// return of a constant, reaches "ret #SECCOMP_RET_ALLOW" (exactly
// 0x7fff0000: ALLOW with data is not cached) for it. Such calls never run
// the filter. This is kernel/seccomp.c's seccomp_is_const_allow, for the
// numbers the cache covers (arch.Arch.CacheBound: not x32's, nor arm's
// private calls, which the kernel numbers past its bitmap).
func CacheAllows(prog []bpf.RawInstruction, audit, nr uint32) bool {
	if ar := arch.ByAudit(audit); ar != nil && nr >= ar.CacheBound() {
		return false
	}
	var a uint32
	for pc := 0; pc < len(prog); pc++ {
		ins := prog[pc]
		switch opcode.Op(ins.Op) {
		case opcode.LD | opcode.W | opcode.ABS:
			switch ins.K {
			case 0:
				a = nr
			case 4:
				a = audit
			default:
				return false
			}
		case opcode.RET | opcode.K:
			return ins.K == action.Allow
		case opcode.JMP | opcode.JA:
			pc += int(ins.K)
		case opcode.JMP | opcode.JEQ | opcode.K, opcode.JMP | opcode.JGE | opcode.K,
			opcode.JMP | opcode.JGT | opcode.K, opcode.JMP | opcode.JSET | opcode.K:
			if opcode.Holds(opcode.Op(ins.Op), a, ins.K) {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case opcode.ALU | opcode.AND | opcode.K:
			a &= ins.K
		default:
			return false
		}
	}
	return false
}
