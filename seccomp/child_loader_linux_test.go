package seccomp

// The loader's tests install filters only in child processes: runChild
// re-executes the test binary with -test.run=^TestLoaderChild$ and the
// name of a child function in loaderChildEnv; TestLoaderChild runs that
// function (which prints what it saw on stdout) and exits.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

const loaderChildEnv = "CBPF_SECCOMP_LOADER_CHILD"

// loaderChildren are the bodies of the child processes, by name. Each
// prints its findings and returns; a panic or os.Exit ends it otherwise.
var loaderChildren = map[string]func(){
	"install-basic":   childInstallBasic,
	"install-refuses": childInstallRefuses,
	"actions":         childActions,
	"trap-go":         childTrapGo,
	"kill-thread":     childKillThread,
	"kill-process":    childKillProcess,
	"stack":           childStack,
	"tsync":           childTSync,
	"this-thread":     childThisThread,
	"inherit":         childInherit,
	"inherit-check":   childInheritCheck,
	"no-new-privs":    childNoNewPrivs,
	"listener":        childListener,
	"prctl-fallback":  childPrctlFallback,
	"too-long":        childTooLong,
	"probe":           childProbe,
	"old-kernel":      childOldKernel,
}

func TestLoaderChild(t *testing.T) {
	name := os.Getenv(loaderChildEnv)
	if name == "" {
		return // only a child of the loader's tests does anything here
	}
	f := loaderChildren[name]
	if f == nil {
		fmt.Printf("FAIL no child %q\n", name)
		os.Exit(3)
	}
	f()
	os.Exit(0)
}

// childResult is what a child printed and how it ended.
type childResult struct {
	out, stderr string
	state       *os.ProcessState
}

// lines returns the stdout lines that start with prefix, without it.
func (r childResult) lines(prefix string) []string {
	var ls []string
	for l := range strings.SplitSeq(r.out, "\n") {
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			ls = append(ls, rest)
		}
	}
	return ls
}

// signal returns the signal that killed the child, or 0.
func (r childResult) signal() syscall.Signal {
	ws, ok := r.state.Sys().(syscall.WaitStatus)
	if ok && ws.Signaled() {
		return ws.Signal()
	}
	return 0
}

// runChild runs loaderChildren[name] in a re-executed test binary with
// extra environment and optional attributes (credentials).
func runChild(t *testing.T, name string, attr *syscall.SysProcAttr, env ...string) childResult {
	t.Helper()
	needKernel(t)
	if _, ok := loaderChildren[name]; !ok {
		t.Fatalf("no child %q", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestLoaderChild$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), loaderChildEnv+"="+name), env...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	cmd.SysProcAttr = attr
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("child %s: %v", name, err)
	}
	r := childResult{out: out.String(), stderr: stderr.String(), state: cmd.ProcessState}
	if fails := r.lines("FAIL "); len(fails) > 0 {
		t.Errorf("child %s failed:\n%s\nstderr: %s", name, strings.Join(fails, "\n"), r.stderr)
	}
	return r
}

// needKernel: the tests need Linux seccomp on an arch package arch knows.
func needKernel(t *testing.T) {
	t.Helper()
	if arch.Host() == nil {
		testenv.Missing(t, "package arch does not know this GOARCH")
	}
}

// childFail reports a failure from inside a child.
func childFail(format string, a ...any) { fmt.Printf("FAIL "+format+"\n", a...) }

// nr is the host's number of a syscall, from package arch.
func nr(name string) uint32 {
	n, ok := arch.Host().SyscallNumber(name)
	if !ok {
		panic("no syscall " + name + " on " + arch.Host().Name)
	}
	return n
}

// filter builds a program for the host arch: each named syscall gets its
// return value, everything else def. Another arch is killed.
func filter(def uint32, rules ...rule) []bpf.RawInstruction {
	ins := []bpf.Instruction{
		bpf.LoadAbsolute{Off: 4, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: arch.Host().Audit, SkipTrue: 1},
		bpf.RetConstant{Val: action.KillProcess},
		bpf.LoadAbsolute{Off: 0, Size: 4},
	}
	for _, r := range rules {
		ins = append(ins,
			bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr(r.name), SkipFalse: 1},
			bpf.RetConstant{Val: r.ret})
	}
	ins = append(ins, bpf.RetConstant{Val: def})
	raw, err := bpf.Assemble(ins)
	if err != nil {
		panic(err)
	}
	return raw
}

type rule struct {
	name string
	ret  uint32
}
