package vm

import (
	"fmt"
	"testing"
)

func TestExpPaths(t *testing.T) {
	pkts := benchPackets()
	var b testing.B
	prog := loadDDD(&b, "tcp_port_22.ddd")
	m, _ := New(prog, Packet)
	hist := map[string]int{}
	for _, p := range pkts {
		var path []int
		m.RunPacketOpts(p, nil, &Options{Trace: func(s Step) { path = append(path, s.PC) }})
		hist[fmt.Sprint(path)]++
	}
	for k, v := range hist {
		fmt.Println(v, k)
	}
}
