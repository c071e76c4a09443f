package seccomp

import (
	"fmt"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/internal/action"
)

// FeatureError says that the running kernel lacks a seccomp feature, and
// since which Linux version the feature exists.
type FeatureError struct {
	Feature string        // the kernel's name, e.g. "SECCOMP_RET_KILL_PROCESS"
	Since   string        // the Linux version that added it, e.g. "4.14"
	Errno   syscall.Errno // what the kernel answered
}

func (e *FeatureError) Error() string {
	return fmt.Sprintf("%s needs Linux %s; this kernel lacks it (%s)", e.Feature, e.Since, errnoName(e.Errno))
}

func (e *FeatureError) Unwrap() error { return e.Errno }

// actionInfo: the kernel's name of each action and the version that added
// it (include/uapi/linux/seccomp.h; KILL_THREAD was SECCOMP_RET_KILL until
// 4.14).
var actionInfo = []struct {
	action uint32
	kname  string
	since  string
}{
	{action.KillProcess, "SECCOMP_RET_KILL_PROCESS", "4.14"},
	{action.KillThread, "SECCOMP_RET_KILL_THREAD", "3.5"},
	{action.Trap, "SECCOMP_RET_TRAP", "3.5"},
	{action.Errno, "SECCOMP_RET_ERRNO", "3.5"},
	{action.UserNotif, "SECCOMP_RET_USER_NOTIF", "5.0"},
	{action.Trace, "SECCOMP_RET_TRACE", "3.5"},
	{action.Log, "SECCOMP_RET_LOG", "4.14"},
	{action.Allow, "SECCOMP_RET_ALLOW", "3.5"},
}

// ActionAvailable reports whether the kernel knows the return action of
// ret (its data bits are ignored), asking with SECCOMP_GET_ACTION_AVAIL
// (Linux 4.14). On an older kernel only the actions of Linux 3.5 count as
// available. The error is a *FeatureError for an action the kernel lacks.
func ActionAvailable(ret uint32) error {
	act := ret & action.ActionFull
	var kname, since string
	for _, ai := range actionInfo {
		if ai.action == act {
			kname, since = ai.kname, ai.since
		}
	}
	if kname == "" {
		return fmt.Errorf("seccomp: 0x%08x is not a seccomp action any Linux knows (the kernel would treat it as KILL_PROCESS)", ret)
	}
	_, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_GET_ACTION_AVAIL, 0, uintptr(unsafe.Pointer(&act)))
	switch e {
	case 0:
		return nil
	case unix.EOPNOTSUPP:
		return &FeatureError{Feature: kname, Since: since, Errno: e}
	case unix.EINVAL, unix.ENOSYS:
		// No SECCOMP_GET_ACTION_AVAIL (before 4.14), or no seccomp(2)
		// (before 3.17): the kernel is older than 4.14.
		if since == "3.5" {
			if err := filterModeAvailable(); err != nil {
				return err
			}
			return nil
		}
		return &FeatureError{Feature: kname, Since: since, Errno: e}
	}
	return fmt.Errorf("seccomp: SECCOMP_GET_ACTION_AVAIL for %s: %v", kname, e)
}

// filterModeAvailable checks that the kernel has seccomp filters at all
// (CONFIG_SECCOMP_FILTER, Linux 3.5): prctl(PR_GET_SECCOMP) answers, and
// PR_SET_SECCOMP with a NULL program fails on the pointer (EFAULT), not
// on the mode (EINVAL).
func filterModeAvailable() error {
	_, _, e := unix.Syscall6(unix.SYS_PRCTL, unix.PR_SET_SECCOMP, unix.SECCOMP_MODE_FILTER, 0, 0, 0, 0)
	if e == unix.EFAULT {
		return nil
	}
	return &FeatureError{Feature: "SECCOMP_MODE_FILTER", Since: "3.5", Errno: e}
}

// Sizes are the sizes, in bytes, of the user-notification structures of
// the running kernel (struct seccomp_notif_sizes). A supervisor must use
// these, not the sizes of the structures it was compiled with: newer
// kernels may grow them.
type Sizes struct {
	Notif     uint16 // struct seccomp_notif
	NotifResp uint16 // struct seccomp_notif_resp
	Data      uint16 // struct seccomp_data
}

// NotifSizes asks the kernel (SECCOMP_GET_NOTIF_SIZES, Linux 5.0) for the
// sizes of the user-notification structures.
func NotifSizes() (Sizes, error) {
	var s Sizes // three __u16, as the kernel's struct
	_, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_GET_NOTIF_SIZES, 0, uintptr(unsafe.Pointer(&s)))
	switch e {
	case 0:
		return s, nil
	case unix.EINVAL, unix.ENOSYS:
		return Sizes{}, &FeatureError{Feature: "SECCOMP_GET_NOTIF_SIZES", Since: "5.0", Errno: e}
	}
	return Sizes{}, fmt.Errorf("seccomp: SECCOMP_GET_NOTIF_SIZES: %v", e)
}

// FlagSupported reports whether the kernel knows every filter flag in f,
// without installing anything: seccomp(SECCOMP_SET_MODE_FILTER, f, NULL)
// checks the flags before it reads the program, so a known set fails on
// the NULL pointer (EFAULT) and an unknown flag with EINVAL
// (kernel/seccomp.c, seccomp_set_mode_filter). FlagWaitKillableRecv is
// probed together with FlagNewListener, and FlagTSyncESRCH with FlagTSync,
// since the kernel refuses them alone. The error is a *FeatureError
// naming the first flag the kernel lacks.
func FlagSupported(f Flag) error {
	if bad := f &^ allFlags; bad != 0 {
		return fmt.Errorf("seccomp: unknown filter flag bits 0x%x", uint(bad))
	}
	for _, fi := range flagInfo {
		if f&fi.flag == 0 {
			continue
		}
		probe := fi.flag
		switch probe {
		case FlagWaitKillableRecv:
			probe |= FlagNewListener
		case FlagTSyncESRCH:
			probe |= FlagTSync
		}
		switch e := setModeFilter(probe, nil); e {
		case unix.EFAULT:
		case unix.EINVAL:
			return &FeatureError{Feature: fi.kname, Since: fi.since, Errno: e}
		case unix.ENOSYS:
			return &FeatureError{Feature: "seccomp(2), and so " + fi.kname, Since: "3.17", Errno: e}
		default:
			return fmt.Errorf("seccomp: probing %s: %v", fi.kname, e)
		}
	}
	return nil
}
