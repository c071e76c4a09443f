package policy

// Warnings about path rules that leave other opens to the rest of the policy.

import (
	"regexp"
	"strings"
	"testing"
)

// Path rules on some of the calls that open a file by name leave the
// others to the default: the README's own worked example ("cat may open
// its libraries and what is under /tmp/ex/allowed, nothing else") lists
// openat and open only, so openat2 and creat open any file (tried: an
// openat2 of /tmp/r11/t/secret under cbpf exec reads it; creat truncates
// it). The policy says so by its letter, but nothing warns.
func TestPartialPathRulesWarn(t *testing.T) {
	for _, c := range []struct {
		name, src string
		missing   []string
	}{
		{"README allow-list", "default allow\narch x86_64\n" +
			`openat, open: path not in {"/etc/ld.so.cache", "/lib/**", "/usr/lib/**", "/tmp/ex/allowed/**"} => errno(EACCES)` + "\n",
			[]string{"openat2", "creat"}},
		{"deny-list on openat", "default allow\narch x86_64\n" +
			`openat: path in {"/etc/shadow"} => errno(EACCES)` + "\n",
			[]string{"open", "openat2", "creat"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, probs, err := ParseText("p.policy", []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			probs = append(probs, p.Validate()...)
			var all []string
			for _, pr := range probs {
				all = append(all, pr.String())
			}
			text := strings.Join(all, "\n")
			for _, m := range c.missing {
				if !regexp.MustCompile(`(^|[^a-z0-9_])` + m + `([^a-z0-9_]|$)`).MatchString(text) {
					t.Errorf("no warning that %s is left to the default (allow): problems %q", m, all)
				}
			}
		})
	}
}
