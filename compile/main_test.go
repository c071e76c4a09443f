package compile

import (
	"os"
	"testing"

	"github.com/cbpfkit/cbpf/internal/kernel"
)

func TestMain(m *testing.M) {
	kernel.MaybeChild()
	os.Exit(m.Run())
}
