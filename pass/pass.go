package pass

import (
	"fmt"

	"github.com/cbpfkit/cbpf/diag"
)

// Pass is one rewrite of a program: Run changes p in place and reports
// whether it changed anything.
type Pass[P any] struct {
	Name string
	Run  func(p P) bool
}

// List is an ordered list of passes.
type List[P any] []Pass[P]

// Sweep runs each pass once, in order, and reports whether any changed p.
func (l List[P]) Sweep(p P) bool {
	changed := false
	for _, ps := range l {
		if ps.Run(p) {
			changed = true
		}
	}
	return changed
}

// Fix runs the passes in order, sweep after sweep, until a whole sweep
// changes nothing, and returns how many sweeps it ran (the last one
// changed nothing).
//
// It ends because weight(p) is a non-negative integer that every change
// must strictly decrease: Fix checks this after each pass that reports a
// change, so there are at most weight(p)+1 sweeps; a pass that breaks the
// rule (a bug that could loop forever) stops Fix with an *Error instead.
func (l List[P]) Fix(p P, weight func(P) int) (int, error) {
	w := weight(p)
	if w < 0 {
		return 0, &Error{Before: w, After: w}
	}
	for sweep := 1; ; sweep++ {
		changed := false
		for _, ps := range l {
			if !ps.Run(p) {
				continue
			}
			changed = true
			nw := weight(p)
			if nw < 0 || nw >= w {
				return sweep, &Error{Pass: ps.Name, Sweep: sweep, Before: w, After: nw}
			}
			w = nw
		}
		if !changed {
			return sweep, nil
		}
	}
}

// Error reports a pass that changed the program without decreasing its
// weight (or a negative weight), which would let Fix run forever.
type Error struct {
	Pass          string
	Sweep         int
	Before, After int
}

func (e *Error) Error() string {
	if e.Pass == "" {
		return fmt.Sprintf("pass: negative weight %d", e.Before)
	}
	return fmt.Sprintf("pass: %s (sweep %d) changed the program but its weight went from %d to %d, not down", e.Pass, e.Sweep, e.Before, e.After)
}

// As lets errors.As see e as a *diag.Error: a bug (diag.CodeInternal) of
// the program as a whole.
func (e *Error) As(target any) bool {
	t, ok := target.(**diag.Error)
	if ok {
		*t = &diag.Error{Pos: diag.AtInsn(-1), Code: diag.CodeInternal, Msg: e.Error()}
	}
	return ok
}
