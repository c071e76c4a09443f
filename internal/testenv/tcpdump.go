package testenv

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/cbpfkit/cbpf/internal/pcap"
)

// pcapFirstSecond is the timestamp of packet 0 of WritePcap: packet i is
// at second pcapFirstSecond+i, so that what tcpdump keeps names them.
const pcapFirstSecond = 1000000

// WritePcap writes pkts to path as a capture of link type link, packet i
// wire[i] bytes long on the wire (wire nil: as long as its bytes).
func WritePcap(t testing.TB, path string, link uint32, pkts [][]byte, wire []uint32) {
	t.Helper()
	var b bytes.Buffer
	w, err := pcap.NewWriter(&b, link, 65535, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pkts {
		orig := uint32(len(p))
		if wire != nil {
			orig = wire[i]
		}
		if err := w.Write(pcap.Record{Sec: uint32(pcapFirstSecond + i), OrigLen: orig, Data: p}); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TcpdumpKept filters a capture of WritePcap with tcpdump's own filtering
// (libpcap's bpf_filter, with wirelen = orig_len, buflen = caplen, on the
// program tcpdump compiles for expr; flags such as "-O" go before the
// file) and returns the indices of the packets it kept, in order.
func TcpdumpKept(t testing.TB, tcpdump, file, expr string, flags ...string) []int {
	t.Helper()
	args := append(append([]string(nil), flags...), "-r", file, "-w", "-", expr)
	cmd := exec.Command(tcpdump, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tcpdump %v: %v\n%s", args, err, stderr.Bytes())
	}
	_, recs, err := pcap.ReadAll(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("reading tcpdump's output: %v", err)
	}
	idx := []int{}
	for _, r := range recs {
		idx = append(idx, int(r.Sec)-pcapFirstSecond)
	}
	return idx
}
