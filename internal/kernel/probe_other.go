//go:build !amd64

package kernel

const haveProbe = false

func probe(nr, a1, a2, a3, a4, a5, a6 uintptr) uintptr { return 0 }

func probeAddr() uintptr { return 0 }
