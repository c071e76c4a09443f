package opcode

// Limits of classic BPF programs in the kernel.
const (
	// MaxInsns is BPF_MAXINSNS (include/uapi/linux/bpf_common.h): a
	// program has 1 to MaxInsns instructions.
	MaxInsns = 4096

	// MemWords is BPF_MEMWORDS (include/uapi/linux/filter.h): scratch
	// memory is M[0] to M[MemWords-1].
	MemWords = 16

	// MaxJump is the farthest a conditional jump reaches: jt and jf are
	// 8-bit offsets from the next instruction (struct sock_filter).
	MaxJump = 255

	// MaxStackInsns is MAX_INSNS_PER_PATH (kernel/seccomp.c): the
	// instructions of all the seccomp filters of one task, counting
	// StackInsnsPerFilter more for each filter, may not exceed it.
	MaxStackInsns = 32768

	// StackInsnsPerFilter is the penalty seccomp_attach_filter adds per
	// filter when it counts against MaxStackInsns (kernel/seccomp.c).
	StackInsnsPerFilter = 4
)

// Offsets in struct seccomp_data (include/uapi/linux/seccomp.h), what a
// seccomp filter's 32-bit absolute loads read.
const (
	SeccompNr   = 0  // int nr: the syscall number
	SeccompArch = 4  // __u32 arch: an AUDIT_ARCH_* value
	SeccompIP   = 8  // __u64 instruction_pointer
	SeccompArgs = 16 // __u64 args[6]

	// SeccompDataSize is sizeof(struct seccomp_data): what "ld len" reads
	// in a seccomp filter, and the end of the loads it may make.
	SeccompDataSize = 64
)

// SeccompArg returns the offset of the low (hi false) or high 32-bit word
// of args[i] in struct seccomp_data on a little-endian arch; on a
// big-endian one the two words trade places.
func SeccompArg(i int, hi bool) uint32 {
	off := uint32(SeccompArgs + 8*i)
	if hi {
		off += 4
	}
	return off
}

// Negative load offsets with a meaning to socket filters
// (include/uapi/linux/filter.h), as the 32-bit k that encodes them.
const (
	SkfAdOff  uint32 = 0xfffff000 // SKF_AD_OFF (-0x1000): the ancillary loads
	SkfNetOff uint32 = 0xfff00000 // SKF_NET_OFF (-0x100000): from the network header
	SkfLLOff  uint32 = 0xffe00000 // SKF_LL_OFF (-0x200000): from the link-layer header
)

// The SKF_AD_* ancillary offsets (include/uapi/linux/filter.h): a load at
// SkfAdOff+offset reads a fact about the packet, not its bytes.
const (
	AdProtocol    = 0  // SKF_AD_PROTOCOL
	AdPktType     = 4  // SKF_AD_PKTTYPE
	AdIfindex     = 8  // SKF_AD_IFINDEX
	AdNlattr      = 12 // SKF_AD_NLATTR
	AdNlattrNest  = 16 // SKF_AD_NLATTR_NEST
	AdMark        = 20 // SKF_AD_MARK
	AdQueue       = 24 // SKF_AD_QUEUE
	AdHatype      = 28 // SKF_AD_HATYPE
	AdRxhash      = 32 // SKF_AD_RXHASH
	AdCPU         = 36 // SKF_AD_CPU
	AdAluXorX     = 40 // SKF_AD_ALU_XOR_X
	AdVlanTag     = 44 // SKF_AD_VLAN_TAG
	AdVlanPresent = 48 // SKF_AD_VLAN_TAG_PRESENT
	AdPayOffset   = 52 // SKF_AD_PAY_OFFSET
	AdRandom      = 56 // SKF_AD_RANDOM
	AdVlanTPID    = 60 // SKF_AD_VLAN_TPID
	AdMax         = 64 // SKF_AD_MAX: the first offset past the last
)

// IsAncillary reports whether a load at k reads one of the ancillary
// offsets the kernel knows (SkfAdOff+Ad*).
func IsAncillary(k uint32) bool {
	if k < SkfAdOff {
		return false
	}
	off := k - SkfAdOff
	return off < AdMax && off%4 == 0
}

// ancillaryNames are bpf_asm's names of the ancillary loads, by offset/4.
// SKF_AD_ALU_XOR_X has none; "vlan_pr" is bpf_asm's older alias of
// "vlan_avail" (AncillaryByName takes it, AncillaryName never gives it).
var ancillaryNames = [AdMax / 4]string{
	AdProtocol / 4:    "proto",
	AdPktType / 4:     "type",
	AdIfindex / 4:     "ifidx",
	AdNlattr / 4:      "nla",
	AdNlattrNest / 4:  "nlan",
	AdMark / 4:        "mark",
	AdQueue / 4:       "queue",
	AdHatype / 4:      "hatype",
	AdRxhash / 4:      "rxhash",
	AdCPU / 4:         "cpu",
	AdVlanTag / 4:     "vlan_tci",
	AdVlanPresent / 4: "vlan_avail",
	AdPayOffset / 4:   "poff",
	AdRandom / 4:      "rand",
	AdVlanTPID / 4:    "vlan_tpid",
}

// AncillaryName returns bpf_asm's name of the ancillary offset off
// (an Ad* constant), or false if it has none.
func AncillaryName(off uint32) (string, bool) {
	if off%4 != 0 || off >= AdMax || ancillaryNames[off/4] == "" {
		return "", false
	}
	return ancillaryNames[off/4], true
}

// AncillaryByName returns the ancillary offset bpf_asm names name
// ("proto", "vlan_tci", ...), or false if it names none.
func AncillaryByName(name string) (uint32, bool) {
	if name == "vlan_pr" {
		return AdVlanPresent, true
	}
	for i, n := range ancillaryNames {
		if n != "" && n == name {
			return uint32(4 * i), true
		}
	}
	return 0, false
}

// AncillaryNames returns every name AncillaryByName takes, aliases
// included, in no particular order.
func AncillaryNames() []string {
	names := []string{"vlan_pr"}
	for _, n := range ancillaryNames {
		if n != "" {
			names = append(names, n)
		}
	}
	return names
}
