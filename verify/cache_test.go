package verify

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
)

// TestCacheBound: the kernel's allow cache is a bitmap of NR_syscalls bits
// per arch; x32 numbers (bit 30) and arm's private calls lie past it and
// always run the filter, even one that allows everything.
func TestCacheBound(t *testing.T) {
	allowAll := []bpf.RawInstruction{{Op: 0x06, K: 0x7fff0000}}
	for _, tc := range []struct {
		arch, call string
		want       bool
	}{
		{"x86_64", "read", true},
		{"x32", "read", false},
		{"arm", "read", true},
		{"arm", "get_tls", false},
		{"mips", "read", true},
	} {
		a, err := arch.Lookup(tc.arch)
		if err != nil {
			t.Fatal(err)
		}
		nr, _ := a.SyscallNumber(tc.call)
		if got := CacheAllows(allowAll, a.Audit, nr); got != tc.want {
			t.Errorf("%s %s (nr %#x): cached %v, want %v", tc.arch, tc.call, nr, got, tc.want)
		}
	}
}
