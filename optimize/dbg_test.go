package optimize
import ("testing";"fmt";"os";"github.com/cbpfkit/cbpf/opcode")
func TestDbg(t *testing.T) {
	p := readDDD(t, os.Getenv("F"))
	out, rep, err := Program(p, Packet, Options{})
	fmt.Println(opcode.Program(out)); fmt.Printf("%+v %v\n", rep, err)
}
