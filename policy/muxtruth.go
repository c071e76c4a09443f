package policy

// What a rule's predicate does on the multiplexer's path, decided by
// enumeration: each register the predicate compares takes the values that
// give every combination of truth values of its comparisons (the
// constants, their neighbours and the ends of the register's range), and
// the predicate is evaluated on every combination of registers. A
// dependence found this way is real (the values exist); the absence of
// one, or a constant outcome, is proven only when exact.

// muxCombos bounds the combinations evaluated.
const muxCombos = 1 << 12

// muxEval is what the enumeration found.
type muxEval struct {
	exact             bool    // every combination of truth values was tried
	canTrue, canFalse bool    // outcomes seen
	dep               [6]bool // a register whose value alone changes the outcome
}

// regDomain is the range of values register k takes: an address from
// minAddr up (addr), else any value of the arch's width.
func regDomain(addr bool, width int) (lo, hi uint64) {
	hi = ^uint64(0)
	if width == 32 {
		hi = 0xffffffff
	}
	if addr {
		lo = minAddr
		if width == 32 {
			hi = maxAddr32
		} else {
			hi -= minAddr
		}
	}
	return lo, hi
}

// analyseMux enumerates predicate w (nil is true) with register k ranging
// over its domain: addresses where addr[k] (and restrict), else any value.
func analyseMux(w Expr, addr *[6]bool, restrict bool, width int) muxEval {
	if w == nil {
		return muxEval{exact: true, canTrue: true}
	}
	var atoms [6][]*Cmp
	index := map[*Cmp]int{}
	exact := true
	walk(w, func(c *Cmp) {
		if c == nil || c.Arg < 0 || c.Arg > 5 {
			exact = false
			return
		}
		if _, seen := index[c]; !seen {
			index[c] = len(atoms[c.Arg])
			atoms[c.Arg] = append(atoms[c.Arg], c)
		}
	})
	var vecs [6][]uint64 // the truth vectors register k can give its atoms
	total := 1
	for k := range 6 {
		as := atoms[k]
		if len(as) == 0 {
			continue
		}
		if len(as) > 64 {
			return muxEval{canTrue: true, canFalse: true}
		}
		lo, hi := regDomain(restrict && addr[k], width)
		masked := false
		cands := []uint64{lo, hi}
		add := func(x uint64) {
			if lo <= x && x <= hi {
				cands = append(cands, x)
			}
			if width == 64 && x <= 0xffffffff {
				if y := x | 0xffffffff00000000; lo <= y && y <= hi {
					cands = append(cands, y)
				}
			}
		}
		for _, c := range as {
			v := c.Value
			if c.Op == MaskedEQ {
				masked = true
				m := c.Mask
				if c.Bits == 32 {
					m &= 0xffffffff
				}
				add(v)
				add(v | ^m)
				if m != 0 {
					low := m & -m
					add(v ^ low)
					add((v | ^m) ^ low)
				}
				continue
			}
			add(v)
			add(v - 1)
			add(v + 1)
		}
		if full := lo == 0 && (hi == ^uint64(0) || width == 32); masked && (len(as) > 1 || !full) {
			exact = false // masks and ranges together: not every vector may be found
		}
		seen := map[uint64]bool{}
		var args [6]uint64
		for _, x := range cands {
			args[k] = x
			var vec uint64
			for j, c := range as {
				if c.Eval(&args) {
					vec |= 1 << j
				}
			}
			if !seen[vec] {
				seen[vec] = true
				vecs[k] = append(vecs[k], vec)
			}
		}
		total *= len(vecs[k])
		if total > muxCombos {
			return muxEval{canTrue: true, canFalse: true}
		}
	}
	res := make([]bool, total)
	var digit [6]int
	var cur [6]uint64
	for n := range total {
		r := n
		for k := range 6 {
			if len(vecs[k]) == 0 {
				continue
			}
			digit[k] = r % len(vecs[k])
			r /= len(vecs[k])
			cur[k] = vecs[k][digit[k]]
		}
		res[n] = evalAtoms(w, index, &cur)
	}
	ev := muxEval{exact: exact}
	for n, v := range res {
		if v {
			ev.canTrue = true
		} else {
			ev.canFalse = true
		}
		// Register k's digit changes alone: compare with the others.
		stride := 1
		for k := range 6 {
			if len(vecs[k]) == 0 {
				continue
			}
			d := n / stride % len(vecs[k])
			if !ev.dep[k] && d == 0 {
				for j := 1; j < len(vecs[k]); j++ {
					if res[n+j*stride] != v {
						ev.dep[k] = true
						break
					}
				}
			}
			stride *= len(vecs[k])
		}
	}
	return ev
}

// evalAtoms evaluates e with the truth of each comparison taken from the
// vectors.
func evalAtoms(e Expr, index map[*Cmp]int, vec *[6]uint64) bool {
	switch e := e.(type) {
	case *Cmp:
		return vec[e.Arg]&(1<<index[e]) != 0
	case And:
		for _, x := range e {
			if !evalAtoms(x, index, vec) {
				return false
			}
		}
		return true
	case Or:
		for _, x := range e {
			if evalAtoms(x, index, vec) {
				return true
			}
		}
		return false
	case *Not:
		return !evalAtoms(e.X, index, vec)
	}
	return false
}
