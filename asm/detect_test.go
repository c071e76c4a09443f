package asm

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
)

// TestReadHintsFormat: text in one format read as another fails with a
// message that names the format it is in, for every pair of readable
// formats. Only the raw readers accept other formats' text (any multiple of
// 8 bytes is a program): then there is nothing to report.
func TestReadHintsFormat(t *testing.T) {
	for _, g := range Formats() {
		if !g.Readable() {
			continue
		}
		for _, sample := range [][]byte{fmtWrite(t, fmtSample, g), fmtWrite(t, fmtSample[:3], g)} {
			for _, f := range Formats() {
				if !f.Readable() || f == g || f == RawBE && g == Raw || f == Raw && g == RawBE {
					continue
				}
				_, err := Read("in", sample, f)
				if err == nil {
					if f != Raw && f != RawBE {
						t.Errorf("%s text read as %s: no error\n%s", g, f, sample)
					}
					continue
				}
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("%s read as %s: %v is not an *Error", g, f, err)
				}
				want := g
				if g == RawBE {
					want = Raw // big endian is never detected
				}
				if e.Looks != want || !strings.Contains(e.Error(), "this looks like "+formatLooks[want]) {
					t.Errorf("%s text read as %s: %v (Looks %q), want it to name %s", g, f, err, e.Looks, want)
				}
			}
		}
	}
}

func fmtWrite(t *testing.T, prog []bpf.RawInstruction, f Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, prog, f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadHintsOnlyWhenSure: no suggestion where the content does not
// make the format plain, or is the format read.
func TestReadHintsOnlyWhenSure(t *testing.T) {
	for _, tc := range []struct {
		in string
		f  Format
	}{
		{"ld [0]\nfrob\n", Asm},           // asm, broken: asm is what was read
		{"99\n", Asm},                     // a lone number: maybe ddd, maybe not
		{"hello world\n", DDD},            // nothing in particular
		{"ret\n", DDD},                    // a mnemonic without an operand is still asm...
		{"p:=[]bpf.RawInstruction{", Asm}, // ...but "p:=" is no label
	} {
		_, err := Read("in", []byte(tc.in), tc.f)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%q as %s: %v", tc.in, tc.f, err)
		}
		switch tc.in {
		case "ret\n":
			if e.Looks != Asm {
				t.Errorf("%q as %s: Looks %q, want asm", tc.in, tc.f, e.Looks)
			}
		case "p:=[]bpf.RawInstruction{":
			if e.Looks != Go {
				t.Errorf("%q as %s: Looks %q, want go", tc.in, tc.f, e.Looks)
			}
		default:
			if e.Looks != "" || e.Hint != "" {
				t.Errorf("%q as %s: hint %q", tc.in, tc.f, e.Hint)
			}
		}
	}
}
