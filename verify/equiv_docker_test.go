package verify

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/asm"
)

// Docker-default-sized filters built by libseccomp (testdata/gen_libseccomp.py).

func loadDDD(t testing.TB, name string) []bpf.RawInstruction {
	t.Helper()
	path := filepath.Join("testdata", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := asm.Read(path, data, asm.DDD)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var dockerPairs = []struct {
	b    string
	want Verdict
}{
	{"docker_like_tree.ddd", Equal},
	{"docker_like_minus.ddd", Different},
	{"docker_like_arg.ddd", Different},
}

func TestEquivalentDockerSized(t *testing.T) {
	a := loadDDD(t, "docker_like.ddd")
	for _, c := range dockerPairs {
		b := loadDDD(t, c.b)
		r, err := Equivalent(a, b, Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		if r.Verdict != c.want {
			t.Errorf("%s: %v, want %v (%s)", c.b, r.Verdict, c.want, r.Reason)
		}
		// Symmetric.
		r2, err := Equivalent(b, a, Seccomp)
		if err != nil || r2.Verdict != c.want {
			t.Errorf("%s (swapped): %v %v", c.b, r2.Verdict, err)
		}
	}
}

func BenchmarkEquivalentDockerSized(b *testing.B) {
	a := loadDDD(b, "docker_like.ddd")
	for _, c := range dockerPairs {
		p := loadDDD(b, c.b)
		b.Run(c.b, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := Equivalent(a, p, Seccomp); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
