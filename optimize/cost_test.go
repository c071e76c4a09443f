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
		nr        int32
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
		// Plain instructions are one each.
		{"ld [0]\ntax\nadd x\nret a\n", 7, 4, 1 + 1 + 1 + 2},
	} {
		prog, err := asm.Assemble("t.asm", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		m, err := vm.New(prog, vm.Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		var e Executed
		e.add(prog, func(o *vm.Options) vm.Result { return m.RunSeccompOpts(vm.SeccompData{Nr: c.nr}, o) })
		if e.MaxInsns != c.insns || e.MaxEBPF != c.eb {
			t.Errorf("%q nr=%d: %d classic, %d eBPF; want %d, %d", c.src, c.nr, e.MaxInsns, e.MaxEBPF, c.insns, c.eb)
		}
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
			length := Measure(p).EBPF
			for _, pkt := range pkts {
				e, err := ExecutedPackets(p, [][]byte{pkt})
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
