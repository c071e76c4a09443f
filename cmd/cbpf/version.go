package main

import (
	"fmt"
	"runtime/debug"
)

var versionCommand = &command{
	name:    "version",
	summary: "print the version of cbpf",
	about:   "Print cbpf's module version and the Go version it was built with.",
	run:     runVersion,
}

func runVersion(e *env, fs *flags, args []string) error {
	if err := fs.parse(args); err != nil {
		return err
	}
	v, gov := "(devel)", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		gov = bi.GoVersion
	}
	fmt.Fprintf(e.stdout, "cbpf %s %s\n", v, gov)
	return nil
}
