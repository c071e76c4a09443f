//go:build linux && amd64

package policy_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/policy"
)

// TestArg32WarningsKernel: for a rule on kill's signal and one on fcntl's
// fd, the two calls each warning names get, under the kernel's seccomp
// (in a re-executed child), the actions it says; and made without a
// filter, the second call does what the first does: kill sends the
// signal of the low word, fcntl works on the fd of the low word.
func TestArg32WarningsKernel(t *testing.T) {
	testenv.Kernel(t, false)
	f, err := os.CreateTemp(t.TempDir(), "arg32")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fd := int(f.Fd())
	src := fmt.Sprintf("default allow\narch x86_64\nkill: arg1 == SIGKILL => errno(1)\nfcntl: fd == %d => errno(9)\n", fd)
	p, ws, err := policy.ParseText("p", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]arg32Claim{}
	for _, w := range ws {
		if c, ok := parseArg32Claim(t, w.Msg); ok {
			claims[c.syscall] = c
		}
	}
	if len(claims) != 2 {
		t.Fatalf("want warnings for kill and fcntl: %v", ws)
	}
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	x86_64, _ := arch.Lookup("x86_64")
	var in []kernel.Input
	for _, name := range []string{"kill", "fcntl"} {
		c := claims[name]
		nr, _ := x86_64.SyscallNumber(name)
		in = append(in, kernel.Input{Nr: int32(nr), Args: c.in}, kernel.Input{Nr: int32(nr), Args: c.out})
	}
	run, err := kernel.SeccompBatch([]kernel.SeccompJob{{Prog: prog, Inputs: in}})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Results[0].Err; err != nil {
		t.Fatal(err)
	}
	rets := run.Results[0].Rets
	for k, name := range []string{"kill", "fcntl"} {
		c := claims[name]
		if got := policy.Action(rets[2*k]); got != c.inAct {
			t.Errorf("%s%v: the kernel's filter gives %v, the warning %v", name, c.in, got, c.inAct)
		}
		if got := policy.Action(rets[2*k+1]); got != c.outAct {
			t.Errorf("%s%v: the kernel's filter gives %v, the warning %v", name, c.out, got, c.outAct)
		}
	}

	// kill with the second call's signal, to a child: SIGKILL, as with
	// the first's (the warning's pid, 0, would be this process group).
	k := claims["kill"]
	if uint32(k.out[1]) != uint32(syscall.SIGKILL) || k.out[1]>>32 == 0 {
		t.Fatalf("kill witness %#x: not SIGKILL with a high word", k.out[1])
	}
	sleep := exec.Command(testenv.Tool(t, "sleep"), "60")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	if _, _, e := syscall.Syscall(syscall.SYS_KILL, uintptr(sleep.Process.Pid), uintptr(k.out[1]), 0); e != 0 {
		t.Fatalf("kill(child, %#x): %v", k.out[1], e)
	}
	err = sleep.Wait()
	ws2, ok := sleep.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws2.Signaled() || ws2.Signal() != syscall.SIGKILL {
		t.Errorf("kill(child, %#x): the child ended with %v, not SIGKILL", k.out[1], err)
	}

	// fcntl with the second call's arguments acts on the fd of the low
	// word: both calls (F_DUPFD here if cmd is 0) give the same result
	// on the same file.
	c := claims["fcntl"]
	if uint32(c.out[0]) != uint32(fd) || c.out[0]>>32 == 0 {
		t.Fatalf("fcntl witness fd %#x: not %d with a high word", c.out[0], fd)
	}
	effect := func(args [6]uint64) string {
		r, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(args[0]), uintptr(args[1]), uintptr(args[2]))
		if e != 0 {
			return e.Error()
		}
		if args[1] != syscall.F_DUPFD && args[1] != syscall.F_DUPFD_CLOEXEC {
			return fmt.Sprint(r)
		}
		defer syscall.Close(int(r))
		var st syscall.Stat_t
		if err := syscall.Fstat(int(r), &st); err != nil {
			return err.Error()
		}
		return fmt.Sprintf("a new fd on inode %d", st.Ino)
	}
	want, got := effect(c.in), effect(c.out)
	if got != want || strings.Contains(want, "bad file") {
		t.Errorf("fcntl%v: %s; fcntl%v: %s", c.out, got, c.in, want)
	}
}
