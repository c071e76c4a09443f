package vm

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/pcap"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

// Filter expressions for the libpcap oracle: protocols, hosts and nets,
// ports and ranges, header fields with arithmetic (X, shifts, indirect
// loads), lengths (ld len against the wire length), VLANs, fragments.
var pcapExprs = []string{
	"tcp port 22",
	"udp",
	"icmp",
	"arp",
	"ip",
	"ip6",
	"tcp",
	"host 10.0.0.1",
	"src net 192.168.1.0/24",
	"dst net 10.0.0.0/24 and tcp dst port 80",
	"port 53",
	"portrange 1000-2000",
	"tcp[tcpflags] & tcp-syn != 0",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
	"ip[6:2] & 0x1fff != 0",
	"ip[8] < 64",
	"greater 100",
	"less 60",
	"vlan",
	"vlan 100 and ip",
	"vlan and tcp port 80",
	"ether broadcast",
	"ether multicast",
	"ether host 00:11:22:33:44:55",
	"ip6 and tcp port 443",
	"icmp6",
	"ip proto 47",
	"len > 200",
	"not ip and not ip6",
	"udp[8:2] = 0x1234",
	"tcp[13] = 2",
	"ip6 host 2001:db8::1",
	"ether proto 0x88cc",
	"(tcp port 22 or udp port 53) and not host 10.0.0.5",
	"icmp[icmptype] == icmp-echo",
	"tcp port 80 and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)",
	"ip[0] & 0xf > 5",
	"ip multicast",
	"ip6 multicast",
	// Not "protochain": libpcap compiles it with a backward jump, which
	// the kernel (and so New) rejects.
	"ip[2:2] / 3 > 30 and ip[2:2] * 2 < 400",
	"ip[2:2] % 7 == 3",
	"ip[8] ^ 0x40 == 0 or ip[8] >> 1 == 0x7f",
	"udp[4:2] - 8 == 4",
}

// needTool finds a tool, skipping the test when it is missing outside CI
// and failing it in CI (which installs it).
func needTool(t testing.TB, name string) string { t.Helper(); return testenv.Tool(t, name) }

// writePcap writes the packets to dir/in.pcap with a unique timestamp per
// packet (second i), so tcpdump's output names which ones matched.
func writePcap(t testing.TB, dir string, pkts [][]byte, wire []uint32) string {
	t.Helper()
	path := filepath.Join(dir, "in.pcap")
	testenv.WritePcap(t, path, pcap.LinkTypeEthernet, pkts, wire)
	return path
}

// tcpdumpCompile compiles expr for the link type of file, as tcpdump -ddd
// prints it.
func tcpdumpCompile(t testing.TB, tcpdump, file, expr string) []bpf.RawInstruction {
	t.Helper()
	out, err := exec.Command(tcpdump, "-r", file, "-ddd", expr).Output()
	if err != nil {
		t.Fatalf("tcpdump -ddd %q: %v", expr, err)
	}
	prog, err := parseDDD(string(out))
	if err != nil {
		t.Fatalf("tcpdump -ddd %q: %v\n%s", expr, err, out)
	}
	return prog
}

// parseDDD reads tcpdump -ddd output: a count line, then "code jt jf k".
func parseDDD(s string) ([]bpf.RawInstruction, error) {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	n, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || n != len(lines)-1 {
		return nil, fmt.Errorf("bad count line %q for %d instructions", lines[0], len(lines)-1)
	}
	var prog []bpf.RawInstruction
	for i, l := range lines[1:] {
		var op, jt, jf, k uint64
		if _, err := fmt.Sscanf(l, "%d %d %d %d", &op, &jt, &jf, &k); err != nil {
			return nil, fmt.Errorf("line %d: %q: %v", i+2, l, err)
		}
		prog = append(prog, bpf.RawInstruction{Op: uint16(op), Jt: uint8(jt), Jf: uint8(jf), K: uint32(k)})
	}
	return prog, nil
}

func TestLibpcapOracle(t *testing.T) {
	tcpdump := needTool(t, "tcpdump")
	pkts, wire := genPackets(3000, 1)
	file := writePcap(t, t.TempDir(), pkts, wire)
	for _, expr := range pcapExprs {
		t.Run(expr, func(t *testing.T) {
			t.Parallel()
			prog := tcpdumpCompile(t, tcpdump, file, expr)
			m, err := New(prog, Packet)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			want := testenv.TcpdumpKept(t, tcpdump, file, expr)
			got := []int{}
			meta := &Meta{NetOffset: 14}
			for i, p := range pkts {
				meta.WireLen = wire[i]
				if m.RunPacket(p, meta).Ret != 0 {
					got = append(got, i)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("matched packets (-tcpdump +vm):\n%s", diff)
			}
			if len(want) == 0 || len(want) == len(pkts) {
				t.Logf("note: %q matches %d of %d packets", expr, len(want), len(pkts))
			}
		})
	}
}
