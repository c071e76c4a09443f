package kernel

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// How the packet oracle observes a verdict without waiting for a timeout.
//
// Frames are sent with one AF_PACKET socket and received with another, both
// bound to lo in a network namespace of their own, so no other traffic
// arrives. The receiver ignores outgoing copies (PACKET_IGNORE_OUTGOING) and
// carries the program behind a prefix that accepts a sentinel frame whole
// and otherwise resets A and falls into the program. Each test frame is
// followed by a sentinel: if the sentinel arrives first, the frame was
// dropped; otherwise what arrived is the frame cut to min(ret, len).

const packetPrefixLen = 9

const (
	sentinelLen    = 1021
	sentinelMagic0 = 0xcb9fcb9f
	sentinelMagic1 = 0x5e471e10
	ethPAll        = 0x0003
)

// PacketMeta is what the Linux ancillary loads see for a frame injected on
// lo: skb->protocol (from the Ethernet header, as eth_type_trans computes
// it), pkt_type, the ifindex and type of lo, and the rest zero (no mark, no
// VLAN tag, queue 0).
type PacketMeta struct {
	Protocol  uint16 // host order, e.g. 0x0800
	PktType   uint32 // PACKET_HOST 0, BROADCAST 1, MULTICAST 2, OTHERHOST 3
	Ifindex   uint32 // 1: lo in the oracle's namespace
	Hatype    uint32 // ARPHRD_LOOPBACK 772
	Mark      uint32
	Queue     uint32
	VlanTag   uint32
	VlanAvail bool
}

// FrameMeta returns the metadata the kernel gives frame on the oracle's lo.
// lo's address and its broadcast address are both 00:00:00:00:00:00, so a
// frame to ff:ff:ff:ff:ff:ff is MULTICAST, never BROADCAST.
func FrameMeta(frame []byte) PacketMeta {
	m := PacketMeta{Ifindex: 1, Hatype: unix.ARPHRD_LOOPBACK}
	if len(frame) < 14 {
		return m
	}
	dst := frame[:6]
	switch {
	case bytes.Equal(dst, []byte{0, 0, 0, 0, 0, 0}):
		m.PktType = unix.PACKET_HOST
	case dst[0]&1 != 0:
		m.PktType = unix.PACKET_MULTICAST
	default:
		m.PktType = unix.PACKET_OTHERHOST
	}
	proto := binary.BigEndian.Uint16(frame[12:])
	switch {
	case proto >= 0x600:
		m.Protocol = proto
	case len(frame) >= 16 && frame[14] == 0xff && frame[15] == 0xff:
		m.Protocol = 0x0001 // ETH_P_802_3: raw 802.3 (Novell)
	default:
		m.Protocol = 0x0004 // ETH_P_802_2
	}
	return m
}

// PacketOracle runs packet filters on frames under the kernel.
type PacketOracle struct {
	rx, tx int
	to     unix.SockaddrLinklayer
	buf    []byte
	sent   []byte
}

// NewPacketOracle creates the namespace and sockets. It needs root
// (CAP_SYS_ADMIN, CAP_NET_RAW). It changes nothing in the calling process
// but two file descriptors: the namespace lives on a thread that is then
// destroyed, and in the sockets. Close releases them.
func NewPacketOracle() (*PacketOracle, error) {
	type result struct {
		o   *PacketOracle
		err error
	}
	ch := make(chan result, 1)
	go func() {
		// Never unlocked: the thread is in the new namespace and must not
		// run other goroutines; it is destroyed when this one returns.
		runtime.LockOSThread()
		o, err := newPacketOracle()
		ch <- result{o, err}
	}()
	r := <-ch
	return r.o, r.err
}

func newPacketOracle() (o *PacketOracle, err error) {
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		return nil, fmt.Errorf("kernel oracle: unshare(CLONE_NEWNET): %w", err)
	}
	ctl, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("kernel oracle: %w", err)
	}
	defer unix.Close(ctl)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return nil, err
	}
	if err := unix.IoctlIfreq(ctl, unix.SIOCGIFFLAGS, ifr); err != nil {
		return nil, fmt.Errorf("kernel oracle: SIOCGIFFLAGS lo: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(ctl, unix.SIOCSIFFLAGS, ifr); err != nil {
		return nil, fmt.Errorf("kernel oracle: bringing lo up: %w", err)
	}
	if err := unix.IoctlIfreq(ctl, unix.SIOCGIFINDEX, ifr); err != nil {
		return nil, fmt.Errorf("kernel oracle: SIOCGIFINDEX lo: %w", err)
	}
	ifindex := int(ifr.Uint32())

	o = &PacketOracle{rx: -1, tx: -1, buf: make([]byte, 1<<17)}
	defer func() {
		if err != nil {
			o.Close()
			o = nil
		}
	}()
	htons := func(v uint16) uint16 { return v<<8 | v>>8 }
	if o.rx, err = unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(htons(ethPAll))); err != nil {
		return nil, fmt.Errorf("kernel oracle: packet socket: %w", err)
	}
	if err = unix.Bind(o.rx, &unix.SockaddrLinklayer{Protocol: htons(ethPAll), Ifindex: ifindex}); err != nil {
		return nil, fmt.Errorf("kernel oracle: bind: %w", err)
	}
	if err = unix.SetsockoptInt(o.rx, unix.SOL_PACKET, unix.PACKET_IGNORE_OUTGOING, 1); err != nil {
		return nil, fmt.Errorf("kernel oracle: PACKET_IGNORE_OUTGOING: %w", err)
	}
	// A lost sentinel must end in an error, not a hang.
	if err = unix.SetsockoptTimeval(o.rx, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &unix.Timeval{Sec: 5}); err != nil {
		return nil, err
	}
	if err = unix.SetsockoptInt(o.rx, unix.SOL_SOCKET, unix.SO_RCVBUF, 4<<20); err != nil {
		return nil, err
	}
	if o.tx, err = unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0); err != nil {
		return nil, fmt.Errorf("kernel oracle: packet socket: %w", err)
	}
	o.to = unix.SockaddrLinklayer{Ifindex: ifindex}
	if ifindex != 1 {
		return nil, fmt.Errorf("kernel oracle: lo has ifindex %d in a new namespace, want 1", ifindex)
	}
	o.sent = make([]byte, sentinelLen)
	binary.BigEndian.PutUint32(o.sent[0:], sentinelMagic0)
	binary.BigEndian.PutUint32(o.sent[4:], sentinelMagic1)
	binary.BigEndian.PutUint16(o.sent[12:], 0x88b5) // local experimental ethertype
	return o, nil
}

// Close releases the sockets (and with them the namespace).
func (o *PacketOracle) Close() error {
	var errs []error
	for _, fd := range []int{o.rx, o.tx} {
		if fd >= 0 {
			errs = append(errs, unix.Close(fd))
		}
	}
	o.rx, o.tx = -1, -1
	return errors.Join(errs...)
}

func (o *PacketOracle) isSentinel(p []byte) bool {
	return len(p) == sentinelLen && bytes.Equal(p, o.sent)
}

// CheckFrame says why frame cannot be run by the oracle, or nil. Frames
// must be 14..65535 bytes (the kernel will not send a shorter frame on lo),
// must not carry a VLAN ethertype (the kernel strips the tag before any
// filter sees the frame), and must not begin like the sentinel.
func CheckFrame(frame []byte) error {
	switch {
	case len(frame) < 14:
		return fmt.Errorf("kernel oracle: frame of %d bytes: lo needs at least a 14-byte Ethernet header", len(frame))
	case len(frame) > 65535:
		return fmt.Errorf("kernel oracle: frame of %d bytes: at most 65535", len(frame))
	}
	switch binary.BigEndian.Uint16(frame[12:]) {
	case 0x8100, 0x88a8:
		return errors.New("kernel oracle: VLAN-tagged frame: the kernel untags it before the filter runs")
	}
	if binary.BigEndian.Uint32(frame) == sentinelMagic0 && binary.BigEndian.Uint32(frame[4:]) == sentinelMagic1 {
		return errors.New("kernel oracle: frame begins like the oracle's sentinel")
	}
	return nil
}

// wrapPacket puts the sentinel prefix in front of prog.
func wrapPacket(prog []bpf.RawInstruction) []bpf.RawInstruction {
	out := []bpf.RawInstruction{
		ins(opLdLen, 0, 0, 0),
		ins(opJeqK, 0, 5, sentinelLen),
		ins(opLdAbs, 0, 0, 0),
		ins(opJeqK, 0, 3, sentinelMagic0),
		ins(opLdAbs, 0, 0, 4),
		ins(opJeqK, 0, 1, sentinelMagic1),
		ins(opRetK, 0, 0, 0xffffffff),
		ins(opLdImm, 0, 0, 0),
		ins(opLdx, 0, 0, 0),
	}
	return append(out, prog...)
}

// Run attaches prog to the receiving socket and returns, for each frame,
// how many bytes the kernel delivered: 0 if the filter dropped it, else
// min(ret, len(frame)). A program the kernel rejects gives a *RejectError.
// Frames must pass CheckFrame.
func (o *PacketOracle) Run(prog []bpf.RawInstruction, frames [][]byte) ([]int, error) {
	for i, f := range frames {
		if err := CheckFrame(f); err != nil {
			return nil, fmt.Errorf("frame %d: %w", i, err)
		}
	}
	if len(prog) > MaxPacketProg {
		return nil, fmt.Errorf("kernel oracle: program has %d instructions, the packet oracle runs at most %d", len(prog), MaxPacketProg)
	}
	// Check the program as given: the prefix must not make a bad one pass.
	if err := attachFilter(o.rx, prog); err != nil {
		return nil, err
	}
	if err := attachFilter(o.rx, wrapPacket(prog)); err != nil {
		return nil, fmt.Errorf("kernel oracle: attaching the wrapped program: %w", err)
	}
	// Anything queued under the previous filter is not ours to judge.
	if err := o.drain(); err != nil {
		return nil, err
	}
	got := make([]int, len(frames))
	for i, f := range frames {
		if err := unix.Sendto(o.tx, f, 0, &o.to); err != nil {
			return nil, fmt.Errorf("kernel oracle: sending frame %d (%d bytes): %w", i, len(f), err)
		}
		if err := unix.Sendto(o.tx, o.sent, 0, &o.to); err != nil {
			return nil, fmt.Errorf("kernel oracle: sending sentinel: %w", err)
		}
		n, err := o.recv()
		if err != nil {
			return nil, err
		}
		if o.isSentinel(o.buf[:n]) {
			continue // dropped
		}
		got[i] = n
		if n, err = o.recv(); err != nil {
			return nil, err
		}
		if !o.isSentinel(o.buf[:n]) {
			return nil, fmt.Errorf("kernel oracle: frame %d: a second packet (%d bytes) before the sentinel", i, n)
		}
	}
	return got, nil
}

func (o *PacketOracle) recv() (int, error) {
	for {
		n, _, err := unix.Recvfrom(o.rx, o.buf, unix.MSG_TRUNC)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("kernel oracle: receiving: %w", err)
		}
		if n > len(o.buf) {
			return 0, fmt.Errorf("kernel oracle: received %d bytes, more than the buffer", n)
		}
		return n, nil
	}
}

func (o *PacketOracle) drain() error {
	for {
		_, _, err := unix.Recvfrom(o.rx, o.buf, unix.MSG_DONTWAIT)
		switch err {
		case nil:
		case unix.EAGAIN:
			return nil
		default:
			return fmt.Errorf("kernel oracle: draining: %w", err)
		}
	}
}
