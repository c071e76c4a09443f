package verify

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/policy"
)

// The lints on filters from several generators (testdata/lints/README):
// what each must report, and what it must not (the false positives of
// issue 9: x32-bypass on libseccomp deny-lists, arg-half on firejail's
// personality test and on Tor's test of openat's dirfd, an int whose low
// word is all the kernel reads).

type realCase struct {
	name string
	prog func(t *testing.T) []bpf.RawInstruction
	// want counts the diagnostics of each code; -1: at least one.
	want  map[string]int
	check func(t *testing.T, p []bpf.RawInstruction, ds []Diagnostic)
}

func fromFile(name string) func(t *testing.T) []bpf.RawInstruction {
	return func(t *testing.T) []bpf.RawInstruction { return loadDDD(t, name) }
}

// compiled compiles testdata/lints/cbpf_service.policy now, so that the
// lints are tried on what the compiler emits today, not only on the
// committed output.
func compiled(x32Low bool) func(t *testing.T) []bpf.RawInstruction {
	return func(t *testing.T) []bpf.RawInstruction {
		src, err := os.ReadFile(filepath.Join("testdata", "lints", "cbpf_service.policy"))
		if err != nil {
			t.Fatal(err)
		}
		return compileText(t, "cbpf_service.policy", string(src), x32Low)
	}
}

// compiledSrc compiles a policy given as text.
func compiledSrc(src string, x32Low bool) func(t *testing.T) []bpf.RawInstruction {
	return func(t *testing.T) []bpf.RawInstruction { return compileText(t, "inline.policy", src, x32Low) }
}

func compileText(t *testing.T, name, src string, x32Low bool) []bpf.RawInstruction {
	t.Helper()
	p, _, err := policy.ParseText(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p.X32LowWord = x32Low
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

// wideSrc tests 64-bit arguments (lseek's offset, mmap's length) next to
// ints (lseek's fd and whence).
const wideSrc = `default errno(EPERM)
arch x86_64 x32
lseek: arg0 == 3 && arg1 == 0 && arg2 <= 2
mmap: arg1 <= 0x10000
`

// argsOf checks that every arg-half finding is about one of the listed
// arguments ("lseek 1").
func argsOf(want ...string) func(t *testing.T, _ []bpf.RawInstruction, ds []Diagnostic) {
	return func(t *testing.T, _ []bpf.RawInstruction, ds []Diagnostic) {
		seen := map[string]bool{}
		for _, d := range ds {
			if d.Code != LintArgHalf {
				continue
			}
			a, b := d.Witness[0].Input, d.Witness[1].Input
			i := -1
			for k := range a.Args {
				if a.Args[k] != b.Args[k] {
					i = k
				}
			}
			name, _ := callArch(a.Arch, uint32(a.Nr)).SyscallName(uint32(a.Nr))
			got := fmt.Sprintf("%s %d", name, i)
			if !slices.Contains(want, got) {
				t.Errorf("arg-half on %s, want one of %q: %v", got, want, d)
			}
			seen[got] = true
		}
		for _, w := range want {
			if !seen[w] {
				t.Errorf("no arg-half on %s", w)
			}
		}
	}
}

// onlyX32 checks that every arg-half finding is about an x32 call: the
// filter tests the other ABIs' arguments on both words.
func onlyX32(t *testing.T, _ []bpf.RawInstruction, ds []Diagnostic) {
	for _, d := range ds {
		if d.Code == LintArgHalf && uint32(d.Witness[0].Input.Nr)&arch.X32SyscallBit == 0 {
			t.Errorf("arg-half on a call other than x32: %v", d)
		}
	}
}

var realCases = []realCase{
	{"qemu_like", fromFile("lints/qemu_like.ddd"), nil, nil},
	// Tor compares openat's dirfd (an int) with AT_FDCWD on its low word:
	// exactly what the call reads, so nothing to say.
	{"tor_like", fromFile("lints/tor_like.ddd"), map[string]int{}, nil},
	{"big_allowlist", fromFile("lints/big_allowlist.ddd"), map[string]int{LintArgHalf: -1, LintUnreachable: 1}, onlyX32},
	{"firejail_main", fromFile("lints/firejail_main.ddd"), map[string]int{LintForeignArch: 1},
		func(t *testing.T, p []bpf.RawInstruction, ds []Diagnostic) {
			for _, d := range ds {
				if d.PC != 2 || d.Witness[0].Input.Arch != 0x40000003 {
					t.Errorf("want i386 calls reaching the ALLOW at 2: %v", d)
				}
			}
		}},
	{"firejail_block", fromFile("lints/firejail_block.ddd"), nil, nil},
	{"firejail_block, ERRNO for other domains", func(t *testing.T) []bpf.RawInstruction {
		p := loadDDD(t, "lints/firejail_block.ddd")
		i := slices.Index(p, retK(kill))
		if i < 0 {
			t.Fatal("no KILL_PROCESS in firejail_block.ddd")
		}
		p[i] = retK(errno)
		return p
	}, nil, nil},
	{"cbpf_service", fromFile("lints/cbpf_service.ddd"), map[string]int{}, nil},
	// Every argument cbpf_service tests is an int: x32's low words are
	// all its calls read.
	{"cbpf_service_x32low", fromFile("lints/cbpf_service_x32low.ddd"), map[string]int{}, nil},
	{"cbpf_service compiled now", compiled(false), map[string]int{}, nil},
	{"cbpf_service compiled now, x32 low word", compiled(true), map[string]int{}, nil},
	{"64-bit arguments", compiledSrc(wideSrc, false), map[string]int{}, nil},
	{"64-bit arguments, x32 low word", compiledSrc(wideSrc, true), map[string]int{LintArgHalf: 2},
		func(t *testing.T, p []bpf.RawInstruction, ds []Diagnostic) {
			onlyX32(t, p, ds)
			argsOf("lseek 1", "mmap 1")(t, p, ds)
		}},
	{"docker_like", fromFile("docker_like.ddd"), map[string]int{LintUnreachable: 1}, nil},
}

func TestLintRealFilters(t *testing.T) {
	for _, c := range realCases {
		t.Run(c.name, func(t *testing.T) {
			p := c.prog(t)
			ds := LintProgram(p, Seccomp)
			got := map[string]int{}
			for _, d := range ds {
				got[d.Code]++
			}
			for code, n := range got {
				if w := c.want[code]; w != n && !(w == -1 && n > 0) {
					t.Errorf("%d %s, want %d", n, code, w)
				}
			}
			for code, w := range c.want {
				if got[code] == 0 && w != 0 {
					t.Errorf("no %s, want %d", code, w)
				}
			}
			if t.Failed() {
				for _, d := range ds {
					t.Log(d)
				}
			}
			checkWitnesses(t, p, ds)
			if c.check != nil {
				c.check(t, p, ds)
			}
		})
	}
}

// TestLintTestdataFresh regenerates gen.py's filters with libseccomp and
// compares them with the committed ones.
func TestLintTestdataFresh(t *testing.T) {
	py := testenv.Libseccomp(t)
	dir := t.TempDir()
	if out, err := exec.Command(py, filepath.Join("testdata", "lints", "gen.py"), dir).CombinedOutput(); err != nil {
		t.Fatalf("gen.py: %v\n%s", err, out)
	}
	for _, name := range []string{"qemu_like.ddd", "tor_like.ddd", "big_allowlist.ddd", "firejail_main.ddd", "firejail_block.ddd"} {
		fresh, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(filepath.Join("testdata", "lints", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fresh, committed) {
			t.Errorf("testdata/lints/%s differs from what gen.py makes now; run /usr/bin/python3 gen.py . in testdata/lints", name)
		}
	}
}
