package policy

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/cbpfkit/cbpf/arch"
)

// TestParseOCIErrno: an errnoRet the kernel would not return as written
// is an error, unless TruncateErrno asks for runc's truncation; Podman's
// errno names and numbers are read as Podman reads them.
func TestParseOCIErrno(t *testing.T) {
	const head = `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", `
	for _, tc := range []struct {
		name, json string
		truncate   bool
		want       string // the rule, or the error
		warns      []string
	}{
		{"2^32", head + `"errnoRet": 4294967296}]}`, false,
			"t.json:1:110: syscalls[0].errnoRet: 4294967296 does not fit in the 16 bits of a seccomp return value: runc would keep its low 16 bits, 0 (ERRNO(0): a denied call would look like a success); write the value the call should return, or keep runc's truncation with OCIOptions.TruncateErrno (--truncate-errno)", nil},
		{"2^32 truncated", head + `"errnoRet": 4294967296}]}`, true, "read: errno(0)",
			[]string{"t.json:1:110: syscalls[0].errnoRet: warning: 4294967296 does not fit in 16 bits; runc keeps the low 16 bits, 0 (ERRNO(0): a denied call would look like a success) (OCIOptions.TruncateErrno)"}},
		{"65537 truncated", head + `"errnoRet": 65537}]}`, true, "read: errno(1)",
			[]string{"t.json:1:110: syscalls[0].errnoRet: warning: 65537 does not fit in 16 bits; runc keeps the low 16 bits, 1 (OCIOptions.TruncateErrno)"}},
		{"70000 truncated, refused by libseccomp", head + `"errnoRet": 70000}]}`, true,
			"t.json:1:110: syscalls[0].errnoRet: errno 4464: libseccomp refuses errno values above 4094, so runc fails",
			// The warnings before the error come with it.
			[]string{"t.json:1:110: syscalls[0].errnoRet: warning: 70000 does not fit in 16 bits; runc keeps the low 16 bits, 4464 (OCIOptions.TruncateErrno)"}},
		{"2^64", head + `"errnoRet": 18446744073709551616}]}`, false,
			"t.json:1:110: syscalls[0].errnoRet: bad value: number 18446744073709551616 where uint is expected", nil},
		{"negative", head + `"errnoRet": -1}]}`, false,
			"t.json:1:110: syscalls[0].errnoRet: bad value: number -1 where uint is expected", nil},
		{"trace 2^16", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_TRACE", "errnoRet": 65536}]}`, false,
			"t.json:1:110: syscalls[0].errnoRet: 65536 does not fit in the 16 bits of a seccomp return value: runc would keep its low 16 bits, 0; write the value the call should return, or keep runc's truncation with OCIOptions.TruncateErrno (--truncate-errno)", nil},
		{"default 2^32", `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 4294967297}`, false,
			"t.json:1:56: defaultErrnoRet: 4294967297 does not fit in the 16 bits of a seccomp return value: runc would keep its low 16 bits, 1; write the value the call should return, or keep runc's truncation with OCIOptions.TruncateErrno (--truncate-errno)", nil},
		{"podman name", head + `"errno": "EACCES"}]}`, false, "read: errno(13)", nil},
		{"podman number", head + `"errno": "38"}]}`, false, "read: errno(38)", nil},
		{"podman wins over errnoRet", head + `"errnoRet": 1, "errno": "ENOSYS"}]}`, false, "read: errno(38)",
			[]string{`t.json:1:122: syscalls[0].errno: warning: errno "ENOSYS" (38) and errnoRet 1 disagree: Podman uses errno, Docker errnoRet; cbpf uses errno`}},
		{"podman unknown", head + `"errno": "EPREM"}]}`, false,
			`t.json:1:107: syscalls[0].errno: unknown errno "EPREM": Podman refuses it (a decimal number, or a name such as EPERM; did you mean EPERM?)`, nil},
		{"podman 2^32", head + `"errno": "4294967296"}]}`, false,
			`t.json:1:107: syscalls[0].errno: unknown errno "4294967296": Podman refuses it (a decimal number, or a name such as EPERM)`, nil},
		{"podman default", `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "ENOSYS", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`, false, "default errno(38)", nil},
		{"podman fields in a config.json", `{"ociVersion": "1.2.0", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "ENOSYS"}}}`, false, "default errno(1)",
			[]string{`t.json:1:98: linux.seccomp.defaultErrno: warning: unknown field "defaultErrno": ignored`}},
		{"comments", `{"comment": "top", "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "comment": "entry"}]}`, false, "read: log", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := ociX86
			opts.TruncateErrno = tc.truncate
			p, warns, err := ParseOCI("t.json", []byte(tc.json), opts)
			var got string
			switch {
			case err != nil:
				got = err.Error()
				var oe *OCIError
				if !errors.As(err, &oe) {
					t.Errorf("%T, want *OCIError", err)
				}
			case strings.HasPrefix(tc.want, "default"):
				got = strings.SplitN(p.String(), "\n", 2)[0]
			default:
				got = p.Rules[0].String()
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			var ws []string
			for _, w := range warns {
				ws = append(ws, w.String())
			}
			if d := cmp.Diff(tc.warns, ws); d != "" {
				t.Errorf("warnings (-want +got):\n%s", d)
			}
		})
	}
}

// TestParseOCIArches: with OCIOptions.Arches the warnings are about those
// arches only.
func TestParseOCIArches(t *testing.T) {
	src := `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"],
"syscalls": [{"names": ["read", "mmap2", "arch_prctl"], "action": "SCMP_ACT_ALLOW"},
{"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 3, "op": "SCMP_CMP_EQ"}]}]}`
	_, warns, err := ParseOCI("t.json", []byte(src), ociX86)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) < 3 {
		t.Errorf("profile's arches: %v", warns)
	}
	x86_64, _ := arch.Lookup("x86_64")
	opts := ociX86
	opts.Arches = []*arch.Arch{x86_64}
	p, warns, err := ParseOCI("t.json", []byte(src), opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`t.json:2:33: syscalls[0].names[1]: warning: unknown syscall "mmap2" on x86_64: runc ignores it`}
	var got []string
	for _, w := range warns {
		got = append(got, w.String())
	}
	if d := cmp.Diff(want, got); d != "" || len(p.Arches) != 1 || p.Arches[0] != x86_64 {
		t.Errorf("warnings (-want +got):\n%s\narches %v", d, p.Arches)
	}
}

// TestParseOCIHostile: hostile profiles give a positioned error or a
// policy, quickly, with bounded warnings.
func TestParseOCIHostile(t *testing.T) {
	const big = 1 << 20
	names := strings.Repeat(`"read", "write", `, big/17)
	var entries, unknown []string
	for i := range big / 100 {
		entries = append(entries, fmt.Sprintf(`{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": %d, "args": [{"index": 0, "value": %d, "op": "SCMP_CMP_EQ"}]}`, 1+i%100, i))
		unknown = append(unknown, fmt.Sprintf(`{"names": ["read"], "action": "SCMP_ACT_LOG", "bogus%d": 1}`, i))
	}
	for _, tc := range []struct {
		name, json, err string
		rules, warns    int
	}{
		{"deep", `{"defaultAction": "SCMP_ACT_ALLOW", "x": ` + strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000) + "}", "t.json:1:10041: bad JSON: nesting too deep (limit 10000, encoding/json's)", 0, 0},
		{"deep in an entry", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "args": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "}]}", "t.json:1:10075: bad JSON: nesting too deep (limit 10000, encoding/json's)", 0, 0},
		{"many names", `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": [` + names + `"close"], "action": "SCMP_ACT_ALLOW"}]}`, "", 3, 1},
		{"many entries", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [` + strings.Join(entries, ",\n") + `]}`, "", len(entries), 84}, // the overlap note, the libseccomp check's "stopped", 81 rules on read's fd compared on 64 bits and that check's "stopped"
		{"many unknown fields", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [` + strings.Join(unknown, ",") + `]}`, "", 1, 1001},
		{"long name", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["` + strings.Repeat("r", big) + `"], "action": "SCMP_ACT_LOG"}]}`, "", 0, 1},
		{"number past 64 bits", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 0, "value": 1` + strings.Repeat("0", 1000) + `, "op": "SCMP_CMP_EQ"}]}]}`,
			"t.json:1:127: syscalls[0].args[0].value: bad value: number 100000000000000000000000000000000000000000000000000000000... (1008 bytes) where uint64 is expected", 0, 0},
		{"index past 32 bits", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 4294967296, "value": 1, "op": "SCMP_CMP_EQ"}]}]}`,
			"t.json:1:115: syscalls[0].args[0].index: argument index 4294967296: syscalls have arguments 0 to 5", 0, 0},
		{"truncated", `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "act`, "t.json:1:73: bad JSON: unexpected end of JSON input", 0, 0},
		{"garbage", "\x00\xff{", "t.json:1:1: bad JSON: invalid character '\\x00' looking for beginning of value", 0, 0},
		{"empty", "", "t.json:1:1: bad JSON: unexpected end of JSON input", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			p, warns, err := ParseOCI("t.json", []byte(tc.json), ociX86)
			runtime.ReadMemStats(&after)
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
			// Memory in proportion to the input: everything the parse
			// allocates, garbage included, within 50 bytes a byte of
			// input (1 MB of "read", "write"... names took 120 before
			// the libseccomp check read each name once).
			if total := after.TotalAlloc - before.TotalAlloc; total > 50*uint64(len(tc.json))+16<<20 {
				t.Errorf("allocated %d MB for %d KB of input", total>>20, len(tc.json)>>10)
			} else {
				t.Logf("allocated %.1f MB for %d KB of input", float64(total)/(1<<20), len(tc.json)>>10)
			}
			if tc.err != "" || err != nil {
				if err == nil || err.Error() != tc.err {
					t.Errorf("error %v, want %s", err, tc.err)
				}
				return
			}
			if len(p.Rules) != tc.rules || len(warns) != tc.warns {
				t.Errorf("%d rules, %d warnings; want %d, %d: %s", len(p.Rules), len(warns), tc.rules, tc.warns, quote(fmt.Sprint(warns)))
			}
		})
	}
}

// TestParseOCIErrnoArches: a Podman errno name takes the host's value, and
// with explicit targets (OCIOptions.Arches, cbpf's --arch) it must have
// one value on all of them, as a constant must in the policy language.
func TestParseOCIErrnoArches(t *testing.T) {
	x86_64, _ := arch.Lookup("x86_64")
	mipsel, _ := arch.Lookup("mipsel")
	entry := `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errno": "%s"}]}`
	def := `{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "%s", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`
	for _, tc := range []struct {
		json   string
		arches []*arch.Arch
		want   string // the rule's or default's action, or the error
	}{
		{fmt.Sprintf(entry, "EDQUOT"), nil, "errno(122)"},
		{fmt.Sprintf(entry, "EDQUOT"), []*arch.Arch{mipsel}, "errno(1133)"},
		{fmt.Sprintf(entry, "EDQUOT"), []*arch.Arch{x86_64, mipsel}, "t.json:1:107: syscalls[0].errno: EDQUOT is 122 on x86_64 but 1133 on mipsel: write the number, or one profile per arch"},
		{fmt.Sprintf(def, "ENOTSUP"), []*arch.Arch{x86_64, mipsel}, "t.json:1:53: defaultErrno: ENOTSUP is 95 on x86_64 but 122 on mipsel: write the number, or one profile per arch"},
		{fmt.Sprintf(entry, "EPERM"), []*arch.Arch{x86_64, mipsel}, "errno(1)"},
		{fmt.Sprintf(entry, "1133"), []*arch.Arch{x86_64, mipsel}, "errno(1133)"},
	} {
		opts := OCIOptions{Arch: "x86_64", Arches: tc.arches}
		p, _, err := ParseOCI("t.json", []byte(tc.json), opts)
		var got string
		switch {
		case err != nil:
			got = err.Error()
		case len(p.Rules) == 1 && p.Default == Allow:
			got = ActionText(p.Rules[0].Action)
		default:
			got = ActionText(p.Default)
		}
		if got != tc.want {
			t.Errorf("%s on %v:\ngot  %s\nwant %s", tc.json, tc.arches, got, tc.want)
		}
	}
}
