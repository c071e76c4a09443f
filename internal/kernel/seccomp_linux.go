package kernel

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// setFilter calls seccomp(SECCOMP_SET_MODE_FILTER, flags, prog) on the
// calling thread and returns its result and errno.
func setFilter(prog []bpf.RawInstruction, flags uintptr) (uintptr, syscall.Errno) {
	if len(prog) > 0xffff {
		return 0, syscall.EINVAL // the kernel's len field is 16 bits
	}
	fprog := unix.SockFprog{Len: uint16(len(prog))}
	if len(prog) > 0 {
		// bpf.RawInstruction has the layout of struct sock_filter.
		fprog.Filter = (*unix.SockFilter)(unsafe.Pointer(&prog[0]))
	}
	r, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, flags, uintptr(unsafe.Pointer(&fprog)))
	runtime.KeepAlive(prog)
	return r, e
}

// acceptor checks programs against seccomp(2) without ever attaching them.
// Its thread carries one allow-all filter that owns a user-notification
// listener. seccomp(2) validates a new program before it looks for a
// duplicate listener, so with SECCOMP_FILTER_FLAG_NEW_LISTENER a valid
// program fails with EBUSY and nothing is attached, while an invalid one
// fails with the validation error (EINVAL).
type acceptor struct {
	req  chan []bpf.RawInstruction
	resp chan error
}

func newAcceptor() (*acceptor, error) {
	a := &acceptor{req: make(chan []bpf.RawInstruction), resp: make(chan error)}
	ready := make(chan error)
	go func() {
		// Never unlocked: the thread dies with this goroutine, and its
		// filter with it.
		runtime.LockOSThread()
		if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
			ready <- fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", err)
			return
		}
		allow := []bpf.RawInstruction{ins(opRetK, 0, 0, retAllow)}
		fd, e := setFilter(allow, unix.SECCOMP_FILTER_FLAG_NEW_LISTENER)
		if e != 0 {
			ready <- fmt.Errorf("installing the listener filter: %w", e)
			return
		}
		defer unix.Close(int(fd))
		ready <- nil
		for p := range a.req {
			_, e := setFilter(p, unix.SECCOMP_FILTER_FLAG_NEW_LISTENER)
			switch e {
			case unix.EBUSY:
				a.resp <- nil
			case 0:
				a.resp <- errors.New("kernel oracle: a filter was attached on the acceptor thread")
			default:
				a.resp <- &RejectError{Errno: e}
			}
		}
	}()
	if err := <-ready; err != nil {
		return nil, err
	}
	return a, nil
}

func (a *acceptor) check(prog []bpf.RawInstruction) error {
	a.req <- prog
	return <-a.resp
}

func (a *acceptor) close() { close(a.req) }

// rawJob is shared with the bare thread of rawProbe (layout fixed there).
type rawJob struct {
	fprog   *unix.SockFprog
	install int64
	inputs  *[8]uint64
	n       int64
	results *uintptr
	done    int64
	tid     int32
}

// killed marks a probe whose thread the filter killed: the program
// returned 0 (KILL_THREAD) by dividing by X = 0, the only way a rewritten
// program can return it.
const killed = ^uintptr(0) - 0x10000

// killedData stands for killed among ERRNO data values.
const killedData = 0xffffffff

const rawCloneFlags = unix.CLONE_VM | unix.CLONE_FS | unix.CLONE_FILES | unix.CLONE_SIGHAND |
	unix.CLONE_THREAD | unix.CLONE_SYSVSEM | unix.CLONE_PARENT_SETTID | unix.CLONE_CHILD_CLEARTID

// runOnThread installs prog on a bare thread, probes every input from it
// and returns the raw rax values (killed for a probe that killed the
// thread; the rest continue on a new thread). No Go thread ever carries
// the filter.
func runOnThread(prog []bpf.RawInstruction, inputs []Input) ([]uintptr, error) {
	out := make([]uintptr, 0, len(inputs))
	for len(out) < len(inputs) {
		rest := inputs[len(out):]
		rax, done, err := rawRun(prog, rest)
		if err != nil {
			return nil, err
		}
		out = append(out, rax[:done]...)
		if done < len(rest) {
			out = append(out, killed)
		}
	}
	return out, nil
}

func rawRun(prog []bpf.RawInstruction, inputs []Input) (rax []uintptr, done int, err error) {
	flat := make([][8]uint64, len(inputs))
	for i, in := range inputs {
		flat[i][0] = uint64(int64(in.Nr))
		copy(flat[i][1:], in.Args[:])
		if in.I386 {
			flat[i][7] = 1
		}
	}
	rax = make([]uintptr, len(inputs)+1)
	fprog := &unix.SockFprog{Len: uint16(len(prog))}
	if len(prog) > 0 {
		fprog.Filter = (*unix.SockFilter)(unsafe.Pointer(&prog[0]))
	}
	job := &rawJob{fprog: fprog, n: int64(len(inputs)), results: &rax[0]}
	if len(flat) > 0 {
		job.inputs = &flat[0]
	}
	stack := make([]uint64, 2048) // unused by the thread, but a kernel must-have
	top := uintptr(unsafe.Pointer(&stack[len(stack)-2]))

	// The new thread inherits the signal mask: block everything so no
	// signal handler of the Go runtime ever runs on it.
	runtime.LockOSThread()
	var all, old unix.Sigset_t
	for i := range all.Val {
		all.Val[i] = ^all.Val[i] // all ones, whatever the word size
	}
	if err := unix.PthreadSigmask(unix.SIG_SETMASK, &all, &old); err != nil {
		runtime.UnlockOSThread()
		return nil, 0, err
	}
	r := rawProbe(rawCloneFlags, top, uintptr(unsafe.Pointer(&job.tid)), job)
	unix.PthreadSigmask(unix.SIG_SETMASK, &old, nil)
	runtime.UnlockOSThread()
	if r < 0 {
		return nil, 0, fmt.Errorf("kernel oracle: clone: %w", syscall.Errno(-r))
	}
	// CLONE_CHILD_CLEARTID zeroes job.tid and wakes us when the thread ends.
	for waited := 0; ; waited++ {
		tid := atomic.LoadInt32(&job.tid)
		if tid == 0 {
			break
		}
		if waited > 30 {
			return nil, 0, fmt.Errorf("kernel oracle: probe thread %d did not finish in 30 s", tid)
		}
		ts := unix.Timespec{Sec: 1}
		unix.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(&job.tid)), 0 /* FUTEX_WAIT */, uintptr(tid), uintptr(unsafe.Pointer(&ts)), 0, 0)
	}
	runtime.KeepAlive(job)
	runtime.KeepAlive(flat)
	runtime.KeepAlive(stack)
	runtime.KeepAlive(prog)
	if job.install != 0 {
		return nil, 0, fmt.Errorf("kernel oracle: installing the rewritten filter: %w", syscall.Errno(-job.install))
	}
	return rax[:len(inputs)], int(atomic.LoadInt64(&job.done)), nil
}

// errnoData turns a probe's rax into the ERRNO data the filter returned.
func errnoData(rax uintptr) (uint32, error) {
	v := -int64(rax)
	if v < 1 || v > 4095 {
		return 0, fmt.Errorf("kernel oracle: probe returned %#x: the filter did not answer with ERRNO 1..4095", uint64(rax))
	}
	return uint32(v), nil
}

// findProbeIPs learns both probe addresses from the kernel itself.
func findProbeIPs() (probeIPs, error) {
	native, err := findProbeIP(Input{Nr: int32(unix.SYS_GETPID)}, 0)
	if err != nil {
		return probeIPs{}, err
	}
	compat, err := findProbeIP(Input{Nr: nrGetpid386, I386: true}, native)
	if err != nil {
		return probeIPs{}, fmt.Errorf("the i386 compat probe: %w", err)
	}
	if native>>32 != compat>>32 {
		return probeIPs{}, fmt.Errorf("kernel oracle: probe addresses %#x and %#x straddle a 4 GiB boundary", native, compat)
	}
	return probeIPs{native, compat}, nil
}

// nrGetpid386 is getpid on i386.
const nrGetpid386 = 20

// findProbeIP learns the address after the probe instruction that makes
// call (a getpid) from the kernel itself: a filter that answers that
// getpid with ERRNO(1 + ip - probeAddr) for addresses just after
// probeAddr, and ALLOW for the rest. Then it checks the exact address with
// the oracle's own prefix (other, if not 0, is the other probe's address,
// which the prefix also lets through).
func findProbeIP(call Input, other uint64) (uint64, error) {
	if !haveProbe {
		return 0, ErrUnsupported
	}
	base := uint64(probeAddr())
	if uint32(base) > 0xffffffff-4096 {
		return 0, errors.New("kernel oracle: probe straddles a 4 GiB boundary")
	}
	archVal := AuditArchX86_64
	if call.I386 {
		archVal = AuditArchI386
	}
	find := []bpf.RawInstruction{
		ins(opLdAbs, 0, 0, 4),
		ins(opJeqK, 1, 0, archVal),
		ins(opRetK, 0, 0, retAllow),
		ins(opLdAbs, 0, 0, 0),
		ins(opJeqK, 1, 0, uint32(call.Nr)),
		ins(opRetK, 0, 0, retAllow),
		ins(opLdAbs, 0, 0, 12),
		ins(opJeqK, 1, 0, uint32(base>>32)),
		ins(opRetK, 0, 0, retAllow),
		ins(opLdAbs, 0, 0, 8),
		ins(0x35, 1, 0, uint32(base)), // jge
		ins(opRetK, 0, 0, retAllow),
		ins(0x14, 0, 0, uint32(base)), // sub
		ins(0x35, 0, 1, 4095),
		ins(opRetK, 0, 0, retAllow),
		ins(opAddK, 0, 0, 1),
		ins(opOrK, 0, 0, retErrno),
		ins(opRetA, 0, 0, 0),
	}
	calls := []Input{call}
	rax, err := runOnThread(find, calls)
	if err != nil {
		return 0, err
	}
	d, err := errnoData(rax[0])
	if err != nil {
		return 0, fmt.Errorf("locating the probe: %w", err)
	}
	ip := base + uint64(d) - 1
	ips := probeIPs{ip, other}
	if other == 0 {
		ips.compat = ip
	}
	check, err := rewriteSeccomp([]bpf.RawInstruction{ins(opRetK, 0, 0, 12345)}, ips, 1)
	if err != nil {
		return 0, err
	}
	if rax, err = runOnThread(check, calls); err != nil {
		return 0, err
	}
	if d, err := errnoData(rax[0]); err != nil || d != 1 {
		return 0, fmt.Errorf("kernel oracle: probe address %#x not confirmed (rax %#x)", ip, uint64(rax[0]))
	}
	return ip, nil
}

// runSeccompJob runs one program on its inputs; see rewrite.go for how.
func runSeccompJob(acc *acceptor, ip probeIPs, job SeccompJob) ([]uint32, error) {
	for i, in := range job.Inputs {
		if !in.I386 && Unfiltered(in.Nr) {
			// The syscall would really run, and outside a uprobe it
			// raises SIGILL.
			return nil, fmt.Errorf("kernel oracle: input %d: nr %d bypasses seccomp filters on this kernel", i, in.Nr)
		}
	}
	if err := acc.check(job.Prog); err != nil {
		return nil, err
	}
	consts, _ := SeccompConsts(job.Prog)
	rets := make([]uint32, len(job.Inputs))
	if len(job.Inputs) == 0 {
		return rets, nil
	}
	data, err := runPass(job.Prog, ip, 1, job.Inputs)
	if err != nil {
		return nil, err
	}
	var viaA []int // inputs that ended in `ret a`
	for i, d := range data {
		switch {
		case d == killedData:
			rets[i] = 0 // an implicit return 0: division by X = 0
		case d >= 2048:
			rets[i] = d - 2048
			viaA = append(viaA, i)
		case int(d) <= len(consts):
			rets[i] = consts[d-1]
		default:
			return nil, fmt.Errorf("kernel oracle: pass 1 returned unknown code %d", d)
		}
	}
	if len(viaA) == 0 {
		return rets, nil
	}
	sub := make([]Input, len(viaA))
	for j, i := range viaA {
		sub[j] = job.Inputs[i]
	}
	for _, p := range []struct {
		pass, shift int
		max         uint32
	}{{2, 11, 2048}, {3, 22, 1024}} {
		data, err := runPass(job.Prog, ip, p.pass, sub)
		if err != nil {
			return nil, err
		}
		for j, d := range data {
			if d > p.max {
				return nil, fmt.Errorf("kernel oracle: pass %d returned %d, want 1..%d", p.pass, d, p.max)
			}
			rets[viaA[j]] |= (d - 1) << p.shift
		}
	}
	return rets, nil
}

func runPass(prog []bpf.RawInstruction, ip probeIPs, pass int, inputs []Input) ([]uint32, error) {
	rw, err := rewriteSeccomp(prog, ip, pass)
	if err != nil {
		return nil, err
	}
	rax, err := runOnThread(rw, inputs)
	if err != nil {
		return nil, err
	}
	data := make([]uint32, len(rax))
	for i, r := range rax {
		if r == killed {
			if pass != 1 {
				return nil, fmt.Errorf("input %d: killed in pass %d only", i, pass)
			}
			data[i] = killedData
			continue
		}
		if data[i], err = errnoData(r); err != nil {
			return nil, fmt.Errorf("input %d: %w", i, err)
		}
	}
	return data, nil
}
