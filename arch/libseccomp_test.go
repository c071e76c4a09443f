package arch

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// libseccomp is what testdata/libseccomp_dump.py reports of libseccomp's
// tables (python3-seccomp, the second, independent source of the tables).
type libseccomp struct {
	audit    map[string]uint32            // arch -> AUDIT_ARCH
	byName   map[string]map[string]uint32 // arch -> name -> number, from resolving numbers
	resolved map[string]map[string]int64  // arch -> name -> seccomp_syscall_resolve_name_arch
}

// The names whose resolution by name the tests check.
var resolveNames = func() []string {
	var ns []string
	for n := range socketcalls {
		ns = append(ns, n)
	}
	for n := range ipcCalls {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return append(ns, "socketcall", "ipc")
}()

var (
	lsOnce sync.Once
	lsData *libseccomp
	lsErr  error
)

// loadLibseccomp runs the dump script once. When python3-seccomp is
// missing the test fails on CI (env CI set) and is skipped elsewhere.
func loadLibseccomp(t *testing.T) *libseccomp {
	t.Helper()
	lsOnce.Do(func() { lsData, lsErr = runLibseccomp() })
	if lsErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("libseccomp oracle unavailable (CI must install python3-seccomp): %v", lsErr)
		}
		t.Skipf("libseccomp oracle unavailable (install python3-seccomp): %v", lsErr)
	}
	return lsData
}

// pythonWithSeccomp is Debian's python, which python3-seccomp installs
// into (a python3 earlier on PATH, such as pyenv's, lacks the module).
const pythonWithSeccomp = "/usr/bin/python3"

func runLibseccomp() (*libseccomp, error) {
	cmd := exec.Command(pythonWithSeccomp, append([]string{"testdata/libseccomp_dump.py"}, resolveNames...)...)
	cmd.Stderr = new(strings.Builder)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s testdata/libseccomp_dump.py: %v: %s", pythonWithSeccomp, err, cmd.Stderr)
	}
	ls := &libseccomp{audit: map[string]uint32{}, byName: map[string]map[string]uint32{}, resolved: map[string]map[string]int64{}}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		bad := fmt.Errorf("libseccomp_dump.py: bad line %q", sc.Text())
		switch {
		case len(f) == 3 && f[0] == "A":
			v, err := strconv.ParseUint(f[2], 10, 32)
			if err != nil {
				return nil, bad
			}
			ls.audit[f[1]] = uint32(v)
			ls.byName[f[1]] = map[string]uint32{}
			ls.resolved[f[1]] = map[string]int64{}
		case len(f) == 4 && f[0] == "E" && ls.byName[f[1]] != nil:
			v, err := strconv.ParseUint(f[2], 10, 32)
			if err != nil {
				return nil, bad
			}
			ls.byName[f[1]][f[3]] = uint32(v)
		case len(f) == 4 && f[0] == "R" && ls.resolved[f[1]] != nil:
			v, err := strconv.ParseInt(f[3], 10, 64)
			if err != nil {
				return nil, bad
			}
			ls.resolved[f[1]][f[2]] = v
		default:
			return nil, bad
		}
	}
	if len(ls.audit) == 0 {
		return nil, fmt.Errorf("libseccomp_dump.py printed no arches")
	}
	return ls, nil
}

// knownDifference is one line of testdata/known_differences.txt.
type knownDifference struct {
	line                     int
	arch, name, ours, theirs string // arch and ours may be "*"
	reason                   string
	used                     bool
}

func readKnownDifferences(t *testing.T) []*knownDifference {
	t.Helper()
	b, err := os.ReadFile("testdata/known_differences.txt")
	if err != nil {
		t.Fatal(err)
	}
	var ds []*knownDifference
	for i, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l == "" || l[0] == '#' {
			continue
		}
		f := strings.Fields(l)
		if len(f) < 5 {
			t.Fatalf("known_differences.txt:%d: want \"arch name ours libseccomp reason...\", got %q", i+1, l)
		}
		ds = append(ds, &knownDifference{line: i + 1, arch: f[0], name: f[1], ours: f[2], theirs: f[3], reason: strings.Join(f[4:], " ")})
	}
	return ds
}

func (d *knownDifference) matches(arch, name, ours, theirs string) bool {
	return (d.arch == "*" || d.arch == arch) && d.name == name &&
		(d.ours == "*" || d.ours == ours) && d.theirs == theirs
}

// TestLibseccompTables compares every table with libseccomp's, both ways:
// each name either has the same number in both or is listed, with a reason,
// in testdata/known_differences.txt. Stale entries in that list fail too.
func TestLibseccompTables(t *testing.T) {
	ls := loadLibseccomp(t)
	known := readKnownDifferences(t)
	num := func(v uint32, ok bool) string {
		if !ok {
			return "-"
		}
		return strconv.FormatUint(uint64(v), 10)
	}
	compared := 0
	for _, a := range All() {
		theirs, ok := ls.byName[a.Name]
		if !ok {
			t.Logf("%s: libseccomp does not know this arch; not compared", a.Name)
			continue
		}
		compared++
		want := a.Audit
		if a.Name == "x32" {
			// libseccomp's SCMP_ARCH_X32 token is EM_X86_64|__AUDIT_ARCH_LE
			// without the 64-bit flag; the kernel reports x32 calls with
			// AUDIT_ARCH_X86_64, which is what Audit holds.
			want = 0x4000003e
		}
		if ls.audit[a.Name] != want {
			t.Errorf("%s: AUDIT_ARCH 0x%08x, libseccomp says 0x%08x", a.Name, a.Audit, ls.audit[a.Name])
		}
		names := map[string]bool{}
		for _, s := range a.Syscalls() {
			names[s.Name] = true
		}
		for n := range theirs {
			names[n] = true
		}
		for n := range names {
			o := num(a.SyscallNumber(n))
			v, ok := theirs[n]
			l := num(v, ok)
			if o == l {
				continue
			}
			found := false
			for _, d := range known {
				if d.matches(a.Name, n, o, l) {
					d.used, found = true, true
				}
			}
			if !found {
				t.Errorf("%s %s: ours %s, libseccomp %s: not in testdata/known_differences.txt", a.Name, n, o, l)
			}
		}
	}
	if compared < 12 {
		t.Errorf("compared only %d arches with libseccomp", compared)
	}
	for _, d := range known {
		if !d.used {
			t.Errorf("known_differences.txt:%d: %s %s %s %s never occurs; remove it", d.line, d.arch, d.name, d.ours, d.theirs)
		}
	}
}

// TestLibseccompMultiplexed checks Multiplexed against libseccomp's name
// resolution, which maps a socket or IPC call name to the multiplexer's
// number wherever the arch has one.
func TestLibseccompMultiplexed(t *testing.T) {
	ls := loadLibseccomp(t)
	for _, a := range All() {
		res, ok := ls.resolved[a.Name]
		if !ok {
			continue
		}
		for _, n := range resolveNames {
			got, ok := res[n]
			if !ok {
				t.Errorf("%s %s: libseccomp did not resolve it", a.Name, n)
				continue
			}
			var want int64 = -1 // any negative: libseccomp's pseudo-number for a missing call
			if mux, _, ok := a.Multiplexed(n); ok {
				nr, _ := a.SyscallNumber(mux)
				want = int64(nr)
			} else if nr, ok := a.SyscallNumber(n); ok {
				want = int64(nr)
			}
			if want != got && (want >= 0 || got >= 0) {
				t.Errorf("%s %s: libseccomp resolves it to %d, ours (Multiplexed, else SyscallNumber) %d", a.Name, n, got, want)
			}
		}
	}
}

// TestDockerDefaultProfile checks that every name in Docker's default
// profile resolves on x86_64 and aarch64 unless the arch lacks the call.
// Which calls they lack is pinned in testdata/docker_absent.txt and checked
// against libseccomp when it is available.
func TestDockerDefaultProfile(t *testing.T) {
	names := readLines(t, "testdata/docker_default_names.txt")
	if len(names) < 400 {
		t.Fatalf("only %d names in docker_default_names.txt", len(names))
	}
	wantAbsent := map[string]bool{}
	for _, l := range readLines(t, "testdata/docker_absent.txt") {
		wantAbsent[l] = true
	}
	var got []string
	for _, an := range []string{"x86_64", "aarch64"} {
		a, _ := Lookup(an)
		for _, n := range names {
			_, ok := a.SyscallNumber(n)
			_, _, mux := a.Multiplexed(n)
			if !ok && !mux {
				got = append(got, an+" "+n)
			}
		}
	}
	for _, g := range got {
		if !wantAbsent[g] {
			t.Errorf("Docker default profile: %s does not resolve", g)
		}
		delete(wantAbsent, g)
	}
	for w := range wantAbsent {
		t.Errorf("docker_absent.txt: %s resolves now; remove the line", w)
	}
	if _, err := exec.LookPath(pythonWithSeccomp); err != nil && os.Getenv("CI") == "" {
		return
	}
	ls := loadLibseccomp(t)
	for _, g := range got {
		an, n, _ := strings.Cut(g, " ")
		if nr, ok := ls.byName[an][n]; ok {
			t.Errorf("%s %s: absent here, libseccomp has %d", an, n, nr)
		}
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ls []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && l[0] != '#' {
			ls = append(ls, l)
		}
	}
	return ls
}
