package seccomp

import (
	"fmt"
	"strings"
)

// pathPattern is a compiled PathRule pattern: its elements between
// slashes. "**" elements match any number of path elements; other
// elements may contain "*", which matches any run of characters but "/".
type pathPattern struct {
	src   string
	elems []string
}

// compilePattern checks a pattern: absolute, clean ("/a/b", no "//",
// ".", ".." or trailing "/"), "**" only as a whole element.
func compilePattern(p string) (*pathPattern, error) {
	bad := func(why string) error { return fmt.Errorf("path pattern %q: %s", p, why) }
	switch {
	case p == "":
		return nil, bad("empty")
	case p[0] != '/':
		return nil, bad("not absolute (patterns match the real path, which starts with /)")
	case strings.IndexByte(p, 0) >= 0:
		return nil, bad("contains a NUL byte")
	case p == "/":
		return &pathPattern{src: p}, nil
	case strings.HasSuffix(p, "/"):
		return nil, bad(`ends with "/" (write "/dir/**" for everything below /dir)`)
	}
	elems := strings.Split(p[1:], "/")
	for _, e := range elems {
		switch {
		case e == "":
			return nil, bad(`has an empty element ("//")`)
		case e == "." || e == "..":
			return nil, bad(`has a "." or ".." element (patterns match the canonical path)`)
		case e != "**" && strings.Contains(e, "**"):
			return nil, bad(`"**" must be a whole element ("/a/**/b"), not part of one`)
		}
	}
	return &pathPattern{src: p, elems: elems}, nil
}

// match reports whether the absolute, canonical path p matches.
func (pp *pathPattern) match(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	var elems []string
	if p != "/" {
		elems = strings.Split(p[1:], "/")
	}
	// ok[j]: pattern elements so far match the first j path elements.
	ok := make([]bool, len(elems)+1)
	ok[0] = true
	next := make([]bool, len(elems)+1)
	for _, pe := range pp.elems {
		clear(next)
		if pe == "**" {
			seen := false
			for j := range ok {
				seen = seen || ok[j]
				next[j] = seen
			}
		} else {
			for j := 0; j < len(elems); j++ {
				if ok[j] && matchElem(pe, elems[j]) {
					next[j+1] = true
				}
			}
		}
		ok, next = next, ok
	}
	return ok[len(elems)]
}

// matchElem matches one element against a pattern element with "*".
func matchElem(pat, s string) bool {
	// Greedy with backtracking to the last star: linear in practice.
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pat) && pat[px] == '*':
			starP, starS = px, sx
			px++
		case px < len(pat) && pat[px] == s[sx]:
			px++
			sx++
		case starP >= 0:
			starS++
			px, sx = starP+1, starS
		default:
			return false
		}
	}
	for px < len(pat) && pat[px] == '*' {
		px++
	}
	return px == len(pat)
}
