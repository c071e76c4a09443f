package main

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/internal/pcap"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

func TestOpt(t *testing.T) {
	// A reload of nr after a test of it, and a test the first decides.
	src := "ld [0]\njeq #1, a\nld [0]\njeq #1, b\nld [0]\njgt #10, c\nld [0]\njeq #20, b, c\n" +
		"a: ret #0x7fff0000\nb: ret #0\nc: ret #0x50001\n"
	file := writeTemp(t, "f.asm", []byte(src))
	out, errOut, code := cli(t, "", "opt", "--prove", "--passes", "--cost", "-o", "ddd", file)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// Worked out over the 385 syscalls of x86_64's table: before, nr 1
	// runs 3 instructions, 0 and 2..10 run 9, the other 374 run 7 (mean
	// 2711/385 = 7.04); after, every number runs ld, jeq #1, ret (3).
	if !strings.Contains(errOut, "11 -> 4 ") || !strings.Contains(errOut, "eBPF") || !strings.Contains(errOut, "proven equivalent") ||
		!strings.Contains(errOut, "executed over ") || runtime.GOARCH == "amd64" && !strings.Contains(errOut, "385 x86_64 syscalls: mean 7.04 -> 3.00 (eBPF 8.07 -> 4.00), max 9 -> 3") ||
		!strings.Contains(errOut, "thread") {
		t.Errorf("stderr:\n%s", errOut)
	}
	if !strings.HasPrefix(out, "4\n32 0 0 0\n21 ") {
		t.Errorf("want 4 instructions:\n%s", out)
	}
	pkt := writeTemp(t, "p.ddd", []byte("4\n40 0 0 12\n40 0 0 12\n21 0 1 2048\n6 0 0 1\n"))
	_, errOut, code = cli(t, "", "opt", "--mode", "packet", pkt)
	if code != exitBad || !strings.Contains(errOut, "not a valid") {
		t.Errorf("invalid input: exit %d, %s", code, errOut)
	}
	pkt = writeTemp(t, "p.ddd", []byte("5\n40 0 0 12\n40 0 0 12\n21 0 1 2048\n6 0 0 1\n6 0 0 0\n"))
	out, errOut, code = cli(t, "", "opt", "--mode", "packet", "--prove", "-o", "ddd", pkt)
	if code != exitOK || out != "4\n40 0 0 12\n21 1 0 2048\n6 0 0 0\n6 0 0 1\n" {
		t.Errorf("packet: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	_, errOut, code = cli(t, "", "opt", "--mode", "packet", "--cost", pkt)
	// Worked from bpf_convert_filter: a packet too short for ldh [12]
	// runs 3 + 8 eBPF instructions (the slow path fails); ldh in bounds
	// is 6, jeq with jt 0 is 1, ret 2: 6+6+1+2 = 15 before, 6+1+2 = 9
	// after.
	if code != exitOK || !strings.Contains(errOut, "one for each path of the input found: mean 3.00 -> 2.33 (eBPF 13.67 -> 9.67), max 4 -> 3 (eBPF 15 -> 11)") {
		t.Errorf("packet --cost: exit %d, stderr %q", code, errOut)
	}
	// Over given packets: a short one (ld [12] fails: 1 instruction
	// before and after) and an IPv4 one (4 before, 3 after).
	ip := make([]byte, 20)
	ip[12] = 8
	file = filepath.Join(t.TempDir(), "p.pcap")
	testenv.WritePcap(t, file, pcap.LinkTypeEthernet, [][]byte{make([]byte, 6), ip}, nil)
	_, errOut, code = cli(t, "", "opt", "--mode", "packet", "--cost", "--packets", file, pkt)
	if code != exitOK || !strings.Contains(errOut, "executed over 2 packets: mean 2.50 -> 2.00") {
		t.Errorf("packet --cost --packets: exit %d, stderr %q", code, errOut)
	}
	// The wire length of a capture cut short is what "len" reads (review:
	// --packets had used the captured length).
	cut := make([]byte, 20)
	cut[0] = 1
	cutFile := filepath.Join(t.TempDir(), "cut.pcap")
	testenv.WritePcap(t, cutFile, pcap.LinkTypeEthernet, [][]byte{cut}, []uint32{200})
	lenProg := writeTemp(t, "len.asm", []byte("ld #len\njgt #100, a, b\na: ldb [0]\njeq #1, c, b\nc: ret #1\nb: ret #0\n"))
	_, errOut, code = cli(t, "", "opt", "--mode", "packet", "--cost", "--packets", cutFile, lenProg)
	if code != exitOK || !strings.Contains(errOut, "executed over 1 packets: mean 5.00 -> ") {
		t.Errorf("--packets with a wire length: exit %d, stderr %q", code, errOut)
	}
	if _, errOut, code := cli(t, "", "opt", "--cost", "--packets", file, pkt); code != exitUsage {
		t.Errorf("--packets in seccomp mode: exit %d, %s", code, errOut)
	}
	if _, _, code := cli(t, "", "opt", "--mode", "bogus", pkt); code != exitUsage {
		t.Errorf("bad mode: exit %d", code)
	}
}
