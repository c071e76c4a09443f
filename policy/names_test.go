package policy

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/corpus"
	"github.com/cbpfkit/cbpf/verify"
)

// TestConstNameKnown: values whose names the uapi headers fix, among them
// the ones the prefix rule got wrong on Chromium's renderer filter.
func TestConstNameKnown(t *testing.T) {
	for _, c := range []struct {
		arch, syscall string
		arg           int
		v             uint64
		want          string // "" for no name
	}{
		// fcntl: commands, not seals or lock types.
		{"x86_64", "fcntl", 1, 2, "F_SETFD"},  // was F_SEAL_SHRINK
		{"x86_64", "fcntl", 1, 4, "F_SETFL"},  // was F_EXLCK
		{"x86_64", "fcntl", 1, 1, "F_GETFD"},  // not F_SEAL_SEAL, F_WRLCK, F_LOCK
		{"x86_64", "fcntl", 1, 0, "F_DUPFD"},  // not F_OK, F_RDLCK
		{"x86_64", "fcntl", 1, 3, "F_GETFL"},  // not F_TEST
		{"x86_64", "fcntl", 1, 5, "F_GETLK"},  // not F_GETLK64
		{"x86_64", "fcntl", 1, 8, "F_SETOWN"}, // not F_SHLCK, F_SEAL_WRITE
		{"x86_64", "fcntl", 1, 17, "F_GETOWNER_UIDS"},
		{"x86_64", "fcntl", 1, 1033, "F_ADD_SEALS"},
		{"x86_64", "fcntl", 1, 1030, "F_DUPFD_CLOEXEC"},
		{"x86_64", "fcntl", 1, 12, ""}, // F_GETLK64 is 12 only where longs are 32-bit
		{"x86_64", "fcntl", 1, 99999, ""},
		{"x86_64", "fcntl", 0, 2, ""}, // fd: no family
		// The kernel's lock commands on 32-bit arches, not a C library's.
		{"x86", "fcntl64", 1, 5, "F_GETLK"},
		{"x86", "fcntl64", 1, 12, "F_GETLK64"},
		{"x86", "fcntl64", 1, 14, "F_SETLKW64"},
		{"arm", "fcntl64", 1, 13, "F_SETLK64"},
		{"mips", "fcntl64", 1, 14, "F_GETLK"},
		{"mips", "fcntl64", 1, 33, "F_GETLK64"},
		{"mips", "fcntl", 1, 24, "F_SETOWN"},
		{"mips64", "fcntl", 1, 14, "F_GETLK"},
		{"mips64", "fcntl", 1, 33, ""},
		// prctl: options, not second-argument values.
		{"x86_64", "prctl", 0, 15, "PR_SET_NAME"},     // was PR_SET_MM_MAP_SIZE
		{"x86_64", "prctl", 0, 16, "PR_GET_NAME"},     // not PR_FP_EXC_DIV..
		{"x86_64", "prctl", 0, 3, "PR_GET_DUMPABLE"},  // was PR_CAP_AMBIENT_LOWER
		{"x86_64", "prctl", 0, 4, "PR_SET_DUMPABLE"},  // was PR_CAP_AMBIENT_CLEAR_ALL
		{"x86_64", "prctl", 0, 1, "PR_SET_PDEATHSIG"}, // not PR_CAP_AMBIENT_IS_SET
		{"x86_64", "prctl", 0, 0x53564d41, "PR_SET_VMA"},
		{"x86_64", "prctl", 0, 0x59616d61, "PR_SET_PTRACER"},
		{"x86_64", "prctl", 0, 47, "PR_CAP_AMBIENT"},
		{"x86_64", "prctl", 0, 0, ""}, // PR_SET_MM_* / PR_SPEC_* zeroes are no option
		{"x86_64", "prctl", 1, 2, ""}, // the second argument depends on the first
		// Sockets.
		{"x86_64", "socket", 0, 1, "AF_UNIX"},
		{"x86_64", "socketpair", 0, 16, "AF_NETLINK"},
		{"x86_64", "socket", 0, 46, ""}, // AF_MAX
		{"x86_64", "socket", 1, 1, "SOCK_STREAM"},
		{"x86_64", "socket", 1, 0x80001, "SOCK_STREAM|SOCK_CLOEXEC"},
		{"x86_64", "socket", 1, 0x80803, "SOCK_RAW|SOCK_NONBLOCK|SOCK_CLOEXEC"},
		{"x86_64", "socket", 1, 0x80000, ""}, // flags alone
		{"mips", "socket", 1, 2, "SOCK_STREAM"},
		{"mips", "socket", 1, 0x81, "SOCK_DGRAM|SOCK_NONBLOCK"},
		{"x86_64", "setsockopt", 1, 1, "SOL_SOCKET"},
		{"x86_64", "getsockopt", 1, 6, "SOL_TCP"},
		{"mips", "setsockopt", 1, 0xffff, "SOL_SOCKET"},
		{"mips", "setsockopt", 1, 1, ""},
		// Signals.
		{"x86_64", "kill", 1, 9, "SIGKILL"},
		{"x86_64", "tgkill", 2, 6, "SIGABRT"},
		{"x86_64", "tkill", 1, 17, "SIGCHLD"},
		{"x86_64", "rt_sigqueueinfo", 1, 29, "SIGIO"},
		{"mips", "kill", 1, 18, "SIGCHLD"},
		{"mips", "kill", 1, 7, "SIGEMT"},
		{"x86_64", "kill", 1, 0, ""},
		{"x86_64", "kill", 1, 34, ""},
		// The rest.
		{"x86_64", "madvise", 2, 4, "MADV_DONTNEED"},
		{"x86_64", "process_madvise", 3, 21, "MADV_PAGEOUT"},
		{"x86_64", "futex", 1, 0, "FUTEX_WAIT"},
		{"x86_64", "futex", 1, 0x81, "FUTEX_WAKE_PRIVATE"},
		{"x86_64", "futex", 1, 0x189, "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"},
		{"x86", "futex_time64", 1, 0x89, "FUTEX_WAIT_BITSET_PRIVATE"},
		{"x86_64", "arch_prctl", 0, 0x1002, "ARCH_SET_FS"},
		{"x86_64", "arch_prctl", 0, 0x5005, "ARCH_SHSTK_STATUS"},
		{"x86_64", "arch_prctl", 0, 17, ""}, // ARCH_XCOMP_TILECFG is an argument
		{"x86_64", "seccomp", 0, 1, "SECCOMP_SET_MODE_FILTER"},
		{"x86_64", "bpf", 0, 5, "BPF_PROG_LOAD"},
		{"x86_64", "bpf", 0, 10, "BPF_PROG_TEST_RUN"},
		{"x86_64", "bpf", 0, 36, "BPF_TOKEN_CREATE"},
		{"x86_64", "keyctl", 0, 0, "KEYCTL_GET_KEYRING_ID"},
		{"x86_64", "keyctl", 0, 1, "KEYCTL_JOIN_SESSION_KEYRING"}, // not KEYCTL_MOVE_EXCL
		{"x86_64", "personality", 0, 0, "PER_LINUX"},
		{"x86_64", "personality", 0, 8, "PER_LINUX32"},
		{"x86_64", "personality", 0, 0x40000, "PER_LINUX|ADDR_NO_RANDOMIZE"},
		{"x86_64", "personality", 0, 0x4140001, "PER_SVR4|ADDR_NO_RANDOMIZE"},
		{"x86_64", "personality", 0, 0xffffffff, ""},
		{"x86_64", "ioctl", 1, 0x5401, "TCGETS"},
		{"x86_64", "ioctl", 1, 0x541b, "FIONREAD"},
		{"x86_64", "ioctl", 1, 0x80086601, "FS_IOC_GETFLAGS"},
		{"x86_64", "ioctl", 1, 0x80081272, "BLKGETSIZE64"},
		{"x86_64", "ioctl", 1, 0, ""}, // TCSANOW, TCOOFF, TCIFLUSH are arguments
		{"x86_64", "ioctl", 1, 2, ""}, // TCSAFLUSH, TIOCM_DTR
		{"ppc64le", "ioctl", 1, 0x4004667f, "FIONREAD"},
		{"x86_64", "flock", 1, 2, "LOCK_EX"},
		{"x86_64", "flock", 1, 6, "LOCK_EX|LOCK_NB"},
		{"x86_64", "lseek", 2, 3, "SEEK_DATA"},
		{"x86_64", "lseek", 2, 4, "SEEK_HOLE"}, // not SEEK_MAX
		{"x86", "_llseek", 4, 2, "SEEK_END"},
		{"x86_64", "clock_gettime", 0, 1, "CLOCK_MONOTONIC"},
		{"x86_64", "clock_nanosleep", 0, 7, "CLOCK_BOOTTIME"},
		{"x86_64", "clock_gettime", 0, 4, "CLOCK_MONOTONIC_RAW"}, // not CLOCK_TXFROMRX
		{"x86", "clock_gettime64", 0, 11, "CLOCK_TAI"},
		{"x86_64", "read", 0, 1, ""},
	} {
		got, ok := ConstName(mustArch(t, c.arch), c.syscall, c.arg, c.v)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s %s arg%d %#x: %q, %v; want %q", c.arch, c.syscall, c.arg, c.v, got, ok, c.want)
		}
	}
	if _, ok := ConstName(nil, "fcntl", 1, 2); ok {
		t.Error("ConstName(nil arch) named a value")
	}
}

// famSyscall returns a syscall of a that takes family f, and its argument.
func famSyscall(a *arch.Arch, f *family) (string, int, bool) {
	var best string
	arg := -1
	for sc, args := range argFamilies {
		if _, ok := a.SyscallNumber(sc); !ok {
			continue
		}
		for i, g := range args {
			if g == f && (best == "" || sc < best) {
				best, arg = sc, i
			}
		}
	}
	return best, arg, best != ""
}

// TestFamiliesResolve: on every arch, each name of each family that the
// arch defines reads back as itself (or as the name it is declared an
// alias of): so no two names of a family share a value by mistake, and
// every name ConstName prints means that value in the policy language.
// Every name exists on some arch that has a syscall taking the family.
func TestFamiliesResolve(t *testing.T) {
	for _, f := range families() {
		names := f.members()
		if len(names) == 0 {
			t.Errorf("%s: no names", f.what)
		}
		defined := map[string]bool{}
		for _, a := range arch.All() {
			sc, arg, ok := famSyscall(a, f)
			if !ok {
				continue
			}
			for _, n := range append(append([]string(nil), names...), f.flags...) {
				if !knownConst(n) {
					t.Errorf("%s: %s is not in consts.txt", f.what, n)
					continue
				}
				v, ok := constValue(n, a)
				if !ok {
					continue
				}
				defined[n] = true
				if isFlag(f, n) {
					continue
				}
				u := uint64(v)
				if v < 0 {
					u = uint64(uint32(v))
				}
				got, _ := ConstName(a, sc, arg, u)
				if want := n; got != want && got != f.aliases[n] {
					t.Errorf("%s on %s: %s (%#x) reads back as %q", f.what, a.Name, n, u, got)
				}
			}
		}
		for _, n := range append(append([]string(nil), names...), f.flags...) {
			if knownConst(n) && !defined[n] {
				t.Errorf("%s: %s is defined on no arch that has a syscall taking it", f.what, n)
			}
		}
		for n, of := range f.aliases {
			if !contains(names, n) || !contains(names, of) {
				t.Errorf("%s: alias %s of %s: not both in the family", f.what, n, of)
			}
		}
	}
}

func isFlag(f *family, n string) bool { return contains(f.flags, n) }

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestFamiliesPolicyLanguage writes, for each arch and family, a policy
// with one rule per value ConstName names (a few with flags ORed on) and
// checks that policy.Eval matches each value with its own rule: what
// explain prints can be pasted into a policy and means the same value.
func TestFamiliesPolicyLanguage(t *testing.T) {
	n := 0
	for _, a := range arch.All() {
		for _, f := range families() {
			sc, arg, ok := famSyscall(a, f)
			if !ok {
				continue
			}
			nr, _ := a.SyscallNumber(sc)
			t0 := f.table(a)
			seen := map[uint64]bool{}
			var vals []uint64
			add := func(v uint64) {
				if !seen[v] {
					seen[v] = true
					vals = append(vals, v)
				}
			}
			for v := range t0.names {
				add(v)
				for _, fl := range t0.flags {
					add(v | fl.v)
				}
			}
			var b strings.Builder
			fmt.Fprintf(&b, "arch %s\ndefault allow\n", a.Name)
			var named []uint64
			for _, v := range vals {
				name, ok := ConstName(a, sc, arg, v)
				if !ok {
					continue
				}
				named = append(named, v)
				fmt.Fprintf(&b, "%s: arg%d == %s => errno(%d)\n", sc, arg, name, len(named))
			}
			p, _, err := ParseTextFor("names", []byte(b.String()), []*arch.Arch{a})
			if err != nil {
				t.Fatalf("%s on %s: %v\n%s", f.what, a.Name, err, b.String())
			}
			for i, v := range named {
				c := Call{Arch: a.Audit, Nr: int32(nr), Args: [6]uint64{}}
				c.Args[arg] = v
				if got, want := Eval(p, c), Errno(uint16(i+1)); got != want {
					t.Errorf("%s on %s: %s arg%d = %#x: Eval %v, want %v", f.what, a.Name, sc, arg, v, got, want)
				}
				n++
			}
		}
	}
	t.Logf("%d named values read back through the policy language", n)
}

// TestFamiliesExclude: names that share a family's prefix but belong to
// another argument are not in it.
func TestFamiliesExclude(t *testing.T) {
	for f, bad := range map[*family][]string{
		famFcntl:       {"F_SEAL_SHRINK", "F_SEAL_SEAL", "F_EXLCK", "F_SHLCK", "F_RDLCK", "F_WRLCK", "F_UNLCK", "F_OK", "F_LOCK", "F_TLOCK", "F_ULOCK", "F_TEST"},
		famPrctl:       {"PR_SET_MM_MAP_SIZE", "PR_SET_MM_START_CODE", "PR_CAP_AMBIENT_RAISE", "PR_CAP_AMBIENT_LOWER", "PR_CAP_AMBIENT_CLEAR_ALL", "PR_FP_MODE_FR", "PR_SPEC_STORE_BYPASS", "PR_SPEC_DISABLE", "PR_MCE_KILL_EARLY", "PR_SET_PTRACER_ANY", "PR_SET_VMA_ANON_NAME", "PR_FP_EXC_DIV", "PR_SCHED_CORE_GET", "PR_MTE_TCF_SYNC"},
		famIoctl:       {"TCSANOW", "TCSAFLUSH", "TCIFLUSH", "TCOOFF", "TCP_NODELAY", "TCPOPT_NOP", "TIOCM_DTR", "TIOCPKT_DATA", "TIOCSER_TEMT", "TCA_KIND"},
		famBPF:         {"BPF_MAP_TYPE_HASH", "BPF_PROG_TYPE_SOCKET_FILTER", "BPF_LD", "BPF_F_RDONLY", "BPF_OBJ_NAME_LEN"},
		famKeyctl:      {"KEYCTL_CAPS0_CAPABILITIES", "KEYCTL_MOVE_EXCL", "KEYCTL_SUPPORTS_ENCRYPT"},
		famClock:       {"CLOCK_TXINT", "CLOCK_TXFROMRX", "CLOCK_DEFAULT", "CLOCK_EXT", "CLOCK_INT"},
		famSockType:    {"SOCK_DIAG_BY_FAMILY", "SOCK_NONBLOCK", "SOCK_CLOEXEC", "SOCK_BUF_LOCK_MASK", "SOCK_TXREHASH_ENABLED"},
		famAF:          {"AF_MAX"},
		famSeccomp:     {"SECCOMP_MODE_FILTER", "SECCOMP_RET_KILL", "SECCOMP_FILTER_FLAG_TSYNC"},
		famArchPrctl:   {"ARCH_XCOMP_TILECFG", "ARCH_XCOMP_TILEDATA", "ARCH_SHSTK_SHSTK", "ARCH_SHSTK_WRSS"},
		famWhence:      {"SEEK_MAX"},
		famPersonality: {"PER_MASK"},
		famFutex:       {"FUTEX_PRIVATE_FLAG", "FUTEX_CMD_MASK", "FUTEX_CLOCK_REALTIME"},
	} {
		for _, n := range bad {
			if contains(f.members(), n) {
				t.Errorf("%s family has %s", f.what, n)
			}
		}
	}
	// A name is in one family only.
	owner := map[string]string{}
	for _, f := range families() {
		for _, n := range f.members() {
			if o, ok := owner[n]; ok {
				t.Errorf("%s is in two families: %s and %s", n, o, f.what)
			}
			owner[n] = f.what
		}
	}
	// Every ioctl request has an ioctl number's shape somewhere: at least
	// 0x100 on every arch that defines it.
	for _, n := range famIoctl.members() {
		if small(n) {
			t.Errorf("ioctl request %s is below 0x100", n)
		}
	}
}

// TestExplainChromiumNames runs explain as cbpf does (verify.ExplainWith
// with ConstName) on Chromium's renderer filter, captured on Linux 6.18:
// its fcntl and prctl rules name commands and options, and every name it
// prints for them is one of their family.
func TestExplainChromiumNames(t *testing.T) {
	f, err := corpus.Get("chromium-renderer")
	if err != nil {
		t.Fatal(err)
	}
	a := mustArch(t, "x86_64")
	ex, err := verify.ExplainWith(f.Prog, a, verify.ExplainOptions{
		Name: func(syscall string, arg int, v uint64) (string, bool) { return ConstName(a, syscall, arg, v) },
	})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := ex.Write(&b); err != nil {
		t.Fatal(err)
	}
	lines := map[string]string{}
	for _, l := range strings.Split(b.String(), "\n") {
		if name, rest, ok := strings.Cut(l, ": "); ok {
			lines[name] = rest
		}
	}
	ident := regexp.MustCompile(`\b[A-Z][A-Z0-9_]+\b`)
	for _, c := range []struct {
		syscall string
		fam     *family
		want    []string
	}{
		{"fcntl", famFcntl, []string{"F_SETFD", "F_SETFL", "F_GETFD", "F_GETFL", "F_DUPFD_CLOEXEC", "F_ADD_SEALS", "F_GET_SEALS"}},
		{"prctl", famPrctl, []string{"PR_SET_NAME", "PR_GET_NAME", "PR_GET_DUMPABLE", "PR_SET_DUMPABLE", "PR_SET_VMA", "PR_SET_PTRACER"}},
	} {
		l, ok := lines[c.syscall]
		if !ok {
			t.Fatalf("explain has no %s line:\n%s", c.syscall, b.String())
		}
		for _, w := range c.want {
			if !regexp.MustCompile(`\b` + w + `\b`).MatchString(l) {
				t.Errorf("%s: %q not named: %s", c.syscall, w, l)
			}
		}
		for _, id := range ident.FindAllString(l, -1) {
			if strings.HasPrefix(id, "ERRNO") || strings.HasPrefix(id, "TRAP") || id == "ALLOW" || strings.HasPrefix(id, "KILL") {
				continue
			}
			if !contains(c.fam.members(), id) {
				t.Errorf("%s: %s is not a %s: %s", c.syscall, id, c.fam.what, l)
			}
		}
	}
}
