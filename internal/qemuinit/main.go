// Command qemuinit is the /init of the initramfs that scripts/qemu-test.sh
// boots under another arch's Linux kernel in qemu: as PID 1 (so nothing
// else runs, and nothing else is filtered) it mounts /dev, /proc and /tmp,
// runs every test binary in /tests with the arguments of its .args file
// (one a line), prints a line for each
//
//	CBPF-TESTBIN NAME exit=N seconds=S
//
// and then
//
//	CBPF-GUEST-DONE arch=GOARCH failures=N
//
// and powers the machine off. The script judges by those lines: qemu's
// own exit status says nothing about the guest.
package main

func main() { run() }
