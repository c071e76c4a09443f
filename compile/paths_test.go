package compile

import (
	"math/rand/v2"
	"testing"

	"github.com/cbpfkit/cbpf/internal/progen"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
)

// TestPathRules: a policy with path rules compiles to a filter that sends
// exactly the calls of those syscalls to the supervisor (USER_NOTIF, what
// policy.Eval says for a call whose path is unknown) and decides the rest
// itself, the unconditional allows still served from the kernel's cache.
func TestPathRules(t *testing.T) {
	src := `default errno(EPERM)
arch x86_64 x86
read, write, close, exit_group, fstat: allow
openat, open: path in {"/etc/safe.conf", "/usr/share/zoneinfo/**"}
openat: path in {"/usr/share/zoneinfo/secret"} => errno(EACCES)
openat: arg2 == 0x40 => kill_process
ioctl: arg1 == 0x5401
`
	p, _, err := policy.ParseText("p.policy", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Compile(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(8, 8))
	var calls []policy.Call
	for _, a := range p.Arches {
		for _, name := range []string{"openat", "open", "read", "ioctl", "mmap", "creat"} {
			nr, ok := a.SyscallNumber(name)
			if !ok {
				t.Fatalf("%s has no %s", a.Name, name)
			}
			for range 50 {
				c := policy.Call{Arch: a.Audit, Nr: int32(nr)}
				for k := range c.Args {
					c.Args[k] = []uint64{0, 0x40, 0x5401, progen.Value(r)}[r.IntN(4)]
				}
				calls = append(calls, c)
			}
		}
	}
	if err := evalProgAgainstVM(t, prog, p, calls); err != nil {
		t.Fatal(err)
	}
	notified := 0
	for _, c := range calls {
		if policy.Eval(p, c) == policy.UserNotif {
			notified++
		}
	}
	if notified != 2*2*50 { // openat and open on both arches, nothing else
		t.Errorf("%d calls go to the supervisor, want %d", notified, 200)
	}
	for _, a := range p.Arches {
		for _, name := range []string{"read", "write", "fstat"} {
			nr, _ := a.SyscallNumber(name)
			if !verify.CacheAllows(prog, a.Audit, nr) {
				t.Errorf("%s %s: no longer served from the kernel's cache", a.Name, name)
			}
		}
	}
}
