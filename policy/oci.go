package policy

import "errors"

// OCIOptions tune ParseOCI.
type OCIOptions struct {
	// Caps are the capabilities the container has, for Docker's
	// includes/excludes; nil means Docker's default capability set.
	Caps []string
	// Arch, if set, is the host arch for Docker's archMap (default: the
	// host's).
	Arch string
}

// ParseOCI reads a Docker or OCI runtime-spec seccomp profile (JSON).
// (stub: being written)
func ParseOCI(name string, data []byte, opts OCIOptions) (*Policy, []Problem, error) {
	return nil, nil, errors.New("policy: ParseOCI not implemented yet")
}
