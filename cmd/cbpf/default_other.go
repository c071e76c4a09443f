//go:build !linux

package main

import "errors"

// dockerDefault: github.com/moby/profiles/seccomp builds Docker's profile
// on Linux only.
func dockerDefault() ([]byte, error) {
	return nil, errors.New("the embedded Docker default profile is built on Linux only; name a POLICY file")
}
