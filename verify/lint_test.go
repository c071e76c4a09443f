package verify

import (
	"strings"
	"testing"

	"golang.org/x/net/bpf"
)

const (
	allow = 0x7fff0000
	kill  = 0x80000000
)

// good is a careful x86_64 filter: arch first, x32 killed, args[0] tested
// on both halves, default ERRNO(1).
var good = []bpf.RawInstruction{
	ldArch, ins(0x15, 1, 0, auditX86_64), retK(kill), // 0-2
	ldNr, ins(0x35, 0, 1, 0x40000000), retK(kill), // 3-5
	ins(0x15, 0, 4, 41),                     // 6 socket
	ins(0x20, 0, 0, 20), ins(0x15, 0, 2, 0), // 7-8 args[0] high == 0
	ins(0x20, 0, 0, 16), ins(0x15, 1, 0, 2), // 9-10 args[0] low == AF_INET
	retK(0x00050001), retK(allow), // 11-12
}

func TestLints(t *testing.T) {
	for _, c := range []struct {
		code string
		bad  []bpf.RawInstruction
	}{
		{LintNrBeforeArch, []bpf.RawInstruction{
			ldNr, ins(0x15, 0, 3, 59), ldArch, ins(0x15, 1, 0, auditX86_64), retK(kill), retK(allow),
		}},
		{LintX32, []bpf.RawInstruction{
			// deny-list: execve is killed, everything else allowed, x32 included
			ldArch, ins(0x15, 1, 0, auditX86_64), retK(kill), ldNr, ins(0x15, 0, 1, 59), retK(kill), retK(allow),
		}},
		{LintForeignArch, []bpf.RawInstruction{
			// an arch mismatch falls through to the allow
			ldArch, ins(0x15, 0, 2, auditX86_64), ldNr, ins(0x15, 1, 0, 59), retK(allow), retK(kill),
		}},
		{LintUnreachable, append(append([]bpf.RawInstruction{}, good[:12]...), retK(0x00050002), good[12])},
		{LintErrnoClamped, []bpf.RawInstruction{
			ldArch, ins(0x15, 1, 0, auditX86_64), retK(kill), retK(0x00051000),
		}},
		{LintUnknownAction, []bpf.RawInstruction{
			ldArch, ins(0x15, 1, 0, auditX86_64), retK(kill), retK(0x00120000),
		}},
		{LintReadsIP, []bpf.RawInstruction{
			ldArch, ins(0x15, 1, 0, auditX86_64), retK(kill), ins(0x20, 0, 0, 8), ins(0x15, 0, 1, 0x1000), retK(kill), retK(0x00050001),
		}},
		{LintArgHalf, []bpf.RawInstruction{
			ldArch, ins(0x15, 1, 0, auditX86_64), retK(kill), ldNr, ins(0x35, 0, 1, 0x40000000), retK(kill),
			ins(0x15, 0, 2, 41), ins(0x20, 0, 0, 16), ins(0x15, 1, 0, 2), retK(0x00050001), retK(allow),
		}},
	} {
		t.Run(c.code, func(t *testing.T) {
			if ds := KernelCheck(c.bad, Seccomp); len(ds) > 0 {
				t.Fatalf("test program is invalid: %v", ds)
			}
			if !hasCode(LintProgram(c.bad, Seccomp), c.code) {
				t.Errorf("LintProgram does not report %s: %v", c.code, LintProgram(c.bad, Seccomp))
			}
			if hasCode(LintProgram(good, Seccomp), c.code) {
				t.Errorf("LintProgram reports %s on the good filter: %v", c.code, LintProgram(good, Seccomp))
			}
		})
	}
	if ds := LintProgram(good, Seccomp); len(ds) != 0 {
		t.Errorf("the good filter has warnings: %v", ds)
	}
	for _, l := range Lints {
		if l.Summary == "" || l.Fix == "" || strings.ContainsAny(l.Code, " _") {
			t.Errorf("lint %+v needs a code, a summary and a fix", l)
		}
	}
}

func TestCheckStack(t *testing.T) {
	p := make([]bpf.RawInstruction, 4092)
	if ds := CheckStack([][]bpf.RawInstruction{p, p, p, p, p, p, p, p}); len(ds) != 0 {
		t.Errorf("8 x 4096 counted: %v", ds)
	}
	if ds := CheckStack([][]bpf.RawInstruction{p, p, p, p, p, p, p, p, {retAllow}}); !hasCode(ds, LintStackLimit) {
		t.Errorf("over the limit: %v", ds)
	}
}

func hasCode(ds []Diagnostic, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}
