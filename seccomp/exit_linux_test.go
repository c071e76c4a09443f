package seccomp

import (
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cbpfkit/cbpf/arch"
)

func TestParseAudit(t *testing.T) {
	x86_64, _ := arch.Lookup("x86_64")
	x32, _ := arch.Lookup("x32")
	aarch64, _ := arch.Lookup("aarch64")
	cases := []struct {
		line string
		want *Violation
	}{
		// /dev/kmsg's form.
		{`6,3466,832795854,-;audit: type=1326 audit(1796408317.999:3466): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=9323 comm="mkdir" exe="/usr/bin/mkdir" sig=31 arch=c000003e syscall=83 compat=0 ip=0x7fd0067dff37 code=0x80000000`,
			&Violation{Pid: 9323, AuditArch: 0xc000003e, Arch: x86_64, Nr: 83, Name: "mkdir", Action: 0x80000000, Signal: 31, Comm: "mkdir", Exe: "/usr/bin/mkdir"}},
		// The netlink payload, as find prefixes it; an x32 number.
		{`type=1326 audit(1796408312.387:961): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=4648 comm="t" exe="/t" sig=31 arch=c000003e syscall=1073742081 compat=0 ip=0x5e734c code=0x0`,
			&Violation{Pid: 4648, AuditArch: 0xc000003e, Arch: x32, Nr: 1073742081, Name: "openat", Action: 0, Signal: 31, Comm: "t", Exe: "/t"}},
		// A negative number (the record prints it signed); another arch.
		{`audit: type=1326 audit(1:2): pid=7 comm="a" exe="/a" sig=0 arch=c00000b7 syscall=-1 compat=0 ip=0x1 code=0x7ffc0000`,
			&Violation{Pid: 7, AuditArch: 0xc00000b7, Arch: aarch64, Nr: 0xffffffff, Action: 0x7ffc0000, Comm: "a", Exe: "/a"}},
		{`audit: type=1300 audit(1:2): arch=c000003e syscall=59 success=yes`, nil},
		{`audit: type=1326 audit(1:2): pid=x arch=c000003e syscall=59 code=0x0`, nil},
	}
	for _, c := range cases {
		got, ok := parseAudit(c.line)
		if ok != (c.want != nil) {
			t.Errorf("parseAudit(%.60q) ok = %v", c.line, ok)
			continue
		}
		if diff := cmp.Diff(c.want, got, cmpopts.IgnoreUnexported(arch.Arch{})); diff != "" {
			t.Errorf("parseAudit(%.60q) (-want +got):\n%s", c.line, diff)
		}
	}
}

func TestExitString(t *testing.T) {
	x86_64, _ := arch.Lookup("x86_64")
	v := &Violation{AuditArch: x86_64.Audit, Arch: x86_64, Nr: 83, Name: "mkdir"}
	cases := []struct {
		x    Exit
		want string
		st   int
	}{
		{Exit{Code: 3}, "exit status 3", 3},
		{Exit{Code: -1, Signal: syscall.SIGTERM}, "killed by signal SIGTERM", 143},
		{Exit{Code: -1, Signal: syscall.SIGSYS, Violation: v}, "killed by seccomp: SIGSYS on syscall mkdir (83) arch x86_64", 159},
		{Exit{Code: -1, Signal: syscall.SIGSYS, Violation: &Violation{AuditArch: 0x1234, Nr: 9}}, "killed by seccomp: SIGSYS on syscall ? (9) arch 0x00001234", 159},
		{Exit{Code: -1, Signal: syscall.SIGSYS, Unknown: "no record", Candidates: []string{"syscall mkdir (83) arch x86_64"}},
			"killed by SIGSYS; the syscall is unknown: no record; probably syscall mkdir (83) arch x86_64, the only call this filter sends SIGSYS for (with zero arguments)", 159},
	}
	for _, c := range cases {
		if got := c.x.String(); got != c.want || c.x.Status() != c.st {
			t.Errorf("%+v: %q, status %d; want %q, %d", c.x, got, c.x.Status(), c.want, c.st)
		}
	}
	many := Exit{Signal: syscall.SIGSYS, Unknown: "u", Candidates: strings.Split("a b c d e f g h i j k l", " ")}
	if s := many.String(); !strings.HasSuffix(s, "for a, b, c, d, e, f, g, h, i, j and 2 more") {
		t.Errorf("many candidates: %q", s)
	}
}
