package verify

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/action"
	realcorpus "github.com/cbpfkit/cbpf/internal/corpus"
	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/vm"
)

// stackRef is the kernel's rule, written out: run every filter in the VM,
// newest first, and keep a value only if its action is strictly lower
// (signed), starting from ALLOW.
func stackRef(t testing.TB, progs [][]bpf.RawInstruction, d vm.SeccompData) uint32 {
	t.Helper()
	ret := uint32(0x7fff0000)
	for i := len(progs) - 1; i >= 0; i-- {
		r, err := vm.Run(progs[i], d)
		if err != nil {
			t.Fatalf("vm: filter %d: %v", i, err)
		}
		if int32(r.Ret&0xffff0000) < int32(ret&0xffff0000) {
			ret = r.Ret
		}
	}
	return ret
}

func TestStackReturn(t *testing.T) {
	for _, c := range []struct {
		rets []uint32
		want uint32
	}{
		{nil, 0x7fff0000},
		{[]uint32{0x7fff0005}, 0x7fff0000},                         // ALLOW's data never wins
		{[]uint32{0x00050001, 0x00050002}, 0x00050002},             // tie: the newest (last)
		{[]uint32{0x80000000, 0x00000000}, 0x80000000},             // KILL_PROCESS is the lowest (signed)
		{[]uint32{0x00030001, 0x00050001}, 0x00030001},             // TRAP < ERRNO
		{[]uint32{0xffff0000, 0x00000000, 0x7ffc0000}, 0xffff0000}, // unknown negative action below KILL_THREAD
		{[]uint32{0x7ffc0000, 0x7fc00000, 0x7ff00003}, 0x7fc00000},
	} {
		if got := StackReturn(c.rets); got != c.want {
			t.Errorf("StackReturn(%#x) = %#x, want %#x", c.rets, got, c.want)
		}
	}
}

// stackInputs makes inputs that reach the filters' comparisons: progen's,
// with the arch drawn from the usual ones and from the constants.
func stackInputs(r *rand.Rand, progs [][]bpf.RawInstruction, n int) []vm.SeccompData {
	var all []bpf.RawInstruction
	for _, p := range progs {
		all = append(all, p...)
	}
	arches := []uint32{0xc000003e, 0x40000003, 0xc00000b7}
	for _, in := range all {
		if in.Op&7 == 0x05 {
			arches = append(arches, in.K)
		}
	}
	var out []vm.SeccompData
	for _, in := range progen.SeccompInputs(r, all, n) {
		d := vm.SeccompData{Nr: in.Nr, Args: in.Args, Arch: arches[r.IntN(len(arches))]}
		if r.IntN(4) == 0 {
			d.InstructionPointer = r.Uint64()
		}
		out = append(out, d)
	}
	return out
}

// checkStack builds the stack and compares it with stackRef on inputs.
func checkStack(t *testing.T, progs [][]bpf.RawInstruction, inputs []vm.SeccompData) []bpf.RawInstruction {
	t.Helper()
	got, err := Stack(progs)
	if err != nil {
		t.Fatalf("Stack: %v", err)
	}
	if ds := KernelCheck(got, Seccomp); len(ds) > 0 {
		t.Fatalf("Stack's program is not a valid seccomp filter: %v\n%v", ds[0], progString(got))
	}
	m, err := vm.New(got, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range inputs {
		want := stackRef(t, progs, d)
		if r := m.RunSeccomp(d); r.Ret != want {
			t.Fatalf("on %+v the stack returns %#x, its program %#x\nfilters:\n%s\nstack:\n%v", d, want, r.Ret, stackString(progs), progString(got))
		}
	}
	return got
}

func progString(p []bpf.RawInstruction) string {
	var b strings.Builder
	for pc, in := range p {
		fmt.Fprintf(&b, "%3d: %#04x %d %d %#x\n", pc, in.Op, in.Jt, in.Jf, in.K)
	}
	return b.String()
}

func stackString(progs [][]bpf.RawInstruction) string {
	var b strings.Builder
	for i, p := range progs {
		fmt.Fprintf(&b, "filter %d:\n%s", i, progString(p))
	}
	return b.String()
}

// Random programs of every kind progen makes (scratch memory, ret a, ALU,
// jumps near 255), 1 to 4 stacked, against the rule run filter by filter.
func TestStackRandomPrograms(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 1))
	n := 1500
	if testing.Short() {
		n = 300
	}
	refused := 0
	for i := 0; i < n; i++ {
		progs := make([][]bpf.RawInstruction, 1+r.IntN(4))
		for j := range progs {
			progs[j] = progen.Program(r, progen.Seccomp, progen.Options{})
		}
		if _, err := Stack(progs); err != nil && strings.Contains(err.Error(), "it returns A") {
			// Only right when a filter that runs later uses every word.
			var se *StackError
			errors.As(err, &se)
			full := false
			for _, p := range progs[:se.Filter] {
				full = full || newStackFilter(p, 0).mem == 0xffff
			}
			if !full {
				t.Fatalf("%v, but no filter older than it uses every word", err)
			}
			refused++
			continue
		}
		checkStack(t, progs, stackInputs(r, progs, 60))
	}
	if refused > n/10 {
		t.Errorf("%d of %d stacks refused for lack of a scratch word", refused, n)
	}
	t.Logf("%d of %d stacks refused for lack of a scratch word", refused, n)
}

// Compiled random policies, 1 to 4 stacked, on calls of their syscalls;
// and the stack is Equivalent to the same stack built the other way (the
// result in a scratch word) and, for one filter, to that filter.
func TestStackCompiledPolicies(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 2))
	x86 := archNamed(t, "x86_64")
	as := []*arch.Arch{x86}
	n := 150
	if testing.Short() {
		n = 40
	}
	for i := 0; i < n; i++ {
		progs := make([][]bpf.RawInstruction, 1+r.IntN(4))
		var inputs []vm.SeccompData
		for j := range progs {
			p := progen.Policy(r, as, 8)
			prog, err := compile.Compile(p, compile.Options{})
			if err != nil {
				t.Fatal(err)
			}
			progs[j] = prog
			inputs = append(inputs, randCalls(r, p, x86, 40)...)
		}
		got := checkStack(t, progs, inputs)
		fs := make([]*stackFilter, len(progs))
		for j, p := range progs {
			fs[len(progs)-1-j] = newStackFilter(p, j)
		}
		lin, err := buildStack(fs, true)
		if err != nil {
			t.Fatalf("linear stack: %v", err)
		}
		eq, err := Equivalent(got, lin, Seccomp)
		if err != nil {
			t.Fatal(err)
		}
		if eq.Verdict == Different {
			t.Fatalf("the two ways to stack differ: %+v\n%s", eq, stackString(progs))
		}
		if len(progs) == 1 {
			eq, err := Equivalent(got, progs[0], Seccomp)
			if err != nil {
				t.Fatal(err)
			}
			if eq.Verdict != Equal {
				t.Fatalf("the stack of one filter is not equivalent to it: %v", eq.Verdict)
			}
		}
	}
}

func TestStackLinearRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 3))
	for i := 0; i < 400; i++ {
		progs := make([][]bpf.RawInstruction, 1+r.IntN(4))
		for j := range progs {
			progs[j] = progen.Program(r, progen.Seccomp, progen.Options{})
		}
		fs := make([]*stackFilter, len(progs))
		for j, p := range progs {
			fs[len(progs)-1-j] = newStackFilter(p, j)
		}
		lin, err := buildStack(fs, true)
		if err != nil {
			continue // every word used: the tree form is the only one
		}
		if ds := KernelCheck(lin, Seccomp); len(ds) > 0 {
			t.Fatalf("invalid linear stack: %v", ds[0])
		}
		for _, d := range stackInputs(r, progs, 40) {
			want := stackRef(t, progs, d)
			res, err := vm.Run(lin, d)
			if err != nil {
				t.Fatal(err)
			}
			if res.Ret != want {
				t.Fatalf("linear stack returns %#x, want %#x on %+v\n%s\n%s", res.Ret, want, d, stackString(progs), progString(lin))
			}
		}
	}
}

func retProg(k uint32) []bpf.RawInstruction { return []bpf.RawInstruction{retK(k)} }

// nrSwitch returns a filter that gives each of n syscall numbers its own
// ERRNO, the rest allow: n+1 distinct results, so stacking a few of them
// as a tree multiplies the copies.
func nrSwitch(n int, act, base uint32) []bpf.RawInstruction {
	p := []bpf.RawInstruction{ldNr}
	for i := 0; i < n; i++ {
		p = append(p, ins(0x15, 0, 1, uint32(i)), retK(act|(base+uint32(i))))
	}
	return append(p, retK(action.Allow))
}

func TestStackCases(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 4))
	allow := retProg(action.Allow)
	deny := []bpf.RawInstruction{ldNr, ins(0x15, 0, 1, 39), retK(action.Errno | 1), retK(action.Allow)}
	kill := []bpf.RawInstruction{ldNr, ins(0x15, 0, 1, 39), retK(action.KillProcess), retK(action.Allow)}
	// ret a of the nr: any value, including unknown actions.
	retNr := []bpf.RawInstruction{ldNr, ins(0x16, 0, 0, 0)}
	// Uses every scratch word, then returns A.
	var allMem []bpf.RawInstruction
	for i := uint32(0); i < 16; i++ {
		allMem = append(allMem, ins(0x02, 0, 0, i))
	}
	allMem = append(allMem, ins(0x60, 0, 0, 3), ins(0x16, 0, 0, 0))
	allMemK := append(append([]bpf.RawInstruction{}, allMem[:17]...), retK(action.Errno|7))
	// Filters that write and read every word: no word is left for the
	// result of a "ret a" that runs before them.
	var allRead []bpf.RawInstruction
	for i := uint32(0); i < 16; i++ {
		allRead = append(allRead, ins(0x02, 0, 0, i))
	}
	for i := uint32(0); i < 16; i++ {
		allRead = append(allRead, ins(0x60, 0, 0, i))
	}
	allReadK := append(append([]bpf.RawInstruction{}, allRead...), retK(action.Errno|7))
	allRead = append(allRead, ins(0x16, 0, 0, 0))
	cases := []struct {
		name  string
		progs [][]bpf.RawInstruction
	}{
		{"one", [][]bpf.RawInstruction{deny}},
		{"allow data", [][]bpf.RawInstruction{retProg(action.Allow | 5)}},
		{"allow and deny", [][]bpf.RawInstruction{allow, deny}},
		{"deny and kill", [][]bpf.RawInstruction{deny, kill}},
		{"ties", [][]bpf.RawInstruction{retProg(action.Errno | 1), retProg(action.Errno | 2), retProg(action.Errno | 3)}},
		{"ret a newest", [][]bpf.RawInstruction{deny, retNr}},
		{"ret a oldest", [][]bpf.RawInstruction{retNr, deny}},
		{"ret a twice", [][]bpf.RawInstruction{retNr, deny, retNr}},
		{"all memory and ret a, newest", [][]bpf.RawInstruction{retNr, allMem}},
		{"all memory newest, ret a oldest", [][]bpf.RawInstruction{retNr, allMemK}},
		// Stores to words never read are dead: they leave a word free.
		{"ret a before a filter writing every word", [][]bpf.RawInstruction{allMem, retNr, deny}},
		{"ret a newest, every word written oldest", [][]bpf.RawInstruction{allMemK, retNr}},
		{"all memory read and ret a, newest", [][]bpf.RawInstruction{retNr, allRead}},
		{"div by X = 0", [][]bpf.RawInstruction{retProg(action.Errno | 3), {ldNr, ins(0x3c, 0, 0, 0), retK(action.Errno | 4)}, retProg(action.Trap | 3)}},
		{"switches", [][]bpf.RawInstruction{nrSwitch(30, action.Errno, 1), nrSwitch(30, action.Errno, 100), nrSwitch(30, action.Trap, 200), nrSwitch(30, action.Errno, 300)}},
		{"switches up", [][]bpf.RawInstruction{nrSwitch(20, action.KillThread, 1), nrSwitch(20, action.Trap, 100), nrSwitch(20, action.Errno, 200)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inputs := stackInputs(r, c.progs, 300)
			for nr := int32(-2); nr < 45; nr++ {
				inputs = append(inputs, vm.SeccompData{Nr: nr, Arch: 0xc000003e})
			}
			got := checkStack(t, c.progs, inputs)
			if len(got) > 4096 {
				t.Fatalf("%d instructions", len(got))
			}
		})
	}
	// Refusals.
	for _, c := range []struct {
		name  string
		progs [][]bpf.RawInstruction
		want  string
	}{
		{"none", nil, "no filters"},
		{"invalid", [][]bpf.RawInstruction{allow, {ldNr}}, "filter 1: not a valid seccomp filter"},
		{"ret a before a filter using every word", [][]bpf.RawInstruction{allRead, retNr, deny}, "filter 1: it returns A"},
		{"ret a newest, every word oldest", [][]bpf.RawInstruction{allReadK, retNr}, "filter 1: it returns A"},
	} {
		_, err := Stack(c.progs)
		var se *StackError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Stack error %v, want a *StackError with %q", c.name, err, c.want)
		}
	}
}

// Many filters with many distinct results do not fit as a tree: Stack
// keeps the result in a word, one copy per filter; when even that is too
// long it says so.
func TestStackLimits(t *testing.T) {
	var progs [][]bpf.RawInstruction
	for _, act := range []uint32{action.KillThread, action.Trap, action.Errno, action.Trap, action.Errno, action.Errno} {
		progs = append(progs, nrSwitch(60, act, 1))
	}
	fs := make([]*stackFilter, len(progs))
	for j, p := range progs {
		fs[len(progs)-1-j] = newStackFilter(p, j)
	}
	var tl *stackTooLong
	if _, err := buildStack(fs, false); !errors.As(err, &tl) {
		t.Fatalf("the tree of 6 switches: %v, want too long", err)
	}
	r := rand.New(rand.NewPCG(11, 5))
	inputs := stackInputs(r, progs, 200)
	for nr := int32(0); nr < 70; nr++ {
		inputs = append(inputs, vm.SeccompData{Nr: nr, Arch: 0xc000003e})
	}
	checkStack(t, progs, inputs)

	big := nrSwitch(1000, action.Errno, 1)
	_, err := Stack([][]bpf.RawInstruction{big, big, big})
	if err == nil || !strings.Contains(err.Error(), "do not fit in one program of 4096 instructions") {
		t.Errorf("three filters of %d instructions: %v", len(big), err)
	}
}

func TestStackCacheAllows(t *testing.T) {
	allow := retProg(action.Allow)
	deny := []bpf.RawInstruction{ldNr, ins(0x15, 0, 1, 39), retK(action.Errno | 1), retK(action.Allow)}
	for _, c := range []struct {
		progs [][]bpf.RawInstruction
		nr    uint32
		want  bool
	}{
		{nil, 0, false},
		{[][]bpf.RawInstruction{allow}, 39, true},
		{[][]bpf.RawInstruction{allow, deny}, 39, false},
		{[][]bpf.RawInstruction{allow, deny}, 40, true},
		{[][]bpf.RawInstruction{deny, allow}, 39, false},
	} {
		if got := StackCacheAllows(c.progs, 0xc000003e, c.nr); got != c.want {
			t.Errorf("StackCacheAllows(%d filters, %d) = %v", len(c.progs), c.nr, got)
		}
	}
}

// Real filters: firejail's stack of five, as the kernel holds them, and
// pairs of other real filters; against the rule, and explained.
func TestStackCorpus(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 9))
	fj, err := realcorpus.Stack("firejail-default")
	if err != nil {
		t.Fatal(err)
	}
	var stacks [][][]bpf.RawInstruction
	var one [][]bpf.RawInstruction
	for _, f := range fj {
		one = append(one, f.Prog)
	}
	stacks = append(stacks, one)
	all := realcorpus.All()
	for i := 0; i < 12; i++ {
		a, b := all[r.IntN(len(all))], all[r.IntN(len(all))]
		stacks = append(stacks, [][]bpf.RawInstruction{a.Prog, b.Prog})
	}
	x86 := archNamed(t, "x86_64")
	for _, progs := range stacks {
		inputs := stackInputs(r, progs, 1500)
		for nr := int32(0); nr < 460; nr++ {
			inputs = append(inputs, vm.SeccompData{Nr: nr, Arch: x86.Audit}, vm.SeccompData{Nr: nr, Arch: 0x40000003})
		}
		got := checkStack(t, progs, inputs)
		if _, err := Explain(got, x86); err != nil {
			t.Fatalf("explaining the stack: %v", err)
		}
	}
}

// A stack of one filter that the kernel accepts, 4096 instructions long,
// with a "ret a" (or a "div x") in it: Stack failed with "the 1 filters do
// not fit in one program of 4096 instructions".
// For one filter there is nothing to combine (the doc says "With one
// filter, Stack returns it normalised"); the ret a only needs its ALLOW
// values' data dropped, which the action does not see, and a division
// by X = 0 ends the one filter as it ends the stack. So cbpf dump of a
// process with one such filter prints no effective policy and exits 1.
func TestStackOneLongFilter(t *testing.T) {
	body := []bpf.RawInstruction{ldNr}
	for len(body) < 4094 {
		body = append(body, ins(0x15, 0, 0, uint32(len(body)))) // jeq #k, +0, +0
	}
	retA := append(append([]bpf.RawInstruction{}, body...), ins(0x04, 0, 0, 1), ins(0x16, 0, 0, 0))   // add #1; ret a
	divX := append(append([]bpf.RawInstruction{}, body...), ins(0x3c, 0, 0, 0), retK(action.Errno|1)) // div x (X = 0); ret ERRNO(1)
	for name, p := range map[string][]bpf.RawInstruction{"ret a": retA, "div x": divX} {
		if len(p) != 4096 {
			t.Fatalf("%s: %d instructions", name, len(p))
		}
		if ds := KernelCheck(p, Seccomp); len(ds) > 0 {
			t.Fatalf("%s: not a valid filter: %v", name, ds[0])
		}
		got, err := Stack([][]bpf.RawInstruction{p})
		if err != nil {
			t.Errorf("%s: Stack of one valid filter of 4096 instructions: %v", name, err)
			continue
		}
		for nr := int32(-1); nr < 50; nr++ {
			d := vm.SeccompData{Nr: nr, Arch: 0xc000003e}
			r, err := vm.Run(got, d)
			if err != nil {
				t.Fatal(err)
			}
			if want := stackRef(t, [][]bpf.RawInstruction{p}, d); r.Ret&action.ActionFull != want&action.ActionFull {
				t.Errorf("%s: nr %d: %#x, want %#x", name, nr, r.Ret, want)
			}
		}
	}
}

// Stack needs a scratch word that no older filter touches to carry a
// result computed with "ret a" past them. It counts a word as used when
// a filter only writes it and never reads it, so an older filter that
// stores to all 16 words (only one of which it reads back) makes a newer
// "ret a" unstackable: "filter 1: it returns A, and the filters that run
// after it use every scratch word". cbpf dump then prints no effective
// policy for a stack the kernel runs (seen with three nested cbpf exec).
// A store to a word the filter never reads is dead: dropping it (or
// counting only the words a filter reads, after renaming) frees a word.
func TestStackDeadStores(t *testing.T) {
	// Oldest: stores nr to M[0..15], reads only M[15]; acct gets
	// ERRNO(nr), the rest allow.
	old := []bpf.RawInstruction{ldNr}
	for w := uint32(0); w < 16; w++ {
		old = append(old, ins(0x02, 0, 0, w))
	}
	old = append(old,
		ins(0x15, 0, 3, 163), // jeq #163 (acct)
		ins(0x60, 0, 0, 15),  // ld M[15]
		ins(0x44, 0, 0, action.Errno),
		ins(0x16, 0, 0, 0), // ret a
		retK(action.Allow),
	)
	// Newest: acct returns its first argument (ret a).
	newer := []bpf.RawInstruction{
		ldNr,
		ins(0x15, 0, 2, 163),
		ins(0x20, 0, 0, 16), // ld args[0] (low word)
		ins(0x16, 0, 0, 0),
		retK(action.Allow),
	}
	for _, p := range [][]bpf.RawInstruction{old, newer} {
		if ds := KernelCheck(p, Seccomp); len(ds) > 0 {
			t.Fatalf("not a valid filter: %v", ds[0])
		}
	}
	progs := [][]bpf.RawInstruction{old, newer}
	var inputs []vm.SeccompData
	for _, a0 := range []uint64{0, 1, 0x30005, 0x50000, 0x50007, 0x7fc00000, 0x7fff0003, 0x80000000, 0xffffffff} {
		inputs = append(inputs, vm.SeccompData{Nr: 163, Arch: 0xc000003e, Args: [6]uint64{a0}}, vm.SeccompData{Nr: 0, Arch: 0xc000003e, Args: [6]uint64{a0}})
	}
	if _, err := Stack(progs); err != nil {
		t.Fatalf("Stack: %v", err)
	}
	checkStack(t, progs, inputs)
}
