package policy

import (
	"encoding/json"
	"fmt"
)

// OCIRuntime is what an OCI seccomp profile asks of the runtime that
// installs its filter, besides the filter itself: the flags for seccomp(2)
// and where to hand the listener of a filter with SCMP_ACT_NOTIFY rules.
type OCIRuntime struct {
	// Flags are the profile's "flags" (SECCOMP_FILTER_FLAG_LOG,
	// SECCOMP_FILTER_FLAG_SPEC_ALLOW, SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV),
	// as written.
	Flags []string
	// ListenerPath is the unix socket of the seccomp agent that serves the
	// notifications; runc connects to it and sends the listener fd with
	// the container's state (see seccomp.SendToAgent).
	ListenerPath string
	// ListenerMetadata is passed to the agent with the state, opaque.
	ListenerMetadata string
}

// OCIRuntimeSettings reads the runtime settings of the profile in data, in
// any form ParseOCI reads (a Docker profile, the runtime spec's
// linux.seccomp object, a whole config.json). It does not check the rest of
// the profile: ParseOCI does.
func OCIRuntimeSettings(data []byte) (OCIRuntime, error) {
	var top struct {
		DefaultAction *json.RawMessage `json:"defaultAction"`
		Syscalls      *json.RawMessage `json:"syscalls"`
		Linux         *struct {
			Seccomp json.RawMessage `json:"seccomp"`
		} `json:"linux"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return OCIRuntime{}, fmt.Errorf("policy: OCI runtime settings: %w", err)
	}
	body := data
	if top.DefaultAction == nil && top.Syscalls == nil && top.Linux != nil && len(top.Linux.Seccomp) > 0 {
		body = top.Linux.Seccomp
	}
	var s struct {
		Flags            []string `json:"flags"`
		ListenerPath     string   `json:"listenerPath"`
		ListenerMetadata string   `json:"listenerMetadata"`
	}
	if err := json.Unmarshal(body, &s); err != nil {
		return OCIRuntime{}, fmt.Errorf("policy: OCI runtime settings: %w", err)
	}
	return OCIRuntime{Flags: s.Flags, ListenerPath: s.ListenerPath, ListenerMetadata: s.ListenerMetadata}, nil
}
