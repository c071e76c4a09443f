package asm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/diag"
)

var fuzzAsmSeeds = []string{
	"ret #0",
	"ldh [12]\njne #0x806, drop\nldb [20]\njneq #0x1, drop\nret #-1\ndrop: ret #0\n",
	"ld #proto\nldx 4*([14]&0xf)\nld [x + 4]\njlt #5, a, b\na: ret a\nb: ret x",
	"# c\n/* b\n*/ ld M[15] ; x\nst M[0]\nneg\ntax\ntxa\nret %a",
	".insn 0x15, 1, 0, 7\njeq #1, far\nret #0\nfar: ret #1",
	"jset x, l1, l2\nl1: ja l2\nl2: .insn 0xffff, 255, 255, 0xffffffff",
	"ld #0b1010\nadd #010\nsub #0x10\nmul #-3\ndiv x\nmod #7\nand x\nor #1\nxor x\nlsh #1\nrsh x\nret a",
	"jeq #1, a, b, c",
	"lod [12]",
	"ld [x 4]",
}

func FuzzAssemble(f *testing.F) {
	for _, s := range fuzzAsmSeeds {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("testdata/asm/*")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		prog, err := Assemble("f.s", src)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error without a position: %#v", err)
			}
			es := diag.Errors(err)
			if len(es) > diag.MaxErrors+1 {
				t.Fatalf("%d errors", len(es))
			}
			lines := bytes.Count(src, []byte("\n")) + 1
			for _, e := range es {
				if e.Line < 1 || e.Line > lines || e.Col < 1 || e.Msg == "" || e.Code == "" {
					t.Fatalf("error without a position or code: %#v", e)
				}
			}
			return
		}
		if len(prog) == 0 || len(prog) > opcode.MaxInsns {
			t.Fatalf("accepted a program of %d instructions", len(prog))
		}
		var buf bytes.Buffer
		if err := Disassemble(&buf, prog); err != nil {
			t.Fatal(err)
		}
		back, err := Assemble("f2.s", buf.Bytes())
		if err != nil {
			t.Fatalf("reassembling: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(toRI(prog), toRI(back)); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s\n%s", diff, buf.String())
		}
	})
}

// FuzzDisassemble: any sequence of instructions (8 bytes each) is written
// and read back exactly.
func FuzzDisassemble(f *testing.F) {
	f.Add([]byte{0x06, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0x15, 0, 1, 2, 5, 0, 0, 0, 0x06, 0, 0, 0, 1, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{0x05, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, raw []byte) {
		n := min(len(raw)/8, opcode.MaxInsns)
		if n == 0 {
			return
		}
		prog := make([]bpf.RawInstruction, n)
		for i := range prog {
			b := raw[8*i:]
			prog[i] = bpf.RawInstruction{Op: binary.LittleEndian.Uint16(b), Jt: b[2], Jf: b[3], K: binary.LittleEndian.Uint32(b[4:])}
		}
		var buf bytes.Buffer
		if err := Disassemble(&buf, prog); err != nil {
			t.Fatal(err)
		}
		back, err := Assemble("f.s", buf.Bytes())
		if err != nil {
			t.Fatalf("reassembling: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(toRI(prog), toRI(back)); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s\n%s", diff, buf.String())
		}
	})
}
