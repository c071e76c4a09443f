//go:build !linux

package testenv

import "testing"

// RunningKernel: outside Linux there is none (Missing).
func RunningKernel(t testing.TB) string {
	t.Helper()
	Missing(t, "no Linux kernel to read the version of")
	return ""
}
