package testenv

import (
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

// RunningKernel returns the running kernel's version as Docker reads it
// ("6.18"), for tests that compare with tools that read it themselves
// (moby's LoadProfile): the packages under test take it as an argument.
func RunningKernel(t testing.TB) string {
	t.Helper()
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		t.Fatalf("uname: %v", err)
	}
	rel := unix.ByteSliceToString(uts.Release[:])
	var major, minor int
	if _, err := fmt.Sscanf(rel, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("kernel release %q: %v", rel, err)
	}
	return fmt.Sprintf("%d.%d", major, minor)
}
