// Package pcap reads and writes the classic libpcap capture file format
// (not pcapng): both byte orders, microsecond and nanosecond timestamps.
package pcap

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/cbpfkit/cbpf/diag"
)

// Magic numbers as written by the host that made the file.
const (
	magicMicro = 0xa1b2c3d4
	magicNano  = 0xa1b23c4d
)

// Link types (LINKTYPE_*, www.tcpdump.org/linktypes.html).
const (
	LinkTypeNull     = 0
	LinkTypeEthernet = 1
	LinkTypeRaw      = 101
	LinkTypeLinuxSLL = 113
)

// maxCapLen bounds a record, so a corrupt length cannot make the reader
// allocate gigabytes. libpcap's own limit is 262144; be a little lenient.
const maxCapLen = 1 << 24

// Header is the file header.
type Header struct {
	ByteOrder binary.ByteOrder // of the file
	Nano      bool             // timestamps in nanoseconds, not microseconds
	Major     uint16
	Minor     uint16
	SnapLen   uint32
	LinkType  uint32 // LINKTYPE_* (the low 16 bits; the rest is FCS info)
}

// Record is one packet.
type Record struct {
	Sec     uint32 // seconds since the epoch
	Frac    uint32 // microseconds or nanoseconds, by Header.Nano
	OrigLen uint32 // length on the wire
	Data    []byte // the captured bytes (caplen = len(Data))
}

// Error is a malformed file, with the byte offset where it goes wrong.
type Error struct {
	Offset int64
	Code   diag.Code
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("pcap: offset %d: %s", e.Offset, e.Msg) }

// As lets errors.As see e as a *diag.Error at its byte offset.
func (e *Error) As(target any) bool {
	t, ok := target.(**diag.Error)
	if ok {
		// No file name here: the caller has it.
		*t = &diag.Error{Pos: diag.AtOffset("", int(e.Offset)), Code: e.Code, Msg: e.Msg}
	}
	return ok
}

// Reader reads records one by one.
type Reader struct {
	r   *bufio.Reader
	h   Header
	off int64
	buf [16]byte
}

// NewReader reads the file header.
func NewReader(r io.Reader) (*Reader, error) {
	rd := &Reader{r: bufio.NewReader(r)}
	var b [24]byte
	if n, err := io.ReadFull(rd.r, b[:]); err != nil {
		return nil, &Error{Code: diag.CodeTruncated, Offset: int64(n), Msg: "file too short for a pcap header"}
	}
	switch {
	case binary.LittleEndian.Uint32(b[:]) == magicMicro:
		rd.h.ByteOrder = binary.LittleEndian
	case binary.LittleEndian.Uint32(b[:]) == magicNano:
		rd.h.ByteOrder, rd.h.Nano = binary.LittleEndian, true
	case binary.BigEndian.Uint32(b[:]) == magicMicro:
		rd.h.ByteOrder = binary.BigEndian
	case binary.BigEndian.Uint32(b[:]) == magicNano:
		rd.h.ByteOrder, rd.h.Nano = binary.BigEndian, true
	default:
		if binary.BigEndian.Uint32(b[:]) == 0x0a0d0d0a {
			return nil, &Error{Code: diag.CodeUnsupported, Msg: "pcapng files are not supported; convert with: tcpdump -r FILE -w OUT.pcap"}
		}
		return nil, &Error{Code: diag.CodeFormat, Msg: fmt.Sprintf("not a pcap file (magic 0x%08x)", binary.BigEndian.Uint32(b[:]))}
	}
	bo := rd.h.ByteOrder
	rd.h.Major = bo.Uint16(b[4:])
	rd.h.Minor = bo.Uint16(b[6:])
	rd.h.SnapLen = bo.Uint32(b[16:])
	rd.h.LinkType = bo.Uint32(b[20:]) & 0xffff
	rd.off = 24
	if rd.h.Major != 2 {
		return nil, &Error{Code: diag.CodeUnsupported, Offset: 4, Msg: fmt.Sprintf("unsupported pcap version %d.%d", rd.h.Major, rd.h.Minor)}
	}
	return rd, nil
}

// Header returns the file header.
func (r *Reader) Header() Header { return r.h }

// Next returns the next record, or io.EOF after the last one. The record's
// Data is newly allocated.
func (r *Reader) Next() (Record, error) {
	n, err := io.ReadFull(r.r, r.buf[:])
	if err == io.EOF {
		return Record{}, io.EOF
	}
	if err != nil {
		return Record{}, &Error{Code: diag.CodeTruncated, Offset: r.off + int64(n), Msg: "truncated record header"}
	}
	bo := r.h.ByteOrder
	rec := Record{Sec: bo.Uint32(r.buf[0:]), Frac: bo.Uint32(r.buf[4:]), OrigLen: bo.Uint32(r.buf[12:])}
	caplen := bo.Uint32(r.buf[8:])
	if caplen > maxCapLen {
		return Record{}, &Error{Code: diag.CodeRange, Offset: r.off + 8, Msg: fmt.Sprintf("captured length %d is too large", caplen)}
	}
	r.off += 16
	// Read what is there before trusting the length: a truncated file that
	// claims 16 MB gets an error, not a 16 MB buffer.
	if caplen <= 1<<16 {
		rec.Data = make([]byte, caplen)
		if n, err := io.ReadFull(r.r, rec.Data); err != nil {
			return Record{}, &Error{Code: diag.CodeTruncated, Offset: r.off + int64(n), Msg: fmt.Sprintf("truncated packet data (%d of %d bytes)", n, caplen)}
		}
	} else {
		data, err := io.ReadAll(io.LimitReader(r.r, int64(caplen)))
		if err != nil || uint32(len(data)) != caplen {
			return Record{}, &Error{Code: diag.CodeTruncated, Offset: r.off + int64(len(data)), Msg: fmt.Sprintf("truncated packet data (%d of %d bytes)", len(data), caplen)}
		}
		rec.Data = data
	}
	r.off += int64(caplen)
	return rec, nil
}

// ReadAll reads a whole file.
func ReadAll(r io.Reader) (Header, []Record, error) {
	rd, err := NewReader(r)
	if err != nil {
		return Header{}, nil, err
	}
	var recs []Record
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return rd.h, recs, nil
		}
		if err != nil {
			return rd.h, recs, err
		}
		recs = append(recs, rec)
	}
}

// Writer writes a pcap file in little-endian order.
type Writer struct {
	w    io.Writer
	nano bool
}

// NewWriter writes the file header. nano selects nanosecond timestamps.
func NewWriter(w io.Writer, linkType, snapLen uint32, nano bool) (*Writer, error) {
	var b [24]byte
	magic := uint32(magicMicro)
	if nano {
		magic = magicNano
	}
	binary.LittleEndian.PutUint32(b[0:], magic)
	binary.LittleEndian.PutUint16(b[4:], 2)
	binary.LittleEndian.PutUint16(b[6:], 4)
	binary.LittleEndian.PutUint32(b[16:], snapLen)
	binary.LittleEndian.PutUint32(b[20:], linkType)
	if _, err := w.Write(b[:]); err != nil {
		return nil, err
	}
	return &Writer{w: w, nano: nano}, nil
}

// Write appends one record. OrigLen 0 means len(Data).
func (w *Writer) Write(rec Record) error {
	orig := rec.OrigLen
	if orig == 0 {
		orig = uint32(len(rec.Data))
	}
	var b [16]byte
	binary.LittleEndian.PutUint32(b[0:], rec.Sec)
	binary.LittleEndian.PutUint32(b[4:], rec.Frac)
	binary.LittleEndian.PutUint32(b[8:], uint32(len(rec.Data)))
	binary.LittleEndian.PutUint32(b[12:], orig)
	if _, err := w.w.Write(b[:]); err != nil {
		return err
	}
	_, err := w.w.Write(rec.Data)
	return err
}
