package seccomp

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/internal/action"
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
		return "killed by SIGSYS; the syscall is unknown: " + e.Unknown
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

// kmsg reads the kernel log from the moment it was opened on.
type kmsg struct {
	fd  int
	err error // why it cannot be read
}

// openKmsg opens /dev/kmsg positioned at its end: only records written
// after this moment are read.
func openKmsg() *kmsg {
	fd, err := unix.Open("/dev/kmsg", unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return &kmsg{fd: -1, err: fmt.Errorf("cannot read the kernel log /dev/kmsg: %w (reading it needs CAP_SYSLOG when kernel.dmesg_restrict is 1)", err)}
	}
	if _, err := unix.Seek(fd, 0, unix.SEEK_END); err != nil {
		unix.Close(fd)
		return &kmsg{fd: -1, err: fmt.Errorf("seeking /dev/kmsg: %w", err)}
	}
	return &kmsg{fd: fd}
}

func (k *kmsg) close() {
	if k.fd >= 0 {
		unix.Close(k.fd)
		k.fd = -1
	}
}

// auditWait is how long the kernel log is watched for a record after the
// process died: kauditd prints audit records asynchronously.
const auditWait = 1500 * time.Millisecond

// find returns the last record for pid of an action that sends SIGSYS
// (KILL_PROCESS, KILL_THREAD, TRAP), waiting up to auditWait for one to
// appear; the error says why there is none.
func (k *kmsg) find(pid int) (*Violation, error) {
	if k.err != nil {
		return nil, k.err
	}
	var found *Violation
	deadline := time.Now().Add(auditWait)
	buf := make([]byte, 8192)
	for {
		n, err := unix.Read(k.fd, buf)
		switch {
		case err == unix.EAGAIN:
			if found != nil || time.Now().After(deadline) {
				if found == nil {
					return nil, fmt.Errorf("no seccomp audit record for pid %d appeared in /dev/kmsg within %v (auditd may be consuming the records, audit may be off, or the signal came from kill(2)); a SECCOMP_RET_TRAP is recorded only with the filter flag log", pid, auditWait)
				}
				return found, nil
			}
			time.Sleep(20 * time.Millisecond)
			continue
		case err == unix.EPIPE:
			continue // records were overwritten; read on
		case err == unix.EINTR:
			continue
		case err != nil:
			return nil, fmt.Errorf("reading /dev/kmsg: %w", err)
		}
		v, ok := parseAudit(string(buf[:n]))
		if !ok || v.Pid != pid {
			continue
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
}
