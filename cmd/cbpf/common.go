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

// flags wraps flag.FlagSet with cbpf's conventions: -h prints the help on
// stdout and is a success; a bad flag is a usage error (exit 2).
type flags struct {
	*flag.FlagSet
	name  string
	args  string // the synopsis after the flags, e.g. "[FILE|-]"
	about string

	positional []string // the arguments left after parse
}

// newFlags returns the flag set of command c, without flags yet.
func newFlags(c *command) *flags {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, name: c.name, args: c.args, about: c.about}
}

// usageLine is "cbpf NAME [flags] ARGS", without "[flags]" for a command
// that has none and without ARGS for one that takes none.
func (f *flags) usageLine() string {
	line := "cbpf " + f.name
	if f.hasFlags() {
		line += " [flags]"
	}
	if f.args != "" {
		line += " " + f.args
	}
	return line
}

// hasFlags reports whether the command has any flag (besides -h).
func (f *flags) hasFlags() bool {
	n := 0
	f.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// usage prints the help of "cbpf NAME -h".
func (f *flags) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", f.usageLine(), strings.TrimSpace(f.about))
	if f.hasFlags() {
		fmt.Fprintf(w, "\nFlags:\n")
		f.SetOutput(w)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
	}
}

// parse parses args, leaving the arguments that are not flags in
// f.positional. The error is flag.ErrHelp for -h, else a usage error.
func (f *flags) parse(args []string) error {
	// Allow flags after positional arguments, as most users expect.
	var pos []string
	rest := args
	for {
		if err := f.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return flag.ErrHelp
			}
			return f.usageError("%v", err)
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
	if f.args == "" && len(pos) > 0 {
		return f.usageError("takes no arguments, got %q", pos[0])
	}
	return nil
}

// usageError is the exitUsage error of a usage problem: the message and a
// pointer to -h.
func (f *flags) usageError(format string, a ...any) error {
	return fail(exitUsage, "cbpf %s: %s\nrun \"cbpf %s -h\" for usage", f.name, fmt.Sprintf(format, a...), f.name)
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
// The error is exitUsage for I/O and format name errors, exitBad for
// malformed programs.
func readProgram(e *env, cmd, path, in string) ([]bpf.RawInstruction, string, error) {
	var f asm.Format
	if in != "" {
		var err error
		if f, err = asm.ParseFormat(in); err != nil {
			return nil, "", fail(exitUsage, "cbpf %s: %v", cmd, err)
		}
	}
	name, data, err := readInput(e, path)
	if err != nil {
		return nil, "", ioError(cmd, err)
	}
	prog, err := asm.Read(name, data, f)
	if err != nil {
		var fe *asm.FormatError
		if errors.As(err, &fe) {
			c := *fe.Err
			c.Msg += ": use -i " + string(fe.Looks)
			if fe.Looks == asm.Raw {
				c.Msg += " (or -i raw-be)"
			}
			err = &c
		}
		return nil, "", badInput(err)
	}
	return prog, name, nil
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
