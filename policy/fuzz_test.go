package policy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cbpfkit/cbpf/arch"
)

// FuzzParseText: ParseText never panics, and whatever it accepts prints
// to text that parses back to the same policy and prints the same again.
func FuzzParseText(f *testing.F) {
	files, _ := filepath.Glob("testdata/text/*.policy")
	for _, name := range files {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"default allow\nread: arg0 == -1 || !(arg1 & 3) == 1",
		"default kill\narch x86\nsocket: (u32)family == AF_UNIX => trap(1)",
		"default errno(EPERM)\nclone: true\nclone: !false => log",
		"default allow\narch x86_64 mips\nioctl: arg1 == 0x5401 => errno(0xffff)",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, _, err := ParseText("f", src)
		if err != nil {
			return
		}
		text := p.String()
		q, _, err := ParseText("f", []byte(text))
		if err != nil {
			t.Fatalf("printed policy does not parse: %v\nsource:\n%s\nprinted:\n%s", err, src, text)
		}
		opt := cmp.Comparer(func(a, b *arch.Arch) bool { return a == b })
		if d := cmp.Diff(stripPos(p), stripPos(q), opt); d != "" {
			t.Fatalf("reparsed policy differs (-parsed +reparsed):\n%s\nprinted:\n%s", d, text)
		}
		if again := q.String(); again != text {
			t.Fatalf("printing is not stable:\n%s\nthen:\n%s", text, again)
		}
	})
}
