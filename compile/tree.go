package compile

import (
	"sort"

	"github.com/cbpfkit/cbpf/opcode"
)

// The syscall-number search tree: an optimal alphabetic tree over the
// ranges, each internal node one "jge #k" (nr >= k goes right), each leaf a
// range's outcome. It minimises the expected number of comparisons, each
// range weighted by how many numbers a program is likely to meet in it
// (Knuth's dynamic programme with his root-monotonicity speed-up, O(n²)).

type node struct {
	k           uint32 // split: nr >= k goes right (eq: nr == k goes right)
	eq          bool   // an equality test: right is the singleton range k
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
	if n > maxDPRanges {
		return balancedTree(rs, ps)
	}
	// cost[i][j] over ranges i..j inclusive; root[i][j] = first range of
	// the right subtree.
	// One allocation each for the n×n tables.
	costs, roots := make([]float64, n*n), make([]int32, n*n)
	cost := make([][]float64, n)
	root := make([][]int32, n)
	for i := range cost {
		cost[i] = costs[i*n : (i+1)*n]
		root[i] = roots[i*n : (i+1)*n]
	}
	for i := 0; i+1 < n; i++ {
		cost[i][i+1] = w(i, i+1)
		root[i][i+1] = int32(i + 1)
	}
	// An island, one number between two ranges of the same outcome, is one
	// "jeq" away: [x][k][x] costs a single test.
	island := func(i, j int) bool {
		return j == i+2 && rs[i+1].lo == rs[i+1].hi && rs[i].out.same(rs[j].out)
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
			if island(i, j) {
				cost[i][j] = w(i, j)
			}
		}
	}
	var build func(i, j int) *node
	build = func(i, j int) *node {
		if i == j {
			return &node{leaf: i}
		}
		if island(i, j) {
			return &node{k: rs[i+1].lo, eq: true, left: &node{leaf: i}, right: &node{leaf: i + 1}, leaf: -1}
		}
		m := int(root[i][j])
		return &node{k: rs[m].lo, left: build(i, m-1), right: build(m, j), leaf: -1}
	}
	return build(0, n-1)
}

// emitTree emits the tests of tree n; leaf gives the label each range's
// numbers go to. A is the value tested.
func emitTree(b *builder, n *node, rs []rng, leaf func(r rng) label) {
	if n.leaf >= 0 {
		b.ja(leaf(rs[n.leaf]))
		return
	}
	target := func(m *node) (label, bool) {
		if m.leaf >= 0 {
			return leaf(rs[m.leaf]), false
		}
		return b.newLabel(), true
	}
	lt, lInner := target(n.left)
	rt, rInner := target(n.right)
	if n.eq {
		b.jump(opcode.JEQ, n.k, rt, lt)
	} else {
		b.jump(opcode.JGE, n.k, rt, lt)
	}
	if lInner {
		b.mark(lt)
		emitTree(b, n.left, rs, leaf)
	}
	if rInner {
		b.mark(rt)
		emitTree(b, n.right, rs, leaf)
	}
}

// maxDPRanges bounds the ranges the optimal tree is searched for: the
// search takes n² time and memory (a value set of many thousands of
// values would need gigabytes). Past it, balancedTree.
const maxDPRanges = 1024

// balancedTree cuts each span where its weight halves (Mehlhorn's
// approximation of the optimal tree, within a couple of tests of it), in
// n log n time. ps are the prefix sums of the weights.
func balancedTree(rs []rng, ps []float64) *node {
	var build func(i, j int) *node
	build = func(i, j int) *node {
		if i == j {
			return &node{leaf: i}
		}
		// The first m in (i, j] whose prefix reaches half the span's
		// weight, or the one just before it if that is closer.
		half := (ps[i] + ps[j+1]) / 2
		m := i + 1 + sort.Search(j-i, func(k int) bool { return ps[i+1+k] >= half })
		if m > j {
			m = j
		}
		if m > i+1 && half-ps[m-1] < ps[m]-half {
			m--
		}
		return &node{k: rs[m].lo, left: build(i, m-1), right: build(m, j), leaf: -1}
	}
	return build(0, len(rs)-1)
}
