package compile

// The syscall-number search tree: an optimal alphabetic tree over the
// ranges, each internal node one "jge #k" (nr >= k goes right), each leaf a
// range's outcome. It minimises the expected number of comparisons, each
// range weighted by how many numbers a program is likely to meet in it
// (Knuth's dynamic programme with his root-monotonicity speed-up, O(n²)).

type node struct {
	k           uint32 // split: nr >= k goes right
	left, right *node
	leaf        int // index of the range, for leaves; -1 for internal nodes
}

func buildTree(rs []rng) *node {
	n := len(rs)
	if n == 1 {
		return &node{leaf: 0}
	}
	// prefix sums of weights
	ps := make([]float64, n+1)
	for i, r := range rs {
		ps[i+1] = ps[i] + r.weight
	}
	w := func(i, j int) float64 { return ps[j+1] - ps[i] }
	// cost[i][j] over ranges i..j inclusive; root[i][j] = first range of
	// the right subtree.
	cost := make([][]float64, n)
	root := make([][]int32, n)
	for i := range cost {
		cost[i] = make([]float64, n)
		root[i] = make([]int32, n)
	}
	for i := 0; i+1 < n; i++ {
		cost[i][i+1] = w(i, i+1)
		root[i][i+1] = int32(i + 1)
	}
	for span := 2; span < n; span++ {
		for i := 0; i+span < n; i++ {
			j := i + span
			lo, hi := int(root[i][j-1]), int(root[i+1][j])
			best, bestM := -1.0, lo
			for m := lo; m <= hi; m++ {
				c := cost[i][m-1] + cost[m][j]
				if best < 0 || c < best {
					best, bestM = c, m
				}
			}
			cost[i][j] = best + w(i, j)
			root[i][j] = int32(bestM)
		}
	}
	var build func(i, j int) *node
	build = func(i, j int) *node {
		if i == j {
			return &node{leaf: i}
		}
		m := int(root[i][j])
		return &node{k: rs[m].lo, left: build(i, m-1), right: build(m, j), leaf: -1}
	}
	return build(0, n-1)
}
