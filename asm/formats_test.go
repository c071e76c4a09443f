package asm

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cbpfkit/cbpf/diag"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/net/bpf"
)

var fmtUpdate = flag.Bool("update-formats", false, "rewrite the golden files of testdata/formats")

// fmtSample is "ip" for Ethernet: ldh [12]; jeq #0x800; ret; ret.
var fmtSample = []bpf.RawInstruction{
	{Op: 0x28, K: 12},
	{Op: 0x15, Jt: 0, Jf: 1, K: 0x800},
	{Op: 0x06, K: 262144},
	{Op: 0x06, K: 0},
}

func TestReadFormats(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Format
		in   string
		want []bpf.RawInstruction
	}{
		{"ddd", DDD, "4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n", fmtSample},
		{"ddd crlf blank lines", DDD, "\r\n4\r\n40 0 0 12\r\n\r\n21\t0 1   2048\r\n6 0 0 262144\r\n6 0 0 0", fmtSample},
		{"ddd hex", DDD, "4\n0x28 0 0 0xc\n21 0 1 0x800\n6 0 0 262144\n6 0 0 0\n", fmtSample},
		{"ddd empty program", DDD, "0\n", nil},
		{"ddd max fields", DDD, "1\n65535 255 255 4294967295\n", []bpf.RawInstruction{{Op: 0xffff, Jt: 255, Jf: 255, K: 0xffffffff}}},
		{"xt", XT, "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0\n", fmtSample},
		{"xt bpf_asm trailing comma", XT, "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0,\n", fmtSample},
		{"xt quoted", XT, "'4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0'", fmtSample},
		{"xt double quoted comma", XT, "\"4, 40 0 0 12, 21 0 1 2048, 6 0 0 262144, 6 0 0 0,\"\n", fmtSample},
		{"c tcpdump -dd", C, "{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000800 },\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },\n", fmtSample},
		{"c decimal no trailing comma", C, "{40,0,0,12},{21,0,1,2048},{6,0,0,262144},{6,0,0,0}", fmtSample},
		{"c declaration", C, "/* ip */\nstatic struct sock_filter code[] = {\n\t{ 0x28, 0, 0, 0x0000000c }, // ldh\n\t{ 0x15, 0, 1, 0x00000800 },\n\t{ 0x6, 0, 0, 262144U },\n\t{ 0x6, 0, 0, 0 }\n};\n", fmtSample},
		{"c braces only", C, "{ { 0x28, 0, 0, 12 }, { 0x15, 0, 1, 0x800 }, { 6, 0, 0, 262144 }, { 6, 0, 0, 0 }, }", fmtSample},
		{"go keyed", Go, "[]bpf.RawInstruction{\n\t{Op: 0x28, Jt: 0x00, Jf: 0x00, K: 0x0000000c}, // (000) ldh [12]\n\t{Op: 0x15, Jt: 0x00, Jf: 0x01, K: 0x00000800},\n\t{Op: 0x06, K: 262144},\n\t{Op: 6},\n}\n", fmtSample},
		{"go var positional", Go, "var filter = []bpf.RawInstruction{\n\t{0x28, 0, 0, 12},\n\t/* jeq */ {0x15, 0, 1, 0x800},\n\tbpf.RawInstruction{Op: 6, K: 0x4_0000},\n\t{Op: 06},\n}", fmtSample},
		{"go short decl", Go, "prog := []RawInstruction{{K: 12, Op: 40}, {Op: 21, Jf: 1, K: 2048}, {Op: 6, K: 262144}, {Op: 6}};", fmtSample},
		{"tcpdump", Tcpdump, "(000) ldh      [12]\n(001) jeq      #0x800           jt 2\tjf 3\n(002) ret      #262144\n(003) ret      #0\n", fmtSample},
		{"tcpdump collapsed blanks", Tcpdump, "(000) ldh [12]\n(001) jeq #0x800 jt 2 jf 3\n(002) ret #262144\n(003) ret #0", fmtSample},
		{"tcpdump every operand", Tcpdump, "(000) ld       [vlan_tpid]\n(001) ldxb     4*([14]&0xf)\n(002) ldh      [x + -2]\n(003) ld       #pktlen\n(004) ja       6\n(005) unimp    0x95             jt 7\tjf 8\n(006) jset     x                jt 7\tjf 8\n(007) ret      #-1\n(008) ret      \n",
			[]bpf.RawInstruction{{Op: 0x20, K: 0xfffff03c}, {Op: 0xb1, K: 14}, {Op: 0x48, K: 0xfffffffe}, {Op: 0x80}, {Op: 0x05, K: 1}, {Op: 0x95, Jt: 1, Jf: 2}, {Op: 0x4d, Jf: 1}, {Op: 0x06, K: 0xffffffff}, {Op: 0x16}}},
		{"raw", Raw, "\x28\x00\x00\x00\x0c\x00\x00\x00\x15\x00\x00\x01\x00\x08\x00\x00\x06\x00\x00\x00\x00\x00\x04\x00\x06\x00\x00\x00\x00\x00\x00\x00", fmtSample},
		{"raw-be", RawBE, "\x00\x28\x00\x00\x00\x00\x00\x0c\x00\x15\x00\x01\x00\x00\x08\x00\x00\x06\x00\x00\x00\x04\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00", fmtSample},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read("in", []byte(tc.in), tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Read(%s) (-want +got):\n%s", tc.f, diff)
			}
			if tc.f != RawBE && !strings.Contains(tc.name, "hex") {
				if got, err := Read("in", []byte(tc.in), ""); err != nil || !cmp.Equal(tc.want, got) {
					t.Errorf("Read with detection: %v (detected %s)", err, Detect([]byte(tc.in)))
				}
			}
		})
	}
}

func TestWriteFormats(t *testing.T) {
	for _, tc := range []struct {
		f    Format
		want string
	}{
		{DDD, "4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n"},
		{XT, "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0\n"},
		{C, "{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000800 },\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },\n"},
		{Tcpdump, "(000) ldh      [12]\n(001) jeq      #0x800           jt 2\tjf 3\n(002) ret      #262144\n(003) ret      #0\n"},
		{Go, "[]bpf.RawInstruction{\n" +
			"\t{Op: 0x28, Jt: 0x00, Jf: 0x00, K: 0x0000000c}, // (000) ldh      [12]\n" +
			"\t{Op: 0x15, Jt: 0x00, Jf: 0x01, K: 0x00000800}, // (001) jeq      #0x800           jt 2 jf 3\n" +
			"\t{Op: 0x06, Jt: 0x00, Jf: 0x00, K: 0x00040000}, // (002) ret      #262144\n" +
			"\t{Op: 0x06, Jt: 0x00, Jf: 0x00, K: 0x00000000}, // (003) ret      #0\n}\n"},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, fmtSample, tc.f); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, buf.String()); diff != "" {
			t.Errorf("Write(%s) (-want +got):\n%s", tc.f, diff)
		}
	}
}

// TestWriteGoIsGofmtClean pastes the literal into a file and checks gofmt
// leaves it alone, with opcodes of every width.
func TestWriteGoIsGofmtClean(t *testing.T) {
	wide := append([]bpf.RawInstruction{{Op: 0xffff, Jt: 3, K: 1}, {Op: 0x07}}, fmtSample...)
	for _, prog := range [][]bpf.RawInstruction{wide, fmtSample, nil, {{Op: 0x123}}} {
		fmtCheckGofmt(t, prog)
	}
	for _, c := range []string{"092-EN10MB-noopt", "068-EN10MB-lo"} {
		data, err := os.ReadFile("testdata/tcpdump/" + c + ".ddd")
		if err != nil {
			t.Fatal(err)
		}
		prog, err := Read(c, data, DDD)
		if err != nil {
			t.Fatal(err)
		}
		fmtCheckGofmt(t, prog)
	}
}

func fmtCheckGofmt(t *testing.T, prog []bpf.RawInstruction) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, prog, Go); err != nil {
		t.Fatal(err)
	}
	src := "package p\n\nimport \"golang.org/x/net/bpf\"\n\nvar filter = " + buf.String()
	out, err := format.Source([]byte(src))
	if err != nil {
		t.Fatalf("not valid Go: %v\n%s", err, src)
	}
	if diff := cmp.Diff(src, string(out)); diff != "" {
		t.Errorf("gofmt changes the literal:\n%s", diff)
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		f         Format
		in        string
		line, col int // line 0: binary, col is the offset
		msg       string
	}{
		{"raw truncated", Raw, "\x06\x00\x00\x00\x00\x00\x00\x00\x06\x00\x00", 0, 8, "truncated"},
		{"raw-be truncated", RawBE, "\x06", 0, 0, "truncated"},
		{"ddd empty", DDD, "", 1, 1, "unexpected end of input"},
		{"ddd count not a number", DDD, "four\n", 1, 1, "bad instruction count"},
		{"ddd count too small", DDD, "1\n6 0 0 0\n6 0 0 0\n", 3, 1, "more instructions than the count"},
		{"ddd count too large", DDD, "3\n6 0 0 0\n6 0 0 0\n", 1, 1, "count says 3 instructions but 2 follow"},
		{"ddd truncated line", DDD, "1\n6 0 0\n", 2, 6, "want k"},
		{"ddd extra field", DDD, "1\n6 0 0 0 0\n", 2, 9, "unexpected"},
		{"ddd jt too big", DDD, "1\n21 256 0 0\n", 2, 4, "jt 256 out of range"},
		{"ddd k too big", DDD, "1\n6 0 0 4294967296\n", 2, 7, "k 4294967296 out of range"},
		{"ddd k huge", DDD, "1\n6 0 0 99999999999999999999999\n", 2, 7, "out of range"},
		{"ddd opcode too big", DDD, "1\n65536 0 0 0\n", 2, 1, "opcode 65536 out of range"},
		{"ddd negative", DDD, "1\n6 0 0 -1\n", 2, 7, "negative"},
		{"ddd garbage", DDD, "1\n6 0 0 0x\n", 2, 7, "bad k"},
		{"ddd count on line", DDD, "1 6 0 0 0\n", 1, 3, "unexpected"},
		{"xt count mismatch", XT, "3,6 0 0 0,6 0 0 0\n", 1, 1, "count says 3"},
		{"xt too many", XT, "1,6 0 0 0,6 0 0 0\n", 1, 11, "more instructions"},
		{"xt missing field", XT, "1,6 0 0\n", 1, 8, "want k"},
		{"xt jf too big", XT, "1,21 0 300 0", 1, 8, "jf 300 out of range"},
		{"xt garbage after", XT, "1,6 0 0 0;\n", 1, 10, "want ','"},
		{"xt unclosed quote", XT, "'1,6 0 0 0\n", 2, 1, "closing '"},
		{"xt second line", XT, "1,6 0 0 0\n2,6 0 0 0\n", 2, 1, "want ','"},
		{"c missing brace", C, "{ 0x6, 0, 0, 0 },\n{ 0x6, 0, 0, 0 ,\n", 3, 1, "want '}'"},
		{"c three fields", C, "{ 0x6, 0, 0 },\n", 1, 13, "want \",\""},
		{"c jt too big", C, "{ 0x15, 0x100, 0, 0 },\n", 1, 9, "jt 0x100 out of range"},
		{"c k too big", C, "{ 0x6, 0, 0, 0x100000000 },\n", 1, 14, "k 0x100000000 out of range"},
		{"c negative", C, "{ 0x6, 0, 0, -1 },\n", 1, 14, "negative"},
		{"c garbage", C, "{ 0x6, 0, 0, 0 } $\n", 1, 18, "illegal character"},
		{"c identifier", C, "{ BPF_RET, 0, 0, 0 }\n", 1, 3, "want opcode"},
		{"c no initializer", C, "struct sock_filter f[];\n", 1, 1, "struct sock_filter initializer"},
		{"c unclosed decl", C, "struct sock_filter f[] = {\n{ 6, 0, 0, 0 },\n", 3, 1, "want '{'"},
		{"c bad literal", C, "{ 0x6, 0, 0, 0x }\n", 1, 16, "hexadecimal literal has no digits"},
		{"go unknown field", Go, "[]bpf.RawInstruction{{Code: 6}}", 1, 23, "unknown field Code"},
		{"go bad field", Go, "[]bpf.RawInstruction{{Op: 6, X: 1}}", 1, 30, "unknown field X"},
		{"go dup field", Go, "[]bpf.RawInstruction{{Op: 6, Op: 1}}", 1, 30, "duplicate field Op"},
		{"go op too big", Go, "[]bpf.RawInstruction{\n\t{Op: 0x10000},\n}", 2, 7, "Op 0x10000 out of range"},
		{"go jt too big", Go, "[]bpf.RawInstruction{{Jt: 256}}", 1, 27, "Jt 256 out of range"},
		{"go unterminated", Go, "[]bpf.RawInstruction{{Op: 6},", 1, 30, "want '{'"},
		{"go no literal", Go, "x := 5", 1, 1, "want a []bpf.RawInstruction"},
		{"go after", Go, "[]bpf.RawInstruction{} + 1", 1, 24, "after the program"},
		{"tcpdump numbering", Tcpdump, "(000) ret #0\n(002) ret #0\n", 2, 1, "want instruction number (001)"},
		{"tcpdump unknown op", Tcpdump, "(000) frob #0\n", 1, 7, "unknown opcode"},
		{"tcpdump bad operand", Tcpdump, "(000) ldh [twelve]\n", 1, 11, "bad operand"},
		{"tcpdump jump backwards", Tcpdump, "(000) ret #0\n(001) jeq #0x1 jt 0 jf 2\n", 2, 19, "jump target 0"},
		{"tcpdump jump too far", Tcpdump, "(000) jeq #0x1 jt 300 jf 2\n", 1, 19, "jump target 300"},
		{"tcpdump missing targets", Tcpdump, "(000) jeq #0x1\n", 1, 15, "needs jt and jf"},
		{"tcpdump targets on ret", Tcpdump, "(000) ret #0 jt 1 jf 2\n", 1, 11, "takes no jt/jf"},
		{"tcpdump k too big", Tcpdump, "(000) ret #4294967296\n", 1, 11, "bad operand"},
		{"tcpdump no opcode", Tcpdump, "(000)\n", 1, 6, "missing opcode"},
		{"tcpdump unimp", Tcpdump, "(000) unimp zz\n", 1, 13, "0x-hex opcode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read("prog.txt", []byte(tc.in), tc.f)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Read(%s, %q) = %v, want an *Error", tc.f, tc.in, err)
			}
			if e.File != "prog.txt" || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("error %q, want file prog.txt and message containing %q", e, tc.msg)
			}
			if tc.line == 0 {
				if e.Line != 0 || e.Offset != tc.col {
					t.Errorf("error %q at offset %d, want %d", e, e.Offset, tc.col)
				}
			} else if e.Line != tc.line || e.Col != tc.col {
				t.Errorf("error %q at %d:%d, want %d:%d", e, e.Line, e.Col, tc.line, tc.col)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Format
	}{
		{"4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n", DDD},
		{"1\n", DDD},
		{"4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0,\n", XT},
		{"'1,6 0 0 0'", XT},
		{"{ 0x6, 0, 0, 0x00000000 },\n", C},
		{"static const struct sock_filter f[] = { { 6, 0, 0, 0 } };", C},
		{"[]bpf.RawInstruction{\n\t{Op: 0x06},\n}\n", Go},
		{"{Op: 6, K: 0}", Go},
		{"{ \n Op\t: 6 }", Go},
		{"(000) ret      #0\n", Tcpdump},
		{"  ldh [12]\n  ret #0\n", Asm},
		{"ret #0", Asm},
		{"1\nret #0\n", Asm},
		{"\x06\x00\x00\x00\x00\x00\x00\x00", Raw},
		{"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", Raw},
	} {
		if got := Detect([]byte(tc.in)); got != tc.want {
			t.Errorf("Detect(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// fmtGoldenPrograms are the inputs of the pseudo and dot golden files.
func fmtGoldenPrograms(t *testing.T) map[string][]bpf.RawInstruction {
	t.Helper()
	files, err := filepath.Glob("testdata/formats/*.ddd")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/formats/*.ddd: %v", err)
	}
	progs := map[string][]bpf.RawInstruction{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := Read(f, data, DDD)
		if err != nil {
			t.Fatal(err)
		}
		progs[strings.TrimSuffix(filepath.Base(f), ".ddd")] = prog
	}
	return progs
}

// TestWriteGolden compares the pseudo and dot listings of the programs of
// testdata/formats with their golden files (go test -update-formats
// rewrites them; review the diff).
func TestWriteGolden(t *testing.T) {
	for name, prog := range fmtGoldenPrograms(t) {
		for _, f := range []Format{Pseudo, Dot} {
			var buf bytes.Buffer
			if err := Write(&buf, prog, f); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata/formats", name+"."+string(f))
			if *fmtUpdate {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("%s (-golden +got):\n%s", path, diff)
			}
		}
	}
}

// TestDotAccepted feeds our graphs to Graphviz.
func TestDotAccepted(t *testing.T) {
	dot := fmtNeedTool(t, "dot")
	progs := fmtGoldenPrograms(t)
	for _, c := range []string{"040-EN10MB", "068-EN10MB-lo", "001-RAW"} {
		data, err := os.ReadFile("testdata/tcpdump/" + c + ".ddd")
		if err != nil {
			t.Fatal(err)
		}
		if progs[c], err = Read(c, data, DDD); err != nil {
			t.Fatal(err)
		}
	}
	progs["jump past the end"] = []bpf.RawInstruction{{Op: 0x15, Jt: 5, Jf: 0}, {Op: 0x05, K: 9}, {Op: 0x06}}
	for name, prog := range progs {
		var buf bytes.Buffer
		if err := Write(&buf, prog, Dot); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, dot, "-Tsvg")
		cmd.Stdin = &buf
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || !bytes.Contains(out, []byte("<svg")) || stderr.Len() > 0 {
			t.Errorf("%s: dot -Tsvg: %v\n%s", name, err, stderr.String())
		}
	}
}

func TestPseudoMeaning(t *testing.T) {
	// Big-endian arch: args low words sit at 16+8i+4.
	s390x := []bpf.RawInstruction{
		{Op: 0x20, K: 4},
		{Op: 0x15, Jt: 1, K: 0x80000016},
		{Op: 0x06, K: 0x80000000},
		{Op: 0x20, K: 20},
		{Op: 0x15, Jt: 0, Jf: 1, K: 7},
		{Op: 0x06, K: 0x00050001},
		{Op: 0x20, K: 16},
		{Op: 0x06, K: 0x7fff0000},
	}
	// A reaches L4 with two meanings: the listing must not name a syscall.
	join := []bpf.RawInstruction{
		{Op: 0x20, K: 4},
		{Op: 0x15, Jt: 0, Jf: 2, K: 0xc000003e},
		{Op: 0x20, K: 0},
		{Op: 0x05, K: 1},
		{Op: 0x20, K: 24},
		{Op: 0x15, Jt: 0, Jf: 1, K: 59},
		{Op: 0x06, K: 0x7fff0000},
		{Op: 0x16},
	}
	for _, tc := range []struct {
		name    string
		prog    []bpf.RawInstruction
		want    []string
		notWant []string
	}{
		{"s390x", s390x, []string{"big endian", "A = arch", "AUDIT_ARCH_S390X", "A = args[0] (low)", "A = args[0] (high)", "return KILL_PROCESS", "return ERRNO(1)", "return ALLOW", "if (A != 7) goto L6"}, nil},
		{"join", join, []string{"A = args[1] (low)", "if (A != 59) goto L7", "return A"}, []string{"execve"}},
		{"packet", fmtSample, []string{"A = *(u16 *)(data + 12)", "if (A != 2048) goto L3"}, nil},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, tc.prog, Pseudo); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("%s: listing lacks %q:\n%s", tc.name, w, buf.String())
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(buf.String(), w) {
				t.Errorf("%s: listing has %q:\n%s", tc.name, w, buf.String())
			}
		}
	}
}

// FuzzRead: no reader panics, and what one accepts survives writing and
// reading again.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		"4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n",
		"4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0,\n",
		"{ 0x28, 0, 0, 0x0000000c },\n{ 0x6, 0, 0, 0x00000000 },\n",
		"struct sock_filter f[] = { {6,0,0,0} };",
		"[]bpf.RawInstruction{\n\t{Op: 0x28, K: 0xc}, // x\n}\n",
		"(000) ldh      [12]\n(001) jeq      #0x800           jt 2\tjf 3\n(002) ret      #262144\n(003) ret      \n",
		"(000) ld [vlanp]\n(001) ja 3\n(002) unimp 0x25 jt 3 jf 4\n(003) ret #-1\n",
		"\x06\x00\x00\x00\x00\x00\x00\x00",
	} {
		for i := range 7 {
			f.Add([]byte(seed), uint8(i))
		}
	}
	formats := []Format{Raw, RawBE, DDD, XT, C, Go, Tcpdump}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		ff := formats[int(which)%len(formats)]
		prog, err := Read("fuzz", data, ff)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Read(%s) error %v is not an *Error", ff, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, prog, ff); err != nil {
			t.Fatal(err)
		}
		again, err := Read("again", buf.Bytes(), ff)
		if err != nil {
			t.Fatalf("re-reading our own %s output: %v\n%s", ff, err, buf.Bytes())
		}
		if diff := cmp.Diff(prog, again); diff != "" {
			t.Fatalf("%s: write/read changed the program:\n%s", ff, diff)
		}
		for _, wf := range []Format{Pseudo, Dot, Tcpdump} {
			if err := Write(new(bytes.Buffer), prog, wf); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// The 1542-instruction unoptimized program of the corpus, in each format.
func BenchmarkFormats(b *testing.B) {
	data, err := os.ReadFile("testdata/tcpdump/092-EN10MB-noopt.ddd")
	if err != nil {
		b.Fatal(err)
	}
	prog, err := Read("bench", data, DDD)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []Format{Raw, DDD, XT, C, Go, Tcpdump, Pseudo, Dot} {
		var buf bytes.Buffer
		if err := Write(&buf, prog, f); err != nil {
			b.Fatal(err)
		}
		text := buf.Bytes()
		b.Run("write-"+string(f), func(b *testing.B) {
			for b.Loop() {
				buf.Reset()
				Write(&buf, prog, f)
			}
		})
		if !f.Readable() {
			continue
		}
		b.Run("read-"+string(f), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := Read("bench", text, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzWrite: any program survives every lossless format, tcpdump keeps what
// it prints, and Detect recognises each text format's output.
func FuzzWrite(f *testing.F) {
	f.Add([]byte("\x28\x00\x00\x00\x0c\x00\x00\x00\x15\x00\x00\x01\x00\x08\x00\x00\x06\x00\x00\x00\x00\x00\x04\x00"))
	f.Add([]byte("\x05\x00\x00\x00\xff\xff\xff\xff\x20\x00\x00\x00\x30\xf0\xff\xff\x95\x00\x07\x09\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		prog, err := Read("fuzz", data[:len(data)/8*8], Raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, ff := range []Format{Raw, RawBE, DDD, XT, C, Go, Tcpdump} {
			var buf bytes.Buffer
			if err := Write(&buf, prog, ff); err != nil {
				t.Fatal(err)
			}
			got, err := Read("again", buf.Bytes(), ff)
			if err != nil {
				t.Fatalf("%s: reading our output: %v\n%s", ff, err, buf.Bytes())
			}
			want := prog
			if ff == Tcpdump {
				want = fmtCanonical(prog)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s: round trip differs:\n%s", ff, diff)
			}
			if len(prog) > 0 && ff != Raw && ff != RawBE {
				if d := Detect(buf.Bytes()); d != ff {
					t.Fatalf("Detect(%s output) = %s\n%s", ff, d, buf.Bytes())
				}
			}
		}
		for _, ff := range []Format{Pseudo, Dot} {
			if err := Write(new(bytes.Buffer), prog, ff); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestLineFormatErrorList: the line formats (ddd, tcpdump) read on past a
// bad line and report every bad one, up to diag.MaxErrors.
func TestLineFormatErrorList(t *testing.T) {
	for _, tc := range []struct {
		f    Format
		src  string
		want []string
	}{
		{DDD, "4\n6 0 0 0\n6 0 x 0\n70000 0 0 0\n6 0 0 0 7\n", []string{"t:3:5", "t:4:1", "t:5:9"}},
		{Tcpdump, "(000) ldh [12]\n(001) frob\n(002) ret #0\n(003) jeq #0x1 jt 9\n(005) ret #0\n", []string{"t:2:7", "t:4:11", "t:5:1"}},
	} {
		_, err := Read("t", []byte(tc.src), tc.f)
		var got []string
		for _, e := range diag.Errors(err) {
			got = append(got, e.Pos.String())
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: %v (-want +got):\n%s", tc.f, err, diff)
		}
	}
	many := "60\n" + strings.Repeat("6 0 0 0\nx\n", 30)
	if es := diag.Errors(func() error { _, err := Read("t", []byte(many), DDD); return err }()); len(es) != diag.MaxErrors+1 || es[diag.MaxErrors].Code != diag.CodeTooMany {
		t.Errorf("ddd: %d errors", len(es))
	}
}
