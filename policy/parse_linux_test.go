package policy

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
)

// TestConstantsHost compares the generated table with the values
// x/sys/unix compiles to on this host (Linux only: elsewhere x/sys/unix
// has another OS's values, or none).
func TestConstantsHost(t *testing.T) {
	host := arch.Host()
	if host == nil {
		t.Skip("host arch unknown to cbpf")
	}
	for name, want := range map[string]int64{
		"AF_INET": unix.AF_INET, "AF_INET6": unix.AF_INET6, "AF_NETLINK": unix.AF_NETLINK,
		"SOCK_STREAM": unix.SOCK_STREAM, "SOCK_NONBLOCK": unix.SOCK_NONBLOCK, "SOCK_CLOEXEC": unix.SOCK_CLOEXEC,
		"O_RDONLY": unix.O_RDONLY, "O_WRONLY": unix.O_WRONLY, "O_CREAT": unix.O_CREAT,
		"O_DIRECTORY": unix.O_DIRECTORY, "O_LARGEFILE": unix.O_LARGEFILE, "O_CLOEXEC": unix.O_CLOEXEC,
		"AT_FDCWD": unix.AT_FDCWD, "AT_EMPTY_PATH": unix.AT_EMPTY_PATH,
		"PROT_EXEC": unix.PROT_EXEC, "MAP_ANONYMOUS": unix.MAP_ANONYMOUS, "MAP_FIXED": unix.MAP_FIXED,
		"CLONE_NEWUSER": unix.CLONE_NEWUSER, "CLONE_THREAD": unix.CLONE_THREAD,
		"PR_SET_NO_NEW_PRIVS": unix.PR_SET_NO_NEW_PRIVS, "EPERM": int64(unix.EPERM), "EACCES": int64(unix.EACCES),
		"EDEADLK": int64(unix.EDEADLK), "TCGETS": unix.TCGETS, "TIOCSTI": unix.TIOCSTI,
		"F_SETFL": unix.F_SETFL, "MADV_DONTNEED": unix.MADV_DONTNEED, "IPPROTO_TCP": unix.IPPROTO_TCP,
		"SOL_SOCKET": unix.SOL_SOCKET, "SO_REUSEADDR": unix.SO_REUSEADDR, "SIGKILL": int64(unix.SIGKILL),
		"SECCOMP_RET_KILL_PROCESS": unix.SECCOMP_RET_KILL_PROCESS,
	} {
		got, ok := constValue(name, host)
		if !ok || got != want {
			t.Errorf("%s on %s = %#x, %v; x/sys/unix says %#x", name, host.Name, got, ok, want)
		}
	}
}
