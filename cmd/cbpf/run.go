package main

// stub: the vm work replaces this file.
func runCommand() *command {
	return &command{name: "run", summary: "run a program on seccomp_data or packets (not yet)", run: func(e *env, args []string) int { return exitUsage }}
}
