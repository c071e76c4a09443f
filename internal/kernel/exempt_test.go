//go:build linux

package kernel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

// exemptChildEnv makes the test binary run TestExemptChild as a child
// that installs a filter and makes one call.
const exemptChildEnv = "CBPF_EXEMPT_CHILD"

// TestExemptChild is the child's side of TestExempt: with
// CBPF_EXEMPT_CHILD=NR[,filter] it installs, on its own locked thread
// only, a filter returning ERRNO(1) for NR and ALLOW for everything else
// (when ",filter" is given), calls NR directly from that thread and
// prints what the call returned. A call that kills the process prints
// nothing after "calling". Without the variable it does nothing.
func TestExemptChild(t *testing.T) {
	spec := os.Getenv(exemptChildEnv)
	if spec == "" {
		return
	}
	nrs, filter, _ := strings.Cut(spec, ",")
	nr, err := strconv.Atoi(nrs)
	if err != nil {
		fmt.Println("bad", exemptChildEnv, err)
		os.Exit(3)
	}
	runtime.LockOSThread() // never unlocked: the filter stays on this thread
	if filter == "filter" {
		prog := []bpf.RawInstruction{
			ins(opLdAbs, 0, 0, 0),         // ld [0] (nr)
			ins(opJeqK, 0, 1, uint32(nr)), // jeq #nr, errno, allow
			ins(opRetK, 0, 0, retErrno|1), // ret ERRNO(1)
			ins(opRetK, 0, 0, retAllow),   // ret ALLOW
		}
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			fmt.Println("prctl:", err)
			os.Exit(3)
		}
		if _, e := setFilter(prog, 0); e != 0 {
			fmt.Println("seccomp:", e)
			os.Exit(3)
		}
	}
	fmt.Println("calling", nr)
	os.Stdout.Sync()
	r, _, e := unix.RawSyscall(uintptr(nr), 0, 0, 0)
	fmt.Printf("returned %d errno %d\n", int64(r), int(e))
	os.Exit(0)
}

// outcome is what one child saw.
type outcome struct {
	ret      string // "returned R errno E", or "" if the call did not return
	sigill   bool   // the process died of SIGILL
	exitCode int
	stderr   string
}

func runExemptChild(t *testing.T, nr int, filter bool) outcome {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	spec := strconv.Itoa(nr)
	if filter {
		spec += ",filter"
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-test.run=^TestExemptChild$", "-test.count=1")
	// GOTRACEBACK=single: a Go crash then ends in exit(2), never by
	// raising a signal at itself.
	cmd.Env = append(os.Environ(), exemptChildEnv+"="+spec, "GOTRACEBACK=single")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	runErr := cmd.Run()
	o := outcome{stderr: errb.String()}
	var ee *exec.ExitError
	if runErr != nil && !errors.As(runErr, &ee) {
		t.Fatalf("child %s: %v", spec, runErr)
	}
	if ee != nil {
		o.exitCode = ee.ExitCode()
	}
	if !strings.Contains(out.String(), "calling "+strconv.Itoa(nr)) {
		t.Fatalf("child %s did not reach the call: stdout %q, stderr %q, %v", spec, out.String(), errb.String(), runErr)
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "returned ") {
			o.ret = l
		}
	}
	// The Go runtime reports a SIGILL the kernel forced on it (si_code
	// SI_KERNEL = 128) and exits with status 2.
	o.sigill = o.ret == "" && o.exitCode == 2 && strings.Contains(o.stderr, "SIGILL: illegal instruction") && strings.Contains(o.stderr, "sigcode=128")
	return o
}

// kernelRelease returns the running kernel's major, minor and patch
// numbers.
func kernelRelease(t *testing.T) [3]int {
	t.Helper()
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		t.Fatal(err)
	}
	rel := unix.ByteSliceToString(u.Release[:])
	v, err := parseVersion(rel)
	if err != nil {
		t.Fatalf("kernel release %q: %v", rel, err)
	}
	return v
}

// parseVersion reads "6.18.44-fc-v1147" or "6.14" as [6 18 44], [6 14 0].
func parseVersion(s string) ([3]int, error) {
	var v [3]int
	end := strings.IndexFunc(s, func(r rune) bool { return r != '.' && (r < '0' || r > '9') })
	if end >= 0 {
		s = s[:end]
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return v, fmt.Errorf("not a kernel version")
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return v, err
		}
		v[i] = n
	}
	return v, nil
}

func versionLess(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

// exemptOn reports whether kernel release v exempts e: Since or later, or
// a stable series listed in Stable at or past the listed release.
func exemptOn(t *testing.T, e arch.Exemption, v [3]int) bool {
	since, err := parseVersion(e.Since)
	if err != nil {
		t.Fatalf("%s: Since %q: %v", e.Name, e.Since, err)
	}
	if !versionLess(v, since) {
		return true
	}
	if e.Stable == "" {
		return false
	}
	for _, s := range strings.Split(e.Stable, ",") {
		sv, err := parseVersion(strings.TrimSpace(s))
		if err != nil {
			t.Fatalf("%s: Stable %q: %v", e.Name, e.Stable, err)
		}
		if v[0] == sv[0] && v[1] == sv[1] && !versionLess(v, sv) {
			return true
		}
	}
	return false
}

func TestParseVersion(t *testing.T) {
	for _, c := range []struct {
		s    string
		want [3]int
	}{{"6.18.44-fc-v1147", [3]int{6, 18, 44}}, {"6.14", [3]int{6, 14, 0}}, {"6.12.14", [3]int{6, 12, 14}}, {"5.15.0-91-generic", [3]int{5, 15, 0}}} {
		if got, err := parseVersion(c.s); err != nil || got != c.want {
			t.Errorf("parseVersion(%q) = %v, %v; want %v", c.s, got, err, c.want)
		}
	}
	e := arch.Exemption{Name: "x", Since: "6.14", Stable: "6.12.14, 6.13.3"}
	for v, want := range map[[3]int]bool{
		{6, 11, 0}: false, {6, 12, 13}: false, {6, 12, 14}: true, {6, 13, 2}: false,
		{6, 13, 3}: true, {6, 14, 0}: true, {6, 18, 44}: true, {7, 0, 0}: true,
	} {
		if got := exemptOn(t, e, v); got != want {
			t.Errorf("exemptOn(%v) = %v, want %v", v, got, want)
		}
	}
}

// TestExempt checks arch.Exempt against this kernel: a filter returning
// ERRNO(1) for uretprobe (335) or uprobe (336) has no effect on kernels
// that exempt them, and the call does what it does unfiltered when made
// from outside the kernel's uprobe trampolines (uretprobe: SIGILL;
// uprobe: ENXIO). A control shows that the same filter on getpid (39)
// does return ERRNO(1). Each call runs in its own re-executed child.
func TestExempt(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		testenv.Missing(t, "syscalls 335 and 336 are x86_64's")
	}
	if os.Getenv(exemptChildEnv) != "" {
		return // the child's own run of the test binary
	}
	x86, err := arch.Lookup("x86_64")
	if err != nil {
		t.Fatal(err)
	}
	rel := kernelRelease(t)

	ctl := runExemptChild(t, 39, true)
	if want := fmt.Sprintf("returned %d errno %d", -1, int(syscall.EPERM)); ctl.ret != want {
		t.Fatalf("control: getpid under a filter returning ERRNO(1): %q (exit %d, stderr %q), want %q", ctl.ret, ctl.exitCode, ctl.stderr, want)
	}

	for _, nr := range []int{NrUretprobe, NrUprobe} {
		e, ok := x86.Exempt(uint32(nr))
		if !ok {
			t.Fatalf("arch.Exempt(%d) = false on x86_64", nr)
		}
		if name, _ := x86.SyscallName(uint32(nr)); name != e.Name {
			t.Errorf("arch.Exempt(%d).Name = %q, the table says %q", nr, e.Name, name)
		}
		if !Unfiltered(int32(nr)) {
			t.Errorf("Unfiltered(%d) = false", nr)
		}
		bare := runExemptChild(t, nr, false)
		filtered := runExemptChild(t, nr, true)
		t.Logf("%s (%d) on %d.%d.%d: unfiltered: %s; under ERRNO(1): %s", e.Name, nr, rel[0], rel[1], rel[2], describe(bare), describe(filtered))
		if !exemptOn(t, e, rel) {
			// Such a kernel runs the filter: the call gets EPERM.
			if want := fmt.Sprintf("returned %d errno %d", -1, int(syscall.EPERM)); filtered.ret != want {
				t.Errorf("%s: this kernel (before %s) should filter it: got %s", e.Name, e.Since, describe(filtered))
			}
			continue
		}
		if filtered.ret != bare.ret || filtered.sigill != bare.sigill {
			t.Errorf("%s: the filter changed the call: unfiltered %s, filtered %s", e.Name, describe(bare), describe(filtered))
		}
		// What the call does on its own, made from outside the
		// trampoline: uretprobe forces SIGILL, uprobe fails with ENXIO.
		switch nr {
		case NrUretprobe:
			if !filtered.sigill {
				t.Errorf("uretprobe under ERRNO(1): %s, want death by SIGILL (the filter not applied)", describe(filtered))
			}
		case NrUprobe:
			if want := fmt.Sprintf("returned %d errno %d", -1, int(syscall.ENXIO)); filtered.ret != want {
				t.Errorf("uprobe under ERRNO(1): %s, want %s (the filter not applied)", describe(filtered), want)
			}
		}
	}
}

func describe(o outcome) string {
	switch {
	case o.ret != "":
		return o.ret
	case o.sigill:
		return "killed by SIGILL"
	}
	return fmt.Sprintf("no return, exit %d, stderr %q", o.exitCode, firstLines(o.stderr, 3))
}

func firstLines(s string, n int) string {
	ls := strings.SplitN(s, "\n", n+1)
	if len(ls) > n {
		ls = ls[:n]
	}
	return strings.Join(ls, "\n")
}
