//go:build !linux

package kernel

import "golang.org/x/net/bpf"

// Outside Linux there is no kernel to ask: everything reports
// ErrUnsupported.

func MaybeChild() {}

func SeccompBatch([]SeccompJob) (*SeccompRun, error) { return nil, ErrUnsupported }

func Seccomp([]bpf.RawInstruction, []Input) ([]uint32, error) { return nil, ErrUnsupported }

func SeccompAcceptsBatch([][]bpf.RawInstruction) ([]error, error) { return nil, ErrUnsupported }

func SeccompAccepts([]bpf.RawInstruction) (error, error) { return nil, ErrUnsupported }

func SocketAcceptsBatch([][]bpf.RawInstruction) ([]error, error) { return nil, ErrUnsupported }

func SocketAccepts([]bpf.RawInstruction) (error, error) { return nil, ErrUnsupported }

type PacketMeta struct {
	Protocol  uint16
	PktType   uint32
	Ifindex   uint32
	Hatype    uint32
	Mark      uint32
	Queue     uint32
	VlanTag   uint32
	VlanAvail bool
}

func FrameMeta([]byte) PacketMeta { return PacketMeta{} }

func CheckFrame([]byte) error { return ErrUnsupported }

type PacketOracle struct{}

func NewPacketOracle() (*PacketOracle, error) { return nil, ErrUnsupported }

func (*PacketOracle) Run([]bpf.RawInstruction, [][]byte) ([]int, error) { return nil, ErrUnsupported }

func (*PacketOracle) Close() error { return nil }

const packetPrefixLen = 9
