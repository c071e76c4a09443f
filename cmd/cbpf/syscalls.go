package main

// stub: the arch work replaces this file.
func syscallsCommand() *command {
	return &command{name: "syscalls", summary: "list and resolve syscall names and numbers (not yet)", run: func(e *env, args []string) int { return exitUsage }}
}
