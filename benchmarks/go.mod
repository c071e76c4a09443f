module github.com/cbpfkit/cbpf/benchmarks

go 1.26.0

require (
	github.com/cbpfkit/cbpf v0.0.0-00010101000000-000000000000
	github.com/moby/profiles/seccomp v0.3.0
	golang.org/x/net v0.62.0
)

require (
	github.com/opencontainers/runtime-spec v1.2.1 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/cbpfkit/cbpf => ../
