package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cbpfkit/cbpf/diag"
	"github.com/cbpfkit/cbpf/internal/pcap"
)

const runFilter = `ld [4]
jne #0xc000003e, kill
ld [0]
jne #39, allow
ld [16]
jeq #7, allow
ret #0x50001
allow: ret #0x7fff0000
kill: ret #0x80000000
`

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunSeccomp(t *testing.T) {
	prog := writeTemp(t, "f.asm", []byte(runFilter))
	tests := []struct {
		name, stdin, out, errOut string
		code                     int
		args                     []string
	}{
		{"allow, errno, kill", "x86_64 39\n# comment\n\n  x86_64 1\ni386 39\nx86_64 39 7\n0xc000003e 39 -1\n3221225534 0x27\n",
			"0x00050001 ERRNO(1) insns=7\n0x7fff0000 ALLOW insns=5\n0x80000000 KILL_PROCESS insns=3\n0x7fff0000 ALLOW insns=7\n0x00050001 ERRNO(1) insns=7\n0x00050001 ERRNO(1) insns=7\n", "", exitOK, nil},
		{"negative nr is 32-bit", "x86_64 -1\n", "0x7fff0000 ALLOW insns=5\n", "", exitOK, nil},
		{"bad number", "x86_64 39\nx86_64 39 1 zz\n", "0x00050001 ERRNO(1) insns=7\n", "<stdin>:2:13: A1: bad number", exitBad, nil},
		{"bad arch", "vax 1\n", "", "<stdin>:1:1: unknown arch", exitBad, nil},
		{"missing nr", "x86_64\n", "", "<stdin>:1:7: ", exitBad, nil},
		{"nr too big", "x86_64 0x100000000\n", "", "<stdin>:1:8: NR: bad number", exitBad, nil},
		{"too many fields", "x86_64 1 2 3 4 5 6 7 8 9\n", "", "<stdin>:1:24: too many fields", exitBad, nil},
		{"trace", "x86_64 1\n", "     0: ld [4]                           A=0xc000003e X=0x00000000\n" +
			"     1: jne #0xc000003e, L8              A=0xc000003e X=0x00000000\n" +
			"     2: ld [0]                           A=0x00000001 X=0x00000000\n" +
			"     3: jne #39, L7                      A=0x00000001 X=0x00000000\n" +
			"     7: ret #0x7fff0000                  A=0x00000001 X=0x00000000\n" +
			"0x7fff0000 ALLOW insns=5\n", "", exitOK, []string{"--trace"}},
		{"bad mode", "", "", "unknown mode", exitUsage, []string{"--mode", "nope"}},
		{"pcap in seccomp mode", "", "", "--pcap needs --mode packet", exitUsage, []string{"--pcap", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run"}, tt.args...)
			args = append(args, prog)
			out, errOut, code := cli(t, tt.stdin, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if diff := cmp.Diff(tt.out, out); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if tt.errOut == "" && errOut != "" || !strings.Contains(errOut, tt.errOut) {
				t.Errorf("stderr %q, want it to contain %q", errOut, tt.errOut)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	bad := writeTemp(t, "bad.asm", []byte("ldb [0]\nret a\n"))
	if _, e, code := cli(t, "", "run", "--input", bad, bad); code != exitBad || !strings.Contains(e, "instruction 0") {
		t.Errorf("seccomp-invalid program: exit %d, stderr %q", code, e)
	}
	if _, _, code := cli(t, ""); code != exitUsage {
		t.Errorf("no args: exit %d", code)
	}
	if _, e, code := cli(t, "", "run"); code != exitUsage || !strings.Contains(e, "want one PROG") {
		t.Errorf("no PROG: exit %d, stderr %q", code, e)
	}
	if _, e, code := cli(t, "", "run", "-"); code != exitUsage || !strings.Contains(e, "both be stdin") {
		t.Errorf("PROG and inputs on stdin: exit %d, stderr %q", code, e)
	}
	if _, _, code := cli(t, "", "run", "/no/such/file"); code != exitUsage {
		t.Errorf("missing PROG file: exit %d", code)
	}
	if _, _, code := cli(t, "", "run", "--mode", "packet", bad); code != exitUsage {
		t.Errorf("packet mode without --pcap: exit %d", code)
	}
}

func TestRunPacket(t *testing.T) {
	// ldh [12] = ethertype; IPv4 returns len, others ldb [100] which is
	// out of bounds (fault: 0) unless the packet is long enough.
	prog := writeTemp(t, "p.asm", []byte("ldh [12]\njne #0x800, other\nld len\nret a\nother: ldb [20]\nret a\n"))
	var b bytes.Buffer
	w, err := pcap.NewWriter(&b, pcap.LinkTypeEthernet, 65535, true)
	if err != nil {
		t.Fatal(err)
	}
	ip := make([]byte, 40)
	ip[12] = 0x08
	arp := make([]byte, 30)
	arp[12], arp[13], arp[20] = 0x08, 0x06, 7
	w.Write(pcap.Record{Sec: 1, Data: ip, OrigLen: 1500}) // captured short: len is 1500
	w.Write(pcap.Record{Sec: 2, Data: arp})
	w.Write(pcap.Record{Sec: 3, Data: arp[:20]}) // ldb [20] out of bounds
	file := writeTemp(t, "in.pcap", b.Bytes())
	out, e, code := cli(t, "", "run", "--mode", "packet", "--pcap", file, prog)
	want := "1 1500 insns=4\n2 7 insns=4\n3 0 insns=3\n"
	if code != exitOK || e != "" {
		t.Errorf("exit %d, stderr %q", code, e)
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	// A truncated file: the good packets print, then an error with the
	// packet number and offset.
	trunc := writeTemp(t, "t.pcap", b.Bytes()[:b.Len()-5])
	out, e, code = cli(t, "", "run", "--mode", "packet", "--pcap", trunc, prog)
	if code != exitBad || out != "1 1500 insns=4\n2 7 insns=4\n" || !strings.Contains(e, "packet 3: pcap: offset") {
		t.Errorf("truncated pcap: exit %d, stdout %q, stderr %q", code, out, e)
	}
	notPcap := writeTemp(t, "x.pcap", []byte("hello, this is not a pcap file"))
	if _, e, code := cli(t, "", "run", "--mode", "packet", "--pcap", notPcap, prog); code != exitBad || !strings.Contains(e, "not a pcap file") {
		t.Errorf("not a pcap: exit %d, stderr %q", code, e)
	}
}

// TestRunSyscallNames: NR may be a name of the arch's table.
func TestRunSyscallNames(t *testing.T) {
	prog := writeTemp(t, "p.asm", []byte("ld [0]\njeq #41, yes, no\nyes: ret #0x7fff0000\nno: ret #0x50001\n"))
	out, e, code := cli(t, "x86_64 socket 2\naarch64 socket\nx86_64 41\n", "run", "-i", "asm", prog)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	want := "0x7fff0000 ALLOW insns=3\n0x00050001 ERRNO(1) insns=3\n0x7fff0000 ALLOW insns=3\n"
	if out != want {
		t.Errorf("got\n%swant\n%s", out, want)
	}
	if _, e, code := cli(t, "x86_64 sockett\n", "run", "-i", "asm", prog); code != exitBad || !strings.Contains(e, "<stdin>:1:8:") {
		t.Errorf("unknown name: exit %d, %q", code, e)
	}
}

// FuzzSeccompLine: any input line parses or fails at a column within it.
func FuzzSeccompLine(f *testing.F) {
	for _, s := range []string{"x86_64 39", "i386 read 1 2 3 4 5 6 7", "0xc000003e -1 -9223372036854775808", "# c", "x86_64 1 2 3 4 5 6 7 8 9", "x86_64 18446744073709551616"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		_, _, err := parseSeccompLine(line)
		if err == nil {
			return
		}
		ce, ok := err.(*diag.Error)
		if !ok || ce.Col < 1 || ce.Col > len(line)+1 || ce.Msg == "" || len(ce.Msg) > 300 {
			t.Fatalf("parseSeccompLine(%q) = %v", line, err)
		}
	})
}

// TestCallLines: the input lines of "cbpf run" and "cbpf policy --eval"
// take a trailing # comment and may be of any length (read with bounded
// memory: fieldScanner): a long field is an error at its position that
// quotes its start and gives its length, not bufio's "token too long".
func TestCallLines(t *testing.T) {
	prog := writePolicyTemp(t, "p.asm", "ld [0]\njeq #1, e1, e2\ne1: ret #0x50001\ne2: ret #0x50002\n")
	pol := writePolicyTemp(t, "p.policy", "default errno(2)\narch x86_64\nwrite: errno(1)\n")
	long := strings.Repeat(" ", 70000)
	for _, tc := range []struct {
		name, in string
		want     []string // the results, as errno values
		err      string
	}{
		{"comment", "x86_64 1 0 # write\n# alone\nx86_64 0 #0\n", []string{"1", "2"}, ""},
		{"long comment", "x86_64 1 # " + strings.Repeat("#x", 1<<20) + "\nx86_64 1\n", []string{"1", "1"}, ""},
		{"long blanks", "x86_64" + long + "1" + long + "7\n", []string{"1"}, ""},
		{"no newline", "x86_64 0\nx86_64 1", []string{"2", "1"}, ""},
		{"long line", "x86_64 1\nx86_64 1 " + strings.Repeat(" ", 3<<20) + "1\r\n", []string{"1", "1"}, ""},
		{"long number", "x86_64 1\nx86_64 1 " + strings.Repeat("9", 3<<20) + "\r\n", []string{"1"}, `<stdin>:2:10: A0: bad number "9999999999999999999999999999999999999999"... (3145728 bytes)`},
		{"long name", "x86_64 " + strings.Repeat("r", 300) + "\n", nil, `<stdin>:1:8: NR: bad number "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr"... (300 bytes)`},
		{"far fields", "x86_64 0 1 2 3 4 5 6 7" + strings.Repeat(" 8", 1<<20) + "\n", nil, "<stdin>:1:24: too many fields"},
		{"missing NR", "x86_64   \r\r\n", nil, "<stdin>:1:10: want ARCH NR"},
		{"CR inside", "x86_64 1\r2\n", nil, `<stdin>:1:8: NR: bad number "1\r2"`},
		{"bad after comment", "x86_64 1 # ok\nx86_64 1 zz # bad\n", []string{"1"}, `<stdin>:2:10: A0: bad number "zz"`},
	} {
		for _, cmd := range [][]string{{"run", "--input", "-", prog}, {"policy", "--eval", pol}} {
			out, e, code := cli(t, tc.in, cmd...)
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				if f := strings.Fields(l); len(f) > 1 {
					got = append(got, strings.TrimSuffix(strings.TrimPrefix(f[1], "ERRNO("), ")"))
				}
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("%s, %s: results %q, want %q (stderr %q)", tc.name, cmd[0], got, tc.want, e)
			}
			switch {
			case tc.err == "" && (code != exitOK || e != ""):
				t.Errorf("%s, %s: exit %d, stderr %q", tc.name, cmd[0], code, e)
			case tc.err != "" && (code != exitBad || !strings.HasPrefix(e, tc.err)):
				t.Errorf("%s, %s: exit %d, stderr %q, want %q", tc.name, cmd[0], code, e, tc.err)
			}
		}
	}
}
