package verify

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
)

// BenchmarkExplainDockerSized explains Docker-sized filters (300-1300
// instructions) for x86_64.
func BenchmarkExplainDockerSized(b *testing.B) {
	a, err := arch.Lookup("x86_64")
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"docker_like.ddd", "docker_like_tree.ddd", "docker_like_arg.ddd", "docker_like_minus.ddd"} {
		prog := loadDDD(b, name)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Explain(prog, a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExplainComputing explains a short filter that computes on nr
// and an argument.
func BenchmarkExplainComputing(b *testing.B) {
	a, err := arch.Lookup("x86_64")
	if err != nil {
		b.Fatal(err)
	}
	prog := []bpf.RawInstruction{
		ins(0x20, 0, 0, 0), ins(0x04, 0, 0, 1), ins(0x15, 0, 3, 1001), // ld nr; add #1; jeq #1001
		ins(0x20, 0, 0, 16), ins(0x64, 0, 0, 2), ins(0x25, 0, 1, 100), // ld args[0]; lsh #2; jgt #100
		retK(0x50006), retK(0x50005),
	}
	for b.Loop() {
		if _, err := Explain(prog, a); err != nil {
			b.Fatal(err)
		}
	}
}
