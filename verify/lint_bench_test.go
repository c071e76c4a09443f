package verify

import "testing"

// BenchmarkLintProgram lints libseccomp filters of real generators' sizes
// (testdata/lints/gen.py): big_allowlist.ddd has 1327 instructions.
func BenchmarkLintProgram(b *testing.B) {
	for _, name := range []string{"big_allowlist.ddd", "tor_like.ddd", "qemu_like.ddd"} {
		prog := loadDDD(b, "lints/"+name)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				LintProgram(prog, Seccomp)
			}
		})
	}
}

// BenchmarkLintProgramLimit lints a filter with 2^24 paths: the walks stop
// at their bounds.
func BenchmarkLintProgramLimit(b *testing.B) {
	p := doubling(24)
	for b.Loop() {
		LintProgram(p, Seccomp)
	}
}
