package verify

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/vm"
)

// Explain on filters that compute on nr, arch and arguments, "ret a",
// and syscalls the kernel never filters.

func decision(t *testing.T, ex *Explanation, name string) Decision {
	t.Helper()
	for _, d := range ex.Syscalls {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no decision for %s", name)
	return Decision{}
}

// agreesWithVM checks the lines of ex on calls with the given numbers and
// argument vectors.
func agreesWithVM(t *testing.T, prog []bpf.RawInstruction, a *arch.Arch, ex *Explanation, nrs []uint32, args [][6]uint64) {
	t.Helper()
	m := mustVM(t, prog)
	byNr := map[uint32]Decision{}
	for _, d := range ex.Syscalls {
		byNr[d.Nr] = d
	}
	for _, nr := range nrs {
		cases, line := ex.Other, "other numbers"
		if d, ok := byNr[nr]; ok {
			cases, line = d.Cases, d.String()
		} else if nr&0x40000000 != 0 && len(ex.X32) > 0 {
			cases, line = ex.X32, "x32"
		}
		for _, as := range args {
			d := vm.SeccompData{Nr: int32(nr), Arch: a.Audit, Args: as}
			w := dataWords(d)
			if got, want := explainedReturn(t, cases, w), m.RunSeccomp(d).Ret; got != want {
				t.Errorf("%s: nr %d args %x: explain says %#x, VM returns %#x", line, nr, as, got, want)
			}
		}
	}
}

func TestExplainIssue9(t *testing.T) {
	x86 := archNamed(t, "x86_64")
	errno := func(n uint32) bpf.RawInstruction { return retK(0x50000 | n) }
	const allow = 0x7fff0000
	tests := []struct {
		name string
		prog []bpf.RawInstruction
		// lines: syscall name (or "other numbers", "x32") => the line.
		lines map[string]string
		nrs   []uint32
	}{{
		name: "add on nr",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 0), ins(0x04, 0, 0, 1), ins(0x15, 0, 1, 1001), errno(6), errno(5)},
		lines: map[string]string{
			"read":          "read: ERRNO(5)",
			"other numbers": "other numbers: ERRNO(6) if nr == 1000; else ERRNO(5)",
			"x32":           "x32 (nr | 0x40000000): ERRNO(5)",
		},
		nrs: []uint32{0, 1, 999, 1000, 1001, 0x40000000 | 1000},
	}, {
		name: "or #0 on nr",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 0), ins(0x44, 0, 0, 0), ins(0x15, 0, 1, 59), retK(0), retK(allow)},
		lines: map[string]string{
			"read":   "read: ALLOW",
			"execve": "execve: KILL_THREAD",
		},
		nrs: []uint32{0, 59, 60, 1000},
	}, {
		name: "an invertible computation on an argument",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x04, 0, 0, 3), ins(0x15, 0, 1, 4), errno(6), errno(5)},
		lines: map[string]string{
			"read": "read: ERRNO(6) if (u32)args[0] == 1; else ERRNO(5)",
		},
		nrs: []uint32{0},
	}, {
		name: "a shift on an argument",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x64, 0, 0, 2), ins(0x25, 0, 1, 100), errno(6), errno(5)},
		lines: map[string]string{
			"read": "read: ERRNO(6) if (u32)args[0] << 2 > 100; else ERRNO(5)",
		},
		nrs: []uint32{0},
	}, {
		name: "a condition that never holds",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 24), ins(0x44, 0, 0, 1), ins(0x54, 0, 0, 1), ins(0x15, 0, 1, 0), errno(6), errno(5)},
		lines: map[string]string{
			"read": "read: ERRNO(6) if (((u32)args[1] | 1) & 1) == 0; else ERRNO(5) (approximate: the filter computes on args[1]; explain cannot tell whether ERRNO(6) ever happens)",
		},
		nrs: []uint32{0},
	}, {
		name: "a condition on nr the solver cannot decide",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 0), ins(0x44, 0, 0, 1), ins(0x54, 0, 0, 1), ins(0x15, 0, 1, 0), errno(6), errno(5)},
		lines: map[string]string{
			"read":          "read: ERRNO(5)",
			"other numbers": "other numbers: ERRNO(6) if ((nr | 1) & 1) == 0; else ERRNO(5) (approximate: the filter computes on nr; explain cannot tell whether ERRNO(6) ever happens)",
		},
		nrs: []uint32{0, 1000, 1001},
	}, {
		name: "ret a of a computed value",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x54, 0, 0, 0xfff), ins(0x44, 0, 0, 0x50000), ins(0x16, 0, 0, 0)},
		lines: map[string]string{
			"read": "read: returns ((u32)args[0] & 0xfff) | 0x50000",
		},
		nrs: []uint32{0},
	}, {
		name: "ret a of nr",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 0), ins(0x44, 0, 0, 0x50000), ins(0x16, 0, 0, 0)},
		lines: map[string]string{
			"write":         "write: ERRNO(1)",
			"other numbers": "other numbers: returns nr | 0x50000",
		},
		nrs: []uint32{1, 2, 1000},
	}, {
		name: "division by X = 0 ends the program with 0",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 24), ins(0x07, 0, 0, 0), ins(0x20, 0, 0, 16), ins(0x3c, 0, 0, 0), ins(0x15, 0, 1, 2), errno(6), errno(5)},
		lines: map[string]string{
			"read": "read: KILL_THREAD if (u32)args[1] == 0; ERRNO(6) if (u32)args[1] != 0 && (u32)args[0] / (u32)args[1] == 2; else ERRNO(5)",
		},
		nrs: []uint32{0},
	}, {
		name: "shift by X counts modulo 32",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x07, 0, 0, 0), ins(0x00, 0, 0, 1), ins(0x6c, 0, 0, 0), ins(0x15, 0, 1, 2), errno(6), errno(5)},
		lines: map[string]string{
			"read": "read: ERRNO(6) if 1 << ((u32)args[0] & 31) == 2; else ERRNO(5)",
		},
		nrs: []uint32{0},
	}, {
		name: "shift by a constant X of 44 is a shift by 12",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x01, 0, 0, 44), ins(0x6c, 0, 0, 0), ins(0x15, 0, 1, 0x1000), errno(6), errno(5)},
		lines: map[string]string{
			"read": "read: ERRNO(6) if (u32)args[0] << 12 == 0x1000; else ERRNO(5)",
		},
		nrs: []uint32{0},
	}, {
		name: "nr through M[], len and X",
		prog: []bpf.RawInstruction{
			ins(0x20, 0, 0, 0), ins(0x02, 0, 0, 3), ins(0x80, 0, 0, 0), ins(0x61, 0, 0, 3), // ld nr; st M[3]; ld len; ldx M[3]
			ins(0x0c, 0, 0, 0), ins(0x15, 0, 1, 64+59), retK(0), retK(allow), // add x; jeq #123
		},
		lines: map[string]string{
			"execve":        "execve: KILL_THREAD",
			"read":          "read: ALLOW",
			"other numbers": "other numbers: ALLOW",
		},
		nrs: []uint32{0, 59, 123},
	}, {
		name: "computing on arch",
		prog: []bpf.RawInstruction{ins(0x20, 0, 0, 4), ins(0xa4, 0, 0, auditX86_64), ins(0x15, 1, 0, 0), retK(0), retK(allow)},
		lines: map[string]string{
			"read":          "read: ALLOW",
			"other numbers": "other numbers: ALLOW",
		},
		nrs: []uint32{0, 1000},
	}, {
		name: "a masked test pins bits read again",
		prog: []bpf.RawInstruction{
			ins(0x20, 0, 0, 16), ins(0x54, 0, 0, 0xff00), ins(0x15, 0, 3, 0x1200), // (args[0] & 0xff00) == 0x1200?
			ins(0x20, 0, 0, 16), ins(0x54, 0, 0, 0x0f00), ins(0x16, 0, 0, 0), // ret (args[0] & 0xf00): 0x200
			errno(5),
		},
		lines: map[string]string{
			"read": "read: KILL_THREAD if (args[0] & 0xff00) == 0x1200; else ERRNO(5)",
		},
		nrs: []uint32{0},
	}, {
		name:  "a constant minus an argument",
		prog:  []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x07, 0, 0, 0), ins(0x00, 0, 0, 10), ins(0x1c, 0, 0, 0), ins(0x15, 0, 1, 3), errno(6), errno(5)},
		lines: map[string]string{"read": "read: ERRNO(6) if (u32)args[0] == 7; else ERRNO(5)"},
		nrs:   []uint32{0},
	}, {
		name:  "a constant above an argument",
		prog:  []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x07, 0, 0, 0), ins(0x00, 0, 0, 10), ins(0x2d, 0, 1, 0), errno(6), errno(5)},
		lines: map[string]string{"read": "read: ERRNO(6) if (u32)args[0] <= 9; else ERRNO(5)"},
		nrs:   []uint32{0},
	}, {
		name:  "a constant at least an argument",
		prog:  []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x07, 0, 0, 0), ins(0x00, 0, 0, 10), ins(0x3d, 0, 1, 0), errno(6), errno(5)},
		lines: map[string]string{"read": "read: ERRNO(5) if (u32)args[0] >= 11; else ERRNO(6)"},
		nrs:   []uint32{0},
	}, {
		name:  "0 above an argument",
		prog:  []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x07, 0, 0, 0), ins(0x00, 0, 0, 0), ins(0x2d, 0, 1, 0), errno(6), errno(5)},
		lines: map[string]string{"read": "read: ERRNO(5)"},
		nrs:   []uint32{0},
	}, {
		name:  "a value against itself",
		prog:  []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x04, 0, 0, 1), ins(0x07, 0, 0, 0), ins(0x1d, 0, 1, 0), ins(0x2d, 1, 0, 0), errno(6), errno(5)},
		lines: map[string]string{"read": "read: ERRNO(6)"},
		nrs:   []uint32{0},
	}, {
		name:  "neg",
		prog:  []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x84, 0, 0, 0), ins(0x25, 0, 1, 5), errno(6), errno(5)},
		lines: map[string]string{"read": "read: ERRNO(6) if -(u32)args[0] > 5; else ERRNO(5)"},
		nrs:   []uint32{0},
	}, {
		name:  "neg neg",
		prog:  []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x84, 0, 0, 0), ins(0x84, 0, 0, 0), ins(0x25, 0, 1, 5), errno(6), errno(5)},
		lines: map[string]string{"read": "read: ERRNO(5) if (u32)args[0] <= 5; else ERRNO(6)"},
		nrs:   []uint32{0},
	}, {
		name: "two divisions by different X",
		prog: []bpf.RawInstruction{
			ins(0x20, 0, 0, 24), ins(0x07, 0, 0, 0), ins(0x20, 0, 0, 16), ins(0x3c, 0, 0, 0), ins(0x02, 0, 0, 0), // A = args[0] / args[1]
			ins(0x20, 0, 0, 32), ins(0x07, 0, 0, 0), ins(0x60, 0, 0, 0), ins(0x3c, 0, 0, 0), ins(0x16, 0, 0, 0), // ret A / args[2]
		},
		lines: map[string]string{"read": "read: returns ((u32)args[0] / (u32)args[1]) / (u32)args[2] if (u32)args[1] != 0 && (u32)args[2] != 0; else KILL_THREAD"},
		nrs:   []uint32{0},
	}, {
		name:  "the same computed test twice",
		prog:  []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x64, 0, 0, 1), ins(0x15, 0, 1, 8), errno(6), ins(0x15, 0, 1, 8), errno(7), errno(5)},
		lines: map[string]string{"read": "read: ERRNO(6) if (u32)args[0] << 1 == 8; else ERRNO(5)"},
		nrs:   []uint32{0},
	}}
	args := [][6]uint64{{}, {1}, {0x1234}, {2, 1}, {4, 2}, {33}, {1, 0}, {0x1200}, {0xffffffff, 1}, {5, 3}, {0x100000001, 7},
		{7}, {9}, {10}, {11}, {0xfffffffa}, {0xfffffffb}, {6}, {20, 2, 0}, {20, 2, 3}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := Explain(tc.prog, x86)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tc.lines {
				var got string
				switch name {
				case "other numbers":
					got = (Decision{Name: name, Cases: ex.Other}).String()
				case "x32":
					got = (Decision{Name: "x32 (nr | 0x40000000)", Cases: ex.X32}).String()
				default:
					got = decision(t, ex, name).String()
				}
				if got != want {
					t.Errorf("got  %s\nwant %s", got, want)
				}
			}
			var b strings.Builder
			if err := ex.Write(&b); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), "if true") {
				t.Errorf("an unknown condition written as true:\n%s", b.String())
			}
			agreesWithVM(t, tc.prog, x86, ex, tc.nrs, args)
		})
	}
}

// The masked pin above returns 0x200 for a call that passes the test: a
// value computed from the pinned bits, not the constant tested.
func TestExplainMaskedPinValue(t *testing.T) {
	x86 := archNamed(t, "x86_64")
	prog := []bpf.RawInstruction{
		ins(0x20, 0, 0, 16), ins(0x54, 0, 0, 0xff00), ins(0x15, 0, 3, 0x1200),
		ins(0x20, 0, 0, 16), ins(0x54, 0, 0, 0x0f00), ins(0x16, 0, 0, 0),
		retK(0x50005),
	}
	ex, err := Explain(prog, x86)
	if err != nil {
		t.Fatal(err)
	}
	d := decision(t, ex, "read")
	if d.Cases[0].Action != 0x200 {
		t.Errorf("read: %s; want 0x200 (KILL_THREAD with data 0x200) first", d)
	}
}

func TestExplainExempt(t *testing.T) {
	prog := []bpf.RawInstruction{ins(0x20, 0, 0, 0), ins(0x15, 0, 1, 335), retK(0x50001), retK(0x7fff0000)}
	x86 := archNamed(t, "x86_64")
	ex, err := Explain(prog, x86)
	if err != nil {
		t.Fatal(err)
	}
	u := decision(t, ex, "uretprobe")
	if want := "uretprobe: ERRNO(1) in the filter; not filtered by Linux 6.14+ (6.12.14+, 6.13.3+), which runs it without seccomp"; u.String() != want {
		t.Errorf("got  %s\nwant %s", u, want)
	}
	if u.Exempt == nil || u.Exempt.Since != "6.14" {
		t.Errorf("uretprobe: Exempt %+v", u.Exempt)
	}
	// uprobe is allowed: nothing the kernel's exemption changes.
	if p := decision(t, ex, "uprobe"); p.Exempt == nil || p.String() != "uprobe: ALLOW" {
		t.Errorf("uprobe: %s (%+v)", p, p.Exempt)
	}
	deny := []bpf.RawInstruction{ins(0x20, 0, 0, 0), ins(0x15, 0, 1, 336), retK(0x50001), retK(0x7fff0000)}
	ex2, err := Explain(deny, x86)
	if err != nil {
		t.Fatal(err)
	}
	if p := decision(t, ex2, "uprobe"); !strings.HasSuffix(p.String(), "in the filter; not filtered by Linux 6.18+, which runs it without seccomp") {
		t.Errorf("uprobe: %s", p)
	}
	if r := decision(t, ex, "read"); r.Exempt != nil || r.String() != "read: ALLOW" {
		t.Errorf("read: %s (%+v)", r, r.Exempt)
	}
	// Not on other arches: x32's and i386's numbers are other calls.
	for _, name := range []string{"x32", "x86", "aarch64"} {
		ex, err := Explain(prog, archNamed(t, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ex.Syscalls {
			if d.Exempt != nil || strings.Contains(d.String(), "not filtered") {
				t.Errorf("%s: %s", name, d)
			}
		}
	}
}

// Explain never hangs: 2^24 paths through computed bit tests on the
// arguments end in partial lines within the explanation's budget, and a
// value computed by thousands of instructions is written by its pc.
func TestExplainBudget(t *testing.T) {
	x86 := archNamed(t, "x86_64")
	var p []bpf.RawInstruction
	for i := 0; i < 24; i++ {
		p = append(p, ins(0x20, 0, 0, uint32(16+8*(i%6))), ins(0x04, 0, 0, uint32(i+1)), ins(0x45, 0, 1, 1<<(i%31)), ins(0, 0, 0, 0), ins(0, 0, 0, 0))
	}
	p = append(p, ins(0x20, 0, 0, 0), ins(0x24, 0, 0, 3), ins(0x25, 0, 1, 500), retK(0x50005), ins(0x20, 0, 0, 20), ins(0x16, 0, 0, 0))
	start := time.Now()
	ex, err := Explain(p, x86)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Minute {
		t.Errorf("explain took %v", d)
	}
	if !ex.Over || !ex.OtherOver {
		t.Errorf("Over %v, OtherOver %v: want the budget hit", ex.Over, ex.OtherOver)
	}
	var b strings.Builder
	if err := ex.Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.HasSuffix(line, "ALLOW") || len(line) > 3*maxPredicate+1000 {
			t.Errorf("line of %d bytes: %.200s", len(line), line)
		}
	}
	if d := decision(t, ex, "read"); !d.Over || !strings.Contains(d.String(), "(partial: ") || d.String() != "read: returns args[0] >> 32 (partial: the search hit its budget; calls on paths it did not reach may get another action)" {
		t.Errorf("read: %s", d)
	}

	// A = args[0]; then A += A 2000 times: a value too large to write.
	q := []bpf.RawInstruction{ins(0x20, 0, 0, 16)}
	for i := 0; i < 2000; i++ {
		q = append(q, ins(0x07, 0, 0, 0), ins(0x0c, 0, 0, 0)) // tax; add x
	}
	q = append(q, ins(0x15, 0, 1, 0), retK(0x50006), ins(0x16, 0, 0, 0))
	ex, err = Explain(q, x86)
	if err != nil {
		t.Fatal(err)
	}
	d := decision(t, ex, "read")
	if s := d.String(); !strings.Contains(s, "[the value computed by insn 4000]") || len(s) > 1000 {
		t.Errorf("read: %.300s", s)
	}
	agreesWithVM(t, q, x86, ex, []uint32{0, 1000}, [][6]uint64{{}, {1}, {1 << 31}, {3}})
}

// TestExplainLongChain: a deny-list of 2900 numbers that no syscall has.
// Every line must be decided (branches that do not split a path cost the
// budget nothing), the fall-through ALLOW must be found for the other
// numbers, and the x32 line must be there.
func TestExplainLongChain(t *testing.T) {
	// Conditional jumps reach 255 at most: a KILL every 250 tests, which
	// the chain jumps over, serves the tests before it.
	const n = 2900
	prog := []bpf.RawInstruction{ins(0x20, 0, 0, 4), ins(0x15, 1, 0, auditX86_64), retK(0x80000000), ins(0x20, 0, 0, 0)}
	for i := 0; i < n; i++ {
		if i%250 == 249 {
			prog = append(prog, ins(0x05, 0, 0, 1), retK(0x80000000))
		}
		prog = append(prog, ins(0x15, 0, 0, uint32(100000+i)))
	}
	prog = append(prog, retK(0x7fff0000), retK(0x80000000))
	for pc := 4; pc < len(prog); pc++ {
		if prog[pc].Op != 0x15 {
			continue
		}
		k := pc + 1
		for prog[k] != retK(0x80000000) {
			k++
		}
		prog[pc].Jt = uint8(k - pc - 1)
	}
	if ds := KernelCheck(prog, Seccomp); len(ds) > 0 {
		t.Fatal(ds)
	}
	ex, err := Explain(prog, archNamed(t, "x86_64"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	ex.Write(&b)
	out := b.String()
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "not decided") {
			t.Fatalf("undecided line: %s", l)
		}
	}
	if r := decision(t, ex, "keyctl"); r.String() != "keyctl: ALLOW" {
		t.Errorf("keyctl: %s", r)
	}
	if !strings.Contains(out, "x32 (nr | 0x40000000): ALLOW") {
		t.Errorf("no x32 line:\n%s", out[len(out)-600:])
	}
	if len(ex.Other) == 0 || ex.Other[len(ex.Other)-1].Action != 0x7fff0000 {
		t.Errorf("other numbers: %+v", (Decision{Name: "other", Cases: ex.Other}).String()[:200])
	}
}
