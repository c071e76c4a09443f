package asm

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/opcode"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/net/bpf"
)

// kernelOpcodes are the codes the kernel's classic BPF checker accepts
// (net/core/filter.c, chk_code_allowed); every other code is rejected.
var kernelOpcodes = []uint16{
	0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x94, 0x9c, // add sub mul div mod, K and X
	0x54, 0x5c, 0x44, 0x4c, 0xa4, 0xac, 0x64, 0x6c, 0x74, 0x7c, // and or xor lsh rsh
	0x84,                               // neg
	0x20, 0x28, 0x30, 0x40, 0x48, 0x50, // ld abs, ind: w h b
	0x80, 0x00, 0x60, // ld len, imm, mem
	0x81, 0x01, 0xb1, 0x61, // ldx len, imm, msh, mem
	0x02, 0x03, 0x07, 0x87, 0x06, 0x16, // st stx tax txa ret k, ret a
	0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, // ja, jeq jgt jge jset: K and X
}

// kUnused reports whether the kernel ignores k of a code it accepts.
func kUnused(op uint16) bool {
	switch op {
	case 0x80, 0x81, 0x84, 0x07, 0x87, 0x16:
		return true
	}
	return op&0x07 == 0x04 && op&0x08 != 0 || op&0x07 == 0x05 && op&0xf0 != 0 && op&0x08 != 0
}

// condJump reports whether op is a conditional jump, whose jt and jf count.
func condJump(op uint16) bool { return op&0x07 == 0x05 && op&0xf0 != 0 }

// rtProgram returns n random instructions: codes the kernel accepts, those
// codes with a stray bit, and any 16-bit code; jt, jf and k zero, small, or
// anything.
func rtProgram(r *rand.Rand, n int) []bpf.RawInstruction {
	field := func(max uint32) uint32 {
		switch r.Intn(4) {
		case 0, 1:
			return 0
		case 2:
			return uint32(r.Intn(4))
		}
		return uint32(r.Int63()) & max
	}
	prog := make([]bpf.RawInstruction, n)
	for i := range prog {
		op := kernelOpcodes[r.Intn(len(kernelOpcodes))]
		switch r.Intn(6) {
		case 0:
			op ^= 1 << r.Intn(16) // a stray bit: neg with X, size bits on tax, ...
		case 1:
			op = uint16(r.Intn(1 << 16))
		}
		prog[i] = bpf.RawInstruction{Op: op, Jt: uint8(field(0xff)), Jf: uint8(field(0xff)), K: field(0xffffffff)}
	}
	return prog
}

// TestRoundTripEveryFormat: a program written in a readable format reads
// back identical, except for the instructions Dropped reports, which read
// back as reported (and differ, in exactly the fields reported). The
// write-only listings print every field the kernel ignores that is set.
func TestRoundTripEveryFormat(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	firejail := []bpf.RawInstruction{{Op: 0x20, K: 4}, {Op: 0x15, Jt: 1, K: 0xc000003e}, {Op: 0x06, K: 0}, {Op: 0x06, Jf: 1, K: 0x50001}}
	progs := [][]bpf.RawInstruction{firejail}
	for range 200 {
		progs = append(progs, rtProgram(r, 1+r.Intn(40)))
	}
	sawDrop := false
	for _, prog := range progs {
		for _, f := range Formats() {
			var buf bytes.Buffer
			if err := Write(&buf, prog, f); err != nil {
				t.Fatalf("Write(%s): %v", f, err)
			}
			drops, total := Dropped(prog, f, -1)
			if total != len(drops) {
				t.Errorf("Dropped(%s) counts %d, lists %d", f, total, len(drops))
			}
			if first, n := Dropped(prog, f, 2); n != total || !cmp.Equal(first, drops[:min(2, total)], cmpopts.EquateEmpty()) {
				t.Errorf("Dropped(%s, 2) = %v, %d; want the first of %v", f, first, n, drops)
			}
			if !f.Readable() {
				if drops != nil {
					t.Errorf("Dropped(%s) = %v, want nil: the listing prints what it does not show", f, drops)
				}
				rtCheckListing(t, f, prog, buf.String())
				continue
			}
			got, err := Read("rt", buf.Bytes(), f)
			if err != nil {
				t.Fatalf("Read(%s) of our own output: %v\n%s", f, err, buf.Bytes())
			}
			want := append([]bpf.RawInstruction(nil), prog...)
			last := -1
			for _, d := range drops {
				sawDrop = true
				if d.PC <= last || d.PC >= len(prog) || d.Insn != prog[d.PC] || d.Read == d.Insn {
					t.Fatalf("%s: bad drop %+v", f, d)
				}
				last = d.PC
				want[d.PC] = d.Read
				if fs := d.Fields(); fs == "" || (d.Insn.Jt != d.Read.Jt) != strings.Contains(fs, "jt=") ||
					(d.Insn.Jf != d.Read.Jf) != strings.Contains(fs, "jf=") || (d.Insn.K != d.Read.K) != strings.Contains(fs, "k=") {
					t.Errorf("%s: drop %+v names fields %q", f, d, fs)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s: read back differs from what Dropped says (-want +got):\n%s\n%s", f, diff, buf.Bytes())
			}
			// tcpdump loses exactly what the kernel ignores, and all
			// but the opcode of an unknown opcode.
			if f == Tcpdump {
				for i, ins := range prog {
					rt := got[i]
					lostJ := rt.Jt != ins.Jt || rt.Jf != ins.Jf
					if lostJ && condJump(ins.Op) || rt.Op != ins.Op {
						t.Errorf("tcpdump lost the jump offsets or opcode of %+v", ins)
					}
					if rt.K != ins.K && tcpdumpOpsKnown(ins.Op) && !kUnused(ins.Op) {
						t.Errorf("tcpdump lost k of %+v, which the kernel uses", ins)
					}
				}
			}
		}
	}
	if !sawDrop {
		t.Error("no program had a field tcpdump drops: the generator is too tame")
	}
}

func tcpdumpOpsKnown(op uint16) bool { _, ok := tcpdumpOps[opcode.Op(op)]; return ok }

// rtCheckListing checks that a pseudo or dot listing shows every field set
// that the kernel ignores, on the instruction's line.
func rtCheckListing(t *testing.T, f Format, prog []bpf.RawInstruction, text string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	for i, ins := range prog {
		var line string
		switch f {
		case Pseudo:
			line = lines[1+i] // after the header line
		case Dot:
			tag := fmt.Sprintf("(%03d) ", i)
			at := strings.Index(text, tag)
			if at < 0 {
				t.Fatalf("dot: no line for instruction %d", i)
			}
			line, _, _ = strings.Cut(text[at:], `\l`)
		}
		var want []string
		if !condJump(ins.Op) {
			if ins.Jt != 0 {
				want = append(want, fmt.Sprintf("jt=%d", ins.Jt))
			}
			if ins.Jf != 0 {
				want = append(want, fmt.Sprintf("jf=%d", ins.Jf))
			}
		}
		if ins.K != 0 && kUnused(ins.Op) {
			want = append(want, fmt.Sprintf("k=0x%x", ins.K))
		}
		for _, w := range want {
			if !strings.Contains(line, w) {
				t.Errorf("%s: the line of %+v does not show %s: %q", f, ins, w, line)
			}
		}
	}
}

// TestFirejailTail: firejail's default filter ends with a ret whose jf is
// 1. tcpdump -d text cannot show it: Dropped says so; asm keeps it.
func TestFirejailTail(t *testing.T) {
	prog := []bpf.RawInstruction{{Op: 0x06, Jf: 1, K: 0x50001}}
	drops, _ := Dropped(prog, Tcpdump, -1)
	if len(drops) != 1 || drops[0].Fields() != "jf=1" || drops[0].Read != (bpf.RawInstruction{Op: 0x06, K: 0x50001}) {
		t.Errorf("Dropped(tcpdump) = %+v, want jf=1 of instruction 0", drops)
	}
	for _, f := range []Format{Asm, DDD, XT, C, Go, Raw, RawBE} {
		if d, n := Dropped(prog, f, -1); d != nil || n != 0 {
			t.Errorf("Dropped(%s) = %v", f, d)
		}
		got, text, err := fmtRoundTrip(prog, f)
		if err != nil || !cmp.Equal(prog, got) {
			t.Errorf("%s: %v %v\n%s", f, got, err, text)
		}
	}
}
