package opcode

import (
	"strconv"
	"strings"

	"golang.org/x/net/bpf"
)

// Program is a classic BPF program: the instructions of struct sock_fprog.
// It converts to and from []bpf.RawInstruction without a copy
// (Program(raw), []bpf.RawInstruction(p)); an instruction's index in it is
// its PC.
type Program []bpf.RawInstruction

// Op returns the opcode of the instruction at pc.
func (p Program) Op(pc int) Op { return Op(p[pc].Op) }

// Successors returns where control may go after the instruction at pc,
// as Successors does; a target of len(p) or more is past the end.
func (p Program) Successors(pc int) []int { return Successors(p[pc], pc) }

// Leaders returns which instructions start a basic block: the first, every
// jump target inside the program, and every instruction after a jump or a
// return. The result has len(p)+1 entries, the last standing for the end
// of the program (a target past the end counts as it).
func (p Program) Leaders() []bool {
	leaders := make([]bool, len(p)+1)
	leaders[0] = true
	for pc := range p {
		if op := p.Op(pc); op.IsJump() || op.IsReturn() {
			leaders[pc+1] = true
			for _, t := range p.Successors(pc) {
				leaders[min(t, len(p))] = true
			}
		}
	}
	return leaders
}

// String returns p in bpf_asm syntax, one instruction a line, each
// prefixed with its PC and written as String writes it.
func (p Program) String() string {
	var b strings.Builder
	for pc, ins := range p {
		b.WriteString(strconv.Itoa(pc))
		b.WriteString(": ")
		b.WriteString(String(ins, pc))
		b.WriteByte('\n')
	}
	return b.String()
}
