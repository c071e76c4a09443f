package pass

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/cbpfkit/cbpf/diag"
)

// The tests' program: a list of numbers. halve halves the first even one
// above 0 (one step); drop removes a 1 (one step).
type nums struct{ v []int }

func halve(p *nums) bool {
	for i, x := range p.v {
		if x > 0 && x%2 == 0 {
			p.v[i] = x / 2
			return true
		}
	}
	return false
}

func drop(p *nums) bool {
	if i := slices.Index(p.v, 1); i >= 0 {
		p.v = slices.Delete(p.v, i, i+1)
		return true
	}
	return false
}

func sum(p *nums) int {
	s := len(p.v)
	for _, x := range p.v {
		s += x
	}
	return s
}

var list = List[*nums]{{Name: "halve", Run: halve}, {Name: "drop", Run: drop}}

func TestSweep(t *testing.T) {
	p := &nums{v: []int{4, 1, 3}}
	if !list.Sweep(p) || !slices.Equal(p.v, []int{2, 3}) {
		t.Fatalf("after one sweep: %v, want [2 3]", p.v)
	}
	p = &nums{v: []int{3}}
	if list.Sweep(p) {
		t.Fatal("a sweep that changes nothing reports a change")
	}
}

func TestFix(t *testing.T) {
	p := &nums{v: []int{8, 1, 3}}
	sweeps, err := list.Fix(p, sum)
	if err != nil {
		t.Fatal(err)
	}
	// 8 1 3 -> 4 3 -> 2 3 -> 1 3 -> 3 (halve and drop both in the last
	// changing sweep), then a sweep that changes nothing.
	if !slices.Equal(p.v, []int{3}) || sweeps != 4 {
		t.Fatalf("Fix: %v after %d sweeps, want [3] after 4", p.v, sweeps)
	}
}

// A pass that reports a change without lowering the weight would loop
// forever: Fix stops with an error naming it.
func TestFixCatchesAPassThatDoesNotEnd(t *testing.T) {
	flip := List[*nums]{{Name: "flip", Run: func(p *nums) bool { p.v[0] = -p.v[0]; return true }}}
	_, err := flip.Fix(&nums{v: []int{5}}, func(p *nums) int { return 10 })
	var e *Error
	if !errors.As(err, &e) || e.Pass != "flip" || e.Sweep != 1 {
		t.Fatalf("Fix = %v, want an *Error for pass flip in sweep 1", err)
	}
	var de *diag.Error
	if !errors.As(err, &de) || de.Code != diag.CodeInternal || de.Msg != err.Error() {
		t.Errorf("errors.As diag.Error: %+v", de)
	}
	if _, err := flip.Fix(&nums{v: []int{5}}, func(p *nums) int { return -1 }); err == nil {
		t.Fatal("a negative weight is accepted")
	}
}

func ExampleList_Fix() {
	p := &nums{v: []int{6, 1, 1}}
	sweeps, err := list.Fix(p, sum)
	fmt.Println(p.v, sweeps, err)
	// Output: [3] 3 <nil>
}
