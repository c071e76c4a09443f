package arch

// Multiplexer call numbers: the first argument of socketcall(2)
// (include/uapi/linux/net.h, SYS_SOCKET ...) and of ipc(2)
// (include/uapi/linux/ipc.h, SEMOP ...).
var (
	socketcalls = map[string]int{
		"socket": 1, "bind": 2, "connect": 3, "listen": 4, "accept": 5,
		"getsockname": 6, "getpeername": 7, "socketpair": 8, "send": 9,
		"recv": 10, "sendto": 11, "recvfrom": 12, "shutdown": 13,
		"setsockopt": 14, "getsockopt": 15, "sendmsg": 16, "recvmsg": 17,
		"accept4": 18, "recvmmsg": 19, "sendmmsg": 20,
	}
	ipcCalls = map[string]int{
		"semop": 1, "semget": 2, "semctl": 3, "semtimedop": 4,
		"msgsnd": 11, "msgrcv": 12, "msgget": 13, "msgctl": 14,
		"shmat": 21, "shmdt": 22, "shmget": 23, "shmctl": 24,
	}
)

// Names of the two multiplexers.
const (
	Socketcall = "socketcall"
	IPC        = "ipc"
)

// IPCCallMask is the part of ipc(2)'s first argument that selects the call:
// the kernel takes the call from the low 16 bits and an interface version
// from the high 16 bits (ksys_ipc: version = call >> 16; call &= 0xffff).
const IPCCallMask = 0xffff

// Multiplexed reports whether the named call can also be made through a
// multiplexer on a: mux is "socketcall" or "ipc" and call its first
// argument. ok is false when a has no such multiplexer in its table (x86_64,
// arm EABI, aarch64, ...) or name is not one of its calls.
//
// A call can be both direct and multiplexed: i386 has socket (359) since
// Linux 4.3 and socketcall with call 1 since always. A filter that means
// "socket" must cover both; see the package documentation.
func (a *Arch) Multiplexed(name string) (mux string, call int, ok bool) {
	if c, found := socketcalls[name]; found {
		if _, has := a.SyscallNumber(Socketcall); has {
			return Socketcall, c, true
		}
	}
	if c, found := ipcCalls[name]; found {
		if _, has := a.SyscallNumber(IPC); has {
			return IPC, c, true
		}
	}
	return "", 0, false
}

// MuxCall is the call number the kernel reads from the first argument of
// multiplexer mux: socketcall takes an int (the low 32 bits; the kernel
// refuses numbers outside 1..20), ipc an unsigned int of which it takes
// the low 16 bits as the call and bits 16 to 31 as an interface version
// (ksys_ipc), so ipc(SHMGET | 1<<16, ...) is shmget too.
func MuxCall(mux string, arg0 uint64) int {
	switch mux {
	case IPC:
		return int(uint32(arg0) & IPCCallMask)
	case Socketcall:
		return int(int32(uint32(arg0)))
	}
	return -1
}

// Demultiplex returns the name of call number call of multiplexer mux
// ("socketcall" or "ipc") on a. It is the inverse of Multiplexed. For ipc,
// call must already be masked with IPCCallMask.
func (a *Arch) Demultiplex(mux string, call int) (string, bool) {
	m := a.muxTable(mux)
	if m == nil {
		return "", false
	}
	for n, c := range m {
		if c == call {
			return n, true
		}
	}
	return "", false
}

// muxTable returns the calls of multiplexer mux by name, or nil if mux is
// not a multiplexer or a has none of that name.
func (a *Arch) muxTable(mux string) map[string]int {
	var m map[string]int
	switch mux {
	case Socketcall:
		m = socketcalls
	case IPC:
		m = ipcCalls
	}
	if _, has := a.SyscallNumber(mux); !has {
		return nil
	}
	return m
}

// MultiplexedCalls returns the names of the calls of multiplexer mux on a,
// sorted by call number, or nil if a has no such multiplexer.
func (a *Arch) MultiplexedCalls(mux string) []string {
	m := a.muxTable(mux)
	if m == nil {
		return nil
	}
	byCall := map[int]string{}
	max := 0
	for n, c := range m {
		byCall[c] = n
		if c > max {
			max = c
		}
	}
	var ns []string
	for c := 1; c <= max; c++ {
		if n, ok := byCall[c]; ok {
			ns = append(ns, n)
		}
	}
	return ns
}

// IPCVersions reports whether a's ipc(2) accepts an interface version in
// bits 16 to 31 of its first argument (ksys_ipc). s390x's refuses any
// with EINVAL (arch/s390/kernel/syscall.c, s390_ipc). It is false where a
// has no ipc.
func (a *Arch) IPCVersions() bool {
	if _, ok := a.SyscallNumber(IPC); !ok {
		return false
	}
	return a.Name != "s390x"
}
