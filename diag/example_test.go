package diag_test

import (
	"fmt"

	"github.com/cbpfkit/cbpf/diag"
)

// A parser collects its errors in a List and stops once Add says so.
func Example() {
	var errs diag.List
	for line, word := range []string{"allow", "alow", "kill", "alloww"} {
		if word != "allow" && word != "kill" {
			if !errs.Add(diag.Errorf(diag.At("my.policy", line+1, 1), diag.CodeUnknownName, "unknown action %q", word)) {
				break
			}
		}
	}
	for _, e := range diag.Errors(errs.Err()) {
		fmt.Printf("%s [%s]\n", e, e.Code)
	}
	fmt.Println(diag.AtPath("p.json", 0, 0, "syscalls[3].names[1]"))
	fmt.Println(diag.AtInsn(12))
	// Output:
	// my.policy:2:1: unknown action "alow" [unknown-name]
	// my.policy:4:1: unknown action "alloww" [unknown-name]
	// p.json: syscalls[3].names[1]
	// insn 12
}
