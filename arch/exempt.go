package arch

// Exemption is a syscall that some kernels run without consulting any
// seccomp filter, whatever the filters say: a filter that denies it has no
// effect there.
type Exemption struct {
	Name string
	// Since is the first mainline kernel that exempts the call; Stable
	// lists earlier stable series that received the exemption too.
	Since  string
	Stable string
	Why    string
}

// exemptions are kernel/seccomp.c's seccomp_uprobe_exception: on x86_64
// only (the native arch; not x32, whose numbers carry bit 30, nor i386),
// the syscalls that the kernel's own uprobe trampolines make. Measured on
// Linux 6.18: a filter returning ERRNO for 335 and 336 has no effect.
var exemptions = map[string]map[uint32]Exemption{
	"x86_64": {
		335: {Name: "uretprobe", Since: "6.14", Stable: "6.12.14, 6.13.3",
			Why: "the return-uprobe trampoline's syscall (Linux 6.11+) bypasses seccomp, so that probing a confined program cannot kill it"},
		336: {Name: "uprobe", Since: "6.18",
			Why: "the uprobe trampoline's syscall (Linux 6.18+) bypasses seccomp, as uretprobe does"},
	},
}

// Exempt reports whether kernels (Since and later) run syscall nr of a
// without any seccomp filter.
func (a *Arch) Exempt(nr uint32) (Exemption, bool) {
	e, ok := exemptions[a.Name][nr]
	return e, ok
}

// CacheBound is one past the numbers the kernel's allow cache (5.11+)
// covers for a: its bitmap has NR_syscalls bits, and a number from there
// up always runs the filter (seccomp_cache_check_allow_bitmap). It is
// taken as one past the table's highest number, x32's (bit 30 set) and
// arm's private calls (from 0x0f0000) left out: the kernel numbers those
// past NR_syscalls.
func (a *Arch) CacheBound() uint32 {
	var hi uint32
	for _, sc := range a.table().list {
		if sc.Number&X32SyscallBit != 0 || a.Name == "arm" && sc.Number >= 0x0f0000 {
			continue
		}
		hi = max(hi, sc.Number+1)
	}
	return hi
}
