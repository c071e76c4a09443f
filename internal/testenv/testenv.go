// Package testenv decides what tests do when something they need (a tool,
// root, the kernel oracle, libseccomp) is missing: skip on a developer's
// machine, fail on CI (CI set), where .ci/run installs everything.
package testenv

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"testing"
)

// Missing skips the test with why, or fails it when CI is set.
func Missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI must have what this test needs: %s", why)
	}
	t.Skip(why)
}

// Tool returns the path of the named program (Missing if there is none).
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is not installed: "+err.Error())
	}
	return p
}

// Kernel requires what the kernel oracle needs: linux/amd64, and root
// when root is true.
func Kernel(t testing.TB, root bool) {
	t.Helper()
	switch {
	case runtime.GOOS != "linux" || runtime.GOARCH != "amd64":
		Missing(t, "the kernel oracle needs linux/amd64")
	case root && os.Geteuid() != 0:
		Missing(t, "the kernel oracle needs root")
	}
}

// Python is Debian's python3, the one python3-seccomp installs into
// (a python3 earlier on PATH may be another build).
const Python = "/usr/bin/python3"

// Libseccomp requires python3-seccomp (libseccomp 2.5.4 on Debian 12) and
// returns the python to run it with.
func Libseccomp(t testing.TB) string {
	t.Helper()
	out, err := exec.Command(Python, "-c", "import seccomp").CombinedOutput()
	if err != nil {
		Missing(t, "python3-seccomp is not usable ("+err.Error()+": "+string(bytes.TrimSpace(out))+"); apt-get install python3-seccomp")
	}
	return Python
}
