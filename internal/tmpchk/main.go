package main

import (
	"fmt"
	"os"

	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/vm"
)

func main() {
	f, _ := asm.ParseFormat("ddd")
	for _, name := range os.Args[1:] {
		data, _ := os.ReadFile(name)
		p, err := asm.Read(name, data, f)
		if err != nil {
			panic(err)
		}
		pkt := make([]byte, 37)
		pkt[12], pkt[13] = 8, 0
		pkt[14] = 0x45
		pkt[23] = 6
		pkt[34], pkt[35] = 0, 80
		r, err := vm.RunPacket(p, pkt, nil)
		fmt.Println(name, r, err)
	}
}
