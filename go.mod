module github.com/cbpfkit/cbpf

go 1.26.0

require golang.org/x/net v0.62.0

require (
	github.com/google/go-cmp v0.7.0
	github.com/moby/profiles/seccomp v0.3.0
	github.com/opencontainers/runtime-spec v1.2.1
	golang.org/x/sys v0.50.0
)
