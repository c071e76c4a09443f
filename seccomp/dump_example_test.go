//go:build linux

package seccomp_test

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/seccomp"
	"github.com/cbpfkit/cbpf/verify"
)

// Read the filters of the process named on the command line and build the
// one program that decides as all of them together (as root).
func ExampleFilters() {
	pid, _ := strconv.Atoi(os.Args[1])
	fs, err := seccomp.Filters(pid)
	if errors.Is(err, seccomp.ErrNoFilters) {
		fmt.Println("no filters")
		return
	}
	if err != nil {
		fmt.Println(err) // no such process, no permission (which capability), ...
		return
	}
	progs := make([][]bpf.RawInstruction, len(fs))
	for i, f := range fs { // oldest first
		fmt.Printf("filter %d: %d instructions, log %v\n", f.Index, len(f.Prog), f.Log)
		progs[i] = f.Prog
	}
	if effective, err := verify.Stack(progs); err == nil {
		fmt.Printf("together: %d instructions\n", len(effective))
	}
}
