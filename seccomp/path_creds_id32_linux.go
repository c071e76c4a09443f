//go:build linux && (386 || arm)

package seccomp

import "golang.org/x/sys/unix"

// The 32-bit-ID system calls: the old numbers take 16-bit IDs here.
const (
	sysSetgroups = unix.SYS_SETGROUPS32
	sysSetfsuid  = unix.SYS_SETFSUID32
	sysSetfsgid  = unix.SYS_SETFSGID32
)
