package main

import (
	"encoding/json"

	"github.com/moby/profiles/seccomp"
)

// dockerDefault is Docker's default seccomp profile, as
// github.com/moby/profiles/seccomp builds it, in JSON.
func dockerDefault() ([]byte, error) {
	return json.Marshal(seccomp.DefaultProfile())
}
