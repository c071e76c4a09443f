// Command cbpf assembles, disassembles, runs, checks and compiles classic BPF
// programs, first of all Linux seccomp filters.
//
// Run "cbpf help" for the list of commands and "cbpf COMMAND -h" for one.
//
// Each command is declared once, as a [command] in the file of its name
// (compile in compile.go, ...), and listed in [commands]. A command returns
// an error that carries its exit status ([exitError]); cbpf prints the
// message and maps the error to the status in one place, [command.main].
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cbpfkit/cbpf/diag"
)

// Exit codes shared by every command.
const (
	exitOK    = 0 // success
	exitBad   = 1 // bad input (message on stderr)
	exitUsage = 2 // usage error or I/O error
)

// env is what a command sees of the outside world; tests substitute it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand of cbpf: what "cbpf help" lists, what
// "cbpf NAME -h" prints, and what runs it.
type command struct {
	name    string
	args    string // the arguments after the flags in the usage line, e.g. "[FILE|-]"
	summary string // one line for "cbpf help"
	about   string // the help "cbpf NAME -h" prints before the flags

	// run declares the command's flags on fs (made from the fields
	// above), parses args with fs.parse and runs the command. The error
	// it returns, an *exitError, says how the command ended; nil is
	// success.
	run func(e *env, fs *flags, args []string) error
}

// commands lists every subcommand, sorted by name.
var commands = []*command{
	asmCommand,
	compileCommand,
	disasmCommand,
	dumpCommand,
	equivCommand,
	execCommand,
	explainCommand,
	optCommand,
	policyCommand,
	runCommand,
	syscallsCommand,
	verifyCommand,
	versionCommand,
}

// exitError ends a command with exit status Code, after printing Msg on
// stderr (nothing when it is empty: the command said what there was to
// say), or, for bad input, the diagnostics of Err one a line. A command
// never exits itself: it returns an exitError.
type exitError struct {
	Code int
	Msg  string
	Err  error // badInput: the parser's error, a diag.List or a *diag.Error
}

func (e *exitError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return e.Msg
}

func (e *exitError) Unwrap() error { return e.Err }

// badInput is the exitBad error of malformed input: cbpf prints each of
// its diagnostics on a line of its own, as "file:line:col: msg".
func badInput(err error) error { return &exitError{Code: exitBad, Err: err} }

// fail returns an exitError with the status code and the message.
func fail(code int, format string, a ...any) error {
	return &exitError{Code: code, Msg: fmt.Sprintf(format, a...)}
}

// status returns an exitError with the status code and no message.
func status(code int) error { return &exitError{Code: code} }

// ioError is the exitUsage error of an I/O failure of command cmd.
func ioError(cmd string, err error) error {
	return fail(exitUsage, "cbpf %s: %v", cmd, err)
}

func main() {
	maybeLaunched() // first: a copy cbpf exec started installs and executes
	os.Exit(cbpf(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

// cbpf runs the command line args (without the program name) and returns
// the exit status.
func cbpf(e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			if c := lookup(args[1]); c != nil {
				return c.main(e, []string{"-h"})
			}
			fmt.Fprintf(e.stderr, "cbpf: unknown command %q\n", args[1])
			return exitUsage
		}
		usage(e.stdout)
		return exitOK
	case "-version", "--version":
		args[0] = "version"
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(e.stderr, "cbpf: unknown command %q; run \"cbpf help\" for the list\n", args[0])
		return exitUsage
	}
	return c.main(e, args[1:])
}

// main runs c with args and returns the exit status: the one the error c
// returns carries, after its message. -h prints the help on stdout and is
// a success. An error without a status (none should be) is an I/O error.
func (c *command) main(e *env, args []string) int {
	fs := newFlags(c)
	err := c.run(e, fs, args)
	var xe *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		fs.usage(e.stdout)
		return exitOK
	case errors.As(err, &xe):
		if xe.Err != nil {
			printDiagnostics(e.stderr, xe.Err)
		} else if xe.Msg != "" {
			fmt.Fprintln(e.stderr, xe.Msg)
		}
		return xe.Code
	}
	fmt.Fprintln(e.stderr, ioError(c.name, err))
	return exitUsage
}

// printDiagnostics writes every diagnostic of err, one a line (a
// diag.List holds at most diag.MaxErrors and a "too many errors" line), or
// err itself when it has none.
func printDiagnostics(w io.Writer, err error) {
	ds := diag.Errors(err)
	if len(ds) == 0 {
		fmt.Fprintln(w, err)
		return
	}
	for _, d := range ds {
		fmt.Fprintln(w, d)
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString(`cbpf is a toolkit for classic BPF: seccomp filters and socket filters.

Usage:

	cbpf COMMAND [flags] [args]

Commands:

`)
	for _, c := range commands {
		fmt.Fprintf(&b, "\t%-10s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Run "cbpf COMMAND -h" for the flags and arguments of one command.

Programs are read in any of the formats of "cbpf asm -h"; the input format is
detected from the content unless -i names it. Exit status: 0 success, 1 bad
input (a message on stderr says where), 2 usage or I/O error.
`)
	io.WriteString(w, b.String())
}
