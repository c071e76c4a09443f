package policy_test

import (
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// TestMuxOverlapOCI: a rule on socket and a rule on socketcall itself with
// another action that can both match one call through socketcall get a
// positioned warning naming both and the action cbpf's filter takes
// (checked in the VM on a call both match); rules that cannot both match
// get none.
func TestMuxOverlapOCI(t *testing.T) {
	for _, tc := range []struct {
		mux   string // the socketcall rule's argument
		warn  bool
		call  [6]uint64
		want  policy.Action
		other [6]uint64 // a call only the socketcall rule matches
	}{
		{`{"index": 1, "value": 3, "op": "SCMP_CMP_EQ"}`, true, [6]uint64{1, 3}, policy.Errno(1), [6]uint64{2, 3}},
		{`{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}`, true, [6]uint64{1, 3}, policy.Errno(1), [6]uint64{1, 4}},
		{`{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}`, false, [6]uint64{1, 3}, policy.Errno(1), [6]uint64{2, 3}},
		{`{"index": 1, "value": 4, "op": "SCMP_CMP_EQ"}`, false, [6]uint64{1, 3}, policy.Errno(1), [6]uint64{1, 4}},
	} {
		data := []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
{"names": ["socket"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 3, "op": "SCMP_CMP_EQ"}]},
{"names": ["socketcall"], "action": "SCMP_ACT_LOG", "args": [` + tc.mux + `]}]}`)
		p, warns, err := policy.ParseOCI("p.json", data, policy.OCIOptions{Arch: "386"})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		for _, w := range warns {
			if strings.Contains(w.Msg, "can match both") {
				got = w.String()
			}
		}
		want := "p.json:2:12: syscalls[0].names[0]: warning: socket on x86: a call through socketcall(SYS_SOCKET) can match both this rule (errno(1)) and the socketcall rule at p.json:3:12: syscalls[1].names[0] (log): cbpf's filter gives it errno(1), the more restrictive, unless a more restrictive rule matches too; which one runc's filter (libseccomp 2.5.4) applies depends on how it merges the two"
		if !tc.warn {
			want = ""
		}
		if got != want {
			t.Errorf("%s: warning %q\nwant %q", tc.mux, got, want)
		}
		m := mustVM(t, p)
		a := p.Arches[0]
		nr, _ := a.SyscallNumber("socketcall")
		runVM := func(regs [6]uint64) policy.Action {
			return policy.Action(m.RunSeccomp(vm.SeccompData{Arch: a.Audit, Nr: int32(nr), Args: regs}).Ret)
		}
		if g := runVM(tc.call); g != tc.want {
			t.Errorf("%s: socketcall %#x: %v, want %v", tc.mux, tc.call, g, tc.want)
		}
		// The socketcall rule applies where the socket rule does not.
		if g := runVM(tc.other); g != policy.Log {
			t.Errorf("%s: socketcall %#x: %v, want log", tc.mux, tc.other, g)
		}
		// Both match the call only where the warning says so.
		both := 0
		for _, r := range p.Rules {
			q := *p
			q.Rules = []policy.Rule{r}
			q.Default = policy.Action(0xffffffff)
			if policy.Eval(&q, policy.Call{Arch: a.Audit, Nr: int32(nr), Args: tc.call}) != q.Default {
				both++
			}
		}
		if (both == 2) != tc.warn {
			t.Errorf("%s: %d rules match %#x; warning %v", tc.mux, both, tc.call, tc.warn)
		}
	}
}
