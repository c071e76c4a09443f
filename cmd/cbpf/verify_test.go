package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cbpf verify prints each path lint's witnesses as "cbpf run" input lines
// with what the filter returns; cbpf run on those lines must say the same.
func TestVerifyWitnessLines(t *testing.T) {
	for _, c := range []struct {
		file  string
		codes []string
	}{
		{"big_allowlist.ddd", []string{"arg-half"}},
		{"tor_like.ddd", nil},
		{"firejail_main.ddd", []string{"foreign-arch-allow"}},
		{"qemu_like.ddd", nil},
	} {
		path := filepath.Join("..", "..", "verify", "testdata", "lints", c.file)
		out, errOut, code := cli(t, "", "verify", path)
		if code != exitOK || errOut != "" {
			t.Fatalf("verify %s: exit %d, stderr %q", c.file, code, errOut)
		}
		for _, want := range c.codes {
			if !strings.Contains(out, ": warning: "+want+": ") {
				t.Errorf("verify %s: no %s warning:\n%s", c.file, want, out)
			}
		}
		if c.codes == nil && out != "" {
			t.Errorf("verify %s: want no output, got\n%s", c.file, out)
		}
		var lines, rets []string
		for _, l := range strings.Split(out, "\n") {
			in, ret, ok := strings.Cut(strings.TrimPrefix(l, "    input: "), " => ")
			if !ok || !strings.HasPrefix(l, "    input: ") {
				continue
			}
			lines = append(lines, in)
			rets = append(rets, ret)
		}
		if len(c.codes) > 0 && len(lines) == 0 {
			t.Errorf("verify %s: no input lines:\n%s", c.file, out)
		}
		if len(lines) == 0 {
			continue
		}
		inputs := filepath.Join(t.TempDir(), "inputs")
		if err := os.WriteFile(inputs, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		runOut, errOut, code := cli(t, "", "run", "--input", inputs, path)
		if code != exitOK {
			t.Fatalf("run: exit %d: %s", code, errOut)
		}
		got := strings.Split(strings.TrimSpace(runOut), "\n")
		if len(got) != len(rets) {
			t.Fatalf("run printed %d lines for %d inputs:\n%s", len(got), len(rets), runOut)
		}
		for i, g := range got {
			// "0x7fff0000 ALLOW insns=12" against "0x7fff0000 ALLOW".
			if !strings.HasPrefix(g, rets[i]+" ") {
				t.Errorf("%s: cbpf run %q gives %q, verify said %q", c.file, lines[i], g, rets[i])
			}
		}
	}
}
