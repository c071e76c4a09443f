package asm

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/net/bpf"
)

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
	var in bytes.Buffer
	if err := Write(&in, prog, DDD); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		flag string
		f    Format
	}{{"-d", Tcpdump}, {"-dd", C}, {"-ddd", DDD}} {
		cmd := exec.Command(bin, want.flag)
		cmd.Stdin = bytes.NewReader(in.Bytes())
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("bpf_dump %s: %v", want.flag, err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, prog, want.f); err != nil {
			t.Fatal(err)
		}
		wl, gl := strings.Split(string(out), "\n"), strings.Split(buf.String(), "\n")
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
