package main

import (
	"fmt"
	"os"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/internal/pcap"
	"github.com/cbpfkit/cbpf/optimize"
	"github.com/cbpfkit/cbpf/vm"
)

var optCommand = &command{
	name:    "opt",
	args:    "[FILE|-]",
	summary: "optimize a program: smaller and faster, same results",
	about: `Optimize a seccomp filter or a packet filter: remove what cannot run, thread
jumps that earlier tests decide, drop redundant loads and dead stores, fold
constants, share identical tails. The result returns what the input returns
on every input (truncated packets included); no input runs more
instructions unless --size is given; in seccomp mode every syscall the
kernel's action cache served stays cached. A one-line summary goes to
stderr; the program to stdout (bpf_asm text unless -o names a format).

--prove checks the result before printing it: verify.Equivalent in seccomp
mode, and a differential run on inputs made from the program (lengths around
every load included); a disagreement is an optimizer bug, reported with the
input, and nothing is printed.

Examples:
  cbpf opt --prove filter.bpf
  tcpdump -O -ddd -y EN10MB 'tcp port 22' | cbpf opt --mode packet -o ddd
` + formatHelp,
	run: runOpt,
}

func runOpt(e *env, fs *flags, args []string) error {
	name := fs.name
	mode := fs.String("mode", "seccomp", "`mode`: seccomp or packet")
	in := fs.String("i", "", "input `format` ("+formatList(true)+"; empty: detect)")
	out := fs.String("o", string(asm.Asm), "output `format` ("+formatList(false)+")")
	size := fs.Bool("size", false, "allow changes that make some inputs run more instructions for a shorter program")
	prove := fs.Bool("prove", false, "check the result is equivalent before printing it")
	passes := fs.Bool("passes", false, "list on stderr what each pass changed")
	cost := fs.Bool("cost", false, "add the eBPF length and the instructions executed per input, classic and eBPF, before and after (what the kernel runs) to the summary")
	packets := fs.String("packets", "", "with --cost in packet mode: measure over the packets of this pcap `file` (default: one packet for each path found)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 1 {
		return fs.usageError("at most one FILE, got %d", len(fs.positional))
	}
	m, err := modeFlag(*mode)
	if err != nil {
		return fs.usageError("--mode: %v", err)
	}
	if *packets != "" && (m != vm.Packet || !*cost) {
		return fs.usageError("--packets needs --mode packet and --cost")
	}
	of, err := asm.ParseFormat(*out)
	if err != nil {
		return fs.usageError("-o: %v", err)
	}
	path := ""
	if len(fs.positional) == 1 {
		path = fs.positional[0]
	}
	prog, _, err := readProgram(e, name, path, *in)
	if err != nil {
		return err
	}
	res, rep, err := optimize.Program(prog, m, optimize.Options{Size: *size, Prove: *prove})
	if err != nil {
		// Invalid input, or a result that failed its proof (an
		// *optimize.Error, which carries the input to report).
		return fail(exitBad, "cbpf %s: %v", name, err)
	}
	summary := fmt.Sprintf("cbpf %s: %d -> %d instructions", name, rep.Before.Insns, rep.After.Insns)
	if *cost {
		summary += fmt.Sprintf(", eBPF %d -> %d", rep.Before.EBPF, rep.After.EBPF)
		if rep.Before.Approx || rep.After.Approx {
			summary += " (approximate: ancillary loads counted as 1)"
		}
		ex, err := executedCost(prog, res, m, *packets)
		if err != nil {
			return err
		}
		summary += ex
	}
	if rep.Kept != "" {
		summary += "; input kept: " + rep.Kept
	}
	if rep.Proof != "" {
		summary += "; " + rep.Proof
	}
	fmt.Fprintln(e.stderr, summary)
	if *passes {
		for _, p := range rep.Passes {
			fmt.Fprintf(e.stderr, "  %-12s %d changes\n", p.Name, p.Changes)
		}
		fmt.Fprintf(e.stderr, "  %d sweeps\n", rep.Sweeps)
	}
	return writeProgram(e, name, res, of)
}

// executedCost measures the instructions executed per input before and
// after, for the --cost summary.
func executedCost(before, after []bpf.RawInstruction, m vm.Mode, packets string) (string, error) {
	var pkts [][]byte
	var metas []*vm.Meta
	if packets != "" {
		f, err := os.Open(packets)
		if err != nil {
			return "", ioError("opt", err)
		}
		defer f.Close()
		h, recs, err := pcap.ReadAll(f)
		if err != nil {
			return "", fail(exitBad, "cbpf opt: %s: %v", packets, err)
		}
		pkts = [][]byte{}
		for _, r := range recs {
			// As cbpf run sees them: "len" is the wire length.
			meta := &vm.Meta{NetOffset: netOffset(h.LinkType), WireLen: max(r.OrigLen, uint32(len(r.Data)))}
			pkts = append(pkts, r.Data)
			metas = append(metas, meta)
		}
	}
	measure := func(p []bpf.RawInstruction) (optimize.Executed, error) {
		if m == vm.Seccomp {
			return optimize.ExecutedSeccomp(p)
		}
		return optimize.ExecutedPackets(p, pkts, metas)
	}
	over := ""
	if m == vm.Packet && pkts == nil {
		// One packet for each path of the input, run by both programs.
		var err error
		if pkts, err = optimize.PathPackets(before); err != nil {
			return "", fail(exitBad, "cbpf opt: %v", err)
		}
		over = fmt.Sprintf("%d packets, one for each path of the input found", len(pkts))
	}
	b, err := measure(before)
	if err != nil {
		return "", fail(exitBad, "cbpf opt: %v", err)
	}
	a, err := measure(after)
	if err != nil {
		return "", fail(exitBad, "cbpf opt: %v", err)
	}
	if over == "" {
		over = b.Over
	}
	return fmt.Sprintf("; executed over %s: mean %.2f -> %.2f (eBPF %.2f -> %.2f), max %d -> %d (eBPF %d -> %d)",
		over, b.Insns, a.Insns, b.EBPF, a.EBPF, b.MaxInsns, a.MaxInsns, b.MaxEBPF, a.MaxEBPF), nil
}
