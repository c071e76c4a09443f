package vm

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"unsafe"

	"github.com/cbpfkit/cbpf/diag"
	"github.com/cbpfkit/cbpf/opcode"
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

func (m Mode) String() string {
	switch m {
	case Seccomp:
		return "seccomp"
	case Packet:
		return "packet"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// SeccompData mirrors struct seccomp_data. The VM lays it out in the byte
// order of the arch named by Arch (AUDIT_ARCH values carry
// __AUDIT_ARCH_LE = 0x40000000 for little endian).
type SeccompData struct {
	Nr                 int32
	Arch               uint32
	InstructionPointer uint64
	Args               [6]uint64
}

// SeccompDataSize is sizeof(struct seccomp_data): what "ld len" reads in
// seccomp mode.
const SeccompDataSize = opcode.SeccompDataSize

// auditArchLE is __AUDIT_ARCH_LE: set in the AUDIT_ARCH value of every
// little-endian arch.
const auditArchLE = 0x40000000

// Meta holds the per-packet values the Linux ancillary loads read, and the
// two lengths and header offsets a packet filter can see besides the bytes.
// The zero value (or a nil *Meta) describes a packet whose length is
// len(pkt), whose network header is at offset 0 and whose ancillary fields
// are all 0.
type Meta struct {
	// WireLen, when non-zero, is what "ld len" / "ldx len" read: the
	// packet's length on the wire (pcap orig_len), while loads stay bounded
	// by the bytes captured, len(pkt). This is libpcap's bpf_filter
	// (wirelen versus buflen). Zero means len(pkt), as in the kernel.
	WireLen uint32

	// NetOffset is where the network header starts in pkt: the base of
	// SKF_NET_OFF (-0x100000) relative loads. The link-layer header (base of
	// SKF_LL_OFF, -0x200000) is at offset 0.
	NetOffset int

	Protocol      uint16 // SKF_AD_PROTOCOL: skb->protocol in host order (0x0800 for IPv4)
	PktType       uint8  // SKF_AD_PKTTYPE: PACKET_HOST 0, BROADCAST 1, ..., OUTGOING 4 (3 bits)
	Ifindex       uint32 // SKF_AD_IFINDEX
	Mark          uint32 // SKF_AD_MARK
	Queue         uint16 // SKF_AD_QUEUE: skb->queue_mapping
	Hatype        uint16 // SKF_AD_HATYPE: dev->type (ARPHRD_ETHER 1, ARPHRD_LOOPBACK 772)
	Rxhash        uint32 // SKF_AD_RXHASH: skb->hash
	CPU           uint32 // SKF_AD_CPU
	VlanTCI       uint16 // SKF_AD_VLAN_TAG: the offloaded VLAN tag
	VlanPresent   bool   // SKF_AD_VLAN_TAG_PRESENT (the kernel tests vlan_proto|vlan_tci != 0)
	VlanTPID      uint16 // SKF_AD_VLAN_TPID: skb->vlan_proto in host order
	PayloadOffset uint32 // SKF_AD_PAY_OFFSET: what skb_get_poff computes
	Rand          uint32 // SKF_AD_RANDOM: the "random" number to return
}

// Result is the outcome of one run.
type Result struct {
	Ret   uint32 // the program's return value
	Insns int    // instructions executed, the return included
}

// Machine is a program decoded and checked once, to run on many inputs.
// A Machine is immutable after New: it may run on many goroutines at once.
type Machine struct {
	mode  Mode
	prog  []bpf.RawInstruction // as given, for traces
	insns []insn               // decoded, for the trace and coverage path
	fast  []finsn              // the fast form, for runs without options
	hash  []uint64             // hash tables of its long jeq chains
}

// Mode reports the mode the Machine was prepared for.
func (m *Machine) Mode() Mode { return m.mode }

// Len reports the number of instructions of the program.
func (m *Machine) Len() int { return len(m.insns) }

// New prepares prog for mode. It accepts exactly the programs the Linux
// kernel accepts for that mode (bpf_check_classic, plus seccomp_check_filter
// for Seccomp) and rejects the others with an *Error naming the instruction.
func New(prog []bpf.RawInstruction, mode Mode) (*Machine, error) {
	if mode != Seccomp && mode != Packet {
		return nil, &Error{PC: -1, Msg: fmt.Sprintf("unknown mode %d", mode)}
	}
	if err := Check(prog, mode); err != nil {
		return nil, err
	}
	m := &Machine{mode: mode, prog: append([]bpf.RawInstruction(nil), prog...)}
	m.insns = make([]insn, len(prog))
	for pc, ri := range prog {
		m.insns[pc] = decode(ri, pc, mode)
	}
	m.fast, m.hash = compileFast(m.insns)
	return m, nil
}

// RunSeccomp runs the program on d. A Machine prepared for Packet returns
// the zero Result.
func (m *Machine) RunSeccomp(d SeccompData) Result {
	if m == nil || m.mode != Seccomp {
		return Result{}
	}
	// The fast path reads the words of seccomp_data straight from d. A
	// 32-bit load reads the half of a 64-bit field that sits at that
	// offset in the arch's own byte order; d's memory holds the host's.
	// Where the two differ, swapping the halves of each 64-bit field of
	// this copy fixes that.
	if (d.Arch&auditArchLE != 0) != hostLE {
		d.InstructionPointer = bits.RotateLeft64(d.InstructionPointer, 32)
		for i := range d.Args {
			d.Args[i] = bits.RotateLeft64(d.Args[i], 32)
		}
	}
	return m.runFast(unsafe.Pointer(&d), 0, nil)
}

// hostLE is whether this machine is little endian.
var hostLE = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// These fail to compile unless SeccompData is laid out as struct
// seccomp_data, so that RunSeccomp can read it as 16 words.
var (
	_ = [1]struct{}{}[unsafe.Sizeof(SeccompData{})-SeccompDataSize]
	_ = [1]struct{}{}[unsafe.Offsetof(SeccompData{}.Arch)-4]
	_ = [1]struct{}{}[unsafe.Offsetof(SeccompData{}.InstructionPointer)-8]
	_ = [1]struct{}{}[unsafe.Offsetof(SeccompData{}.Args)-16]
)

// RunPacket runs the program on pkt; meta may be nil. A Machine prepared
// for Seccomp returns the zero Result.
func (m *Machine) RunPacket(pkt []byte, meta *Meta) Result {
	if m == nil || m.mode != Packet {
		return Result{}
	}
	// runFast takes meta.WireLen for "len" when it is set. This stays
	// small enough to be inlined, which saves a call per run.
	return m.runFast(unsafe.Pointer(unsafe.SliceData(pkt)), uint(len(pkt)), meta)
}

// Step is the state after one instruction, as passed to Options.Trace.
type Step struct {
	PC   int                // index of the instruction executed
	Insn bpf.RawInstruction // the instruction
	A, X uint32             // the registers after it
	// Exit is true when the program ended at this instruction: a return,
	// or a fault (load out of bounds, division by X == 0), which returns 0.
	Exit  bool
	Fault bool
}

// Options asks for more than the result. A nil *Options costs nothing.
type Options struct {
	// Trace, when not nil, is called after every instruction executed.
	Trace func(Step)
	// Coverage, when not nil, gets Coverage[pc] = true for every
	// instruction executed. Callers size it to Machine.Len(); entries past
	// its end are not recorded. It is never cleared by the VM, so one slice
	// can accumulate coverage over many runs.
	Coverage []bool
}

// RunSeccompOpts runs the program on d with options o (nil for none).
func (m *Machine) RunSeccompOpts(d SeccompData, o *Options) Result {
	if o == nil {
		return m.RunSeccomp(d)
	}
	if m == nil || m.mode != Seccomp {
		return Result{}
	}
	var w [16]uint32
	w[0] = uint32(d.Nr)
	w[1] = d.Arch
	// A 32-bit load reads the half of a 64-bit field that sits at that
	// offset in the arch's own byte order: on a big-endian arch the high
	// word comes first.
	hi, lo := 0, 1
	if d.Arch&auditArchLE != 0 {
		hi, lo = 1, 0
	}
	w[2+hi] = uint32(d.InstructionPointer >> 32)
	w[2+lo] = uint32(d.InstructionPointer)
	for i, a := range d.Args {
		w[4+2*i+hi] = uint32(a >> 32)
		w[4+2*i+lo] = uint32(a)
	}
	return m.run(nil, SeccompDataSize, nil, &w, o)
}

// RunPacketOpts runs the program on pkt with meta (nil for none) and
// options o (nil for none).
func (m *Machine) RunPacketOpts(pkt []byte, meta *Meta, o *Options) Result {
	if o == nil {
		return m.RunPacket(pkt, meta)
	}
	if m == nil || m.mode != Packet {
		return Result{}
	}
	wire := uint32(len(pkt))
	if meta != nil && meta.WireLen != 0 {
		wire = meta.WireLen
	}
	return m.run(pkt, wire, meta, nil, o)
}

// Run is a one-shot: it prepares prog for seccomp and runs it on d.
func Run(prog []bpf.RawInstruction, d SeccompData) (Result, error) {
	m, err := New(prog, Seccomp)
	if err != nil {
		return Result{}, err
	}
	return m.RunSeccomp(d), nil
}

// RunPacket is a one-shot: it prepares prog as a socket filter and runs it
// on pkt with meta (which may be nil).
func RunPacket(prog []bpf.RawInstruction, pkt []byte, meta *Meta) (Result, error) {
	m, err := New(prog, Packet)
	if err != nil {
		return Result{}, err
	}
	return m.RunPacket(pkt, meta), nil
}

// Error is a program the kernel would reject.
type Error struct {
	PC   int                // the index of the instruction at fault; -1 for the program as a whole
	Insn bpf.RawInstruction // the instruction at fault, when PC >= 0
	Code string             // the reason, stable: CodeJumpRange, ...
	Msg  string
}

// As lets errors.As see e as a *diag.Error at its instruction, with the
// code of the reason (CodeJumpRange, ...) as its diag.Code.
func (e *Error) As(target any) bool {
	t, ok := target.(**diag.Error)
	if ok {
		*t = &diag.Error{Pos: diag.AtInsn(e.PC), Code: diag.Code(e.Code), Msg: e.Msg}
	}
	return ok
}

func (e *Error) Error() string {
	if e.PC < 0 {
		return "vm: " + e.Msg
	}
	return fmt.Sprintf("vm: instruction %d (code 0x%02x jt %d jf %d k 0x%x): %s",
		e.PC, e.Insn.Op, e.Insn.Jt, e.Insn.Jf, e.Insn.K, e.Msg)
}
