package arch

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Arg32 reports whether the kernel reads argument i (0..5) of the named
// syscall of a as a 32-bit value, so that the high half of its 64-bit
// seccomp_data.args[i] never reaches the call: a filter deciding on the
// low word alone decides as the call does.
//
// On the 32-bit ABIs (ArgBits 32) that holds for every argument of every
// call. On the 64-bit ABIs and x32 it holds for the arguments that the
// call's SYSCALL_DEFINE declares with a type narrower than 64 bits (int,
// unsigned int, u32, pid_t, uid_t, umode_t, ...: the syscall entry casts
// the register to that type); pointers, long, size_t, off_t and loff_t
// are 64-bit. Some calls differ between ABIs: x32's compat calls declare
// compat_ulong_t and compat_size_t (ioctl's arg, recvfrom's size, for
// instance), ppc64's personality takes an unsigned long. The table,
// arg32.txt, is Linux 6.17's (see its header for the source). Arg32 is
// false for a name a does not have, an index past the call's arguments
// and an index out of range.
func (a *Arch) Arg32(syscall string, i int) bool {
	if i < 0 || i > 5 {
		return false
	}
	if _, ok := a.SyscallNumber(syscall); !ok {
		return false
	}
	if a.ArgBits == 32 {
		return true
	}
	t := arg32()
	m, ok := t.byArch[a.Name][syscall]
	if !ok {
		m = t.common[syscall]
	}
	return m&(1<<i) != 0
}

//go:embed arg32.txt
var arg32Text string

// arg32Table is arg32.txt parsed: a bit set of 32-bit argument indexes
// per call, and the ABIs' own sets where they differ.
type arg32Table struct {
	common map[string]uint8
	byArch map[string]map[string]uint8
}

var arg32 = sync.OnceValue(func() arg32Table {
	t, err := parseArg32(arg32Text)
	if err != nil {
		panic("arch: arg32.txt: " + err.Error()) // a build defect the tests catch
	}
	return t
})

// parseArg32 reads lines "name: i ..." and "name abi,abi: i ...".
func parseArg32(s string) (arg32Table, error) {
	t := arg32Table{common: map[string]uint8{}, byArch: map[string]map[string]uint8{}}
	for n, l := range strings.Split(s, "\n") {
		if l == "" || l[0] == '#' {
			continue
		}
		head, idx, ok := strings.Cut(l, ":")
		if !ok {
			return t, fmt.Errorf("line %d: no colon: %q", n+1, l)
		}
		name, abis, perArch := strings.Cut(head, " ")
		if name == "" {
			return t, fmt.Errorf("line %d: no syscall name: %q", n+1, l)
		}
		var m uint8
		for f := range strings.FieldsSeq(idx) {
			i, err := strconv.Atoi(f)
			if err != nil || i < 0 || i > 5 || m&(1<<i) != 0 {
				return t, fmt.Errorf("line %d: bad or repeated argument index %q", n+1, f)
			}
			m |= 1 << i
		}
		if !perArch {
			if _, dup := t.common[name]; dup {
				return t, fmt.Errorf("line %d: %s listed twice", n+1, name)
			}
			t.common[name] = m
			continue
		}
		for ab := range strings.SplitSeq(abis, ",") {
			a, err := Lookup(ab)
			if err != nil || a.Name != ab || a.ArgBits != 64 {
				return t, fmt.Errorf("line %d: %q is not a 64-bit ABI's canonical name", n+1, ab)
			}
			if t.byArch[ab] == nil {
				t.byArch[ab] = map[string]uint8{}
			}
			if _, dup := t.byArch[ab][name]; dup {
				return t, fmt.Errorf("line %d: %s listed twice for %s", n+1, name, ab)
			}
			t.byArch[ab][name] = m
		}
	}
	return t, nil
}
