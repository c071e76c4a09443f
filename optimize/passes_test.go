package optimize

import (
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/verify"
)

// onePass lifts src, runs one pass once, and returns the program laid out
// again, and whether the pass reported a change.
func onePass(t *testing.T, src string, mode Mode, run func(*graph) bool) (string, bool) {
	t.Helper()
	prog, err := asm.Assemble("t.asm", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !verify.Valid(prog, mode) {
		t.Fatalf("test program invalid: %v", verify.KernelCheck(prog, mode))
	}
	g, err := lift(prog, mode)
	if err != nil {
		t.Fatal(err)
	}
	w := g.weight()
	changed := run(g)
	if changed && g.weight() >= w {
		t.Errorf("weight %d -> %d", w, g.weight())
	}
	out, _, err := g.layout()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := differential(prog, out, mode, Options{Inputs: 2000}); err != nil {
		t.Fatal(err)
	}
	return opcode.Program(out).String(), changed
}

func TestPasses(t *testing.T) {
	for _, c := range []struct {
		name string
		mode Mode
		run  func(*graph) bool
		src  string
		want string // the program after, one instruction a line
	}{
		{"thread: range decides", Seccomp, threadJumps,
			"ld [0]\njgt #10, a\nld [0]\njeq #20, a, b\na: ret #1\nb: ret #2\n",
			"ld [0]; jgt #10, L3; ret #2; ret #1"},
		{"thread: jset all ones is not always true", Seccomp, threadJumps,
			"ld [16]\njset #0xffffffff, a, b\na: ret #1\nb: ret #2\n",
			"ld [16]; jset #0xffffffff, L3; ret #2; ret #1"},
		{"thread: jset decided by a jeq", Seccomp, threadJumps,
			"ld [16]\njeq #0, z\nret #3\nz: jset #0xffffffff, a, b\na: ret #1\nb: ret #2\n",
			"ld [16]; jeq #0, L3; ret #3; ret #2"},
		{"thread: reload skipped", Packet, threadJumps,
			"ldh [12]\njeq #0x800, a\nldh [12]\njeq #0x806, a\nret #0\na: ret #1\n",
			"ldh [12]; jeq #0x800, L4; jeq #0x806, L4; ret #0; ret #1"},
		{"thread: same targets", Seccomp, threadJumps,
			"ld [0]\njeq #1, a, a\na: ret #1\n",
			"ret #1"}, // and ld [0], whose A nothing reads, is skipped
		{"thread: jeq x on the value X holds", Seccomp, threadJumps,
			"ld [0]\ntax\nld [16]\nst M[0]\nld [0]\njeq x, a, b\na: ld M[0]\nret a\nb: ret #2\n",
			"ld [0]; tax; ld [16]; ret a"},
		{"fold: constants and X operands", Packet, foldConstants,
			"ld #6\nadd #4\ntax\nldb [x + 14]\nlsh x\nret a\n",
			"ld #6; ld #10; ldx #10; ldb [24]; lsh #10; ret a"},
		{"fold: division by X = 0", Packet, foldConstants,
			"ldx #0\nld [0]\ndiv x\nret a\n",
			"ldx #0; ld [0]; ret #0"},
		{"dead code: stores nothing reads", Seccomp, dropDeadCode,
			"ld [0]\nst M[0]\nst M[1]\nld M[1]\nret a\n",
			"ld [0]; st M[1]; ld M[1]; ret a"},
		{"dead code: packet loads that may fail stay", Packet, dropDeadCode,
			"ldb [100]\nld #1\nret a\n",
			"ldb [100]; ld #1; ret a"},
		{"dead code: packet loads proven in bounds go", Packet, dropDeadCode,
			"ld [10]\nldb [12]\nld #1\nret a\n",
			"ld [10]; ld #1; ret a"},
		{"merge tails: returns", Seccomp, mergeTails,
			"ld [0]\njeq #1, a\njeq #2, b, c\na: ret #5\nb: ret #5\nc: ret #6\n",
			"ld [0]; jeq #1, L4; jeq #2, L4; ret #6; ret #5"},
		{"and to jset", Packet, andToJset,
			"ldb [14]\nand #1\njeq #0, a, b\na: ret #0\nb: ret #1\n",
			"ldb [14]; jset #1, L3; ret #0; ret #1"},
		{"and to jset: A still read", Packet, andToJset,
			"ldb [14]\nand #1\njeq #0, a, b\na: ret #0\nb: ret a\n",
			"ldb [14]; and #1; jeq #0, L4; ret a; ret #0"},
		{"and to jset: sub x; jeq #0", Packet, andToJset,
			"ldb [14]\ntax\nldb [15]\nsub x\njeq #0, a, b\na: ret #0\nb: ret #1\n",
			"ldb [14]; tax; ldb [15]; jeq x, L5; ret #1; ret #0"},
		{"and to jset: add #k; jeq #c", Packet, andToJset,
			"ldb [14]\nadd #3\njeq #10, a, b\na: ret #0\nb: ret #1\n",
			"ldb [14]; jeq #7, L3; ret #1; ret #0"},
		{"group tests: an or of two values", Packet, groupTests,
			"ldh [54]\njeq #1, t\nldh [56]\njeq #1, t\nldh [54]\njeq #2, t\nldh [56]\njeq #2, t\nldh [54]\njeq #3, t\nret #0\nt: ret #1\n",
			"ldh [54]; jeq #1, L9; ldh [56]; jeq #1, L9; jeq #2, L9; ldh [54]; jeq #2, L9; jeq #3, L9; ret #0; ret #1"},
		{"group tests: not in seccomp mode", Seccomp, groupTests,
			"ld [16]\njeq #1, t\nld [24]\njeq #1, t\nld [16]\njeq #2, t\nld [24]\njeq #2, t\nret #0\nt: ret #1\n",
			"ld [16]; jeq #1, L9; ld [24]; jeq #1, L9; ld [16]; jeq #2, L9; ld [24]; jeq #2, L9; ret #0; ret #1"},
		{"fold offsets", Packet, foldOffsets,
			"ldxb 4*([14]&0xf)\nld #8\nadd x\ntax\nldh [x + 14]\nret a\n",
			"ldxb 4*([14]&0xf); ldh [x + 22]; ret a"},
		{"fold offsets: X read after", Packet, foldOffsets,
			"ldxb 4*([14]&0xf)\nld #8\nadd x\ntax\nldh [x + 14]\nadd x\nret a\n",
			"ldxb 4*([14]&0xf); ld #8; add x; tax; ldh [x + 14]; add x; ret a"},
	} {
		got, _ := onePass(t, c.src, c.mode, c.run)
		got = strings.TrimSpace(got)
		var lines []string
		for _, l := range strings.Split(got, "\n") {
			lines = append(lines, l[strings.Index(l, ": ")+2:])
		}
		if g := strings.Join(lines, "; "); g != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, g, c.want)
		}
	}
}
