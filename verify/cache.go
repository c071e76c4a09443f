package verify

import (
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

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
		switch ins.Op {
		case unix.BPF_LD | unix.BPF_W | unix.BPF_ABS:
			switch ins.K {
			case 0:
				a = nr
			case 4:
				a = audit
			default:
				return false
			}
		case unix.BPF_RET | unix.BPF_K:
			return ins.K == action.Allow
		case unix.BPF_JMP | unix.BPF_JA:
			pc += int(ins.K)
		case unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K,
			unix.BPF_JMP | unix.BPF_JGT | unix.BPF_K, unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K:
			if evalJump(ins.Op, a, ins.K) {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case unix.BPF_ALU | unix.BPF_AND | unix.BPF_K:
			a &= ins.K
		default:
			return false
		}
	}
	return false
}
