package main

import (
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
)

// TestCompileFirst: cbpf compile checks the arches in the order the
// policy or --arch lists them, whatever machine it runs on; --first moves
// one to the front (host: this machine's, on Linux).
func TestCompileFirst(t *testing.T) {
	file := writePolicyTemp(t, "p.policy", "default errno(EPERM)\narch x86 aarch64 x86_64\nread: allow\nwrite: arg0 == 1\n")
	firstCheck := func(args ...string) string {
		t.Helper()
		out, e, code := cli(t, "", append(append([]string{"compile", "-o", "ddd"}, args...), file)...)
		if code != exitOK {
			t.Fatalf("compile %v: exit %d: %s", args, code, e)
		}
		prog, err := asm.Read("out", []byte(out), asm.DDD)
		if err != nil {
			t.Fatal(err)
		}
		// ld [4], then jeq #arch.
		for _, a := range arch.All() {
			if a.Audit == prog[1].K && a.Name != "x32" {
				return a.Name
			}
		}
		t.Fatalf("compile %v: the second instruction compares with %#x", args, prog[1].K)
		return ""
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "x86"},
		{[]string{"--arch", "aarch64,x86"}, "aarch64"},
		{[]string{"--first", "x86_64"}, "x86_64"},
		{[]string{"--first", "arm64"}, "aarch64"},
	} {
		if got := firstCheck(tc.args...); got != tc.want {
			t.Errorf("compile %v: checks %s first, want %s", tc.args, got, tc.want)
		}
	}
	if h, err := hostArch(); err == nil && (h.Name == "x86_64" || h.Name == "x86" || h.Name == "aarch64") {
		if got := firstCheck("--first", "host"); got != h.Name {
			t.Errorf("--first host: checks %s first, want %s", got, h.Name)
		}
	}
	_, e, code := cli(t, "", "compile", "--first", "riscv64", file)
	if code != exitUsage || !strings.Contains(e, "riscv64 is not one of the policy's arches") {
		t.Errorf("--first riscv64: exit %d: %s", code, e)
	}
}
