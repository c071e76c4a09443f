package optimize

import (
	"bufio"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/verify"
)

// tcpdumpCase is one expression of testdata/tcpdump for one link type:
// libpcap's program with its optimizer off (tcpdump -O -ddd) and on.
type tcpdumpCase struct {
	id, link, expr string
	noopt, opt     []bpf.RawInstruction
}

func readDDD(t *testing.T, name string) []bpf.RawInstruction {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata/tcpdump", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := asm.ParseFormat("ddd")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := asm.Read(name, data, f)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

func tcpdumpCases(t *testing.T) []tcpdumpCase {
	t.Helper()
	f, err := os.Open("testdata/tcpdump/cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cs []tcpdumpCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		parts := strings.SplitN(line, " ", 3)
		c := tcpdumpCase{id: parts[0], link: parts[1], expr: parts[2]}
		c.noopt = readDDD(t, c.id+"-"+c.link+"-O.ddd")
		c.opt = readDDD(t, c.id+"-"+c.link+".ddd")
		cs = append(cs, c)
	}
	return cs
}

// TestTcpdumpCorpus optimizes libpcap's unoptimized programs, proves each
// result against its input (truncated packets included), and compares
// sizes with libpcap's optimizer. It also lists the programs on which
// libpcap's optimizer changes a result.
func TestTcpdumpCorpus(t *testing.T) {
	cs := tcpdumpCases(t)
	if len(cs) < 150 {
		t.Fatalf("only %d cases", len(cs))
	}
	var noopt, lib, ours, libE, oursE, nooptE, larger int
	var libWrong, invalid []string
	for _, c := range cs {
		if !verify.Valid(c.noopt, Packet) {
			// protochain: unoptimized, libpcap loops backwards.
			invalid = append(invalid, c.id+" "+c.link+" "+c.expr)
			continue
		}
		out, _ := mustOptimize(t, c.noopt, Packet, Options{Inputs: 4000})
		noopt += len(c.noopt)
		lib += len(c.opt)
		ours += len(out)
		nooptE += Measure(c.noopt, Packet).EBPF
		libE += Measure(c.opt, Packet).EBPF
		oursE += Measure(out, Packet).EBPF
		wrong := libpcapChanges(t, c.noopt, c.opt)
		if wrong {
			libWrong = append(libWrong, c.id+" "+c.link+" "+c.expr)
		}
		if len(out) > len(c.opt) {
			larger++
			t.Logf("%s %s %q: ours %d, libpcap %d (libpcap's changes results: %v)", c.id, c.link, c.expr, len(out), len(c.opt), wrong)
			if tooLarge(out, c.opt) && !wrong {
				t.Errorf("%s %s %q: ours %d instructions, libpcap's optimizer %d (and it keeps the results)", c.id, c.link, c.expr, len(out), len(c.opt))
			}
		}
	}
	t.Logf("%d programs: unoptimized %d instructions (eBPF %d), libpcap -O off %d, libpcap optimizer %d (eBPF %d), ours %d (eBPF %d); %d programs larger than libpcap's",
		len(cs)-len(invalid), noopt, nooptE, noopt, lib, libE, ours, oursE, larger)
	if ours > lib {
		t.Errorf("ours %d instructions in total, libpcap's optimizer %d", ours, lib)
	}
	t.Logf("%d unoptimized programs the kernel rejects (skipped): %s", len(invalid), strings.Join(invalid, "; "))
	t.Logf("libpcap's optimizer changes results on %d programs:\n%s", len(libWrong), strings.Join(libWrong, "\n"))
}

// libpcapChanges reports whether libpcap's optimized program opt returns
// something else than its unoptimized program on some packet (the
// differential finds one).
func libpcapChanges(t *testing.T, noopt, opt []bpf.RawInstruction) bool {
	t.Helper()
	_, err := differential(noopt, opt, Packet, Options{Inputs: 20000, Size: true})
	var e *Error
	if err != nil && !errors.As(err, &e) {
		t.Fatal(err)
	}
	return err != nil
}

// tooLarge is the size goal: ours no more than 5% or 1 instruction
// larger than libpcap's.
func tooLarge(ours, lib []bpf.RawInstruction) bool {
	return len(ours) > len(lib)+max(1, len(lib)/20)
}

// TestLibpcapConstantFold is libpcap #1699: its value numbering folds
// "1/2=1/3&&1>4/5&&1>6/7", which is true, into false.
func TestLibpcapConstantFold(t *testing.T) {
	for _, c := range tcpdumpCases(t) {
		if c.expr != "1/2=1/3&&1>4/5&&1>6/7" {
			continue
		}
		out, _ := mustOptimize(t, c.noopt, Packet, Options{})
		for _, p := range [][]bpf.RawInstruction{c.noopt, out} {
			if r := run(t, p, make([]byte, 60)); r != 262144 {
				t.Errorf("%s: returns %d, want 262144\n%s", c.link, r, opcode.Program(p))
			}
		}
		if len(out) > 2 {
			t.Errorf("%s: %d instructions, want a constant return:\n%s", c.link, len(out), opcode.Program(out))
		}
		return
	}
	t.Fatal("case missing from the corpus")
}

// TestRandomPacketsAgainstCorpus runs the corpus programs' results on
// random frames of random lengths (the differential in mustOptimize uses
// inputs made from the program; these are not).
func TestRandomPacketsAgainstCorpus(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range tcpdumpCases(t)[:60] {
		out, _ := mustOptimize(t, c.noopt, Packet, Options{})
		checkCounts(t, c.noopt, out, Packet, r)
	}
}

// TestLibpcapTruncated: libpcap's optimizer reorders "tcp port 22 or tcp
// port 80" so that a TCP packet from port 80 cut before its destination
// port is accepted; the unoptimized program rejects it (the load of the
// destination port fails first), and so must ours.
func TestLibpcapTruncated(t *testing.T) {
	for _, c := range tcpdumpCases(t) {
		if c.id != "105" || c.link != "EN10MB" {
			continue
		}
		pkt := make([]byte, 37) // Ethernet, IPv4 (IHL 5), TCP cut inside the destination port
		pkt[12], pkt[13] = 0x08, 0x00
		pkt[14] = 0x45
		pkt[23] = 6
		pkt[34], pkt[35] = 0, 80 // source port 80
		out, _ := mustOptimize(t, c.noopt, Packet, Options{})
		if got := run(t, c.noopt, pkt); got != 0 {
			t.Fatalf("unoptimized: %d, want 0", got)
		}
		if got := run(t, out, pkt); got != 0 {
			t.Errorf("ours: %d, want 0", got)
		}
		if got := run(t, c.opt, pkt); got == 0 {
			t.Logf("libpcap's optimizer keeps this one: %d", got)
		} else {
			t.Logf("libpcap's optimized program accepts it (%d): a result libpcap's optimizer changed", got)
		}
		return
	}
	t.Fatal("case missing")
}
