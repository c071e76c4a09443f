package verify

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/kernel"
)

// TestEquivalentKernel checks equiv's verdicts on QEMU's filter in the
// kernel: each counterexample makes the two programs return what
// Equivalent says they return, and the programs proven equal return the
// same on clone calls with random flags and on every syscall number.
func TestEquivalentKernel(t *testing.T) {
	needKernel(t)
	p := loadDDD(t, "qemu_sandbox.ddd")
	j := findInsn(t, p, 0x15, 0x10000000) // CLONE_NEWUSER forbidden
	cloneChanged := mutate(p, j, 0x1000000)
	cloneChanged[j-1].K = 0x1000000
	i := findInsn(t, p, 0x15, 169) // reboot: KILL_PROCESS -> ERRNO(1)
	rebootChanged := append(append([]bpf.RawInstruction(nil), p...), retK(0x00050001))
	rebootChanged[i].Jt = uint8(len(rebootChanged) - 1 - (i + 1))
	divZero := []bpf.RawInstruction{ins(0x20, 0, 0, 16), ins(0x07, 0, 0, 0), ins(0x00, 0, 0, 5), ins(0x3c, 0, 0, 0), retK(0x00050007)}
	var jobs []kernel.SeccompJob
	var want []uint32
	for _, c := range []struct {
		name string
		a, b []bpf.RawInstruction
	}{
		{"clone flag", p, ldZero(cloneChanged)},
		{"clone flag, cut off", p, cloneChanged},
		{"reboot", p, rebootChanged},
		{"division by zero", divZero, []bpf.RawInstruction{retK(0x00050007)}},
	} {
		opt := EquivOptions{}
		if c.name == "clone flag, cut off" {
			opt.MaxPaths = 8 // found by sampling the unproven class
		}
		r, err := EquivalentWith(c.a, c.b, Seccomp, opt)
		if err != nil || r.Verdict != Different {
			t.Fatalf("%s: %v %v, want different", c.name, r.Verdict, err)
		}
		if r.Seccomp.Arch != kernel.AuditArchX86_64 && c.name != "division by zero" {
			t.Fatalf("%s: counterexample on arch %#x", c.name, r.Seccomp.Arch)
		}
		in := []kernel.Input{{Nr: r.Seccomp.Nr, Args: r.Seccomp.Args}}
		jobs = append(jobs, kernel.SeccompJob{Prog: c.a, Inputs: in}, kernel.SeccompJob{Prog: c.b, Inputs: in})
		want = append(want, r.RetA, r.RetB)
	}
	// Equal: QEMU's filter and its copy with "ld #0" in front.
	rnd := rand.New(rand.NewPCG(9, 9))
	var ins []kernel.Input
	for nr := int32(0); nr < 460; nr++ {
		if kernel.Unfiltered(nr) {
			continue // never reaches the filter
		}
		ins = append(ins, kernel.Input{Nr: nr, Args: [6]uint64{rnd.Uint64() & 0xffffffff}})
	}
	for k := 0; k < 500; k++ {
		flags := rnd.Uint64() & 0xffffffff
		if k%2 == 0 {
			flags |= 0x3d0f00 // the flags pthread_create sets, often
		}
		ins = append(ins, kernel.Input{Nr: 56, Args: [6]uint64{flags}})
	}
	jobs = append(jobs, kernel.SeccompJob{Prog: p, Inputs: ins}, kernel.SeccompJob{Prog: ldZero(p), Inputs: ins})
	run, err := kernel.SeccompBatch(jobs)
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range want {
		res := run.Results[k]
		if res.Err != nil || res.Rets[0] != w {
			t.Errorf("counterexample %d, program %c: kernel %v %v, Equivalent says %#x", k/2, 'A'+k%2, res.Rets, res.Err, w)
		}
	}
	ra, rb := run.Results[len(want)], run.Results[len(want)+1]
	if ra.Err != nil || rb.Err != nil {
		t.Fatal(ra.Err, rb.Err)
	}
	for k := range ins {
		if ra.Rets[k] != rb.Rets[k] {
			t.Errorf("proven equal, but the kernel returns %#x and %#x on %+v", ra.Rets[k], rb.Rets[k], ins[k])
		}
	}
}
