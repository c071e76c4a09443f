// Command genconsts writes ../../consts.txt, the table of Linux constants
// the policy language knows by name, with their value on every arch.
//
// It reads golang.org/x/sys/unix's generated files (zerrors_linux*.go and
// ztypes_linux*.go, made by the kernel's headers through mkerrors.sh and
// cgo -godefs) from the module cache, keeps the constants whose names have
// one of the prefixes below, adds a few that x/sys lacks (futex
// operations, personality values, arch_prctl codes, FIONREAD, some fcntl
// and bpf commands) and puts back the kernel's values where x/sys has a C
// library's (the record-lock fcntl commands, see kernelValues). Run it
// with "go generate ./policy".
package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// goarches maps Go's GOARCH to the arch package's canonical names. x32
// shares x86_64's uapi headers.
var goarches = []struct{ goarch, name string }{
	{"amd64", "x86_64"},
	{"amd64", "x32"},
	{"386", "x86"},
	{"arm", "arm"},
	{"arm64", "aarch64"},
	{"loong64", "loongarch64"},
	{"mips", "mips"},
	{"mipsle", "mipsel"},
	{"mips64", "mips64"},
	{"mips64le", "mipsel64"},
	{"ppc64", "ppc64"},
	{"ppc64le", "ppc64le"},
	{"riscv64", "riscv64"},
	{"s390x", "s390x"},
}

// prefixes select the constants a seccomp policy is likely to compare
// arguments with.
var prefixes = []string{
	"AF_", "PF_", "SOCK_", "MSG_", "SOL_", "SO_", "SCM_", "IPPROTO_", "IP_",
	"IPV6_", "TCP_", "NETLINK_", "O_", "AT_", "F_", "FD_", "SEEK_", "LOCK_",
	"PROT_", "MAP_", "MREMAP_", "MADV_", "MCL_", "MFD_", "MS_", "MNT_",
	"CLONE_", "PR_", "SECCOMP_", "TC", "TIOC", "FIO", "SIOC", "RLIMIT_",
	"GRND_", "EFD_", "SFD_", "TFD_", "IN_", "EPOLL", "CLOCK_", "TIMER_",
	"S_I", "RENAME_", "SPLICE_F_", "XATTR_", "CAP_", "SCHED_", "FALLOC_FL_",
	"POSIX_FADV_", "STATX_", "LANDLOCK_", "OPEN_TREE_", "MOVE_MOUNT_",
	"FSOPEN_", "FSCONFIG_", "FSMOUNT_", "CLOSE_RANGE_", "PTRACE_", "KEYCTL_",
	"BPF_", "UMOUNT_", "P_", "ARCH_", "PIDFD_", "AUDIT_ARCH_", "FS_IOC_", "BLK",
}

// extra are constants x/sys does not define: futex operations
// (include/uapi/linux/futex.h) and personality values
// (include/uapi/linux/personality.h). They are the same on every arch.
var extra = map[string]int64{
	"FUTEX_WAIT": 0, "FUTEX_WAKE": 1, "FUTEX_FD": 2, "FUTEX_REQUEUE": 3,
	"FUTEX_CMP_REQUEUE": 4, "FUTEX_WAKE_OP": 5, "FUTEX_LOCK_PI": 6,
	"FUTEX_UNLOCK_PI": 7, "FUTEX_TRYLOCK_PI": 8, "FUTEX_WAIT_BITSET": 9,
	"FUTEX_WAKE_BITSET": 10, "FUTEX_WAIT_REQUEUE_PI": 11,
	"FUTEX_CMP_REQUEUE_PI": 12, "FUTEX_LOCK_PI2": 13,
	"FUTEX_PRIVATE_FLAG": 128, "FUTEX_CLOCK_REALTIME": 256,
	"FUTEX_CMD_MASK": ^int64(128 | 256),
	// The FUTEX_*_PRIVATE forms: the operation | FUTEX_PRIVATE_FLAG.
	"FUTEX_WAIT_PRIVATE": 128, "FUTEX_WAKE_PRIVATE": 129, "FUTEX_REQUEUE_PRIVATE": 131,
	"FUTEX_CMP_REQUEUE_PRIVATE": 132, "FUTEX_WAKE_OP_PRIVATE": 133,
	"FUTEX_LOCK_PI_PRIVATE": 134, "FUTEX_UNLOCK_PI_PRIVATE": 135,
	"FUTEX_TRYLOCK_PI_PRIVATE": 136, "FUTEX_WAIT_BITSET_PRIVATE": 137,
	"FUTEX_WAKE_BITSET_PRIVATE": 138, "FUTEX_WAIT_REQUEUE_PI_PRIVATE": 139,
	"FUTEX_CMP_REQUEUE_PI_PRIVATE": 140, "FUTEX_LOCK_PI2_PRIVATE": 141,

	// fcntl commands x/sys lacks (include/uapi/linux/fcntl.h,
	// include/uapi/asm-generic/fcntl.h; mips does not redefine them).
	"F_GETOWNER_UIDS": 17, "F_CANCELLK": 1029,
	// enum bpf_cmd (include/uapi/linux/bpf.h) past x/sys's last.
	"BPF_TOKEN_CREATE": 36, "BPF_PROG_STREAM_READ_BY_FD": 37,

	"UNAME26": 0x0020000, "ADDR_NO_RANDOMIZE": 0x0040000,
	"FDPIC_FUNCPTRS": 0x0080000, "MMAP_PAGE_ZERO": 0x0100000,
	"ADDR_COMPAT_LAYOUT": 0x0200000, "READ_IMPLIES_EXEC": 0x0400000,
	"ADDR_LIMIT_32BIT": 0x0800000, "SHORT_INODE": 0x1000000,
	"WHOLE_SECONDS": 0x2000000, "STICKY_TIMEOUTS": 0x4000000,
	"ADDR_LIMIT_3GB": 0x8000000,
	"PER_LINUX":      0x0000, "PER_LINUX_32BIT": 0x0000 | 0x0800000,
	"PER_LINUX_FDPIC": 0x0000 | 0x0080000, "PER_SVR4": 0x0001 | 0x4000000 | 0x0100000,
	"PER_SVR3": 0x0002 | 0x4000000 | 0x1000000, "PER_SCOSVR3": 0x0003 | 0x4000000 | 0x2000000 | 0x1000000,
	"PER_OSR5": 0x0003 | 0x4000000 | 0x2000000, "PER_WYSEV386": 0x0004 | 0x4000000 | 0x1000000,
	"PER_ISCR4": 0x0005 | 0x4000000, "PER_BSD": 0x0006, "PER_SUNOS": 0x0006 | 0x4000000,
	"PER_XENIX": 0x0007 | 0x4000000 | 0x1000000, "PER_LINUX32": 0x0008,
	"PER_LINUX32_3GB": 0x0008 | 0x8000000, "PER_IRIX32": 0x0009 | 0x4000000,
	"PER_IRIXN32": 0x000a | 0x4000000, "PER_IRIX64": 0x000b | 0x4000000,
	"PER_RISCOS": 0x000c, "PER_SOLARIS": 0x000d | 0x4000000,
	"PER_UW7": 0x000e | 0x4000000 | 0x0100000, "PER_OSF4": 0x000f,
	"PER_HPUX": 0x0010, "PER_MASK": 0x00ff,
}

// x86Only are arch_prctl(2)'s codes (arch/x86/include/uapi/asm/prctl.h),
// which x/sys does not define: they exist on x86_64, x32 and i386 only.
var x86Only = map[string]int64{
	"ARCH_SET_GS": 0x1001, "ARCH_SET_FS": 0x1002, "ARCH_GET_FS": 0x1003, "ARCH_GET_GS": 0x1004,
	"ARCH_GET_CPUID": 0x1011, "ARCH_SET_CPUID": 0x1012,
	"ARCH_GET_XCOMP_SUPP": 0x1021, "ARCH_GET_XCOMP_PERM": 0x1022, "ARCH_REQ_XCOMP_PERM": 0x1023,
	"ARCH_GET_XCOMP_GUEST_PERM": 0x1024, "ARCH_REQ_XCOMP_GUEST_PERM": 0x1025,
	"ARCH_XCOMP_TILECFG": 17, "ARCH_XCOMP_TILEDATA": 18,
	"ARCH_MAP_VDSO_X32": 0x2001, "ARCH_MAP_VDSO_32": 0x2002, "ARCH_MAP_VDSO_64": 0x2003,
	"ARCH_GET_UNTAG_MASK": 0x4001, "ARCH_ENABLE_TAGGED_ADDR": 0x4002,
	"ARCH_GET_MAX_TAG_BITS": 0x4003, "ARCH_FORCE_TAGGED_SVA": 0x4004,
	"ARCH_SHSTK_ENABLE": 0x5001, "ARCH_SHSTK_DISABLE": 0x5002, "ARCH_SHSTK_LOCK": 0x5003,
	"ARCH_SHSTK_UNLOCK": 0x5004, "ARCH_SHSTK_STATUS": 0x5005,
	"ARCH_SHSTK_SHSTK": 1, "ARCH_SHSTK_WRSS": 2,
}

// kernelValues replace x/sys's values where x/sys has the C library's and
// the kernel means something else. x/sys gives the record-lock commands
// of a large-file C library: on 32-bit arches its F_GETLK is the kernel's
// F_GETLK64 (i386: 12, where the kernel's F_GETLK is 5), and on ppc64 its
// F_GETLK64 is 12, which a 64-bit kernel does not know. A filter sees
// the kernel's numbers: include/uapi/asm-generic/fcntl.h (F_GETLK 5,
// F_SETLK 6, F_SETLKW 7; F_GETLK64 12, F_SETLK64 13, F_SETLKW64 14 where
// longs are 32-bit) and arch/mips/include/uapi/asm/fcntl.h (F_GETLK 14;
// o32's F_GETLK64 33, F_SETLK64 34, F_SETLKW64 35). On 64-bit arches the
// *64 names stay aliases of the plain ones, as the C library has them.
var kernelValues = func() map[string]map[string]int64 {
	m := map[string]map[string]int64{}
	set := func(arches []string, vals map[string]int64) {
		for _, a := range arches {
			for n, v := range vals {
				if m[n] == nil {
					m[n] = map[string]int64{}
				}
				m[n][a] = v
			}
		}
	}
	generic64 := []string{"x86_64", "x32", "aarch64", "loongarch64", "ppc64", "ppc64le", "riscv64", "s390x"}
	set(generic64, map[string]int64{"F_GETLK": 5, "F_SETLK": 6, "F_SETLKW": 7, "F_GETLK64": 5, "F_SETLK64": 6, "F_SETLKW64": 7})
	set([]string{"x86", "arm"}, map[string]int64{"F_GETLK": 5, "F_SETLK": 6, "F_SETLKW": 7, "F_GETLK64": 12, "F_SETLK64": 13, "F_SETLKW64": 14})
	set([]string{"mips", "mipsel"}, map[string]int64{"F_GETLK": 14, "F_SETLK": 6, "F_SETLKW": 7, "F_GETLK64": 33, "F_SETLK64": 34, "F_SETLKW64": 35})
	set([]string{"mips64", "mipsel64"}, map[string]int64{"F_GETLK": 14, "F_SETLK": 6, "F_SETLKW": 7, "F_GETLK64": 14, "F_SETLK64": 6, "F_SETLKW64": 7})
	return m
}()

// aliases are names the kernel defines as another name, on every arch:
// FIONREAD is TIOCINQ (include/uapi/asm-generic/ioctls.h and each arch's
// asm/ioctls.h), which x/sys has and FIONREAD it does not.
var aliases = map[string]string{"FIONREAD": "TIOCINQ"}

func main() {
	dir := unixDir()
	// values[name][arch] = value
	values := map[string]map[string]int64{}
	for _, ga := range goarches {
		files := []string{"zerrors_linux.go", "zerrors_linux_" + ga.goarch + ".go", "ztypes_linux.go", "ztypes_linux_" + ga.goarch + ".go"}
		seen := map[string]int64{}
		typed := map[string]bool{}
		for _, f := range files {
			readConsts(filepath.Join(dir, f), seen, typed)
		}
		for n, v := range seen {
			if !wanted(n) && !typed[n] {
				continue
			}
			if values[n] == nil {
				values[n] = map[string]int64{}
			}
			values[n][ga.name] = v
		}
		for n, v := range extra {
			if values[n] == nil {
				values[n] = map[string]int64{}
			}
			values[n][ga.name] = v
		}
		if ga.name == "x86_64" || ga.name == "x32" || ga.name == "x86" {
			for n, v := range x86Only {
				if values[n] == nil {
					values[n] = map[string]int64{}
				}
				values[n][ga.name] = v
			}
		}
		for n, per := range kernelValues {
			if v, ok := per[ga.name]; ok {
				if values[n] == nil {
					values[n] = map[string]int64{}
				}
				values[n][ga.name] = v
			}
		}
		for n, of := range aliases {
			if v, ok := values[of][ga.name]; ok {
				if values[n] == nil {
					values[n] = map[string]int64{}
				}
				values[n][ga.name] = v
			}
		}
	}
	var names []string
	for n := range values {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Code generated by policy/internal/genconsts from golang.org/x/sys %s; DO NOT EDIT.\n", filepath.Base(filepath.Dir(dir)))
	b.WriteString("# NAME VALUE [ARCH=VALUE ...]: VALUE holds on every arch not listed after it; ARCH=- means undefined there.\n")
	for _, n := range names {
		per := values[n]
		def, ok := per["x86_64"]
		if !ok {
			def = majority(per)
		}
		fmt.Fprintf(&b, "%s %s", n, num(def))
		for _, ga := range goarches {
			v, ok := per[ga.name]
			switch {
			case !ok:
				fmt.Fprintf(&b, " %s=-", ga.name)
			case v != def:
				fmt.Fprintf(&b, " %s=%s", ga.name, num(v))
			}
		}
		b.WriteByte('\n')
	}
	if err := os.WriteFile("consts.txt", b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// waitFlags are wait4/waitid options; a "W" prefix would take too much.
var waitFlags = map[string]bool{
	"WNOHANG": true, "WUNTRACED": true, "WSTOPPED": true, "WEXITED": true,
	"WCONTINUED": true, "WNOWAIT": true, "WALL": true, "WCLONE": true,
	"WNOTHREAD": true,
}

func wanted(n string) bool {
	if waitFlags[n] {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

func majority(per map[string]int64) int64 {
	count := map[int64]int{}
	best, bestN := int64(0), -1
	for _, ga := range goarches {
		if v, ok := per[ga.name]; ok {
			count[v]++
			if count[v] > bestN {
				best, bestN = v, count[v]
			}
		}
	}
	return best
}

func num(v int64) string {
	if v < 0 {
		return "-0x" + strconv.FormatUint(uint64(-v), 16)
	}
	return "0x" + strconv.FormatUint(uint64(v), 16)
}

// unixDir finds golang.org/x/sys/unix of the module's go.mod.
func unixDir() string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/sys").Output()
	if err != nil {
		log.Fatalf("go list golang.org/x/sys: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "unix")
}

// readConsts adds the integer constants of file to seen. Errnos and
// signals (syscall.Errno(0x1)) count, and are marked in typed; strings and
// other types do not.
func readConsts(file string, seen map[string]int64, typed map[string]bool) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i >= len(vs.Values) {
					continue
				}
				if v, ok := eval(vs.Values[i], seen); ok {
					seen[n.Name] = v
					if _, call := vs.Values[i].(*ast.CallExpr); call {
						typed[n.Name] = true
					}
				}
			}
		}
	}
}

func eval(e ast.Expr, seen map[string]int64) (int64, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.INT {
			return 0, false
		}
		u, err := strconv.ParseUint(e.Value, 0, 64)
		return int64(u), err == nil
	case *ast.UnaryExpr:
		if e.Op != token.SUB {
			return 0, false
		}
		v, ok := eval(e.X, seen)
		return -v, ok
	case *ast.ParenExpr:
		return eval(e.X, seen)
	case *ast.Ident:
		v, ok := seen[e.Name]
		return v, ok
	case *ast.CallExpr:
		sel, ok := e.Fun.(*ast.SelectorExpr)
		if !ok || len(e.Args) != 1 {
			return 0, false
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "syscall" || (sel.Sel.Name != "Errno" && sel.Sel.Name != "Signal") {
			return 0, false
		}
		return eval(e.Args[0], seen)
	}
	return 0, false
}
