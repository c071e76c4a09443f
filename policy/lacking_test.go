package policy

import (
	"fmt"
	"strings"
	"testing"
)

// manyLacking is a policy of n lines, each naming 15 syscalls x86_64
// lacks: a warning each, with a "did you mean" suggestion.
func manyLacking(n int) []byte {
	var b strings.Builder
	b.WriteString("default errno(1)\narch x86_64\n")
	for range n {
		b.WriteString("mmap2, chown32, fcntl64, _llseek, socketcall, ipc, sigreturn, waitpid, stime, oldstat, umount, stat64, lstat64, fstat64, getuid32: allow\n")
	}
	return []byte(b.String())
}

// The suggestions of the "no such syscall" warnings are made once a name,
// and not at all for the warnings past maxWarnings, which are only
// counted: a 10 MB file of such lines took a minute.
func TestLackingSuggestionsBounded(t *testing.T) {
	src := manyLacking(2000)
	before := suggestions.Load()
	p, warns, err := ParseText("p", src)
	if err != nil {
		t.Fatal(err)
	}
	if n := suggestions.Load() - before; n > 15 {
		t.Errorf("%d suggestions searched for 15 names", n)
	}
	if len(warns) != maxWarnings+1 || !strings.Contains(warns[maxWarnings].Msg, "more problems not shown") {
		t.Fatalf("%d warnings, last %v", len(warns), warns[len(warns)-1])
	}
	if !strings.Contains(warns[0].Msg, "no such syscall on x86_64") {
		t.Errorf("first warning %v", warns[0])
	}
	// Every name lacks, on every line: the count includes them all.
	var more int
	if _, err := fmt.Sscanf(warns[maxWarnings].Msg, "%d more", &more); err != nil || more < 2000*15-maxWarnings {
		t.Errorf("last warning %q: want at least %d more", warns[maxWarnings].Msg, 2000*15-maxWarnings)
	}
	before = suggestions.Load()
	probs := p.Validate()
	if n := suggestions.Load() - before; n > 15 {
		t.Errorf("Validate: %d suggestions searched for 15 names", n)
	}
	if len(probs) != maxWarnings+1 {
		t.Errorf("Validate: %d problems", len(probs))
	}
}

func BenchmarkParseTextLacking(b *testing.B) {
	src := manyLacking(5000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, _, err := ParseText("p", src); err != nil {
			b.Fatal(err)
		}
	}
}
