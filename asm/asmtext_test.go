package asm

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/bpf"
)

var updateAsmGolden = flag.Bool("update-asm", false, "rewrite testdata/asm/*.golden")

// Each testdata/asm/NAME.in is assembled and disassembled; the text must
// equal NAME.golden and assemble back to the same program.
func TestDisassembleGolden(t *testing.T) {
	ins, err := filepath.Glob("testdata/asm/*.in")
	if err != nil || len(ins) == 0 {
		t.Fatalf("no testdata/asm/*.in (%v)", err)
	}
	for _, in := range ins {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := Assemble(in, src)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		var buf bytes.Buffer
		if err := Disassemble(&buf, prog); err != nil {
			t.Fatal(err)
		}
		golden := strings.TrimSuffix(in, ".in") + ".golden"
		if *updateAsmGolden {
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), buf.String()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", golden, diff)
		}
		back, err := Assemble(golden, buf.Bytes())
		if err != nil {
			t.Errorf("reassembling %s: %v", golden, err)
			continue
		}
		if diff := cmp.Diff(toRI(prog), toRI(back)); diff != "" {
			t.Errorf("%s does not reassemble to the program (-want +got):\n%s", golden, diff)
		}
	}
}

func TestInsnString(t *testing.T) {
	tests := []struct {
		ins  asmRI
		pc   int
		want string
	}{
		{asmRI{0x28, 0, 0, 12}, 0, "ldh [12]"},
		{asmRI{0x20, 0, 0, 0xfffff000}, 0, "ld #proto"},
		{asmRI{0x20, 0, 0, 0xfffff028}, 0, "ld [-4056]"},
		{asmRI{0x40, 0, 0, 4}, 0, "ld [x + 4]"},
		{asmRI{0xb1, 0, 0, 14}, 0, "ldxb 4*([14]&0xf)"},
		{asmRI{0x00, 0, 0, 0x800}, 0, "ld #0x800"},
		{asmRI{0x00, 0, 0, 59}, 0, "ld #59"},
		{asmRI{0x80, 0, 0, 0}, 0, "ld #len"},
		{asmRI{0x80, 0, 0, 1}, 0, ".insn 0x80, 0, 0, 0x1"},
		{asmRI{0x61, 0, 0, 15}, 0, "ldx M[15]"},
		{asmRI{0x02, 0, 0, 16}, 0, ".insn 0x02, 0, 0, 0x10"},
		{asmRI{0x0c, 0, 0, 0}, 0, "add x"},
		{asmRI{0x0c, 0, 0, 1}, 0, ".insn 0x0c, 0, 0, 0x1"},
		{asmRI{0x84, 0, 0, 0}, 0, "neg"},
		{asmRI{0x07, 0, 0, 0}, 0, "tax"},
		{asmRI{0x87, 0, 0, 0}, 0, "txa"},
		{asmRI{0x87, 0, 0, 9}, 0, ".insn 0x87, 0, 0, 0x9"},
		{asmRI{0x06, 0, 0, 0x7fff0000}, 0, "ret #0x7fff0000"},
		{asmRI{0x06, 0, 0, 65535}, 0, "ret #65535"},
		{asmRI{0x16, 0, 0, 0}, 0, "ret a"},
		{asmRI{0x05, 0, 0, 7}, 3, "ja L11"},
		{asmRI{0x05, 1, 0, 7}, 3, ".insn 0x05, 1, 0, 0x7"},
		{asmRI{0x15, 2, 0, 0x800}, 10, "jeq #0x800, L13"},
		{asmRI{0x15, 0, 2, 6}, 10, "jne #6, L13"},
		{asmRI{0x35, 0, 2, 6}, 10, "jlt #6, L13"},
		{asmRI{0x25, 0, 2, 6}, 10, "jle #6, L13"},
		{asmRI{0x45, 0, 2, 6}, 10, "jset #6, L11, L13"},
		{asmRI{0x1d, 1, 2, 0}, 10, "jeq x, L12, L13"},
		{asmRI{0x1d, 1, 2, 5}, 10, ".insn 0x1d, 1, 2, 0x5"},
		{asmRI{0x15, 255, 255, 0}, 0, "jeq #0, L256, L256"},
		{asmRI{0x55, 0, 0, 0}, 0, ".insn 0x55, 0, 0, 0x0"},
		{asmRI{0x0d, 0, 0, 0}, 0, ".insn 0x0d, 0, 0, 0x0"},
		{asmRI{0x115, 0, 0, 0}, 0, ".insn 0x115, 0, 0, 0x0"},
	}
	for _, tc := range tests {
		if got := InsnString(bpf.RawInstruction(tc.ins), tc.pc); got != tc.want {
			t.Errorf("InsnString(%v, %d) = %q, want %q", tc.ins, tc.pc, got, tc.want)
		}
	}
}

// Disassemble must never re-lay out a program: a jump beyond the end stays a
// raw .insn, and an already expanded long-jump program comes back as is.
func TestDisassembleNoRelayout(t *testing.T) {
	tests := []struct {
		name string
		prog []asmRI
		want string // substring of the text
	}{
		{"ja beyond end", []asmRI{{0x05, 0, 0, 5}, {0x06, 0, 0, 0}}, ".insn  0x05, 0, 0, 0x5"},
		{"ja to end", []asmRI{{0x05, 0, 0, 1}, {0x06, 0, 0, 0}}, ".insn  0x05, 0, 0, 0x1"},
		{"ja wrapping", []asmRI{{0x05, 0, 0, 0xffffffff}, {0x06, 0, 0, 0}}, ".insn  0x05, 0, 0, 0xffffffff"},
		{"jeq beyond end", []asmRI{{0x15, 0, 1, 0}, {0x06, 0, 0, 0}}, ".insn  0x15, 0, 1, 0x0"},
		{"last jeq falls off", []asmRI{{0x06, 0, 0, 0}, {0x15, 0, 0, 0}}, ".insn  0x15, 0, 0, 0x0"},
	}
	for _, tc := range tests {
		prog := make([]bpf.RawInstruction, len(tc.prog))
		for i, ins := range tc.prog {
			prog[i] = bpf.RawInstruction(ins)
		}
		text := asmRoundTrip(t, tc.name, prog)
		if !strings.Contains(text, tc.want) {
			t.Errorf("%s: text lacks %q:\n%s", tc.name, tc.want, text)
		}
	}
	// A program with trampolines, written and read back.
	src := "jeq #1, far\n" + strings.Repeat("add #1\n", 300) + "far: ret a\n"
	prog, err := Assemble("t.s", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(prog) != 303 {
		t.Fatalf("len %d, want 303", len(prog))
	}
	asmRoundTrip(t, "trampolined", prog)
}

func BenchmarkDisassemble(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	prog := make([]bpf.RawInstruction, 4096)
	for pc := range prog {
		prog[pc] = asmCleanInsn(r, pc, len(prog))
	}
	for b.Loop() {
		if err := Disassemble(io.Discard, prog); err != nil {
			b.Fatal(err)
		}
	}
}

// asmRoundTrip checks that Disassemble then Assemble gives prog back exactly,
// and returns the text.
func asmRoundTrip(t *testing.T, name string, prog []bpf.RawInstruction) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Disassemble(&buf, prog); err != nil {
		t.Fatalf("%s: Disassemble: %v", name, err)
	}
	back, err := Assemble(name, buf.Bytes())
	if err != nil {
		t.Fatalf("%s: reassembling: %v\n%s", name, err, buf.String())
	}
	if diff := cmp.Diff(toRI(prog), toRI(back)); diff != "" {
		t.Fatalf("%s: round trip (-want +got):\n%s\ntext:\n%s", name, diff, buf.String())
	}
	return buf.String()
}

// asmPlainOps lists every opcode that has a plain spelling.
var asmPlainOps = []uint16{
	0x00, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x60, 0x80,
	0x01, 0x61, 0x81, 0xb1, 0x02, 0x03,
	0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c,
	0x64, 0x6c, 0x74, 0x7c, 0x84, 0x94, 0x9c, 0xa4, 0xac,
	0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d,
	0x06, 0x0e, 0x16, 0x07, 0x87,
}

// asmCleanInsn makes a random instruction with the unused fields zero and jumps
// inside a program of length n, so that it has a plain spelling.
func asmCleanInsn(r *rand.Rand, pc, n int) bpf.RawInstruction {
	op := asmPlainOps[r.IntN(len(asmPlainOps))]
	ins := bpf.RawInstruction{Op: op, K: r.Uint32() >> r.IntN(33)}
	switch {
	case op == 0x60 || op == 0x61 || op == 0x02 || op == 0x03:
		ins.K %= 16
	case op == 0x80 || op == 0x81 || op == 0x84 || op == 0x16 || op == 0x0e || op == 0x07 || op == 0x87,
		op&0x07 == 0x04 && op&0x08 != 0, op&0x07 == 0x05 && op&0x08 != 0:
		ins.K = 0
	}
	if op&0x07 == 0x05 {
		room := n - pc - 1
		if room <= 0 {
			return bpf.RawInstruction{Op: 0x06}
		}
		if op == 0x05 {
			ins.K = uint32(r.IntN(room))
		} else {
			ins.Jt = uint8(r.IntN(min(room, 256)))
			ins.Jf = uint8(r.IntN(min(room, 256)))
		}
	}
	return ins
}

func TestRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 400 {
		n := 1 + r.IntN(300)
		if i%50 == 0 {
			n = 1 + r.IntN(4096)
		}
		prog := make([]bpf.RawInstruction, n)
		clean := i%2 == 0
		for pc := range prog {
			switch {
			case clean:
				prog[pc] = asmCleanInsn(r, pc, n)
			case r.IntN(3) == 0: // anything at all, mostly invalid
				prog[pc] = bpf.RawInstruction{Op: uint16(r.Uint32() >> r.IntN(17)), Jt: uint8(r.Uint32()), Jf: uint8(r.Uint32()), K: r.Uint32() >> r.IntN(33)}
			default: // plain, with a stray field now and then
				ins := asmCleanInsn(r, pc, n)
				switch r.IntN(8) {
				case 0:
					ins.K = r.Uint32()
				case 1:
					ins.Jt = uint8(r.Uint32())
				case 2:
					ins.Jf = uint8(r.Uint32())
				}
				prog[pc] = ins
			}
		}
		text := asmRoundTrip(t, fmt.Sprintf("random%d", i), prog)
		if clean && strings.Contains(text, ".insn") {
			t.Fatalf("random%d: a plain program needed .insn:\n%s", i, text)
		}
	}
}

// tcpdump (libpcap's compiler and optimizer) is an independent source of
// real programs.
var asmTcpdumpExprs = []string{
	"",
	"tcp",
	"udp port 53",
	"tcp port 80",
	"host 10.1.2.3",
	"net 192.168.0.0/16 and not port 22",
	"ip6",
	"icmp or icmp6",
	"arp",
	"vlan and tcp",
	"tcp[tcpflags] & (tcp-syn|tcp-fin) != 0",
	"ip[2:2] > 576",
	"ether host 01:02:03:04:05:06",
	"ip and len > 100 and len <= 1500",
	"portrange 1000-2000",
	"ip6 and tcp dst port 443",
	"udp and (src port 67 or src port 68)",
	"ip[8] < 64 and ip[9] = 17",
	"ether broadcast or ether multicast",
	"tcp port 80 and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)",
	"ip proto 47 or ip6 proto 47",
	"mpls and ip",
	"(tcp[0:2] > 1024 and tcp[2:2] % 7 = 3) or udp[8:4] / 3 = 5",
}

func TestRoundTripTcpdump(t *testing.T) {
	if _, err := exec.LookPath("tcpdump"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("tcpdump is required in CI: %v", err)
		}
		t.Skip("tcpdump not installed")
	}
	for _, expr := range asmTcpdumpExprs {
		out, err := exec.Command("tcpdump", "-ddd", "-y", "EN10MB", expr).Output()
		if err != nil {
			t.Errorf("tcpdump -ddd %q: %v", expr, err)
			continue
		}
		prog, err := asmParseDDD(out)
		if err != nil {
			t.Errorf("tcpdump %q: %v", expr, err)
			continue
		}
		text := asmRoundTrip(t, "tcpdump "+expr, prog)
		if strings.Contains(text, ".insn") {
			t.Logf("tcpdump %q needed .insn:\n%s", expr, text)
		}
	}
}

// asmParseDDD reads tcpdump -ddd output: a count, then "code jt jf k"
// lines. It is kept separate from the package's own DDD reader.
func asmParseDDD(out []byte) ([]bpf.RawInstruction, error) {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	n, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || n != len(lines)-1 {
		return nil, fmt.Errorf("bad count line %q for %d lines", lines[0], len(lines)-1)
	}
	prog := make([]bpf.RawInstruction, n)
	for i, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 4 {
			return nil, fmt.Errorf("bad line %q", l)
		}
		var v [4]uint64
		for j := range f {
			if v[j], err = strconv.ParseUint(f[j], 10, 32); err != nil {
				return nil, err
			}
		}
		prog[i] = bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: uint32(v[3])}
	}
	return prog, nil
}

// Every opcode with a few field patterns: the text must round-trip, and the
// opcodes written plainly (with the unused fields zero) must be exactly the
// ones bpf_asm can spell.
func TestEveryOpcode(t *testing.T) {
	fields := []asmRI{{0, 0, 0, 0}, {0, 0, 0, 1}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 2, 3, 0xffffffff}, {0, 0, 0, 16}}
	plain := map[uint16]bool{}
	for op := 0; op < 0x200; op++ {
		for _, f := range fields {
			ins := bpf.RawInstruction{Op: uint16(op), Jt: f.Jt, Jf: f.Jf, K: f.K}
			prog := []bpf.RawInstruction{ins, {Op: 0x06}, {Op: 0x06}, {Op: 0x06}, {Op: 0x06}}
			text := asmRoundTrip(t, fmt.Sprintf("op %#x", op), prog)
			if f == (asmRI{}) && !strings.Contains(text, ".insn") {
				plain[uint16(op)] = true
			}
		}
	}
	want := map[uint16]bool{}
	for _, op := range asmPlainOps {
		want[op] = true
	}
	if diff := cmp.Diff(want, plain); diff != "" {
		t.Errorf("opcodes with a plain spelling (-want +got):\n%s", diff)
	}
}
