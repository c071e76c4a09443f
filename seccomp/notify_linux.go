package seccomp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"github.com/cbpfkit/cbpf/arch"
	"golang.org/x/sys/unix"
)

// Errors of the listener. Test with errors.Is.
var (
	// ErrListenerClosed: Close was called (a blocked Receive returns it).
	ErrListenerClosed = errors.New("seccomp: listener closed")
	// ErrNotifGone: the notification is no longer valid (ENOENT from the
	// kernel): the target died, or a signal interrupted its call (which
	// the kernel may restart as a new notification). A normal condition
	// for a supervisor, not a failure.
	ErrNotifGone = errors.New("seccomp: notification no longer valid (target died or its call was interrupted)")
	// ErrAnswered: the notification has been answered already
	// (EINPROGRESS; the kernel forgets it soon after, and then answers
	// ErrNotifGone).
	ErrAnswered = errors.New("seccomp: notification already answered")
	// ErrNoTargets: no task uses the filter any more (every target has
	// exited and been reaped); the listener will never deliver again.
	ErrNoTargets = errors.New("seccomp: no task uses the filter any more")
)

// The layout of the leading fields the kernel has had since Linux 5.0
// (include/uapi/linux/seccomp.h). The buffers themselves have the sizes
// the kernel reports (SECCOMP_GET_NOTIF_SIZES), which may be larger.
const (
	notifMinSize  = 80 // struct seccomp_notif: id, pid, flags, seccomp_data (64)
	respMinSize   = 24 // struct seccomp_notif_resp: id, val, error, flags
	addfdSize     = 24 // struct seccomp_notif_addfd: id, flags, srcfd, newfd, newfd_flags
	idValidOldCmd = 0x80082102
)

// listenerSizes asks the kernel for the sizes of its notification
// structures and checks they hold the fields this package decodes.
func listenerSizes() (Sizes, error) {
	s, err := NotifSizes()
	if err != nil {
		return s, err
	}
	if s.Notif < notifMinSize || s.NotifResp < respMinSize {
		return s, fmt.Errorf("seccomp: kernel reports notification sizes %d/%d, smaller than Linux 5.0's %d/%d", s.Notif, s.NotifResp, notifMinSize, respMinSize)
	}
	return s, nil
}

// Notif is one notification: a target thread blocked in a system call
// the filter answered with SECCOMP_RET_USER_NOTIF.
type Notif struct {
	ID    uint64 // cookie for Respond, AddFD, IDValid
	PID   int    // thread ID of the target, in the listener's pid namespace
	Flags uint32 // always 0 so far

	// The call's struct seccomp_data, as the filter saw it.
	Nr                 int32
	Arch               uint32 // AUDIT_ARCH_*
	InstructionPointer uint64
	Args               [6]uint64
}

// SyscallArch returns the ABI of the call: arch.ByAudit of Arch, or x32
// when the arch is x86_64 and Nr has arch.X32SyscallBit. Nil for an arch
// the package arch does not know.
func (n *Notif) SyscallArch() *arch.Arch {
	a := arch.ByAudit(n.Arch)
	if a != nil && a.Name == "x86_64" && uint32(n.Nr)&arch.X32SyscallBit != 0 {
		x32, err := arch.Lookup("x32")
		if err != nil {
			return nil
		}
		return x32
	}
	return a
}

// SyscallName names the call from the table of its own arch (an i386
// call under an amd64 kernel is named from the x86 table). ok is false
// for an unknown arch or number.
func (n *Notif) SyscallName() (name string, ok bool) {
	a := n.SyscallArch()
	if a == nil {
		return "", false
	}
	return a.SyscallName(uint32(n.Nr))
}

// Pointer returns argument i as an address in the target: truncated to
// 32 bits for the 32-bit ABIs, whose calls read only the low word (the
// high word can be set by an INT $0x80 caller; see arch.Arch.ArgBits).
func (n *Notif) Pointer(i int) uint64 {
	if i < 0 || i >= len(n.Args) {
		return 0
	}
	v := n.Args[i]
	if a := n.SyscallArch(); a == nil || a.ArgBits == 32 {
		v = uint64(uint32(v))
	}
	return v
}

// Listener receives and answers user notifications (SECCOMP_RET_USER_NOTIF)
// on a listener fd, the file Install returns with FlagNewListener; see
// man 2 seccomp_unotify. Its methods are safe for concurrent use;
// Receive calls are served one at a time. Supervise serves a Listener
// with a Handler; PathHandler decides on open calls.
//
// The API follows what the kernel's documentation demands
// (seccomp_unotify(2), NOTES):
//
//	every read from the target's memory must be separated from use of
//	the bytes so obtained by a SECCOMP_IOCTL_NOTIF_ID_VALID check.
//
// so ReadMem and ReadString check ID_VALID before they return anything;
// and, about SECCOMP_USER_NOTIF_FLAG_CONTINUE:
//
//	Note well: this mechanism must not be used to make security policy
//	decisions about the system call, which would be inherently
//	race-prone [...] there is a time-of-check, time-of-use race here,
//	since an attacker could exploit the interval of time where the
//	target is blocked waiting on the "continue" response to do things
//	such as rewriting the system call arguments.
//
// so a decision about a pointer argument (a path) is carried out by the
// supervisor itself: it opens the file and injects the descriptor with
// ReturnFD (SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND, which
// the page recommends so that "no file descriptors are inadvertently
// leaked into the target"), never by ContinueSyscall. Filters installed
// with FlagWaitKillableRecv (5.19) keep Go's preemption signals from
// interrupting a target's call once the supervisor has received it.
type Listener struct {
	fd     int // the listener; closed by Close once no call uses it
	wakeFD int // eventfd: wakes a Receive blocked in poll
	sizes  Sizes

	mu     sync.RWMutex // read-held by every call that uses fd; Close takes it to close
	closed atomic.Bool
	done   chan struct{} // closed by Close
	recv   chan struct{} // one token: the right to poll and receive
	once   sync.Once
	bufs   sync.Pool // response buffers of sizes.NotifResp bytes
	nbuf   []byte    // notification buffer, owned by the Receive holding recv
	gc     runtime.Cleanup
}

// NewListener takes ownership of f, a seccomp listener fd, and returns
// the Listener serving it. f is closed (the Listener keeps its own
// descriptor); the caller must not use it again. Sizes of the kernel's
// structures come from SECCOMP_GET_NOTIF_SIZES.
func NewListener(f *os.File) (*Listener, error) {
	if f == nil {
		return nil, errors.New("seccomp: NewListener: nil file")
	}
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("seccomp: NewListener: %w", err)
	}
	fd := -1
	var dupErr error
	if err := rc.Control(func(raw uintptr) {
		fd, dupErr = unix.FcntlInt(raw, unix.F_DUPFD_CLOEXEC, 0)
	}); err != nil {
		return nil, fmt.Errorf("seccomp: NewListener: %w", err)
	}
	if dupErr != nil {
		return nil, fmt.Errorf("seccomp: NewListener: dup: %w", dupErr)
	}
	l, err := newListenerFD(fd)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	return l, nil
}

func newListenerFD(fd int) (*Listener, error) {
	link, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
	if err != nil {
		return nil, fmt.Errorf("seccomp: NewListener: %w", err)
	}
	if link != "anon_inode:seccomp notify" {
		return nil, fmt.Errorf("seccomp: NewListener: the file is %q, not a seccomp listener (anon_inode:seccomp notify)", link)
	}
	sizes, err := listenerSizes()
	if err != nil {
		return nil, err
	}
	wake, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("seccomp: NewListener: eventfd: %w", err)
	}
	l := &Listener{
		fd:     fd,
		wakeFD: wake,
		sizes:  sizes,
		done:   make(chan struct{}),
		recv:   make(chan struct{}, 1),
		nbuf:   make([]byte, sizes.Notif),
	}
	l.recv <- struct{}{}
	// A Listener dropped without Close still releases the filter's
	// listener, so that its targets get ENOSYS instead of waiting.
	l.gc = runtime.AddCleanup(l, func(fds [2]int) {
		unix.Close(fds[0])
		unix.Close(fds[1])
	}, [2]int{fd, wake})
	l.bufs.New = func() any { b := make([]byte, sizes.NotifResp); return &b }
	return l, nil
}

// Close shuts the listener down: a blocked Receive returns
// ErrListenerClosed, later calls fail with it, and the fd is closed as
// soon as no call uses it. The kernel then fails every call still
// waiting for an answer, and every later notifying call, with ENOSYS.
func (l *Listener) Close() error {
	first := false
	l.once.Do(func() {
		first = true
		l.closed.Store(true)
		close(l.done)
		l.wake()
	})
	if !first {
		return ErrListenerClosed
	}
	l.mu.Lock() // waits for the call in poll, which the wake-up ends
	defer l.mu.Unlock()
	l.gc.Stop()
	err := unix.Close(l.fd)
	unix.Close(l.wakeFD)
	l.fd, l.wakeFD = -1, -1
	if err != nil {
		return fmt.Errorf("seccomp: closing listener: %w", err)
	}
	return nil
}

func (l *Listener) wake() {
	var one [8]byte
	binary.NativeEndian.PutUint64(one[:], 1)
	unix.Write(l.wakeFD, one[:]) // EAGAIN only if already signalled: fine
}

// use read-locks the listener for one call on its fd.
func (l *Listener) use() (fd int, release func(), err error) {
	l.mu.RLock()
	if l.closed.Load() {
		l.mu.RUnlock()
		return -1, nil, ErrListenerClosed
	}
	return l.fd, l.mu.RUnlock, nil
}

// Receive waits for the next notification. It returns ctx's error when
// ctx ends, ErrListenerClosed when the listener is closed, ErrNoTargets
// once no task uses the filter. Notifications whose target vanished
// before they could be read are skipped.
func (l *Listener) Receive(ctx context.Context) (*Notif, error) {
	select {
	case <-l.recv:
	case <-l.done:
		return nil, ErrListenerClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { l.recv <- struct{}{} }()
	stop := context.AfterFunc(ctx, l.wakeIfOpen)
	defer stop()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := l.receiveOnce()
		if err == errAgain {
			continue
		}
		return n, err
	}
}

// wakeIfOpen wakes the poll unless Close got there first (then the fd may
// be gone; Close has woken it anyway).
func (l *Listener) wakeIfOpen() {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if !l.closed.Load() {
		l.wake()
	}
}

var errAgain = errors.New("again")

// receiveOnce polls the listener and the wake-up fd, then receives. After
// poll reports the listener readable, SECCOMP_IOCTL_NOTIF_RECV does not
// block: a notification whose target was interrupted meanwhile makes it
// fail with ENOENT instead (kernel/seccomp.c, seccomp_notify_recv). Only
// the holder of l.recv gets here, so nobody else takes that notification.
func (l *Listener) receiveOnce() (*Notif, error) {
	fd, release, err := l.use()
	if err != nil {
		return nil, err
	}
	defer release()
	pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}, {Fd: int32(l.wakeFD), Events: unix.POLLIN}}
	if _, err := unix.Poll(pfd, -1); err != nil {
		if err == unix.EINTR {
			return nil, errAgain
		}
		return nil, fmt.Errorf("seccomp: poll on listener: %w", err)
	}
	if pfd[1].Revents != 0 {
		var b [8]byte
		unix.Read(l.wakeFD, b[:]) // drain; Close never drains (closed is checked first)
		if l.closed.Load() {
			return nil, ErrListenerClosed
		}
		return nil, errAgain // the caller checks ctx
	}
	switch re := pfd[0].Revents; {
	case re&unix.POLLIN != 0:
	case re&unix.POLLHUP != 0:
		return nil, ErrNoTargets
	case re&(unix.POLLERR|unix.POLLNVAL) != 0:
		return nil, fmt.Errorf("seccomp: listener poll events %#x", re)
	default:
		return nil, errAgain
	}
	buf := l.nbuf
	clear(buf) // the kernel rejects a non-zeroed buffer with EINVAL (5.5+)
	if err := ioctlPtr(fd, unix.SECCOMP_IOCTL_NOTIF_RECV, unsafe.Pointer(&buf[0])); err != nil {
		if err == unix.ENOENT || err == unix.EINTR {
			return nil, errAgain
		}
		return nil, fmt.Errorf("seccomp: SECCOMP_IOCTL_NOTIF_RECV: %w", err)
	}
	ne := binary.NativeEndian
	n := &Notif{
		ID:                 ne.Uint64(buf[0:]),
		PID:                int(ne.Uint32(buf[8:])),
		Flags:              ne.Uint32(buf[12:]),
		Nr:                 int32(ne.Uint32(buf[16:])),
		Arch:               ne.Uint32(buf[20:]),
		InstructionPointer: ne.Uint64(buf[24:]),
	}
	for i := range n.Args {
		n.Args[i] = ne.Uint64(buf[32+8*i:])
	}
	return n, nil
}

func ioctlPtr(fd int, req uint, p unsafe.Pointer) error {
	for {
		_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(p))
		if e == unix.EINTR && req != unix.SECCOMP_IOCTL_NOTIF_RECV {
			continue
		}
		if e != 0 {
			return e
		}
		return nil
	}
}

// IDValid reports whether notification id is still pending: its target
// is alive and still blocked in the call (SECCOMP_IOCTL_NOTIF_ID_VALID).
// Use it between reading anything about the target (its memory, files
// under /proc/PID) and trusting what was read.
func (l *Listener) IDValid(id uint64) (bool, error) {
	fd, release, err := l.use()
	if err != nil {
		return false, err
	}
	defer release()
	err = ioctlPtr(fd, unix.SECCOMP_IOCTL_NOTIF_ID_VALID, unsafe.Pointer(&id))
	if err == unix.EINVAL || err == unix.ENOTTY {
		// Linux 5.0 to 5.6 know only the number with the wrong direction.
		err = ioctlPtr(fd, idValidOldCmd, unsafe.Pointer(&id))
	}
	switch err {
	case nil:
		return true, nil
	case unix.ENOENT:
		return false, nil
	}
	return false, fmt.Errorf("seccomp: SECCOMP_IOCTL_NOTIF_ID_VALID: %w", err)
}

// Response is the answer to a notification: build it with ReturnValue,
// ReturnErrno, ReturnFD or ContinueSyscall.
type Response struct {
	kind    respKind
	val     int64
	errno   syscall.Errno
	file    *os.File
	cloexec bool
}

type respKind uint8

const (
	respNone respKind = iota
	respValue
	respErrno
	respFD
	respContinue
)

// ReturnValue makes the call return v (a spoofed success).
func ReturnValue(v int64) Response { return Response{kind: respValue, val: v} }

// ReturnErrno makes the call fail with errno e (e must not be 0).
func ReturnErrno(e syscall.Errno) Response { return Response{kind: respErrno, errno: e} }

// ReturnFD installs f in the target and makes the call return its number,
// atomically (SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND,
// Linux 5.14): no descriptor leaks into a target whose call was
// interrupted. cloexec sets O_CLOEXEC on the target's descriptor.
// Respond closes f in every case.
func ReturnFD(f *os.File, cloexec bool) Response {
	return Response{kind: respFD, file: f, cloexec: cloexec}
}

// ContinueSyscall lets the kernel run the call as the target made it
// (SECCOMP_USER_NOTIF_FLAG_CONTINUE, Linux 5.5).
//
// It is NOT safe for a security decision. seccomp_unotify(2) says: "there
// is a time-of-check, time-of-use race here, since an attacker could
// exploit the interval of time where the target is blocked waiting on
// the "continue" response to do things such as rewriting the system call
// arguments", and "in order to continue a system call, the supervisor
// should be sure that another security mechanism or the kernel itself
// will sufficiently block the system call if its arguments are rewritten
// to something unsafe." Whatever was checked in the target's memory may
// have changed by the time the kernel reads it. Decide on pointer
// arguments by doing the work yourself (see PathHandler and ReturnFD).
func ContinueSyscall() Response { return Response{kind: respContinue} }

// String describes the response, for logs and tests.
func (r Response) String() string {
	switch r.kind {
	case respValue:
		return fmt.Sprintf("return %d", r.val)
	case respErrno:
		if name := unix.ErrnoName(r.errno); name != "" {
			return "errno " + name
		}
		return "errno " + strconv.Itoa(int(r.errno))
	case respFD:
		return "return an injected fd"
	case respContinue:
		return "continue (unsafe)"
	}
	return "no response"
}

// Respond answers notification id. It returns ErrNotifGone when the
// kernel no longer waits for that answer (target died or interrupted).
// A Response made by ReturnFD has its file closed, whatever happens.
func (l *Listener) Respond(id uint64, r Response) error {
	switch r.kind {
	case respFD:
		if r.file == nil {
			return errors.New("seccomp: ReturnFD with a nil file")
		}
		defer r.file.Close()
		var nf uint32
		if r.cloexec {
			nf = unix.O_CLOEXEC
		}
		var ferr error
		rc, err := r.file.SyscallConn()
		if err != nil {
			return fmt.Errorf("seccomp: ReturnFD: %w", err)
		}
		if err := rc.Control(func(fd uintptr) {
			_, ferr = l.addFD(id, uint32(fd), unix.SECCOMP_ADDFD_FLAG_SEND, 0, nf)
		}); err != nil {
			return fmt.Errorf("seccomp: ReturnFD: %w", err)
		}
		return ferr
	case respValue, respErrno, respContinue:
	default:
		return errors.New("seccomp: Respond with an empty Response")
	}
	if r.kind == respErrno && (r.errno <= 0 || r.errno > 4095) {
		return fmt.Errorf("seccomp: ReturnErrno(%d): errno must be 1..4095", int(r.errno))
	}
	fd, release, err := l.use()
	if err != nil {
		return err
	}
	defer release()
	bp := l.bufs.Get().(*[]byte)
	defer l.bufs.Put(bp)
	b := *bp
	clear(b)
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], id)
	switch r.kind {
	case respValue:
		ne.PutUint64(b[8:], uint64(r.val))
	case respErrno:
		ne.PutUint32(b[16:], uint32(-int32(r.errno)))
	case respContinue:
		ne.PutUint32(b[20:], unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE)
	}
	switch err := ioctlPtr(fd, unix.SECCOMP_IOCTL_NOTIF_SEND, unsafe.Pointer(&b[0])); err {
	case nil:
		return nil
	case unix.ENOENT:
		return ErrNotifGone
	case unix.EINPROGRESS:
		return ErrAnswered
	default:
		return fmt.Errorf("seccomp: SECCOMP_IOCTL_NOTIF_SEND (%v): %w", r, err)
	}
}

// AddFDOptions are the flags of SECCOMP_IOCTL_NOTIF_ADDFD (Linux 5.9).
type AddFDOptions struct {
	// Send also answers the call with the new descriptor's number,
	// atomically (SECCOMP_ADDFD_FLAG_SEND, Linux 5.14). Without it the
	// caller must Respond; if the target is interrupted in between, the
	// descriptor stays in its table unasked for.
	Send bool
	// SetFD installs the descriptor as number TargetFD, closing whatever
	// the target had there (SECCOMP_ADDFD_FLAG_SETFD).
	SetFD    bool
	TargetFD int
	// CloseOnExec sets O_CLOEXEC on the target's descriptor.
	CloseOnExec bool
}

// AddFD installs a duplicate of the supervisor's descriptor fd in the
// target of notification id and returns its number there. ErrNotifGone
// means the target died or was interrupted.
func (l *Listener) AddFD(id uint64, fd int, opts AddFDOptions) (int, error) {
	if fd < 0 {
		return -1, fmt.Errorf("seccomp: AddFD: bad descriptor %d", fd)
	}
	var flags, newfd, nf uint32
	if opts.Send {
		flags |= unix.SECCOMP_ADDFD_FLAG_SEND
	}
	if opts.SetFD {
		if opts.TargetFD < 0 {
			return -1, fmt.Errorf("seccomp: AddFD: bad target descriptor %d", opts.TargetFD)
		}
		flags |= unix.SECCOMP_ADDFD_FLAG_SETFD
		newfd = uint32(opts.TargetFD)
	}
	if opts.CloseOnExec {
		nf = unix.O_CLOEXEC
	}
	return l.addFD(id, uint32(fd), flags, newfd, nf)
}

func (l *Listener) addFD(id uint64, src, flags, newfd, newfdFlags uint32) (int, error) {
	lfd, release, err := l.use()
	if err != nil {
		return -1, err
	}
	defer release()
	if flags&unix.SECCOMP_ADDFD_FLAG_SEND != 0 {
		// Linux (6.18 and before) mishandles a signal that interrupts
		// ADDFD with SEND while the target has not yet taken the
		// descriptor: the supervisor's call withdraws the descriptor but
		// leaves the notification marked as answered, so the target's
		// call returns 0 (seccomp_notify_addfd: "list_del(&kaddfd.list)"
		// without resetting knotif->state). Go sends its threads signals
		// at any time, and the restarted ioctl then fails with ENOENT or
		// EINPROGRESS; the concurrent test saw opens return 0 (the
		// target's stdin) about once in 50 runs. With every signal
		// blocked on this thread the wait cannot be interrupted; the
		// target's side still ends it if the target is interrupted.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		var all, old unix.Sigset_t
		for i := range all.Val {
			all.Val[i] = ^all.Val[i]
		}
		if err := unix.PthreadSigmask(unix.SIG_SETMASK, &all, &old); err != nil {
			return -1, fmt.Errorf("seccomp: blocking signals for ADDFD: %w", err)
		}
		defer unix.PthreadSigmask(unix.SIG_SETMASK, &old, nil)
	}
	var b [addfdSize]byte
	ne := binary.NativeEndian
	ne.PutUint64(b[0:], id)
	ne.PutUint32(b[8:], flags)
	ne.PutUint32(b[12:], src)
	ne.PutUint32(b[16:], newfd)
	ne.PutUint32(b[20:], newfdFlags)
	for {
		r, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(lfd), uintptr(unix.SECCOMP_IOCTL_NOTIF_ADDFD), uintptr(unsafe.Pointer(&b[0])))
		switch e {
		case 0:
			return int(r), nil
		case unix.EINTR:
			continue
		case unix.ENOENT, unix.ESRCH:
			// ESRCH: the target was interrupted before it took the
			// descriptor (seccomp_do_user_notification drops it).
			return -1, ErrNotifGone
		case unix.EINPROGRESS:
			return -1, ErrAnswered // or not received yet
		case unix.EINVAL:
			if flags&unix.SECCOMP_ADDFD_FLAG_SEND != 0 {
				return -1, fmt.Errorf("seccomp: SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND (Linux 5.14; ADDFD itself 5.9): %w", e)
			}
		}
		return -1, fmt.Errorf("seccomp: SECCOMP_IOCTL_NOTIF_ADDFD: %w", e)
	}
}

// ReadMem reads len(b) bytes at addr of n's target, then checks that n is
// still valid: ErrNotifGone means the bytes may belong to another process
// or to memory the target has reused, and must not be trusted. A short
// read (unmapped memory) is an EFAULT error, as the call would have got.
func (l *Listener) ReadMem(n *Notif, addr uint64, b []byte) error {
	if len(b) == 0 {
		return l.checkValid(n)
	}
	got, err := readTarget(n.PID, addr, b)
	if vErr := l.checkValid(n); vErr != nil {
		return vErr
	}
	if err != nil {
		return err
	}
	if got < len(b) {
		return fmt.Errorf("seccomp: reading %d bytes at %#x of pid %d: %w", len(b), addr, n.PID, unix.EFAULT)
	}
	return nil
}

func (l *Listener) checkValid(n *Notif) error {
	ok, err := l.IDValid(n.ID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotifGone
	}
	return nil
}

// ReadString reads the NUL-terminated string that argument arg of n
// points to, at most max bytes without the NUL, then checks that n is
// still valid (ErrNotifGone if not: do not use what was read). A string
// longer than max fails with ENAMETOOLONG, an unreadable address with
// EFAULT (what the kernel would answer for a path).
func (l *Listener) ReadString(n *Notif, arg int, max int) (string, error) {
	if arg < 0 || arg >= len(n.Args) {
		return "", fmt.Errorf("seccomp: ReadString: no argument %d", arg)
	}
	if max < 0 {
		return "", fmt.Errorf("seccomp: ReadString: negative max %d", max)
	}
	s, err := readTargetString(n.PID, n.Pointer(arg), max)
	if vErr := l.checkValid(n); vErr != nil {
		return "", vErr
	}
	return s, err
}

// readTarget reads the target's memory with process_vm_readv, page by
// page, so that a buffer running into an unmapped page still yields the
// bytes before it.
func readTarget(pid int, addr uint64, b []byte) (int, error) {
	page := uint64(os.Getpagesize())
	done := 0
	for done < len(b) {
		a := addr + uint64(done)
		if a < addr {
			break // wrapped around
		}
		chunk := min(uint64(len(b)-done), page-a%page)
		local := []unix.Iovec{{Base: &b[done]}}
		local[0].SetLen(int(chunk))
		remote := []unix.RemoteIovec{{Base: uintptr(a), Len: int(chunk)}}
		got, err := unix.ProcessVMReadv(pid, local, remote, 0)
		if err != nil {
			if err == unix.EFAULT || err == unix.EIO {
				break
			}
			return done, fmt.Errorf("seccomp: reading memory of pid %d: %w", pid, err)
		}
		done += got
		if uint64(got) < chunk {
			break
		}
	}
	return done, nil
}

func readTargetString(pid int, addr uint64, max int) (string, error) {
	page := uint64(os.Getpagesize())
	var out []byte
	buf := make([]byte, page)
	for len(out) <= max {
		a := addr + uint64(len(out))
		want := min(page-a%page, uint64(max+1-len(out)))
		got, err := readTarget(pid, a, buf[:want])
		if err != nil {
			return "", err
		}
		for i, c := range buf[:got] {
			if c == 0 {
				return string(append(out, buf[:i]...)), nil
			}
		}
		out = append(out, buf[:got]...)
		if uint64(got) < want {
			return "", fmt.Errorf("seccomp: string at %#x of pid %d: %w", addr, pid, unix.EFAULT)
		}
	}
	return "", fmt.Errorf("seccomp: string at %#x of pid %d longer than %d bytes: %w", addr, pid, max, unix.ENAMETOOLONG)
}
