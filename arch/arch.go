package arch

import (
	"encoding/binary"
	"fmt"
)

// API contract (other packages are written against these names; the
// implementation may add to them but must keep them).

// Arch is one Linux system-call ABI as seccomp sees it.
type Arch struct {
	Name      string           // canonical (libseccomp) name: "x86_64", "aarch64", "x32", ...
	GoArch    string           // Go's GOARCH, "" for x32
	Audit     uint32           // AUDIT_ARCH_* value, as in seccomp_data.arch
	ByteOrder binary.ByteOrder // byte order of seccomp_data
	Bits      int              // word size: 32 or 64
}

// All returns every arch cbpf knows, sorted by Name.
func All() []*Arch { return nil }

// Lookup finds an arch by Go name, kernel/libseccomp name or numeric
// AUDIT_ARCH value (decimal or 0x hex).
func Lookup(name string) (*Arch, error) { return nil, fmt.Errorf("unknown arch %q", name) }

// ByAudit returns the arch with the AUDIT_ARCH value, or nil. On x86_64 the
// value is shared with x32; ByAudit returns x86_64.
func ByAudit(audit uint32) *Arch { return nil }

// SyscallName returns the name of syscall nr (for x32 including bit 30).
func (a *Arch) SyscallName(nr uint32) (string, bool) { return "", false }

// SyscallNumber returns the number of the named syscall.
func (a *Arch) SyscallNumber(name string) (uint32, bool) { return 0, false }
