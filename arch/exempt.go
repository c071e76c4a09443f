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
