package policy

import (
	"github.com/cbpfkit/cbpf/internal/action"
)

// Action is a seccomp action with its data, as the filter returns it: the
// top 16 bits select the action, the low 16 bits are its data (the errno
// for ERRNO, the value for TRAP and TRACE).
type Action uint32

// The actions. Errno, Trap and Trace take data.
const (
	KillProcess Action = Action(action.KillProcess)
	KillThread  Action = Action(action.KillThread)
	UserNotif   Action = Action(action.UserNotif)
	Log         Action = Action(action.Log)
	Allow       Action = Action(action.Allow)
)

// MaxErrno is the largest errno the kernel returns as the filter says: it
// returns larger ERRNO data as 4095 (MAX_ERRNO, kernel/seccomp.c), so
// Validate refuses it, and the parsers refuse it where it is written.
const MaxErrno = 4095

// Errno returns ERRNO(errno): the syscall fails with errno without running.
// errno must be at most MaxErrno (Validate refuses larger ones: the kernel
// would return 4095 instead).
func Errno(errno uint16) Action { return Action(action.Errno | uint32(errno)) }

// Trap returns TRAP(data): the thread gets SIGSYS with data in si_errno.
func Trap(data uint16) Action { return Action(action.Trap | uint32(data)) }

// Trace returns TRACE(data): a ptrace tracer is notified with data as the
// event message (without a tracer the call fails with ENOSYS).
func Trace(data uint16) Action { return Action(action.Trace | uint32(data)) }

// Kind returns the action without its data.
func (a Action) Kind() Action { return a & Action(action.ActionFull) }

// Data returns the action's 16 data bits.
func (a Action) Data() uint16 { return uint16(a & Action(action.DataMask)) }

// String names the action: ALLOW, ERRNO(1), KILL_PROCESS, ...
func (a Action) String() string { return action.String(uint32(a)) }

// Valid reports whether the kernel knows the action.
func (a Action) Valid() bool { return action.Known(uint32(a)) }

// MoreRestrictive reports whether a wins over b when both match a call.
//
// The order is the kernel's own, the one it uses to combine the results of
// stacked filters: the action part compared as a signed 32-bit number, the
// lowest wins — KILL_PROCESS, KILL_THREAD, TRAP, ERRNO, USER_NOTIF, TRACE,
// LOG, ALLOW. Between two of the same action with different data (ERRNO(1)
// and ERRNO(13)), the lower data wins, so that the outcome never depends on
// the order of the rules.
func MoreRestrictive(a, b Action) bool {
	ka, kb := int32(a.Kind()), int32(b.Kind())
	if ka != kb {
		return ka < kb
	}
	return a.Data() < b.Data()
}
