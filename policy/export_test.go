package policy

import "github.com/cbpfkit/cbpf/arch"

// For the external tests (mux_vm_test.go), which use the compiler.

// MuxSlotsForTest returns what each of the multiplexer's registers holds
// for call name: "call", "arg N", "addr" or "ignored".
func MuxSlotsForTest(a *arch.Arch, mux, name string) [6]string {
	var out [6]string
	for i, s := range muxSlots(a, mux, name) {
		switch s.kind {
		case slotCall:
			out[i] = "call"
		case slotArg:
			out[i] = "arg " + string(rune('0'+s.arg))
		case slotAddr:
			out[i] = "addr"
		default:
			out[i] = "ignored"
		}
	}
	return out
}

// IPCCallsForTest lists the calls of ipcSlots.
func IPCCallsForTest() []string {
	var ns []string
	for n := range ipcSlots {
		ns = append(ns, n)
	}
	return ns
}
