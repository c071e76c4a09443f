package seccomp

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/policy"
)

// TestPathMatchersAgree: the handler's pattern matcher and the policy
// language's (policy.MatchPath, which cbpf exec's supervisor decides with)
// are written apart; on random patterns and paths over a small alphabet
// they accept the same patterns and match the same paths.
func TestPathMatchersAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 12))
	elems := []string{"a", "b", "ab", "*", "**", "a*", "*b", "a*b", "*a*", ".", "..", ""}
	pathElems := []string{"a", "b", "ab", "ba", "aab", "abb", ".x", "a.b"}
	for i := 0; i < 20000; i++ {
		var pe []string
		for range r.IntN(5) {
			pe = append(pe, elems[r.IntN(len(elems))])
		}
		pat := "/" + strings.Join(pe, "/")
		if r.IntN(20) == 0 {
			pat += "/"
		}
		var se []string
		for range r.IntN(6) {
			se = append(se, pathElems[r.IntN(len(pathElems))])
		}
		path := "/" + strings.Join(se, "/")
		pp, err := compilePattern(pat)
		if (err == nil) != (policy.CheckPathPattern(pat) == nil) {
			t.Fatalf("pattern %q: seccomp says %v, policy %v", pat, err, policy.CheckPathPattern(pat))
		}
		if err != nil {
			continue
		}
		if got, want := policy.MatchPath(pat, path), pp.match(path); got != want {
			t.Fatalf("MatchPath(%q, %q) = %v, the handler's matcher %v", pat, path, got, want)
		}
	}
}
