package seccomp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/testenv"
)

// pathTree makes the files of the path tests under a temporary dir:
//
//	allowed/a.txt, allowed/sub/b.txt   inside the read-only rule
//	allowed/out -> ../secret.txt       a symlink out of it
//	allowed/in -> a.txt                a symlink within it
//	secret.txt                         outside every rule
//	rw/                                the Create rule
//	rw/dangle -> ../made-outside       a dangling symlink out of rw
func pathTree(t *testing.T) string {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"allowed/sub", "rw"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"allowed/a.txt", "allowed/sub/b.txt", "secret.txt"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, to := range map[string]string{"allowed/out": "../secret.txt", "allowed/in": "a.txt", "rw/dangle": "../made-outside"} {
		if err := os.Symlink(to, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func pathRules(dir string) []PathRule {
	return []PathRule{
		{Pattern: dir + "/allowed/**"},
		{Pattern: dir + "/rw/**", Create: true},
	}
}

const testDeny = unix.EPERM

// openRaw calls open(2) where the arch has it, else openat(AT_FDCWD).
func openRaw(p string, flags int, mode uint32) (int, error) {
	b := append([]byte(p), 0)
	var r uintptr
	var e syscall.Errno
	if n, ok := arch.Host().SyscallNumber("open"); ok {
		r, e = rawSyscall6(uintptr(n), uintptr(unsafe.Pointer(&b[0])), uintptr(flags), uintptr(mode))
	} else {
		r, e = rawSyscall6(unix.SYS_OPENAT, uintptr(unix.AT_FDCWD&0xffffffff), uintptr(unsafe.Pointer(&b[0])), uintptr(flags), uintptr(mode))
	}
	if e != 0 {
		return -1, e
	}
	return int(r), nil
}

var _ = registerTarget("paths", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	unix.Umask(0o022)
	targetInstall(FlagWaitKillableRecv, "open", "openat", "openat2", "creat")
	same := func(what string, fd int, err error, path string) {
		if err != nil {
			tfail("%s: %v, want the fd of %s", what, err, path)
			return
		}
		defer unix.Close(fd)
		var a, b unix.Stat_t
		if unix.Fstat(fd, &a) != nil || unix.Stat(path, &b) != nil || a.Ino != b.Ino || a.Dev != b.Dev {
			tfail("%s: fd %d is not %s", what, fd, path)
			return
		}
		tok("%s", what)
	}
	fails := func(what string, fd int, err error, want syscall.Errno) {
		if err == nil {
			unix.Close(fd)
		}
		if err != want {
			tfail("%s: got fd %d, %v; want %v", what, fd, err, want)
			return
		}
		tok("%s", what)
	}
	a, b, secret := dir+"/allowed/a.txt", dir+"/allowed/sub/b.txt", dir+"/secret.txt"

	fd, err := unix.Openat(unix.AT_FDCWD, a, unix.O_RDONLY, 0)
	same("openat inside", fd, err, a)
	fd, err = openRaw(a, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	same("open inside", fd, err, a)
	if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && fl&unix.FD_CLOEXEC == 0 {
		tfail("O_CLOEXEC lost")
	}
	fd, err = openRaw(secret, unix.O_RDONLY, 0)
	fails("outside", fd, err, testDeny)
	fd, err = openRaw(dir+"/allowed/out", unix.O_RDONLY, 0)
	fails("symlink out", fd, err, testDeny)
	fd, err = openRaw(dir+"/allowed/../secret.txt", unix.O_RDONLY, 0)
	fails("dotdot out", fd, err, testDeny)
	fd, err = openRaw(dir+"/allowed/sub/../a.txt", unix.O_RDONLY, 0)
	same("dotdot inside", fd, err, a)
	fd, err = openRaw(dir+"/allowed/in", unix.O_RDONLY, 0)
	same("symlink inside", fd, err, a)
	fd, err = openRaw(dir+"/allowed/in", unix.O_RDONLY|unix.O_NOFOLLOW, 0)
	fails("O_NOFOLLOW symlink", fd, err, unix.ELOOP)
	fd, err = openRaw(dir+"/allowed/missing", unix.O_RDONLY, 0)
	fails("missing inside", fd, err, unix.ENOENT)
	fd, err = openRaw(dir+"/missing", unix.O_RDONLY, 0)
	fails("missing outside", fd, err, testDeny)
	fd, err = openRaw("/proc/self/status", unix.O_RDONLY, 0)
	fails("procfs", fd, err, testDeny)

	_, e := rawSyscall6(unix.SYS_OPENAT, uintptr(unix.AT_FDCWD&0xffffffff), 0x10, unix.O_RDONLY)
	fails("bad pointer", -1, errnoOrNil(e), unix.EFAULT)
	long := dir + "/allowed/" + strings.Repeat("x/", 2500)
	fd, err = openRaw(long, unix.O_RDONLY, 0)
	fails("path too long", fd, err, unix.ENAMETOOLONG)

	// Relative to a dirfd, itself opened through the supervisor.
	dfd, err := unix.Open(dir+"/allowed", unix.O_PATH|unix.O_DIRECTORY, 0)
	if err != nil {
		tfail("O_PATH dir: %v", err)
		return
	}
	fd, err = unix.Openat(dfd, "sub/b.txt", unix.O_RDONLY, 0)
	same("dirfd inside", fd, err, b)
	fd, err = unix.Openat(dfd, "../secret.txt", unix.O_RDONLY, 0)
	fails("dirfd dotdot out", fd, err, testDeny)
	fd, err = unix.Openat(dfd, "out", unix.O_RDONLY, 0)
	fails("dirfd symlink out", fd, err, testDeny)
	fd, err = unix.Openat(9999, "a.txt", unix.O_RDONLY, 0)
	fails("bad dirfd", fd, err, unix.EBADF)
	fd, err = unix.Openat2(dfd, "sub/b.txt", &unix.OpenHow{Flags: unix.O_RDONLY, Resolve: unix.RESOLVE_BENEATH})
	same("openat2 beneath", fd, err, b)
	fd, err = unix.Openat2(dfd, "in", &unix.OpenHow{Flags: unix.O_RDONLY, Resolve: unix.RESOLVE_NO_SYMLINKS})
	fails("openat2 no symlinks", fd, err, unix.ELOOP)
	fd, err = unix.Openat2(dfd, "../secret.txt", &unix.OpenHow{Flags: unix.O_RDONLY, Resolve: unix.RESOLVE_BENEATH})
	fails("openat2 beneath out", fd, err, testDeny)
	fd, err = unix.Openat2(dfd, "a.txt", &unix.OpenHow{Flags: unix.O_RDONLY, Mode: 0o600})
	fails("openat2 mode without O_CREAT", fd, err, unix.EINVAL)
	// Relative to the cwd.
	if err := unix.Chdir(dir + "/allowed/sub"); err != nil {
		tfail("chdir: %v", err)
	}
	fd, err = openRaw("b.txt", unix.O_RDONLY, 0)
	same("cwd inside", fd, err, b)
	fd, err = openRaw("../../secret.txt", unix.O_RDONLY, 0)
	fails("cwd dotdot out", fd, err, testDeny)

	// Writing and creating only where a rule says so.
	fd, err = openRaw(a, unix.O_WRONLY, 0)
	fails("write read-only", fd, err, testDeny)
	fd, err = openRaw(a, unix.O_RDONLY|unix.O_TRUNC, 0)
	fails("truncate read-only", fd, err, testDeny)
	fd, err = openRaw(dir+"/allowed/new.txt", unix.O_CREAT|unix.O_WRONLY, 0o644)
	fails("O_CREAT refused", fd, err, testDeny)
	fd, err = openRaw(a, unix.O_CREAT|unix.O_RDONLY, 0o644)
	fails("O_CREAT of an existing file refused", fd, err, testDeny)
	fd, err = openRaw(dir+"/rw/new.txt", unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0o660)
	same("O_CREAT allowed", fd, err, dir+"/rw/new.txt")
	fd, err = openRaw(dir+"/rw/new.txt", unix.O_CREAT|unix.O_EXCL|unix.O_RDWR, 0o660)
	fails("O_EXCL existing", fd, err, unix.EEXIST)
	fd, err = openRaw(dir+"/rw/new.txt", unix.O_WRONLY|unix.O_APPEND, 0)
	if err == nil {
		if _, werr := unix.Write(fd, []byte("written")); werr != nil {
			tfail("write: %v", werr)
		}
	}
	same("write allowed", fd, err, dir+"/rw/new.txt")
	// A hard link brings the secret into the writable dir: not for writing.
	if err := unix.Link(secret, dir+"/rw/hardlink"); err != nil {
		tfail("link: %v", err)
	}
	fd, err = openRaw(dir+"/rw/hardlink", unix.O_WRONLY, 0)
	fails("write through a hard link", fd, err, testDeny)
	fd, err = openRaw(dir+"/rw/dangle", unix.O_CREAT|unix.O_WRONLY, 0o644)
	fails("O_CREAT through a dangling symlink", fd, err, unix.ELOOP)
	if n, ok := arch.Host().SyscallNumber("creat"); ok {
		p := append([]byte(dir+"/rw/creat.txt"), 0)
		r, e := rawSyscall6(uintptr(n), uintptr(unsafe.Pointer(&p[0])), 0o600)
		if e != 0 {
			same("creat", -1, e, dir+"/rw/creat.txt")
		} else {
			same("creat", int(r), nil, dir+"/rw/creat.txt")
		}
	} else {
		tok("creat")
	}
	fd, err = openRaw(dir+"/rw", unix.O_TMPFILE|unix.O_RDWR, 0o600)
	if err == nil {
		var st unix.Stat_t
		if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Nlink != 0 {
			tfail("O_TMPFILE: fd %d is not an unlinked file", fd)
		}
		unix.Close(fd)
		tok("O_TMPFILE allowed")
	} else {
		tfail("O_TMPFILE allowed: %v", err)
	}
	fd, err = openRaw(dir+"/allowed", unix.O_TMPFILE|unix.O_RDWR, 0o600)
	fails("O_TMPFILE refused", fd, err, testDeny)
	fd, err = unix.Openat2(unix.AT_FDCWD, dir+"/rw/new2.txt", &unix.OpenHow{Flags: unix.O_CREAT | unix.O_WRONLY, Mode: 0o600})
	same("openat2 O_CREAT", fd, err, dir+"/rw/new2.txt")
})

func errnoOrNil(e syscall.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}

// continueGuard wraps a handler and records whether it ever answered
// with ContinueSyscall.
type continueGuard struct {
	h         Handler
	continued atomic.Int64
	calls     atomic.Int64
}

func (g *continueGuard) Handle(ctx context.Context, l *Listener, n *Notif) Response {
	r := g.h.Handle(ctx, l, n)
	g.calls.Add(1)
	if r.kind == respContinue {
		g.continued.Add(1)
	}
	return r
}

// supervise runs Supervise in the background; stop ends it and returns
// its error.
func supervise(t *testing.T, l *Listener, h Handler) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Supervise(ctx, l, h) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(targetTimeout):
				t.Fatal("Supervise did not return after its context ended")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

func TestPathHandler(t *testing.T) {
	dir := pathTree(t)
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	g := &continueGuard{h: h}
	tg := startTarget(t, "paths", "CBPF_NOTIFY_DIR="+dir)
	stop := supervise(t, tg.L, g)
	tg.wait("openat inside", "open inside", "outside", "symlink out", "dotdot out", "dotdot inside",
		"symlink inside", "O_NOFOLLOW symlink", "bad pointer", "path too long", "missing inside", "missing outside", "procfs",
		"dirfd inside", "dirfd dotdot out", "dirfd symlink out", "bad dirfd",
		"openat2 beneath", "openat2 no symlinks", "openat2 beneath out", "openat2 mode without O_CREAT",
		"cwd inside", "cwd dotdot out",
		"write read-only", "truncate read-only", "O_CREAT refused", "O_CREAT of an existing file refused",
		"O_CREAT allowed", "O_EXCL existing", "write allowed", "write through a hard link", "O_CREAT through a dangling symlink",
		"creat", "O_TMPFILE allowed", "O_TMPFILE refused", "openat2 O_CREAT")
	if err := stop(); err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("Supervise: %v", err)
	}
	if g.continued.Load() != 0 {
		t.Errorf("the path handler answered %d calls with CONTINUE", g.continued.Load())
	}
	if g.calls.Load() < 30 {
		t.Errorf("only %d calls supervised", g.calls.Load())
	}
	for _, p := range []string{"allowed/new.txt", "made-outside"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); !os.IsNotExist(err) {
			t.Errorf("%s exists (%v): a refused create happened", p, err)
		}
	}
	for p, mode := range map[string]os.FileMode{"rw/new.txt": 0o640, "rw/new2.txt": 0o600} {
		fi, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Errorf("%s: %v", p, err)
		} else if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v (target's mode and umask)", p, fi.Mode(), mode)
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "rw/new.txt")); err != nil || string(b) != "written" {
		t.Errorf("rw/new.txt = %q, %v", b, err)
	}
}

func TestPathPatterns(t *testing.T) {
	for _, c := range []struct {
		pat  string
		yes  []string
		no   []string
		fail bool
	}{
		{pat: "/etc/safe.conf", yes: []string{"/etc/safe.conf"}, no: []string{"/etc/safe.conf2", "/etc", "/etc/safe.conf/x", "/", "etc/safe.conf"}},
		{pat: "/usr/share/zoneinfo/**", yes: []string{"/usr/share/zoneinfo", "/usr/share/zoneinfo/UTC", "/usr/share/zoneinfo/Europe/Paris"}, no: []string{"/usr/share/zoneinfo2", "/usr/share", "/usr/share/zoneinfoX/a"}},
		{pat: "/etc/*.conf", yes: []string{"/etc/a.conf", "/etc/.conf", "/etc/x.y.conf"}, no: []string{"/etc/a/b.conf", "/etc/a.conf.bak", "/etc/conf"}},
		{pat: "/a/**/b", yes: []string{"/a/b", "/a/x/b", "/a/x/y/b"}, no: []string{"/a", "/a/x/b/c", "/b"}},
		{pat: "/a/*/c*d/**", yes: []string{"/a/x/cd", "/a/x/cxxd/e/f"}, no: []string{"/a/cd", "/a/x/c"}},
		{pat: "/**", yes: []string{"/", "/a", "/a/b/c"}},
		{pat: "/", yes: []string{"/"}, no: []string{"/a"}},
		{pat: "/*", yes: []string{"/a", "/"[:1] + "b"}, no: []string{"/a/b"}},
		{pat: "/a/**/**/b", yes: []string{"/a/b", "/a/1/2/3/b"}, no: []string{"/a/b/c"}},
		{pat: "relative", fail: true},
		{pat: "", fail: true},
		{pat: "/a/", fail: true},
		{pat: "/a//b", fail: true},
		{pat: "/a/../b", fail: true},
		{pat: "/a/./b", fail: true},
		{pat: "/a/b**", fail: true},
		{pat: "/a\x00b", fail: true},
	} {
		p, err := compilePattern(c.pat)
		if c.fail {
			if err == nil {
				t.Errorf("pattern %q accepted", c.pat)
			}
			continue
		}
		if err != nil {
			t.Errorf("pattern %q: %v", c.pat, err)
			continue
		}
		for _, s := range c.yes {
			if !p.match(s) {
				t.Errorf("%q does not match %q", c.pat, s)
			}
		}
		for _, s := range c.no {
			if p.match(s) {
				t.Errorf("%q matches %q", c.pat, s)
			}
		}
	}
}

func TestPathHandlerAccess(t *testing.T) {
	h, err := NewPathHandler(0, PathRule{Pattern: "/r/**"}, PathRule{Pattern: "/w/**", Write: true}, PathRule{Pattern: "/c/**", Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if h.deny != unix.EACCES {
		t.Errorf("default deny %v", h.deny)
	}
	for _, c := range []struct {
		p             string
		write, create bool
		want          bool
	}{
		{"/r/x", false, false, true}, {"/r/x", true, false, false}, {"/r/x", true, true, false},
		{"/w/x", true, false, true}, {"/w/x", true, true, false},
		{"/c/x", true, true, true}, {"/c/x", false, false, true},
		{"/other", false, false, false},
	} {
		if got := h.Allows(c.p, c.write, c.create); got != c.want {
			t.Errorf("Allows(%q, write %v, create %v) = %v", c.p, c.write, c.create, got)
		}
	}
	if _, err := NewPathHandler(0, PathRule{Pattern: "x"}); err == nil {
		t.Error("relative pattern accepted")
	}
	if _, err := NewPathHandler(5000); err == nil {
		t.Error("errno 5000 accepted")
	}
}

// TestPathHandlerOtherCalls: calls that are not opens go to Next, or
// fail with ENOSYS; unknown arches are denied.
func TestPathHandlerOtherCalls(t *testing.T) {
	h, err := NewPathHandler(testDeny)
	if err != nil {
		t.Fatal(err)
	}
	mk, _ := arch.Host().SyscallNumber("mknodat")
	n := &Notif{Arch: arch.Host().Audit, Nr: int32(mk)}
	if r := h.Handle(context.Background(), nil, n); r.kind != respErrno || r.errno != unix.ENOSYS {
		t.Errorf("mknodat: %v, want ENOSYS", r)
	}
	h.Next = HandlerFunc(func(context.Context, *Listener, *Notif) Response { return ReturnValue(3) })
	if r := h.Handle(context.Background(), nil, n); r.kind != respValue || r.val != 3 {
		t.Errorf("mknodat with Next: %v", r)
	}
	// An arch whose flags the host reads differently is denied before
	// anything is read (the listener is nil: it must not be used).
	var foreign *arch.Arch
	for _, a := range arch.All() {
		if !sameOpenFlags(a) {
			if _, ok := a.SyscallNumber("openat"); ok {
				foreign = a
				break
			}
		}
	}
	if foreign != nil {
		nr, _ := foreign.SyscallNumber("openat")
		n := &Notif{Arch: foreign.Audit, Nr: int32(nr)}
		if r := h.Handle(context.Background(), nil, n); r.kind != respErrno || r.errno != testDeny {
			t.Errorf("openat of %s: %v, want the deny errno", foreign.Name, r)
		}
	}
}

var _ = registerTarget("mntns", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	targetInstall(FlagWaitKillableRecv, "open", "openat")
	fd, err := unix.Open(dir+"/allowed/a.txt", unix.O_RDONLY, 0)
	if err == nil {
		unix.Close(fd)
	}
	tok("%v", err)
})

// TestPathHandlerOtherMountNS: a target in another mount namespace sees
// other files under the same names: every open is denied.
func TestPathHandlerOtherMountNS(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Missing(t, "a new mount namespace needs root")
	}
	dir := pathTree(t)
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	tg := startTargetWith(t, "mntns", &syscall.SysProcAttr{Unshareflags: syscall.CLONE_NEWNS}, "CBPF_NOTIFY_DIR="+dir)
	supervise(t, tg.L, h)
	tg.wait(testDeny.Error())
}

const nobody = 65534

// becomeNobody drops a target to uid and gid 65534 without groups; it
// reports failures with tfail.
func becomeNobody() bool {
	for _, step := range []struct {
		what string
		err  error
	}{{"setgroups", syscall.Setgroups(nil)}, {"setgid", syscall.Setgid(nobody)}, {"setuid", syscall.Setuid(nobody)}} {
		if step.err != nil {
			tfail("%s: %v", step.what, step.err)
			return false
		}
	}
	return true
}

// The nobody target drops to uid and gid 65534 before it installs the
// filter; the supervisor (root) must open files with its credentials.
var _ = registerTarget("nobody", func() {
	dir := os.Getenv("CBPF_NOTIFY_DIR")
	if !becomeNobody() {
		return
	}
	unix.Umask(0o022)
	targetInstall(FlagWaitKillableRecv, "open", "openat")
	check := func(what string, p string, flags int, want error) {
		fd, err := unix.Open(p, flags, 0o666)
		if err == nil {
			unix.Close(fd)
		}
		if err != want {
			tfail("%s: %v, want %v", what, err, want)
			return
		}
		tok("%s", what)
	}
	check("readable", dir+"/allowed/a.txt", unix.O_RDONLY, nil)
	check("root's private file", dir+"/allowed/private.txt", unix.O_RDONLY, unix.EACCES)
	check("create in a dir nobody may write", dir+"/rw/open/mine.txt", unix.O_CREAT|unix.O_WRONLY, nil)
	check("create in root's dir", dir+"/rw/locked/x.txt", unix.O_CREAT|unix.O_WRONLY, unix.EACCES)
})

func TestPathHandlerTargetCredentials(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Missing(t, "switching to the target's credentials needs root")
	}
	dir := pathTree(t)
	for _, d := range []string{dir + "/rw/open", dir + "/rw/locked"} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(dir+"/allowed/private.txt", []byte("root only"), 0o600); err != nil {
		t.Fatal(err)
	}
	// nobody must reach the tree: open the temporary dirs for search.
	for d := dir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir+"/rw/open", 0o777); err != nil {
		t.Fatal(err)
	}
	h, err := NewPathHandler(testDeny, pathRules(dir)...)
	if err != nil {
		t.Fatal(err)
	}
	tg := startTarget(t, "nobody", "CBPF_NOTIFY_DIR="+dir)
	supervise(t, tg.L, h)
	tg.wait("readable", "root's private file", "create in a dir nobody may write", "create in root's dir")
	var st syscall.Stat_t
	if err := syscall.Stat(dir+"/rw/open/mine.txt", &st); err != nil {
		t.Fatal(err)
	}
	if st.Uid != nobody || st.Gid != nobody || st.Mode&0o777 != 0o644 {
		t.Errorf("created file: uid %d gid %d mode %o; want %d %d 644", st.Uid, st.Gid, st.Mode&0o777, nobody, nobody)
	}
	// The supervisor's own threads keep their credentials.
	if f, err := os.Open(dir + "/allowed/private.txt"); err != nil {
		t.Errorf("the supervisor lost its access: %v", err)
	} else {
		f.Close()
	}
}
