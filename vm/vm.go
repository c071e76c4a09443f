package vm

import (
	"errors"

	"golang.org/x/net/bpf"
)

// API contract (other packages and tests are written against these names;
// the implementation may add to them but must keep them).

// Mode selects what a program reads: seccomp_data or a packet.
type Mode uint8

const (
	Seccomp Mode = iota // input is struct seccomp_data
	Packet              // input is a packet (socket filter)
)

// SeccompData mirrors struct seccomp_data. The VM lays it out in the byte
// order of the arch named by Arch (AUDIT_ARCH values carry
// __AUDIT_ARCH_LE = 0x40000000 for little endian).
type SeccompData struct {
	Nr                 int32
	Arch               uint32
	InstructionPointer uint64
	Args               [6]uint64
}

// Meta holds the per-packet values the Linux ancillary loads read.
type Meta struct{}

// Result is the outcome of one run.
type Result struct {
	Ret   uint32 // the program's return value
	Insns int    // instructions executed, the return included
}

// Machine is a program decoded and checked once, to run on many inputs.
type Machine struct{}

// New prepares prog for mode.
func New(prog []bpf.RawInstruction, mode Mode) (*Machine, error) {
	return nil, errors.New("vm: not implemented yet")
}

// RunSeccomp runs the program on d.
func (m *Machine) RunSeccomp(d SeccompData) Result { return Result{} }

// RunPacket runs the program on pkt; meta may be nil.
func (m *Machine) RunPacket(pkt []byte, meta *Meta) Result { return Result{} }
