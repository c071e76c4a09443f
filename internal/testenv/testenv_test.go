package testenv

import "testing"

func TestMissing(t *testing.T) {
	t.Setenv("CI", "")
	var skipped bool
	t.Run("developer", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Tool(t, "no-such-tool-cbpf")
	})
	if !skipped {
		t.Error("a missing tool does not skip the test without CI")
	}
	if Tool(t, "go") == "" {
		t.Error("Tool(go) returned no path")
	}
}
