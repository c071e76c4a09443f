package kernel

import (
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// attachFilter sets prog as fd's socket filter (SO_ATTACH_FILTER), which
// replaces any filter attached before.
func attachFilter(fd int, prog []bpf.RawInstruction) error {
	if len(prog) > 0xffff {
		return &RejectError{Errno: unix.EINVAL} // the kernel's len field is 16 bits
	}
	fprog := unix.SockFprog{Len: uint16(len(prog))}
	if len(prog) > 0 {
		fprog.Filter = (*unix.SockFilter)(unsafe.Pointer(&prog[0]))
	}
	err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog)
	runtime.KeepAlive(prog)
	if e, ok := err.(unix.Errno); ok {
		return &RejectError{Errno: e}
	}
	return err
}

// SocketAcceptsBatch reports, for each program, whether the kernel accepts
// it as a socket filter (setsockopt SO_ATTACH_FILTER): nil, or a
// *RejectError with the kernel's errno. It runs in the calling process on a
// throwaway socket; the second result is an oracle failure.
func SocketAcceptsBatch(progs [][]bpf.RawInstruction) ([]error, error) {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("kernel oracle: socket: %w", err)
	}
	defer unix.Close(fd)
	errs := make([]error, len(progs))
	for i, p := range progs {
		errs[i] = attachFilter(fd, p)
	}
	return errs, nil
}

// SocketAccepts reports whether the kernel accepts prog as a socket filter
// (see SocketAcceptsBatch).
func SocketAccepts(prog []bpf.RawInstruction) (verdict error, err error) {
	errs, err := SocketAcceptsBatch([][]bpf.RawInstruction{prog})
	if err != nil {
		return nil, err
	}
	return errs[0], nil
}
