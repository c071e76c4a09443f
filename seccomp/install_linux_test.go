package seccomp

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/internal/action"
)

// status returns a line of /proc/self/status ("Seccomp", "NoNewPrivs").
func procStatus(key string) string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "error: " + err.Error()
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && k == key {
			return strings.TrimSpace(v)
		}
	}
	return "missing"
}

// rawErrno makes syscall name with no arguments and returns its errno.
func rawErrno(name string) syscall.Errno {
	_, _, e := unix.RawSyscall(uintptr(nr(name)), 0, 0, 0)
	return e
}

func childInstallBasic() {
	if procStatus("Seccomp") != "0" || procStatus("NoNewPrivs") != "0" {
		childFail("child starts with Seccomp %s, NoNewPrivs %s", procStatus("Seccomp"), procStatus("NoNewPrivs"))
	}
	l, err := Install(filter(action.Allow, rule{"getppid", action.Errno | 77}), Options{})
	if err != nil || l != nil {
		childFail("Install: %v, listener %v", err, l)
		return
	}
	if e := rawErrno("getppid"); e != 77 {
		childFail("getppid: errno %d, want 77", e)
	}
	fmt.Printf("Seccomp %s\nNoNewPrivs %s\nfilters %s\n", procStatus("Seccomp"), procStatus("NoNewPrivs"), procStatus("Seccomp_filters"))
}

func TestInstallBasic(t *testing.T) {
	r := runChild(t, "install-basic", nil)
	for _, want := range []string{"Seccomp 2", "NoNewPrivs 1", "filters 1"} {
		if !strings.Contains(r.out, want+"\n") {
			t.Errorf("child output lacks %q:\n%s", want, r.out)
		}
	}
	if !r.state.Success() {
		t.Errorf("child: %v; stderr %s", r.state, r.stderr)
	}
}

// refusals are what Install refuses before it touches the kernel.
var refusals = []struct {
	name string
	prog []bpf.RawInstruction
	opts Options
	op   string
	want string
}{
	{"empty", nil, Options{}, opVerify, "the kernel would reject the program"},
	{"byte load", []bpf.RawInstruction{{Op: 0x30, K: 0}, {Op: 0x06, K: action.Allow}}, Options{}, opVerify, "nothing installed"},
	{"no ret", []bpf.RawInstruction{{Op: 0x20, K: 0}}, Options{}, opVerify, "last"},
	{"unknown bits", allowAll, Options{Flags: 1 << 9}, opFlags, "unknown filter flag bits 0x200"},
	{"tsync+listener", allowAll, Options{Flags: FlagTSync | FlagNewListener}, opFlags, "needs FlagTSyncESRCH"},
	{"killable alone", allowAll, Options{Flags: FlagWaitKillableRecv}, opFlags, "needs FlagNewListener"},
	{"thread+tsync", allowAll, Options{Flags: FlagTSync, ThisThreadOnly: true}, opFlags, "ThisThreadOnly contradicts tsync"},
	{"esrch alone", allowAll, Options{Flags: FlagTSyncESRCH, ThisThreadOnly: true}, opFlags, "contradicts"},
}

var allowAll = []bpf.RawInstruction{{Op: 0x06, K: action.Allow}}

// childInstallRefuses runs in a child although nothing should reach the
// kernel: a bug must not filter the test process.
func childInstallRefuses() {
	for _, c := range refusals {
		l, err := Install(c.prog, c.opts)
		var ie *Error
		if !errors.As(err, &ie) || l != nil {
			childFail("%s: Install = %v, %v; want an *Error", c.name, l, err)
			continue
		}
		if ie.Op != c.op || !strings.Contains(err.Error(), c.want) {
			childFail("%s: error %q (op %s), want op %s and %q", c.name, err, ie.Op, c.op, c.want)
		}
		fmt.Printf("refused %s: %v\n", c.name, err)
	}
	if s, n := procStatus("Seccomp"), procStatus("NoNewPrivs"); s != "0" || n != "0" {
		childFail("after the refusals: Seccomp %s, NoNewPrivs %s", s, n)
	}
}

func TestInstallRefuses(t *testing.T) {
	r := runChild(t, "install-refuses", nil)
	if got := len(r.lines("refused ")); got != len(refusals) || !r.state.Success() {
		t.Errorf("%d refusals of %d seen; child %v:\n%s%s", got, len(refusals), r.state, r.out, r.stderr)
	}
}

func TestEffectiveFlags(t *testing.T) {
	cases := []struct {
		opts Options
		want Flag
	}{
		{Options{}, FlagTSync},
		{Options{Flags: FlagLog}, FlagTSync | FlagLog},
		{Options{Flags: FlagNewListener}, FlagTSync | FlagTSyncESRCH | FlagNewListener},
		{Options{Flags: FlagNewListener, ThisThreadOnly: true}, FlagNewListener},
		{Options{ThisThreadOnly: true}, 0},
		{Options{Flags: FlagTSync | FlagTSyncESRCH | FlagNewListener | FlagWaitKillableRecv}, FlagTSync | FlagTSyncESRCH | FlagNewListener | FlagWaitKillableRecv},
	}
	for _, c := range cases {
		got, err := effectiveFlags(c.opts)
		if err != nil || got != c.want {
			t.Errorf("effectiveFlags(%+v) = %v, %v; want %v", c.opts, got, err, c.want)
		}
	}
}

func TestFlagString(t *testing.T) {
	if s := (FlagTSync | FlagNewListener | 1<<10).String(); s != "tsync|new_listener|0x400" {
		t.Errorf("String = %q", s)
	}
	for _, fi := range flagInfo {
		for _, n := range []string{fi.name, fi.kname, strings.ToUpper(fi.name)} {
			if f, err := ParseFlag(n); err != nil || f != fi.flag {
				t.Errorf("ParseFlag(%q) = %v, %v", n, f, err)
			}
		}
	}
	if _, err := ParseFlag("tsnyc"); err == nil || !strings.Contains(err.Error(), "known: tsync, log") {
		t.Errorf("ParseFlag(tsnyc) = %v", err)
	}
}
