package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/vm"
)

// flags wraps flag.FlagSet with cbpf's conventions: -h prints help on
// stdout and exits 0; a bad flag prints the error and exits 2.
type flags struct {
	*flag.FlagSet
	e     *env
	name  string
	args  string // the synopsis after the flags, e.g. "[FILE|-]"
	about string

	positional []string // the arguments left after parse
}

func newFlags(e *env, name, args, about string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, e: e, name: name, args: args, about: about}
}

func (f *flags) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: cbpf %s [flags] %s\n\n%s\n", f.name, f.args, strings.TrimSpace(f.about))
	n := 0
	f.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintf(w, "\nFlags:\n")
		f.SetOutput(w)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
	}
}

// parse parses args. When ok is false the command must return code.
func (f *flags) parse(args []string) (code int, ok bool) {
	// Allow flags after positional arguments, as most users expect.
	var pos []string
	rest := args
	for {
		if err := f.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.usage(f.e.stdout)
				return exitOK, false
			}
			fmt.Fprintf(f.e.stderr, "cbpf %s: %v\n", f.name, err)
			fmt.Fprintf(f.e.stderr, "run \"cbpf %s -h\" for usage\n", f.name)
			return exitUsage, false
		}
		rest = f.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			pos = append(pos, rest[1:]...)
			break
		}
		pos = append(pos, rest[0])
		rest = rest[1:]
	}
	f.positional = pos
	return exitOK, true
}

// usageError reports a usage problem and returns exitUsage.
func (f *flags) usageError(format string, a ...any) int {
	fmt.Fprintf(f.e.stderr, "cbpf %s: %s\n", f.name, fmt.Sprintf(format, a...))
	fmt.Fprintf(f.e.stderr, "run \"cbpf %s -h\" for usage\n", f.name)
	return exitUsage
}

// readInput reads the named file, or stdin for "" or "-". The name returned
// is the one to use in messages.
func readInput(e *env, path string) (name string, data []byte, err error) {
	if path == "" || path == "-" {
		data, err = io.ReadAll(e.stdin)
		return "<stdin>", data, err
	}
	data, err = os.ReadFile(path)
	return path, data, err
}

// readProgram reads a program from path (or stdin) in format in ("" detects).
// It returns the exit code to use on failure: exitUsage for I/O and format
// name errors, exitBad for malformed programs.
func readProgram(e *env, cmd, path, in string) ([]bpf.RawInstruction, string, int, bool) {
	var f asm.Format
	if in != "" {
		var err error
		if f, err = asm.ParseFormat(in); err != nil {
			fmt.Fprintf(e.stderr, "cbpf %s: %v\n", cmd, err)
			return nil, "", exitUsage, false
		}
	}
	name, data, err := readInput(e, path)
	if err != nil {
		fmt.Fprintf(e.stderr, "cbpf %s: %v\n", cmd, err)
		return nil, "", exitUsage, false
	}
	prog, err := asm.Read(name, data, f)
	if err != nil {
		var ae *asm.Error
		if errors.As(err, &ae) && ae.Looks != "" {
			c := *ae
			c.Hint += ": use -i " + string(ae.Looks)
			if ae.Looks == asm.Raw {
				c.Hint += " (or -i raw-be)"
			}
			err = &c
		}
		fmt.Fprintf(e.stderr, "%v\n", err)
		return nil, "", exitBad, false
	}
	return prog, name, exitOK, true
}

// modeFlag parses a --mode value.
func modeFlag(s string) (vm.Mode, error) {
	switch strings.ToLower(s) {
	case "seccomp":
		return vm.Seccomp, nil
	case "packet", "socket":
		return vm.Packet, nil
	}
	return 0, fmt.Errorf("unknown mode %q (want seccomp or packet)", s)
}

// runInputLine writes d as a line "cbpf run" reads back: the arch by name,
// the syscall by name where the arch has one (x32's for an x86_64 number
// with bit 30 set), else the number, then the arguments and IP in hex.
func runInputLine(d vm.SeccompData) string {
	nr := uint32(d.Nr)
	an := fmt.Sprintf("%#x", d.Arch)
	if a := arch.ByAudit(d.Arch); a != nil {
		an = a.Name
		if a.Name == "x86_64" && nr&arch.X32SyscallBit != 0 {
			if x32, err := arch.Lookup("x32"); err == nil {
				if name, ok := x32.SyscallName(nr); ok {
					return formatRunLine(x32.Name, name, d)
				}
			}
		}
		if name, ok := a.SyscallName(nr); ok {
			return formatRunLine(an, name, d)
		}
	}
	n := fmt.Sprintf("%#x", nr)
	switch {
	case nr < 0x10000:
		n = fmt.Sprintf("%d", nr)
	case d.Nr < 0:
		n = fmt.Sprintf("%d", d.Nr) // -1 reads better than 0xffffffff
	}
	return formatRunLine(an, n, d)
}

func formatRunLine(archName, nr string, d vm.SeccompData) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", archName, nr)
	for _, v := range d.Args {
		fmt.Fprintf(&b, " %#x", v)
	}
	fmt.Fprintf(&b, " %#x", d.InstructionPointer)
	return b.String()
}
