package policy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/diag"
)

// x86_64 as the host keeps these tests independent of the machine.
var ociX86 = OCIOptions{Arch: "x86_64", Kernel: "6.1"}

func TestParseOCIPolicy(t *testing.T) {
	tests := []struct {
		name string
		json string
		opts OCIOptions
		want string // Policy.String
	}{{
		name: "actions",
		json: `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
			{"names": ["read"], "action": "SCMP_ACT_ALLOW"},
			{"names": ["write"], "action": "SCMP_ACT_LOG"},
			{"names": ["close"], "action": "SCMP_ACT_KILL"},
			{"names": ["fstat"], "action": "SCMP_ACT_KILL_THREAD"},
			{"names": ["lseek"], "action": "SCMP_ACT_KILL_PROCESS"},
			{"names": ["mmap"], "action": "SCMP_ACT_TRAP"},
			{"names": ["brk"], "action": "SCMP_ACT_TRACE"},
			{"names": ["ioctl"], "action": "SCMP_ACT_TRACE", "errnoRet": 9},
			{"names": ["pread64"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
			{"names": ["getpid"], "action": "SCMP_ACT_NOTIFY"},
			{"names": ["getuid"], "action": "SCMP_ACT_ERRNO"}]}`,
		want: `default errno(1)
arch x86_64
read: allow
write: log
close: kill_thread
fstat: kill_thread
lseek: kill_process
mmap: trap(0)
brk: trace(1)
ioctl: trace(9)
pread64: errno(13)
getpid: user_notif
`,
	}, {
		name: "defaultErrnoRet and arches",
		json: `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
			"architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32"],
			"syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO"}]}`,
		want: "default errno(38)\narch x86_64 x86 x32\ngetpid: errno(1)\n",
	}, {
		name: "operators",
		json: `{"defaultAction": "SCMP_ACT_KILL_PROCESS", "syscalls": [
			{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [
				{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
				{"index": 1, "value": 2, "op": "SCMP_CMP_NE"},
				{"index": 2, "value": 3, "op": "SCMP_CMP_LT"},
				{"index": 3, "value": 4, "op": "SCMP_CMP_LE"},
				{"index": 4, "value": 5, "op": "SCMP_CMP_GT"},
				{"index": 5, "value": 6, "op": "SCMP_CMP_GE"}]},
			{"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [
				{"index": 2, "value": 4294967295, "valueTwo": 7, "op": "SCMP_CMP_MASKED_EQ"}]}]}`,
		want: `default kill_process
arch x86_64
read: arg0 == 1 && arg1 != 2 && arg2 < 3 && arg3 <= 4 && arg4 > 5 && arg5 >= 6
write: (arg2 & 0xffffffff) == 7
`,
	}, {
		name: "same argument twice: runc splits the entry",
		json: `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
			{"names": ["read", "pread64"], "action": "SCMP_ACT_ALLOW", "args": [
				{"index": 0, "value": 3, "op": "SCMP_CMP_GE"},
				{"index": 0, "value": 9, "op": "SCMP_CMP_LE"}]}]}`,
		want: "default errno(1)\narch x86_64\nread: arg0 >= 3\nread: arg0 <= 9\npread64: arg0 >= 3\npread64: arg0 <= 9\n",
	}, {
		name: "default action rules dropped, name field, unknown names skipped",
		json: `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
			{"name": "read", "action": "SCMP_ACT_ALLOW"},
			{"names": ["ptrace", "no_such_call"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}`,
		want: "default allow\narch x86_64\nptrace: errno(1)\n",
	}, {
		name: "libseccomp: first unconditional rule wins, supersets absorbed, duplicates merged",
		json: `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
			{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}]},
			{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
			{"names": ["read"], "action": "SCMP_ACT_ALLOW"},
			{"names": ["close"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
			{"names": ["close"], "action": "SCMP_ACT_TRAP", "args": [{"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
			{"names": ["close"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]}`,
		want: "default errno(1)\narch x86_64\nread: errno(38)\nclose: arg0 == 1\n",
	}, {
		name: "Docker includes and excludes",
		json: `{"defaultAction": "SCMP_ACT_ERRNO", "archMap": [
				{"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]},
				{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
			"syscalls": [
			{"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64"]}},
			{"names": ["write"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm64"]}},
			{"names": ["close"], "action": "SCMP_ACT_ALLOW", "excludes": {"arches": ["amd64"]}},
			{"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_PTRACE"]}},
			{"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
			{"names": ["chroot"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_CHROOT"]}},
			{"names": ["pidfd_open"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "5.3"}},
			{"names": ["pidfd_getfd"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "6.2"}},
			{"names": ["uname"], "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "6.1"}},
			{"names": ["getpid"], "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "6.2"}}]}`,
		opts: OCIOptions{Arch: "amd64", Kernel: "6.1.12-foo", Caps: []string{"sys_ptrace", "CAP_SYS_CHROOT"}},
		want: "default errno(1)\narch x86_64 x86\nread: allow\nptrace: allow\npidfd_open: allow\ngetpid: allow\n",
	}, {
		name: "archMap for another host",
		json: `{"defaultAction": "SCMP_ACT_ERRNO", "archMap": [
				{"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]},
				{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
			"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm64"]}}]}`,
		opts: OCIOptions{Arch: "arm64"},
		want: "default errno(1)\narch aarch64 arm\nread: allow\n",
	}, {
		name: "config.json",
		json: `{"ociVersion": "1.2.0", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_LOG",
			"syscalls": [{"names": ["reboot"], "action": "SCMP_ACT_KILL_PROCESS"}]}}}`,
		want: "default log\narch x86_64\nreboot: kill_process\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if opts.Arch == "" {
				opts = ociX86
			}
			p, _, err := ParseOCI("t.json", []byte(tt.json), opts)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, p.String()); d != "" {
				t.Errorf("policy (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseOCIErrors(t *testing.T) {
	tests := []struct {
		name, json string
		want       string // the error
	}{
		{"bad JSON", "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n  \"syscalls\": [\n}", "t.json:4:1: bad JSON: invalid character '}' looking for beginning of value"},
		{"not an object", `[1]`, "t.json: bad value: array where an object is expected"},
		{"wrong type", "{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\",\n  \"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
			"t.json:3:34: syscalls[0].args[0].value: bad value: number -1 where uint64 is expected"},
		{"unknown default action", `{"defaultAction": "SCMP_ACT_DENY"}`, `t.json:1:19: defaultAction: unknown action "SCMP_ACT_DENY" (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, ...)`},
		{"missing default action", `{"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`, `t.json: defaultAction: missing action (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, ...)`},
		{"empty profile", `{}`, `t.json:1:1: no defaultAction and no syscalls: Docker runs such a profile without a filter`},
		{"unknown action", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "ALLOW"}]}`, `t.json:1:80: syscalls[0].action: unknown action "ALLOW" (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, ...)`},
		{"unknown arch", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"]}`, `t.json:1:75: architectures[1]: unknown architecture "SCMP_ARCH_VAX" (SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64, ...)`},
		{"unknown op", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_IN"}]}]}`, `t.json:1:136: syscalls[0].args[0].op: unknown operator "SCMP_CMP_IN" (SCMP_CMP_EQ, NE, LT, LE, GT, GE, MASKED_EQ)`},
		{"arg index", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}`, `t.json:1:115: syscalls[0].args[0].index: argument index 6: syscalls have arguments 0 to 5`},
		{"name and names", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "read", "names": ["read"], "action": "SCMP_ACT_LOG"}]}`, `t.json:1:59: syscalls[0].name: both name and names are given; use names`},
		{"architectures and archMap", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"], "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}`, `t.json:1:84: archMap: both architectures and archMap are given; use one`},
		{"notify default", `{"defaultAction": "SCMP_ACT_NOTIFY"}`, `t.json:1:19: defaultAction: SCMP_ACT_NOTIFY cannot be the default action (runc refuses it)`},
		{"notify write", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_NOTIFY"}]}`, `t.json:1:69: syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for write (runc refuses it)`},
		{"empty name", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [""], "action": "SCMP_ACT_LOG"}]}`, `t.json:1:61: syscalls[0].names[0]: empty syscall name (runc refuses it)`},
		{"errno too big", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4095}]}`, `t.json:1:110: syscalls[0].errnoRet: errno 4095: libseccomp refuses errno values above 4094, so runc fails`},
		{"bad minKernel", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "includes": {"minKernel": "5"}}]}`, `t.json:1:122: syscalls[0].includes.minKernel: bad minKernel "5": a string "<kernel>.<major>" such as "5.4" is expected`},
		{"same conditions, two actions", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
{"names": ["read"], "action": "SCMP_ACT_TRAP", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]}`,
			`t.json:3:12: syscalls[1].names[0]: read: the same conditions as the rule at t.json:2:12: syscalls[0].names[0] with another action (log, trap(0)): libseccomp refuses it (EEXIST) and runc fails`},
		{"config without seccomp", `{"ociVersion": "1.2.0", "linux": {}}`, `t.json:1:1: config has no linux.seccomp: the container runs without a filter`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, err := ParseOCI("t.json", []byte(tt.json), ociX86)
			if err == nil {
				t.Fatalf("no error; policy:\n%s", p)
			}
			var oe *OCIError
			if !errors.As(err, &oe) {
				t.Errorf("error %T, want *OCIError", err)
			}
			if d := cmp.Diff(tt.want, err.Error()); d != "" {
				t.Errorf("error (-want +got):\n%s\nGOT %q", d, err.Error())
			}
		})
	}
}

func TestParseOCIWarnings(t *testing.T) {
	tests := []struct {
		name, json string
		want       []string
	}{
		{"unknown name", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read", "frobnicate"], "action": "SCMP_ACT_LOG"}]}`,
			[]string{`t.json:1:69: syscalls[0].names[1]: warning: unknown syscall "frobnicate" on x86_64: runc ignores it`}},
		{"name missing on one arch", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"], "syscalls": [{"names": ["arch_prctl", "mmap2"], "action": "SCMP_ACT_LOG"}]}`,
			[]string{
				`t.json:1:111: syscalls[0].names[1]: warning: 1 syscall names have no syscall on x86_64; their rules are skipped there: mmap2`,
			}},
		{"unsupported arch", `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_PARISC"]}`,
			[]string{`t.json:1:55: architectures[0]: warning: architecture SCMP_ARCH_PARISC is not supported by cbpf; its calls get the bad-arch action`}},
		{"errnoRet ignored, valueTwo ignored, valueTwo outside the mask", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_TRAP", "errnoRet": 5,
"args": [{"index": 0, "value": 1, "valueTwo": 2, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 1, "valueTwo": 2, "op": "SCMP_CMP_MASKED_EQ"}]}]}`,
			[]string{
				`t.json:1:109: syscalls[0].errnoRet: warning: ignored: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE use it`,
				`t.json:2:47: syscalls[0].args[0].valueTwo: warning: valueTwo is only used by SCMP_CMP_MASKED_EQ; ignored`,
				`t.json:2:72: syscalls[0].args[1]: warning: valueTwo 0x2 has bits outside the mask 0x1; libseccomp ignores them and tests (arg1 & 0x1) == 0x0`,
				`t.json:1:61: syscalls[0].names[0]: warning: read: on x86_64 the kernel reads arg0 (fd) as a 32-bit value and ignores its high word, but this rule compares all 64 bits: read(1, 0, 0) gets trap(0) from this rule and read(0x100000001, 0, 0), the same call for the kernel, gets allow; to test arg0's low word for equality, use SCMP_CMP_MASKED_EQ with value 0xffffffff`,
			}},
		{"same argument twice", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG",
"args": [{"index": 0, "value": 1, "op": "SCMP_CMP_GE"}, {"index": 0, "value": 5, "op": "SCMP_CMP_LE"}]}]}`,
			[]string{`t.json:2:9: syscalls[0].args: warning: 2 conditions on argument 0: runc adds each condition of this entry as a rule of its own, so they are ORed, not ANDed`}},
		{"unknown field", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "errno_ret": 3}]}`,
			[]string{`t.json:1:109: syscalls[0].errno_ret: warning: unknown field "errno_ret": ignored`}},
		{"unknown fields, each at its place", `{"defaultAction": "SCMP_ACT_ALLOW", "comment": "Docker's",
 "defaultErrnoret": 1, "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArches": []}],
 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "comment": "ok", "errnoret": 3,
   "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ", "valuetwo": 2}], "includes": {"cap": ["CAP_SYS_ADMIN"]}},
  {"names": ["write"], "action": "SCMP_ACT_LOG", "Excludes": {}}]}`,
			[]string{
				`t.json:2:21: defaultErrnoret: warning: field "defaultErrnoret" is read as "defaultErrnoRet": Go's JSON decoding, which Docker, Podman and runc use, ignores case`,
				`t.json:2:86: archMap[0].subArches: warning: unknown field "subArches": ignored`,
				`t.json:3:90: syscalls[0].errnoret: warning: field "errnoret" is read as "errnoRet": Go's JSON decoding, which Docker, Podman and runc use, ignores case`,
				`t.json:4:71: syscalls[0].args[0].valuetwo: warning: field "valuetwo" is read as "valueTwo": Go's JSON decoding, which Docker, Podman and runc use, ignores case`,
				`t.json:4:96: syscalls[0].includes.cap: warning: unknown field "cap": ignored`,
				`t.json:5:62: syscalls[1].Excludes: warning: field "Excludes" is read as "excludes": Go's JSON decoding, which Docker, Podman and runc use, ignores case`,
				`t.json:2:21: defaultErrnoRet: warning: ignored: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE use it`,
				`t.json:3:90: syscalls[0].errnoRet: warning: ignored: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE use it`,
				`t.json:4:71: syscalls[0].args[0].valueTwo: warning: valueTwo is only used by SCMP_CMP_MASKED_EQ; ignored`,
				`t.json:3:26: syscalls[0].names[0]: warning: read: on x86_64 the kernel reads arg0 (fd) as a 32-bit value and ignores its high word, but this rule compares all 64 bits: read(1, 0, 0) gets log from this rule and read(0x100000001, 0, 0), the same call for the kernel, gets allow; to test arg0's low word for equality, use SCMP_CMP_MASKED_EQ with value 0xffffffff`,
			}},
		{"unconditional rule wins", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
{"names": ["read"], "action": "SCMP_ACT_KILL"}]}`,
			[]string{`t.json:2:12: syscalls[0].names[0]: warning: read: this rule (allow) has no effect: libseccomp keeps only the unconditional rule at t.json:3:12: syscalls[1].names[0] (kill_thread)`}},
		{"absorbed", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
{"names": ["read"], "action": "SCMP_ACT_KILL", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 1, "op": "SCMP_CMP_EQ"}]}]}`,
			[]string{`t.json:3:12: syscalls[1].names[0]: warning: read: this rule (kill_thread) has no effect: its conditions include those of the rule at t.json:2:12: syscalls[0].names[0] (allow), which libseccomp applies instead`}},
		{"ambiguous", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 5, "op": "SCMP_CMP_GE"}]},
{"names": ["read"], "action": "SCMP_ACT_KILL", "args": [{"index": 0, "value": 10, "op": "SCMP_CMP_LE"}]},
{"names": ["read"], "action": "SCMP_ACT_TRAP", "args": [{"index": 0, "value": 4, "op": "SCMP_CMP_LT"}]}]}`,
			[]string{`t.json:3:12: syscalls[1].names[0]: warning: read: ambiguous: this rule (kill_thread) and the rule at t.json:2:12: syscalls[0].names[0] (allow) can both match; Eval takes the most restrictive, kill_thread, while libseccomp's choice depends on its rule tree`,
				`t.json:4:12: syscalls[2].names[0]: warning: read: ambiguous: this rule (trap(0)) and the rule at t.json:3:12: syscalls[1].names[0] (kill_thread) can both match; Eval takes the most restrictive, kill_thread, while libseccomp's choice depends on its rule tree`,
				`t.json:2:12: syscalls[0].names[0]: warning: read: on x86_64 the kernel reads arg0 (fd) as a 32-bit value and ignores its high word, but this rule compares all 64 bits: read(0, 0, 0) gets kill_thread and read(0x100000000, 0, 0), the same call for the kernel, gets allow from this rule; to test arg0's low word for equality, use SCMP_CMP_MASKED_EQ with value 0xffffffff`,
				`t.json:3:12: syscalls[1].names[0]: warning: read: on x86_64 the kernel reads arg0 (fd) as a 32-bit value and ignores its high word, but this rule compares all 64 bits: read(0, 0, 0) gets kill_thread from this rule and read(0x100000000, 0, 0), the same call for the kernel, gets allow; to test arg0's low word for equality, use SCMP_CMP_MASKED_EQ with value 0xffffffff`}},
		{"socketcall", `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86"], "syscalls": [
{"names": ["connect"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 16, "op": "SCMP_CMP_LE"}]}]}`,
			[]string{`t.json:2:12: syscalls[0].names[0]: warning: connect: on x86, through socketcall(SYS_CONNECT) the filter compares arg2 <= 16 with socketcall's arg2, a register socketcall ignores for connect, which the caller sets as it likes: whether the rule is met there depends on registers the caller sets as it likes`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs, err := ParseOCI("t.json", []byte(tt.json), ociX86)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range probs {
				if !p.Warning {
					t.Errorf("%s: not a warning", p)
				}
				got = append(got, p.String())
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("warnings (-want +got):\n%s\nGOT %q", d, got)
			}
		})
	}
}

// TestParseOCIDefaultProfiles pins what ParseOCI makes of Docker's and
// Podman's default profiles: the rules, the warnings, and that they
// validate.
func TestParseOCIDefaultProfiles(t *testing.T) {
	for _, tc := range []struct {
		file  string
		opts  OCIOptions
		rules int
	}{
		{"docker-default.json", ociX86, 395}, // 403 less 8 names newer than libseccomp 2.5.4
		{"docker-default.json", OCIOptions{Arch: "aarch64", Kernel: "6.1"}, 0},
		{"podman-default.json", ociX86, 432},
	} {
		t.Run(tc.file+"/"+tc.opts.Arch, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "oci", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			p, probs, err := ParseOCI(tc.file, data, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if tc.rules > 0 && len(p.Rules) != tc.rules {
				t.Errorf("%d rules, want %d", len(p.Rules), tc.rules)
			}
			for _, pr := range probs {
				if !pr.Warning {
					t.Errorf("error: %s", pr)
				}
			}
			for _, pr := range p.Validate() {
				if !pr.Warning {
					t.Errorf("Validate: %s", pr)
				}
			}
			// Spot checks of Docker's and Podman's intent.
			host, _ := arch.Lookup(tc.opts.Arch)
			nr := func(name string) int32 {
				n, ok := host.SyscallNumber(name)
				if !ok {
					t.Fatalf("no %s on %s", name, host.Name)
				}
				return int32(n)
			}
			call := func(name string, args ...uint64) Call {
				c := Call{Arch: host.Audit, Nr: nr(name)}
				copy(c.Args[:], args)
				return c
			}
			checks := []struct {
				c    Call
				want Action
			}{
				{call("read"), Allow},
				{call("clone3"), Errno(38)},
				{call("mount"), Errno(1)},
				{call("personality", 0xffffffff), Allow},
				{call("personality", 0x1234), Errno(1)},
				{Call{Arch: 0x12345678}, KillProcess}, // cbpf's default bad-arch action
			}
			if strings.HasPrefix(tc.file, "podman") {
				checks[1].want = Allow     // clone3
				checks[2].want = Allow     // mount
				checks[4].want = Errno(38) // defaultErrnoRet
				checks = append(checks, struct {
					c    Call
					want Action
				}{call("setns"), Allow})
			}
			for _, ch := range checks {
				if got := Eval(p, ch.c); got != ch.want {
					t.Errorf("Eval(%+v) = %s, want %s", ch.c, got, ch.want)
				}
			}
		})
	}
}

func ExampleParseOCI() {
	profile := `{
	"defaultAction": "SCMP_ACT_ERRNO",
	"architectures": ["SCMP_ARCH_X86_64"],
	"syscalls": [
		{"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
		{"names": ["socket"], "action": "SCMP_ACT_ALLOW",
		 "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]},
		{"names": ["sendfile2"], "action": "SCMP_ACT_ALLOW"}
	]
}`
	p, warnings, err := ParseOCI("profile.json", []byte(profile), OCIOptions{Arch: "x86_64"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(p)
	for _, w := range warnings {
		fmt.Println(w)
	}
	// Output:
	// default errno(1)
	// arch x86_64
	// read: allow
	// write: allow
	// exit_group: allow
	// socket: arg0 == 2
	// profile.json:8:14: syscalls[2].names[0]: warning: unknown syscall "sendfile2" on x86_64: runc ignores it
}

// TestOCIHostFactsExplicit: ParseOCI reads neither the machine's arch nor
// its kernel. Without OCIOptions.Arch the host is the first of Arches
// (x86_64 for x32), else an error; without OCIOptions.Kernel a minKernel
// condition that matters is an error at its position, and a profile
// without one parses.
func TestOCIHostFactsExplicit(t *testing.T) {
	const plain = `{"defaultAction": "SCMP_ACT_ERRNO", "archMap": [
			{"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]},
			{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
		"syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64"]}},
			{"names": ["write"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm64"]}},
			{"names": ["close"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"], "minKernel": "5.3"}}]}`
	if _, _, err := ParseOCI("t.json", []byte(plain), OCIOptions{}); err == nil || !strings.Contains(err.Error(), "OCIOptions.Arch is unset") {
		t.Errorf("no Arch, no Arches: %v", err)
	}
	for _, tc := range []struct{ arches, want string }{
		{"aarch64", "default errno(1)\narch aarch64\nwrite: allow\n"},
		{"x32,aarch64", "default errno(1)\narch x32 aarch64\nread: allow\n"},
		{"x86_64", "default errno(1)\narch x86_64\nread: allow\n"},
	} {
		var as []*arch.Arch
		for _, n := range strings.Split(tc.arches, ",") {
			a, err := arch.Lookup(n)
			if err != nil {
				t.Fatal(err)
			}
			as = append(as, a)
		}
		p, _, err := ParseOCI("t.json", []byte(plain), OCIOptions{Arches: as})
		if err != nil {
			t.Fatalf("Arches %s: %v", tc.arches, err)
		}
		if d := cmp.Diff(tc.want, p.String()); d != "" {
			t.Errorf("Arches %s, no Arch (-want +got):\n%s", tc.arches, d)
		}
	}
	// The minKernel condition only matters once the caps hold.
	if _, _, err := ParseOCI("t.json", []byte(plain), OCIOptions{Arch: "x86_64"}); err != nil {
		t.Errorf("no Kernel, no minKernel that matters: %v", err)
	}
	_, _, err := ParseOCI("t.json", []byte(plain), OCIOptions{Arch: "x86_64", Caps: []string{"CAP_SYS_ADMIN"}})
	if err == nil || !strings.Contains(err.Error(), "t.json:6:106: syscalls[2].includes.minKernel: minKernel 5.3: the kernel version is unset") {
		t.Errorf("no Kernel, a minKernel that matters: %v", err)
	}
	p, _, err := ParseOCI("t.json", []byte(plain), OCIOptions{Arch: "x86_64", Caps: []string{"CAP_SYS_ADMIN"}, Kernel: "5.3"})
	if err != nil || !strings.Contains(p.String(), "close: allow") {
		t.Errorf("Kernel 5.3: %v\n%v", err, p)
	}
}

// TestParseOCIErrorList: every bad syscalls entry is reported, with its
// JSON path and code, up to diag.MaxErrors.
func TestParseOCIErrorList(t *testing.T) {
	src := `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
 {"names": ["read"], "action": "ALLOW"},
 {"names": ["write"], "action": "SCMP_ACT_ALLOW"},
 {"names": ["open"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 7, "value": 1, "op": "SCMP_CMP_EQ"}]},
 {"names": ["close"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQUAL"}]}
]}`
	_, _, err := ParseOCI("t.json", []byte(src), ociX86)
	type perr struct {
		Pos  string
		Code diag.Code
	}
	var got []perr
	for _, e := range diag.Errors(err) {
		got = append(got, perr{e.Pos.String(), e.Code})
	}
	want := []perr{
		{"t.json:2:32: syscalls[0].action", diag.CodeUnknownName},
		{"t.json:4:69: syscalls[2].args[0].index", diag.CodeRange},
		{"t.json:5:91: syscalls[3].args[0].op", diag.CodeUnknownName},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%v (-want +got):\n%s", err, diff)
	}
	var oe *OCIError
	if !errors.As(err, &oe) || oe.Path != "syscalls[0].action" {
		t.Errorf("errors.As: %v", oe)
	}

	// Bad arches and bad entries together.
	src = `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_VAX", "SCMP_ARCH_X86", "SCMP_ARCH_S390X"],
 "syscalls": [{"names": ["read"], "action": "ALLOW"}]}`
	_, _, err = ParseOCI("t.json", []byte(src), ociX86)
	got = got[:0]
	for _, e := range diag.Errors(err) {
		got = append(got, perr{e.Pos.String(), e.Code})
	}
	want = []perr{
		{"t.json:1:55: architectures[0]", diag.CodeUnknownArch},
		{"t.json:1:89: architectures[2]", diag.CodeConflict},
		{"t.json:2:45: syscalls[0].action", diag.CodeUnknownName},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%v (-want +got):\n%s", err, diff)
	}

	var b strings.Builder
	b.WriteString(`{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [`)
	for i := range 50 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n {\"names\": [\"read\"], \"action\": \"NOPE%d\"}", i)
	}
	b.WriteString("]}")
	_, _, err = ParseOCI("t.json", []byte(b.String()), ociX86)
	es := diag.Errors(err)
	if len(es) != diag.MaxErrors+1 || es[diag.MaxErrors].Code != diag.CodeTooMany || es[diag.MaxErrors].Path != "syscalls[10].action" {
		t.Errorf("%d errors: %v", len(es), err)
	}
}

// TestOCIDuplicateKeys: a key given twice in one object (JSON readers keep
// the last value, a reader of the profile may see the first) is refused,
// at the second key, wherever it is.
func TestOCIDuplicateKeys(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`{"defaultAction": "SCMP_ACT_ERRNO", "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`,
			`p.json:1:37: defaultAction: key "defaultAction" given again`},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_KILL", "action": "SCMP_ACT_ALLOW"}]}`,
			`p.json:1:99: syscalls[0].action: key "action" given again`},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\"}],\n \"syscalls\": []}\n",
			`p.json:3:2: syscalls: key "syscalls" given again`},
		{`{"defaultAction": "SCMP_ACT_ALLOW", "DefaultAction": "SCMP_ACT_ERRNO"}`, // Go's decoding folds case
			`p.json:1:37: DefaultAction: key "DefaultAction" given again`},
		{`{"ociVersion": "1.2.0", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "names": ["write"], "action": "SCMP_ACT_ERRNO"}]}}}`,
			`p.json:1:115: linux.seccomp.syscalls[0].names: key "names" given again`},
	} {
		_, _, err := ParseOCI("p.json", []byte(c.src), OCIOptions{Arch: "x86_64", Kernel: "6.1"})
		es := diag.Errors(err)
		if len(es) != 1 || es[0].Code != diag.CodeDuplicate || !strings.HasPrefix(es[0].Error(), c.want) {
			t.Errorf("%s:\n%v\nwant %q", c.src, err, c.want)
		}
	}
	// The same key in different objects is no duplicate.
	if _, _, err := ParseOCI("p.json", []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO"}, {"names": ["write"], "action": "SCMP_ACT_ERRNO"}]}`), OCIOptions{Arch: "x86_64"}); err != nil {
		t.Error(err)
	}
}

// TestOCIMinKernelPosition: a bad minKernel is reported at the value, with
// its path, though moby's KernelVersion type says nothing of where it is.
func TestOCIMinKernelPosition(t *testing.T) {
	for _, c := range []struct {
		where, value string
	}{
		{"excludes", `"abc"`},
		{"includes", `"5.x"`},
		{"includes", `5`},
	} {
		src := "{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"" + c.where + "\": {\"minKernel\": " + c.value + "}}]}\n"
		_, _, err := ParseOCI("p.json", []byte(src), OCIOptions{Arch: "x86_64", Kernel: "6.1"})
		es := diag.Errors(err)
		if len(es) != 1 {
			t.Fatalf("%s: %v", src, err)
		}
		wantPath := "syscalls[0]." + c.where + ".minKernel"
		line2 := strings.Split(src, "\n")[1]
		wantCol := strings.Index(line2, c.value) + 1
		if e := es[0]; e.Path != wantPath || e.Line != 2 || e.Col != wantCol {
			t.Errorf("minKernel %s in %s: reported at %d:%d %q (%q), want 2:%d %s", c.value, c.where, e.Line, e.Col, e.Path, e, wantCol, wantPath)
		}
	}
}

// TestOCIMissingActionPosition: a missing field is placed at the entry
// that lacks it.
func TestOCIMissingActionPosition(t *testing.T) {
	for _, entry := range []string{`{"names": ["read"]}`, `{}`, `null`} {
		src := "{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [" + entry + "]}\n"
		_, _, err := ParseOCI("p.json", []byte(src), OCIOptions{Arch: "x86_64", Kernel: "6.1"})
		es := diag.Errors(err)
		if len(es) != 1 {
			t.Fatalf("%s: %v", entry, err)
		}
		if e := es[0]; e.Line != 2 || e.Col < 14 {
			t.Errorf("entry %s without an action: reported at %d:%d (%q), want line 2 at the entry (col 15) or its action", entry, e.Line, e.Col, e)
		}
	}
}
