package asm

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/testenv"
)

// goldenCase is one program of the tcpdump corpus (testdata/tcpdump).
type goldenCase struct {
	id, link, expr string
}

func (c goldenCase) name() string { return c.id + "-" + c.link }

func loadGoldenCases(t *testing.T) []goldenCase {
	t.Helper()
	f, err := os.Open("testdata/tcpdump/cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []goldenCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, " ", 3)
		if len(parts) != 3 {
			t.Fatalf("cases.txt: bad line %q", line)
		}
		cases = append(cases, goldenCase{parts[0], parts[1], parts[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 70 {
		t.Fatalf("cases.txt lists %d programs, want at least 70", len(cases))
	}
	return cases
}

func readGoldenFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/tcpdump", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fmtRoundTrip writes prog in f and reads it back.
func fmtRoundTrip(prog []bpf.RawInstruction, f Format) ([]bpf.RawInstruction, []byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, prog, f); err != nil {
		return nil, nil, err
	}
	got, err := Read("roundtrip", buf.Bytes(), f)
	return got, buf.Bytes(), err
}

// TestTcpdumpGolden checks every program of the corpus: our -d text is
// tcpdump's, byte for byte, and the program survives every lossless format.
func TestTcpdumpGolden(t *testing.T) {
	cases := loadGoldenCases(t)
	var sawLong bool
	for _, c := range cases {
		t.Run(c.name(), func(t *testing.T) {
			ddd := readGoldenFile(t, c.name()+".ddd")
			wantD := readGoldenFile(t, c.name()+".d")
			prog, err := Read(c.name()+".ddd", ddd, DDD)
			if err != nil {
				t.Fatalf("%s: %v", c.expr, err)
			}
			if len(prog) > 256 {
				sawLong = true
			}
			if f := Detect(ddd); f != DDD {
				t.Errorf("Detect(ddd) = %s", f)
			}
			if f := Detect(wantD); f != Tcpdump {
				t.Errorf("Detect(tcpdump -d) = %s", f)
			}
			var buf bytes.Buffer
			if err := Write(&buf, prog, Tcpdump); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(wantD), buf.String()); diff != "" {
				t.Errorf("%s: Write(Tcpdump) differs from tcpdump -d (-tcpdump +ours):\n%s", c.expr, diff)
			}
			buf.Reset()
			if err := Write(&buf, prog, DDD); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(ddd), buf.String()); diff != "" {
				t.Errorf("%s: Write(DDD) differs from tcpdump -ddd:\n%s", c.expr, diff)
			}
			fromD, err := Read(c.name()+".d", wantD, Tcpdump)
			if err != nil {
				t.Fatalf("reading tcpdump -d text: %v", err)
			}
			// tcpdump -d drops the fields an instruction does not use.
			canon := fmtCanonical(prog)
			if diff := cmp.Diff(canon, fromD); diff != "" {
				t.Errorf("Read(Tcpdump) of tcpdump -d differs from -ddd:\n%s", diff)
			}
			for _, f := range []Format{Raw, RawBE, DDD, XT, C, Go, Tcpdump} {
				got, text, err := fmtRoundTrip(prog, f)
				if err != nil {
					t.Errorf("%s: round trip: %v\n%s", f, err, text)
					continue
				}
				want := prog
				if f == Tcpdump {
					want = canon
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: round trip differs:\n%s", f, diff)
				}
				if d := Detect(text); d != f && !(f == RawBE && d == Raw) {
					t.Errorf("Detect(%s output) = %s", f, d)
				}
			}
			for _, f := range []Format{Pseudo, Dot} {
				if err := Write(new(bytes.Buffer), prog, f); err != nil {
					t.Errorf("Write(%s): %v", f, err)
				}
			}
		})
	}
	if !sawLong {
		t.Errorf("the corpus has no program longer than 256 instructions (long jumps)")
	}
}

// TestTcpdumpGoldenAsm round-trips the corpus through the bpf_asm text of
// Disassemble and Assemble.
func TestTcpdumpGoldenAsm(t *testing.T) {
	for _, c := range loadGoldenCases(t) {
		prog, err := Read(c.name(), readGoldenFile(t, c.name()+".ddd"), DDD)
		if err != nil {
			t.Fatal(err)
		}
		got, text, err := fmtRoundTrip(prog, Asm)
		if err != nil {
			t.Fatalf("%s (%s): %v\n%s", c.name(), c.expr, err, text)
		}
		if diff := cmp.Diff(prog, got); diff != "" {
			t.Fatalf("%s (%s): asm round trip differs:\n%s", c.name(), c.expr, diff)
		}
	}
}

// fmtCanonical zeroes what tcpdump -d does not print: jt and jf except in
// conditional jumps, k where the operand does not show it (tax, txa, neg,
// ret a, #pktlen, x operands), and all but the opcode of an unknown one.
func fmtCanonical(prog []bpf.RawInstruction) []bpf.RawInstruction {
	out := make([]bpf.RawInstruction, len(prog))
	for i, ins := range prog {
		op, known := tcpdumpOps[opcode.Op(ins.Op)]
		cond := opcode.Op(ins.Op).IsCondJump()
		if !cond {
			ins.Jt, ins.Jf = 0, 0
		}
		if !known || op.kind == pkNone || op.kind == pkPktLen || op.kind == pkX {
			ins.K = 0
		}
		out[i] = ins
	}
	return out
}

// fmtNeedTool finds a program the tests need. CI has it installed: there a
// missing tool fails the test instead of skipping it.
func fmtNeedTool(t *testing.T, name string) string { t.Helper(); return testenv.Tool(t, name) }

// fmtEmptyPcap is a capture file with no packets, of the given link type.
func fmtEmptyPcap(t *testing.T, linktype uint32) string {
	t.Helper()
	hdr := []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0,
		byte(linktype), byte(linktype >> 8), byte(linktype >> 16), byte(linktype >> 24)}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("lt%d.pcap", linktype))
	if err := os.WriteFile(path, hdr, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTcpdumpLive asks the installed tcpdump about expressions that are not
// in the corpus, so the comparison cannot go stale.
func TestTcpdumpLive(t *testing.T) {
	tcpdump := fmtNeedTool(t, "tcpdump")
	for _, tc := range []struct {
		linktype uint32
		expr     string
	}{
		{1, "tcp port 12345 and host 203.0.113.9"},
		{1, "udp[8:4] & 0xff00ff00 = 0x11002200 or ip6 net 2001:db8:1::/48"},
		{113, "icmp and ip[1] > 3 and len % 7 = 1"},
		{101, "tcp[((tcp[12] & 0xf0) >> 2)] = 0x16"},
		{1, "vlan 7 and (ip[6:2] & 0x1fff) * 8 > 1400"},
		{0, "vlan 12 and ifindex 1 and udp[8] ^ 0x5a = 3"},
	} {
		// Link type 0 compiles for the live loopback device, which on
		// Linux brings in the ancillary loads; that needs root, as on CI.
		src := []string{"-i", "lo"}
		if tc.linktype != 0 {
			src = []string{"-r", fmtEmptyPcap(t, tc.linktype)}
		} else if os.Geteuid() != 0 {
			t.Logf("not root: skipping live capture device for %q", tc.expr)
			continue
		}
		run := func(flag string) []byte {
			cmd := exec.Command(tcpdump, append(src, flag, "--", tc.expr)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("tcpdump %s %q: %v\n%s", flag, tc.expr, err, stderr.String())
			}
			return out
		}
		ddd, d, dd := run("-ddd"), run("-d"), run("-dd")
		prog, err := Read("tcpdump", ddd, "")
		if err != nil {
			t.Fatalf("%q: %v", tc.expr, err)
		}
		for _, want := range []struct {
			f    Format
			text []byte
		}{{Tcpdump, d}, {C, dd}, {DDD, ddd}} {
			var buf bytes.Buffer
			if err := Write(&buf, prog, want.f); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want.text), buf.String()); diff != "" {
				t.Errorf("%q: Write(%s) differs from tcpdump:\n%s", tc.expr, want.f, diff)
			}
		}
		fromDD, err := Read("tcpdump-dd", dd, "")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(prog, fromDD); diff != "" {
			t.Errorf("%q: Read of tcpdump -dd differs:\n%s", tc.expr, diff)
		}
	}
}

// fmtBuildBpfDump compiles testdata/tcpdump/bpf_dump.c against libpcap: it
// prints any program with libpcap's own bpf_dump, the code behind tcpdump's
// -d, -dd and -ddd.
func fmtBuildBpfDump(t *testing.T) string {
	t.Helper()
	cc := fmtNeedTool(t, "cc")
	bin := filepath.Join(t.TempDir(), "bpf_dump")
	out, err := exec.Command(cc, "-O", "-o", bin, "testdata/tcpdump/bpf_dump.c", "-lpcap").CombinedOutput()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("building bpf_dump (needs libpcap-dev): %v\n%s", err, out)
		}
		t.Skipf("cannot build bpf_dump (libpcap-dev missing?): %v\n%s", err, out)
	}
	return bin
}

// fmtOracleProgram returns random instructions: every opcode libpcap names,
// stray opcodes, and k values at the edges (negative as int32, the Linux
// ancillary offsets).
func fmtOracleProgram(r *rand.Rand, n int) []bpf.RawInstruction {
	var codes []uint16
	for c := range tcpdumpOps {
		codes = append(codes, uint16(c))
	}
	ks := []uint32{0, 1, 12, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffff000, 0xfffff004, 0xfffff030,
		0xfffff03c, 0xfffff040, 0xfffff001, 0xffffefff, 1000000}
	prog := make([]bpf.RawInstruction, n)
	for i := range prog {
		ins := &prog[i]
		if r.Intn(8) == 0 {
			ins.Op = uint16(r.Intn(1 << 16))
		} else {
			ins.Op = codes[r.Intn(len(codes))]
		}
		if r.Intn(2) == 0 {
			ins.K = ks[r.Intn(len(ks))]
		} else {
			ins.K = r.Uint32() >> uint(r.Intn(32))
		}
		ins.Jt, ins.Jf = uint8(r.Intn(256)), uint8(r.Intn(256))
	}
	return prog
}

// TestBpfDumpOracle compares our tcpdump, C and ddd writers with libpcap's
// for programs no pcap expression produces.
func TestBpfDumpOracle(t *testing.T) {
	bin := fmtBuildBpfDump(t)
	r := rand.New(rand.NewSource(1))
	for round := 0; round < 20; round++ {
		prog := fmtOracleProgram(r, 200)
		for _, d := range bpfDumps(t, bin, prog) {
			if diff := cmp.Diff(d.libpcap, d.ours); diff != "" {
				t.Fatalf("round %d: Write(%s) differs from libpcap bpf_dump %s (-libpcap +ours):\n%s", round, d.f, d.flag, diff)
			}
		}
	}
}

// bpfDump is one program printed by libpcap's bpf_dump with one flag and
// by Write in the matching format.
type bpfDump struct {
	flag          string
	f             Format
	libpcap, ours string
}

// bpfDumps prints prog with bpf_dump -d, -dd and -ddd (the program given
// to it as -ddd text) and with Write(Tcpdump), Write(C) and Write(DDD).
func bpfDumps(t *testing.T, bin string, prog []bpf.RawInstruction) []bpfDump {
	t.Helper()
	var in bytes.Buffer
	if err := Write(&in, prog, DDD); err != nil {
		t.Fatal(err)
	}
	var out []bpfDump
	for _, d := range []bpfDump{{flag: "-d", f: Tcpdump}, {flag: "-dd", f: C}, {flag: "-ddd", f: DDD}} {
		cmd := exec.Command(bin, d.flag)
		cmd.Stdin = bytes.NewReader(in.Bytes())
		lib, err := cmd.Output()
		if err != nil {
			t.Fatalf("bpf_dump %s: %v", d.flag, err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, prog, d.f); err != nil {
			t.Fatal(err)
		}
		d.libpcap, d.ours = string(lib), buf.String()
		out = append(out, d)
	}
	return out
}

// TestBpfDumpEveryOpcode prints every 16-bit opcode, with k values at the
// edges, through libpcap's bpf_dump and through Write(Tcpdump): the two
// must agree line for line. TestBpfDumpOracle samples opcodes at random;
// this covers each of them.
func TestBpfDumpEveryOpcode(t *testing.T) {
	bin := fmtBuildBpfDump(t)
	ks := []uint32{0, 0xffffffff, 0x80000000, 0xfffff000, 0xfffff03c, 0xfffff028, 7}
	prog := make([]bpf.RawInstruction, 0, 1<<16)
	for op := range 1 << 16 {
		prog = append(prog, bpf.RawInstruction{Op: uint16(op), Jt: uint8(op), Jf: uint8(op >> 3), K: ks[op%len(ks)]})
	}
	for _, want := range bpfDumps(t, bin, prog) {
		wl, gl := strings.Split(want.libpcap, "\n"), strings.Split(want.ours, "\n")
		bad := 0
		for i := range min(len(wl), len(gl)) {
			if wl[i] != gl[i] {
				bad++
				if bad <= 10 {
					t.Errorf("%s line %d: libpcap %q, ours %q", want.flag, i, wl[i], gl[i])
				}
			}
		}
		if len(wl) != len(gl) {
			t.Errorf("%s: libpcap wrote %d lines, we wrote %d", want.flag, len(wl), len(gl))
		}
		if bad > 0 {
			t.Errorf("%s: %d lines differ", want.flag, bad)
		}
	}
	// And tcpdump -d text reads back to what it can hold.
	var d bytes.Buffer
	if err := Write(&d, prog, Tcpdump); err != nil {
		t.Fatal(err)
	}
	if _, err := Read("every.d", d.Bytes(), Tcpdump); err != nil {
		t.Errorf("reading our own tcpdump -d text back: %v", err)
	}
}
