package arch

import (
	"embed"
	"encoding/binary"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ./internal/gen

// API contract (other packages are written against these names; the
// implementation may add to them but must keep them).

// Arch is one Linux system-call ABI as seccomp sees it.
type Arch struct {
	Name      string           // canonical (libseccomp) name: "x86_64", "aarch64", "x32", ...
	GoArch    string           // Go's GOARCH, "" for x32
	Audit     uint32           // AUDIT_ARCH_* value, as in seccomp_data.arch
	ByteOrder binary.ByteOrder // byte order of seccomp_data
	Bits      int              // word size: 32 or 64
	// ArgBits is how many bits of each argument the syscall uses: 32 on
	// the 32-bit ABIs, 64 on the 64-bit ABIs and on x32, whose calls enter
	// through the x86_64 entry with full 64-bit registers (an x32 off_t is
	// 64-bit). A filter should decide on those bits only. On 32-bit ABIs
	// the high word of seccomp_data.args[i] is not always 0: an i386 call
	// made with INT $0x80 from 64-bit code on an x86_64 kernel hands
	// seccomp the caller's full 64-bit registers (measured on Linux 6.18),
	// so a filter that tests an i386 argument's high word can be steered
	// by the caller.
	ArgBits int

	aliases []string // other names Lookup accepts (lower case)
	table   func() *table
}

// Syscall is one entry of an arch's table.
type Syscall struct {
	Name   string
	Number uint32 // as in seccomp_data.nr (for x32 including X32SyscallBit)
}

// X32SyscallBit is __X32_SYSCALL_BIT: x32 calls carry it in their number and
// share AUDIT_ARCH_X86_64 with x86_64.
const X32SyscallBit = 0x40000000

// AUDIT_ARCH_* building blocks from include/uapi/linux/audit.h and the EM_*
// machine numbers from include/uapi/linux/elf-em.h.
const (
	audit64 = 0x80000000 // __AUDIT_ARCH_64BIT
	auditLE = 0x40000000 // __AUDIT_ARCH_LE

	emI386      = 3
	emMIPS      = 8
	emPPC64     = 21
	emS390      = 22
	emARM       = 40
	emX86_64    = 62
	emAArch64   = 183
	emRISCV     = 243
	emLoongArch = 258
)

var (
	le = binary.LittleEndian
	be = binary.BigEndian
)

// arches is the list All returns; tables are parsed on first use.
var arches = func() []*Arch {
	as := []*Arch{
		{Name: "aarch64", GoArch: "arm64", Audit: emAArch64 | audit64 | auditLE, ByteOrder: le, Bits: 64},
		{Name: "arm", GoArch: "arm", Audit: emARM | auditLE, ByteOrder: le, Bits: 32, aliases: []string{"armhf", "armel", "armv7l"}},
		{Name: "loongarch64", GoArch: "loong64", Audit: emLoongArch | audit64 | auditLE, ByteOrder: le, Bits: 64},
		{Name: "mips", GoArch: "mips", Audit: emMIPS, ByteOrder: be, Bits: 32},
		{Name: "mips64", GoArch: "mips64", Audit: emMIPS | audit64, ByteOrder: be, Bits: 64},
		{Name: "mipsel", GoArch: "mipsle", Audit: emMIPS | auditLE, ByteOrder: le, Bits: 32},
		{Name: "mipsel64", GoArch: "mips64le", Audit: emMIPS | audit64 | auditLE, ByteOrder: le, Bits: 64, aliases: []string{"mips64el"}},
		{Name: "ppc64", GoArch: "ppc64", Audit: emPPC64 | audit64, ByteOrder: be, Bits: 64},
		{Name: "ppc64le", GoArch: "ppc64le", Audit: emPPC64 | audit64 | auditLE, ByteOrder: le, Bits: 64, aliases: []string{"ppc64el"}},
		{Name: "riscv64", GoArch: "riscv64", Audit: emRISCV | audit64 | auditLE, ByteOrder: le, Bits: 64},
		{Name: "s390x", GoArch: "s390x", Audit: emS390 | audit64, ByteOrder: be, Bits: 64},
		// x32 is a 32-bit ABI of the x86_64 kernel: seccomp_data.arch is
		// AUDIT_ARCH_X86_64 and arguments are 64-bit registers.
		{Name: "x32", GoArch: "", Audit: emX86_64 | audit64 | auditLE, ByteOrder: le, Bits: 32},
		{Name: "x86", GoArch: "386", Audit: emI386 | auditLE, ByteOrder: le, Bits: 32, aliases: []string{"i386", "i686", "ia32"}},
		{Name: "x86_64", GoArch: "amd64", Audit: emX86_64 | audit64 | auditLE, ByteOrder: le, Bits: 64, aliases: []string{"x86-64", "x64"}},
	}
	for _, a := range as {
		a.ArgBits = a.Bits
		if a.Name == "x32" {
			a.ArgBits = 64
		}
		name := a.Name
		a.table = sync.OnceValue(func() *table { return loadTable(name) })
	}
	return as
}()

// All returns every arch cbpf knows, sorted by Name.
func All() []*Arch { return append([]*Arch(nil), arches...) }

// Host returns the arch of runtime.GOARCH, or nil if Go's GOARCH is not one
// of the Linux architectures in All.
func Host() *Arch {
	for _, a := range arches {
		if a.GoArch == runtime.GOARCH {
			return a
		}
	}
	return nil
}

// Names returns every name Lookup accepts, sorted: canonical names, Go
// names and aliases.
func Names() []string {
	seen := map[string]bool{}
	var ns []string
	for _, a := range arches {
		for _, n := range a.names() {
			if !seen[n] {
				seen[n] = true
				ns = append(ns, n)
			}
		}
	}
	sort.Strings(ns)
	return ns
}

func (a *Arch) names() []string {
	ns := []string{a.Name}
	if a.GoArch != "" && a.GoArch != a.Name {
		ns = append(ns, a.GoArch)
	}
	return append(ns, a.aliases...)
}

// Lookup finds an arch by Go name, kernel/libseccomp name or numeric
// AUDIT_ARCH value (decimal or 0x hex).
//
// Names are case-insensitive; libseccomp's and Docker's SCMP_ARCH_ prefix
// and the kernel's AUDIT_ARCH_ prefix are accepted ("SCMP_ARCH_X86_64",
// "AUDIT_ARCH_I386"). AUDIT_ARCH_X86_64 as a number means x86_64, not x32.
func Lookup(name string) (*Arch, error) {
	s := strings.ToLower(strings.TrimSpace(name))
	s = strings.TrimPrefix(s, "scmp_arch_")
	s = strings.TrimPrefix(s, "audit_arch_")
	// Names first: "386" is Go's name for x86, not AUDIT_ARCH value 386.
	for _, a := range arches {
		for _, n := range a.names() {
			if n == s {
				return a, nil
			}
		}
	}
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		v, err := strconv.ParseUint(s, 0, 32)
		if err != nil {
			return nil, fmt.Errorf("arch %q: not an AUDIT_ARCH number: %v", name, err)
		}
		if a := ByAudit(uint32(v)); a != nil {
			return a, nil
		}
		return nil, fmt.Errorf("arch %q: unknown AUDIT_ARCH value 0x%08x; known arches: %s", name, v, strings.Join(Names(), ", "))
	}
	return nil, fmt.Errorf("unknown arch %q; known arches: %s", name, strings.Join(Names(), ", "))
}

// ByAudit returns the arch with the AUDIT_ARCH value, or nil. On x86_64 the
// value is shared with x32; ByAudit returns x86_64.
func ByAudit(audit uint32) *Arch {
	for _, a := range arches {
		if a.Audit == audit && a.Name != "x32" {
			return a
		}
	}
	return nil
}

// String returns the canonical name.
func (a *Arch) String() string { return a.Name }

// SyscallName returns the name of syscall nr (for x32 including bit 30).
func (a *Arch) SyscallName(nr uint32) (string, bool) {
	n, ok := a.table().byNr[nr]
	return n, ok
}

// SyscallNumber returns the number of the named syscall.
func (a *Arch) SyscallNumber(name string) (uint32, bool) {
	nr, ok := a.table().byName[name]
	return nr, ok
}

// Syscalls returns the arch's table sorted by number. The slice is a copy.
func (a *Arch) Syscalls() []Syscall {
	return append([]Syscall(nil), a.table().list...)
}

// ArgOffset returns the offset in struct seccomp_data of the low (high
// false) or high 32-bit half of argument i (0..5). The halves are in the
// arch's byte order: on big-endian arches the low word is the second one.
func (a *Arch) ArgOffset(i int, high bool) uint32 {
	off := uint32(16 + 8*i)
	if high == (a.ByteOrder == binary.LittleEndian) {
		off += 4
	}
	return off
}

type table struct {
	list   []Syscall
	byName map[string]uint32
	byNr   map[uint32]string
}

//go:embed tables/*.txt
var tables embed.FS

// loadTable parses tables/NAME.txt, written by internal/gen. A malformed
// table is a build defect that the package tests catch, so it panics.
func loadTable(name string) *table {
	b, err := tables.ReadFile("tables/" + name + ".txt")
	if err != nil {
		panic("arch: " + err.Error())
	}
	t := &table{byName: map[string]uint32{}, byNr: map[uint32]string{}}
	for i, l := range strings.Split(string(b), "\n") {
		if l == "" || l[0] == '#' {
			continue
		}
		nrs, n, ok := strings.Cut(l, " ")
		nr, err := strconv.ParseUint(nrs, 10, 32)
		if !ok || err != nil || n == "" {
			panic(fmt.Sprintf("arch: tables/%s.txt:%d: malformed line %q", name, i+1, l))
		}
		t.list = append(t.list, Syscall{n, uint32(nr)})
		t.byName[n] = uint32(nr)
		t.byNr[uint32(nr)] = n
	}
	return t
}
