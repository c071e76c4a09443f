// Package ivals is sets of unsigned 64-bit values as sorted, disjoint,
// non-adjacent intervals: the sets of argument values the compiler
// dispatches on and the explanations print.
package ivals

import "sort"

// Interval is [Lo, Hi], both included.
type Interval struct{ Lo, Hi uint64 }

// Set is a union of intervals, sorted, disjoint and non-adjacent (the
// operations below keep it so).
type Set []Interval

// Union returns a ∪ b.
func (a Set) Union(b Set) Set {
	all := append(append(Set{}, a...), b...)
	sort.Slice(all, func(i, j int) bool { return all[i].Lo < all[j].Lo })
	var out Set
	for _, iv := range all {
		if n := len(out); n > 0 && (iv.Lo <= out[n-1].Hi || out[n-1].Hi != ^uint64(0) && iv.Lo == out[n-1].Hi+1) {
			out[n-1].Hi = max(out[n-1].Hi, iv.Hi)
			continue
		}
		out = append(out, iv)
	}
	return out
}

// Intersect returns a ∩ b.
func (a Set) Intersect(b Set) Set {
	var out Set
	for _, x := range a {
		for _, y := range b {
			if lo, hi := max(x.Lo, y.Lo), min(x.Hi, y.Hi); lo <= hi {
				out = append(out, Interval{lo, hi})
			}
		}
	}
	return out.Union(nil)
}

// Complement returns [0, top] minus a (a within [0, top]).
func (a Set) Complement(top uint64) Set {
	var out Set
	next := uint64(0)
	for _, iv := range a {
		if iv.Lo > next {
			out = append(out, Interval{next, iv.Lo - 1})
		}
		if iv.Hi >= top {
			return out
		}
		next = iv.Hi + 1
	}
	return append(out, Interval{next, top})
}
