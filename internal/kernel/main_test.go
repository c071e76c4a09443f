package kernel

import (
	"testing"
)

func TestMain(m *testing.M) { Main(m.Run) }
