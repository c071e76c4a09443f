package policy

import (
	"fmt"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
)

// Notes about single rules that the parsers (ParseText, ParseOCI) and
// Validate share: what a rule means on a target where it means something
// else than it says.

// exemptNote says, for a rule whose action is not ALLOW on a syscall that
// some kernels run without consulting any seccomp filter (arch.Exempt) on
// a target, that the rule has no effect there; "" if it has one
// everywhere.
func exemptNote(name string, act Action, targets []*arch.Arch) string {
	if act.Kind() == Allow {
		return ""
	}
	var on []string
	var ex arch.Exemption
	for _, a := range targets {
		nr, ok := a.SyscallNumber(name)
		if !ok {
			continue
		}
		e, ok := a.Exempt(nr)
		if !ok {
			continue
		}
		ex = e
		on = append(on, a.Name)
	}
	if len(on) == 0 {
		return ""
	}
	since := "Linux " + ex.Since + "+"
	if ex.Stable != "" {
		since += " (and " + strings.ReplaceAll(ex.Stable, ",", "+,") + "+)"
	}
	return fmt.Sprintf("%s: on %s, %s runs %s without consulting any seccomp filter, so this rule (%s) has no effect there: %s",
		name, strings.Join(on, ", "), since, name, ActionText(act), ex.Why)
}
