package optimize

import (
	"encoding/binary"
	"math/rand/v2"
	"os"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// TestRegressions are programs on which optimizers (libpcap's among them)
// went wrong: each must come out equivalent (mustOptimize proves it).
func TestRegressions(t *testing.T) {
	for _, c := range []struct {
		name string
		mode Mode
		src  string
	}{
		// libpcap #1670 ("vxlan and arp"): a jump whose targets are one
		// was shortcut and the M[] stores before it dropped.
		{"stores before a jt == jf jump", Packet,
			"ldb [14]\nst M[1]\nldb [15]\njeq #1, a, a\na: ld M[1]\nret a\n"},
		{"stores on both sides of a join", Packet,
			"ldb [14]\njeq #1, a, b\na: ld #5\nst M[0]\nja c\nb: ld #6\nst M[0]\nc: ld M[0]\nret a\n"},
		// The store is redundant on one path only.
		{"store redundant on one path", Seccomp,
			"ld [0]\nst M[0]\njeq #1, a, b\na: ld [0]\nst M[0]\nja c\nb: ld [16]\nst M[0]\nc: ld M[0]\nret a\n"},
		// jset with all bits is A != 0, not always true (libpcap until 2026).
		{"jset all ones", Packet, "ldb [14]\njset #0xffffffff, a, b\na: ret #1\nb: ret #2\n"},
		// A load that reads past the end must stay, even when its value is
		// not used.
		{"dead packet load", Packet, "ldb [14]\nldb [1000]\nldb [14]\nret a\n"},
		// A redundant load after X changed A's history: tax/txa.
		{"txa between loads", Seccomp, "ld [0]\ntax\nld [16]\ntxa\nld [0]\njeq #1, a, b\na: ret #1\nb: ret a\n"},
		// Division by X = 0 ends the run with 0 in the kernel.
		{"division by X = 0", Packet, "ldx #0\nldb [14]\ndiv x\njeq #0, a, b\na: ret #1\nb: ret #2\n"},
		{"shift by X >= 32", Packet, "ldx #33\nld #1\nlsh x\nret a\n"},
		// Ancillary loads read A and X (A ^= X): not dead, not pure.
		{"ancillary nlattr", Packet, "ld #5\nldx #3\nld #nla\nld #proto\nld #proto\nadd x\nret a\n"},
	} {
		prog, err := asm.Assemble(c.name, []byte(c.src))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		out, _ := mustOptimize(t, prog, c.mode, Options{Inputs: 5000})
		t.Logf("%s: %d -> %d", c.name, len(prog), len(out))
	}
}

// TestIdempotentish: optimizing a result again finds little more (the
// passes reach a fixed point; layout may open a little).
func TestAgainFindsNothingBig(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 100; i++ {
		prog := progen.Program(r, progen.Packet, progen.Options{})
		out, _ := mustOptimize(t, prog, Packet, Options{})
		again, _ := mustOptimize(t, out, Packet, Options{})
		if len(again) > len(out) {
			t.Fatalf("second run longer: %d -> %d", len(out), len(again))
		}
	}
}

// FuzzOptimize: random program bytes; when the kernel would accept the
// program, the optimizer must return a valid, equivalent one.
func FuzzOptimize(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 20; i++ {
		mode := byte(i % 2)
		prog := progen.Program(r, progen.Mode(mode), progen.Options{Len: 1 + r.IntN(30)})
		f.Add(append([]byte{mode}, encode(prog)...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 9 {
			return
		}
		mode := Mode(data[0] & 1)
		var prog []bpf.RawInstruction
		for b := data[1:]; len(b) >= 8 && len(prog) < 300; b = b[8:] {
			prog = append(prog, bpf.RawInstruction{Op: binary.LittleEndian.Uint16(b), Jt: b[2], Jf: b[3], K: binary.LittleEndian.Uint32(b[4:])})
		}
		if !verify.Valid(prog, mode) {
			return
		}
		out, _, err := Program(prog, mode, Options{Prove: true, Inputs: 500, ProveTimeout: 200e6})
		if err != nil {
			t.Fatalf("%v\n%s", err, opcode.Program(prog))
		}
		if !verify.Valid(out, mode) {
			t.Fatalf("invalid result:\n%s", opcode.Program(out))
		}
	})
}

func encode(prog []bpf.RawInstruction) []byte {
	var b []byte
	for _, in := range prog {
		b = binary.LittleEndian.AppendUint16(b, in.Op)
		b = append(b, in.Jt, in.Jf)
		b = binary.LittleEndian.AppendUint32(b, in.K)
	}
	return b
}

// TestMutualLengthChecks (review): "ld [30]" was dropped because "ldh
// [32]" checks as far after it, and "ldh [32]" because "ld [30]" had
// proved it in bounds, in one sweep: nothing checked the length any more
// (a lossy thread past the dead "ldx #5" had kept threadJumps from
// dropping "ldh [32]" first). The second program is the same thing in a
// branch.
func TestMutualLengthChecks(t *testing.T) {
	for _, c := range []struct {
		src string
		pkt int
	}{
		{"ldx #5\nld [30]\nldh [32]\nret #1\n", 33},
		{"ldx #5\nldh [12]\njeq #0x86dd, v6, o\nv6: ld [1400]\nldb [1403]\nret #1\no: ret #0\n", 1403},
	} {
		prog, err := asm.Assemble("t.asm", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		out, _, err := Program(prog, Packet, Options{})
		if err != nil {
			t.Fatal(err)
		}
		pkt := make([]byte, c.pkt)
		binary.BigEndian.PutUint16(pkt[12:], 0x86dd)
		a, _ := vm.RunPacket(prog, pkt, nil)
		b, _ := vm.RunPacket(out, pkt, nil)
		if a.Ret != b.Ret {
			t.Errorf("%q on %d bytes: the input returns %d, the result %d:\n%s", c.src, c.pkt, a.Ret, b.Ret, opcode.Program(out))
		}
	}
}

// TestLayoutNotLongerThanInput (review): a random libseccomp filter
// (testdata/gen_libseccomp_random.py, seed 319) came back unchanged
// because layout preferred a candidate that ran fewer eBPF instructions
// but was longer than the input, which the guard then refused.
func TestLayoutNotLongerThanInput(t *testing.T) {
	data, err := os.ReadFile("testdata/libseccomp-random-319.bpf")
	if err != nil {
		t.Fatal(err)
	}
	f, err := asm.ParseFormat("raw")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := asm.Read("libseccomp-random-319.bpf", data, f)
	if err != nil {
		t.Fatal(err)
	}
	out, rep := mustOptimize(t, prog, Seccomp, Options{})
	if len(out) > 900 {
		t.Errorf("%d -> %d instructions (kept: %q); it was 829 before the layout preferred eBPF", len(prog), len(out), rep.Kept)
	}
}
