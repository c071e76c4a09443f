package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// perBinary bounds one test binary's run (the guest CPU is emulated).
const perBinary = 8 * time.Minute

func run() {
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "qemuinit: not PID 1: this is a guest's /init, not a command to run")
		os.Exit(2)
	}
	failures := 0
	if err := setup(); err != nil {
		fmt.Printf("qemuinit: %v\n", err)
		failures++
	}
	bins, _ := filepath.Glob("/tests/*.test") // in lexical order
	if len(bins) == 0 {
		fmt.Println("qemuinit: no test binary in /tests")
		failures++
	}
	for _, b := range bins {
		if !runTest(b) {
			failures++
		}
	}
	fmt.Printf("CBPF-GUEST-DONE arch=%s failures=%d\n", runtime.GOARCH, failures)
	unix.Sync()
	if err := unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF); err != nil {
		fmt.Printf("qemuinit: power off: %v\n", err)
	}
	select {} // PID 1 must not exit (the kernel would panic)
}

// setup mounts what test binaries need: /dev (os/exec opens /dev/null),
// /proc (/proc/self/exe for re-executing, status files), a writable /tmp.
func setup() error {
	for _, m := range []struct{ src, dir, fs string }{
		{"devtmpfs", "/dev", "devtmpfs"}, {"proc", "/proc", "proc"}, {"tmpfs", "/tmp", "tmpfs"},
	} {
		if err := os.MkdirAll(m.dir, 0o755); err != nil {
			return err
		}
		if err := unix.Mount(m.src, m.dir, m.fs, 0, ""); err != nil && err != unix.EBUSY {
			return fmt.Errorf("mount %s on %s: %w", m.fs, m.dir, err)
		}
	}
	os.Setenv("PATH", "/tests")
	os.Setenv("TMPDIR", "/tmp")
	os.Setenv("HOME", "/tmp")
	return nil
}

// runTest runs one test binary with the arguments of NAME.args.
func runTest(bin string) bool {
	var args []string
	if data, err := os.ReadFile(strings.TrimSuffix(bin, ".test") + ".args"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				args = append(args, l)
			}
		}
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), perBinary)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Dir = "/tmp"
	cmd.Env = append(os.Environ(), "CI=true")
	code := 0
	if err := cmd.Run(); err != nil {
		code = -1
		var ee *exec.ExitError
		if errors.As(err, &ee) && ctx.Err() == nil {
			code = ee.ExitCode()
		} else {
			fmt.Printf("qemuinit: %s: %v (after %v)\n", bin, err, time.Since(start).Round(time.Second))
		}
	}
	fmt.Printf("CBPF-TESTBIN %s exit=%d seconds=%.1f\n", filepath.Base(bin), code, time.Since(start).Seconds())
	return code == 0
}
