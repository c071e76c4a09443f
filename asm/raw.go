package asm

import (
	"encoding/binary"
	"io"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/diag"
)

// rawInsnSize is sizeof(struct sock_filter).
const rawInsnSize = 8

func readRaw(name string, data []byte, be bool) ([]bpf.RawInstruction, error) {
	if rest := len(data) % rawInsnSize; rest != 0 {
		return nil, diag.Errorf(diag.AtOffset(name, len(data)-rest), diag.CodeTruncated,
			"truncated instruction: %d trailing bytes (a raw program is a multiple of %d bytes)", rest, rawInsnSize)
	}
	var order binary.ByteOrder = binary.LittleEndian
	if be {
		order = binary.BigEndian
	}
	prog := make([]bpf.RawInstruction, 0, len(data)/rawInsnSize)
	for off := 0; off < len(data); off += rawInsnSize {
		b := data[off : off+rawInsnSize]
		prog = append(prog, bpf.RawInstruction{
			Op: order.Uint16(b[0:2]),
			Jt: b[2],
			Jf: b[3],
			K:  order.Uint32(b[4:8]),
		})
	}
	return prog, nil
}

func writeRaw(w io.Writer, prog []bpf.RawInstruction, be bool) error {
	var order binary.ByteOrder = binary.LittleEndian
	if be {
		order = binary.BigEndian
	}
	buf := make([]byte, len(prog)*rawInsnSize)
	for i, ins := range prog {
		b := buf[i*rawInsnSize:]
		order.PutUint16(b[0:2], ins.Op)
		b[2] = ins.Jt
		b[3] = ins.Jf
		order.PutUint32(b[4:8], ins.K)
	}
	_, err := w.Write(buf)
	return err
}
