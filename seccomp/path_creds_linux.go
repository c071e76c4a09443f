package seccomp

import (
	"errors"
	"os"
	"runtime"
	"slices"
	"unsafe"

	"golang.org/x/sys/unix"
)

// errCreds: the supervisor could not take the target's credentials.
var errCreds = errors.New("seccomp: cannot take the target's filesystem credentials")

// ours reports whether the target's filesystem credentials are the
// supervisor's (which keeps its fsuid and fsgid equal to its euid and
// egid, as Go programs do).
func (st *targetStatus) ours() bool {
	if int(st.fsuid) != os.Geteuid() || int(st.fsgid) != os.Getegid() {
		return false
	}
	gs, err := unix.Getgroups()
	if err != nil || len(gs) != len(st.groups) {
		return false
	}
	for _, g := range gs {
		if !slices.Contains(st.groups, uint32(g)) {
			return false
		}
	}
	return true
}

// do runs f with the target's filesystem credentials. When they differ
// from the supervisor's, f runs on a locked OS thread whose fsuid, fsgid
// and groups are switched with the raw per-thread syscalls (the libc and
// Go wrappers change every thread) and switched back afterwards. It
// returns errCreds if the switch failed; if switching back fails, the
// thread stays locked so that it ends with its goroutine.
func (st *targetStatus) do(f func() error) error {
	if st.ours() {
		return f()
	}
	runtime.LockOSThread()
	ourGroups, err := unix.Getgroups()
	if err != nil {
		runtime.UnlockOSThread()
		return errCreds
	}
	uid, gid := uint32(os.Geteuid()), uint32(os.Getegid())
	if !setThreadCreds(st.fsuid, st.fsgid, st.groups) {
		if setThreadCreds(uid, gid, toU32(ourGroups)) {
			runtime.UnlockOSThread()
		}
		return errCreds
	}
	err = f()
	if setThreadCreds(uid, gid, toU32(ourGroups)) {
		runtime.UnlockOSThread()
	}
	return err
}

func toU32(gs []int) []uint32 {
	out := make([]uint32, len(gs))
	for i, g := range gs {
		out[i] = uint32(g)
	}
	return out
}

// setThreadCreds sets the calling thread's groups, fsgid and fsuid.
// setfs[ug]id report no error: each is repeated to read the value back.
func setThreadCreds(fsuid, fsgid uint32, groups []uint32) bool {
	var p unsafe.Pointer
	if len(groups) > 0 {
		p = unsafe.Pointer(&groups[0])
	}
	if _, _, e := unix.RawSyscall(sysSetgroups, uintptr(len(groups)), uintptr(p), 0); e != 0 {
		return false
	}
	// fsuid last when leaving root (the fs capabilities go with it),
	// first when coming back; setting both twice covers either order.
	for range 2 {
		unix.RawSyscall(sysSetfsgid, uintptr(fsgid), 0, 0)
		unix.RawSyscall(sysSetfsuid, uintptr(fsuid), 0, 0)
	}
	g, _, _ := unix.RawSyscall(sysSetfsgid, uintptr(fsgid), 0, 0)
	u, _, _ := unix.RawSyscall(sysSetfsuid, uintptr(fsuid), 0, 0)
	return uint32(g) == fsgid && uint32(u) == fsuid
}
