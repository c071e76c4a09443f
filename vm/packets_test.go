package vm

import (
	"encoding/binary"
	"math/rand/v2"
)

// genPackets makes n varied Ethernet frames, deterministically: IPv4 and
// IPv6 with TCP, UDP and ICMP, fragments, IP options, ARP, VLAN and QinQ
// tags, runts, random bytes, and frames captured short (caplen < len). It
// returns the captured bytes and the length on the wire of each.
func genPackets(n int, seed uint64) (pkts [][]byte, wire []uint32) {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	for len(pkts) < n {
		p := genFrame(r)
		w := uint32(len(p))
		switch r.IntN(10) {
		case 0: // captured short, as with a small snaplen
			p = p[:r.IntN(len(p)+1)]
		case 1: // captured at a typical snaplen boundary
			if len(p) > 64 {
				p = p[:64]
			}
		}
		pkts = append(pkts, p)
		wire = append(wire, w)
	}
	return pkts, wire
}

var (
	macs = [][6]byte{
		{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}, {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01},
		{0x33, 0x33, 0x00, 0x00, 0x00, 0x01}, {0x52, 0x54, 0x00, 0xab, 0xcd, 0xef},
	}
	ports = []uint16{22, 80, 443, 53, 123, 67, 68, 1024, 1500, 2000, 2001, 8080, 65535, 0}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func ip4(r *rand.Rand) [4]byte {
	switch r.IntN(6) {
	case 0:
		return [4]byte{10, 0, 0, byte(1 + r.IntN(40))}
	case 1:
		return [4]byte{192, 168, 1, byte(r.IntN(256))}
	case 2:
		return [4]byte{224, 0, 0, byte(r.IntN(256))}
	case 3:
		return [4]byte{255, 255, 255, 255}
	case 4:
		return [4]byte{10, 0, 0, 5}
	}
	return [4]byte{byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))}
}

func ip6(r *rand.Rand) [16]byte {
	var a [16]byte
	switch r.IntN(4) {
	case 0:
		a = [16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 1}
	case 1:
		a = [16]byte{0xff, 0x02, 15: 1}
	case 2:
		a = [16]byte{0x20, 0x01, 0x0d, 0xb8, 15: byte(r.IntN(256))}
	default:
		for i := range a {
			a[i] = byte(r.IntN(256))
		}
	}
	return a
}

func payload(r *rand.Rand) []byte {
	n := r.IntN(5)
	switch n {
	case 0:
		return nil
	case 1:
		return []byte{0x12, 0x34, 0x56, 0x78}
	}
	p := make([]byte, r.IntN(300))
	for i := range p {
		p[i] = byte(r.IntN(256))
	}
	return p
}

func l4(r *rand.Rand, proto byte) []byte {
	switch proto {
	case 6: // TCP, sometimes with options
		doff := 5 + r.IntN(3)
		h := make([]byte, doff*4)
		binary.BigEndian.PutUint16(h[0:], pick(r, ports))
		binary.BigEndian.PutUint16(h[2:], pick(r, ports))
		binary.BigEndian.PutUint32(h[4:], r.Uint32())
		h[12] = byte(doff << 4)
		h[13] = pick(r, []byte{0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x01, byte(r.IntN(256))})
		binary.BigEndian.PutUint16(h[14:], 65535)
		return append(h, payload(r)...)
	case 17:
		pl := payload(r)
		h := make([]byte, 8)
		binary.BigEndian.PutUint16(h[0:], pick(r, ports))
		binary.BigEndian.PutUint16(h[2:], pick(r, ports))
		binary.BigEndian.PutUint16(h[4:], uint16(8+len(pl)))
		return append(h, pl...)
	case 1, 58:
		h := []byte{pick(r, []byte{0, 8, 3, 11, 128, 129, 135}), 0, 0, 0, 0, 1, 0, 1}
		return append(h, payload(r)...)
	}
	return payload(r)
}

func ipv4Packet(r *rand.Rand) []byte {
	ihl := 5
	if r.IntN(8) == 0 {
		ihl += 1 + r.IntN(3)
	}
	proto := pick(r, []byte{6, 6, 17, 17, 1, 47, byte(r.IntN(256))})
	body := l4(r, proto)
	h := make([]byte, ihl*4)
	h[0] = 0x40 | byte(ihl)
	binary.BigEndian.PutUint16(h[2:], uint16(len(h)+len(body)))
	binary.BigEndian.PutUint16(h[4:], uint16(r.IntN(65536)))
	switch r.IntN(8) {
	case 0: // first fragment
		h[6] = 0x20
	case 1: // later fragment
		binary.BigEndian.PutUint16(h[6:], uint16(0x2000|(1+r.IntN(200))))
	case 2: // last fragment
		binary.BigEndian.PutUint16(h[6:], uint16(1+r.IntN(200)))
	case 3:
		h[6] = 0x40 // DF
	}
	h[8] = pick(r, []byte{1, 63, 64, 128, 255})
	h[9] = proto
	s, d := ip4(r), ip4(r)
	copy(h[12:], s[:])
	copy(h[16:], d[:])
	return append(h, body...)
}

func ipv6Packet(r *rand.Rand) []byte {
	proto := pick(r, []byte{6, 17, 58, 6})
	body := l4(r, proto)
	next := proto
	switch r.IntN(6) {
	case 0: // hop-by-hop options
		body = append([]byte{proto, 0, 1, 4, 0, 0, 0, 0}, body...)
		next = 0
	case 1: // fragment header
		body = append([]byte{proto, 0, 0, 1, 0, 0, 0, 7}, body...)
		next = 44
	}
	h := make([]byte, 40)
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], uint16(len(body)))
	h[6] = next
	h[7] = 64
	s, d := ip6(r), ip6(r)
	copy(h[8:], s[:])
	copy(h[24:], d[:])
	return append(h, body...)
}

func arpPacket(r *rand.Rand) []byte {
	h := []byte{0, 1, 8, 0, 6, 4, 0, byte(1 + r.IntN(2))}
	m := pick(r, macs)
	s, d := ip4(r), ip4(r)
	h = append(h, m[:]...)
	h = append(h, s[:]...)
	h = append(h, 0, 0, 0, 0, 0, 0)
	return append(h, d[:]...)
}

func genFrame(r *rand.Rand) []byte {
	if r.IntN(30) == 0 { // runt or random garbage
		p := make([]byte, r.IntN(40))
		for i := range p {
			p[i] = byte(r.IntN(256))
		}
		return p
	}
	dst, src := pick(r, macs), pick(r, macs)
	f := append(append([]byte{}, dst[:]...), src[:]...)
	switch r.IntN(6) {
	case 0:
		f = append(f, 0x81, 0x00, byte(r.IntN(2)<<5), pick(r, []byte{100, 200, 1}))
	case 1:
		f = append(f, 0x88, 0xa8, 0, 10, 0x81, 0x00, 0, 100)
	}
	var et uint16
	var body []byte
	switch k := r.IntN(12); {
	case k < 6:
		et, body = 0x0800, ipv4Packet(r)
	case k < 9:
		et, body = 0x86dd, ipv6Packet(r)
	case k < 11:
		et, body = 0x0806, arpPacket(r)
	default:
		et, body = pick(r, []uint16{0x88cc, 0x8847, 0x0842, 0x0100}), payload(r)
	}
	f = binary.BigEndian.AppendUint16(f, et)
	f = append(f, body...)
	for len(f) < 60 && r.IntN(2) == 0 { // Ethernet padding
		f = append(f, 0)
	}
	return f
}
