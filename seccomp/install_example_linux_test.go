package seccomp_test

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/seccomp"
)

// Options.Effective shows what Install will ask the kernel for: every
// thread (TSYNC) by default, and TSYNC_ESRCH with a listener, since the
// kernel could not tell a listener fd from a thread ID otherwise.
func Example() {
	for _, o := range []seccomp.Options{
		{},
		{Flags: seccomp.FlagNewListener},
		{Flags: seccomp.FlagLog, ThisThreadOnly: true},
		{Flags: seccomp.FlagTSync | seccomp.FlagNewListener},
	} {
		f, err := o.Effective()
		fmt.Println(f, err)
	}
	f, err := seccomp.ParseFlag("wait_killable_recv")
	fmt.Println(f == seccomp.FlagWaitKillableRecv, err)
	// Output:
	// tsync <nil>
	// tsync|new_listener|tsync_esrch <nil>
	// log <nil>
	// 0 seccomp: FlagTSync with FlagNewListener needs FlagTSyncESRCH: the kernel returns a listener fd or the ID of a thread it could not synchronise and refuses a combination where the two cannot be told apart
	// true <nil>
}

// Install puts a filter on every thread of the process, for good: here
// getppid fails with EPERM from then on. (Not run: a filter cannot be
// removed from the process that installed it.)
func ExampleInstall() {
	prog, _ := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 0, Size: 4}, // seccomp_data.nr (a real filter checks arch first)
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 110, SkipFalse: 1},
		bpf.RetConstant{Val: 0x00050000 | 1}, // ERRNO(EPERM)
		bpf.RetConstant{Val: 0x7fff0000},     // ALLOW
	})
	if _, err := seccomp.Install(prog, seccomp.Options{}); err != nil {
		fmt.Println(err)
	}
}

// Launch runs a command with a filter installed just before it is
// executed; the program's main must call MaybeLaunched first.
func ExampleLaunch() {
	seccomp.MaybeLaunched() // first thing in main
	prog, _ := bpf.Assemble([]bpf.Instruction{bpf.RetConstant{Val: 0x7fff0000}})
	p, err := seccomp.Launch(prog, []string{"true"}, seccomp.LaunchOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	x, err := p.Wait()
	fmt.Println(x, err)
}
