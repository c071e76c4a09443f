package optimize

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/internal/pcap"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/vm"
)

// heldOutExprs makes filter expressions that are not in the corpus:
// random and/or/not combinations of primitives (hosts, nets, ports and
// ranges, protocols, VLANs, IPv6, fragments, lengths, header bytes).
func heldOutExprs(r *rand.Rand, n int) []string {
	prims := []func() string{
		func() string { return fmt.Sprintf("host 10.%d.%d.%d", r.IntN(4), r.IntN(4), r.IntN(9)) },
		func() string { return fmt.Sprintf("src net 172.%d.0.0/16", 16+r.IntN(8)) },
		func() string { return fmt.Sprintf("dst net 192.168.%d.0/24", r.IntN(8)) },
		func() string { return fmt.Sprintf("port %d", []int{22, 53, 80, 123, 443, 8080}[r.IntN(6)]) },
		func() string { return fmt.Sprintf("tcp dst port %d", 1+r.IntN(1024)) },
		func() string { return fmt.Sprintf("udp src port %d", 1+r.IntN(1024)) },
		func() string { lo := 1 + r.IntN(5000); return fmt.Sprintf("portrange %d-%d", lo, lo+r.IntN(100)) },
		func() string { return []string{"tcp", "udp", "icmp", "arp", "ip6", "ip", "icmp6", "sctp"}[r.IntN(8)] },
		func() string { return fmt.Sprintf("vlan %d", 1+r.IntN(10)) },
		func() string { return fmt.Sprintf("ip6 net 2001:db8:%x::/48", r.IntN(16)) },
		func() string { return "ip[6:2] & 0x1fff != 0" },
		func() string { return fmt.Sprintf("greater %d", 40+r.IntN(200)) },
		func() string { return fmt.Sprintf("less %d", 40+r.IntN(200)) },
		func() string { return fmt.Sprintf("tcp[13] & %#x != 0", 1<<r.IntN(8)) },
		func() string { return fmt.Sprintf("ip[8] > %d", r.IntN(255)) },
		func() string { return fmt.Sprintf("udp[8:2] = %#x", r.IntN(65536)) },
		func() string { return fmt.Sprintf("ip proto %d", r.IntN(140)) },
		func() string { return fmt.Sprintf("ip6 dst host 2001:db8::%x", r.IntN(256)) },
	}
	var expr func(depth int) string
	expr = func(depth int) string {
		if depth == 0 || r.IntN(3) == 0 {
			s := prims[r.IntN(len(prims))]()
			if r.IntN(5) == 0 {
				s = "not " + s
			}
			return s
		}
		op := []string{"and", "or"}[r.IntN(2)]
		k := 2 + r.IntN(3)
		var parts []string
		for range k {
			parts = append(parts, expr(depth-1))
		}
		return "(" + strings.Join(parts, " "+op+" ") + ")"
	}
	var out []string
	for len(out) < n {
		out = append(out, expr(2))
	}
	return out
}

// TestHeldOutAgainstLibpcap optimizes libpcap's unoptimized programs for
// expressions the corpus does not hold, and checks the result against
// libpcap itself: tcpdump -O filters a pcap of packets steered down the
// paths of both programs (truncated ones included) with its own
// interpreter, and every packet it keeps must be one the result accepts,
// and no other. It also compares sizes with libpcap's optimizer.
func TestHeldOutAgainstLibpcap(t *testing.T) {
	tcpdump := testenv.Tool(t, "tcpdump")
	// CBPF_HELDOUT_EXPRS and CBPF_HELDOUT_SEED ask for a longer run.
	n, seed := 40, uint64(12)
	fmt.Sscan(os.Getenv("CBPF_HELDOUT_EXPRS"), &n)
	fmt.Sscan(os.Getenv("CBPF_HELDOUT_SEED"), &seed)
	r := rand.New(rand.NewPCG(seed, 1699))
	exprs := heldOutExprs(r, n)
	dir := t.TempDir()
	var ours, lib, packets, larger, wrong, oursRight, libRight int
	for _, link := range []uint32{pcap.LinkTypeEthernet, pcap.LinkTypeLinuxSLL, pcap.LinkTypeRaw} {
		empty := filepath.Join(dir, fmt.Sprintf("empty-%d.pcap", link))
		testenv.WritePcap(t, empty, link, nil, nil)
		for i, expr := range exprs {
			noopt, ok := tcpdumpDDD(t, tcpdump, empty, "-O", expr)
			if !ok {
				continue // an expression this link type cannot express
			}
			opt, _ := tcpdumpDDD(t, tcpdump, empty, "", expr)
			if len(opt) == 0 {
				// tcpdump prints no instruction for an expression that
				// rejects every packet: count it as "ret #0".
				opt = []bpf.RawInstruction{{Op: uint16(opcode.RetK)}}
			}
			out, _ := mustOptimize(t, noopt, Packet, Options{})
			ours += len(out)
			lib += len(opt)
			libWrong := libpcapChanges(t, noopt, opt)
			if libWrong {
				wrong++
			} else {
				oursRight += len(out)
				libRight += len(opt)
				// libpcap uses what tests of the length decide for the
				// loads after them; we do not, as with a packet cut by a
				// snapshot length, len is the wire length and says
				// nothing of how far loads can reach.
				if tooLarge(out, opt) && !readsLen(noopt) {
					t.Errorf("link %d %q: ours %d instructions, libpcap's optimizer %d (and it keeps the results)", link, expr, len(out), len(opt))
				}
			}
			if len(out) > len(opt) {
				larger++
				t.Logf("link %d %q: ours %d, libpcap %d (libpcap's changes results: %v)", link, expr, len(out), len(opt), libWrong)
			}
			var pkts [][]byte
			for _, p := range [][]bpf.RawInstruction{noopt, out} {
				ps, err := PathPackets(p)
				if err != nil {
					t.Fatal(err)
				}
				pkts = append(pkts, ps...)
			}
			for range 200 {
				// Random packets too, cut at random lengths.
				p := make([]byte, r.IntN(120))
				for j := range p {
					p[j] = byte(r.Uint32())
				}
				pkts = append(pkts, p)
			}
			// Every third packet is a capture cut short: its wire length
			// (what "len" reads) is longer than the bytes loads reach.
			wire := make([]uint32, len(pkts))
			for j, p := range pkts {
				wire[j] = uint32(len(p))
				if j%3 == 2 {
					wire[j] += uint32(1 + r.IntN(300))
				}
			}
			packets += len(pkts)
			file := filepath.Join(dir, fmt.Sprintf("p-%d-%d.pcap", link, i))
			testenv.WritePcap(t, file, link, pkts, wire)
			keep := make([]bool, len(pkts))
			for _, j := range testenv.TcpdumpKept(t, tcpdump, file, expr, "-O") {
				keep[j] = true
			}
			m, err := vm.New(out, vm.Packet)
			if err != nil {
				t.Fatal(err)
			}
			for j, p := range pkts {
				if got := m.RunPacket(p, &vm.Meta{WireLen: wire[j]}).Ret != 0; got != keep[j] {
					t.Fatalf("link %d %q: on packet % x (%d bytes, %d on the wire) libpcap (unoptimized) keeps %v, the optimized program %v\ninput:\n%v\nresult:\n%v",
						link, expr, p, len(p), wire[j], keep[j], got, noopt, out)
				}
			}
		}
	}
	t.Logf("%d held-out programs on %d packets agree with libpcap's interpreter; ours %d instructions, libpcap's optimizer %d; %d larger than libpcap's", 3*len(exprs), packets, ours, lib, larger)
	t.Logf("libpcap's optimizer changes results on %d of them; on the others, ours %d instructions, libpcap's %d", wrong, oursRight, libRight)
	if oursRight > libRight {
		t.Errorf("where libpcap's optimizer keeps the results: ours %d instructions in total, libpcap's %d", oursRight, libRight)
	}
}

// readsLen reports whether a program reads the packet's length.
func readsLen(p []bpf.RawInstruction) bool {
	for _, in := range p {
		if op := opcode.Op(in.Op); (op.Class() == opcode.LD || op.Class() == opcode.LDX) && op.Mode() == opcode.LEN {
			return true
		}
	}
	return false
}

// tcpdumpDDD compiles expr for the link type of file (flag "-O": with
// libpcap's optimizer off); ok is false when tcpdump refuses it.
func tcpdumpDDD(t *testing.T, tcpdump, file, flag, expr string) ([]bpf.RawInstruction, bool) {
	t.Helper()
	args := []string{"-r", file, "-ddd"}
	if flag != "" {
		args = append(args, flag)
	}
	out, err := exec.Command(tcpdump, append(args, expr)...).Output()
	if err != nil {
		return nil, false
	}
	f, err := asm.ParseFormat("ddd")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := asm.Read("tcpdump", out, f)
	if err != nil {
		t.Fatalf("tcpdump -ddd %q: %v", expr, err)
	}
	return prog, true
}
