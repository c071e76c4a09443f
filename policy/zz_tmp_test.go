package policy

import (
	"os"
	"testing"
)

func TestTmp(t *testing.T) {
	src, _ := os.ReadFile(os.Getenv("F"))
	p, w, err := ParseText("f", src)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", p)
	for _, x := range w {
		t.Log(x)
	}
}
