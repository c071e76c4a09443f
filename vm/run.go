package vm

import (
	"encoding/binary"

	"github.com/cbpfkit/cbpf/opcode"
	"golang.org/x/net/bpf"
)

// op is a decoded operation: the opcode with its operand kind and, for
// loads, the addressing case already resolved, so the run loop is one
// switch with no further decoding.
type op uint8

const (
	opRetK op = iota
	opRetA
	opLdImm
	opLdxImm
	opLdMem
	opLdxMem
	opSt
	opStx
	opLdLen
	opLdxLen
	opLdSec  // seccomp: A = word k of seccomp_data
	opLdAbsW // packet, 0 <= k < 2^31
	opLdAbsH //
	opLdAbsB //
	opLdNeg  // packet, negative k (SKF_NET_OFF / SKF_LL_OFF); size in jt
	opLdIndW // A = pkt[X+k]
	opLdIndH //
	opLdIndB //
	opLdxMsh // X = 4*(pkt[k]&0xf)
	opAnc    // ancillary load; k is the SKF_AD_* code
	opAddK   //
	opSubK   //
	opMulK   //
	opDivK   //
	opModK   //
	opAndK   //
	opOrK    //
	opXorK   //
	opLshK   //
	opRshK   //
	opAddX   //
	opSubX   //
	opMulX   //
	opDivX   //
	opModX   //
	opAndX   //
	opOrX    //
	opXorX   //
	opLshX   //
	opRshX   //
	opNeg    //
	opJa     // pc = jt
	opJeqK   //
	opJgtK   //
	opJgeK   //
	opJsetK  //
	opJeqX   //
	opJgtX   //
	opJgeX   //
	opJsetX  //
	opTax    //
	opTxa    //
)

// insn is one decoded instruction. Jump targets are absolute.
type insn struct {
	op     op
	jt, jf uint16
	k      uint32
}

// plainOps are the instructions whose run form is their operation alone:
// k as it is, no jump targets.
var plainOps = map[opcode.Op]op{
	opcode.RET | opcode.K: opRetK, opcode.RET | opcode.A: opRetA,
	opcode.LD | opcode.IMM: opLdImm, opcode.LDX | opcode.IMM: opLdxImm,
	opcode.LD | opcode.MEM: opLdMem, opcode.LDX | opcode.MEM: opLdxMem,
	opcode.ST: opSt, opcode.STX: opStx,
	opcode.LD | opcode.W | opcode.IND: opLdIndW, opcode.LD | opcode.H | opcode.IND: opLdIndH, opcode.LD | opcode.B | opcode.IND: opLdIndB,
	opcode.LDX | opcode.B | opcode.MSH: opLdxMsh,
	opcode.ALU | opcode.NEG:            opNeg,
	opcode.MISC | opcode.TAX:           opTax, opcode.MISC | opcode.TXA: opTxa,
}

// decode turns a checked instruction into its run form.
func decode(ri bpf.RawInstruction, pc int, mode Mode) insn {
	k := ri.K
	in := insn{k: k}
	jt := uint16(pc + 1 + int(ri.Jt))
	jf := uint16(pc + 1 + int(ri.Jf))
	if o, ok := plainOps[opcode.Op(ri.Op)]; ok {
		in.op = o
		return in
	}
	switch opcode.Op(ri.Op) {
	case opcode.LD | opcode.W | opcode.LEN:
		in.op = opLdLen
		if mode == Seccomp { // seccomp_check_filter turns it into ld #64
			in.op, in.k = opLdImm, SeccompDataSize
		}
	case opcode.LDX | opcode.W | opcode.LEN:
		in.op = opLdxLen
		if mode == Seccomp {
			in.op, in.k = opLdxImm, SeccompDataSize
		}
	case opcode.LD | opcode.W | opcode.ABS, opcode.LD | opcode.H | opcode.ABS, opcode.LD | opcode.B | opcode.ABS:
		switch {
		case mode == Seccomp:
			in.op, in.k = opLdSec, k/4
		case opcode.IsAncillary(k):
			in.op, in.k = opAnc, k-opcode.SkfAdOff
		case int32(k) < 0:
			in.op = opLdNeg
			in.jt = loadSize(ri.Op)
		default:
			in.op = [...]op{opcode.W: opLdAbsW, opcode.H: opLdAbsH, opcode.B: opLdAbsB}[opcode.Op(ri.Op).Size()]
		}
	case opcode.JMP | opcode.JA:
		in.op = opJa
		jt = uint16(pc + 1 + int(k))
	default:
		switch opcode.Op(ri.Op).Class() {
		case opcode.ALU:
			base := [...]op{
				opcode.ADD >> 4: opAddK, opcode.SUB >> 4: opSubK, opcode.MUL >> 4: opMulK, opcode.DIV >> 4: opDivK, opcode.MOD >> 4: opModK,
				opcode.AND >> 4: opAndK, opcode.OR >> 4: opOrK, opcode.XOR >> 4: opXorK, opcode.LSH >> 4: opLshK, opcode.RSH >> 4: opRshK,
			}[ri.Op>>4]
			if opcode.Op(ri.Op).Src() == opcode.X {
				base += opAddX - opAddK
			}
			in.op = base
		case opcode.JMP:
			base := [...]op{opcode.JEQ >> 4: opJeqK, opcode.JGT >> 4: opJgtK, opcode.JGE >> 4: opJgeK, opcode.JSET >> 4: opJsetK}[ri.Op>>4]
			if opcode.Op(ri.Op).Src() == opcode.X {
				base += opJeqX - opJeqK
			}
			in.op = base
		}
	}
	switch in.op {
	case opJa, opJeqK, opJgtK, opJgeK, opJsetK, opJeqX, opJgtX, opJgeX, opJsetX:
		in.jt, in.jf = jt, jf
	}
	return in
}

func loadSize(code uint16) uint16 { return uint16(opcode.Op(code).LoadBytes()) }

// state is the machine state between calls of exec.
type state struct {
	a, x  uint32
	pc, n int
	fault bool
	mem   [opcode.MemWords]uint32
}

// status says why exec returned.
type status uint8

const (
	stLimit status = iota // executed up to the limit
	stDone                // the program ended
	stSlow                // the next instruction needs slowOp
)

// run is the interpreter driver. Seccomp runs pass sd (the 16 words of
// seccomp_data) and no packet; packet runs pass pkt, the length "len"
// reads, and meta. exec runs the hot loop, which makes no calls (in Go a
// call would force the registers to the stack on every iteration); the
// rare instructions (ancillary loads, negative offsets, loads that miss
// the fast bounds check) go back here to slowOp. With options, exec runs
// one instruction per call, so the hot loop carries no hooks either.
func (m *Machine) run(pkt []byte, wire uint32, meta *Meta, sd *[16]uint32, o *Options) Result {
	var s state
	limit := opcode.MaxInsns + 1
	for {
		cur := s.pc
		if o != nil {
			limit = s.n + 1
		}
		ret, st := m.exec(&s, pkt, wire, sd, limit)
		if st == stSlow {
			st = stLimit
			if !m.slowOp(&s, pkt, meta) {
				ret, st, s.fault = 0, stDone, true
			}
		}
		if o != nil {
			if cur < len(o.Coverage) {
				o.Coverage[cur] = true
			}
			if o.Trace != nil {
				o.Trace(Step{PC: cur, Insn: m.prog[cur], A: s.a, X: s.x, Exit: st == stDone, Fault: s.fault})
			}
		}
		if st == stDone {
			return Result{Ret: ret, Insns: s.n}
		}
	}
}

// slowOp executes the instruction at s.pc, one of those exec leaves to it.
// It reports false when the program ends there with 0 (a load that
// fails).
func (m *Machine) slowOp(s *state, pkt []byte, meta *Meta) bool {
	in := &m.insns[s.pc]
	s.pc++
	s.n++
	var v uint32
	ok := true
	switch in.op {
	case opLdNeg:
		v, ok = load(pkt, meta, int32(in.k), int(in.jt))
	case opLdIndW:
		v, ok = load(pkt, meta, int32(s.x+in.k), 4)
	case opLdIndH:
		v, ok = load(pkt, meta, int32(s.x+in.k), 2)
	case opLdIndB:
		v, ok = load(pkt, meta, int32(s.x+in.k), 1)
	case opLdxMsh:
		v, ok = load(pkt, meta, int32(in.k), 1)
		s.x = (v & 0xf) << 2
		return ok
	case opAnc:
		v = ancillary(in.k, pkt, meta, s.a, s.x)
	}
	s.a = v
	return ok
}

// exec runs from s until the program ends (done) or s.n reaches limit.
// Programs only jump forward, so a run ends within len(prog) steps.
func (m *Machine) exec(s *state, pkt []byte, wire uint32, sd *[16]uint32, limit int) (ret uint32, st status) {
	a, x, pc := s.a, s.x, s.pc
	left := limit - s.n // counting down keeps one register fewer live
	mem := &s.mem
	prog := m.insns
	for ; left > 0; left-- {
		in := &prog[pc]
		pc++
		switch in.op {
		case opRetK:
			ret, st = in.k, stDone
			goto out
		case opRetA:
			ret, st = a, stDone
			goto out
		case opLdImm:
			a = in.k
		case opLdxImm:
			x = in.k
		case opLdMem:
			a = mem[in.k&(opcode.MemWords-1)]
		case opLdxMem:
			x = mem[in.k&(opcode.MemWords-1)]
		case opSt:
			mem[in.k&(opcode.MemWords-1)] = a
		case opStx:
			mem[in.k&(opcode.MemWords-1)] = x
		case opLdLen:
			a = wire
		case opLdxLen:
			x = wire
		case opLdSec:
			a = sd[in.k&15]
		case opLdAbsW:
			if uint64(in.k)+4 > uint64(len(pkt)) {
				goto fault
			}
			a = binary.BigEndian.Uint32(pkt[in.k:])
		case opLdAbsH:
			if uint64(in.k)+2 > uint64(len(pkt)) {
				goto fault
			}
			a = uint32(binary.BigEndian.Uint16(pkt[in.k:]))
		case opLdAbsB:
			if uint64(in.k) >= uint64(len(pkt)) {
				goto fault
			}
			a = uint32(pkt[in.k])
		case opLdIndW:
			if off := x + in.k; uint64(off)+4 <= uint64(len(pkt)) {
				a = binary.BigEndian.Uint32(pkt[off:])
			} else {
				goto slow
			}
		case opLdIndH:
			if off := x + in.k; uint64(off)+2 <= uint64(len(pkt)) {
				a = uint32(binary.BigEndian.Uint16(pkt[off:]))
			} else {
				goto slow
			}
		case opLdIndB:
			if off := x + in.k; uint64(off) < uint64(len(pkt)) {
				a = uint32(pkt[off])
			} else {
				goto slow
			}
		case opLdxMsh:
			if uint64(in.k) < uint64(len(pkt)) {
				x = uint32(pkt[in.k]&0xf) << 2
			} else {
				goto slow
			}
		case opLdNeg, opAnc:
			goto slow
		case opAddK:
			a += in.k
		case opSubK:
			a -= in.k
		case opMulK:
			a *= in.k
		case opDivK:
			a /= in.k // New rejects k == 0
		case opModK:
			a %= in.k
		case opAndK:
			a &= in.k
		case opOrK:
			a |= in.k
		case opXorK:
			a ^= in.k
		case opLshK:
			a <<= in.k & 31 // New rejects k >= 32
		case opRshK:
			a >>= in.k & 31
		case opAddX:
			a += x
		case opSubX:
			a -= x
		case opMulX:
			a *= x
		case opDivX:
			if x == 0 {
				goto fault
			}
			a /= x
		case opModX:
			if x == 0 {
				goto fault
			}
			a %= x
		case opAndX:
			a &= x
		case opOrX:
			a |= x
		case opXorX:
			a ^= x
		case opLshX:
			// The kernel runs classic shifts as eBPF ALU32 shifts, which
			// take the count modulo 32 (the interpreter masks with 31,
			// x86's shl/shr do the same; checked on this machine).
			a <<= x & 31
		case opRshX:
			a >>= x & 31
		case opNeg:
			a = -a
		case opJa:
			pc = int(in.jt)
		case opJeqK:
			if a == in.k {
				pc = int(in.jt)
			} else {
				pc = int(in.jf)
			}
		case opJgtK:
			if a > in.k {
				pc = int(in.jt)
			} else {
				pc = int(in.jf)
			}
		case opJgeK:
			if a >= in.k {
				pc = int(in.jt)
			} else {
				pc = int(in.jf)
			}
		case opJsetK:
			if a&in.k != 0 {
				pc = int(in.jt)
			} else {
				pc = int(in.jf)
			}
		case opJeqX:
			if a == x {
				pc = int(in.jt)
			} else {
				pc = int(in.jf)
			}
		case opJgtX:
			if a > x {
				pc = int(in.jt)
			} else {
				pc = int(in.jf)
			}
		case opJgeX:
			if a >= x {
				pc = int(in.jt)
			} else {
				pc = int(in.jf)
			}
		case opJsetX:
			if a&x != 0 {
				pc = int(in.jt)
			} else {
				pc = int(in.jf)
			}
		case opTax:
			x = a
		case opTxa:
			a = x
		}
	}
	goto out
slow:
	pc, left, st = pc-1, left+1, stSlow
	goto out
fault:
	ret, st, s.fault = 0, stDone, true
out:
	if st != stLimit {
		left-- // the loop's post statement did not run for this instruction
	}
	s.a, s.x, s.pc, s.n = a, x, pc, limit-left
	return ret, st
}

// load reads size bytes big-endian at offset off as the kernel's
// bpf_skb_load_helper_* do: a non-negative offset indexes the packet, a
// negative one goes through bpf_internal_load_pointer_neg_helper (relative
// to the network header from SKF_NET_OFF up, to the link-layer header from
// SKF_LL_OFF up, nothing below). ok is false when the bytes are not there.
func load(pkt []byte, meta *Meta, off int32, size int) (uint32, bool) {
	var p int64
	switch {
	case off >= 0:
		p = int64(off)
	case uint32(off) >= opcode.SkfNetOff:
		base := 0
		if meta != nil {
			base = meta.NetOffset
		}
		p = int64(base) + int64(uint32(off)-opcode.SkfNetOff)
	case uint32(off) >= opcode.SkfLLOff:
		p = int64(uint32(off) - opcode.SkfLLOff)
	default:
		return 0, false
	}
	if p < 0 || p+int64(size) > int64(len(pkt)) {
		return 0, false
	}
	switch size {
	case 4:
		return binary.BigEndian.Uint32(pkt[p:]), true
	case 2:
		return uint32(binary.BigEndian.Uint16(pkt[p:])), true
	}
	return uint32(pkt[p]), true
}

// ancillary is convert_bpf_extensions (net/core/filter.c) over Meta. The
// value is the whole field whatever the load's size (W, H or B).
func ancillary(code uint32, pkt []byte, meta *Meta, a, x uint32) uint32 {
	var md Meta
	if meta != nil {
		md = *meta
	}
	switch code {
	case opcode.AdProtocol:
		return uint32(md.Protocol)
	case opcode.AdPktType:
		return uint32(md.PktType & 7) // PKT_TYPE_MAX
	case opcode.AdIfindex:
		return md.Ifindex
	case opcode.AdNlattr:
		return nlattr(pkt, a, x, false)
	case opcode.AdNlattrNest:
		return nlattr(pkt, a, x, true)
	case opcode.AdMark:
		return md.Mark
	case opcode.AdQueue:
		return uint32(md.Queue)
	case opcode.AdHatype:
		return uint32(md.Hatype)
	case opcode.AdRxhash:
		return md.Rxhash
	case opcode.AdCPU:
		return md.CPU
	case opcode.AdAluXorX:
		return a ^ x
	case opcode.AdVlanTag:
		return uint32(md.VlanTCI)
	case opcode.AdVlanPresent:
		if md.VlanPresent {
			return 1
		}
		return 0
	case opcode.AdPayOffset:
		return md.PayloadOffset
	case opcode.AdRandom:
		return md.Rand
	case opcode.AdVlanTPID:
		return uint32(md.VlanTPID)
	}
	return 0
}

// nlattr is bpf_skb_get_nlattr / bpf_skb_get_nlattr_nest: find the netlink
// attribute of type x in the attribute stream at offset a (for nest, inside
// the attribute at a) and return its offset, or 0. struct nlattr is in host
// byte order; this VM, like the machines Go runs on for seccomp work, takes
// it little endian.
func nlattr(pkt []byte, a, x uint32, nest bool) uint32 {
	const hdr = 4 // sizeof(struct nlattr)
	n := uint32(len(pkt))
	if n < hdr || a > n-hdr {
		return 0
	}
	start, rem := int(a), int(n-a)
	if nest {
		l := uint32(binary.LittleEndian.Uint16(pkt[a:]))
		if l > n-a {
			return 0
		}
		// nla_find_nested: the payload of the attribute at a.
		start, rem = int(a)+hdr, int(l)-hdr
	}
	// nla_find over [start, start+rem): nla_ok, then nla_next by the
	// aligned length.
	for pos := start; rem >= hdr; {
		l := int(binary.LittleEndian.Uint16(pkt[pos:]))
		if l < hdr || l > rem {
			break
		}
		typ := uint32(binary.LittleEndian.Uint16(pkt[pos+2:])) & 0x3fff // NLA_TYPE_MASK
		if typ == x {
			return uint32(pos)
		}
		step := (l + 3) &^ 3
		pos += step
		rem -= step
	}
	return 0
}
