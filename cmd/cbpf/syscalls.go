package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
)

var syscallsCommand = &command{
	name:    "syscalls",
	args:    "[NAME|NUMBER...]",
	summary: "list and resolve syscall names and numbers of an architecture",
	about: `List the syscall table of an architecture, or resolve names and numbers.

With no arguments, print every "name number" pair of the table, sorted by
number. With arguments, resolve each: a name gives its number, a number
(decimal or 0x hex) gives its name, one result a line. Numbers are as the
filter sees them in seccomp_data.nr: mips o32 starts at 4000, mips64 at
5000, and x32 numbers include bit 30 (0x40000000).

A socket or System V IPC call that the arch can also reach through
socketcall or ipc resolves to its direct number followed by the
multiplexer: "359 (also socketcall 102 with a0 == 1)" for i386 socket, and
"102 (socketcall with a0 == 9; no direct send syscall)" for i386 send. The
first field is always a number.

-arch takes libseccomp, kernel or Go names (x86_64, amd64, i386, aarch64,
mips64el, ...) or an AUDIT_ARCH value. --arches lists the architectures:
name, AUDIT_ARCH value, byte order, bits and Go name.

Exit status 1 for an unknown name, number or arch.

Examples:
  cbpf syscalls --arch aarch64 openat newfstatat 56
  cbpf syscalls --arch i386 | grep socket
`,
	run: runSyscalls,
}

func runSyscalls(e *env, fs *flags, args []string) error {
	archName := fs.String("arch", "", "architecture `NAME` (default: the host's)")
	list := fs.Bool("arches", false, "list the architectures and exit")
	if err := fs.parse(args); err != nil {
		return err
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	if *list {
		if len(fs.positional) > 0 {
			return fs.usageError("--arches takes no arguments")
		}
		for _, a := range arch.All() {
			order := "little"
			if a.ByteOrder == binary.BigEndian {
				order = "big"
			}
			goName := a.GoArch
			if goName == "" {
				goName = "-"
			}
			fmt.Fprintf(w, "%-12s 0x%08x %-6s %d %s\n", a.Name, a.Audit, order, a.Bits, goName)
		}
		return nil
	}
	var a *arch.Arch
	if *archName == "" {
		var err error
		if a, err = hostArch(); err != nil {
			return fail(exitBad, "cbpf syscalls: %v; use --arch", err)
		}
	} else {
		var err error
		if a, err = arch.Lookup(*archName); err != nil {
			return fail(exitBad, "cbpf syscalls: %v", err)
		}
	}
	if len(fs.positional) == 0 {
		for _, s := range a.Syscalls() {
			fmt.Fprintf(w, "%s %d\n", s.Name, s.Number)
		}
		return nil
	}
	var failed error
	for _, arg := range fs.positional {
		out, err := resolveSyscall(a, arg)
		if err != nil {
			w.Flush()
			fmt.Fprintf(e.stderr, "cbpf syscalls: %v\n", err)
			failed = status(exitBad) // the other arguments are resolved all the same
			continue
		}
		fmt.Fprintln(w, out)
	}
	return failed
}

// resolveSyscall turns a name into its number or a number into its name,
// as libseccomp's scmp_sys_resolver does.
func resolveSyscall(a *arch.Arch, arg string) (string, error) {
	if arg != "" && arg[0] >= '0' && arg[0] <= '9' {
		v, err := strconv.ParseUint(arg, 0, 32)
		if err != nil {
			return "", fmt.Errorf("%s: %q is not a syscall number (decimal or 0x hex, 32 bits)", a.Name, arg)
		}
		if n, ok := a.SyscallName(uint32(v)); ok {
			return n, nil
		}
		hint := ""
		if a.Name == "x32" && v&arch.X32SyscallBit == 0 {
			hint = " (x32 numbers include bit 30, 0x40000000)"
		}
		return "", fmt.Errorf("%s has no syscall number %d%s", a.Name, v, hint)
	}
	nr, direct := a.SyscallNumber(arg)
	mux, call, muxed := a.Multiplexed(arg)
	var muxNr uint32
	if muxed {
		muxNr, _ = a.SyscallNumber(mux)
	}
	switch {
	case direct && muxed:
		return fmt.Sprintf("%d (also %s %d with a0 == %d)", nr, mux, muxNr, call), nil
	case direct:
		return strconv.FormatUint(uint64(nr), 10), nil
	case muxed:
		return fmt.Sprintf("%d (%s with a0 == %d; no direct %s syscall)", muxNr, mux, call, arg), nil
	}
	msg := fmt.Sprintf("%s has no syscall %q", a.Name, arg)
	if l := strings.ToLower(arg); l != arg {
		if _, ok := a.SyscallNumber(l); ok {
			msg += fmt.Sprintf(" (names are lower case: %s)", l)
		}
	}
	return "", fmt.Errorf("%s", msg)
}
