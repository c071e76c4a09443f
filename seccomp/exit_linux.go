package seccomp

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/vm"
)

// Exit is how a launched command ended.
type Exit struct {
	State  *os.ProcessState
	Code   int            // the exit status; -1 when a signal killed it
	Signal syscall.Signal // the signal that killed it; 0 when it exited
	// Violation is the kernel's audit record of the seccomp action that
	// sent SIGSYS, when Signal is SIGSYS and the record was found.
	Violation *Violation
	// Unknown says why the syscall is unknown when Signal is SIGSYS and
	// there is no Violation.
	Unknown string
	// Candidates, when Signal is SIGSYS and there is no Violation, are
	// the host arch's calls the filter answers with SIGSYS (KILL_*, TRAP)
	// when their arguments are zero: a guess at the call, with its
	// limits.
	Candidates []string
	// BeforeExec is set when the filter killed the launcher's child
	// before it executed the command (the audit record names this
	// binary): the filter denies something the Go runtime or execve
	// needs.
	BeforeExec bool
}

// Status is the exit status a shell would report: Code, or 128 plus the
// signal number.
func (e *Exit) Status() int {
	if e.Signal != 0 {
		return 128 + int(e.Signal)
	}
	return e.Code
}

// String says how the command ended, e.g. "exit status 3", "killed by
// signal SIGTERM", "killed by seccomp: SIGSYS on syscall mkdir (83) arch
// x86_64".
func (e *Exit) String() string {
	switch {
	case e.Signal == unix.SIGSYS && e.Violation != nil:
		s := "killed by seccomp: SIGSYS on " + e.Violation.String()
		if e.BeforeExec {
			s += ", before the command was executed (the filter must allow what the Go runtime and execve need between the install and the exec)"
		}
		return s
	case e.Signal == unix.SIGSYS:
		s := "killed by SIGSYS; the syscall is unknown: " + e.Unknown
		switch n := len(e.Candidates); {
		case n == 1:
			s += "; probably " + e.Candidates[0] + ", the only call this filter sends SIGSYS for (with zero arguments)"
		case n > 10:
			s += "; this filter sends SIGSYS (with zero arguments) for " + strings.Join(e.Candidates[:10], ", ") + fmt.Sprintf(" and %d more", n-10)
		case n > 0:
			s += "; this filter sends SIGSYS (with zero arguments) for " + strings.Join(e.Candidates, ", ")
		}
		return s
	case e.Signal != 0:
		return "killed by signal " + unix.SignalName(e.Signal)
	}
	return fmt.Sprintf("exit status %d", e.Code)
}

// Violation is one seccomp audit record (type 1326, AUDIT_SECCOMP): the
// call a filter answered with an action the kernel logs (KILL_PROCESS,
// KILL_THREAD and LOG always; the others with FlagLog).
type Violation struct {
	Pid       int
	AuditArch uint32     // as in seccomp_data.arch
	Arch      *arch.Arch // nil for an arch package arch does not know
	Nr        uint32     // as in seccomp_data.nr
	Name      string     // the syscall's name, "" if the table lacks it
	Action    uint32     // the filter's action, without its data (the record's code)
	Signal    int        // the signal the kernel sent (31, SIGSYS, for kills and traps)
	Comm, Exe string     // the task's command name and executable
}

// String reads "syscall mkdir (83) arch x86_64".
func (v *Violation) String() string {
	an := fmt.Sprintf("0x%08x", v.AuditArch)
	if v.Arch != nil {
		an = v.Arch.Name
	}
	name := v.Name
	if name == "" {
		name = "?"
	}
	return fmt.Sprintf("syscall %s (%d) arch %s", name, v.Nr, an)
}

// parseAudit reads a seccomp audit record from a kernel log line, e.g.
// `audit: type=1326 audit(...): auid=... pid=42 comm="mkdir" exe="/bin/mkdir"
// sig=31 arch=c000003e syscall=83 compat=0 ip=0x... code=0x80000000`.
func parseAudit(line string) (*Violation, bool) {
	i := strings.Index(line, "type=1326 ")
	if i < 0 {
		return nil, false
	}
	fields := map[string]string{}
	for _, f := range strings.Fields(line[i:]) {
		if k, v, ok := strings.Cut(f, "="); ok {
			fields[k] = strings.Trim(v, `"`)
		}
	}
	pid, err1 := strconv.Atoi(fields["pid"])
	au, err2 := strconv.ParseUint(fields["arch"], 16, 32)
	nr, err3 := strconv.ParseInt(fields["syscall"], 10, 64)
	code, err4 := strconv.ParseUint(strings.TrimPrefix(fields["code"], "0x"), 16, 32)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return nil, false
	}
	sig, _ := strconv.Atoi(fields["sig"])
	v := &Violation{Pid: pid, AuditArch: uint32(au), Nr: uint32(nr), Action: uint32(code), Signal: sig, Comm: fields["comm"], Exe: fields["exe"]}
	v.Arch, v.Name = syscallName(v.AuditArch, v.Nr)
	return v, true
}

// syscallName names nr of the arch with the AUDIT_ARCH value audit (x32's
// table for an x86_64 number with the x32 bit).
func syscallName(audit, nr uint32) (*arch.Arch, string) {
	a := arch.ByAudit(audit)
	if a == nil {
		return nil, ""
	}
	if nr&arch.X32SyscallBit != 0 {
		for _, x := range arch.All() {
			if x.Audit == audit && x.Name != a.Name {
				if n, ok := x.SyscallName(nr); ok {
					return x, n
				}
			}
		}
	}
	n, _ := a.SyscallName(nr)
	return a, n
}

// auditLog watches the kernel's audit records from the moment it was
// opened on, from two sources: the audit netlink socket's multicast group
// (every record, needs CAP_AUDIT_READ) and the kernel log /dev/kmsg
// (where kauditd prints records when no auditd takes them, rate-limited
// to 10 every 5 seconds: under a flood records go missing).
type auditLog struct {
	nl, km       int // fds, -1 when closed or unavailable
	nlErr, kmErr error
}

// openAudit opens both sources; records written from now on are read.
func openAudit() *auditLog {
	l := &auditLog{nl: -1, km: -1}
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.NETLINK_AUDIT)
	if err == nil {
		// AUDIT_NLGRP_READLOG, group 1: a read-only copy of every record.
		err = unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: 1})
		if err == nil {
			unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 1<<20)
			l.nl = fd
		} else {
			unix.Close(fd)
		}
	}
	if err != nil {
		l.nlErr = fmt.Errorf("the audit netlink multicast group: %w (it needs CAP_AUDIT_READ)", err)
	}
	fd, err = unix.Open("/dev/kmsg", unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err == nil {
		if _, err = unix.Seek(fd, 0, unix.SEEK_END); err == nil {
			l.km = fd
		} else {
			unix.Close(fd)
		}
	}
	if err != nil {
		l.kmErr = fmt.Errorf("the kernel log /dev/kmsg: %w (it needs CAP_SYSLOG when kernel.dmesg_restrict is 1)", err)
	}
	return l
}

func (l *auditLog) close() {
	for _, fd := range []*int{&l.nl, &l.km} {
		if *fd >= 0 {
			unix.Close(*fd)
			*fd = -1
		}
	}
}

// auditWait is how long the audit sources are watched for a record after
// the process died: kauditd sends records asynchronously.
const auditWait = 1500 * time.Millisecond

// find returns the last record for pid of an action that sends SIGSYS
// (KILL_PROCESS, KILL_THREAD, TRAP, or one the kernel does not know),
// waiting up to auditWait for one; the error says why there is none.
func (l *auditLog) find(pid int) (*Violation, error) {
	if l.nl < 0 && l.km < 0 {
		return nil, fmt.Errorf("no audit record can be read: %v; %v", l.nlErr, l.kmErr)
	}
	var found *Violation
	consider := func(line string) {
		v, ok := parseAudit(line)
		if !ok || v.Pid != pid {
			return
		}
		switch v.Action & action.ActionFull {
		case action.KillProcess, action.KillThread, action.Trap:
			found = v
		default:
			if !action.Known(v.Action) {
				found = v // the kernel kills for an unknown action
			}
		}
	}
	deadline := time.Now().Add(auditWait)
	buf := make([]byte, 1<<16)
	for {
		idle := true
		if l.nl >= 0 {
			n, _, err := unix.Recvfrom(l.nl, buf, 0)
			if err == nil && n > 0 {
				idle = false
				msgs, _ := syscall.ParseNetlinkMessage(buf[:n])
				for _, m := range msgs {
					if m.Header.Type == auditSeccomp {
						consider("type=1326 " + strings.TrimRight(string(m.Data), "\x00"))
					}
				}
			} else if err == unix.ENOBUFS {
				idle = false // records were dropped; read on
			}
		}
		if l.km >= 0 {
			n, err := unix.Read(l.km, buf)
			switch {
			case err == nil && n > 0:
				idle = false
				consider(string(buf[:n]))
			case err == unix.EPIPE: // overwritten records; read on
				idle = false
			}
		}
		if !idle {
			continue
		}
		if found != nil {
			return found, nil
		}
		if time.Now().After(deadline) {
			why := []string{}
			if l.nl < 0 {
				why = append(why, "not readable: "+l.nlErr.Error())
			}
			if l.km < 0 {
				why = append(why, "not readable: "+l.kmErr.Error())
			}
			msg := fmt.Sprintf("no seccomp audit record for pid %d within %v (audit may be off, the kernel log rate-limited, or the signal came from kill(2); a SECCOMP_RET_TRAP is recorded only with the filter flag log)", pid, auditWait)
			if len(why) > 0 {
				msg += "; " + strings.Join(why, "; ")
			}
			return nil, errors.New(msg)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sigsysCandidates lists the host arch's syscalls ("syscall NAME (NR) arch
// ARCH") for which prog returns an action that sends SIGSYS, with zero
// arguments, run in the VM.
func sigsysCandidates(prog []bpf.RawInstruction) []string {
	a := arch.Host()
	m, err := vm.New(prog, vm.Seccomp)
	if a == nil || err != nil {
		return nil
	}
	var out []string
	for _, sc := range a.Syscalls() {
		ret := m.RunSeccomp(vm.SeccompData{Nr: int32(sc.Number), Arch: a.Audit}).Ret
		switch ret & action.ActionFull {
		case action.KillProcess, action.KillThread, action.Trap:
		default:
			if action.Known(ret) {
				continue
			}
		}
		out = append(out, (&Violation{AuditArch: a.Audit, Arch: a, Nr: sc.Number, Name: sc.Name}).String())
	}
	return out
}

// auditSeccomp is AUDIT_SECCOMP, the record type of seccomp actions.
const auditSeccomp = 1326
