package main

import (
	"strings"
	"testing"
	"time"
)

// TestHostileInputs: cbpf policy and cbpf compile answer hostile inputs,
// text and JSON, with a positioned error and exit 1, or a result, in
// bounded time; never a panic.
func TestHostilePolicyInputs(t *testing.T) {
	const head = "default allow\narch x86_64\n"
	const json = `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO"`
	big := 1 << 20
	for _, tc := range []struct {
		name, src string
		code      int
		want      string // in stderr
	}{
		{"deep not", head + "read: " + strings.Repeat("!", 2_000_000) + "arg0 == 1 => errno(2)", exitBad, "<stdin>:3:1008: nesting too deep (limit 1000)"},
		{"deep parens", head + "read: " + strings.Repeat("(", 1_000_000) + "arg0 == 1" + strings.Repeat(")", 1_000_000), exitBad, "<stdin>:3:1008: nesting too deep (limit 1000)"},
		{"nesting at the limit", head + "read: " + strings.Repeat("!", 1000) + "arg0 == 1 => errno(2)", exitOK, ""},
		{"number past 64 bits", head + "read: arg0 == 18446744073709551616", exitBad, "<stdin>:3:15: number 18446744073709551616 does not fit in 64 bits"},
		{"number past 32 bits", head + "read: (u32)arg0 == 0x100000000", exitBad, "<stdin>:3:20: 0x100000000 does not fit a 32-bit comparison"},
		{"errno 2^32", head + "read: errno(4294967296)", exitBad, "<stdin>:3:13: errno(4294967296): the value must be 0 to 4095"},
		{"truncated", head + "read: (arg0 & 1", exitBad, "<stdin>:3:16: expected ')' after the mask, found end of line"},
		{"garbage", "\x7fELF\x02\x01\x01\x00", exitBad, "<stdin>:1:1: unexpected character '\\x7f'"},
		{"typo", head + "ptrce: kill_process", exitBad, `<stdin>:3:1: unknown syscall "ptrce": no arch cbpf knows has it (did you mean ptrace?)`},
		{"huge comment", head + "# " + strings.Repeat("x", big) + "\nread: allow", exitOK, ""},
		{"huge token", head + "read: arg0 == " + strings.Repeat("Z", big), exitBad, `<stdin>:3:15: unknown constant "ZZZZ`},
		{"json deep", `{"defaultAction": "SCMP_ACT_ALLOW", "x": ` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "}", exitBad, "<stdin>:1:10041: bad JSON: nesting too deep (limit 10000, encoding/json's)"},
		{"json errno 2^32", json + `, "errnoRet": 4294967296}]}`, exitBad, "<stdin>:1:110: syscalls[0].errnoRet: 4294967296 does not fit in the 16 bits"},
		{"json value past 64 bits", json + `, "args": [{"index": 0, "value": 18446744073709551616, "op": "SCMP_CMP_EQ"}]}]}`, exitBad, "<stdin>:1:129: syscalls[0].args[0].value: bad value: number 18446744073709551616 where uint64 is expected"},
		{"json truncated", json, exitBad, "<stdin>:1:95: bad JSON: unexpected end of JSON input"},
		{"json garbage", "{\x00}", exitBad, `<stdin>:1:2: bad JSON: invalid character '\x00' looking for beginning of object key string`},
	} {
		for _, cmd := range [][]string{{"policy", "-"}, {"compile", "-o", "raw", "-"}} {
			t.Run(tc.name+" "+cmd[0], func(t *testing.T) {
				start := time.Now()
				_, errOut, code := cli(t, tc.src, cmd...)
				if d := time.Since(start); d > 20*time.Second {
					t.Errorf("took %v", d)
				}
				if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "goroutine") {
					t.Errorf("exit %d, stderr %.300q; want exit %d and %q", code, errOut, tc.code, tc.want)
				}
			})
		}
	}
}

// TestOCIFlags: --truncate-errno keeps runc's truncation; --arch makes
// the warnings about the arches given.
func TestOCIFlags(t *testing.T) {
	src := `{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"], "syscalls": [
{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 65537},
{"names": ["mmap2", "arch_prctl"], "action": "SCMP_ACT_KILL"}]}`
	_, errOut, code := cli(t, src, "policy", "-")
	if code != exitBad || !strings.Contains(errOut, "65537 does not fit in the 16 bits") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	out, errOut, code := cli(t, src, "policy", "--truncate-errno", "--arch", "x86_64", "-")
	if code != exitOK || !strings.Contains(out, "read: errno(1)\n") || !strings.Contains(errOut, "runc keeps the low 16 bits, 1") {
		t.Errorf("--truncate-errno: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, "no syscall on x86;") || !strings.Contains(errOut, `unknown syscall "mmap2" on x86_64: runc ignores it`) {
		t.Errorf("--arch x86_64: warnings about other arches:\n%s", errOut)
	}
	if _, errOut, code := cli(t, "default allow\n", "policy", "--truncate-errno", "-"); code != exitUsage || !strings.Contains(errOut, "for Docker/OCI profiles") {
		t.Errorf("--truncate-errno on text: exit %d, %q", code, errOut)
	}
	// Unknown fields, each at its place.
	_, errOut, _ = cli(t, `{"defaultAction": "SCMP_ACT_ALLOW",
 "defaultErnoRet": 1, "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "errnoret": 2, "bogus": 3}]}`, "policy", "-")
	for _, w := range []string{
		`<stdin>:2:20: defaultErnoRet: warning: unknown field "defaultErnoRet": ignored`,
		`<stdin>:2:94: syscalls[0].errnoret: warning: field "errnoret" is read as "errnoRet"`,
		`<stdin>:2:106: syscalls[0].bogus: warning: unknown field "bogus": ignored`,
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	// Without --arch, the profile's arches are the targets.
	_, errOut, _ = cli(t, src, "policy", "--truncate-errno", "-")
	if !strings.Contains(errOut, "1 syscall names have no syscall on x86_64; their rules are skipped there: mmap2") {
		t.Errorf("profile's arches:\n%s", errOut)
	}
}
