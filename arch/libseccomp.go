package arch

// Syscalls newer than libseccomp 2.5.4 (Debian 12's, the one runc links on
// it): libseccomp cannot resolve these names, so runc skips rules on them.
// Front ends that promise runc + libseccomp's behaviour (policy.ParseOCI)
// use KnownToLibseccomp to do the same. testdata/known_differences.txt
// records each with its reason, and a test keeps the two lists equal.
var newerThanLibseccomp = map[string][]string{ // name -> arches; nil: every arch
	"statmount": nil, "listmount": nil, "lsm_get_self_attr": nil, "lsm_set_self_attr": nil,
	"lsm_list_modules": nil, "mseal": nil, "setxattrat": nil, "getxattrat": nil,
	"listxattrat": nil, "removexattrat": nil, "open_tree_attr": nil, "file_getattr": nil,
	"file_setattr": nil, "listns": nil, "rseq_slice_yield": nil,
	"uretprobe":     {"x86_64"},
	"uprobe":        {"x86_64"},
	"riscv_hwprobe": {"riscv64"},
}

// KnownToLibseccomp reports whether libseccomp 2.5.4 resolves the syscall
// name on a (loongarch64, which it predates, included: it knows no name
// there, but callers that target it are not promising libseccomp's
// behaviour).
func (a *Arch) KnownToLibseccomp(name string) bool {
	arches, newer := newerThanLibseccomp[name]
	if !newer {
		return true
	}
	if arches == nil {
		return false
	}
	for _, n := range arches {
		if n == a.Name {
			return false
		}
	}
	return true
}
