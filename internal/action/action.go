// Package action names seccomp return values (SECCOMP_RET_*), for every
// package that prints or parses them.
package action

import "fmt"

// Action values: the top 16 bits of a seccomp filter's return value
// (include/uapi/linux/seccomp.h). The low 16 bits are the data.
const (
	KillProcess uint32 = 0x80000000
	KillThread  uint32 = 0x00000000
	Trap        uint32 = 0x00030000
	Errno       uint32 = 0x00050000
	UserNotif   uint32 = 0x7fc00000
	Trace       uint32 = 0x7ff00000
	Log         uint32 = 0x7ffc0000
	Allow       uint32 = 0x7fff0000

	ActionFull uint32 = 0xffff0000 // SECCOMP_RET_ACTION_FULL
	DataMask   uint32 = 0x0000ffff // SECCOMP_RET_DATA
	MaxErrno   uint32 = 4095       // the kernel clamps ERRNO data to this
)

// Known reports whether the kernel knows the action of ret. The kernel
// treats an unknown action as KILL_PROCESS.
func Known(ret uint32) bool {
	switch ret & ActionFull {
	case KillProcess, KillThread, Trap, Errno, UserNotif, Trace, Log, Allow:
		return true
	}
	return false
}

// String names the action of a seccomp return value: ALLOW, LOG,
// KILL_PROCESS, KILL_THREAD, USER_NOTIF, ERRNO(n), TRAP(n), TRACE(n). Data is
// shown only for the actions that carry it, as the raw 16-bit value (the
// kernel clamps ERRNO data above 4095 when it acts on it). An action the
// kernel does not know prints as UNKNOWN(0x...), the full value.
func String(ret uint32) string {
	data := ret & DataMask
	switch ret & ActionFull {
	case KillProcess:
		return "KILL_PROCESS"
	case KillThread:
		return "KILL_THREAD"
	case Trap:
		return fmt.Sprintf("TRAP(%d)", data)
	case Errno:
		return fmt.Sprintf("ERRNO(%d)", data)
	case UserNotif:
		return "USER_NOTIF"
	case Trace:
		return fmt.Sprintf("TRACE(%d)", data)
	case Log:
		return "LOG"
	case Allow:
		return "ALLOW"
	}
	return fmt.Sprintf("UNKNOWN(0x%08x)", ret)
}
