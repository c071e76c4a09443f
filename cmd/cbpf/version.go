package main

import (
	"fmt"
	"runtime/debug"
)

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print the version of cbpf",
		run: func(e *env, args []string) int {
			fs := newFlags(e, "version", "", "Print cbpf's module version and the Go version it was built with.")
			if code, ok := fs.parse(args); !ok {
				return code
			}
			v, gov := "(devel)", ""
			if bi, ok := debug.ReadBuildInfo(); ok {
				if bi.Main.Version != "" {
					v = bi.Main.Version
				}
				gov = bi.GoVersion
			}
			fmt.Fprintf(e.stdout, "cbpf %s %s\n", v, gov)
			return exitOK
		},
	}
}
