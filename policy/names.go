package policy

import (
	"strings"

	"github.com/cbpfkit/cbpf/arch"
)

// Which family of constants an argument of a syscall takes, for naming
// values in explanations ("args[0] == AF_INET"). Only arguments whose
// values are plain enumerations are listed; flags and masks are not.
var argConstFamilies = map[string]map[int][]string{
	"socket":      {0: {"AF_"}},
	"socketpair":  {0: {"AF_"}},
	"prctl":       {0: {"PR_"}},
	"fcntl":       {1: {"F_"}},
	"fcntl64":     {1: {"F_"}},
	"ioctl":       {1: {"TC", "TIOC", "FIO", "FS_IOC_", "BLK", "SIOC"}},
	"setsockopt":  {1: {"SOL_"}},
	"getsockopt":  {1: {"SOL_"}},
	"kill":        {1: {"SIG"}},
	"tkill":       {1: {"SIG"}},
	"tgkill":      {2: {"SIG"}},
	"arch_prctl":  {0: {"ARCH_"}},
	"madvise":     {2: {"MADV_"}},
	"futex":       {1: {"FUTEX_"}},
	"seccomp":     {0: {"SECCOMP_SET_MODE_", "SECCOMP_GET_"}},
	"bpf":         {0: {"BPF_MAP_", "BPF_PROG_", "BPF_OBJ_", "BPF_BTF_", "BPF_LINK_", "BPF_ENABLE_", "BPF_TASK_", "BPF_ITER_", "BPF_RAW_", "BPF_TOKEN_"}},
	"keyctl":      {0: {"KEYCTL_"}},
	"personality": {0: {"PER_"}},
}

// preferred picks among names with the same value.
var preferred = map[string]bool{"AF_UNIX": true, "SIGIOT": false, "F_DUPFD": true, "PER_LINUX": true}

// ConstName names value v of argument arg of syscall on arch a, when the
// argument takes an enumeration of Linux constants (socket's family,
// prctl's option, ioctl's request, ...) and one of them has that value.
func ConstName(a *arch.Arch, syscall string, arg int, v uint64) (string, bool) {
	fams := argConstFamilies[syscall][arg]
	if len(fams) == 0 {
		return "", false
	}
	best := ""
	for _, name := range consts().names {
		if !hasAnyPrefix(name, fams) {
			continue
		}
		cv, ok := constValue(name, a)
		if !ok || uint64(cv) != v && uint64(uint32(cv)) != v {
			continue
		}
		if best == "" || preferred[name] && !preferred[best] {
			best = name
		}
	}
	return best, best != ""
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
