package policy_test

import (
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// TestStructArgs: on x86 and s390x mmap is old_mmap (one argument, the
// address of a struct), and x86's select old_select. A named argument of
// such a call is an error with its position unless the targets leave the
// arch out; a numbered one a warning, which says what the filter compares:
// checked in the VM (the register, not the struct's field, decides).
func TestStructArgs(t *testing.T) {
	for _, tc := range []struct {
		src, err string
	}{
		{"arch x86\nmmap: prot == PROT_EXEC => errno(1)\n", `t:2:7: "prot" of mmap cannot be compared on x86: the kernel's mmap there is old_mmap`},
		{"arch x86_64 s390x\nmmap: prot == 4 => errno(1)\n", `t:2:7: "prot" of mmap cannot be compared on s390x`},
		{"arch x86_64\nmmap: prot == PROT_EXEC => errno(1)\n", ""},
		{"arch x86\nmmap2: prot == PROT_EXEC => errno(1)\n", ""},
	} {
		_, _, err := policy.ParseText("t", []byte("default allow\n"+tc.src))
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v", tc.src, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), strings.Replace(tc.err, "t:2:", "t:3:", 1))):
			t.Errorf("%s: error %v, want %s", tc.src, err, tc.err)
		}
	}
	for _, tc := range []struct {
		arch, rule, warn string
		hit, miss        [6]uint64
	}{
		{"x86", "mmap: arg2 == 4 => errno(1)",
			"t:3:1: warning: mmap: on x86 the kernel's mmap is old_mmap, which takes one argument, the address of a struct mmap_arg_struct holding the arguments: the filter compares arg2 with a register the kernel ignores for it (the caller sets it as it likes); use mmap2, whose arguments are in registers",
			[6]uint64{0xbffff000, 0, 4}, [6]uint64{0xbffff000, 0, 5}},
		{"s390x", "mmap: arg0 == 0x1000 => errno(1)",
			"t:3:1: warning: mmap: on s390x the kernel's mmap is old_mmap, which takes one argument, the address of a struct s390_mmap_arg_struct holding the arguments: the filter compares arg0 with the address of the struct",
			[6]uint64{0x1000}, [6]uint64{0x2000}},
		{"x86", "select: arg1 != 0 => errno(1)",
			"t:3:1: warning: select: on x86 the kernel's select is old_select, which takes one argument, the address of a struct sel_arg_struct holding the arguments: the filter compares arg1 with a register the kernel ignores for it (the caller sets it as it likes); use _newselect, whose arguments are in registers",
			[6]uint64{0xbffff000, 1}, [6]uint64{0xbffff000, 0}},
	} {
		p, warns, err := policy.ParseText("t", []byte("default allow\narch "+tc.arch+"\n"+tc.rule+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if len(warns) != 1 || warns[0].String() != tc.warn {
			t.Errorf("%s: warnings %v\nwant %s", tc.rule, warns, tc.warn)
		}
		m := mustVM(t, p)
		a := p.Arches[0]
		nr, _ := a.SyscallNumber(p.Rules[0].Syscall)
		for regs, want := range map[[6]uint64]policy.Action{tc.hit: policy.Errno(1), tc.miss: policy.Allow} {
			if got := policy.Action(m.RunSeccomp(vm.SeccompData{Arch: a.Audit, Nr: int32(nr), Args: regs}).Ret); got != want {
				t.Errorf("%s: %#x: %v, want %v", tc.rule, regs, got, want)
			}
		}
	}
	// An OCI profile: runc installs the filter all the same, so a warning.
	data := []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mmap"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 2, "value": 4, "op": "SCMP_CMP_EQ"}]}]}`)
	_, warns, err := policy.ParseOCI("p.json", data, policy.OCIOptions{Arch: "386"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range warns {
		found = found || strings.Contains(w.Msg, "mmap: on x86 the kernel's mmap is old_mmap") && strings.Contains(w.Msg, "runc installs the filter all the same") && w.Pos != ""
	}
	if !found {
		t.Errorf("OCI: no positioned warning about old_mmap: %v", warns)
	}
}
