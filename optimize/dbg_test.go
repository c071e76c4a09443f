//go:build dbg

package optimize

import (
	"fmt"
	"github.com/cbpfkit/cbpf/opcode"
	"os"
	"testing"
)

func TestDbg(t *testing.T) {
	p := readDDD(t, os.Getenv("F"))
	out, rep, err := Program(p, Packet, Options{})
	fmt.Println(opcode.Program(out))
	fmt.Printf("%+v %v\n", rep, err)
}
