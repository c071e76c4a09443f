package policy

import (
	"slices"
	"testing"
)

func TestOCIRuntimeSettings(t *testing.T) {
	profile := `{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock", "listenerMetadata": "m",
		"flags": ["SECCOMP_FILTER_FLAG_LOG"], "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}`
	for _, c := range []struct{ name, data string }{
		{"profile", profile},
		{"config.json", `{"ociVersion": "1.2.0", "linux": {"seccomp": ` + profile + `}}`},
	} {
		s, err := OCIRuntimeSettings([]byte(c.data))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if s.ListenerPath != "/run/agent.sock" || s.ListenerMetadata != "m" || !slices.Equal(s.Flags, []string{"SECCOMP_FILTER_FLAG_LOG"}) {
			t.Errorf("%s: %+v", c.name, s)
		}
	}
	if s, err := OCIRuntimeSettings([]byte(`{"defaultAction": "SCMP_ACT_ALLOW"}`)); err != nil || s.ListenerPath != "" || s.Flags != nil {
		t.Errorf("no settings: %+v, %v", s, err)
	}
	if _, err := OCIRuntimeSettings([]byte(`{"listenerPath": 3}`)); err == nil {
		t.Error("a number as listenerPath: no error")
	}
}
