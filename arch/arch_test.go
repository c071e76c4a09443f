package arch

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLookup(t *testing.T) {
	// Every name and alias, in the spellings users type.
	tests := []struct{ in, want string }{
		{"x86_64", "x86_64"}, {"amd64", "x86_64"}, {"X86_64", "x86_64"}, {"x86-64", "x86_64"}, {"x64", "x86_64"},
		{"SCMP_ARCH_X86_64", "x86_64"}, {"AUDIT_ARCH_X86_64", "x86_64"},
		{"0xc000003e", "x86_64"}, {"0XC000003E", "x86_64"}, {"3221225534", "x86_64"},
		{"x86", "x86"}, {"386", "x86"}, {"i386", "x86"}, {"i686", "x86"}, {"ia32", "x86"},
		{"SCMP_ARCH_X86", "x86"}, {"AUDIT_ARCH_I386", "x86"}, {"0x40000003", "x86"}, {"1073741827", "x86"},
		{"x32", "x32"}, {"SCMP_ARCH_X32", "x32"},
		{"arm", "arm"}, {"armhf", "arm"}, {"armel", "arm"}, {"armv7l", "arm"}, {"0x40000028", "arm"},
		{"aarch64", "aarch64"}, {"arm64", "aarch64"}, {"SCMP_ARCH_AARCH64", "aarch64"}, {"0xc00000b7", "aarch64"},
		{"loongarch64", "loongarch64"}, {"loong64", "loongarch64"}, {"0xc0000102", "loongarch64"},
		{"mips", "mips"}, {"8", "mips"}, {"0x8", "mips"},
		{"mipsel", "mipsel"}, {"mipsle", "mipsel"}, {"0x40000008", "mipsel"},
		{"mips64", "mips64"}, {"0x80000008", "mips64"},
		{"mipsel64", "mipsel64"}, {"mips64le", "mipsel64"}, {"mips64el", "mipsel64"}, {"SCMP_ARCH_MIPSEL64", "mipsel64"}, {"0xc0000008", "mipsel64"},
		{"ppc64", "ppc64"}, {"0x80000015", "ppc64"},
		{"ppc64le", "ppc64le"}, {"ppc64el", "ppc64le"}, {"0xc0000015", "ppc64le"},
		{"riscv64", "riscv64"}, {"0xc00000f3", "riscv64"},
		{"s390x", "s390x"}, {"S390X", "s390x"}, {"0x80000016", "s390x"},
		{" amd64 ", "x86_64"},
	}
	for _, tt := range tests {
		a, err := Lookup(tt.in)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tt.in, err)
			continue
		}
		if a.Name != tt.want {
			t.Errorf("Lookup(%q) = %s, want %s", tt.in, a.Name, tt.want)
		}
	}
	// Every name that Names advertises must work and give its own arch.
	for _, n := range Names() {
		if _, err := Lookup(n); err != nil {
			t.Errorf("Lookup(%q) from Names: %v", n, err)
		}
	}
	for _, a := range All() {
		if b, err := Lookup(a.Name); err != nil || b != a {
			t.Errorf("Lookup(%q) = %v, %v", a.Name, b, err)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `unknown arch ""; known arches: 386, aarch64,`},
		{"sparc64", `unknown arch "sparc64"; known arches: 386, aarch64,`},
		{"mips64n32", `unknown arch "mips64n32"`},
		{"0x12345678", `unknown AUDIT_ARCH value 0x12345678; known arches: 386,`},
		{"0xzz", `not an AUDIT_ARCH number`},
		{"99999999999", `not an AUDIT_ARCH number`},
		{"0xc000003e0", `not an AUDIT_ARCH number`},
	}
	for _, tt := range tests {
		a, err := Lookup(tt.in)
		if err == nil {
			t.Errorf("Lookup(%q) = %v, want error", tt.in, a)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Lookup(%q) error %q, want it to contain %q", tt.in, err, tt.want)
		}
		if strings.Contains(tt.want, "known arches") && !strings.Contains(err.Error(), "x86_64") {
			t.Errorf("Lookup(%q) error %q does not list x86_64", tt.in, err)
		}
	}
}

func TestByAudit(t *testing.T) {
	if a := ByAudit(0xc000003e); a == nil || a.Name != "x86_64" {
		t.Errorf("ByAudit(AUDIT_ARCH_X86_64) = %v, want x86_64 (not x32)", a)
	}
	if a := ByAudit(0); a != nil {
		t.Errorf("ByAudit(0) = %v, want nil", a)
	}
	for _, a := range All() {
		if a.Name == "x32" {
			continue
		}
		if b := ByAudit(a.Audit); b != a {
			t.Errorf("ByAudit(0x%08x) = %v, want %v", a.Audit, b, a)
		}
	}
}

func TestArchFields(t *testing.T) {
	// Independent facts: the AUDIT_ARCH values from include/uapi/linux/audit.h
	// as numbers, and word size and byte order of each ABI.
	type row struct {
		Name, GoArch string
		Audit        uint32
		Big          bool
		Bits         int
	}
	want := []row{
		{"aarch64", "arm64", 0xc00000b7, false, 64},
		{"arm", "arm", 0x40000028, false, 32},
		{"loongarch64", "loong64", 0xc0000102, false, 64},
		{"mips", "mips", 0x00000008, true, 32},
		{"mips64", "mips64", 0x80000008, true, 64},
		{"mipsel", "mipsle", 0x40000008, false, 32},
		{"mipsel64", "mips64le", 0xc0000008, false, 64},
		{"ppc64", "ppc64", 0x80000015, true, 64},
		{"ppc64le", "ppc64le", 0xc0000015, false, 64},
		{"riscv64", "riscv64", 0xc00000f3, false, 64},
		{"s390x", "s390x", 0x80000016, true, 64},
		{"x32", "", 0xc000003e, false, 32},
		{"x86", "386", 0x40000003, false, 32},
		{"x86_64", "amd64", 0xc000003e, false, 64},
	}
	var got []row
	for _, a := range All() {
		got = append(got, row{a.Name, a.GoArch, a.Audit, a.ByteOrder == binary.BigEndian, a.Bits})
		if a.ByteOrder != binary.BigEndian && a.ByteOrder != binary.LittleEndian {
			t.Errorf("%s: byte order %v", a.Name, a.ByteOrder)
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("All() mismatch (-want +got):\n%s", d)
	}
}

func TestHost(t *testing.T) {
	h := Host()
	if h == nil {
		if runtime.GOOS == "linux" {
			t.Fatalf("Host() = nil on linux/%s", runtime.GOARCH)
		}
		return
	}
	if h.GoArch != runtime.GOARCH {
		t.Errorf("Host() = %v (GoArch %s), runtime.GOARCH %s", h, h.GoArch, runtime.GOARCH)
	}
}

func TestArgOffset(t *testing.T) {
	x, _ := Lookup("x86_64")
	s, _ := Lookup("s390x")
	for i := 0; i < 6; i++ {
		base := uint32(16 + 8*i)
		if lo, hi := x.ArgOffset(i, false), x.ArgOffset(i, true); lo != base || hi != base+4 {
			t.Errorf("x86_64 arg %d: lo %d hi %d", i, lo, hi)
		}
		if lo, hi := s.ArgOffset(i, false), s.ArgOffset(i, true); lo != base+4 || hi != base {
			t.Errorf("s390x arg %d: lo %d hi %d", i, lo, hi)
		}
	}
}

// Spot checks from the kernel's syscall tables, independent of the
// generated files: well-known numbers and the naming traps.
func TestSyscallSpotChecks(t *testing.T) {
	tests := []struct {
		arch, name string
		nr         uint32
	}{
		{"x86_64", "read", 0}, {"x86_64", "execve", 59}, {"x86_64", "newfstatat", 262}, {"x86_64", "seccomp", 317},
		{"x86_64", "arch_prctl", 158}, {"x86_64", "clone3", 435},
		{"x32", "read", 0x40000000}, {"x32", "execve", 0x40000000 + 520}, {"x32", "ioctl", 0x40000000 + 514},
		{"x86", "socketcall", 102}, {"x86", "ipc", 117}, {"x86", "_llseek", 140}, {"x86", "_newselect", 142},
		{"x86", "fstatat64", 300}, {"x86", "socket", 359}, {"x86", "execve", 11}, {"x86", "mmap2", 192},
		{"arm", "breakpoint", 0x0f0001}, {"arm", "cacheflush", 0x0f0002}, {"arm", "set_tls", 0x0f0005},
		{"arm", "socket", 281}, {"arm", "fstatat64", 327}, {"arm", "arm_fadvise64_64", 270},
		{"aarch64", "newfstatat", 79}, {"aarch64", "openat", 56}, {"aarch64", "execve", 221},
		{"riscv64", "riscv_flush_icache", 259}, {"riscv64", "execve", 221},
		{"loongarch64", "execve", 221},
		{"mips", "syscall", 4000}, {"mips", "read", 4003}, {"mips", "socketcall", 4102}, {"mips", "socket", 4183},
		{"mipsel", "read", 4003},
		{"mips64", "read", 5000}, {"mips64", "execve", 5057}, {"mipsel64", "read", 5000},
		{"ppc64", "socketcall", 102}, {"ppc64", "socket", 326}, {"ppc64", "newfstatat", 291}, {"ppc64le", "execve", 11},
		{"s390x", "socketcall", 102}, {"s390x", "execve", 11}, {"s390x", "s390_runtime_instr", 342},
	}
	for _, tt := range tests {
		a, err := Lookup(tt.arch)
		if err != nil {
			t.Fatal(err)
		}
		if nr, ok := a.SyscallNumber(tt.name); !ok || nr != tt.nr {
			t.Errorf("%s.SyscallNumber(%q) = %d, %v; want %d", tt.arch, tt.name, nr, ok, tt.nr)
		}
		if n, ok := a.SyscallName(tt.nr); !ok || n != tt.name {
			t.Errorf("%s.SyscallName(%d) = %q, %v; want %q", tt.arch, tt.nr, n, ok, tt.name)
		}
	}
	// Calls an arch does not have.
	absent := []struct{ arch, name string }{
		{"x86_64", "socketcall"}, {"x86_64", "fstatat64"}, {"aarch64", "open"}, {"aarch64", "fstat64"},
		{"x86", "newfstatat"}, {"arm", "socketcall"}, {"x32", "ioctl_"}, {"riscv64", "renameat"},
	}
	for _, tt := range absent {
		a, _ := Lookup(tt.arch)
		if nr, ok := a.SyscallNumber(tt.name); ok {
			t.Errorf("%s.SyscallNumber(%q) = %d, want absent", tt.arch, tt.name, nr)
		}
	}
	// x32 does not have x86_64's "64"-only numbers.
	x32, _ := Lookup("x32")
	for _, nr := range []uint32{13, 16, 59, 101} {
		if n, ok := x32.SyscallName(X32SyscallBit | nr); ok {
			t.Errorf("x32.SyscallName(0x40000000|%d) = %q, want absent (x86_64-only number)", nr, n)
		}
	}
}

func TestTables(t *testing.T) {
	for _, a := range All() {
		t.Run(a.Name, func(t *testing.T) {
			list := a.Syscalls()
			if len(list) < 300 {
				t.Fatalf("only %d syscalls", len(list))
			}
			lo, hi := uint32(0), uint32(1000)
			switch a.Name {
			case "x32":
				lo, hi = X32SyscallBit, X32SyscallBit+1000
			case "mips", "mipsel":
				lo, hi = 4000, 5000
			case "mips64", "mipsel64":
				lo, hi = 5000, 6000
			}
			for i, s := range list {
				if i > 0 && s.Number <= list[i-1].Number {
					t.Errorf("not sorted by number: %v after %v", s, list[i-1])
				}
				inRange := s.Number >= lo && s.Number < hi
				if a.Name == "arm" && s.Number >= 0x0f0001 && s.Number <= 0x0f0006 {
					inRange = true
				}
				if !inRange {
					t.Errorf("%s = %d outside [%d, %d)", s.Name, s.Number, lo, hi)
				}
				if (a.Name == "x32") != (s.Number&X32SyscallBit != 0) {
					t.Errorf("%s = 0x%x: x32 bit wrong", s.Name, s.Number)
				}
				// Round trip name -> number -> name.
				nr, ok := a.SyscallNumber(s.Name)
				if !ok || nr != s.Number {
					t.Errorf("SyscallNumber(%q) = %d, %v; want %d", s.Name, nr, ok, s.Number)
				}
				if n, ok := a.SyscallName(nr); !ok || n != s.Name {
					t.Errorf("SyscallName(%d) = %q, %v; want %q", nr, n, ok, s.Name)
				}
				if s.Name == "" || strings.ToLower(s.Name) != s.Name || strings.ContainsAny(s.Name, " \t") {
					t.Errorf("bad name %q", s.Name)
				}
			}
			// Syscalls returns a copy.
			list[0].Name = "changed"
			if a.Syscalls()[0].Name == "changed" {
				t.Error("Syscalls returned the table itself")
			}
		})
	}
}

func TestMultiplexed(t *testing.T) {
	type res struct {
		Mux  string
		Call int
		OK   bool
	}
	tests := []struct {
		arch, name string
		want       res
	}{
		{"x86", "socket", res{"socketcall", 1, true}},
		{"x86", "sendmmsg", res{"socketcall", 20, true}},
		{"x86", "send", res{"socketcall", 9, true}},
		{"x86", "shmget", res{"ipc", 23, true}},
		{"x86", "semtimedop", res{"ipc", 4, true}},
		{"mips", "connect", res{"socketcall", 3, true}},
		{"ppc64le", "msgrcv", res{"ipc", 12, true}},
		{"s390x", "accept4", res{"socketcall", 18, true}},
		{"x86_64", "socket", res{}},
		{"aarch64", "shmget", res{}},
		{"arm", "socket", res{}}, // EABI: socketcall is OABI only
		{"x32", "socket", res{}},
		{"mips64", "socket", res{}},
		{"x86", "read", res{}},
	}
	for _, tt := range tests {
		a, _ := Lookup(tt.arch)
		m, c, ok := a.Multiplexed(tt.name)
		if d := cmp.Diff(tt.want, res{m, c, ok}); d != "" {
			t.Errorf("%s.Multiplexed(%q) (-want +got):\n%s", tt.arch, tt.name, d)
		}
		if ok {
			if n, ok := a.Demultiplex(m, c); !ok || n != tt.name {
				t.Errorf("%s.Demultiplex(%q, %d) = %q, %v", tt.arch, m, c, n, ok)
			}
		}
	}
	x86, _ := Lookup("x86")
	if got := x86.MultiplexedCalls(IPC); !cmp.Equal(got, []string{"semop", "semget", "semctl", "semtimedop", "msgsnd", "msgrcv", "msgget", "msgctl", "shmat", "shmdt", "shmget", "shmctl"}) {
		t.Errorf("x86 ipc calls = %v", got)
	}
	if got := x86.MultiplexedCalls(Socketcall); len(got) != 20 || got[0] != "socket" || got[19] != "sendmmsg" {
		t.Errorf("x86 socketcalls = %v", got)
	}
	amd, _ := Lookup("amd64")
	if got := amd.MultiplexedCalls(Socketcall); got != nil {
		t.Errorf("x86_64 socketcalls = %v, want nil", got)
	}
	if _, ok := x86.Demultiplex("socketcall", 21); ok {
		t.Error("Demultiplex(socketcall, 21) found a call")
	}
	if _, ok := x86.Demultiplex("bogus", 1); ok {
		t.Error("Demultiplex(bogus, 1) found a call")
	}
}

// TestGenerate checks that "go generate" reproduces tables/ byte for byte.
func TestGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run")
	}
	const header = "/usr/include/x86_64-linux-gnu/asm/unistd_x32.h"
	if _, err := os.Stat(header); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v: CI must install linux-libc-dev (amd64)", err)
		}
		t.Skipf("%v", err)
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is not on PATH: %v", err)
	}
	dir := t.TempDir()
	cmd := exec.Command(gobin, "run", "./internal/gen", "-o", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./internal/gen: %v\n%s", err, out)
	}
	want, _ := filepath.Glob("tables/*.txt")
	got, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(want) != len(got) {
		t.Fatalf("generated %d tables, committed %d", len(got), len(want))
	}
	for _, w := range want {
		wb, _ := os.ReadFile(w)
		gb, err := os.ReadFile(filepath.Join(dir, filepath.Base(w)))
		if err != nil {
			t.Errorf("%s not generated: %v", w, err)
			continue
		}
		if !bytes.Equal(wb, gb) {
			t.Errorf("%s differs from the generator's output (run go generate ./arch/):\n%s", w, cmp.Diff(string(wb), string(gb)))
		}
	}
}

// FuzzLookup checks that any input gives an arch or an error, never a panic.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"amd64", "0xc000003e", "386", "", "0x", "SCMP_ARCH_", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Lookup(s)
		if (a == nil) == (err == nil) {
			t.Fatalf("Lookup(%q) = %v, %v", s, a, err)
		}
	})
}

func BenchmarkSyscallNumber(b *testing.B) {
	a, _ := Lookup("x86_64")
	for b.Loop() {
		a.SyscallNumber("newfstatat")
	}
}

func BenchmarkSyscallName(b *testing.B) {
	a, _ := Lookup("x86_64")
	for b.Loop() {
		a.SyscallName(262)
	}
}

func BenchmarkLookup(b *testing.B) {
	for b.Loop() {
		Lookup("mips64el")
	}
}

func TestExemptNamesMatchTable(t *testing.T) {
	for name, m := range exemptions {
		a, err := Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		for nr, e := range m {
			if got, _ := a.SyscallName(nr); got != e.Name {
				t.Errorf("%s %d: table says %q, exemption %q", name, nr, got, e.Name)
			}
		}
	}
	x32, _ := Lookup("x32")
	if _, ok := x32.Exempt(335 | X32SyscallBit); ok {
		t.Error("x32 has no exemption")
	}
}
