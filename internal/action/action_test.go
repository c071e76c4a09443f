package action

import "testing"

func TestString(t *testing.T) {
	for _, c := range []struct {
		ret  uint32
		want string
	}{
		{0x7fff0000, "ALLOW"},
		{0x7fff1234, "ALLOW"},
		{0x00050001, "ERRNO(1)"},
		{0x0005ffff, "ERRNO(65535)"},
		{0x80000000, "KILL_PROCESS"},
		{0x00000000, "KILL_THREAD"},
		{0x00030007, "TRAP(7)"},
		{0x7ff00002, "TRACE(2)"},
		{0x7ffc0000, "LOG"},
		{0x7fc00000, "USER_NOTIF"},
		{0x00120000, "UNKNOWN(0x00120000)"},
	} {
		if got := String(c.ret); got != c.want {
			t.Errorf("String(%#08x) = %q, want %q", c.ret, got, c.want)
		}
		if Known(c.ret) != (c.want[0] != 'U' || c.want == "USER_NOTIF") {
			t.Errorf("Known(%#08x) = %v", c.ret, Known(c.ret))
		}
	}
}
