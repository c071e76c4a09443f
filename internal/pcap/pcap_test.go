package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cbpfkit/cbpf/diag"
)

func TestRoundTrip(t *testing.T) {
	for _, nano := range []bool{false, true} {
		var b bytes.Buffer
		w, err := NewWriter(&b, LinkTypeEthernet, 65535, nano)
		if err != nil {
			t.Fatal(err)
		}
		want := []Record{
			{Sec: 1, Frac: 999, OrigLen: 3, Data: []byte{1, 2, 3}},
			{Sec: 2, Frac: 0, OrigLen: 1500, Data: []byte{4}},
			{Sec: 3, OrigLen: 0, Data: []byte{}},
		}
		for _, r := range want {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		h, got, err := ReadAll(&b)
		if err != nil {
			t.Fatal(err)
		}
		if h.Nano != nano || h.LinkType != LinkTypeEthernet || h.SnapLen != 65535 || h.ByteOrder != binary.LittleEndian {
			t.Errorf("header %+v", h)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("nano=%v (-want +got):\n%s", nano, diff)
		}
	}
}

func TestBigEndianNano(t *testing.T) {
	// Built by hand from the format: magic a1b23c4d big endian, version
	// 2.4, snaplen 96, linktype 101 (raw IP); one record.
	var b []byte
	be := binary.BigEndian
	b = be.AppendUint32(b, 0xa1b23c4d)
	b = be.AppendUint16(b, 2)
	b = be.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = be.AppendUint32(b, 96)
	b = be.AppendUint32(b, 101)
	b = be.AppendUint32(b, 7)
	b = be.AppendUint32(b, 123456789)
	b = be.AppendUint32(b, 2)
	b = be.AppendUint32(b, 40)
	b = append(b, 0x45, 0)
	h, recs, err := ReadAll(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{{Sec: 7, Frac: 123456789, OrigLen: 40, Data: []byte{0x45, 0}}}
	if !h.Nano || h.LinkType != 101 || h.ByteOrder != binary.BigEndian {
		t.Errorf("header %+v", h)
	}
	if diff := cmp.Diff(want, recs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestErrors(t *testing.T) {
	var good bytes.Buffer
	w, _ := NewWriter(&good, 1, 100, false)
	w.Write(Record{Data: []byte{1, 2, 3, 4}})
	g := good.Bytes()
	huge := append([]byte{}, g[:24+16]...)
	binary.LittleEndian.PutUint32(huge[24+8:], 1<<30)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "offset 0: file too short"},
		{"short header", g[:10], "offset 10: file too short"},
		{"bad magic", []byte(strings.Repeat("x", 24)), "not a pcap file"},
		{"pcapng", append([]byte{0x0a, 0x0d, 0x0d, 0x0a}, make([]byte, 20)...), "pcapng"},
		{"truncated record header", g[:30], "offset 30: truncated record header"},
		{"truncated data", g[:len(g)-1], "offset 43: truncated packet data (3 of 4 bytes)"},
		{"huge caplen", huge, "offset 32: captured length 1073741824 is too large"},
	}
	for _, tt := range tests {
		_, _, err := ReadAll(bytes.NewReader(tt.data))
		var pe *Error
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want *Error containing %q", tt.name, err, tt.want)
		}
		var de *diag.Error
		if !errors.As(err, &de) || de.Offset != int(pe.Offset) || de.Code == "" {
			t.Errorf("%s: errors.As diag.Error: %+v", tt.name, de)
		}
	}
}

// A record that claims the largest length allowed but is cut short costs
// memory in proportion to the bytes that are there, not to the claim.
func TestTruncatedBigRecord(t *testing.T) {
	var good bytes.Buffer
	w, _ := NewWriter(&good, 1, 100, false)
	w.Write(Record{Data: make([]byte, 100)})
	data := good.Bytes()
	binary.LittleEndian.PutUint32(data[24+8:], maxCapLen)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err := ReadAll(bytes.NewReader(data))
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "offset 140: truncated packet data (100 of 16777216 bytes)") {
		t.Errorf("err %v", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("reading a 140-byte file allocated %d bytes", got)
	}
}

// tcpdump (libpcap) reads what Writer writes, with the same timestamps.
func TestTcpdumpReads(t *testing.T) {
	tcpdump, err := exec.LookPath("tcpdump")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tcpdump is required in CI")
		}
		t.Skip("tcpdump not installed")
	}
	var b bytes.Buffer
	w, _ := NewWriter(&b, LinkTypeEthernet, 65535, true)
	w.Write(Record{Sec: 10, Frac: 5, OrigLen: 100, Data: make([]byte, 20)})
	w.Write(Record{Sec: 11, Frac: 6, Data: make([]byte, 60)})
	path := filepath.Join(t.TempDir(), "x.pcap")
	os.WriteFile(path, b.Bytes(), 0o644)
	out, err := exec.Command(tcpdump, "-r", path, "-n", "--nano", "-tt", "-e").Output()
	if err != nil {
		t.Fatalf("tcpdump: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "10.000000005 ") || !strings.HasPrefix(lines[1], "11.000000006 ") {
		t.Errorf("tcpdump read:\n%s", out)
	}
}
