package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

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
Docker/OCI profile, as "cbpf compile" reads them; the host arch is checked
first) or read from --prog FILE (any format of "cbpf asm -h"). --flag adds
a seccomp filter flag: tsync, log, spec_allow, new_listener, tsync_esrch,
wait_killable_recv (repeat it, or separate names with commas).

CMD's exit status passes through. A command killed by a signal exits
128+N and cbpf says which signal; a kill by the filter (SIGSYS) is
reported with the syscall that caused it, its name, number and arch, from
the kernel's audit record (/dev/kmsg, readable by root) when there is one.
SIGINT and SIGTERM sent to cbpf are passed on to CMD. cbpf's own failures
(usage, policy, install) exit 125, as env(1) and docker run do, so they
are not mistaken for CMD's: 126 if CMD cannot be executed, 127 if it is
not found.

--log FILE appends a line per event: launch, start (after the exec), exit
or kill.

A filter that answers some calls with USER_NOTIF needs a supervisor that
serves the notifications; without one, cbpf exec refuses to run it.

Examples:
  cbpf exec --policy sandbox.policy -- make test
  cbpf exec --policy profile.json --flag log -- /bin/sh -c 'mkdir /tmp/x'
  cbpf exec --prog filter.bpf -i raw -- ./server`,
	run: runExec,
}

// superviseFor is the hook a user-notification supervisor plugs into:
// given the listener of a filter whose program answers some calls with
// USER_NOTIF and the policy it was compiled from (nil for --prog), it
// serves the listener until the command exits and returns a function that
// stops it and reports what went wrong. nil: there is no supervisor, and
// cbpf exec refuses such filters ("policy needs a user-notification
// supervisor").
var superviseFor func(listener *os.File, p *policy.Policy) (stop func() error, err error)

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
		return &exitError{Code: exitExecFailed, Msg: xe.Msg}
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
		p, err := pf.load(e, fs, name, data, false)
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
	}
	job.notify = hasUserNotif(job.prog)
	if job.notify && superviseFor == nil {
		what := "policy"
		if job.policy == nil {
			what = "program"
		}
		return nil, fail(exitExecFailed, "cbpf exec: %s needs a user-notification supervisor: it answers some calls with USER_NOTIF, and this cbpf has none to serve them", what)
	}
	return job, nil
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
