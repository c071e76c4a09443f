package asm

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/diag"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/bpf"
)

type asmRI bpf.RawInstruction

func toRI(prog []bpf.RawInstruction) []asmRI {
	out := make([]asmRI, len(prog))
	for i, ins := range prog {
		out[i] = asmRI(ins)
	}
	return out
}

// Expected encodings are written as numbers taken from the uapi headers, not
// from the constants of the package under test.
func TestAssembleForms(t *testing.T) {
	tests := []struct {
		src  string
		want asmRI
	}{
		{"ld #5", asmRI{0x00, 0, 0, 5}},
		{"ld #-1", asmRI{0x00, 0, 0, 0xffffffff}},
		{"ldi #0x10", asmRI{0x00, 0, 0, 16}},
		{"ldi 7", asmRI{0x00, 0, 0, 7}},
		{"ld #len", asmRI{0x80, 0, 0, 0}},
		{"ld len", asmRI{0x80, 0, 0, 0}},
		{"ld [12]", asmRI{0x20, 0, 0, 12}},
		{"ldh [12]", asmRI{0x28, 0, 0, 12}},
		{"ldb [23]", asmRI{0x30, 0, 0, 23}},
		{"ld [x + 4]", asmRI{0x40, 0, 0, 4}},
		{"ld [%x + 4]", asmRI{0x40, 0, 0, 4}},
		{"ldh [x+6]", asmRI{0x48, 0, 0, 6}},
		{"ldb [X + 0]", asmRI{0x50, 0, 0, 0}},
		{"ldb [-1048576]", asmRI{0x30, 0, 0, 0xfff00000}},
		{"ld M[3]", asmRI{0x60, 0, 0, 3}},
		{"ld m[15]", asmRI{0x60, 0, 0, 15}},
		{"ldx #0x80", asmRI{0x01, 0, 0, 0x80}},
		{"ldxi #3", asmRI{0x01, 0, 0, 3}},
		{"ldxi 3", asmRI{0x01, 0, 0, 3}},
		{"ldx #len", asmRI{0x81, 0, 0, 0}},
		{"ldx len", asmRI{0x81, 0, 0, 0}},
		{"ldx M[0]", asmRI{0x61, 0, 0, 0}},
		{"ldx 4*([14]&0xf)", asmRI{0xb1, 0, 0, 14}},
		{"ldxb 4*([14]&0xf)", asmRI{0xb1, 0, 0, 14}},
		{"ldxb 4 * ( [ 14 ] & 0xF )", asmRI{0xb1, 0, 0, 14}},
		{"st M[1]", asmRI{0x02, 0, 0, 1}},
		{"stx M[2]", asmRI{0x03, 0, 0, 2}},
		{"add #1", asmRI{0x04, 0, 0, 1}},
		{"add x", asmRI{0x0c, 0, 0, 0}},
		{"add %x", asmRI{0x0c, 0, 0, 0}},
		{"sub #1", asmRI{0x14, 0, 0, 1}},
		{"sub x", asmRI{0x1c, 0, 0, 0}},
		{"mul #3", asmRI{0x24, 0, 0, 3}},
		{"mul x", asmRI{0x2c, 0, 0, 0}},
		{"div #3", asmRI{0x34, 0, 0, 3}},
		{"div x", asmRI{0x3c, 0, 0, 0}},
		{"or #0x10", asmRI{0x44, 0, 0, 16}},
		{"or x", asmRI{0x4c, 0, 0, 0}},
		{"and #0xff", asmRI{0x54, 0, 0, 255}},
		{"and x", asmRI{0x5c, 0, 0, 0}},
		{"lsh #2", asmRI{0x64, 0, 0, 2}},
		{"lsh x", asmRI{0x6c, 0, 0, 0}},
		{"rsh #2", asmRI{0x74, 0, 0, 2}},
		{"rsh x", asmRI{0x7c, 0, 0, 0}},
		{"neg", asmRI{0x84, 0, 0, 0}},
		{"mod #7", asmRI{0x94, 0, 0, 7}},
		{"mod x", asmRI{0x9c, 0, 0, 0}},
		{"xor #1", asmRI{0xa4, 0, 0, 1}},
		{"xor x", asmRI{0xac, 0, 0, 0}},
		{"tax", asmRI{0x07, 0, 0, 0}},
		{"txa", asmRI{0x87, 0, 0, 0}},
		{"ret #0", asmRI{0x06, 0, 0, 0}},
		{"ret #-1", asmRI{0x06, 0, 0, 0xffffffff}},
		{"ret #0x7fff0000", asmRI{0x06, 0, 0, 0x7fff0000}},
		{"ret a", asmRI{0x16, 0, 0, 0}},
		{"ret %a", asmRI{0x16, 0, 0, 0}},
		{"ret x", asmRI{0x0e, 0, 0, 0}},
		{"RET A", asmRI{0x16, 0, 0, 0}},
		// Ancillary loads: SKF_AD_OFF (-0x1000) + SKF_AD_*.
		{"ld #proto", asmRI{0x20, 0, 0, 0xfffff000}},
		{"ld proto", asmRI{0x20, 0, 0, 0xfffff000}},
		{"ldh #proto", asmRI{0x28, 0, 0, 0xfffff000}},
		{"ldb #type", asmRI{0x30, 0, 0, 0xfffff004}},
		{"ld #type", asmRI{0x20, 0, 0, 0xfffff004}},
		{"ld #ifidx", asmRI{0x20, 0, 0, 0xfffff008}},
		{"ld #nla", asmRI{0x20, 0, 0, 0xfffff00c}},
		{"ld #nlan", asmRI{0x20, 0, 0, 0xfffff010}},
		{"ld #mark", asmRI{0x20, 0, 0, 0xfffff014}},
		{"ld #queue", asmRI{0x20, 0, 0, 0xfffff018}},
		{"ld #hatype", asmRI{0x20, 0, 0, 0xfffff01c}},
		{"ld #rxhash", asmRI{0x20, 0, 0, 0xfffff020}},
		{"ld #cpu", asmRI{0x20, 0, 0, 0xfffff024}},
		{"ld #vlan_tci", asmRI{0x20, 0, 0, 0xfffff02c}},
		{"ld #vlan_avail", asmRI{0x20, 0, 0, 0xfffff030}},
		{"ld #vlan_pr", asmRI{0x20, 0, 0, 0xfffff030}},
		{"ld #poff", asmRI{0x20, 0, 0, 0xfffff034}},
		{"ld #rand", asmRI{0x20, 0, 0, 0xfffff038}},
		{"ld #vlan_tpid", asmRI{0x20, 0, 0, 0xfffff03c}},
		// Numbers.
		{"ld #0", asmRI{0x00, 0, 0, 0}},
		{"ld #010", asmRI{0x00, 0, 0, 8}},
		{"ld #0b101", asmRI{0x00, 0, 0, 5}},
		{"ld #0XfF", asmRI{0x00, 0, 0, 255}},
		{"ld #4294967295", asmRI{0x00, 0, 0, 0xffffffff}},
		{"ld #-2147483648", asmRI{0x00, 0, 0, 0x80000000}},
		{"ld #+3", asmRI{0x00, 0, 0, 3}},
		// Raw escape.
		{".insn 0x07, 0, 0, 1", asmRI{0x07, 0, 0, 1}},
		{".INSN 0xffff, 255, 255, 0xffffffff", asmRI{0xffff, 255, 255, 0xffffffff}},
		{".insn 0x15, 3, 4, -1", asmRI{0x15, 3, 4, 0xffffffff}},
	}
	for _, tc := range tests {
		// A trailing "ret" keeps multi-instruction programs honest: only the
		// first instruction is compared.
		got, err := Assemble("t.s", []byte(tc.src+"\nret #0\n"))
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if diff := cmp.Diff(tc.want, asmRI(got[0])); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.src, diff)
		}
	}
}

func TestAssembleJumps(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []asmRI
	}{
		{"two targets", "jeq #5, a, b\nret #1\na: ret #2\nb: ret #3", []asmRI{{0x15, 1, 2, 5}, {0x06, 0, 0, 1}, {0x06, 0, 0, 2}, {0x06, 0, 0, 3}}},
		{"one target falls through", "jeq #5, b\nret #1\nb: ret #3", []asmRI{{0x15, 1, 0, 5}, {0x06, 0, 0, 1}, {0x06, 0, 0, 3}}},
		{"jneq one target", "jneq #5, b\nret #1\nb: ret #3", []asmRI{{0x15, 0, 1, 5}, {0x06, 0, 0, 1}, {0x06, 0, 0, 3}}},
		{"jne x", "jne x, b\nret #1\nb: ret #3", []asmRI{{0x1d, 0, 1, 0}, {0x06, 0, 0, 1}, {0x06, 0, 0, 3}}},
		{"jlt one target", "jlt #5, b\nret #1\nb: ret #3", []asmRI{{0x35, 0, 1, 5}, {0x06, 0, 0, 1}, {0x06, 0, 0, 3}}},
		{"jlt two targets", "jlt #5, a, b\nret #1\na: ret #2\nb: ret #3", []asmRI{{0x35, 2, 1, 5}, {0x06, 0, 0, 1}, {0x06, 0, 0, 2}, {0x06, 0, 0, 3}}},
		{"jle two targets", "jle x, a, b\nret #1\na: ret #2\nb: ret #3", []asmRI{{0x2d, 2, 1, 0}, {0x06, 0, 0, 1}, {0x06, 0, 0, 2}, {0x06, 0, 0, 3}}},
		{"jgt", "jgt #5, a, b\na: ret #2\nb: ret #3", []asmRI{{0x25, 0, 1, 5}, {0x06, 0, 0, 2}, {0x06, 0, 0, 3}}},
		{"jge x", "jge %x, b\nret #1\nb: ret #3", []asmRI{{0x3d, 1, 0, 0}, {0x06, 0, 0, 1}, {0x06, 0, 0, 3}}},
		{"jset", "jset #0x1fff, b, a\na: ret #2\nb: ret #3", []asmRI{{0x45, 1, 0, 0x1fff}, {0x06, 0, 0, 2}, {0x06, 0, 0, 3}}},
		{"ja and jmp", "ja b\njmp b\nb: ret #3", []asmRI{{0x05, 0, 0, 1}, {0x05, 0, 0, 0}, {0x06, 0, 0, 3}}},
		{"label on its own line", "jeq #1, b\nret #0\nb:\n\n  ret #1", []asmRI{{0x15, 1, 0, 1}, {0x06, 0, 0, 0}, {0x06, 0, 0, 1}}},
		{"two labels one instruction", "jeq #1, b, c\nb:\nc: ret #1", []asmRI{{0x15, 0, 0, 1}, {0x06, 0, 0, 1}}},
		{"comments", "# hash comment\n/* a\nblock */ ld #1 ; tail\n/**/ret a /* x */", []asmRI{{0x00, 0, 0, 1}, {0x16, 0, 0, 0}}},
		{"last jump falls off the end", "ret #0\njeq #1, b\nb: ret #0", []asmRI{{0x06, 0, 0, 0}, {0x15, 0, 0, 1}, {0x06, 0, 0, 0}}},
		{"raw jump with no trampoline", ".insn 0x15, 1, 0, 7\nret #0\nret #1", []asmRI{{0x15, 1, 0, 7}, {0x06, 0, 0, 0}, {0x06, 0, 0, 1}}},
	}
	for _, tc := range tests {
		got, err := Assemble("t.s", []byte(tc.src))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff(tc.want, toRI(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// ljManyFar makes jumps jeq #1, e<i> to distinct labels far ahead, so that no
// two can share a trampoline.
func ljManyFar(jumps, pad int) string {
	var b strings.Builder
	for i := range jumps {
		fmt.Fprintf(&b, "jeq #1, e%d\n", i)
	}
	b.WriteString(strings.Repeat("ret #0\n", pad))
	for i := range jumps {
		fmt.Fprintf(&b, "e%d: ret #1\n", i)
	}
	return b.String()
}

func TestAssembleErrors(t *testing.T) {
	far := ".insn 0x15, 1, 0, 7\njeq #1, far\n" + strings.Repeat("ret #0\n", 300) + "far: ret #1\n"
	tests := []struct {
		src, want string
	}{
		{"", "t.s:1:1: no instructions"},
		{"; only a comment\n", "t.s:2:1: no instructions"},
		{"lod [12]", `t.s:1:1: unknown mnemonic "lod"`},
		{"  ld [12]\n  jeq #1 a, b\n", `t.s:2:10: expected ',' after jump condition, found "a"`},
		{"jeq #1\n", `t.s:1:7: expected ',' after jump condition, found end of line`},
		{"jeq #1, a, b, c\na: b: c: ret #0", "t.s:1:13: conditional jump needs 1 or 2 targets"},
		{"jeq #1, 5", `t.s:1:9: expected a jump target label, found "5"`},
		{"jeq #1,", "t.s:1:8: expected a jump target label, found end of input"},
		{"jeq 1, a", `t.s:1:5: expected #k or x after jeq, found "1"`},
		{"ja foo\nret #0", `t.s:1:4: label "foo" is not defined`},
		{"a: ret #0\nja a", `t.s:2:4: label "a" (line 1) is not ahead of this jump; jumps only go forward`},
		{"a: jeq #0, a\nret #0", `t.s:1:12: label "a" (line 1) is not ahead of this jump; jumps only go forward`},
		{"a: ret #0\na: ret #1", `t.s:2:1: label "a" already defined at line 1`},
		{"ret #0\nend:", `t.s:2:1: label "end" does not label an instruction`},
		{"ld M[16]", "t.s:1:6: M[16]: scratch index must be 0..15"},
		{"st M[0x10]", "t.s:1:6: M[0x10]: scratch index must be 0..15"},
		{"st M[1", `t.s:1:7: expected ']' after scratch index, found end of input`},
		{"st [1]", `t.s:1:4: expected M[k] after st, found "["`},
		{"ld #4294967296", "t.s:1:5: number 4294967296 does not fit in 32 bits"},
		{"ld #0x100000000", "t.s:1:5: number 0x100000000 does not fit in 32 bits"},
		{"ld #-2147483649", "t.s:1:5: number -2147483649 does not fit in 32 bits"},
		{"ld #09", `t.s:1:5: invalid number "09"`},
		{"ld #12abc", `t.s:1:5: invalid number "12abc"`},
		{"ld #0x", `t.s:1:5: invalid number "0x"`},
		{"ld #foo", `t.s:1:5: expected a number, len or an extension after '#', found "foo"`},
		{"ld", "t.s:1:3: expected #k, #len, M[k], [k], [x + k] or an extension such as #proto after ld, found end of input"},
		{"ldh #5", `t.s:1:5: expected [k], [x + k] or an extension such as #proto after ldh, found "#"`},
		{"ldb len", "t.s:1:1: ldb cannot load the packet length; use ld #len"},
		{"ld [x 4]", `t.s:1:7: expected '+' after x in [x + k], found "4"`},
		{"ld [12", "t.s:1:7: expected ']' after packet offset, found end of input"},
		{"ldx 4*([14]&0xe)", "t.s:1:13: only 4*([k]&0xf) can be encoded"},
		{"ldxb 2*([14]&0xf)", "t.s:1:6: only 4*([k]&0xf) can be encoded"},
		{"ldx [4]", `t.s:1:5: expected #k, #len, M[k] or 4*([k]&0xf) after ldx, found "["`},
		{"add 5", `t.s:1:5: expected #k or x after add, found "5"`},
		{"add #", "t.s:1:6: expected a number after '#', found end of input"},
		{"ret", "t.s:1:4: expected #k, a or x after ret, found end of input"},
		{"ret #1 #2", `t.s:1:8: expected end of line after instruction, found "#"`},
		{"tax 1", `t.s:1:5: expected end of line after instruction, found "1"`},
		{"ld #1 @", "t.s:1:7: unexpected character '@'"},
		{"ld #1\n\xff", "t.s:2:1: unexpected byte 0xff"},
		{"ld #1 /* open", "t.s:1:7: unterminated /* comment"},
		{"ret #0\n/* a\n\n */ lod", `t.s:4:5: unknown mnemonic "lod"`},
		{"12", `t.s:1:1: expected an instruction or a label, found "12"`},
		{".byte 1", `t.s:1:1: unknown directive ".byte" (the only one is .insn)`},
		{".insn 0x10000, 0, 0, 0", "t.s:1:7: .insn CODE must be 0..65535"},
		{".insn 6, 256, 0, 0", "t.s:1:10: .insn JT must be 0..255"},
		{".insn 6, -1, 0, 0", "t.s:1:10: .insn JT must be 0..255"},
		{".insn 6, 0, 0", "t.s:1:14: expected ',' between .insn fields (.insn CODE, JT, JF, K), found end of input"},
		{far, "t.s:1:1: a long-jump trampoline would be inserted inside the span of this .insn jump, whose offsets are raw; use a labelled jump"},
		{strings.Repeat("ret #0\n", 4097), "t.s:4097:1: more than 4096 instructions"},
		{ljManyFar(48, 4000), "t.s:4049:5: program has 4144 instructions after inserting 48 long-jump trampolines; the limit is 4096"},
	}
	for _, tc := range tests {
		_, err := Assemble("t.s", []byte(tc.src))
		if err == nil {
			t.Errorf("%.40q: no error, want %q", tc.src, tc.want)
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%.40q: error %v is a %T, want *Error", tc.src, err, err)
		}
		if err.Error() != tc.want {
			t.Errorf("%.40q:\n got %s\nwant %s", tc.src, err, tc.want)
		}
	}
}

func BenchmarkAssemble(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	src := []byte(ljRender(ljGen(r, 4000, 0.02)))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Assemble("b.s", src); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleAssemble() {
	src := `
; accept IPv4 TCP, drop everything else
        ldh [12]
        jne #0x800, drop
        ldb [23]
        jneq #6, drop
        ret #-1
drop:   ret #0
`
	prog, err := Assemble("tcp.s", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ins := range prog {
		fmt.Printf("{ 0x%02x, %d, %d, 0x%08x },\n", ins.Op, ins.Jt, ins.Jf, ins.K)
	}
	// Output:
	// { 0x28, 0, 0, 0x0000000c },
	// { 0x15, 0, 3, 0x00000800 },
	// { 0x30, 0, 0, 0x00000017 },
	// { 0x15, 0, 1, 0x00000006 },
	// { 0x06, 0, 0, 0xffffffff },
	// { 0x06, 0, 0, 0x00000000 },
}

// Long jumps. The checks below do not trust the assembler's own layout: a
// reference interpreter runs the source program (by statement index, labels
// resolved by the test) and the assembled program, and they must agree.

// ljStmt is one source statement of a generated program.
type ljStmt struct {
	op     string // "mul", "add", "jeq", "jgt", "jge", "jset", "jlt", "jle", "jne", "ja", "ret"
	k      uint32
	t, f   int // target statement indices; f < 0 means a one-target form
	hasTwo bool
}

func ljRender(prog []ljStmt) string {
	var b strings.Builder
	for i, s := range prog {
		fmt.Fprintf(&b, "s%d: ", i)
		switch s.op {
		case "mul", "add":
			fmt.Fprintf(&b, "%s #%d\n", s.op, s.k)
		case "ret":
			b.WriteString("ret a\n")
		case "ja":
			fmt.Fprintf(&b, "ja s%d\n", s.t)
		default:
			if s.hasTwo {
				fmt.Fprintf(&b, "%s #%d, s%d, s%d\n", s.op, s.k, s.t, s.f)
			} else {
				fmt.Fprintf(&b, "%s #%d, s%d\n", s.op, s.k, s.t)
			}
		}
	}
	return b.String()
}

// ljRunSource interprets the statements directly, by their documented
// meaning.
func ljRunSource(prog []ljStmt, a uint32) (uint32, error) {
	for pc, steps := 0, 0; ; steps++ {
		if pc >= len(prog) || steps > 100000 {
			return 0, fmt.Errorf("source: ran off at %d", pc)
		}
		s := prog[pc]
		cond := func() (bool, bool) { // (condition, negated form)
			switch s.op {
			case "jeq":
				return a == s.k, false
			case "jne":
				return a == s.k, true
			case "jgt":
				return a > s.k, false
			case "jle":
				return a > s.k, true
			case "jge":
				return a >= s.k, false
			case "jlt":
				return a >= s.k, true
			case "jset":
				return a&s.k != 0, false
			}
			panic(s.op)
		}
		switch s.op {
		case "mul":
			a *= s.k
			pc++
		case "add":
			a += s.k
			pc++
		case "ret":
			return a, nil
		case "ja":
			pc = s.t
		default:
			c, neg := cond()
			if neg { // "jlt #k, t[, f]" jumps to t when a < k
				c = !c
			}
			switch {
			case c:
				pc = s.t
			case s.hasTwo:
				pc = s.f
			default:
				pc++
			}
		}
	}
}

// ljRunMachine interprets the assembled instructions (the subset the
// generator uses) by the kernel's rules.
func ljRunMachine(prog []bpf.RawInstruction, a uint32) (uint32, error) {
	for pc, steps := 0, 0; ; steps++ {
		if pc < 0 || pc >= len(prog) || steps > 200000 {
			return 0, fmt.Errorf("machine: ran off at %d", pc)
		}
		ins := prog[pc]
		next := pc + 1
		switch ins.Op {
		case 0x24:
			a *= ins.K
		case 0x04:
			a += ins.K
		case 0x16:
			return a, nil
		case 0x05:
			next += int(ins.K)
		case 0x15, 0x25, 0x35, 0x45:
			var c bool
			switch ins.Op {
			case 0x15:
				c = a == ins.K
			case 0x25:
				c = a > ins.K
			case 0x35:
				c = a >= ins.K
			case 0x45:
				c = a&ins.K != 0
			}
			if c {
				next += int(ins.Jt)
			} else {
				next += int(ins.Jf)
			}
		default:
			return 0, fmt.Errorf("machine: unexpected op %#x at %d", ins.Op, pc)
		}
		pc = next
	}
}

// ljGen makes a program of n statements whose jumps go forward, a share
// of them far (so that they need trampolines), ending in ret.
func ljGen(r *rand.Rand, n int, farShare float64) []ljStmt {
	ops := []string{"jeq", "jgt", "jge", "jset", "jlt", "jle", "jne"}
	prog := make([]ljStmt, n)
	pick := func(i int) int {
		if r.Float64() < farShare {
			return i + 1 + r.IntN(n-i-1)
		}
		return min(n-1, i+1+r.IntN(8))
	}
	for i := range prog {
		switch x := r.IntN(10); {
		case i == n-1 || x == 0:
			prog[i] = ljStmt{op: "ret"}
		case x < 4:
			prog[i] = ljStmt{op: []string{"mul", "add"}[r.IntN(2)], k: r.Uint32()}
		case x == 4:
			prog[i] = ljStmt{op: "ja", t: pick(i)}
		default:
			s := ljStmt{op: ops[r.IntN(len(ops))], k: r.Uint32() >> r.IntN(32), t: pick(i), hasTwo: r.IntN(2) == 0}
			if s.hasTwo {
				s.f = pick(i)
			}
			prog[i] = s
		}
	}
	return prog
}

func ljCheck(t *testing.T, name string, src []ljStmt, out []bpf.RawInstruction, r *rand.Rand) {
	t.Helper()
	inputs := []uint32{0, 1, 2, 0xffffffff, 0x80000000}
	for range 40 {
		inputs = append(inputs, r.Uint32())
	}
	for _, a := range inputs {
		want, err1 := ljRunSource(src, a)
		got, err2 := ljRunMachine(out, a)
		if err1 != nil || err2 != nil || got != want {
			t.Fatalf("%s: A=%#x: source gives %#x (%v), assembled gives %#x (%v)", name, a, want, err1, got, err2)
		}
	}
}

func TestLongJumpsEquivalent(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 60 {
		n := 2 + r.IntN(1500)
		src := ljGen(r, n, []float64{0, 0.05, 0.3, 0.9}[i%4])
		out, err := Assemble("gen.s", []byte(ljRender(src)))
		if err != nil {
			if strings.Contains(err.Error(), "the limit is 4096") {
				continue
			}
			t.Fatalf("program %d: %v", i, err)
		}
		ljCheck(t, fmt.Sprintf("program %d (%d statements, %d out)", i, n, len(out)), src, out, r)
	}
}

// ljPadding returns n "add #1" statements, which keep A distinguishable.
func ljPadding(n int) []ljStmt {
	s := make([]ljStmt, n)
	for i := range s {
		s[i] = ljStmt{op: "add", k: 1}
	}
	return s
}

// ljChain makes jumps "jeq #i, end" followed by pad statements and end.
func ljChain(jumps, pad int) []ljStmt {
	var p []ljStmt
	for i := range jumps {
		p = append(p, ljStmt{op: "jeq", k: uint32(i), t: jumps + pad})
	}
	return append(append(p, ljPadding(pad)...), ljStmt{op: "ret"})
}

func TestLongJumpLayout(t *testing.T) {
	ret := ljStmt{op: "ret"}
	build := func(parts ...[]ljStmt) []ljStmt {
		var p []ljStmt
		for _, x := range parts {
			p = append(p, x...)
		}
		return p
	}
	tests := []struct {
		name        string
		src         []ljStmt
		trampolines int
	}{
		// Statement 0 jumps to statement 256: offset 255 fits.
		{"offset 255", build([]ljStmt{{op: "jeq", k: 3, t: 256}}, ljPadding(255), []ljStmt{ret}), 0},
		{"offset 256", build([]ljStmt{{op: "jeq", k: 3, t: 257}}, ljPadding(256), []ljStmt{ret}), 1},
		{"false offset 255", build([]ljStmt{{op: "jne", k: 3, t: 256}}, ljPadding(255), []ljStmt{ret}), 0},
		{"false offset 256", build([]ljStmt{{op: "jle", k: 3, t: 257}}, ljPadding(256), []ljStmt{ret}), 1},
		// The false trampoline pushes the true target from 255 to 256.
		{"two targets 255 and 256", build([]ljStmt{{op: "jge", k: 3, t: 256, f: 257, hasTwo: true}}, ljPadding(256), []ljStmt{ret}), 2},
		{"offset 1000", build([]ljStmt{{op: "jgt", k: 3, t: 1001}}, ljPadding(1000), []ljStmt{ret}), 1},
		{"false target far", build([]ljStmt{{op: "jlt", k: 3, t: 300}}, ljPadding(299), []ljStmt{ret}), 1},
		{"both far, same target", build([]ljStmt{{op: "jset", k: 3, t: 300, f: 300, hasTwo: true}}, ljPadding(299), []ljStmt{ret}), 1},
		{"both far, different targets", build([]ljStmt{{op: "jeq", k: 3, t: 300, f: 301, hasTwo: true}}, ljPadding(299), []ljStmt{ret, ret}), 2},
		{"true far, false near", build([]ljStmt{{op: "jeq", k: 3, t: 300, f: 2, hasTwo: true}}, ljPadding(299), []ljStmt{ret}), 1},
		// Statement 0 reaches 256 with offset 255, until statement 1's
		// trampoline lands between them and pushes it to 256.
		{"pushed out of range", build([]ljStmt{{op: "jeq", k: 3, t: 256}, {op: "jeq", k: 4, t: 400}}, ljPadding(254), ljPadding(144), []ljStmt{ret}), 2},
		// 300 jumps, all to one far label: the last one owns a trampoline,
		// the 44 before it borrow it, statement 43 needs its own (its
		// offset would be 256), and statements 0..42 borrow that.
		{"chain", ljChain(300, 300), 2},
		// A seccomp-style list of 1000 "jeq #nr, allow": 754..999 reach it
		// directly; 753, 497 and 240 own trampolines, each serving the 255
		// jumps before it.
		{"seccomp chain", ljChain(1000, 10), 3},
		// Distinct far targets cannot share.
		{"distinct targets", func() []ljStmt {
			var p []ljStmt
			for i := range 10 {
				p = append(p, ljStmt{op: "jeq", k: uint32(i), t: 310 + i})
			}
			p = append(p, ljPadding(300)...)
			for range 10 {
				p = append(p, ret)
			}
			return p
		}(), 10},
		// ja has a 32-bit offset and never needs a trampoline.
		{"ja far", build([]ljStmt{{op: "ja", t: 3001}}, ljPadding(3000), []ljStmt{ret}), 0},
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range tests {
		out, err := Assemble("t.s", []byte(ljRender(tc.src)))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := len(out) - len(tc.src); got != tc.trampolines {
			t.Errorf("%s: %d trampolines, want %d", tc.name, got, tc.trampolines)
		}
		ljCheck(t, tc.name, tc.src, out, r)
	}
}

// The pushed-out-of-range case spelled out: both jumps go through
// trampolines placed right after them.
func TestLongJumpEncoding(t *testing.T) {
	src := ljRender(append(append([]ljStmt{{op: "jeq", k: 3, t: 256}, {op: "jeq", k: 4, t: 400}}, ljPadding(398)...), ljStmt{op: "ret"}))
	out, err := Assemble("t.s", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []asmRI{
		{0x15, 0, 1, 3},   // 0: true -> 1
		{0x05, 0, 0, 256}, // 1: ja 258 (statement 256)
		{0x15, 0, 1, 4},   // 2: statement 1, true -> 3
		{0x05, 0, 0, 398}, // 3: ja 402 (statement 400)
	}
	if diff := cmp.Diff(want, toRI(out[:4])); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(out) != 403 {
		t.Errorf("len = %d, want 403", len(out))
	}
}

// TestTrampolineSemantics assembles random programs with conditional jumps
// to far labels (so that trampolines get inserted and shared) and checks
// what the output means, not how it looks: following each jump side, and
// any trampoline "ja" it lands on, must reach the instruction the label
// names. Every source instruction carries a unique k so that it can be
// found in the output; trampolines are the "ja"s between them.
func TestTrampolineSemantics(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	conds := []string{"jeq", "jne", "jneq", "jlt", "jle", "jgt", "jge", "jset"}
	checked, tramps := 0, 0
	for iter := range 300 {
		n := 2 + r.IntN(1200)
		if iter%3 == 0 {
			n = 2 + r.IntN(40) // short programs: no trampolines, but labels next door
		}
		// Targets cluster on a few labels, so trampolines get shared.
		hot := []int{n - 1, r.IntN(n), r.IntN(n)}
		type jmp struct {
			mn   string
			t, f int // item indexes; f < 0: one target
		}
		jumps := map[int]jmp{}
		var src strings.Builder
		for i := range n {
			fmt.Fprintf(&src, "l%d: ", i)
			if i == n-1 {
				fmt.Fprintf(&src, "ret #%d\n", 0x10000+i)
				break
			}
			if r.IntN(3) == 0 {
				fmt.Fprintf(&src, "ld #%d\n", 0x10000+i)
				continue
			}
			pick := func() int {
				if r.IntN(2) == 0 {
					if h := hot[r.IntN(len(hot))]; h > i {
						return h
					}
				}
				if r.IntN(3) == 0 {
					return i + 1 + r.IntN(min(300, n-1-i))
				}
				return i + 1 + r.IntN(n-1-i)
			}
			j := jmp{mn: conds[r.IntN(len(conds))], t: pick(), f: -1}
			if r.IntN(2) == 0 {
				j.f = pick()
			}
			jumps[i] = j
			fmt.Fprintf(&src, "%s #%d, l%d", j.mn, 0x10000+i, j.t)
			if j.f >= 0 {
				fmt.Fprintf(&src, ", l%d", j.f)
			}
			src.WriteString("\n")
		}
		prog, err := Assemble("t.s", []byte(src.String()))
		if err != nil {
			t.Fatalf("Assemble: %v", err)
		}
		// Where each source instruction went.
		pos := make([]int, n)
		next := 0
		for pc, in := range prog {
			if next < n && in.K == uint32(0x10000+next) && in.Op != uint16(opcode.Ja) {
				pos[next] = pc
				next++
				continue
			}
			if in.Op != uint16(opcode.Ja) {
				t.Fatalf("output %d is %+v: neither a source instruction nor a trampoline", pc, in)
			}
			tramps++
		}
		if next != n {
			t.Fatalf("found %d of %d source instructions in the output", next, n)
		}
		// follow goes to out[pc+1+off] and through trampolines.
		follow := func(pc int, off uint8) int {
			to := pc + 1 + int(off)
			for to < len(prog) && prog[to].Op == uint16(opcode.Ja) && prog[to].K < 0x10000 {
				to = to + 1 + int(prog[to].K)
			}
			return to
		}
		for i, j := range jumps {
			in := prog[pos[i]]
			whenTrue, whenFalse := j.t, i+1 // "jeq #k, L" and the like
			switch {
			case j.f >= 0 && strings.HasPrefix(j.mn, "jne") || j.f >= 0 && (j.mn == "jlt" || j.mn == "jle"):
				// "jlt #k, a, b": a when k is not reached, so the encoded
				// jge goes to b when true.
				whenTrue, whenFalse = j.f, j.t
			case j.f >= 0:
				whenFalse = j.f
			case strings.HasPrefix(j.mn, "jne") || j.mn == "jlt" || j.mn == "jle":
				whenTrue, whenFalse = i+1, j.t
			}
			if got := follow(pos[i], in.Jt); got != pos[whenTrue] {
				t.Fatalf("item %d (%s, %+v): true side reaches output %d, want %d (item %d)", i, j.mn, j, got, pos[whenTrue], whenTrue)
			}
			if got := follow(pos[i], in.Jf); got != pos[whenFalse] {
				t.Fatalf("item %d (%s, %+v): false side reaches output %d, want %d (item %d)", i, j.mn, j, got, pos[whenFalse], whenFalse)
			}
			checked++
		}
	}
	if tramps == 0 {
		t.Fatal("no trampolines generated: the test checks nothing")
	}
	t.Logf("%d jumps checked, %d trampolines", checked, tramps)
}

// TestAssembleErrorList: Assemble reads on past a bad line and reports
// every bad line, with its position and code, up to diag.MaxErrors.
func TestAssembleErrorList(t *testing.T) {
	type perr struct {
		Pos  string
		Code diag.Code
	}
	for _, tc := range []struct {
		src  string
		want []perr
	}{
		{"ld [0]\nfrob\njeq #1, a, b, c\nret #0\nld M[16]\n", []perr{
			{"t.s:2:1", diag.CodeUnknownName}, {"t.s:3:13", diag.CodeSyntax}, {"t.s:5:6", diag.CodeRange}}},
		// Lexer errors: the rest of the line is dropped, the next read.
		{"ld $1\nret #99999999999\nx: ret #0\nx: ret #1\n", []perr{
			{"t.s:1:4", diag.CodeSyntax}, {"t.s:2:6", diag.CodeRange}, {"t.s:4:1", diag.CodeDuplicate}}},
		// A label on a bad line still labels the next instruction.
		{"l: frob\nret #0\n", []perr{{"t.s:1:4", diag.CodeUnknownName}}},
		// An unterminated comment ends the input.
		{"frob\nld [0] /* no end\nfrob\n", []perr{{"t.s:1:1", diag.CodeUnknownName}, {"t.s:2:8", diag.CodeSyntax}}},
		// Link errors only when every line parsed.
		{"jeq #1, nowhere\nret #0\n", []perr{{"t.s:1:9", diag.CodeUndefinedLabel}}},
		{"frob\njeq #1, nowhere\nret #0\n", []perr{{"t.s:1:1", diag.CodeUnknownName}}},
		{"\n\n", []perr{{"t.s:3:1", diag.CodeMissing}}},
	} {
		_, err := Assemble("t.s", []byte(tc.src))
		var got []perr
		for _, e := range diag.Errors(err) {
			got = append(got, perr{e.Pos.String(), e.Code})
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q: %v (-want +got):\n%s", tc.src, err, diff)
		}
		var e *Error
		if !errors.As(err, &e) || e.Pos.String() != tc.want[0].Pos {
			t.Errorf("%q: errors.As: %v", tc.src, e)
		}
	}

	_, err := Assemble("t.s", []byte(strings.Repeat("ld [0]\nld M[99]\n", 50)+"ret #0\n"))
	es := diag.Errors(err)
	if len(es) != diag.MaxErrors+1 {
		t.Fatalf("%d errors: %v", len(es), err)
	}
	for i, e := range es[:diag.MaxErrors] {
		if e.Line != 2*i+2 || e.Code != diag.CodeRange {
			t.Errorf("error %d: %v", i, e)
		}
	}
	if last := es[diag.MaxErrors]; last.Code != diag.CodeTooMany || last.Line != 22 {
		t.Errorf("last: %v", last)
	}
}
