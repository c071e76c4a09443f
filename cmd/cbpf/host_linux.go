package main

import (
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
)

// The facts cbpf reads from the machine it runs on, for the defaults of
// its commands (the library packages take them as arguments). This file
// is the Linux half; host_other.go says elsewhere that there are none.

// hostArch is this machine's arch: the default target of a policy that
// names none.
func hostArch() (*arch.Arch, error) {
	if a := arch.Host(); a != nil {
		return a, nil
	}
	return nil, fmt.Errorf("this machine's arch (GOARCH %s) is not a Linux arch cbpf knows", runtime.GOARCH)
}

// hostKernel is the running kernel's version ("6.18"), for Docker's
// minKernel conditions as Docker reads them.
func hostKernel() (string, error) {
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		return "", fmt.Errorf("cannot read the kernel version: %v", err)
	}
	rel := unix.ByteSliceToString(uts.Release[:])
	var major, minor int
	if _, err := fmt.Sscanf(rel, "%d.%d", &major, &minor); err != nil {
		return "", fmt.Errorf("kernel release %q: %v", rel, err)
	}
	return fmt.Sprintf("%d.%d", major, minor), nil
}
