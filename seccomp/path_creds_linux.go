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
	if c, err := threadCaps(); err != nil || c.eff&^st.capEff != 0 {
		return false // the supervisor holds capabilities the target lacks
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
	caps, err := threadCaps()
	if err != nil {
		runtime.UnlockOSThread()
		return errCreds
	}
	uid, gid := uint32(os.Geteuid()), uint32(os.Getegid())
	restore := func() {
		// The capabilities first: setting the fsuid back to 0 gives the
		// file capabilities back only within the permitted set.
		if setThreadCaps(caps) == nil && setThreadCreds(uid, gid, toU32(ourGroups)) {
			runtime.UnlockOSThread()
		}
	}
	if !setThreadCreds(st.fsuid, st.fsgid, st.groups) {
		restore()
		return errCreds
	}
	// No more capabilities than the target has: a container's root with
	// its capabilities dropped must not open what only CAP_DAC_OVERRIDE
	// would let it (the fsuid switch drops the file capabilities only
	// for a non-zero fsuid).
	limited := caps
	limited.eff &= st.capEff
	if setThreadCaps(limited) != nil {
		restore()
		return errCreds
	}
	err = f()
	restore()
	return err
}

// capSet is a thread's capability sets, as capget(2) gives them.
type capSet struct{ eff, perm, inh uint64 }

// threadCaps reads the calling thread's capabilities.
func threadCaps() (capSet, error) {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var d [2]unix.CapUserData
	if err := unix.Capget(&hdr, &d[0]); err != nil {
		return capSet{}, err
	}
	join := func(lo, hi uint32) uint64 { return uint64(hi)<<32 | uint64(lo) }
	return capSet{join(d[0].Effective, d[1].Effective), join(d[0].Permitted, d[1].Permitted), join(d[0].Inheritable, d[1].Inheritable)}, nil
}

// setThreadCaps sets the calling thread's capabilities (capset(2) acts on
// the calling thread only).
func setThreadCaps(c capSet) error {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	d := [2]unix.CapUserData{
		{Effective: uint32(c.eff), Permitted: uint32(c.perm), Inheritable: uint32(c.inh)},
		{Effective: uint32(c.eff >> 32), Permitted: uint32(c.perm >> 32), Inheritable: uint32(c.inh >> 32)},
	}
	return unix.Capset(&hdr, &d[0])
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
