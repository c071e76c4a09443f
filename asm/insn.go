package asm

import (
	"fmt"
	"strconv"

	"golang.org/x/net/bpf"
)

// Opcode fields of classic BPF, as in include/uapi/linux/bpf_common.h and
// include/uapi/linux/filter.h.
const (
	clsLD   = 0x00
	clsLDX  = 0x01
	clsST   = 0x02
	clsSTX  = 0x03
	clsALU  = 0x04
	clsJMP  = 0x05
	clsRET  = 0x06
	clsMISC = 0x07

	szW = 0x00
	szH = 0x08
	szB = 0x10

	mdIMM = 0x00
	mdABS = 0x20
	mdIND = 0x40
	mdMEM = 0x60
	mdLEN = 0x80
	mdMSH = 0xa0

	srcK = 0x00
	srcX = 0x08

	aluADD = 0x00
	aluSUB = 0x10
	aluMUL = 0x20
	aluDIV = 0x30
	aluOR  = 0x40
	aluAND = 0x50
	aluLSH = 0x60
	aluRSH = 0x70
	aluNEG = 0x80
	aluMOD = 0x90
	aluXOR = 0xa0

	jmpJA   = 0x00
	jmpJEQ  = 0x10
	jmpJGT  = 0x20
	jmpJGE  = 0x30
	jmpJSET = 0x40

	retK = 0x00
	retX = 0x08
	retA = 0x10

	miscTAX = 0x00
	miscTXA = 0x80

	// skfAdOff is SKF_AD_OFF (-0x1000) as an unsigned 32-bit k.
	skfAdOff = 0xfffff000

	maxInsns = 4096 // BPF_MAXINSNS
	memWords = 16   // BPF_MEMWORDS
)

// extensions maps the bpf_asm names of the Linux ancillary loads to their
// SKF_AD_* offsets. "vlan_pr" is bpf_asm's older alias of "vlan_avail".
// SKF_AD_ALU_XOR_X (40) has no name in bpf_asm; it prints as a plain offset.
var extensions = map[string]uint32{
	"proto":      0,  // SKF_AD_PROTOCOL
	"type":       4,  // SKF_AD_PKTTYPE
	"ifidx":      8,  // SKF_AD_IFINDEX
	"nla":        12, // SKF_AD_NLATTR
	"nlan":       16, // SKF_AD_NLATTR_NEST
	"mark":       20, // SKF_AD_MARK
	"queue":      24, // SKF_AD_QUEUE
	"hatype":     28, // SKF_AD_HATYPE
	"rxhash":     32, // SKF_AD_RXHASH
	"cpu":        36, // SKF_AD_CPU
	"vlan_tci":   44, // SKF_AD_VLAN_TAG
	"vlan_avail": 48, // SKF_AD_VLAN_TAG_PRESENT
	"vlan_pr":    48, // SKF_AD_VLAN_TAG_PRESENT (alias)
	"poff":       52, // SKF_AD_PAY_OFFSET
	"rand":       56, // SKF_AD_RANDOM
	"vlan_tpid":  60, // SKF_AD_VLAN_TPID
}

// extensionName is the canonical name printed for an ancillary offset.
var extensionName = func() map[uint32]string {
	m := make(map[uint32]string, len(extensions))
	for name, off := range extensions {
		if name != "vlan_pr" {
			m[off] = name
		}
	}
	return m
}()

var aluNames = map[uint16]string{
	aluADD: "add", aluSUB: "sub", aluMUL: "mul", aluDIV: "div", aluOR: "or",
	aluAND: "and", aluLSH: "lsh", aluRSH: "rsh", aluMOD: "mod", aluXOR: "xor",
}

var jmpNames = map[uint16]string{
	jmpJEQ: "jeq", jmpJGT: "jgt", jmpJGE: "jge", jmpJSET: "jset",
}

// negated names the one-target form that jumps when the condition is false:
// "jne #k, L" is jeq with jt=0 and jf=L; "jlt" is jge and "jle" is jgt the
// same way, which is how bpf_asm encodes them.
var negated = map[uint16]string{
	jmpJEQ: "jne", jmpJGT: "jle", jmpJGE: "jlt",
}

// InsnString returns ins in the bpf_asm syntax of Disassemble, as it would
// read at index pc. Jump targets are absolute labels L<pc+1+offset>. An
// instruction that plain bpf_asm cannot spell exactly is written as
// ".insn CODE, JT, JF, K" with raw offsets.
func InsnString(ins bpf.RawInstruction, pc int) string {
	mn, ops, ok := spell(ins, pc, func(t int64) (string, bool) {
		return "L" + strconv.FormatInt(t, 10), true
	})
	if !ok {
		return rawInsn(ins)
	}
	if ops == "" {
		return mn
	}
	return mn + " " + ops
}

func rawInsn(ins bpf.RawInstruction) string {
	return fmt.Sprintf(".insn 0x%02x, %d, %d, %s", ins.Op, ins.Jt, ins.Jf, hexNum(ins.K))
}

func hexNum(k uint32) string { return "0x" + strconv.FormatUint(uint64(k), 16) }

// constant formats a #k operand: small numbers read best in decimal
// (syscall numbers, ports, errno values), large ones in hex (masks,
// ethertypes, seccomp actions).
func constant(k uint32) string {
	if k < 0x800 {
		return "#" + strconv.FormatUint(uint64(k), 10)
	}
	return "#" + hexNum(k)
}

// offset formats a packet offset or scratch index. Offsets from the top of
// the 32-bit range (SKF_NET_OFF, SKF_LL_OFF, ...) read as negative.
func offset(k uint32) string {
	if k >= 0x80000000 {
		return strconv.FormatInt(int64(int32(k)), 10)
	}
	return strconv.FormatUint(uint64(k), 10)
}

// spell returns the plain bpf_asm spelling of ins, or ok=false if no plain
// spelling assembles back to exactly these 8 bytes. label names an absolute
// jump target, or reports that it cannot be named.
func spell(ins bpf.RawInstruction, pc int, label func(int64) (string, bool)) (mn, ops string, ok bool) {
	op, jt, jf, k := ins.Op, ins.Jt, ins.Jf, ins.K
	if op&0x07 != clsJMP && (jt != 0 || jf != 0) {
		return "", "", false
	}
	switch op {
	case clsLD | mdIMM:
		return "ld", constant(k), true
	case clsLD | szW | mdABS, clsLD | szH | mdABS, clsLD | szB | mdABS:
		mn := [...]string{"ld", "ldh", "ldb"}[(op&0x18)>>3]
		if k >= skfAdOff {
			if name, ok := extensionName[k-skfAdOff]; ok {
				return mn, "#" + name, true
			}
		}
		return mn, "[" + offset(k) + "]", true
	case clsLD | szW | mdIND, clsLD | szH | mdIND, clsLD | szB | mdIND:
		mn := [...]string{"ld", "ldh", "ldb"}[(op&0x18)>>3]
		return mn, "[x + " + offset(k) + "]", true
	case clsLD | mdMEM, clsLDX | mdMEM:
		if k >= memWords {
			return "", "", false
		}
		return map[uint16]string{clsLD: "ld", clsLDX: "ldx"}[op&7], "M[" + offset(k) + "]", true
	case clsLD | szW | mdLEN, clsLDX | szW | mdLEN:
		if k != 0 {
			return "", "", false
		}
		return map[uint16]string{clsLD: "ld", clsLDX: "ldx"}[op&7], "#len", true
	case clsLDX | mdIMM:
		return "ldx", constant(k), true
	case clsLDX | szB | mdMSH:
		return "ldxb", "4*([" + offset(k) + "]&0xf)", true
	case clsST, clsSTX:
		if k >= memWords {
			return "", "", false
		}
		return map[uint16]string{clsST: "st", clsSTX: "stx"}[op], "M[" + offset(k) + "]", true
	case clsALU | aluNEG:
		if k != 0 {
			return "", "", false
		}
		return "neg", "", true
	case clsRET | retK:
		if k < 0x10000 {
			return "ret", "#" + strconv.FormatUint(uint64(k), 10), true
		}
		return "ret", "#" + hexNum(k), true
	case clsRET | retA, clsRET | retX:
		if k != 0 {
			return "", "", false
		}
		return "ret", map[uint16]string{retA: "a", retX: "x"}[op&0x18], true
	case clsMISC | miscTAX, clsMISC | miscTXA:
		if k != 0 {
			return "", "", false
		}
		return map[uint16]string{miscTAX: "tax", miscTXA: "txa"}[op&0xf8], "", true
	case clsJMP | jmpJA:
		if jt != 0 || jf != 0 {
			return "", "", false
		}
		l, ok := label(int64(pc) + 1 + int64(k))
		if !ok {
			return "", "", false
		}
		return "ja", l, true
	}
	switch op & 0x07 {
	case clsALU:
		name, known := aluNames[op&0xf0]
		if !known || op&^0xff != 0 {
			return "", "", false
		}
		if op&srcX != 0 {
			if k != 0 {
				return "", "", false
			}
			return name, "x", true
		}
		return name, constant(k), true
	case clsJMP:
		name, known := jmpNames[op&0xf0]
		if !known || op&^0xff != 0 {
			return "", "", false
		}
		cond := constant(k)
		if op&srcX != 0 {
			if k != 0 {
				return "", "", false
			}
			cond = "x"
		}
		next := int64(pc) + 1
		switch {
		case jf == 0:
			lt, ok := label(next + int64(jt))
			if !ok {
				return "", "", false
			}
			return name, cond + ", " + lt, true
		case jt == 0 && negated[op&0xf0] != "":
			lf, ok := label(next + int64(jf))
			if !ok {
				return "", "", false
			}
			return negated[op&0xf0], cond + ", " + lf, true
		}
		lt, okt := label(next + int64(jt))
		lf, okf := label(next + int64(jf))
		if !okt || !okf {
			return "", "", false
		}
		return name, cond + ", " + lt + ", " + lf, true
	}
	return "", "", false
}
