package verify

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/kernel"
	"github.com/cbpfkit/cbpf/internal/progen"
)

// TestLintWitnessesKernel runs the lints' witnesses under the kernel's
// seccomp: what the kernel returns for each must be what the diagnostic
// says. The kernel oracle makes x86_64 calls (x32 numbers included) and
// i386 calls through the compat entry (with high argument words, which
// i386-high-word's witnesses need), and cannot see uretprobe and uprobe,
// which the kernel does not filter.
func TestLintWitnessesKernel(t *testing.T) {
	needKernel(t)
	var progs [][]bpf.RawInstruction
	for _, cases := range lintCases {
		for _, c := range cases {
			progs = append(progs, c.prog)
		}
	}
	for _, c := range realCases {
		progs = append(progs, c.prog(t))
	}
	r := rand.New(rand.NewPCG(3, 7))
	for range 400 {
		progs = append(progs, progen.Program(r, progen.Seccomp, progen.Options{}))
	}
	var jobs []kernel.SeccompJob
	var want [][]uint32
	for _, p := range progs {
		ds := LintProgram(p, Seccomp)
		if hasCode(ds, LintReadsIP) || len(p) > kernel.MaxSeccompProg {
			continue // the probe's instruction_pointer is not the witness's
		}
		var job kernel.SeccompJob
		var rets []uint32
		for _, d := range ds {
			for _, w := range d.Witness {
				i386 := w.Input.Arch == kernel.AuditArchI386
				if w.Input.Arch != kernel.AuditArchX86_64 && !i386 || !i386 && kernel.Unfiltered(w.Input.Nr) {
					continue
				}
				job.Inputs = append(job.Inputs, kernel.Input{Nr: w.Input.Nr, Args: w.Input.Args, I386: i386})
				rets = append(rets, w.Ret)
			}
		}
		if len(job.Inputs) > 0 {
			job.Prog = p
			jobs = append(jobs, job)
			want = append(want, rets)
		}
	}
	if len(jobs) < 10 {
		t.Fatalf("only %d programs with x86_64 witnesses", len(jobs))
	}
	run, err := kernel.SeccompBatch(jobs)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, r := range run.Results {
		if r.Err != nil {
			t.Errorf("program %d: %v\n%s", i, r.Err, dump(jobs[i].Prog))
			continue
		}
		for j, got := range r.Rets {
			n++
			if got != want[i][j] {
				t.Errorf("program %d, input %+v: the kernel returns %#x, the witness says %#x\n%s", i, jobs[i].Inputs[j], got, want[i][j], dump(jobs[i].Prog))
			}
		}
	}
	t.Logf("%d witnesses of %d programs checked in the kernel", n, len(jobs))
}
