package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Hostile input to the commands that read programs (asm, disasm, run,
// verify, explain, equiv, all through asm.Read) and to run's inputs: each
// gets a clean error that says where (file:line:col, a byte offset, an
// instruction, a packet), exit 1, no panic, in bounded time; or a clean
// result. CBPF_LONG=1 makes the big inputs 10 MB instead of 1 MB.

// hostileSize is the size of the big inputs.
func hostileSize() int {
	if os.Getenv("CBPF_LONG") != "" {
		return 10 << 20
	}
	return 1 << 20
}

// hostileProgram is a malformed program and the error every program
// reader must give for it. In want, "%F" stands for the file's path.
type hostileProgram struct {
	name string
	data []byte
	want string // a regexp
}

func hostilePrograms() []hostileProgram {
	n := hostileSize()
	rep := func(s string, size int) []byte { return bytes.Repeat([]byte(s), size/len(s)) }
	var ps []hostileProgram
	add := func(name string, data []byte, want string) {
		ps = append(ps, hostileProgram{name, data, want})
	}
	// Size.
	add("one huge line", rep("a ", n), `^%F:1:1: unknown mnemonic "a"`)
	add("one huge identifier", rep("a", n), `^%F:1:1: unknown mnemonic "a{40}"\.\.\.`)
	add("only comments", rep("; a comment line, and nothing else on it\n", n), `^%F:\d+:1: no instructions`)
	add("only blank lines", rep("\n", n), `^%F:\d+:1: no instructions`)
	add("beyond 4096 instructions", rep("ret #0\n", n), `^%F:4097:1: more than 4096 instructions`)
	add("only labels", []byte(labels(n)), `^%F:16385:1: more than 16384 labels`)
	add("labels on one line", []byte(strings.ReplaceAll(labels(n), "\n", " ")), `^%F:1:\d+: more than 16384 labels`)
	add("huge tcpdump line", append([]byte("(000) "), rep("x ", n)...), `^%F:1:\d+: too many fields`)
	add("huge ddd count", []byte("99999999999999999999999999999999\n6 0 0 0\n"), `^%F:1:1: instruction count 9+ out of range`)
	add("ddd count beyond the text", []byte("2147483647\n6 0 0 0\n"), `^%F:1:1: count says 2147483647 instructions but 1 follow`)
	add("huge number", append([]byte("ret #"), rep("9", n)...), `^%F:1:6: number 9{40}\.\.\. \(\d+ characters\) does not fit in 32 bits`)
	// Nesting: no reader recurses, but brackets must still fail cleanly.
	add("nested brackets", append([]byte("ld "), rep("[", n)...), `^%F:1:5: expected a packet offset, found "\["`)
	add("nested braces", rep("{", n), `^%F:1:3: want opcode \(an integer\), found "\{"`)
	add("nested parens", rep("(", n), `^%F:1:1: expected an instruction or a label, found "\("`)
	add("nested go literals", append([]byte("[]bpf.RawInstruction{"), rep("{", n)...), `^%F:1:23: want Op|^%F:1:23: want opcode`)
	// Bytes that are not text.
	add("odd-length binary", []byte{0x06, 0, 0, 0, 0, 0, 0, 0, 0x06, 0, 0}, `^%F: offset 8: truncated instruction: 3 trailing bytes`)
	add("one byte", []byte{0x06}, `^%F: offset 0: truncated instruction`)
	add("NUL in asm", []byte("ld [0]\x00\nret #0\n"), `^%F:1:7: unexpected byte 0x00`)
	add("invalid UTF-8 in asm", []byte("ld [0]\nret #0 \xff\xfe\n"), `^%F:2:8: unexpected byte 0xff`)
	add("invalid UTF-8 in C", []byte("{ 0x6, 0, 0, 0 }, /* \xff */ {\n"), `^%F:1:\d+: illegal UTF-8 encoding`)
	add("empty", nil, `^%F:1:1: no instructions`)
	// Numbers past 32 and 64 bits, in every numeric field of every format.
	for _, big := range []string{"4294967296", "18446744073709551616", "0x10000000000000000"} {
		for i, field := range []string{"opcode", "jt", "jf", "k"} {
			f := []string{"6", "0", "0", "0"}
			f[i] = big
			ddd := "1\n" + strings.Join(f, " ") + "\n"
			add("ddd "+field+" "+big, []byte(ddd), `^%F:2:\d+: `+field+` \S+ out of range`)
			add("xt "+field+" "+big, []byte("1,"+strings.Join(f, " ")), `^%F:1:\d+: `+field+` \S+ out of range`)
			add("c "+field+" "+big, []byte("{ "+strings.Join(f, ", ")+" },\n"), `^%F:1:\d+: `+field+` \S+ out of range`)
			gof := []string{"Op", "Jt", "Jf", "K"}[i]
			add("go "+gof+" "+big, []byte("[]bpf.RawInstruction{{"+gof+": "+big+"}}"), `^%F:1:\d+: `+gof+` \S+ out of range`)
			add(".insn "+field+" "+big, []byte(".insn "+strings.Join(f, ", ")+"\n"), `^%F:1:\d+: number \S+ does not fit in 32 bits|^%F:1:\d+: \.insn \w+ must be`)
		}
		for _, src := range []string{"ret #%s\n", "ld [%s]\nret #0\n", "ld M[%s]\nret #0\n", "ldx 4*([%s]&0xf)\nret #0\n", "jeq #%s, a\na: ret #0\n", "ld [x + %s]\nret a\n"} {
			add("asm "+src+" "+big, []byte(fmt.Sprintf(src, big)), `^%F:1:\d+: number \S+ does not fit in 32 bits`)
		}
		for _, src := range []string{"(000) ret      #%s\n", "(000) ld       [%s]\n", "(000) jeq      #0x1 jt %s jf 1\n", "(000) ja       %s\n", "(000) unimp    0x%s\n", "(000) ld       M[%s]\n"} {
			add("tcpdump "+src+" "+big, []byte(fmt.Sprintf(src, big)), `^%F:1:\d+: (bad operand|bad jump target|jump target|unimp wants)`)
		}
	}
	add("negative ddd k", []byte("1\n6 0 0 -1\n"), `^%F:2:7: k -1 is negative`)
	add("asm -4294967296", []byte("ret #-4294967296\n"), `^%F:1:\d+: number \S+ does not fit in 32 bits`)
	return ps
}

func labels(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "l%d:\n", i)
	}
	return b.String()
}

// hostileRun runs cbpf in-process: a panic or a hang fails the test
// instead of ending it.
func hostileRun(t *testing.T, stdin []byte, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	type result struct {
		o, e  string
		code  int
		panic any
	}
	done := make(chan result, 1)
	go func() {
		var o, e bytes.Buffer
		r := result{code: -1}
		defer func() {
			r.panic = recover()
			r.o, r.e = o.String(), e.String()
			done <- r
		}()
		r.code = cbpf(&env{stdin: bytes.NewReader(stdin), stdout: &o, stderr: &e}, args)
	}()
	select {
	case r := <-done:
		if r.panic != nil {
			t.Fatalf("cbpf %q panicked: %v", hostileArgs(args), r.panic)
		}
		return r.o, r.e, r.code
	case <-time.After(2 * time.Minute):
		t.Fatalf("cbpf %q: no answer in 2 minutes", hostileArgs(args))
	}
	return "", "", 0
}

// hostileArgs shortens args for messages.
func hostileArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = filepath.Base(a)
	}
	return out
}

// hostileCheck asserts a clean, positioned failure: exit code, a message
// matching want (%F: the path) as the first line of stderr, bounded, and no
// goroutine dump.
func hostileCheck(t *testing.T, args []string, stdout, stderr string, code, wantCode int, path, want string) {
	t.Helper()
	re := regexp.MustCompile(strings.ReplaceAll(want, "%F", regexp.QuoteMeta(path)))
	first, _, _ := strings.Cut(stderr, "\n")
	if code != wantCode || !re.MatchString(first) || len(stderr) > 2000 || strings.Contains(stderr, "goroutine ") {
		if len(stderr) > 300 {
			stderr = stderr[:300] + "..."
		}
		t.Errorf("cbpf %q: exit %d, stderr %q; want exit %d and %s", hostileArgs(args), code, stderr, wantCode, re)
	}
	if wantCode == exitBad && stdout != "" {
		t.Errorf("cbpf %q: bad input, yet stdout %.200q", hostileArgs(args), stdout)
	}
}

// TestHostilePrograms feeds each malformed program to every command that
// reads programs, as a file and, for disasm, on stdin.
func TestHostilePrograms(t *testing.T) {
	dir := t.TempDir()
	inputs := filepath.Join(dir, "inputs")
	if err := os.WriteFile(inputs, []byte("x86_64 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, p := range hostilePrograms() {
		path := filepath.Join(dir, fmt.Sprintf("prog%d", i))
		if err := os.WriteFile(path, p.data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Run(p.name, func(t *testing.T) {
			for _, args := range [][]string{
				{"asm", "-i", "", path},
				{"disasm", path},
				{"verify", path},
				{"explain", path},
				{"run", "--input", inputs, path},
				{"equiv", path, path},
			} {
				o, e, code := hostileRun(t, nil, args...)
				want := exitBad
				if args[0] == "equiv" {
					want = exitInvalid // equiv's status for input that is no valid program
				}
				hostileCheck(t, args, o, e, code, want, path, p.want)
			}
			o, e, code := hostileRun(t, p.data, "disasm", "-")
			hostileCheck(t, []string{"disasm", "-"}, o, e, code, exitBad, "<stdin>", p.want)
		})
	}
}

// TestHostileBigPrograms: programs far beyond the kernel's 4096
// instructions, in every format, are still converted (memory in proportion)
// and refused by the commands that need a valid filter, saying why.
func TestHostileBigPrograms(t *testing.T) {
	n := 20000 // 1.3 million with CBPF_LONG
	if os.Getenv("CBPF_LONG") != "" {
		n = hostileSize() / 8
	}
	dir := t.TempDir()
	raw := make([]byte, 8*n)
	rand.New(rand.NewSource(1)).Read(raw)
	for _, f := range []string{"raw", "ddd", "xt", "c", "go", "tcpdump"} {
		var data []byte
		if f == "raw" {
			data = raw
		} else {
			o, e, code := hostileRun(t, raw, "disasm", "-i", "raw", "-o", f, "-")
			if code != exitOK {
				t.Fatalf("disasm -o %s: exit %d: %.300s", f, code, e)
			}
			data = []byte(o)
		}
		path := filepath.Join(dir, "big."+f)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		o, e, code := hostileRun(t, nil, "disasm", "-i", f, "-o", "ddd", path)
		if code != exitOK || !strings.HasPrefix(o, fmt.Sprint(n, "\n")) || f != "tcpdump" && e != "" {
			t.Errorf("disasm %s: exit %d, stderr %.300q", f, code, e)
		}
		for _, args := range [][]string{{"verify", path}, {"explain", path}, {"run", path}, {"equiv", path, path}} {
			o, e, code := hostileRun(t, []byte("x86_64 1\n"), args...)
			all := o + e
			if code == exitOK || code == exitUsage || !strings.Contains(all, fmt.Sprint(n, " instructions")) || !strings.Contains(all, "4096") || len(all) > 2000 {
				t.Errorf("cbpf %q: exit %d, output %.300q", hostileArgs(args), code, all)
			}
		}
	}
}

// TestHostileRunInputs: cbpf run's seccomp input lines and pcap files.
func TestHostileRunInputs(t *testing.T) {
	n := hostileSize()
	dir := t.TempDir()
	prog := filepath.Join(dir, "prog.asm")
	if err := os.WriteFile(prog, []byte("ret #0x7fff0000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		input []byte
		code  int
		want  string
	}{
		{"nr past 32 bits", []byte("x86_64 4294967296\n"), exitBad, `^%F:1:8: NR: bad number`},
		{"arg past 64 bits", []byte("x86_64 1 18446744073709551616\n"), exitBad, `^%F:1:10: A0: bad number`},
		{"ip past 64 bits", []byte("x86_64 1 0 0 0 0 0 0 0x10000000000000000\n"), exitBad, `^%F:1:22: IP: bad number`},
		{"negative past 64 bits", []byte("x86_64 1 -9223372036854775809\n"), exitBad, `^%F:1:10: A0: bad number`},
		{"arch past 32 bits", []byte("4294967296 1\n"), exitBad, `^%F:1:1: unknown arch`},
		{"huge number", append([]byte("x86_64 1 "), bytes.Repeat([]byte("9"), n)...), exitBad, `^%F:1:10: A0: bad number "9{40}"\.\.\. \(\d+ bytes\)`},
		{"too many fields", append([]byte("x86_64 1"), bytes.Repeat([]byte(" 1"), n/2)...), exitBad, `^%F:1:24: too many fields`},
		{"huge arch", bytes.Repeat([]byte("x"), n), exitBad, `^%F:1:\d+: want ARCH NR \[A0..A5 \[IP\]\]: missing NR`},
		{"huge arch and nr", append(bytes.Repeat([]byte("x"), n), " 1"...), exitBad, `^%F:1:1: unknown arch "x{40}"\.\.\.`},
		{"NUL", []byte("x86_64\x00 1\n"), exitBad, `^%F:1:1: unknown arch "x86_64\\x00"`},
		{"invalid UTF-8", []byte("x86_64 \xff\n"), exitBad, `^%F:1:8: NR: bad number`},
		{"only newlines", bytes.Repeat([]byte("\n"), n), exitOK, `^$`},
		{"only comments", bytes.Repeat([]byte("# x86_64 1\n"), n/11), exitOK, `^$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "in")
			if err := os.WriteFile(path, tc.input, 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"run", "--input", path, prog}
			o, e, code := hostileRun(t, nil, args...)
			hostileCheck(t, args, o, e, code, tc.code, path, tc.want)
		})
	}

	// pcap files.
	hdr := func(snap uint32) []byte {
		b := make([]byte, 24)
		binary.LittleEndian.PutUint32(b, 0xa1b2c3d4)
		binary.LittleEndian.PutUint16(b[4:], 2)
		binary.LittleEndian.PutUint16(b[6:], 4)
		binary.LittleEndian.PutUint32(b[16:], snap)
		binary.LittleEndian.PutUint32(b[20:], 1)
		return b
	}
	rec := func(caplen, orig uint32, data []byte) []byte {
		b := make([]byte, 16, 16+len(data))
		binary.LittleEndian.PutUint32(b[8:], caplen)
		binary.LittleEndian.PutUint32(b[12:], orig)
		return append(b, data...)
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	good := rec(4, 4, []byte{1, 2, 3, 4})
	for _, tc := range []struct {
		name string
		file []byte
		code int
		want string
	}{
		{"empty", nil, exitBad, `^%F: pcap: offset 0: file too short`},
		{"truncated header", hdr(65535)[:13], exitBad, `^%F: pcap: offset 13: file too short`},
		{"garbage", bytes.Repeat([]byte{0xde, 0xad}, 100), exitBad, `^%F: pcap: offset 0: not a pcap file`},
		{"pcapng", cat([]byte{0x0a, 0x0d, 0x0d, 0x0a}, make([]byte, 40)), exitBad, `^%F: pcap: offset 0: pcapng`},
		{"truncated record header", cat(hdr(65535), good, good[:9]), exitBad, `^%F: packet 2: pcap: offset 53: truncated record header`},
		{"truncated record", cat(hdr(65535), good[:18]), exitBad, `^%F: packet 1: pcap: offset 42: truncated packet data \(2 of 4 bytes\)`},
		{"absurd caplen", cat(hdr(65535), rec(1<<31, 1<<31, nil)), exitBad, `^%F: packet 1: pcap: offset 32: captured length 2147483648 is too large`},
		{"16 MB claimed, 8 there", cat(hdr(65535), rec(1<<24, 1<<24, make([]byte, 8))), exitBad, `^%F: packet 1: pcap: offset 48: truncated packet data \(8 of 16777216 bytes\)`},
		{"absurd wire length", cat(hdr(65535), rec(4, 0xffffffff, []byte{1, 2, 3, 4})), exitOK, `^$`},
		{"many empty records", cat(hdr(0), bytes.Repeat(rec(0, 0, nil), n/16)), exitOK, `^$`},
	} {
		t.Run("pcap "+tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "cap.pcap")
			if err := os.WriteFile(path, tc.file, 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"run", "--mode", "packet", "--pcap", path, prog}
			o, e, code := hostileRun(t, nil, args...)
			if tc.code == exitBad {
				o = "" // the packets before the bad one were run
			}
			hostileCheck(t, args, o, e, code, tc.code, path, tc.want)
		})
	}
}
