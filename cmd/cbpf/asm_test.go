package main

import (
	"strings"
	"testing"
)

// firejail's default filter ends with {0x06, 0, 1, 0x50001}: a ret whose
// jf is 1. tcpdump -d text cannot show it; cbpf must say so, not drop it
// silently, and the lossless formats keep it.
func TestDisasmTcpdumpWarnsOfDroppedFields(t *testing.T) {
	const ddd = "3\n32 0 0 4\n21 1 0 3221225534\n6 0 1 327681\n"
	out, errOut, code := cli(t, ddd, "disasm", "-o", "tcpdump")
	if code != exitOK || !strings.Contains(out, "(002) ret      #327681") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, want := range []string{"warning: 1 instruction has fields that tcpdump text cannot show", "instruction 2 (ret #0x50001): jf=1"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
	back, _, code := cli(t, out, "asm", "-i", "tcpdump")
	if code != exitOK || back != "3\n32 0 0 4\n21 1 0 3221225534\n6 0 0 327681\n" {
		t.Errorf("asm -i tcpdump: exit %d, %q", code, back)
	}
	// asm keeps every bit, and says nothing.
	text, errOut, code := cli(t, ddd, "disasm", "-o", "asm")
	if code != exitOK || errOut != "" {
		t.Fatalf("disasm -o asm: exit %d, stderr %q", code, errOut)
	}
	if back, _, _ := cli(t, text, "asm"); back != ddd {
		t.Errorf("asm round trip: %q, want %q\n%s", back, ddd, text)
	}
	// A program tcpdump can show gets no warning.
	if _, errOut, code := cli(t, "1\n6 0 0 0\n", "disasm", "-o", "tcpdump"); code != exitOK || errOut != "" {
		t.Errorf("canonical program: exit %d, stderr %q", code, errOut)
	}
	// The list is bounded.
	many := "30\n" + strings.Repeat("7 0 0 5\n", 30)
	_, errOut, _ = cli(t, many, "disasm", "-o", "tcpdump")
	if !strings.Contains(errOut, "30 instructions have") || !strings.Contains(errOut, "... and 20 more") || strings.Count(errOut, "\n") != 13 {
		t.Errorf("30 lossy instructions: stderr %q", errOut)
	}
}

// cbpf asm reads bpf_asm text by default: given tcpdump -ddd output it must
// say what the input looks like and which -i reads it.
func TestAsmSuggestsInputFormat(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"asm", "-o", "raw"}, "99\n40 0 0 12\n", `<stdin>:1:1: expected an instruction or a label, found "99"; this looks like tcpdump -ddd output (a count, then "code jt jf k" lines), not bpf_asm text: use -i ddd`},
		{[]string{"asm"}, "(000) ret      #0\n", "use -i tcpdump"},
		{[]string{"asm"}, "{ 0x6, 0, 0, 0x00000000 },\n", "use -i c"},
		{[]string{"asm"}, "1,6 0 0 0\n", "use -i xt"},
		{[]string{"asm"}, "\x06\x00\x00\x00\x00\x00\x00\x00", "use -i raw (or -i raw-be)"},
		{[]string{"disasm", "-i", "ddd"}, "ld [0]\nret #0\n", "use -i asm"},
		{[]string{"verify", "-i", "tcpdump", "-"}, "ret #0\n", "use -i asm"},
	} {
		_, errOut, code := cli(t, tc.stdin, tc.args...)
		if code != exitBad || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q on %q: exit %d, stderr %q; want exit 1 and %q", tc.args, tc.stdin, code, errOut, tc.want)
		}
	}
}
