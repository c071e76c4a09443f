package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
)

var dumpCommand = &command{
	name:    "dump",
	args:    "PID | -- CMD [ARGS...]",
	summary: "read the seccomp filters of a live process and explain them together (Linux)",
	about: `Read every seccomp filter of process PID (its main thread, or --tid) and
print each, in install order, in the -o format; then the effective policy of
all of them together, explained per syscall as "cbpf explain" does: the
kernel runs every filter, newest first, and the lowest action wins
(KILL_PROCESS lowest, ALLOW highest; on a tie the newest filter's value,
errno included). The calls the kernel's allow cache serves are those every
filter allows whatever the arguments: the cache is per filter, and a call
is cached only if it is cached in all of them.

With -- CMD, cbpf runs CMD under ptrace instead, follows its threads and the
processes it forks, reads the filters after each seccomp(2) or
prctl(PR_SET_SECCOMP) install that succeeds and again as each process
exits, and prints the fullest stack it saw (the most filters; the latest
of equals), saying which processes had others. --installs N stops after
the N-th install and kills CMD (for programs that do not end). CMD's
output goes to cbpf's stderr, so that stdout has only the dump. A process
that leaves CMD's process group (setsid) is not followed.

--save DIR writes each filter to DIR/filter-N.FORMAT instead (N its
kernel index; with --stacked also DIR/stacked.FORMAT), for the binary
formats (-o raw, raw-be) and for reading them back with the other
commands; stdout then names the files.

Reading filters needs root: ptrace permission on the process and
CAP_SYS_ADMIN for PTRACE_SECCOMP_GET_FILTER. Filters belong to threads;
filters installed with TSYNC are the same on every thread.

Examples:
  sudo cbpf dump $(pidof containerd-shim)
  sudo cbpf dump -o pseudo --stacked -- cbpf exec --policy p.policy -- true
` + formatHelp,
	run: runDump,
}

// dumpedFilter is one filter as the dump prints it.
type dumpedFilter struct {
	prog  []bpf.RawInstruction
	log   bool
	index int
}

// dumped is what was read: whose filters, and the filters in install
// order.
type dumped struct {
	what    string // "process 123", "process 123 (thread 124) as it exited", ...
	note    string // a line about how they were caught, or ""
	filters []dumpedFilter
}

type dumpJob struct {
	pid, tid int
	argv     []string
	installs int
}

func runDump(e *env, fs *flags, args []string) error {
	out := fs.String("o", "asm", "output `format` of each filter ("+formatList(false)+")")
	archName := fs.String("arch", "", "arch `name` of the effective policy (default: the one the filters check, else the host's)")
	tid := fs.Int("tid", 0, "read thread `TID` of PID instead of its main thread")
	installs := fs.Int("installs", 0, "with CMD: stop after `N` installs and kill CMD (0: run CMD to its end)")
	stacked := fs.Bool("stacked", false, "also print the one program equivalent to the stack, in the -o format")
	save := fs.String("save", "", "write each filter to a file in `DIR` (filter-N.FORMAT) instead of printing it")
	// Everything after "--" is CMD, flags included.
	var argv []string
	for i, a := range args {
		if a == "--" {
			args, argv = args[:i], args[i+1:]
			break
		}
	}
	if err := fs.parse(args); err != nil {
		return err
	}
	of, err := asm.ParseFormat(*out)
	if err != nil {
		return fs.usageError("-o: %v", err)
	}
	if (of == asm.Raw || of == asm.RawBE) && *save == "" {
		return fs.usageError("-o %s is binary: give --save DIR to write each filter to a file", of)
	}
	job := dumpJob{tid: *tid, installs: *installs, argv: argv}
	switch {
	case len(argv) > 0 && len(fs.positional) > 0:
		return fs.usageError("give PID or -- CMD, not both")
	case len(argv) > 0:
		if *tid != 0 {
			return fs.usageError("--tid is for PID")
		}
		if *installs < 0 {
			return fs.usageError("--installs %d: want 0 or more", *installs)
		}
	case len(fs.positional) == 1:
		pid, err := strconv.Atoi(fs.positional[0])
		if err != nil || pid <= 0 {
			return fs.usageError("PID %q: want a process id (a positive number)", fs.positional[0])
		}
		if *installs != 0 {
			return fs.usageError("--installs is for -- CMD")
		}
		if *tid < 0 {
			return fs.usageError("--tid %d: want a thread id", *tid)
		}
		job.pid = pid
	default:
		return fs.usageError("want PID or -- CMD [ARGS...]")
	}
	var a *arch.Arch
	if *archName != "" {
		if a, err = arch.Lookup(*archName); err != nil {
			return fs.usageError("--arch: %v", err)
		}
	}
	d, err := readDump(e, &job)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(e.stdout)
	err = writeDump(e, w, d, dumpOutput{format: of, arch: a, stacked: *stacked, save: *save})
	if ferr := w.Flush(); ferr != nil && err == nil {
		return ioError("dump", ferr)
	}
	return err
}

// dumpOutput is how the dump is written.
type dumpOutput struct {
	format  asm.Format
	arch    *arch.Arch // nil: the filters', else the host's
	stacked bool       // also the one program
	save    string     // a directory for the programs, or "" for stdout
}

// writeProg writes one program: to w, or to file name in o.save (then w
// says where).
func (o dumpOutput) writeProg(e *env, w io.Writer, name string, prog []bpf.RawInstruction) error {
	if o.save == "" {
		if err := asm.Write(w, prog, o.format); err != nil {
			return fail(exitBad, "cbpf dump: %s: %v", name, err)
		}
		warnDropped(e, "dump", prog, o.format)
		return nil
	}
	path := filepath.Join(o.save, name+"."+string(o.format))
	var b bytes.Buffer
	if err := asm.Write(&b, prog, o.format); err != nil {
		return fail(exitBad, "cbpf dump: %s: %v", name, err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return ioError("dump", err)
	}
	warnDropped(e, "dump", prog, o.format)
	fmt.Fprintf(w, "written to %s\n", path)
	return nil
}

// writeDump prints the filters, then their effective policy.
func writeDump(e *env, w io.Writer, d *dumped, o dumpOutput) error {
	a := o.arch
	n := len(d.filters)
	plural := "s"
	if n == 1 {
		plural = ""
	}
	fmt.Fprintf(w, "%s: %d seccomp filter%s, in install order (the kernel runs the last first)\n", d.what, n, plural)
	if d.note != "" {
		fmt.Fprintln(w, d.note)
	}
	progs := make([][]bpf.RawInstruction, n)
	for i, f := range d.filters {
		progs[i] = f.prog
		extra := ""
		if f.log {
			extra = ", flag log"
		}
		fmt.Fprintf(w, "\nfilter %d of %d (kernel index %d, %d instructions%s):\n", i+1, n, f.index, len(f.prog), extra)
		if err := o.writeProg(e, w, fmt.Sprintf("filter-%d", f.index), f.prog); err != nil {
			return err
		}
	}
	prog, err := verify.Stack(progs)
	if err != nil {
		fmt.Fprintf(w, "\neffective policy: cannot be built as one program: %v\n", err)
		return fail(exitBad, "cbpf dump: the effective policy of the %d filters: %v", n, err)
	}
	if a == nil {
		if a = verify.FilterArch(prog); a == nil {
			if a, err = hostArch(); err != nil {
				return fail(exitUsage, "cbpf dump: cannot tell the arch (%v); use --arch", err)
			}
		}
	}
	if o.stacked {
		fmt.Fprintf(w, "\nthe %d filters as one program (%d instructions):\n", n, len(prog))
		if err := o.writeProg(e, w, "stacked", prog); err != nil {
			return err
		}
	}
	ex, err := verify.ExplainWith(prog, a, verify.ExplainOptions{
		Name: func(syscall string, arg int, v uint64) (string, bool) { return policy.ConstName(a, syscall, arg, v) },
	})
	if err != nil {
		return fail(exitBad, "cbpf dump: explaining the effective policy: %v", err)
	}
	// The kernel's allow cache is per filter: a call is cached only if
	// every filter caches it.
	for i := range ex.Syscalls {
		ex.Syscalls[i].Cached = verify.StackCacheAllows(progs, a.Audit, ex.Syscalls[i].Nr)
	}
	what := "the filter"
	if n > 1 {
		what = fmt.Sprintf("all %d filters together: every filter runs, the lowest action wins (on a tie, the newest filter's value)", n)
	}
	fmt.Fprintf(w, "\neffective policy of %s;\na call is served from the kernel's allow cache only if every filter allows it whatever the arguments\n", what)
	var b strings.Builder
	if err := ex.Write(&b); err != nil {
		return ioError("dump", err)
	}
	io.WriteString(w, b.String())
	return nil
}
