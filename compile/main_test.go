package compile

import (
	"testing"

	"github.com/cbpfkit/cbpf/internal/kernel"
)

// TestMain lets the kernel oracle re-execute this test binary as the child
// that installs seccomp filters (never this process).
func TestMain(m *testing.M) { kernel.Main(m.Run) }
