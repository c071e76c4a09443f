package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/opcode"
	"github.com/cbpfkit/cbpf/policy"
)

var execCommand = &command{
	name:    "exec",
	args:    "-- CMD [ARGS...]",
	summary: "run a command under a seccomp filter (Linux)",
	about: `Run CMD with a seccomp filter installed just before it is executed:
cbpf starts a copy of itself, which installs the filter (every thread,
with no_new_privs) and executes CMD at once, so nothing of cbpf's own
start-up runs filtered. CMD is looked up on PATH and goes after "--".

The filter is compiled from --policy FILE (the policy language or a
Docker/OCI profile, as "cbpf compile" reads them, without printing its
warnings; the host arch is checked first) or read from --prog FILE (any
format of "cbpf asm -h"). --flag adds a seccomp filter flag: tsync, log,
spec_allow, new_listener, tsync_esrch, wait_killable_recv (repeat it, or
separate names with commas); tsync is always on.

CMD's exit status passes through. A command killed by a signal exits
128+N and cbpf says which signal; a kill by the filter (SIGSYS) is
reported with the syscall that caused it, its name, number and arch, from
the kernel's audit record when there is one (read from the audit netlink
socket or /dev/kmsg: root; a trap is recorded only with --flag log).
SIGTERM, SIGINT, SIGQUIT and SIGHUP sent to cbpf are passed on to CMD
(those a terminal sends, CMD gets from it directly). cbpf's own failures
(usage, policy, install) exit 125, as env(1) and docker run do, so they
are not mistaken for CMD's: 126 if CMD cannot be executed, 127 if it is
not found.

--log FILE appends a line per event: launch, start (after the exec), exit
or kill.

Path rules (openat: path in {"/etc/hosts", "/usr/lib/**"}, see "go doc
github.com/cbpfkit/cbpf/policy") are decided by cbpf itself: the filter
sends those calls to it (SECCOMP_RET_USER_NOTIF); it resolves the path
the way the kernel would (from the command's working directory or
dirfd, through symlinks and ".."), decides with the policy on the real
path, and opens the file itself, handing the command the descriptor
(SECCOMP_IOCTL_NOTIF_ADDFD with SEND): the command cannot change the path
after the check. A Docker/OCI profile's SCMP_ACT_NOTIFY rules go to the
seccomp agent at its listenerPath, which gets the listener and the
container state over that socket as runc sends them; its "flags" are
honoured. Any other USER_NOTIF has no one to answer it: cbpf exec
refuses such filters.

Examples:
  cbpf exec --policy sandbox.policy -- make test
  cbpf exec --policy profile.json --flag log -- /bin/sh -c 'mkdir /tmp/x'
  cbpf exec --prog filter.bpf -i raw -- ./server
  cbpf exec --policy only-etc.policy -- cat /etc/hosts`,
	run: runExec,
}

// Exit statuses of cbpf exec's own failures, as env(1) has them.
const (
	exitExecFailed = 125 // usage, policy, install
	exitNoExec     = 126 // CMD cannot be executed
	exitNotFound   = 127 // CMD is not on PATH
)

// execJob is what cbpf exec was asked to do.
type execJob struct {
	prog    []bpf.RawInstruction
	policy  *policy.Policy // nil for --prog
	flags   []string       // --flag names, as given
	argv    []string
	logPath string
	notify  bool // the program answers some calls with USER_NOTIF
	// oci is what an OCI profile asks of the runtime (flags, the agent
	// that serves SCMP_ACT_NOTIFY); nil for the policy language and --prog.
	oci *policy.OCIRuntime
	// pathKill says why the path supervisor killed the command (Linux).
	pathKill pathKill
}

// flagList collects a repeatable, comma-separated flag.
type flagList []string

func (l *flagList) String() string { return strings.Join(*l, ",") }
func (l *flagList) Set(s string) error {
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			*l = append(*l, f)
		}
	}
	return nil
}

func runExec(e *env, fs *flags, args []string) error {
	job, err := parseExec(e, fs, args)
	var xe *exitError
	if errors.As(err, &xe) && (xe.Code == exitBad || xe.Code == exitUsage) {
		// Not CMD's status: cbpf's own failure.
		return &exitError{Code: exitExecFailed, Msg: xe.Msg, Err: xe.Err}
	}
	if err != nil {
		return err
	}
	return execute(e, job) // CMD's status passes through
}

// parseExec reads the flags and the filter.
func parseExec(e *env, fs *flags, args []string) (*execJob, error) {
	pf := addPolicyFlags(fs)
	policyFile := fs.String("policy", "", "policy `file` to compile (the policy language or a Docker/OCI profile)")
	progFile := fs.String("prog", "", "program `file` to install as it is")
	in := fs.String("i", "", "--prog `format` ("+formatList(true)+"; empty: detect)")
	var fl flagList
	fs.Var(&fl, "flag", "seccomp filter `flag`: tsync, log, spec_allow, new_listener, tsync_esrch, wait_killable_recv (repeatable)")
	logPath := fs.String("log", "", "append a line per event to `file`")
	// CMD is everything after the first "--"; cbpf's flags go before it.
	var argv []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, argv = args[:i], args[i+1:]
	}
	if err := fs.parse(args); err != nil {
		return nil, err
	}
	if len(fs.positional) > 0 {
		return nil, fs.usageError("the command goes after \"--\": cbpf exec [flags] -- %s", strings.Join(fs.positional, " "))
	}
	if len(argv) == 0 {
		return nil, fs.usageError("no command: cbpf exec [flags] -- CMD [ARGS...]")
	}
	job := &execJob{argv: argv, flags: fl, logPath: *logPath}
	switch {
	case *policyFile != "" && *progFile != "":
		return nil, fs.usageError("--policy and --prog exclude each other")
	case *policyFile == "" && *progFile == "":
		return nil, fs.usageError("give the filter: --policy FILE or --prog FILE")
	case *progFile != "":
		if *pf.lang != "" || *pf.arches != "" {
			return nil, fs.usageError("--lang and --arch are for --policy")
		}
		prog, _, err := readProgram(e, "exec", *progFile, *in)
		if err != nil {
			return nil, err
		}
		job.prog = prog
	default:
		if *in != "" {
			return nil, fs.usageError("-i is for --prog")
		}
		name, data, err := readInput(e, *policyFile)
		if err != nil {
			return nil, ioError("exec", err)
		}
		// Quiet: a profile's warnings (cbpf compile and cbpf policy show
		// them) would bury CMD's output; errors still stop here.
		p, err := pf.load(e, fs, name, data, true)
		if err != nil {
			return nil, err
		}
		host, err := hostArch()
		if err != nil {
			return nil, fail(exitExecFailed, "cbpf exec: %v", err)
		}
		if !slices.ContainsFunc(p.Targets(), func(a *arch.Arch) bool { return a.Audit == host.Audit }) {
			return nil, fail(exitExecFailed, "cbpf exec: %s: the policy does not target this machine's arch %s: every call of CMD would get the bad-arch action", name, host.Name)
		}
		prog, err := compile.Compile(p, compile.Options{First: host})
		if err != nil {
			return nil, fail(exitExecFailed, "%s: %v", name, err)
		}
		job.prog, job.policy = prog, p
		if pf.isOCI(data) {
			rt, err := policy.OCIRuntimeSettings(data)
			if err != nil {
				return nil, fail(exitExecFailed, "%s: %v", name, err)
			}
			job.oci = &rt
			for _, f := range rt.Flags {
				name, ok := ociFlags[f]
				if !ok {
					return nil, fail(exitExecFailed, "cbpf exec: %s: flags: %q is not a seccomp filter flag runc knows (%s)", *policyFile, f, strings.Join(slices.Sorted(maps.Keys(ociFlags)), ", "))
				}
				job.flags = append(job.flags, name)
			}
		}
	}
	job.notify = hasUserNotif(job.prog)
	if msg := notifyProblem(job); msg != "" {
		return nil, fail(exitExecFailed, "cbpf exec: %s", msg)
	}
	return job, nil
}

// ociFlags are the flags an OCI profile may list, by the --flag name of
// each (the runtime spec's linux.seccomp.flags).
var ociFlags = map[string]string{
	"SECCOMP_FILTER_FLAG_TSYNC":              "tsync",
	"SECCOMP_FILTER_FLAG_LOG":                "log",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW":         "spec_allow",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV": "wait_killable_recv",
}

// notifyProblem says why nobody would serve the notifications of job's
// filter, or "". cbpf serves path rules itself (the filter sends those
// calls to it); an OCI profile's SCMP_ACT_NOTIFY rules go to the seccomp
// agent at its listenerPath, as runc hands them over; any other
// USER_NOTIF has no one to answer it.
func notifyProblem(job *execJob) string {
	if !job.notify {
		return ""
	}
	switch {
	case job.policy == nil:
		return "the program answers some calls with USER_NOTIF, and a program alone does not say how to decide them: give the policy it was compiled from (--policy), with path rules or an OCI listenerPath"
	case job.oci != nil && job.oci.ListenerPath != "":
		return ""
	case job.oci != nil:
		return "the profile has SCMP_ACT_NOTIFY rules but no listenerPath: name the seccomp agent's socket there (runc refuses such profiles too)"
	}
	for _, r := range job.policy.Rules {
		if r.Action == policy.UserNotif && r.Paths == nil {
			return fmt.Sprintf("%s: %s: user_notif needs a supervisor, and cbpf exec serves only path rules (path in {...})", r.Pos, r.Syscall)
		}
	}
	if job.policy.Default == policy.UserNotif || job.policy.BadArch == policy.UserNotif {
		return "a default or bad-arch action user_notif needs a supervisor, and cbpf exec serves only path rules (path in {...})"
	}
	return ""
}

// hasUserNotif reports whether prog can return USER_NOTIF (a ret #k with
// that action).
func hasUserNotif(prog []bpf.RawInstruction) bool {
	for _, ins := range prog {
		if opcode.Op(ins.Op) == opcode.RetK && ins.K&action.ActionFull == action.UserNotif {
			return true
		}
	}
	return false
}

// execLog writes the --log lines; a nil *execLog writes nothing.
type execLog struct{ f *os.File }

func openExecLog(path string) (*execLog, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &execLog{f}, nil
}

func (l *execLog) printf(format string, a ...any) {
	if l != nil {
		fmt.Fprintf(l.f, format+"\n", a...)
	}
}

func (l *execLog) close() {
	if l != nil {
		l.f.Close()
	}
}

// pathKill is what the path supervisor killed the command for, if it did.
type pathKill struct {
	mu  sync.Mutex
	why string
}

func (k *pathKill) set(why string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.why == "" {
		k.why = why
	}
}

func (k *pathKill) get() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.why
}
