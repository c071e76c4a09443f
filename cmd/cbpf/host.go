package main

import "runtime"

// hostArch is the Go name of the arch cbpf runs on.
func hostArch() string { return runtime.GOARCH }
