package verify

import (
	"fmt"
	"slices"
	"sort"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/cbpfkit/cbpf/internal/action"
)

// Lint describes one warning Lint can give.
type Lint struct {
	Code    string
	Summary string // what is wrong
	Fix     string // what to do
}

// Lints lists every lint, by code.
var Lints = []Lint{
	{LintNrBeforeArch, "the syscall number is tested before the arch is checked; numbers mean different syscalls on different arches",
		"load and compare seccomp_data.arch (offset 4) first, and send unknown arches to a kill action"},
	{LintX32, "on x86_64, x32 calls (nr with bit 30 set) reach an action that lets them run; a deny-list that only lists x86_64 numbers can be bypassed through x32",
		"after the arch check, send nr >= 0x40000000 to a kill action (or test x32 explicitly)"},
	{LintForeignArch, "calls from an arch the filter never tests for can reach ALLOW; their numbers mean other syscalls",
		"compare arch with every arch you mean to serve and send all others to a kill action"},
	{LintUnreachable, "instructions no path reaches", "remove them"},
	{LintErrnoClamped, "ERRNO data above 4095: the kernel clamps it to 4095", "return an errno between 1 and 4095"},
	{LintUnknownAction, "a return value whose action the kernel does not know; the kernel treats it as KILL_PROCESS",
		"return one of KILL_PROCESS, KILL_THREAD, TRAP, ERRNO, USER_NOTIF, TRACE, LOG, ALLOW"},
	{LintReadsIP, "the filter reads instruction_pointer, which the calling process controls and which differs between runs (ASLR)",
		"decide on nr, arch and args only"},
	{LintArgHalf, "a 64-bit argument is tested on its low 32 bits only; a value with other high bits passes the same test",
		"test the high word too (usually high == 0), or make sure the argument is an int that the kernel truncates"},
	{LintStackLimit, "the filters of one task may have at most 32768 instructions in all, counting 4 more for each filter",
		"merge or shorten filters"},
}

// Lint codes.
const (
	LintNrBeforeArch  = "nr-before-arch"
	LintX32           = "x32-bypass"
	LintForeignArch   = "foreign-arch-allow"
	LintUnreachable   = "unreachable"
	LintErrnoClamped  = "errno-clamped"
	LintUnknownAction = "unknown-action"
	LintReadsIP       = "reads-ip"
	LintArgHalf       = "arg-half"
	LintStackLimit    = "stack-limit"
)

// MaxStackInsns is the kernel's MAX_INSNS_PER_PATH: the limit on the
// instructions of all filters of a task, each counting 4 more.
const MaxStackInsns = 32768

const auditX86_64 = 0xc000003e

func lintInfo(code string) Lint {
	for _, l := range Lints {
		if l.Code == code {
			return l
		}
	}
	return Lint{Code: code}
}

// warn builds a warning diagnostic; detail, if any, comes before the fix.
func warn(pc int, code, detail string) Diagnostic {
	l := lintInfo(code)
	msg := l.Summary
	if detail != "" {
		msg = detail + ": " + msg
	}
	return Diagnostic{Pc: pc, Severity: Warning, Code: code, Msg: msg + "; fix: " + l.Fix}
}

// LintProgram returns the warnings for a program the kernel accepts. In
// seccomp mode it runs every lint; in packet mode only the structural ones.
func LintProgram(prog []bpf.RawInstruction, mode Mode) []Diagnostic {
	var ds []Diagnostic
	for _, pc := range unreachable(prog) {
		ds = append(ds, warn(pc, LintUnreachable, ""))
	}
	if mode != Seccomp {
		return sortDiags(ds)
	}
	for pc, ins := range prog {
		switch {
		case ins.Op == unix.BPF_RET|unix.BPF_K && !action.Known(ins.K):
			ds = append(ds, warn(pc, LintUnknownAction, fmt.Sprintf("ret #%#08x", ins.K)))
		case ins.Op == unix.BPF_RET|unix.BPF_K && ins.K&action.ActionFull == action.Errno && ins.K&action.DataMask > action.MaxErrno:
			ds = append(ds, warn(pc, LintErrnoClamped, fmt.Sprintf("ERRNO(%d)", ins.K&action.DataMask)))
		case ins.Op == unix.BPF_LD|unix.BPF_W|unix.BPF_ABS && (ins.K == 8 || ins.K == 12):
			ds = append(ds, warn(pc, LintReadsIP, ""))
		}
	}
	ds = append(ds, pathLints(prog)...)
	return sortDiags(ds)
}

// CheckStack checks a task's stack of filters against the kernel's total
// instruction limit.
func CheckStack(progs [][]bpf.RawInstruction) []Diagnostic {
	total := 0
	for _, p := range progs {
		total += len(p) + 4
	}
	if total > MaxStackInsns {
		return []Diagnostic{warn(-1, LintStackLimit, fmt.Sprintf("%d filters count %d instructions", len(progs), total))}
	}
	return nil
}

func sortDiags(ds []Diagnostic) []Diagnostic {
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Pc < ds[j].Pc })
	return ds
}

// unreachable lists the instructions no path from the first reaches.
func unreachable(prog []bpf.RawInstruction) []int {
	seen := make([]bool, len(prog))
	seen[0] = true
	for pc, ins := range prog {
		if !seen[pc] {
			continue
		}
		for _, t := range successors(ins, pc) {
			if t < len(prog) {
				seen[t] = true
			}
		}
	}
	var out []int
	for pc, s := range seen {
		if !s {
			out = append(out, pc)
		}
	}
	return out
}

func successors(ins bpf.RawInstruction, pc int) []int {
	switch ins.Op & 0x07 {
	case unix.BPF_RET:
		return nil
	case unix.BPF_JMP:
		if ins.Op&0xf0 == unix.BPF_JA {
			return []int{pc + 1 + int(ins.K)}
		}
		return []int{pc + 1 + int(ins.Jt), pc + 1 + int(ins.Jf)}
	}
	return []int{pc + 1}
}

// pathLints runs the lints that follow paths symbolically.
func pathLints(prog []bpf.RawInstruction) []Diagnostic {
	var ds []Diagnostic
	once := map[string]bool{}
	add := func(pc int, code, detail string) {
		key := fmt.Sprint(code, pc)
		if !once[key] {
			once[key] = true
			ds = append(ds, warn(pc, code, detail))
		}
	}
	// Arch values the program compares arch with, and whether it tests x32.
	arches := map[uint32]bool{}
	halfPC := map[uint8]int{} // first pc that branches on each word
	e := &explorer{prog: prog}
	e.onBranch = func(pc int, s symStep, cs conj) {
		if s.unknown {
			return
		}
		w := s.cond.Word
		if _, ok := halfPC[w]; !ok {
			halfPC[w] = pc
		}
		switch {
		case w == 0 && len(cs.onWord(1)) == 0:
			add(pc, LintNrBeforeArch, "")
		case w == 1 && s.cond.Mask == 0xffffffff && (s.cond.Op == opEQ || s.cond.Op == opNE):
			arches[s.cond.C] = true
		}
	}
	var leaves []leaf
	e.visit = func(l leaf) { leaves = append(leaves, l) }
	e.run(nil)

	for _, l := range leaves {
		if l.ret.Kind == symConst && l.ret.C&action.ActionFull == action.Allow {
			// An arch value outside the tested ones?
			cs := l.cs
			for a := range arches {
				cs = append(cs[:len(cs):len(cs)], constraint{Word: 1, Op: opNE, Mask: 0xffffffff, C: a})
			}
			if _, ok := solveWord(cs.onWord(1)); ok {
				add(l.retPC, LintForeignArch, "")
			}
		}
		// Low word tested, high word not, on this path. Not a flaw where
		// arguments are 32-bit (32-bit arches; x32's are 64-bit).
		if args32(l.cs) {
			continue
		}
		bo := leafByteOrderLE(l.cs)
		for i := uint8(0); i < 6; i++ {
			lo, hi := uint8(4+2*i), uint8(5+2*i)
			if !bo {
				lo, hi = hi, lo
			}
			// A masked test of the low word alone is a complete 64-bit
			// masked test (the mask has no high bits); a full comparison
			// is not.
			full := slices.ContainsFunc(l.cs.onWord(lo), func(c constraint) bool { return c.Mask == 0xffffffff })
			if full && len(l.cs.onWord(hi)) == 0 {
				add(halfPC[lo], LintArgHalf, fmt.Sprintf("args[%d]", i))
			}
		}
	}
	if arches[auditX86_64] {
		x := &explorer{prog: prog}
		x.visit = func(l leaf) {
			if l.ret.Kind != symConst || !letsRun(l.ret.C) || testsX32(l.cs) {
				return
			}
			add(l.retPC, LintX32, action.String(l.ret.C))
		}
		x.run(conj{
			{Word: 1, Op: opEQ, Mask: 0xffffffff, C: auditX86_64},
			{Word: 0, Op: opNE, Mask: 0x40000000, C: 0},
		})
	}
	return ds
}

// letsRun reports whether an action lets the syscall run (or hands the
// decision to someone who may let it run).
func letsRun(ret uint32) bool {
	switch ret & action.ActionFull {
	case action.Allow, action.Log, action.Trace, action.UserNotif:
		return true
	}
	return false
}

// testsX32 reports whether a path's constraints on nr single out x32
// numbers on purpose: a test of bit 30, a bound at or above it, or a
// comparison with an x32 number (the constraint the exploration started
// from excepted).
func testsX32(cs conj) bool {
	for _, c := range cs[2:] {
		if c.Word != 0 {
			continue
		}
		if c.Mask&0x40000000 != 0 && (c.Op == opGT || c.Op == opLE) && c.C >= 0x3fffffff {
			return true
		}
		if c.Mask&0x40000000 != 0 && c.Mask != 0xffffffff {
			return true
		}
		// A comparison with an x32 number (bit 30 set; -1 is x86_64's)
		// names an x32 call: the filter handles x32 on this path.
		if c.Mask == 0xffffffff && (c.Op == opEQ || c.Op == opNE) && c.C&0x40000000 != 0 && c.C != 0xffffffff {
			return true
		}
	}
	return false
}

// leafByteOrderLE tells the byte order of a path from the arch it tests:
// little endian unless arch is pinned to a big-endian value.
func leafByteOrderLE(cs conj) bool {
	for _, c := range cs.onWord(1) {
		if c.Op == opEQ && c.Mask == 0xffffffff {
			return c.C&0x40000000 != 0
		}
	}
	return true
}

// args32 reports whether a path is pinned to a 32-bit ABI, whose
// arguments the kernel passes as 32-bit values: an arch value without
// __AUDIT_ARCH_64BIT. x32 is not one: its arguments are 64-bit registers.
func args32(cs conj) bool {
	for _, c := range cs.onWord(1) {
		if c.Op == opEQ && c.Mask == 0xffffffff {
			return c.C&0x80000000 == 0
		}
	}
	return false
}
