package seccomp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	pathpkg "path"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cbpfkit/cbpf/arch"
	"golang.org/x/sys/unix"
)

// PathRule allows opening the files whose canonical path matches Pattern.
//
// Pattern is an absolute, clean path in which "*" matches any run of
// characters within one element (dot files included) and an element
// "**" matches any number of elements, none included:
// "/usr/share/zoneinfo/**" matches the directory and everything below
// it, "/etc/*.conf" matches /etc/a.conf but not /etc/x/a.conf. No other
// character is special.
//
// A rule allows reading (O_RDONLY, O_PATH) only, unless it says more:
// Write allows O_WRONLY, O_RDWR, O_TRUNC and O_ACCMODE (3); Create allows
// O_CREAT and O_TMPFILE (whether the file exists or not; O_TMPFILE needs
// the directory's path to match) and implies Write.
type PathRule struct {
	Pattern string
	Write   bool
	Create  bool
}

type pathRule struct {
	PathRule
	pat *pathPattern
}

// PathHandler is a Handler for open, openat, openat2 and creat that
// allows only the files its rules name, doing the open itself: it reads
// the path (checking ID_VALID), resolves it from the target's cwd or
// dirfd the way the kernel would, takes the real path of what it found
// (so that no symlink or ".." leads out of the allowed files), checks it
// against the rules, opens that very file with the caller's flags and
// injects the descriptor with SECCOMP_ADDFD_FLAG_SEND, whose number the
// call returns. Any other path gets the deny errno.
//
// It never answers with ContinueSyscall: by the time the kernel ran the
// call, another thread of the target could have rewritten the path
// ("there is a time-of-check, time-of-use race here", seccomp_unotify(2)).
//
// What to know:
//   - Syscall numbers come from the notification's own arch (an i386
//     call under an amd64 kernel is looked up in the x86 table). Arches
//     whose open flags the host kernel reads differently are denied.
//   - Files are found, opened and created with the target's filesystem
//     credentials (fsuid, fsgid, supplementary groups), so the kernel's
//     permission checks are the target's, and a created file is the
//     target's, with its umask. When they differ from the supervisor's,
//     the supervisor must be able to take them (root: CAP_SETUID and
//     CAP_SETGID); if it cannot, the call is denied. Capabilities are
//     not emulated: a target with fsuid 0 gets the supervisor's.
//   - The target must share the supervisor's root and mount namespace
//     (else every call is denied): paths are resolved in the supervisor's
//     view. Magic links (/proc/PID/fd/N and the like) are not followed
//     (RESOLVE_NO_MAGICLINKS).
//   - A path that cannot be resolved gets the kernel's error (ENOENT,
//     ENOTDIR, ...) only if its lexical form matches a rule; otherwise
//     Deny, so that a denied target cannot probe for files.
//   - O_CREAT does not follow a symlink in the last element (ELOOP).
//   - A rule allows a file by the name the kernel gives its descriptor.
//     A hard link can bring any file the target may link into an allowed
//     directory; files with several links are therefore never opened for
//     writing, and a policy should not allow link/linkat into allowed
//     directories if that matters for reading.
//   - O_PATH opens get a read-only descriptor for a directory or a
//     regular file (the kernel cannot inject O_PATH descriptors) and
//     Deny for anything else.
//   - The opens run with the target's fsuid, fsgid and groups, and with
//     no more effective capabilities than the target has (a container's
//     root with its capabilities dropped stays without them). The
//     target's Landlock domain and LSM label do not apply: the open is
//     the supervisor's.
//   - /dev/tty is the opener's controlling terminal: it is opened only
//     when the target's controlling terminal is the supervisor's
//     (ENXIO otherwise, as for a process without one).
//   - A blocking open of a FIFO waits for the other end as the kernel's
//     would; if the target dies or gives up meanwhile, the handler ends
//     the wait itself, so a FIFO cannot hold it for ever.
//   - /proc/self and /proc/thread-self (and /proc/mounts, /proc/net) are
//     read as the target's /proc/TGID; the supervisor's own /proc files
//     are never handed out (any thread may open those of its process).
//     The target's own descriptors (/dev/stdin, /dev/fd/N,
//     /proc/self/fd/N) are reopened as the kernel would, decided on the
//     file's real path (a pipe's on the path named); other magic links
//     are refused with ELOOP.
//   - The hard-link rule is checked on the file found and again on the
//     file opened (one link, its name unchanged, no link made or removed
//     meanwhile), but a target that can make hard links in a writable
//     allowed directory can still, rarely, win a race against it: keep
//     link and linkat away from such targets.
type PathHandler struct {
	rules []pathRule
	deny  syscall.Errno
	// Next handles notified calls that are not opens; nil answers ENOSYS.
	Next Handler
	// Decide, when not nil, takes the place of the rules: given the call
	// and the real path of the file it would open (its lexical form,
	// resolved bool false, when the path cannot be resolved), and whether
	// the open writes or creates, it returns 0 to have the handler open
	// the file, or the errno to answer. Everything else stays: the handler
	// still refuses, with its deny errno, what it never hands out
	// (procfs, other views, hard links for writing, ...). A policy with
	// path rules decides here (cbpf exec: policy.Eval on the path).
	Decide func(n *Notif, path string, resolved, write, create bool) syscall.Errno
}

// NewPathHandler returns a handler allowing rules; every other open
// fails with deny (EACCES if 0).
func NewPathHandler(deny syscall.Errno, rules ...PathRule) (*PathHandler, error) {
	if deny == 0 {
		deny = unix.EACCES
	}
	if deny > 4095 {
		return nil, fmt.Errorf("seccomp: NewPathHandler: errno %d out of range 1..4095", int(deny))
	}
	h := &PathHandler{deny: deny}
	for i, r := range rules {
		p, err := compilePattern(r.Pattern)
		if err != nil {
			return nil, fmt.Errorf("seccomp: NewPathHandler: rule %d: %w", i, err)
		}
		if r.Create {
			r.Write = true
		}
		h.rules = append(h.rules, pathRule{r, p})
	}
	return h, nil
}

// verdict is Decide, or the rules: 0 when path may be opened.
func (h *PathHandler) verdict(n *Notif, path string, resolved, write, create bool) syscall.Errno {
	if h.Decide != nil {
		return h.Decide(n, path, resolved, write, create)
	}
	if h.Allows(path, write, create) {
		return 0
	}
	return h.deny
}

// Allows reports whether canonical path p may be opened with the given
// access (write: needs Write; create: needs Create).
func (h *PathHandler) Allows(p string, write, create bool) bool {
	for _, r := range h.rules {
		if (!write || r.Write) && (!create || r.Create) && r.pat.match(p) {
			return true
		}
	}
	return false
}

// openCall is an open-family call decoded from a notification.
type openCall struct {
	dirfd   int32 // AT_FDCWD for open and creat
	pathArg int
	flags   uint64
	mode    uint64
	resolve uint64
	how2    bool // openat2: flags are checked as openat2 checks them
}

// Handle implements Handler.
func (h *PathHandler) Handle(ctx context.Context, l *Listener, n *Notif) Response {
	a := n.SyscallArch()
	name, ok := n.SyscallName()
	if a == nil || !ok {
		return h.other(ctx, l, n)
	}
	var c openCall
	switch name {
	case "open":
		c = openCall{dirfd: unix.AT_FDCWD, pathArg: 0, flags: uint64(uint32(n.Args[1])), mode: uint64(uint32(n.Args[2]))}
	case "creat":
		c = openCall{dirfd: unix.AT_FDCWD, pathArg: 0, flags: unix.O_CREAT | unix.O_WRONLY | unix.O_TRUNC, mode: uint64(uint32(n.Args[1]))}
	case "openat":
		c = openCall{dirfd: int32(n.Args[0]), pathArg: 1, flags: uint64(uint32(n.Args[2])), mode: uint64(uint32(n.Args[3]))}
	case "openat2":
		c = openCall{dirfd: int32(n.Args[0]), pathArg: 1, how2: true}
	default:
		return h.other(ctx, l, n)
	}
	if !sameOpenFlags(a) {
		return ReturnErrno(h.deny)
	}
	r, err := h.open(l, n, &c)
	if err != nil {
		var e syscall.Errno
		if errors.As(err, &e) {
			return ReturnErrno(e)
		}
		// ErrNotifGone or a listener failure: nobody waits for the
		// answer, or it cannot be given; deny in case it still can.
		return ReturnErrno(h.deny)
	}
	return r
}

func (h *PathHandler) other(ctx context.Context, l *Listener, n *Notif) Response {
	if h.Next != nil {
		return h.Next.Handle(ctx, l, n)
	}
	return ReturnErrno(unix.ENOSYS)
}

// sameOpenFlags reports whether calls of arch a encode open flags as
// the host kernel reads them: the host's own arch, and the compat ABIs
// of x86_64 (x86, x32) and aarch64 (arm), whose uapi fcntl.h values
// match.
func sameOpenFlags(a *arch.Arch) bool {
	host := arch.Host()
	if host == nil {
		return false
	}
	if a.Name == host.Name {
		return true
	}
	switch host.Name {
	case "x86_64":
		return a.Name == "x86" || a.Name == "x32"
	case "aarch64":
		return a.Name == "arm"
	}
	return false
}

const (
	oTmpfile     = unix.O_TMPFILE // includes O_DIRECTORY
	oPathFlags   = unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_PATH | unix.O_CLOEXEC
	openHowSize0 = 24 // OPEN_HOW_SIZE_VER0
	pathMax      = 4096
	procMagic    = 0x9fa0 // PROC_SUPER_MAGIC
)

// open carries out c for n: the Response, or an errno to answer.
func (h *PathHandler) open(l *Listener, n *Notif, c *openCall) (Response, error) {
	pid := n.PID
	deny := h.deny
	// Everything read from /proc/PID is opened before the ID_VALID check
	// that ReadString/ReadMem make, so it is known to be the target's.
	if !sameView(pid) {
		return Response{}, deny
	}
	if c.how2 {
		if err := h.readOpenHow(l, n, c); err != nil {
			return Response{}, err
		}
	}
	flags := c.flags
	switch {
	case flags&unix.O_CREAT != 0 && flags&oTmpfile == unix.O_DIRECTORY:
		return Response{}, unix.EINVAL // O_CREAT|O_DIRECTORY (as Linux 6.4+)
	case flags&unix.O_PATH != 0 && c.how2 && flags&^oPathFlags != 0:
		return Response{}, unix.EINVAL // openat2 refuses what O_PATH ignores
	case flags&unix.O_PATH != 0:
		flags &= oPathFlags
	}
	acc := flags & unix.O_ACCMODE
	create := flags&unix.O_CREAT != 0 || flags&oTmpfile == oTmpfile
	write := create || acc != unix.O_RDONLY || flags&unix.O_TRUNC != 0
	if flags&unix.O_PATH != 0 {
		write, create = false, false
	}

	st, err := readTargetStatus(pid)
	if err != nil {
		return Response{}, deny
	}
	// The directory a relative path starts from: the thread's cwd or its
	// descriptor, opened from /proc before the ID_VALID check.
	dirfd := -1
	if c.dirfd == unix.AT_FDCWD || c.dirfd >= 0 {
		where := "cwd"
		if c.dirfd != unix.AT_FDCWD {
			where = "fd/" + strconv.Itoa(int(c.dirfd))
		}
		if fd, err := unix.Open("/proc/"+strconv.Itoa(pid)+"/"+where, unix.O_PATH|unix.O_CLOEXEC, 0); err == nil {
			dirfd = fd
			defer unix.Close(fd)
		}
	}
	p, err := l.ReadString(n, c.pathArg, pathMax-1)
	if err != nil {
		return Response{}, readError(err, deny)
	}
	// From here on, what was read is the target's.
	p = procSelf(p, st.tgid, pid)
	if p == "" {
		return Response{}, unix.ENOENT
	}
	if dirfd < 0 && (p[0] != '/' || c.resolve&(unix.RESOLVE_BENEATH|unix.RESOLVE_IN_ROOT) != 0) {
		return Response{}, unix.EBADF
	}
	if dirfd < 0 {
		dirfd = unix.AT_FDCWD // an absolute path: the shared root
	}
	// lexical is the answer for a path that cannot be resolved: the deny
	// errno, unless its lexical form may be opened (then the kernel's).
	lexical := func() syscall.Errno {
		if slices.Contains(strings.Split(p, "/"), "..") {
			// Cleaning ".." away would tell a denied target whether what
			// it walked through exists.
			return deny
		}
		base := "/"
		if p[0] != '/' {
			dp, err := fdPath(dirfd)
			if err != nil {
				return deny
			}
			base = dp
		}
		return h.verdict(n, pathpkg.Clean(base+"/"+p), false, write, create)
	}
	fail := func(e error) (Response, error) {
		errno, ok := e.(syscall.Errno)
		if !ok {
			return Response{}, deny
		}
		if v := lexical(); v != 0 {
			return Response{}, v
		}
		return Response{}, errno
	}

	// Find the file without opening it, as the caller's flags and
	// RESOLVE_* say; magic links never (they would be the supervisor's).
	how := unix.OpenHow{
		Flags:   unix.O_PATH | unix.O_CLOEXEC | (flags & (unix.O_NOFOLLOW | unix.O_DIRECTORY)),
		Resolve: c.resolve | unix.RESOLVE_NO_MAGICLINKS,
	}
	// Except the target's own descriptors (/dev/stdin, /dev/fd/N,
	// /proc/self/fd/N): reopening one of them is what the kernel would
	// do for it, with its credentials.
	ownFD := isOwnFD(p, st.tgid) // absolute paths only
	if ownFD {
		p = ownFDPath(p, st.tgid)
		how.Resolve = c.resolve // the caller's own RESOLVE_* still apply
	}
	if flags&unix.O_CREAT != 0 {
		how.Flags &^= unix.O_DIRECTORY
	}
	var pfd int
	err = st.do(func() (err error) { pfd, err = openat2Retry(dirfd, p, &how); return err })
	if err == errCreds {
		return Response{}, deny
	}
	if err == unix.ENOENT && flags&unix.O_CREAT != 0 {
		return h.create(n, dirfd, p, c, flags, st, fail)
	}
	if err != nil {
		return fail(err)
	}
	defer unix.Close(pfd)
	// The file as found, before its name is checked: singleLink compares
	// what is opened in the end with it.
	var fst unix.Stat_t
	if err := unix.Fstat(pfd, &fst); err != nil {
		return Response{}, deny
	}
	real, err := realPath(pfd, st.tgid)
	if err != nil && ownFD && (fst.Mode&unix.S_IFMT == unix.S_IFIFO || fst.Mode&unix.S_IFMT == unix.S_IFSOCK) {
		// A pipe has no path: the one the target named decides.
		real, err = p, nil
	}
	if err != nil {
		return Response{}, deny
	}
	if v := h.verdict(n, real, true, write, create); v != 0 {
		return Response{}, v
	}
	if flags&unix.O_CREAT != 0 && flags&unix.O_EXCL != 0 {
		return Response{}, unix.EEXIST
	}
	if fst.Mode&unix.S_IFMT == unix.S_IFLNK && flags&unix.O_PATH == 0 {
		return Response{}, unix.ELOOP // O_NOFOLLOW on a symlink
	}
	if fst.Mode&unix.S_IFMT == unix.S_IFDIR && flags&unix.O_CREAT != 0 {
		return Response{}, unix.EISDIR // as open(2) answers
	}
	if fst.Mode&unix.S_IFMT == unix.S_IFCHR && fst.Rdev == unix.Mkdev(5, 0) {
		// /dev/tty is the opener's controlling terminal: opened here it
		// would be the supervisor's. Only when it is the target's too.
		if !sameCtty(pid) {
			return Response{}, unix.ENXIO
		}
	}
	if write && fst.Mode&unix.S_IFMT != unix.S_IFDIR && fst.Nlink > 1 {
		// A hard link may have brought a file from elsewhere into an
		// allowed directory: no writing to it through the rule.
		return Response{}, deny
	}
	cloexec := flags&unix.O_CLOEXEC != 0
	if flags&unix.O_PATH != 0 {
		// ADDFD cannot pass an O_PATH descriptor (the kernel's fget
		// refuses them): a directory or regular file is handed out
		// read-only instead, which serves as a dirfd or for fstat alike.
		switch fst.Mode & unix.S_IFMT {
		case unix.S_IFDIR, unix.S_IFREG:
			flags = unix.O_RDONLY | (flags & (unix.O_DIRECTORY | unix.O_CLOEXEC))
		default:
			return Response{}, deny
		}
	}
	// Open that very inode again through its descriptor: no path is
	// walked a second time, so nothing can be swapped in between.
	re := flags | unix.O_CLOEXEC
	re &^= unix.O_NOFOLLOW | unix.O_CREAT
	if flags&oTmpfile != oTmpfile {
		re &^= unix.O_EXCL
	}
	proc := "/proc/self/fd/" + strconv.Itoa(pfd)
	var fd int
	reopen := func() error {
		return st.do(func() (err error) {
			if c.how2 {
				rh := unix.OpenHow{Flags: re}
				if flags&oTmpfile == oTmpfile {
					rh.Mode = c.mode &^ uint64(st.umask)
				}
				fd, err = openat2Retry(unix.AT_FDCWD, proc, &rh)
			} else {
				fd, err = openRetry(proc, int(re), uint32(c.mode&^uint64(st.umask)))
			}
			return err
		})
	}
	if fst.Mode&unix.S_IFMT == unix.S_IFIFO && flags&unix.O_NONBLOCK == 0 {
		err = openFIFO(l, n, proc, reopen, func() { unix.Close(fd) })
	} else {
		err = reopen()
	}
	if err == errCreds {
		return Response{}, deny
	}
	if err != nil {
		return Response{}, err
	}
	if write && fst.Mode&unix.S_IFMT != unix.S_IFDIR && !singleLink(fd, real, &fst) {
		// A hard link made and removed while we looked: the file may be
		// one from anywhere. Checked again on what was opened.
		unix.Close(fd)
		return Response{}, deny
	}
	return ReturnFD(os.NewFile(uintptr(fd), real), cloexec), nil
}

// singleLink reports whether the open file fd has one link, and that link
// is still name: a file opened for writing through a rule. The check on
// the path found before opening is not enough, since a hard link can come
// and go in between; once it is gone, the descriptor's name reads
// " (deleted)" and no longer leads to the file.
//
// before, when not nil, is the file as it was found: a link made or
// removed since changed its ctime.
func singleLink(fd int, name string, before *unix.Stat_t) bool {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Nlink != 1 {
		return false
	}
	if before != nil && (st.Ctim != before.Ctim || st.Ino != before.Ino || st.Dev != before.Dev) {
		return false
	}
	p, err := realPath(fd, procAny)
	return err == nil && p == name
}

// create makes a file that does not exist yet: it resolves the parent
// directory, checks parent/base, and creates base there without
// following a symlink.
func (h *PathHandler) create(n *Notif, dirfd int, p string, c *openCall, flags uint64, st *targetStatus, fail func(error) (Response, error)) (Response, error) {
	dir, base := pathpkg.Split(p)
	if base == "" || base == "." || base == ".." {
		return fail(unix.EISDIR)
	}
	if dir == "" {
		dir = "."
	}
	how := unix.OpenHow{Flags: unix.O_PATH | unix.O_DIRECTORY | unix.O_CLOEXEC, Resolve: c.resolve | unix.RESOLVE_NO_MAGICLINKS}
	var parent int
	err := st.do(func() (err error) { parent, err = openat2Retry(dirfd, dir, &how); return err })
	if err == errCreds {
		return Response{}, h.deny
	}
	if err != nil {
		return fail(err)
	}
	defer unix.Close(parent)
	realDir, err := realPath(parent, 0)
	if err != nil {
		return Response{}, h.deny
	}
	real := pathpkg.Join(realDir, base)
	if v := h.verdict(n, real, true, true, true); v != 0 {
		return Response{}, v
	}
	mode := uint32(c.mode) & 07777 &^ st.umask
	cf := (flags | unix.O_CLOEXEC | unix.O_NOFOLLOW | unix.O_EXCL) &^ unix.O_DIRECTORY
	created := true
	var fd int
	err = st.do(func() (err error) {
		fd, err = openatRetry(parent, base, int(cf), mode)
		if err == unix.EEXIST && flags&unix.O_EXCL == 0 {
			// Someone made it meanwhile: open it as O_CREAT would have.
			created = false
			fd, err = openatRetry(parent, base, int((flags|unix.O_CLOEXEC|unix.O_NOFOLLOW)&^unix.O_CREAT), 0)
		}
		if err != nil {
			return err
		}
		var fst unix.Stat_t
		if err = unix.Fstat(fd, &fst); err != nil {
			unix.Close(fd)
			return err
		}
		switch {
		case !created && fst.Mode&unix.S_IFMT == unix.S_IFDIR:
			unix.Close(fd)
			return unix.EISDIR
		case !created && !singleLink(fd, real, nil):
			// What appeared at the name may be a hard link to a file from
			// anywhere: not opened for writing (as in open).
			unix.Close(fd)
			return h.deny
		case created:
			// Our umask may have cleared more than the target's; but a
			// set-group-ID bit the kernel stripped stays stripped, and the
			// change is made with the target's credentials.
			m := mode
			if fst.Mode&unix.S_ISGID == 0 {
				m &^= unix.S_ISGID
			}
			if err = unix.Fchmod(fd, m); err != nil {
				unix.Close(fd)
				return err
			}
		}
		return nil
	})
	if err == errCreds {
		return Response{}, h.deny
	}
	if err != nil {
		return Response{}, err
	}
	return ReturnFD(os.NewFile(uintptr(fd), real), flags&unix.O_CLOEXEC != 0), nil
}

// readOpenHow reads openat2's struct open_how (args[2], size args[3]).
func (h *PathHandler) readOpenHow(l *Listener, n *Notif, c *openCall) error {
	size := n.Args[3]
	switch {
	case size < openHowSize0:
		return unix.EINVAL
	case size > uint64(os.Getpagesize()):
		return unix.E2BIG
	}
	b := make([]byte, size)
	if err := l.ReadMem(n, n.Pointer(2), b); err != nil {
		return readError(err, h.deny)
	}
	for _, x := range b[openHowSize0:] {
		if x != 0 {
			return unix.E2BIG // a newer struct's fields we do not know
		}
	}
	ne := binary.NativeEndian
	c.flags, c.mode, c.resolve = ne.Uint64(b[0:]), ne.Uint64(b[8:]), ne.Uint64(b[16:])
	if c.mode != 0 && c.flags&unix.O_CREAT == 0 && c.flags&oTmpfile != oTmpfile || c.mode&^07777 != 0 {
		return unix.EINVAL
	}
	return nil
}

// readError is what to answer when reading the target's memory failed:
// the kernel's own errors for a bad pointer or a path too long, else
// deny (the supervisor may not read the target: no ptrace access).
func readError(err error, deny syscall.Errno) error {
	switch {
	case errors.Is(err, ErrNotifGone), errors.Is(err, ErrListenerClosed):
		return err
	case errors.Is(err, unix.EFAULT):
		return unix.EFAULT
	case errors.Is(err, unix.ENAMETOOLONG):
		return unix.ENAMETOOLONG
	}
	return deny
}

// sameView reports whether pid has the supervisor's root directory and
// mount namespace, so that a path means the same file to both.
func sameView(pid int) bool {
	same := func(a, b string) bool {
		var sa, sb unix.Stat_t
		return unix.Stat(a, &sa) == nil && unix.Stat(b, &sb) == nil && sa.Dev == sb.Dev && sa.Ino == sb.Ino
	}
	proc := "/proc/" + strconv.Itoa(pid)
	return same(proc+"/root", "/") && same(proc+"/ns/mnt", "/proc/self/ns/mnt")
}

// realPath returns the canonical path of an open descriptor, refusing
// paths the kernel could not name plainly. On procfs (tgid not 0) it
// refuses the supervisor's own files, which a symlink through /proc/self
// would lead to and which any of its threads may open whatever its
// credentials; the target's /proc/self is rewritten by procSelf, and the
// other processes' files are opened with the target's credentials, as
// the kernel would check them. procAny allows any, 0 none.
func realPath(fd int, tgid int) (string, error) {
	var sfs unix.Statfs_t
	if err := unix.Fstatfs(fd, &sfs); err != nil {
		return "", err
	}
	p, err := fdPath(fd)
	if err != nil {
		return "", err
	}
	if sfs.Type == procMagic && tgid != procAny {
		first, _, _ := strings.Cut(strings.TrimPrefix(p, "/proc/"), "/")
		_, numeric := strconv.Atoi(first)
		switch {
		case tgid == 0 || !strings.HasPrefix(p, "/proc/"):
			return "", errors.New("on procfs")
		case first == "self" || first == "thread-self":
			return "", errors.New("the supervisor's own /proc")
		case numeric == nil && (first == strconv.Itoa(os.Getpid()) || isOurThread(first)):
			// Any thread may open its own process's /proc files whatever
			// its credentials (ptrace_may_access: same thread group), so
			// the supervisor's are never handed out.
			return "", errors.New("the supervisor's own /proc")
		}
	}
	if p == "" || p[0] != '/' || strings.HasSuffix(p, " (deleted)") {
		return "", fmt.Errorf("no plain path: %q", p)
	}
	// The name must lead to this very file in the supervisor's view: a
	// descriptor from another mount namespace (passed to the target over
	// a socket) has a name that means something else here.
	var a, b unix.Stat_t
	if err := unix.Fstat(fd, &a); err != nil {
		return "", err
	}
	if err := unix.Fstatat(unix.AT_FDCWD, p, &b, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return "", err
	}
	if a.Dev != b.Dev || a.Ino != b.Ino {
		return "", fmt.Errorf("%q names another file here", p)
	}
	return p, nil
}

// isOwnFD reports whether absolute path p names one of the target's own
// descriptors: /dev/stdin, /dev/stdout, /dev/stderr, /dev/fd/N, or
// /proc/TGID/fd/N (/proc/self/fd/N once procSelf rewrote it).
func isOwnFD(p string, tgid int) bool {
	switch p {
	case "/dev/stdin", "/dev/stdout", "/dev/stderr":
		return true
	}
	for _, dir := range []string{"/dev/fd/", "/proc/" + strconv.Itoa(tgid) + "/fd/"} {
		if n, ok := strings.CutPrefix(p, dir); ok {
			_, err := strconv.ParseUint(n, 10, 31)
			return err == nil
		}
	}
	return false
}

// ownFDPath is the /proc/TGID/fd/N path of a descriptor isOwnFD names.
func ownFDPath(p string, tgid int) string {
	fd := map[string]string{"/dev/stdin": "0", "/dev/stdout": "1", "/dev/stderr": "2"}[p]
	if fd == "" {
		fd = p[strings.LastIndexByte(p, '/')+1:]
	}
	return "/proc/" + strconv.Itoa(tgid) + "/fd/" + fd
}

// isOurThread reports whether tid names a thread of this process (each
// has its own, hidden, /proc/TID).
func isOurThread(tid string) bool {
	_, err := os.Lstat("/proc/self/task/" + tid)
	return err == nil
}

// procAny: realPath takes any file on procfs (a name already checked).
const procAny = -1

// procSelf rewrites a path through the target's /proc/self or
// /proc/thread-self (or procfs's symlinks into it, /proc/mounts and
// /proc/net), which opened by the supervisor would be its own, to the
// target's /proc/TGID or /proc/TGID/task/TID.
func procSelf(p string, tgid, tid int) string {
	for _, x := range []struct{ self, is string }{
		{"/proc/self", "/proc/" + strconv.Itoa(tgid)},
		{"/proc/thread-self", "/proc/" + strconv.Itoa(tgid) + "/task/" + strconv.Itoa(tid)},
		// procfs's own symlinks into self.
		{"/proc/mounts", "/proc/" + strconv.Itoa(tgid) + "/mounts"},
		{"/proc/net", "/proc/" + strconv.Itoa(tgid) + "/net"},
	} {
		if p == x.self || strings.HasPrefix(p, x.self+"/") {
			return x.is + p[len(x.self):]
		}
	}
	return p
}

func fdPath(fd int) (string, error) {
	return os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
}

// targetStatus holds the target's umask and filesystem credentials.
type targetStatus struct {
	umask        uint32
	fsuid, fsgid uint32
	groups       []uint32
	capEff       uint64 // effective capabilities
	tgid         int    // the target's process (its thread group)
}

func readTargetStatus(pid int) (*targetStatus, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st := &targetStatus{}
	var have int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fs := strings.Fields(v)
		switch {
		case k == "Umask" && len(fs) == 1:
			u, err := strconv.ParseUint(fs[0], 8, 32)
			if err != nil {
				return nil, err
			}
			st.umask = uint32(u)
			have++
		case k == "Groups":
			for _, g := range fs {
				id, err := strconv.ParseUint(g, 10, 32)
				if err != nil {
					return nil, err
				}
				st.groups = append(st.groups, uint32(id))
			}
			have++
		case k == "Tgid" && len(fs) == 1:
			id, err := strconv.Atoi(fs[0])
			if err != nil {
				return nil, err
			}
			st.tgid = id
			have++
		case k == "CapEff" && len(fs) == 1:
			c, err := strconv.ParseUint(fs[0], 16, 64)
			if err != nil {
				return nil, err
			}
			st.capEff = c
			have++
		case (k == "Uid" || k == "Gid") && len(fs) == 4:
			id, err := strconv.ParseUint(fs[3], 10, 32) // the fs id
			if err != nil {
				return nil, err
			}
			if k == "Uid" {
				st.fsuid = uint32(id)
			} else {
				st.fsgid = uint32(id)
			}
			have++
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if have != 6 {
		return nil, errors.New("incomplete /proc/PID/status")
	}
	return st, nil
}

func openat2Retry(dirfd int, p string, how *unix.OpenHow) (int, error) {
	for {
		fd, err := unix.Openat2(dirfd, p, how)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

func openatRetry(dirfd int, p string, flags int, mode uint32) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, p, flags, mode)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

func openRetry(p string, flags int, mode uint32) (int, error) {
	return openatRetry(unix.AT_FDCWD, p, flags, mode)
}

// openFIFO runs reopen, a blocking open of a FIFO (it waits for the other
// end), so that the handler is not stuck in it for ever: while it waits,
// the notification is checked every fifoPoll; once the target has died or
// given up, the wait is ended by opening the FIFO here at both ends for
// an instant (O_RDWR does not wait), what reopen opened is closed with
// closeOpened, and the notification is gone.
func openFIFO(l *Listener, n *Notif, proc string, reopen func() error, closeOpened func()) error {
	done := make(chan error, 1)
	go func() { done <- reopen() }()
	t := time.NewTicker(fifoPoll)
	defer t.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-t.C:
			if ok, err := l.IDValid(n.ID); ok && err == nil {
				continue
			}
			if fd, err := unix.Open(proc, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0); err == nil {
				err := <-done
				unix.Close(fd)
				if err == nil {
					closeOpened() // nobody waits for it any more
				}
				return ErrNotifGone
			}
		}
	}
}

// fifoPoll is how often a handler waiting in the open of a FIFO checks
// that the target still waits for it.
const fifoPoll = 100 * time.Millisecond

// sameCtty reports whether process pid has the supervisor's controlling
// terminal (field tty_nr of /proc/PID/stat), so that opening /dev/tty here
// opens the same terminal.
func sameCtty(pid int) bool {
	tty := func(stat string) (uint64, bool) {
		b, err := os.ReadFile(stat)
		if err != nil {
			return 0, false
		}
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			return 0, false
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 5 {
			return 0, false
		}
		v, err := strconv.ParseUint(f[4], 10, 64) // state ppid pgrp session tty_nr
		return v, err == nil
	}
	theirs, ok1 := tty("/proc/" + strconv.Itoa(pid) + "/stat")
	ours, ok2 := tty("/proc/self/stat")
	return ok1 && ok2 && theirs != 0 && theirs == ours
}
