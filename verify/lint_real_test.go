package verify

import (
	"bytes"
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
// personality test and at the wrong comparison in Tor's filter).

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
		p, _, err := policy.ParseText("cbpf_service.policy", src)
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
	{"tor_like", fromFile("lints/tor_like.ddd"), map[string]int{LintArgHalf: 1},
		func(t *testing.T, p []bpf.RawInstruction, ds []Diagnostic) {
			// The comparison of openat's dirfd with AT_FDCWD, low word.
			want := slices.IndexFunc(p, func(in bpf.RawInstruction) bool { return in.Op == 0x15 && in.K == 0xffffff9c })
			for _, d := range ds {
				if d.Code == LintArgHalf && (d.Pc != want || d.Witness[0].Input.Nr != 257) {
					t.Errorf("arg-half at %d for nr %d, want openat's test at %d: %v", d.Pc, d.Witness[0].Input.Nr, want, d)
				}
			}
		}},
	{"big_allowlist", fromFile("lints/big_allowlist.ddd"), map[string]int{LintArgHalf: -1, LintUnreachable: 1}, onlyX32},
	{"firejail_main", fromFile("lints/firejail_main.ddd"), map[string]int{LintForeignArch: 1},
		func(t *testing.T, p []bpf.RawInstruction, ds []Diagnostic) {
			for _, d := range ds {
				if d.Pc != 2 || d.Witness[0].Input.Arch != 0x40000003 {
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
	{"cbpf_service_x32low", fromFile("lints/cbpf_service_x32low.ddd"), map[string]int{LintArgHalf: -1}, onlyX32},
	{"cbpf_service compiled now", compiled(false), map[string]int{}, nil},
	{"cbpf_service compiled now, x32 low word", compiled(true), map[string]int{LintArgHalf: -1}, onlyX32},
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
