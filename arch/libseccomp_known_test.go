package arch

import (
	"bufio"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestKnownToLibseccompList keeps newerThanLibseccomp equal to the names
// testdata/known_differences.txt says libseccomp 2.5.4 lacks (which
// TestLibseccompTables checks against libseccomp itself).
func TestKnownToLibseccompList(t *testing.T) {
	f, err := os.Open("testdata/known_differences.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 4 || strings.HasPrefix(fs[0], "#") || fs[3] != "-" {
			continue
		}
		if fs[0] == "*" {
			want[fs[1]] = nil
		} else {
			want[fs[1]] = append(want[fs[1]], fs[0])
		}
	}
	if len(want) == 0 {
		t.Fatal("no entries read")
	}
	for name, arches := range want {
		got, ok := newerThanLibseccomp[name]
		sort.Strings(got)
		sort.Strings(arches)
		if !ok || strings.Join(got, ",") != strings.Join(arches, ",") {
			t.Errorf("%s: newerThanLibseccomp has %v (%v), known_differences.txt %v", name, got, ok, arches)
		}
	}
	for name := range newerThanLibseccomp {
		if _, ok := want[name]; !ok {
			t.Errorf("%s is in newerThanLibseccomp but not in known_differences.txt", name)
		}
	}
	x86, _ := Lookup("x86_64")
	rv, _ := Lookup("riscv64")
	if x86.KnownToLibseccomp("mseal") || !x86.KnownToLibseccomp("read") || x86.KnownToLibseccomp("uretprobe") || !rv.KnownToLibseccomp("uretprobe") || rv.KnownToLibseccomp("riscv_hwprobe") {
		t.Error("KnownToLibseccomp answers wrong")
	}
}
