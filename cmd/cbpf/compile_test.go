package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

func TestCompileDefault(t *testing.T) {
	out, errOut, code := cli(t, "", "compile")
	if code != exitOK || errOut != "" {
		t.Fatalf("compile: exit %d, stderr %q", code, errOut)
	}
	prog, err := asm.Read("out", []byte(out), asm.DDD)
	if err != nil {
		t.Fatalf("not ddd (the default when stdout is no terminal): %v", err)
	}
	for _, d := range verify.Check(prog, verify.Seccomp) {
		// Docker's profile does not allow uretprobe and uprobe, which
		// kernels since 6.14 exempt from seccomp: that warning is fair.
		if d.Code != verify.LintExempt {
			t.Errorf("the default filter has a diagnostic: %v", d)
		}
	}
	// The summary goes with the pseudo listing.
	if _, _, code := cli(t, "", "compile", "-o", "pseudo"); code != exitOK {
		t.Errorf("-o pseudo: exit %d", code)
	}
}

func TestCompileFile(t *testing.T) {
	dir := t.TempDir()
	src := "default errno(EPERM)\narch x86_64\nread, write: allow\nsocket: arg0 == AF_INET\n"
	path := filepath.Join(dir, "p.policy")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := cli(t, "", "compile", "--bad-arch", "kill_thread", "-o", "raw", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	prog, err := asm.Read("raw", []byte(out), asm.Raw)
	if err != nil {
		t.Fatal(err)
	}
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		d    vm.SeccompData
		want policy.Action
	}{
		{vm.SeccompData{Arch: 0xc000003e, Nr: 0}, policy.Allow},
		{vm.SeccompData{Arch: 0xc000003e, Nr: 41, Args: [6]uint64{2}}, policy.Allow},
		{vm.SeccompData{Arch: 0xc000003e, Nr: 41, Args: [6]uint64{10}}, policy.Errno(1)},
		{vm.SeccompData{Arch: 0xc000003e, Nr: 59}, policy.Errno(1)},
		{vm.SeccompData{Arch: 0x40000003, Nr: 3}, policy.KillThread},
	} {
		if got := policy.Action(m.RunSeccomp(c.d).Ret); got != c.want {
			t.Errorf("%+v: %v, want %v", c.d, got, c.want)
		}
	}
	// Errors: bad flags exit 2; a bad policy is exit 1 with a position.
	if _, _, code := cli(t, "", "compile", "--bad-arch", "nonsense", path); code != exitUsage {
		t.Errorf("bad --bad-arch: exit %d", code)
	}
	if _, _, code := cli(t, "", "compile", "-o", "nope"); code != exitUsage {
		t.Errorf("bad -o: exit %d", code)
	}
	if err := os.WriteFile(path, []byte("default errno(EPERM)\nread: arg9 == 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, e, code := cli(t, "", "compile", path); code != exitBad || !strings.Contains(e, "p.policy:2:") {
		t.Errorf("bad policy: exit %d, stderr %q", code, e)
	}
}
