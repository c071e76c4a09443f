package policy_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// muxForm is one way the kernel reads a multiplexed call in the tests:
// arg0 and the register that holds an address (0 for none).
type muxTestForm struct {
	arg0 uint64
	addr int
	// label is how the warning names the form ("" for the only one).
	label string
}

// muxTestForms: the calls and forms the claims test draws from.
func muxTestForms(a, call string) []muxTestForm {
	switch call {
	case "socket":
		return []muxTestForm{{arg0: 1, addr: 1}}
	case "connect":
		return []muxTestForm{{arg0: 3, addr: 1}}
	case "semctl":
		return []muxTestForm{{arg0: 3, addr: 4}}
	case "semtimedop":
		return []muxTestForm{{arg0: 4}}
	case "shmget":
		return []muxTestForm{{arg0: 23}}
	case "shmat":
		return []muxTestForm{{arg0: 21, addr: 3}}
	case "msgrcv":
		if a == "s390x" {
			return []muxTestForm{{arg0: 12, addr: 4}}
		}
		return []muxTestForm{{arg0: 12, addr: 4, label: "for version 0 (bits 16 to 31 of arg0 clear)"}, {arg0: 12 | 1<<16, label: "for other versions"}}
	}
	return nil
}

var (
	claimCompares = regexp.MustCompile(`(?:^|[:;,] |and |the filter )compares (.+?) with (?:socketcall|ipc)'s arg(\d)`)
	claimNoDep    = regexp.MustCompile(`does not depend on (.+?) there`)
	claimArg      = regexp.MustCompile(`arg(\d)`)
)

// TestMuxClaimsRandom checks every statement of the warnings about rules
// on multiplexed calls against the VM, on random rules on x86 and s390x:
// "compares C with the multiplexer's argK" (some two calls through the
// multiplexer that differ only in register K get different actions),
// "does not depend on C there" (no two such calls do), and the verdicts
// "never met" and "met whatever the arguments" for each form of the call
// (for msgrcv, version 0 and the others), at every user address.
func TestMuxClaimsRandom(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 9))
	ops := []string{"==", "!=", "<", "<=", ">", ">="}
	consts := []uint64{0, 1, 3, 4095, 4096, 0xffffe000, 0xffffffff}
	calls := []string{"socket", "connect", "semctl", "semtimedop", "shmget", "shmat", "msgrcv"}
	counts := map[string]int{}
	for range 160 {
		archName := []string{"x86", "s390x"}[rnd.IntN(2)]
		call := calls[rnd.IntN(len(calls))]
		var parts []string
		for range 1 + rnd.IntN(3) {
			k := rnd.IntN(6)
			var c string
			if rnd.IntN(5) == 0 {
				c = fmt.Sprintf("(arg%d & 0x%x) == 0x%x", k, rnd.Uint32N(16), rnd.Uint32N(4))
			} else {
				c = fmt.Sprintf("arg%d %s %d", k, ops[rnd.IntN(len(ops))], consts[rnd.IntN(len(consts))])
			}
			if rnd.IntN(3) == 0 {
				c = "!(" + c + ")"
			}
			parts = append(parts, c)
		}
		sep := []string{" && ", " || "}[rnd.IntN(2)]
		src := "default allow\narch " + archName + "\n" + call + ": " + strings.Join(parts, sep) + " => errno(7)\n"
		p, warns, err := policy.ParseText("t", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		var note string
		for _, w := range warns {
			if strings.Contains(w.Msg, " the filter ") {
				note = w.Msg
			}
		}
		if note == "" {
			counts["none"]++
			continue
		}
		a := p.Arches[0]
		m := mustVM(t, p)
		mux, _, _ := a.Multiplexed(call)
		nr, _ := a.SyscallNumber(mux)
		run := func(regs [6]uint64) policy.Action {
			return policy.Action(m.RunSeccomp(vm.SeccompData{Arch: a.Audit, Nr: int32(nr), Args: regs}).Ret)
		}
		// Values for each register: the constants of its conditions and
		// their neighbours, the ends, a random address.
		var cands [6][]uint64
		for k := 1; k < 6; k++ {
			cands[k] = []uint64{0, 0xffffffff, 4096 + uint64(rnd.Uint32N(0xffffe000-4096))}
			for _, part := range parts {
				if !strings.Contains(part, fmt.Sprintf("arg%d ", k)) {
					continue
				}
				for _, f := range strings.FieldsFunc(part, func(r rune) bool { return r == ' ' || r == '(' || r == ')' }) {
					if v, err := strconv.ParseUint(f, 0, 64); err == nil {
						cands[k] = append(cands[k], v, v-1, v+1, v|^uint64(0xf)&0xffffffff)
					}
				}
			}
		}
		forms := muxTestForms(archName, call)
		sample := func(f muxTestForm, inDomain bool) [6]uint64 {
			regs := [6]uint64{f.arg0}
			for k := 1; k < 6; k++ {
				regs[k] = cands[k][rnd.IntN(len(cands[k]))] & 0xffffffff
				if archName == "s390x" && rnd.IntN(4) == 0 {
					regs[k] |= uint64(rnd.Uint32()) << 32
				}
			}
			if inDomain && f.addr > 0 && (regs[f.addr] < 4096 || regs[f.addr] > 0xffffdfff) {
				regs[f.addr] = 4096 + uint64(rnd.Uint32N(0xffffe000-4096))
			}
			return regs
		}
		// "compares C with argK": a witness that register K alone
		// changes the outcome, for some form.
		for _, x := range claimCompares.FindAllStringSubmatch(note, -1) {
			k, _ := strconv.Atoi(x[2])
			found := false
			for i := 0; i < 3000 && !found; i++ {
				regs := sample(forms[i%len(forms)], false)
				base := run(regs)
				for _, v := range cands[k] {
					regs[k] = v
					if run(regs) != base {
						found = true
						break
					}
				}
			}
			counts["compares"]++
			if !found {
				t.Errorf("%s%s\nclaims the filter compares %s with arg%d: no two calls differing in that register get different actions", src, note, x[1], k)
			}
		}
		for _, x := range claimNoDep.FindAllStringSubmatch(note, -1) {
			k, _ := strconv.Atoi(claimArg.FindStringSubmatch(x[1])[1])
			counts["nodep"]++
			for i := range 1000 {
				regs := sample(forms[i%len(forms)], false)
				base := run(regs)
				for _, v := range cands[k] {
					regs[k] = v
					if got := run(regs); got != base {
						t.Fatalf("%s%s\nclaims the outcome does not depend on %s: %#x gets %v, with arg%d %#x %v", src, note, x[1], regs, got, k, v, base)
					}
				}
			}
		}
		// The verdicts, per form.
		for _, f := range forms {
			v := note
			if f.label != "" {
				if i := strings.Index(note, f.label+", "); i >= 0 {
					v = note[i+len(f.label)+2:]
					if j := strings.Index(v, "; "); j >= 0 {
						v = v[:j]
					}
				} else if !strings.Contains(note, "for other versions") {
					v = note[strings.LastIndex(note, ": ")+2:] // one verdict for both
				}
			} else {
				v = note[strings.LastIndex(note, ": ")+2:]
			}
			var want policy.Action
			switch {
			case strings.HasPrefix(v, "the rule is never met"), strings.HasPrefix(v, "the rule is effectively never met"):
				want, counts["never"] = p.Default, counts["never"]+1
			case strings.HasPrefix(v, "the rule is met there whatever"):
				want, counts["always"] = policy.Errno(7), counts["always"]+1
			default:
				counts["depends"]++
				continue
			}
			strict := !strings.Contains(v, "effectively") && !strings.Contains(v, "at any address")
			for range 1500 {
				regs := sample(f, !strict)
				if got := run(regs); got != want {
					t.Fatalf("%s%s\nsays %q for arg0 %#x; the filter gives %v for %#x", src, note, v, f.arg0, got, regs)
				}
			}
		}
	}
	t.Logf("claims checked: %v", counts)
	for _, k := range []string{"compares", "nodep", "never", "always", "depends"} {
		if counts[k] == 0 {
			t.Errorf("no %q claim among the random rules: the test covers too little (%v)", k, counts)
		}
	}
}
