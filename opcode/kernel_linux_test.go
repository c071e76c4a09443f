package opcode

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// The opcode fields must be the kernel's; x/sys/unix copies them from the
// uapi headers, so it is an independent source.
func TestOpcodeFieldsMatchKernel(t *testing.T) {
	pairs := []struct {
		name      string
		ours, uap int
	}{
		{"BPF_LD", int(LD), unix.BPF_LD}, {"BPF_LDX", int(LDX), unix.BPF_LDX},
		{"BPF_ST", int(ST), unix.BPF_ST}, {"BPF_STX", int(STX), unix.BPF_STX},
		{"BPF_ALU", int(ALU), unix.BPF_ALU}, {"BPF_JMP", int(JMP), unix.BPF_JMP},
		{"BPF_RET", int(RET), unix.BPF_RET}, {"BPF_MISC", int(MISC), unix.BPF_MISC},
		{"BPF_W", int(W), unix.BPF_W}, {"BPF_H", int(H), unix.BPF_H}, {"BPF_B", int(B), unix.BPF_B},
		{"BPF_IMM", int(IMM), unix.BPF_IMM}, {"BPF_ABS", int(ABS), unix.BPF_ABS},
		{"BPF_IND", int(IND), unix.BPF_IND}, {"BPF_MEM", int(MEM), unix.BPF_MEM},
		{"BPF_LEN", int(LEN), unix.BPF_LEN}, {"BPF_MSH", int(MSH), unix.BPF_MSH},
		{"BPF_K", int(K), unix.BPF_K}, {"BPF_X", int(X), unix.BPF_X},
		{"BPF_ADD", int(ADD), unix.BPF_ADD}, {"BPF_SUB", int(SUB), unix.BPF_SUB},
		{"BPF_MUL", int(MUL), unix.BPF_MUL}, {"BPF_DIV", int(DIV), unix.BPF_DIV},
		{"BPF_OR", int(OR), unix.BPF_OR}, {"BPF_AND", int(AND), unix.BPF_AND},
		{"BPF_LSH", int(LSH), unix.BPF_LSH}, {"BPF_RSH", int(RSH), unix.BPF_RSH},
		{"BPF_NEG", int(NEG), unix.BPF_NEG}, {"BPF_MOD", int(MOD), unix.BPF_MOD},
		{"BPF_XOR", int(XOR), unix.BPF_XOR},
		{"BPF_JA", int(JA), unix.BPF_JA}, {"BPF_JEQ", int(JEQ), unix.BPF_JEQ},
		{"BPF_JGT", int(JGT), unix.BPF_JGT}, {"BPF_JGE", int(JGE), unix.BPF_JGE},
		{"BPF_JSET", int(JSET), unix.BPF_JSET},
		{"BPF_A", int(A), unix.BPF_A}, {"BPF_TAX", int(TAX), unix.BPF_TAX}, {"BPF_TXA", int(TXA), unix.BPF_TXA},
		{"BPF_MAXINSNS", int(MaxInsns), unix.BPF_MAXINSNS}, {"BPF_MEMWORDS", int(MemWords), unix.BPF_MEMWORDS},
	}
	for _, p := range pairs {
		if p.ours != p.uap {
			t.Errorf("%s = %#x, kernel says %#x", p.name, p.ours, p.uap)
		}
	}
}

// The SKF_AD_* offsets are not in x/sys/unix: read them from the kernel's
// uapi header (linux-libc-dev, a dependency of libc6-dev).
func TestExtensionsMatchKernelHeader(t *testing.T) {
	const header = "/usr/include/linux/filter.h"
	text, err := os.ReadFile(header)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v (install linux-libc-dev)", err)
		}
		t.Skip(err)
	}
	defs := map[string]int64{}
	re := regexp.MustCompile(`(?m)^#define\s+(SKF_(?:AD|NET|LL)_\w+)\s+\(?(-?(?:0x[0-9a-fA-F]+|\d+))\)?`)
	for _, m := range re.FindAllStringSubmatch(string(text), -1) {
		v, err := strconv.ParseInt(m[2], 0, 64)
		if err != nil {
			t.Fatal(err)
		}
		defs[m[1]] = v
	}
	if got, want := uint32(defs["SKF_AD_OFF"]), SkfAdOff; got != want {
		t.Errorf("SKF_AD_OFF = %#x in %s, ours %#x", got, header, want)
	}
	ext := map[string]string{
		"proto": "SKF_AD_PROTOCOL", "type": "SKF_AD_PKTTYPE", "ifidx": "SKF_AD_IFINDEX",
		"nla": "SKF_AD_NLATTR", "nlan": "SKF_AD_NLATTR_NEST", "mark": "SKF_AD_MARK",
		"queue": "SKF_AD_QUEUE", "hatype": "SKF_AD_HATYPE", "rxhash": "SKF_AD_RXHASH",
		"cpu": "SKF_AD_CPU", "vlan_tci": "SKF_AD_VLAN_TAG",
		"vlan_avail": "SKF_AD_VLAN_TAG_PRESENT", "vlan_pr": "SKF_AD_VLAN_TAG_PRESENT",
		"poff": "SKF_AD_PAY_OFFSET", "rand": "SKF_AD_RANDOM", "vlan_tpid": "SKF_AD_VLAN_TPID",
	}
	if len(ext) != len(AncillaryNames()) {
		t.Errorf("%d ancillary names, want %d", len(AncillaryNames()), len(ext))
	}
	for name, macro := range ext {
		want, ok := defs[macro]
		if !ok {
			t.Errorf("%s not found in %s", macro, header)
			continue
		}
		if got, ok := AncillaryByName(name); !ok || int64(got) != want {
			t.Errorf("ancillary %s = %d (present %v), %s = %d", name, got, ok, macro, want)
		}
	}
	for macro, ours := range map[string]int64{
		"SKF_NET_OFF": int64(SkfNetOff) - 1<<32, "SKF_LL_OFF": int64(SkfLLOff) - 1<<32,
		"SKF_AD_ALU_XOR_X": AdAluXorX, "SKF_AD_MAX": AdMax,
		"SKF_AD_PROTOCOL": AdProtocol, "SKF_AD_PKTTYPE": AdPktType, "SKF_AD_IFINDEX": AdIfindex,
		"SKF_AD_NLATTR": AdNlattr, "SKF_AD_NLATTR_NEST": AdNlattrNest, "SKF_AD_MARK": AdMark,
		"SKF_AD_QUEUE": AdQueue, "SKF_AD_HATYPE": AdHatype, "SKF_AD_RXHASH": AdRxhash,
		"SKF_AD_CPU": AdCPU, "SKF_AD_VLAN_TAG": AdVlanTag, "SKF_AD_VLAN_TAG_PRESENT": AdVlanPresent,
		"SKF_AD_PAY_OFFSET": AdPayOffset, "SKF_AD_RANDOM": AdRandom, "SKF_AD_VLAN_TPID": AdVlanTPID,
	} {
		if want, ok := defs[macro]; !ok || want != ours {
			t.Errorf("%s = %d (present %v) in %s, ours %d", macro, want, ok, header, ours)
		}
	}
}
