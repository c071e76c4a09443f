package optimize

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/vm"
)

// TestExecutedByHand checks the executed eBPF count on programs worked out
// from bpf_convert_filter's rules: a jump with jt and jf both set (or a
// jset with jf set) is a test and a "ja", the "ja" run when the test
// fails; a constant with bit 31 set adds a move; a return is two.
func TestExecutedByHand(t *testing.T) {
	for _, c := range []struct {
		src       string
		nr        int
		insns, eb int
	}{
		// jeq with both targets away: true runs 1, false 2.
		{"ld [0]\njeq #1, a, b\nret #5\na: ret #1\nb: ret #2\n", 1, 3, 1 + 1 + 2},
		{"ld [0]\njeq #1, a, b\nret #5\na: ret #1\nb: ret #2\n", 0, 3, 1 + 2 + 2},
		// jt == 0 for jeq: inverted to jne, one instruction.
		{"ld [0]\njne #1, b\na: ret #1\nb: ret #2\n", 0, 3, 1 + 1 + 2},
		// jset with jt == 0 and jf set: two instructions, test fails.
		{"ld [0]\njset #1, a, b\na: ret #1\nb: ret #2\n", 0, 3, 1 + 2 + 2},
		{"ld [0]\njset #1, a, b\na: ret #1\nb: ret #2\n", 1, 3, 1 + 1 + 2},
		// A constant with bit 31 set: a move first.
		{"ld [0]\njeq #0x80000000, a\nret #2\na: ret #1\n", 0, 3, 1 + 2 + 2},
		{"ld [0]\njeq #0x80000000, a, b\nret #5\na: ret #1\nb: ret #2\n", 0, 3, 1 + 3 + 2},
		// Plain instructions are one each; "ret a" is one (A is R0).
		{"ld [0]\ntax\nadd x\nret a\n", 7, 4, 1 + 1 + 1 + 1},
		// Division by X: a move, the test of X, the division; for X =
		// 0 the move, the test, "A = 0; exit".
		{"ld [0]\ntax\nld #10\ndiv x\nret #1\n", 5, 5, 1 + 1 + 1 + 3 + 2},
		{"ld [0]\ntax\nld #10\ndiv x\nret #1\n", 0, 4, 1 + 1 + 1 + 4},
	} {
		prog, err := asm.Assemble("t.asm", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		m, err := vm.New(prog, vm.Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		mt := newMeter(prog, Seccomp, "")
		mt.count(m.RunSeccompOpts(vm.SeccompData{Nr: int32(c.nr)}, mt.start()))
		e := mt.result()
		if e.MaxInsns != c.insns || e.MaxEBPF != c.eb {
			t.Errorf("%q nr=%d: %d classic, %d eBPF; want %d, %d", c.src, c.nr, e.MaxInsns, e.MaxEBPF, c.insns, c.eb)
		}
	}
}

// TestExecutedPacketByHand: packet loads as convert_bpf_ld_abs converts
// them (fast path in bounds; out of bounds the first part of the fast
// path, then the slow path of 8), and their lengths.
func TestExecutedPacketByHand(t *testing.T) {
	for _, c := range []struct {
		src             string
		plen            int
		insns, run, len int
	}{
		// mov, sub, test, load, ja; ret: 2. Length 5 + 8 + 2.
		{"ldb [14]\nret #1\n", 20, 2, 5 + 2, 13 + 2},
		// Out of bounds: mov, sub, test, then the slow path (8).
		{"ldb [14]\nret #1\n", 10, 1, 3 + 8, 13 + 2},
		// k = 0: no sub; a half-word is swapped; "ret a" is 1.
		{"ldh [0]\nret a\n", 4, 2, 5 + 1, 5 + 8 + 1},
		// k > 32767: the address is computed (3 instead of 1).
		{"ld [40000]\nret #1\n", 40004, 2, 8 + 2, 8 + 8 + 2},
		// Indirect: the slow path only, X + k as the offset (9); in
		// bounds, "A = 0; exit" does not run.
		{"ldx #2\nld [x + 4]\nret a\n", 10, 3, 1 + 7 + 1, 1 + 9 + 1},
		{"ldx #2\nld [x + 4]\nret a\n", 9, 2, 1 + 9, 1 + 9 + 1},
		// ldxb 4*([k]&0xf): a move, a byte load, 5 more.
		{"ldxb 4*([0]&0xf)\nret #1\n", 1, 2, 1 + 4 + 5 + 2, 1 + 12 + 5 + 2},
	} {
		prog, err := asm.Assemble("t.asm", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		e, err := ExecutedPackets(prog, [][]byte{make([]byte, c.plen)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if e.MaxInsns != c.insns || e.MaxEBPF != c.run {
			t.Errorf("%q on %d bytes: %d classic, %d eBPF run; want %d, %d", c.src, c.plen, e.MaxInsns, e.MaxEBPF, c.insns, c.run)
		}
		if m := Measure(prog, Packet); m.EBPF != c.len || m.Approx {
			t.Errorf("%q: length %d (approx %v), want %d", c.src, m.EBPF, m.Approx, c.len)
		}
	}
	// Seccomp mode: loads of seccomp_data are one instruction.
	prog, _ := asm.Assemble("t.asm", []byte("ld [0]\nldx #3\ndiv x\nret #0\n"))
	if m := Measure(prog, Seccomp); m.EBPF != 1+1+5+2 {
		t.Errorf("seccomp length %d, want 9", m.EBPF)
	}
	prog, _ = asm.Assemble("t.asm", []byte("ld #proto\nret a\n"))
	if m := Measure(prog, Packet); !m.Approx {
		t.Errorf("an ancillary load: %+v, want approximate", m)
	}
}

// TestExecutedBounds: on every corpus program and packet, a run executes
// at least one eBPF instruction per classic one and at most
// the program's eBPF length (no instruction runs twice).
func TestExecutedBounds(t *testing.T) {
	for i, c := range tcpdumpCases(t) {
		if i%7 != 0 || c.link != "EN10MB" {
			continue
		}
		for _, p := range [][]bpf.RawInstruction{c.noopt, c.opt} {
			pkts, err := PathPackets(p)
			if err != nil {
				t.Fatal(err)
			}
			if len(pkts) < 2 {
				t.Errorf("%s: %d paths found", c.expr, len(pkts))
			}
			m, _ := vm.New(p, vm.Packet)
			length := Measure(p, Packet).EBPF
			for _, pkt := range pkts {
				e, err := ExecutedPackets(p, [][]byte{pkt}, nil)
				if err != nil {
					t.Fatal(err)
				}
				r := m.RunPacket(pkt, nil)
				if e.MaxInsns != r.Insns || e.MaxEBPF < r.Insns || e.MaxEBPF > length {
					t.Errorf("%s on % x: %d classic (VM: %d), %d eBPF (length %d)", c.expr, pkt, e.MaxInsns, r.Insns, e.MaxEBPF, length)
				}
			}
		}
	}
}

// TestTestedArches: the arches of a compiled multi-arch filter, and not
// a constant that happens to equal an AUDIT_ARCH value in an argument test.
func TestTestedArches(t *testing.T) {
	prog, err := asm.Assemble("t.asm", []byte("ld [4]\njeq #0xc000003e, x\njeq #0x40000003, x\nret #0\nx: ld [16]\njeq #8, y\nret #0x7fff0000\ny: ret #0\n"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range TestedArches(prog) {
		names = append(names, a.Name)
	}
	if len(names) != 2 || names[0] != "x86_64" || names[1] != "x86" {
		t.Errorf("arches %v, want x86_64 and x86", names)
	}
	e, err := ExecutedSeccomp(prog)
	if err != nil || e.Inputs < 800 {
		t.Errorf("%+v, %v", e, err)
	}
}
