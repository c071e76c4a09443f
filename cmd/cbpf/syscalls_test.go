package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cbpfkit/cbpf/arch"
)

func runSyscallsCLI(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = cbpf(&env{stdin: strings.NewReader(""), stdout: &o, stderr: &e}, append([]string{"syscalls"}, args...))
	return o.String(), e.String(), code
}

func TestSyscallsResolve(t *testing.T) {
	tests := []struct {
		args     []string
		out, err string // err: substring of stderr
		code     int
	}{
		{[]string{"--arch", "x86_64", "read", "execve", "newfstatat"}, "0\n59\n262\n", "", exitOK},
		{[]string{"--arch", "amd64", "59", "0x3b", "0"}, "execve\nexecve\nread\n", "", exitOK},
		{[]string{"--arch=aarch64", "openat", "56"}, "56\nopenat\n", "", exitOK},
		{[]string{"openat", "--arch", "arm64"}, "56\n", "", exitOK}, // flags after names
		{[]string{"--arch", "i386", "socket", "send", "_llseek"}, "359 (also socketcall 102 with a0 == 1)\n102 (socketcall with a0 == 9; no direct send syscall)\n140\n", "", exitOK},
		{[]string{"--arch", "mips", "read", "4003"}, "4003\nread\n", "", exitOK},
		{[]string{"--arch", "mips64el", "read"}, "5000\n", "", exitOK},
		{[]string{"--arch", "x32", "read", "0x40000000", "1073742344"}, "1073741824\nread\nexecve\n", "", exitOK},
		{[]string{"--arch", "arm", "cacheflush", "0xf0005"}, "983042\nset_tls\n", "", exitOK},
		{[]string{"--arch", "0xc00000b7", "read"}, "63\n", "", exitOK},
		{[]string{"--arch", "x86_64", "nosuchcall"}, "", `x86_64 has no syscall "nosuchcall"`, exitBad},
		{[]string{"--arch", "x86_64", "read", "9999", "write"}, "0\n1\n", "x86_64 has no syscall number 9999", exitBad},
		{[]string{"--arch", "x86_64", "0xfffffffff"}, "", "not a syscall number", exitBad},
		{[]string{"--arch", "x86_64", "READ"}, "", "names are lower case: read", exitBad},
		{[]string{"--arch", "x32", "0"}, "", "x32 numbers include bit 30", exitBad},
		{[]string{"--arch", "vax", "read"}, "", `unknown arch "vax"; known arches: 386, aarch64`, exitBad},
		{[]string{"--arches", "read"}, "", "--arches takes no arguments", exitUsage},
		{[]string{"--bogus"}, "", "flag provided but not defined", exitUsage},
	}
	for _, tt := range tests {
		out, errOut, code := runSyscallsCLI(tt.args...)
		if code != tt.code || out != tt.out || (tt.err == "") != (errOut == "") || !strings.Contains(errOut, tt.err) {
			t.Errorf("cbpf syscalls %q:\ncode %d, want %d\nstdout %q, want %q\nstderr %q, want it to contain %q",
				tt.args, code, tt.code, out, tt.out, errOut, tt.err)
		}
	}
}

func TestSyscallsList(t *testing.T) {
	for _, a := range arch.All() {
		out, errOut, code := runSyscallsCLI("--arch", a.Name)
		if code != exitOK || errOut != "" {
			t.Fatalf("--arch %s: code %d, stderr %q", a.Name, code, errOut)
		}
		var want strings.Builder
		for _, s := range a.Syscalls() {
			fmt.Fprintf(&want, "%s %d\n", s.Name, s.Number)
		}
		if out != want.String() {
			t.Errorf("--arch %s: listing differs from the table:\n%s", a.Name, cmp.Diff(want.String(), out))
		}
		// Sorted by number, and every line resolves back.
		prev := int64(-1)
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			nr, err := strconv.ParseInt(f[1], 10, 64)
			if len(f) != 2 || err != nil || nr <= prev {
				t.Errorf("--arch %s: bad or unsorted line %q", a.Name, sc.Text())
			}
			prev = nr
		}
	}
	// Default arch: the host's.
	if h := arch.Host(); h != nil {
		out, _, code := runSyscallsCLI()
		want, _, _ := runSyscallsCLI("--arch", h.Name)
		if code != exitOK || out != want {
			t.Errorf("no --arch: code %d, output differs from --arch %s", code, h.Name)
		}
	}
}

func TestSyscallsArches(t *testing.T) {
	out, errOut, code := runSyscallsCLI("--arches")
	want := `aarch64      0xc00000b7 little 64 arm64
arm          0x40000028 little 32 arm
loongarch64  0xc0000102 little 64 loong64
mips         0x00000008 big    32 mips
mips64       0x80000008 big    64 mips64
mipsel       0x40000008 little 32 mipsle
mipsel64     0xc0000008 little 64 mips64le
ppc64        0x80000015 big    64 ppc64
ppc64le      0xc0000015 little 64 ppc64le
riscv64      0xc00000f3 little 64 riscv64
s390x        0x80000016 big    64 s390x
x32          0xc000003e little 32 -
x86          0x40000003 little 32 386
x86_64       0xc000003e little 64 amd64
`
	if code != exitOK || errOut != "" {
		t.Fatalf("--arches: code %d, stderr %q", code, errOut)
	}
	if d := cmp.Diff(want, out); d != "" {
		t.Errorf("--arches (-want +got):\n%s", d)
	}
}

// TestSyscallsLibseccomp compares "cbpf syscalls --arch A NAME" with
// libseccomp's resolver for a sample of names on every arch both know.
// libseccomp resolves socket and IPC names to the multiplexer where there
// is one; cbpf prints the multiplexer's number after the direct one.
func TestSyscallsLibseccomp(t *testing.T) {
	const py = "/usr/bin/python3"
	sample := []string{"read", "write", "open", "openat", "execve", "mmap", "mmap2", "newfstatat", "fstatat64",
		"_llseek", "_newselect", "socket", "connect", "send", "shmget", "semop", "clone3", "seccomp",
		"cacheflush", "set_tls", "arch_prctl", "riscv_flush_icache", "s390_runtime_instr", "ipc", "socketcall"}
	pyArch := map[string]string{"x86": "X86", "x86_64": "X86_64", "x32": "X32", "arm": "ARM", "aarch64": "AARCH64",
		"mips": "MIPS", "mipsel": "MIPSEL", "mips64": "MIPS64", "mipsel64": "MIPSEL64", "ppc64": "PPC64",
		"ppc64le": "PPC64LE", "riscv64": "RISCV64", "s390x": "S390X", "loongarch64": "LOONGARCH64"}
	script := `import sys, seccomp
for spec in sys.argv[1:]:
    a, n = spec.split(":")
    arch = getattr(seccomp.Arch, a, None)
    if arch is None:
        continue
    try:
        print(a, n, seccomp.resolve_syscall(arch, n))
    except ValueError:
        print(a, n, "none")
`
	var specs []string
	for _, a := range arch.All() {
		for _, n := range sample {
			specs = append(specs, pyArch[a.Name]+":"+n)
		}
	}
	cmd := exec.Command(py, append([]string{"-c", script}, specs...)...)
	cmd.Stderr = new(strings.Builder)
	outb, err := cmd.Output()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("libseccomp via %s (CI must install python3-seccomp): %v %s", py, err, cmd.Stderr)
		}
		t.Skipf("libseccomp via %s unavailable: %v %s", py, err, cmd.Stderr)
	}
	byPy := map[string]string{}
	for k, v := range pyArch {
		byPy[v] = k
	}
	checked := 0
	for _, l := range strings.Split(strings.TrimSpace(string(outb)), "\n") {
		f := strings.Fields(l)
		if len(f) != 3 {
			t.Fatalf("python printed %q", l)
		}
		an, name := byPy[f[0]], f[1]
		theirs, err := strconv.ParseInt(f[2], 10, 64)
		out, _, code := runSyscallsCLI("--arch", an, name)
		if err != nil || theirs < 0 {
			// libseccomp does not have it on this arch: neither may we.
			if code != exitBad {
				t.Errorf("%s %s: libseccomp has no number (%s), cbpf printed %q", an, name, f[2], out)
			}
			continue
		}
		checked++
		if code != exitOK {
			t.Errorf("%s %s: libseccomp %d, cbpf exit %d", an, name, theirs, code)
			continue
		}
		// Either the first field (direct number or multiplexer), or the
		// multiplexer named after "also".
		fields := strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(out))
		want := strconv.FormatInt(theirs, 10)
		first := fields[0] == want
		also := len(fields) > 3 && fields[1] == "also" && fields[3] == want
		if !first && !also {
			t.Errorf("%s %s: libseccomp %d, cbpf %q", an, name, theirs, out)
		}
		// Number to name: libseccomp's number resolves back to the name
		// unless it is the multiplexer's.
		back, _, _ := runSyscallsCLI("--arch", an, want)
		if !also && !strings.Contains(out, "socketcall") && !strings.Contains(out, "ipc") && back != name+"\n" {
			t.Errorf("%s %d: cbpf says %q, want %s", an, theirs, back, name)
		}
	}
	t.Logf("checked %d names against libseccomp", checked)
	if checked < 150 {
		t.Errorf("only %d names checked against libseccomp", checked)
	}
}
