package asm

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/diag"
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
				var e *FormatError
				if !errors.As(err, &e) {
					t.Fatalf("%s read as %s: %v is not a *FormatError", g, f, err)
				}
				var ae *Error
				if !errors.As(err, &ae) || ae.Code != diag.CodeFormat {
					t.Errorf("%s read as %s: %v: errors.As *Error %v", g, f, err, ae)
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
		var ae *Error
		if !errors.As(err, &ae) {
			t.Fatalf("%q as %s: %v", tc.in, tc.f, err)
		}
		e := &FormatError{}
		errors.As(err, &e)
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
			if e.Looks != "" || strings.Contains(err.Error(), "looks like") {
				t.Errorf("%q as %s: hint %q", tc.in, tc.f, err)
			}
		}
	}
}

// TestDetectStrayByte: text with a byte that is not text is detected as
// raw; when it is no whole number of instructions either, the error is the
// text format's, at the stray byte, not "truncated instruction".
func TestDetectStrayByte(t *testing.T) {
	for _, tc := range []struct {
		in        string
		line, col int
		msg       string
	}{
		{"ld [0]\nret #0 \xff\xfe\n", 2, 8, "unexpected byte 0xff"},
		{"ld [0]\x00\nret #0\n", 1, 7, "unexpected byte 0x00"},
		{"4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\x00\n", 5, 8, "unexpected"},
		{"{ 0x6, 0, 0, 0 },\x01\n", 1, 18, "illegal character"},
	} {
		_, err := Read("in", []byte(tc.in), "")
		var e *Error
		if !errors.As(err, &e) || e.Line != tc.line || e.Col != tc.col || !strings.Contains(e.Msg, tc.msg) {
			t.Errorf("Read(%q) = %v, want %d:%d: %s", tc.in, err, tc.line, tc.col, tc.msg)
		}
	}
	// A raw program of whole instructions is read as raw, whatever it holds.
	if prog, err := Read("in", []byte("ld [0]\x00\n"), ""); err != nil || len(prog) != 1 {
		t.Errorf("8 bytes: %v, %v", prog, err)
	}
}
