// Command cbpf assembles, disassembles, runs, checks and compiles classic BPF
// programs, first of all Linux seccomp filters.
//
// Run "cbpf help" for the list of commands and "cbpf COMMAND -h" for one.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
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

// command is one subcommand of cbpf.
type command struct {
	name    string
	summary string // one line for "cbpf help"
	run     func(e *env, args []string) int
}

// commands lists every subcommand. Each lives in a file of its own name.
func commands() []*command {
	cs := []*command{
		asmCommand(),
		compileCommand(),
		disasmCommand(),
		runCommand(),
		syscallsCommand(),
		verifyCommand(),
		explainCommand(),
		equivCommand(),
		versionCommand(),
		policyCommand(),
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	return cs
}

func main() {
	os.Exit(cbpf(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

// cbpf runs the command line args (without the program name).
func cbpf(e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			if c := lookup(args[1]); c != nil {
				return c.run(e, []string{"-h"})
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
	return c.run(e, args[1:])
}

func lookup(name string) *command {
	for _, c := range commands() {
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
	for _, c := range commands() {
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
