package policy

import (
	_ "embed"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cbpfkit/cbpf/arch"
)

//go:generate go run ./internal/genconsts

// consts.txt lists the Linux constants the policy language knows by name,
// generated from golang.org/x/sys/unix: one a line, its value, then the
// arches where the value differs ("mips=0x2d") or where it is not defined
// ("mips=-").
//
//go:embed consts.txt
var constsText string

type constEntry struct {
	def  int64
	per  map[string]int64 // arch name → value where it differs from def
	none map[string]bool  // arch names where the constant is not defined
}

type constTable struct {
	byName map[string]*constEntry
	names  []string // sorted, for suggestions
}

var consts = sync.OnceValue(func() *constTable {
	t := &constTable{byName: map[string]*constEntry{}}
	for _, line := range strings.Split(constsText, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		e := &constEntry{def: parseConstNum(f[1])}
		for _, o := range f[2:] {
			a, v, _ := strings.Cut(o, "=")
			if v == "-" {
				if e.none == nil {
					e.none = map[string]bool{}
				}
				e.none[a] = true
				continue
			}
			if e.per == nil {
				e.per = map[string]int64{}
			}
			e.per[a] = parseConstNum(v)
		}
		t.byName[f[0]] = e
		t.names = append(t.names, f[0])
	}
	sort.Strings(t.names)
	return t
})

// parseConstNum reads the generator's numbers: 0x1f or -0x64. The table is
// generated, so a malformed number is a bug caught by the tests.
func parseConstNum(s string) int64 {
	neg := strings.HasPrefix(s, "-")
	u, err := strconv.ParseUint(strings.TrimPrefix(s, "-"), 0, 64)
	if err != nil {
		panic("policy: consts.txt: bad number " + s)
	}
	if neg {
		return -int64(u)
	}
	return int64(u)
}

// constValue returns the value of the named constant on a, as a signed
// number (AT_FDCWD is -100): the caller widens it to the comparison.
func constValue(name string, a *arch.Arch) (int64, bool) {
	e, ok := consts().byName[name]
	if !ok || e.none[a.Name] {
		return 0, false
	}
	if v, ok := e.per[a.Name]; ok {
		return v, true
	}
	return e.def, true
}

// knownConst reports whether name is a constant on some arch.
func knownConst(name string) bool {
	_, ok := consts().byName[name]
	return ok
}

// closest returns the candidate nearest to s by edit distance, if it is
// near enough to be a plausible typo.
func closest(s string, candidates []string) string {
	best, bestD := "", len(s)/3+2
	if bestD > 4 {
		bestD = 4
	}
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), strings.ToLower(c), bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, or max if it is at
// least max.
func editDistance(a, b string, max int) int {
	if d := len(a) - len(b); d >= max || -d >= max {
		return max
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
			rowMin = min(rowMin, c)
		}
		if rowMin >= max {
			return max
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], max)
}
