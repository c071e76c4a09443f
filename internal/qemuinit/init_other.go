//go:build !linux

package main

import (
	"fmt"
	"os"
)

func run() {
	fmt.Fprintln(os.Stderr, "qemuinit: Linux only (it is a guest's /init)")
	os.Exit(2)
}
