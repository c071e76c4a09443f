package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
	"golang.org/x/net/bpf"
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

// TestCompileSummaryAllows: the summary counts the syscalls the filter
// allows whatever their arguments, the default's included; checked in the
// VM on arguments that hit the rules.
func TestCompileSummaryAllows(t *testing.T) {
	for _, src := range []string{
		"default allow\narch x86_64 x86\nread: arg0 == 1 => errno(1)\nsocket: arg0 == 2 => errno(1)\nwrite: arg0 == 1\n",
		"default errno(1)\narch x86_64 x86\nread: allow\nwrite: arg0 == 1\nclose: allow\nclose: arg0 == 2 => errno(9)\nconnect: allow\n",
	} {
		file := writePolicyTemp(t, "p.policy", src)
		out, e, code := cli(t, "", "compile", "-o", "pseudo", file)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, e)
		}
		ddd, _, _ := cli(t, "", "compile", "-o", "ddd", file)
		prog, err := asm.Read("p", []byte(ddd), asm.DDD)
		if err != nil {
			t.Fatal(err)
		}
		m, err := vm.New(prog, vm.Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"x86_64", "x86"} {
			a, _ := arch.Lookup(name)
			want := 0
			for _, sc := range a.Syscalls() {
				allowed := true
				for _, args := range [][6]uint64{{}, {1}, {2}, {3, 1}, {1, 0xbfff0000}, {2, 0xbfff0000}, {0xffffffff, 2, 3}} {
					if r := m.RunSeccomp(vm.SeccompData{Arch: a.Audit, Nr: int32(sc.Number), Args: args}); r.Ret != uint32(policy.Allow) {
						allowed = false
					}
				}
				if allowed {
					want++
				}
			}
			re := regexp.MustCompile(`// ` + name + `: .*; (\d+) of (\d+) unconditional allows`)
			got := re.FindStringSubmatch(out)
			if got == nil || got[2] != strconv.Itoa(want) {
				t.Errorf("%s on %s: summary %q, want %d unconditional allows\n%s", src, name, got, want, out)
			}
		}
	}
}

// TestCompileSummaryEBPF: the summary's eBPF figures for Docker's default
// profile, recomputed here from bpf_convert_filter's rules for what a
// seccomp filter uses (a jump is 1 eBPF instruction when jf is 0 or, for
// jeq/jgt/jge, jt is 0, else a test and a "ja" run when the test fails;
// a constant with bit 31 set adds a move; "ret #k" is 2; the rest 1).
func TestCompileSummaryEBPF(t *testing.T) {
	listing, _, code := cli(t, "", "compile", "-o", "pseudo", "--arch", "x86_64")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	out, _, code := cli(t, "", "compile", "-o", "ddd", "--arch", "x86_64")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	f, _ := asm.ParseFormat("ddd")
	prog, err := asm.Read("ddd", []byte(out), f)
	if err != nil {
		t.Fatal(err)
	}
	length := 0
	for _, in := range prog {
		length += ebpfOf(in, false)
	}
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := arch.Lookup("x86_64")
	scs := a.Syscalls()
	total, most, n := 0, 0, 0
	for nr := scs[0].Number; nr <= scs[len(scs)-1].Number; nr++ {
		run := 0
		m.RunSeccompOpts(vm.SeccompData{Nr: int32(nr), Arch: a.Audit}, &vm.Options{Trace: func(st vm.Step) {
			k := st.Insn.K
			if opcode.Op(st.Insn.Op).Src() == opcode.X {
				k = st.X
			}
			run += ebpfOf(st.Insn, opcode.Op(st.Insn.Op).IsCondJump() && opcode.Holds(opcode.Op(st.Insn.Op), st.A, k))
		}})
		total += run
		most = max(most, run)
		n++
	}
	head := "// " + strconv.Itoa(len(prog)) + " instructions (eBPF " + strconv.Itoa(length) + " once the kernel has converted it)"
	if !strings.Contains(listing, head) {
		t.Errorf("summary lacks %q:\n%s", head, listing[max(0, len(listing)-600):])
	}
	eb := "(eBPF " + strconv.FormatFloat(float64(total)/float64(n), 'f', 2, 64) + " mean, " + strconv.Itoa(most) + " max)"
	if !strings.Contains(listing, eb) {
		t.Errorf("summary lacks %q:\n%s", eb, listing[max(0, len(listing)-600):])
	}
}

// ebpfOf is the eBPF instructions one seccomp filter instruction converts
// to, or (with held) runs when it is a jump whose test held.
func ebpfOf(in bpf.RawInstruction, held bool) int {
	op := opcode.Op(in.Op)
	switch {
	case op.IsCondJump():
		n := 1
		if int32(in.K) < 0 && op.Src() == opcode.K {
			n++
		}
		jop := op.JumpOp()
		if in.Jf != 0 && !(in.Jt == 0 && (jop == opcode.JEQ || jop == opcode.JGT || jop == opcode.JGE)) && !held {
			n++ // the "ja" to jf
		}
		return n
	case op == opcode.RetK:
		return 2
	}
	return 1
}
