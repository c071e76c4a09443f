// Package benchmarks measures cbpf side by side with its peers: libseccomp
// (through cgo, so this is a module of its own) compiling Docker's default
// seccomp profile, and the filters each produces.
//
//	cd benchmarks && go test -v -run Report . && go test -run XXX -bench . -count 6 . | tee bench.txt
package benchmarks
