package seccomp

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

// childProbe asks the kernel about every action and flag. The probes
// install nothing; they run in a child all the same, since a probe that
// did would be irreversible.
func childProbe() {
	for _, ai := range actionInfo {
		fmt.Printf("action %s %v\n", ai.kname, ActionAvailable(ai.action|5))
	}
	fmt.Printf("action bogus %v\n", ActionAvailable(0x12340000))
	s, err := NotifSizes()
	fmt.Printf("sizes %d %d %d %v\n", s.Notif, s.NotifResp, s.Data, err)
	for _, fi := range flagInfo {
		fmt.Printf("flag %s %v\n", fi.name, FlagSupported(fi.flag))
	}
	fmt.Printf("flag all %v\n", FlagSupported(allFlags))
	fmt.Printf("flag bogus %v\n", FlagSupported(1<<12))
	fmt.Printf("after Seccomp %s NoNewPrivs %s\n", procStatus("Seccomp"), procStatus("NoNewPrivs"))
}

// TestProbe: the running kernel (5.19 or later here and on CI) has every
// action and flag; the notification structures have the sizes of
// include/uapi/linux/seccomp.h as of 5.0 (seccomp_notif 80, resp 24,
// seccomp_data 64).
func TestProbe(t *testing.T) {
	if !kernelAtLeast(5, 19) {
		testenv.Missing(t, "the probe test expects Linux 5.19 or later")
	}
	r := runChild(t, "probe", nil)
	want := []string{"sizes 80 24 64 <nil>", "flag all <nil>", "after Seccomp 0 NoNewPrivs 0",
		"action bogus seccomp: 0x12340000 is not a seccomp action any Linux knows (the kernel would treat it as KILL_PROCESS)",
		"flag bogus seccomp: unknown filter flag bits 0x1000"}
	for _, ai := range actionInfo {
		want = append(want, "action "+ai.kname+" <nil>")
	}
	for _, fi := range flagInfo {
		want = append(want, "flag "+fi.name+" <nil>")
	}
	for _, w := range want {
		if !strings.Contains(r.out, w+"\n") {
			t.Errorf("child output lacks %q:\n%s%s", w, r.out, r.stderr)
		}
	}
}

func kernelAtLeast(major, minor int) bool {
	var uts unix.Utsname
	if unix.Uname(&uts) != nil {
		return false
	}
	var a, b int
	fmt.Sscanf(unix.ByteSliceToString(uts.Release[:]), "%d.%d", &a, &b)
	return a > major || a == major && b >= minor
}

func TestFeatureError(t *testing.T) {
	e := &FeatureError{Feature: "SECCOMP_RET_KILL_PROCESS", Since: "4.14", Errno: unix.EOPNOTSUPP}
	if got, want := e.Error(), "SECCOMP_RET_KILL_PROCESS needs Linux 4.14; this kernel lacks it (EOPNOTSUPP)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// Every action and flag has its name and version.
	for _, ai := range actionInfo {
		if !strings.HasPrefix(ai.kname, "SECCOMP_RET_") || ai.since == "" || !action.Known(ai.action) {
			t.Errorf("action entry %+v", ai)
		}
	}
	for _, fi := range flagInfo {
		if !strings.HasPrefix(fi.kname, "SECCOMP_FILTER_FLAG_") || fi.since == "" {
			t.Errorf("flag entry %+v", fi)
		}
	}
}

// oldKernel is a filter that makes this kernel answer as an older one
// would: no SECCOMP_GET_ACTION_AVAIL answer but EOPNOTSUPP (an action
// it lacks), no SECCOMP_GET_NOTIF_SIZES (EINVAL, before 5.0), and
// SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV unknown (EINVAL, before 5.19).
func oldKernel() []bpf.RawInstruction {
	a := arch.Host()
	raw, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 4, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: a.Audit, SkipTrue: 1},
		bpf.RetConstant{Val: action.KillProcess},
		bpf.LoadAbsolute{Off: 0, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr("seccomp"), SkipTrue: 1},
		bpf.RetConstant{Val: action.Allow},
		bpf.LoadAbsolute{Off: a.ArgOffset(0, false), Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: unix.SECCOMP_GET_ACTION_AVAIL, SkipFalse: 1},
		bpf.RetConstant{Val: action.Errno | uint32(unix.EOPNOTSUPP)},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: unix.SECCOMP_GET_NOTIF_SIZES, SkipFalse: 1},
		bpf.RetConstant{Val: action.Errno | uint32(unix.EINVAL)},
		bpf.LoadAbsolute{Off: a.ArgOffset(1, false), Size: 4},
		bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: uint32(FlagWaitKillableRecv), SkipFalse: 1},
		bpf.RetConstant{Val: action.Errno | uint32(unix.EINVAL)},
		bpf.RetConstant{Val: action.Allow},
	})
	if err != nil {
		panic(err)
	}
	return raw
}

func childOldKernel() {
	mustInstall(oldKernel(), Options{})
	fmt.Printf("action: %v\n", ActionAvailable(action.KillProcess))
	_, err := NotifSizes()
	fmt.Printf("sizes: %v\n", err)
	fmt.Printf("flag: %v\n", FlagSupported(FlagLog|FlagNewListener|FlagWaitKillableRecv))
	_, err = Install(filter(action.Allow), Options{Flags: FlagNewListener | FlagWaitKillableRecv})
	fmt.Printf("install: %v\n", err)
	fmt.Printf("filters %s\n", procStatus("Seccomp_filters"))
}

// TestOldKernel: the errors name the feature the kernel lacks and the
// version that added it.
func TestOldKernel(t *testing.T) {
	r := runChild(t, "old-kernel", nil)
	for _, w := range []string{
		"action: SECCOMP_RET_KILL_PROCESS needs Linux 4.14; this kernel lacks it (EOPNOTSUPP)",
		"sizes: SECCOMP_GET_NOTIF_SIZES needs Linux 5.0; this kernel lacks it (EINVAL)",
		"flag: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs Linux 5.19; this kernel lacks it (EINVAL)",
		"install: seccomp: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs Linux 5.19; this kernel lacks it (EINVAL)",
		"filters 1",
	} {
		if !strings.Contains(r.out, w+"\n") {
			t.Errorf("child output lacks %q:\n%s%s", w, r.out, r.stderr)
		}
	}
}
