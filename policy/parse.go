package policy

import "errors"

// ParseText parses the policy language (see the package documentation).
// name is used in error positions. Warnings are returned along with the
// policy; a malformed file gives an error with file:line:col.
// (stub: being written)
func ParseText(name string, src []byte) (*Policy, []Problem, error) {
	return nil, nil, errors.New("policy: ParseText not implemented yet")
}
