package asm

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// dotEdge is one control-flow edge out of a basic block.
type dotEdge struct {
	to    int
	label string // "true", "false", "" for ja and fall-through
}

// dotSuccs returns where control goes after instruction pc; -1 stands for a
// jump past the end of the program.
func dotSuccs(prog []bpf.RawInstruction, pc int) []dotEdge {
	succ := opcode.Successors(prog[pc], pc)
	edges := make([]dotEdge, len(succ))
	for i, to := range succ {
		if to >= len(prog) {
			to = -1
		}
		edges[i].to = to
		if len(succ) == 2 {
			edges[i].label = [2]string{"true", "false"}[i]
		}
	}
	return edges
}

// dotEscape quotes s for a Graphviz string, each line left-justified.
func dotEscape(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\t", " ").Replace(s)
	return strings.TrimRight(s, " ") + `\l`
}

// writeDot writes the control-flow graph of prog: one node a basic block,
// labelled with its tcpdump -d lines (each followed by "(also jf=1)" and
// the like where the instruction has fields tcpdump does not show); true edges solid green, false edges
// dashed red. Edges carry no text labels: Graphviz lays out labelled edges
// orders of magnitude slower on filters with a hundred blocks.
func writeDot(w io.Writer, prog []bpf.RawInstruction) error {
	leaders := opcode.Program(prog).Leaders()
	var starts []int
	for pc := range prog {
		if leaders[pc] {
			starts = append(starts, pc)
		}
	}

	bw := bufio.NewWriter(w)
	bw.WriteString("digraph bpf {\n")
	bw.WriteString("\t// true: solid green; false: dashed red\n")
	bw.WriteString("\tnode [shape=box, fontname=\"monospace\"];\n")
	past := false
	for i, start := range starts {
		end := len(prog)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		var label strings.Builder
		for pc := start; pc < end; pc++ {
			line := tcpdumpLine(prog[pc], pc)
			if c := tcpdumpCanonical(prog[pc]); c != prog[pc] {
				line = strings.TrimRight(line, " ") + "  (also " + fieldDiff(prog[pc], c) + ")"
			}
			label.WriteString(dotEscape(line))
		}
		fmt.Fprintf(bw, "\tb%d [label=\"%s\"];\n", start, label.String())
		for _, e := range dotSuccs(prog, end-1) {
			to := fmt.Sprintf("b%d", e.to)
			if e.to < 0 {
				to, past = "past_end", true
			}
			switch e.label {
			case "true":
				fmt.Fprintf(bw, "\tb%d -> %s [color=\"darkgreen\"];\n", start, to)
			case "false":
				fmt.Fprintf(bw, "\tb%d -> %s [color=\"red\", style=\"dashed\"];\n", start, to)
			default:
				fmt.Fprintf(bw, "\tb%d -> %s;\n", start, to)
			}
		}
	}
	if past {
		bw.WriteString("\tpast_end [label=\"jump past the end\", shape=octagon, color=\"red\"];\n")
	}
	bw.WriteString("}\n")
	return bw.Flush()
}
