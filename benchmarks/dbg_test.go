package benchmarks

import (
	"os"
	"testing"

	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/vm"
)

func TestDbg(t *testing.T) {
	p := dockerDefault(t)
	os.Stdout.WriteString(p.String())
	prog := cbpfCompile(t, p)
	asm.Write(os.Stdout, prog, asm.Pseudo)
	m, _ := vm.New(prog, vm.Seccomp)
	for nr := 0; nr <= 460; nr++ {
		n := m.RunSeccomp(vm.SeccompData{Nr: int32(nr), Arch: 0xc000003e}).Insns
		if n > 12 {
			t.Logf("nr %d: %d", nr, n)
		}
	}
}
