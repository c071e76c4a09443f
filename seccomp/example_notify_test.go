//go:build linux

package seccomp_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/seccomp"
)

// The seed's check_path, done by a supervisor: cat runs with its open
// calls sent to a PathHandler, which opens the files its rules allow
// itself and hands cat the descriptors; everything else is refused.
func Example_pathSupervisor() {
	// 1. A filter that notifies the open calls and allows the rest.
	src := "default allow\nopen, openat, openat2, creat: notify\n"
	p, _, err := policy.ParseTextWith("example", []byte(src), policy.TextOptions{DefaultArches: []*arch.Arch{arch.Host()}})
	if err != nil {
		fmt.Println(err)
		return
	}
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}

	// 2. The allow-list: the dynamic loader's files and one of ours.
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	dir, _ = filepath.EvalSymlinks(dir) // rules match real paths
	os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello from an allowed file\n"), 0o644)
	h, err := seccomp.NewPathHandler(syscall.EACCES,
		seccomp.PathRule{Pattern: "/etc/ld.so.cache"},
		seccomp.PathRule{Pattern: "/lib/**"},
		seccomp.PathRule{Pattern: "/usr/lib/**"},
		seccomp.PathRule{Pattern: dir + "/*.txt"},
	)
	if err != nil {
		fmt.Println(err)
		return
	}

	// 3. Run cat under the filter and serve its listener until it ends.
	var out bytes.Buffer
	proc, err := seccomp.Launch(prog, []string{"cat", filepath.Join(dir, "hello.txt"), "/etc/hostname"}, seccomp.LaunchOptions{
		Options: seccomp.Options{Flags: seccomp.FlagNewListener | seccomp.FlagWaitKillableRecv},
		Env:     []string{"LC_ALL=C", "PATH=" + os.Getenv("PATH")},
		Stdout:  &out,
		Stderr:  &out,
		// A test binary re-executes itself into this test (a program
		// calls seccomp.MaybeLaunched first thing in main instead).
		ReexecArgs: []string{"-test.run=^TestLoaderLaunched$"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	l, err := seccomp.NewListener(proc.Listener)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close()
	served := make(chan error, 1)
	go func() { served <- seccomp.Supervise(context.Background(), l, h) }()
	x, err := proc.Wait()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(out.String())
	fmt.Println("exit status", x.Code, "supervisor:", <-served) // nil: its target is gone
	// Output:
	// hello from an allowed file
	// cat: /etc/hostname: Permission denied
	// exit status 1 supervisor: <nil>
}
