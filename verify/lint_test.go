package verify

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"math/rand/v2"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

const (
	allow = 0x7fff0000
	kill  = 0x80000000
	errno = 0x00050001
)

func ldw(off uint32) bpf.RawInstruction { return ins(0x20, 0, 0, off) }
func jeq(k uint32, jt, jf uint8) bpf.RawInstruction {
	return ins(0x15, jt, jf, k)
}
func jge(k uint32, jt, jf uint8) bpf.RawInstruction {
	return ins(0x35, jt, jf, k)
}
func jgt(k uint32, jt, jf uint8) bpf.RawInstruction {
	return ins(0x25, jt, jf, k)
}

// good is a careful x86_64 filter: arch first, x32 killed, socket allowed
// for AF_INET only with args[0] tested on both halves, every other call
// refused (uretprobe and uprobe too, which kernels exempt from seccomp).
var good = []bpf.RawInstruction{
	ldArch, jeq(auditX86_64, 1, 0), retK(kill), // 0-2
	ldNr, jge(0x40000000, 0, 1), retK(kill), // 3-5
	jeq(41, 0, 4),         // 6 socket
	ldw(20), jeq(0, 0, 2), // 7-8 args[0] high == 0
	ldw(16), jeq(2, 1, 0), // 9-10 args[0] low == AF_INET
	retK(errno), retK(allow), // 11-12
}

// goodDeny is good as a deny-list (every other call allowed): no lint has
// anything to say.
var goodDeny = prog(good[:6], []bpf.RawInstruction{jeq(41, 0, 5)}, good[7:])

// head is the start of an x86_64 filter: arch checked, x32 killed, nr in A
// (instructions 0-5).
var head = []bpf.RawInstruction{
	ldArch, jeq(auditX86_64, 1, 0), retK(kill),
	ldNr, jge(0x40000000, 0, 1), retK(kill),
}

func prog(parts ...[]bpf.RawInstruction) []bpf.RawInstruction { return slices.Concat(parts...) }

type lintCase struct {
	name string
	prog []bpf.RawInstruction
	want []int // pcs the lint reports; none: it must not fire
}

// lintCases gives each lint programs that trigger it and programs that
// must not (the false positives of issue 9 among them).
var lintCases = map[string][]lintCase{
	LintNrBeforeArch: {
		{"nr first", []bpf.RawInstruction{
			ldNr, jeq(59, 0, 3), ldArch, jeq(auditX86_64, 1, 0), retK(kill), retK(allow),
		}, []int{1}},
		{"a chain before arch is one finding", []bpf.RawInstruction{
			ldNr, jeq(59, 3, 0), jeq(322, 2, 0), ldArch, jeq(auditX86_64, 1, 0), retK(kill), retK(allow),
		}, []int{1}},
		{"arch first", goodDeny, nil},
	},
	LintX32: {
		{"deny-list blind to x32", []bpf.RawInstruction{
			ldArch, jeq(auditX86_64, 1, 0), retK(kill), ldNr, jeq(59, 0, 1), retK(kill), retK(allow),
		}, []int{6}},
		// libseccomp's x86_64 deny-list (QEMU's -sandbox on): numbers with
		// bit 30 are killed except nr -1, no syscall, which reaches ALLOW.
		{"libseccomp deny-list, nr -1 allowed", []bpf.RawInstruction{
			ldArch, jeq(auditX86_64, 1, 0), retK(kill), // 0-2
			ldNr, jge(0x40000000, 0, 2), jeq(0xffffffff, 1, 0), retK(kill), // 3-6
			jeq(59, 0, 1), retK(kill), retK(allow), // 7-9
		}, nil},
		{"x32 killed", goodDeny, nil},
	},
	LintForeignArch: {
		{"arch mismatch falls through to ALLOW", []bpf.RawInstruction{
			ldArch, jeq(auditX86_64, 0, 2), ldNr, jeq(59, 1, 0), retK(allow), retK(kill),
		}, []int{4}},
		{"firejail: other arches allowed", []bpf.RawInstruction{
			ldArch, jeq(auditX86_64, 1, 0), retK(allow), ldNr, jeq(59, 0, 1), retK(kill), retK(allow),
		}, []int{2}},
		{"unknown arches killed", goodDeny, nil},
	},
	LintArgHalf: {
		// Tor: prctl's args[0] is tested on both words (high first), then
		// openat's dirfd on its low word only. dirfd is an int: the kernel
		// reads its low word only, so the test is exact.
		{"openat dirfd, an int, on its low word", prog(head, []bpf.RawInstruction{
			jeq(157, 0, 4),        // 6 prctl
			ldw(20), jeq(0, 0, 6), // 7-8 high word
			ldw(16), jeq(4, 3, 4), // 9-10 low word
			jeq(257, 0, 3),                 // 11 openat
			ldw(16), jeq(0xffffff9c, 0, 1), // 12-13 low word only
			retK(allow), retK(errno), // 14-15
		}), nil},
		// The same with mmap's length, a size_t: the finding is mmap's
		// test, not the first branch on prctl's args[0].
		{"mmap length on its low word after a full test of another call's argument", prog(head, []bpf.RawInstruction{
			jeq(157, 0, 4),        // 6 prctl
			ldw(20), jeq(0, 0, 6), // 7-8 high word
			ldw(16), jeq(4, 3, 4), // 9-10 low word
			jeq(9, 0, 3),             // 11 mmap
			ldw(24), jeq(4096, 0, 1), // 12-13 args[1] low word only
			retK(allow), retK(errno), // 14-15
		}), []int{13}},
		{"x32 arguments are 64-bit", []bpf.RawInstruction{
			ldArch, jeq(auditX86_64, 1, 0), retK(kill), ldNr,
			jeq(0x40000008, 0, 3), ldw(24), jeq(3, 0, 1), retK(allow), retK(errno), // x32 lseek offset
		}, []int{6}},
		{"x32 ints are 32-bit", []bpf.RawInstruction{
			ldArch, jeq(auditX86_64, 1, 0), retK(kill), ldNr,
			jeq(0x40000008, 0, 3), ldw(32), jeq(1, 0, 1), retK(allow), retK(errno), // x32 lseek whence
		}, nil},
		// x32's ioctl is compat_sys_ioctl, whose arg is a compat_ulong_t;
		// x86_64's is an unsigned long.
		{"x32 ioctl arg, a compat_ulong_t", []bpf.RawInstruction{
			ldArch, jeq(auditX86_64, 1, 0), retK(kill), ldNr,
			jeq(0x40000000|514, 0, 3), ldw(32), jeq(0, 0, 1), retK(allow), retK(errno),
		}, nil},
		{"x86_64 ioctl arg, an unsigned long", prog(head, []bpf.RawInstruction{
			jeq(16, 0, 3), ldw(32), jeq(0, 0, 1), retK(allow), retK(errno),
		}), []int{8}},
		{"low word <= a bound", prog(head, []bpf.RawInstruction{
			jeq(8, 0, 3), ldw(24), jgt(2, 1, 0), retK(allow), retK(errno), // lseek offset
		}), []int{8}},
		{"lseek whence, an unsigned int, <= a bound", prog(head, []bpf.RawInstruction{
			jeq(8, 0, 3), ldw(32), jgt(2, 1, 0), retK(allow), retK(errno),
		}), nil},
		// A range of calls: read and write take an unsigned int fd, open a
		// pointer; the witness is open's.
		{"nr <= 1: read and write's fd", prog(head, []bpf.RawInstruction{
			jgt(1, 3, 0), ldw(16), jeq(1, 0, 1), retK(allow), retK(errno),
		}), nil},
		{"nr <= 2: open's filename", prog(head, []bpf.RawInstruction{
			jgt(2, 3, 0), ldw(16), jeq(1, 0, 1), retK(allow), retK(errno),
		}), []int{8}},
		// The multiplexers' call number is an int (socketcall) or an
		// unsigned int (ipc); ppc64 is big endian: the low word of
		// args[0] is at 20.
		{"ppc64 socketcall call number", []bpf.RawInstruction{
			ldArch, jeq(0x80000015, 1, 0), retK(kill), ldNr,
			jeq(102, 0, 3), ldw(20), jeq(1, 0, 1), retK(allow), retK(errno),
		}, nil},
		{"ppc64 socketcall args pointer", []bpf.RawInstruction{
			ldArch, jeq(0x80000015, 1, 0), retK(kill), ldNr,
			jeq(102, 0, 3), ldw(28), jeq(0, 0, 1), retK(allow), retK(errno),
		}, []int{6}},
		{"s390x ipc call number", []bpf.RawInstruction{
			ldArch, jeq(0x80000016, 1, 0), retK(kill), ldNr,
			jeq(117, 0, 3), ldw(20), jeq(23, 0, 1), retK(allow), retK(errno),
		}, nil},
		// A number no table knows: nothing the kernel runs there is known
		// to read the argument as 64-bit.
		{"unknown call", prog(head, []bpf.RawInstruction{
			jeq(1000, 0, 3), ldw(24), jeq(0, 0, 1), retK(allow), retK(errno),
		}), nil},
		// firejail: personality's low word is 0 or 0xffffffff, then the
		// high word is checked before ALLOW; other values are killed (or
		// refused: the path that ignores the high word lets nothing run).
		{"firejail personality, kill", firejailPersonality(kill), nil},
		{"firejail personality, errno", firejailPersonality(errno), nil},
		{"high word checked first", prog(head, []bpf.RawInstruction{
			jeq(135, 0, 4), ldw(20), jeq(0, 0, 3), ldw(16), jeq(8, 0, 1), retK(allow), retK(kill),
		}), nil},
		// A deny-list that refuses one low-word value: what reaches ALLOW
		// is "low word != v", which a 64-bit test would let through too.
		{"low word != v to ALLOW", prog(head, []bpf.RawInstruction{
			jeq(16, 0, 3), ldw(24), jeq(0x5412, 0, 1), retK(errno), retK(allow), // ioctl TIOCSTI
		}), nil},
		{"low word > v to ALLOW", prog(head, []bpf.RawInstruction{
			jeq(8, 0, 3), ldw(32), jgt(2, 0, 1), retK(allow), retK(errno),
		}), nil},
		{"both words", goodDeny, nil},
		{"32-bit arch", []bpf.RawInstruction{
			ldArch, jeq(0x40000003, 1, 0), retK(kill), ldNr, jeq(19, 0, 3), ldw(16), jeq(3, 0, 1), retK(allow), retK(errno),
		}, nil},
	},
	LintI386High: {
		// socket's family tested as a 64-bit value on i386: a 64-bit caller
		// sets the high word and escapes the KILL.
		{"64-bit test on i386", []bpf.RawInstruction{
			ldArch, jeq(auditI386, 1, 0), retK(kill), ldNr, jeq(359, 0, 5), // 0-4
			ldw(20), jeq(0, 0, 3), ldw(16), jeq(17, 0, 1), retK(kill), // 5-9
			retK(allow), // 10
		}, []int{6}},
		{"low word only (libseccomp, cbpf)", []bpf.RawInstruction{
			ldArch, jeq(auditI386, 1, 0), retK(kill), ldNr, jeq(359, 0, 3),
			ldw(16), jeq(17, 0, 1), retK(kill), retK(allow),
		}, nil},
		{"x86_64 high word is the syscall's", goodDeny, nil},
		{"arch not pinned: every arch but x86_64, i386 among them", []bpf.RawInstruction{
			ldArch, jeq(auditX86_64, 7, 0), ldNr, jeq(359, 0, 5), // 0-3
			ldw(20), jeq(0, 0, 3), ldw(16), jeq(17, 0, 1), retK(kill), // 4-8
			retK(allow), // 9
		}, []int{5}},
	},
	LintExempt: {
		{"uretprobe refused", prog(head, []bpf.RawInstruction{
			jeq(335, 0, 1), retK(0x00050026), retK(allow),
		}), []int{7}},
		{"allow-list default: not singled out", prog(head, []bpf.RawInstruction{
			jeq(0, 1, 0), retK(errno), retK(allow),
		}), nil},
		{"deny-list", goodDeny, nil},
		{"allow-list", good, nil},
		{"aarch64 has no exempt calls", []bpf.RawInstruction{
			ldArch, jeq(0xc00000b7, 1, 0), retK(kill), ldNr, jeq(63, 0, 1), retK(allow), retK(errno),
		}, nil},
	},
	LintUnreachable: {
		{"dead return", prog(goodDeny[:12], []bpf.RawInstruction{retK(0x00050002)}, goodDeny[12:]), []int{13}},
		{"none", goodDeny, nil},
	},
	LintErrnoClamped: {
		{"ERRNO(4096)", []bpf.RawInstruction{ldArch, jeq(auditX86_64, 1, 0), retK(kill), retK(0x00051000)}, []int{3}},
		{"none", goodDeny, nil},
	},
	LintUnknownAction: {
		{"0x00120000", []bpf.RawInstruction{ldArch, jeq(auditX86_64, 1, 0), retK(kill), retK(0x00120000)}, []int{3}},
		{"none", goodDeny, nil},
	},
	LintReadsIP: {
		{"ld [8]", []bpf.RawInstruction{
			ldArch, jeq(auditX86_64, 1, 0), retK(kill), ldw(8), jeq(0x1000, 0, 1), retK(kill), retK(allow),
		}, []int{3}},
		{"none", goodDeny, nil},
	},
}

// firejailPersonality is firejail's secondary "block" filter's test of
// personality(2) (src/fseccomp/seccomp_secondary.c), deny being its
// action for other domains.
func firejailPersonality(deny uint32) []bpf.RawInstruction {
	return prog(head, []bpf.RawInstruction{
		jeq(135, 0, 6),        // 6 personality
		ldw(16),               // 7 low word of args[0]
		jeq(0, 1, 0),          // 8 PER_LINUX: check the high word
		jeq(0xffffffff, 0, 2), // 9 query: check the high word
		ldw(20), jeq(0, 1, 0), // 10-11 high word == 0: allow
		retK(deny), retK(allow), // 12-13
	})
}

func TestLints(t *testing.T) {
	for code, cases := range lintCases {
		for _, c := range cases {
			t.Run(code+"/"+c.name, func(t *testing.T) {
				if ds := KernelCheck(c.prog, Seccomp); len(ds) > 0 {
					t.Fatalf("test program is invalid: %v", ds)
				}
				ds := LintProgram(c.prog, Seccomp)
				var got []int
				for _, d := range ds {
					if d.Code == code {
						got = append(got, d.PC)
					}
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("%s at %v, want %v:\n%v\n%s", code, got, c.want, ds, dump(c.prog))
				}
				checkWitnesses(t, c.prog, ds)
			})
		}
	}
	if ds := LintProgram(goodDeny, Seccomp); len(ds) != 0 {
		t.Errorf("the good deny-list has warnings: %v", ds)
	}
	for _, l := range Lints {
		if l.Summary == "" || l.Fix == "" || strings.ContainsAny(l.Code, " _") {
			t.Errorf("lint %+v needs a code, a summary and a fix", l)
		}
		if _, ok := lintCases[l.Code]; !ok && l.Code != LintStackLimit && l.Code != LintPathLimit {
			t.Errorf("lint %s has no test cases", l.Code)
		}
	}
}

// pathLintCodes are the lints that claim what the filter returns for some
// input, and so must carry witnesses.
var pathLintCodes = []string{LintNrBeforeArch, LintX32, LintForeignArch, LintArgHalf, LintExempt, LintI386High}

// checkWitnesses runs every diagnostic's witnesses in the VM and checks
// that they show what the lint claims.
func checkWitnesses(t *testing.T, p []bpf.RawInstruction, ds []Diagnostic) {
	t.Helper()
	m := mustVM(t, p)
	tested := testedArches(p)
	for _, d := range ds {
		if !slices.Contains(pathLintCodes, d.Code) {
			if len(d.Witness) > 0 {
				t.Errorf("%v: a witness on a lint that needs none", d)
			}
			continue
		}
		if len(d.Witness) == 0 {
			t.Errorf("%v: no witness", d)
			continue
		}
		var paths [][]int
		for _, w := range d.Witness {
			var path []int
			r := m.RunSeccompOpts(w.Input, &vm.Options{Trace: func(s vm.Step) { path = append(path, s.PC) }})
			if r.Ret != w.Ret {
				t.Errorf("%v: witness %+v returns %#x in the VM, the diagnostic says %#x", d, w.Input, r.Ret, w.Ret)
			}
			paths = append(paths, path)
		}
		w := d.Witness[0]
		nr := uint32(w.Input.Nr)
		last := paths[0][len(paths[0])-1]
		switch d.Code {
		case LintNrBeforeArch:
			i := slices.Index(paths[0], d.PC)
			if i < 0 || slices.ContainsFunc(paths[0][:i], func(pc int) bool { return p[pc] == ldArch }) {
				t.Errorf("%v: the witness does not reach insn %d before reading arch: path %v", d, d.PC, paths[0])
			}
		case LintX32:
			if w.Input.Arch != auditX86_64 || nr&arch.X32SyscallBit == 0 || nr == 0xffffffff || !letsRun(w.Ret) || last != d.PC {
				t.Errorf("%v: witness %+v -> %#x is not an x32 call that runs", d, w.Input, w.Ret)
			}
		case LintForeignArch:
			if tested[w.Input.Arch] || w.Ret&action.ActionFull != action.Allow || last != d.PC {
				t.Errorf("%v: witness %+v -> %#x is not an untested arch reaching ALLOW", d, w.Input, w.Ret)
			}
		case LintArgHalf:
			if len(d.Witness) != 2 {
				t.Fatalf("%v: want two witnesses", d)
			}
			a, b := d.Witness[0], d.Witness[1]
			diff := 0
			for i := range a.Input.Args {
				if x := a.Input.Args[i] ^ b.Input.Args[i]; x != 0 {
					diff++
					if x>>32 == 0 || b.Input.Args[i]>>32 == 0 {
						t.Errorf("%v: the witnesses differ in the low word of args[%d]", d, i)
					}
				}
			}
			for i := range a.Input.Args {
				ca := callArch(a.Input.Arch, nr)
				name, _ := ca.SyscallName(nr)
				if a.Input.Args[i] != b.Input.Args[i] && (ca.Arg32(name, i) || name == "") {
					t.Errorf("%v: args[%d] of %s %q is not read as a 64-bit value", d, i, ca.Name, name)
				}
			}
			a.Input.Args, b.Input.Args = [6]uint64{}, [6]uint64{}
			if diff != 1 || a.Input != b.Input || a.Ret != b.Ret || !letsRun(a.Ret) {
				t.Errorf("%v: witnesses %+v and %+v do not show one argument's high word ignored", d, d.Witness[0], d.Witness[1])
			}
			for _, path := range paths {
				if !slices.Contains(path, d.PC) {
					t.Errorf("%v: a witness does not go through insn %d: %v", d, d.PC, path)
				}
			}
		case LintI386High:
			a, b := d.Witness[0], d.Witness[1]
			if len(d.Witness) != 2 || a.Input.Arch != auditI386 || a.Ret == b.Ret {
				t.Fatalf("%v: want two i386 witnesses with different results", d)
			}
			for i := range a.Input.Args {
				if uint32(a.Input.Args[i]) != uint32(b.Input.Args[i]) {
					t.Errorf("%v: the witnesses differ in the low word of args[%d]", d, i)
				}
			}
		case LintExempt:
			for _, w := range d.Witness {
				a := arch.ByAudit(w.Input.Arch)
				if a == nil {
					t.Fatalf("%v: witness arch %#x", d, w.Input.Arch)
				}
				if _, ok := a.Exempt(uint32(w.Input.Nr)); !ok || w.Ret&action.ActionFull == action.Allow {
					t.Errorf("%v: witness %+v -> %#x is not an exempt call the filter refuses", d, w.Input, w.Ret)
				}
			}
		}
	}
}

// testedArches lists the values a program compares arch with, read from
// the instructions (ld [4] and the jeq that follow).
func testedArches(p []bpf.RawInstruction) map[uint32]bool {
	out := map[uint32]bool{}
	for i, in := range p {
		if in != ldArch {
			continue
		}
		for j := i + 1; j < len(p) && p[j].Op == 0x15; j++ {
			out[p[j].K] = true
		}
	}
	return out
}

func TestCheckStack(t *testing.T) {
	p := make([]bpf.RawInstruction, 4092)
	if ds := CheckStack([][]bpf.RawInstruction{p, p, p, p, p, p, p, p}); len(ds) != 0 {
		t.Errorf("8 x 4096 counted: %v", ds)
	}
	if ds := CheckStack([][]bpf.RawInstruction{p, p, p, p, p, p, p, p, {retAllow}}); !hasCode(ds, LintStackLimit) {
		t.Errorf("over the limit: %v", ds)
	}
}

func hasCode(ds []Diagnostic, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}

func withoutCode(ds []Diagnostic, code string) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if d.Code != code {
			out = append(out, d)
		}
	}
	return out
}

// A filter that compares nr with x32 numbers handles x32 on purpose: the
// x32-bypass lint must not fire on the paths that do. A deny list that
// never looks at x32 still gets it.
func TestX32LintExplicitNumbers(t *testing.T) {
	p := policy.New(policy.Allow).On(archNamed(t, "x86_64"), archNamed(t, "x32"))
	p.Add("socket", policy.Arg(2).Lt(0xffffffff), policy.Log)
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ds := LintProgram(prog, Seccomp); hasCode(ds, LintX32) {
		t.Errorf("x32 is a target and tested by number, yet: %v\n%s", ds, dump(prog))
	}

	bypass := []bpf.RawInstruction{
		ldArch, ins(0x15, 1, 0, auditX86_64), retK(kill),
		ldNr, ins(0x15, 0, 1, 59), retK(kill), retK(0x7fff0000),
	}
	if ds := LintProgram(bypass, Seccomp); !hasCode(ds, LintX32) {
		t.Errorf("a deny list blind to x32: no %s warning: %v", LintX32, ds)
	}
}

// TestLintsOnCompiled: the compiler's filters check the arch first,
// send x32 and foreign arches to the bad-arch action and test 64-bit
// arguments on both words; the lints must not say otherwise.
func TestLintsOnCompiled(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 4))
	archSets := [][]string{{"x86_64"}, {"s390x"}, {"ppc64"}, {"mips"}, {"x86"}, {"x86_64", "x32"}, {"mips64"}, {"aarch64", "x86_64"}, {"x32"}}
	for i := 0; i < 90; i++ {
		var as []*arch.Arch
		for _, n := range archSets[i%len(archSets)] {
			as = append(as, archNamed(t, n))
		}
		p := progen.Policy(r, as, 8)
		// The premise: foreign arches and x32 go to a kill action. A
		// bad-arch action that lets calls run is fairly linted.
		p.BadArch = policy.KillProcess
		// 64-bit comparisons only: a 32-bit one on a 64-bit arch is a
		// fair arg-half warning.
		for j := range p.Rules {
			p.Rules[j].When = widen(p.Rules[j].When)
		}
		if r.IntN(2) == 0 {
			p.Default = policy.Allow
		}
		prog, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// A compiled filter that does not allow uretprobe is fairly told
		// that kernels exempt it (seccomp-exempt); nothing else is fair.
		if ds := withoutCode(LintProgram(prog, Seccomp), LintExempt); len(ds) > 0 {
			t.Errorf("policy %d on %v: lints on a compiled filter:\n%v\npolicy:\n%s\n%s", i, archSets[i%len(archSets)], ds, p, dump(prog))
		}
	}
}

func widen(e policy.Expr) policy.Expr {
	switch e := e.(type) {
	case *policy.Cmp:
		c := *e
		c.Bits = 64
		if c.Op == policy.MaskedEQ && c.Mask == 0xffffffff {
			// (arg & 0xffffffff) == v asks for a test of the low half:
			// the warning would be fair.
			c.Mask = ^uint64(0)
		}
		return &c
	case policy.And:
		out := make(policy.And, len(e))
		for i, x := range e {
			out[i] = widen(x)
		}
		return out
	case policy.Or:
		out := make(policy.Or, len(e))
		for i, x := range e {
			out[i] = widen(x)
		}
		return out
	case *policy.Not:
		return &policy.Not{X: widen(e.X)}
	}
	return e
}

// TestX32TestedByImpliedBranch: a filter for x32 alone sends nr below bit
// 30 away with one jge; on the x32 walk that branch is implied by where
// the walk starts, and it still counts as the filter testing x32. Allowing
// every x32 call is then what the filter says, not a bypass.
func TestX32TestedByImpliedBranch(t *testing.T) {
	p, _, err := policy.ParseText("x32.policy", []byte("default allow\narch x32\n"))
	if err != nil {
		t.Fatal(err)
	}
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ds := withoutCode(LintProgram(prog, Seccomp), LintExempt); len(ds) > 0 {
		t.Errorf("lints on an x32-only allow-all filter: %v\n%s", ds, dump(prog))
	}
}
