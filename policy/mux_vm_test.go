package policy_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/vm"
)

// TestIPCSlots checks the ipc argument table against the calls' argument
// lists: every argument of each call is in exactly one register, or
// behind the one address the table names (semctl's arg3, msgrcv's msgp
// and msgtyp).
func TestIPCSlots(t *testing.T) {
	behind := map[string][]int{"semctl": {3}, "msgrcv": {1, 3}}
	// The calls' arity, from their prototypes (ipc/syscalls.h).
	arity := map[string]int{"semop": 3, "semget": 3, "semctl": 4, "semtimedop": 4,
		"msgsnd": 4, "msgrcv": 5, "msgget": 2, "msgctl": 3,
		"shmat": 3, "shmdt": 1, "shmget": 3, "shmctl": 3}
	x86, _ := arch.Lookup("x86")
	for _, name := range x86.MultiplexedCalls(arch.IPC) {
		slots := policy.MuxSlotsForTest(x86, arch.IPC, name)
		if slots[0] != "call" {
			t.Errorf("%s: arg0 %s", name, slots[0])
		}
		n := arity[name]
		if n == 0 {
			t.Errorf("%s: arity unknown", name)
		}
		seen := map[int]int{}
		for _, s := range slots[1:] {
			var k int
			if _, err := fmt.Sscanf(s, "arg %d", &k); err == nil {
				seen[k]++
			}
		}
		for _, k := range behind[name] {
			seen[k]++
		}
		for k := range n {
			if seen[k] != 1 {
				t.Errorf("%s: argument %d is in %d places: %q", name, k, seen[k], slots)
			}
		}
		if len(seen) != n {
			t.Errorf("%s: %d arguments placed, it has %d: %q", name, len(seen), n, slots)
		}
	}
	if got := policy.IPCCallsForTest(); len(got) != len(x86.MultiplexedCalls(arch.IPC)) {
		t.Errorf("table has %v", got)
	}
}

// muxCase is a policy with one rule on a multiplexed call, the warnings
// ParseText gives, and what the filter does on the multiplexer's path,
// which the warnings claim: inputs (the multiplexer's registers) that
// get the rule's action, and inputs that get the default.
type muxCase struct {
	arch, rule string
	warns      []string
	match      [][6]uint64 // registers of the multiplexer: the rule applies
	miss       [][6]uint64 // the default applies
	// neverFrom: for every address from 4096 up in register addrReg
	// (and any other registers), the default applies; alwaysFrom: the
	// rule applies.
	neverFrom, alwaysFrom bool
	addrReg               int
}

const (
	sysSocket = 1
	shmget    = 23
	msgsnd    = 11
	msgrcv    = 12
	shmdt     = 22
)

// TestMuxWarnings compiles rules on calls that x86 (and s390x) also offer
// through socketcall and ipc, and runs the filter in the VM on the
// multiplexer's registers to confirm what each warning says.
func TestMuxWarnings(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []muxCase{
		{arch: "x86", rule: "socket: arg0 == AF_PACKET && arg1 == 3 => kill_process",
			warns: []string{"t:3:1: warning: socket: on x86, through socketcall(SYS_SOCKET) the filter does not check arg0 (socketcall's arg0 is the call number) and compares arg1 == 3 with socketcall's arg1, the address of socket's arguments: the rule is effectively never met there (no address from 4096 up, where Linux maps user memory, satisfies it)"},
			// The filter compares the register with 3: an address of 3
			// matches, which shows what is compared.
			match:     [][6]uint64{{sysSocket, 3}},
			miss:      [][6]uint64{{sysSocket, 0xbffff000, 17, 3}},
			neverFrom: true, addrReg: 1},
		{arch: "x86", rule: "socket: arg1 != 3 => kill_process",
			warns:      []string{"t:3:1: warning: socket: on x86, through socketcall(SYS_SOCKET) the filter compares arg1 != 3 with socketcall's arg1, the address of socket's arguments: the rule is met there whatever socket's arguments, at any address from 4096 up"},
			miss:       [][6]uint64{{sysSocket, 3}},
			alwaysFrom: true, addrReg: 1},
		{arch: "x86", rule: "socket: arg2 == 0 => errno(1)",
			warns: []string{"t:3:1: warning: socket: on x86, through socketcall(SYS_SOCKET) the filter compares arg2 == 0 with socketcall's arg2, a register socketcall ignores for socket, which the caller sets as it likes: whether the rule is met there depends on registers the caller sets as it likes"},
			match: [][6]uint64{{sysSocket, 0xbffff000, 0}},
			miss:  [][6]uint64{{sysSocket, 0xbffff000, 1}}},
		{arch: "x86", rule: "socket: arg0 == AF_INET => errno(1)",
			warns:      []string{"t:3:1: warning: socket: on x86, through socketcall(SYS_SOCKET) the filter does not check arg0 (socketcall's arg0 is the call number): the rule is met there whatever socket's arguments"},
			match:      [][6]uint64{{sysSocket, 0xbffff000, 1, 2, 3, 4}, {sysSocket, 0, 0xffffffff}},
			alwaysFrom: true, addrReg: 1},
		{arch: "x86", rule: "shmget: arg1 == 4096 => kill_process",
			warns: []string{
				"t:3:1: warning: shmget: on x86, through ipc(SHMGET) the filter compares arg1 == 0x1000 with ipc's arg1, which holds shmget's arg0 (ipc passes the arguments shifted by one): whether the rule is met there depends on arguments of shmget other than those the conditions name",
				"t:3:1: warning: shmget: on x86, through ipc(SHMGET) calls whose arg0 has 23 in its low 16 bits and higher bits set do not match this rule, since the filter compares all of arg0 with 23 (the kernel takes bits 16 to 31 as an interface version and runs shmget all the same): they get the default action, allow",
			},
			// ipc(SHMGET, key, size, flg): the size is ipc's arg2, yet
			// the filter compares the key (arg1).
			match: [][6]uint64{{shmget, 4096, 1}},
			miss:  [][6]uint64{{shmget, 1, 4096}, {shmget | 1<<16, 4096, 1}}},
		{arch: "x86", rule: "msgsnd: arg2 == 8 => errno(1)",
			warns: []string{"t:3:1: warning: msgsnd: on x86, through ipc(MSGSND) calls whose arg0 has 11 in its low 16 bits and higher bits set do not match this rule, since the filter compares all of arg0 with 11 (the kernel takes bits 16 to 31 as an interface version and runs msgsnd all the same): they get the default action, allow"},
			match: [][6]uint64{{msgsnd, 5, 8, 0, 0xbffff000}},
			miss:  [][6]uint64{{msgsnd, 5, 9}, {msgsnd | 1<<16, 5, 8}}},
		{arch: "x86", rule: "msgrcv: arg3 == 5 => errno(1)",
			warns: []string{
				"t:3:1: warning: msgrcv: on x86, through ipc(MSGRCV) the filter compares arg3 == 5 with ipc's arg3, which holds msgrcv's arg4 (ipc passes the arguments in other registers): whether the rule is met there depends on arguments of msgrcv other than those the conditions name",
				"t:3:1: warning: msgrcv: on x86, through ipc(MSGRCV) calls whose arg0 has 12 in its low 16 bits and higher bits set do not match this rule, since the filter compares all of arg0 with 12 (the kernel takes bits 16 to 31 as an interface version and runs msgrcv for every version but 0, with msgp in ipc's arg4 and msgtyp in its arg5): they get the default action, allow",
			},
			match: [][6]uint64{{msgrcv, 1, 2, 5}},
			miss:  [][6]uint64{{msgrcv, 1, 2, 6, 0xbffff000, 5}}},
		{arch: "x86", rule: "shmdt: arg0 == 0x1000 => errno(1)",
			warns: []string{
				"t:3:1: warning: shmdt: on x86, through ipc(SHMDT) the filter does not check arg0 (ipc's arg0 is the call number; shmdt's arg0 is in ipc's arg4): the rule is met there whatever shmdt's arguments",
				"t:3:1: warning: shmdt: on x86, through ipc(SHMDT) calls whose arg0 has 22 in its low 16 bits and higher bits set do not match this rule, since the filter compares all of arg0 with 22 (the kernel takes bits 16 to 31 as an interface version and runs shmdt all the same): they get the default action, allow",
			},
			match: [][6]uint64{{shmdt, 0, 0, 0, 0x2000}, {shmdt, 0, 0, 0, 0x1000}},
			miss:  [][6]uint64{{shmdt | 1<<16, 0, 0, 0, 0x1000}}},
		{arch: "s390x", rule: "socket: kill_process",
			warns: []string{"t:3:1: warning: socket: on s390x, through socketcall(SYS_SOCKET) calls whose arg0 has 1 in its low 32 bits and higher bits set do not match this rule, since the filter compares all of arg0 with 1 (the kernel reads only the low 32 bits and runs socket all the same): they get the default action, allow"},
			match: [][6]uint64{{sysSocket, 0x3ff00000000}},
			miss:  [][6]uint64{{sysSocket | 1<<32, 0x3ff00000000}}},
		// An allow rule whose bypass gets the (stricter) default: no
		// version warning.
		{arch: "x86", rule: "shmget: allow",
			match: [][6]uint64{{shmget}}},
	} {
		t.Run(tc.arch+" "+tc.rule, func(t *testing.T) {
			src := "default allow\narch " + tc.arch + "\n" + tc.rule + "\n"
			if tc.rule == "shmget: allow" {
				src = strings.Replace(src, "default allow", "default errno(EPERM)", 1)
			}
			p, warns, err := policy.ParseText("t", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, w := range warns {
				got = append(got, w.String())
			}
			// The calls the rule would miss if the filter compared the
			// whole of arg0 (as libseccomp does; Policy.MuxWholeArg0):
			// cbpf reads the call as the kernel does, so they match, and
			// there is no warning about them.
			for _, w := range tc.warns {
				if !strings.Contains(w, "do not match this rule") {
					want = append(want, w)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("warnings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			a := p.Arches[0]
			m := mustVM(t, p)
			muxName, _, _ := a.Multiplexed(p.Rules[0].Syscall)
			nr, _ := a.SyscallNumber(muxName)
			run := func(regs [6]uint64) policy.Action {
				ret := policy.Action(m.RunSeccomp(vm.SeccompData{Arch: a.Audit, Nr: int32(nr), Args: regs}).Ret)
				// The VM and Eval agree on the multiplexer's path.
				if ev := policy.Eval(p, policy.Call{Arch: a.Audit, Nr: int32(nr), Args: regs}); ev != ret {
					t.Errorf("%#x: filter %v, Eval %v", regs, ret, ev)
				}
				return ret
			}
			act := p.Rules[0].Action
			for _, regs := range tc.match {
				if got := run(regs); got != act {
					t.Errorf("%#x: %v, want the rule's %v", regs, got, act)
				}
			}
			_, call, _ := a.Multiplexed(p.Rules[0].Syscall)
			for _, regs := range tc.miss {
				want := p.Default
				if regs[0] != uint64(call) && arch.MuxCall(muxName, regs[0]) == call {
					want = act // the same call, read as the kernel reads it
				}
				if got := run(regs); got != want {
					t.Errorf("%#x: %v, want %v", regs, got, want)
				}
			}
			if tc.neverFrom || tc.alwaysFrom {
				for i := range 20000 {
					var regs [6]uint64
					regs[0] = sysSocket
					for k := 1; k < 6; k++ {
						regs[k] = uint64(rnd.Uint32())
						if rnd.IntN(4) == 0 {
							regs[k] = uint64(rnd.IntN(8))
						}
					}
					switch i {
					case 0:
						regs[tc.addrReg] = 4096
					case 1:
						regs[tc.addrReg] = 0xffffdfff
					default:
						regs[tc.addrReg] = 4096 + uint64(rnd.Uint32N(0xffffe000-4096))
					}
					want := act
					if tc.neverFrom {
						want = p.Default
					}
					if got := run(regs); got != want {
						t.Fatalf("%#x: %v, want %v", regs, got, want)
					}
				}
			}
		})
	}
}

// TestMuxVerdictsRandom: for random rules on socket and semctl, whenever
// the warning concludes that the rule is never met, or always met, on the
// multiplexer's path, the filter says the same for every address from
// 4096 up and any other registers.
func TestMuxVerdictsRandom(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	ops := []string{"==", "!=", "<", "<=", ">", ">="}
	consts := []string{"0", "1", "3", "4095", "4096", "0xffffe000", "0xffffffff"}
	cond := func() string {
		k := rnd.IntN(4)
		if rnd.IntN(5) == 0 {
			return fmt.Sprintf("(arg%d & 0x%x) == 0x%x", k, rnd.Uint32N(16), rnd.Uint32N(4))
		}
		return fmt.Sprintf("arg%d %s %s", k, ops[rnd.IntN(len(ops))], consts[rnd.IntN(len(consts))])
	}
	counts := map[string]int{}
	for range 400 {
		call, mux, callNr, addr := "socket", arch.Socketcall, uint64(1), 1
		if rnd.IntN(2) == 0 {
			call, mux, callNr, addr = "semctl", arch.IPC, 3, 4
		}
		var parts []string
		for range 1 + rnd.IntN(3) {
			c := cond()
			if rnd.IntN(4) == 0 {
				c = "!(" + c + ")"
			}
			parts = append(parts, c)
		}
		sep := " && "
		if rnd.IntN(2) == 0 {
			sep = " || "
		}
		src := "default allow\narch x86\n" + call + ": " + strings.Join(parts, sep) + " => errno(7)\n"
		p, warns, err := policy.ParseText("t", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		verdict := ""
		for _, w := range warns {
			switch {
			case strings.Contains(w.Msg, "effectively never met there"), strings.Contains(w.Msg, "the rule is never met there"):
				verdict = "never"
			case strings.Contains(w.Msg, "the rule is met there whatever"):
				verdict = "always"
			}
		}
		counts[verdict]++
		if verdict == "" {
			continue
		}
		m := mustVM(t, p)
		a := p.Arches[0]
		nr, _ := a.SyscallNumber(mux)
		for i := range 3000 {
			var regs [6]uint64
			regs[0] = callNr
			for k := 1; k < 6; k++ {
				regs[k] = []uint64{0, 1, 3, 4095, 4096, 0xffffffff, uint64(rnd.Uint32())}[rnd.IntN(7)]
			}
			regs[addr] = 4096 + uint64(rnd.Uint32N(0xffffe000-4096))
			if i < 2 {
				regs[addr] = []uint64{4096, 0xffffdfff}[i]
			}
			got := policy.Action(m.RunSeccomp(vm.SeccompData{Arch: a.Audit, Nr: int32(nr), Args: regs}).Ret)
			want := policy.Errno(7)
			if verdict == "never" {
				want = p.Default
			}
			if got != want {
				t.Fatalf("%s%v\nsays %s; filter gives %v for %#x", src, warns, verdict, got, regs)
			}
		}
	}
	if counts["never"] == 0 || counts["always"] == 0 {
		t.Errorf("verdicts %v: the test covers too little", counts)
	}
}

// TestMuxWholeArg0: an OCI profile's kill rule on shmget, on x86. By
// default the filter reads ipc's call as the kernel does (low 16 bits), so
// a versioned ipc(SHMGET | 1<<16) is killed too, and the warning says that
// runc's filter lets it through; with MuxWholeArg0 the filter is runc's,
// the call escapes, and the warning says so of cbpf's filter.
func TestMuxWholeArg0(t *testing.T) {
	data := []byte(`{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["shmget"], "action": "SCMP_ACT_KILL_PROCESS"}]}`)
	x86, _ := arch.Lookup("x86")
	ipc, _ := x86.SyscallNumber(arch.IPC)
	versioned := policy.Call{Arch: x86.Audit, Nr: int32(ipc), Args: [6]uint64{23 | 1<<16}}
	for _, whole := range []bool{false, true} {
		p, warns, err := policy.ParseOCI("p.json", data, policy.OCIOptions{Arch: "386", MuxWholeArg0: whole})
		if err != nil {
			t.Fatal(err)
		}
		var note string
		for _, w := range warns {
			if strings.Contains(w.Msg, "do not match this rule") {
				note = w.Msg
			}
		}
		if whole == strings.Contains(note, "runc's filter") || note == "" {
			t.Errorf("MuxWholeArg0 %v: warning %q", whole, note)
		}
		m := mustVM(t, p)
		got := policy.Action(m.RunSeccomp(vm.SeccompData{Arch: versioned.Arch, Nr: versioned.Nr, Args: versioned.Args}).Ret)
		want := policy.KillProcess
		if whole {
			want = policy.Allow
		}
		if got != want || policy.Eval(p, versioned) != want {
			t.Errorf("MuxWholeArg0 %v: ipc(SHMGET|1<<16): filter %v, Eval %v, want %v", whole, got, policy.Eval(p, versioned), want)
		}
	}
}

// run runs prog in the VM on the call c.
func run(t *testing.T, prog []bpf.RawInstruction, c policy.Call) policy.Action {
	t.Helper()
	m, err := vm.New(prog, vm.Seccomp)
	if err != nil {
		t.Fatal(err)
	}
	return policy.Action(m.RunSeccomp(vm.SeccompData{Nr: c.Nr, Arch: c.Arch, Args: c.Args}).Ret)
}
