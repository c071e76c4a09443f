//go:build !linux

package main

import (
	"fmt"
	"runtime"

	"github.com/cbpfkit/cbpf/arch"
)

// Outside Linux there is no host arch nor kernel to default to: the
// commands that need one say so (see host_linux.go).

func hostArch() (*arch.Arch, error) {
	return nil, fmt.Errorf("no default arch: this machine runs %s, not Linux", runtime.GOOS)
}

// hostKernel: none, so a Docker profile's minKernel conditions need
// --kernel.
func hostKernel() (string, error) { return "", nil }
