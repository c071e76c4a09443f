package policy

import (
	specs "github.com/opencontainers/runtime-spec/specs-go"

	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
)

// Where the filter runc + libseccomp 2.5.4 install is not what the profile
// says.
//
// cbpf compiles what a profile means (Eval is the reference). runc hands
// the profile to libseccomp, and libseccomp 2.5.4 (Debian 12's) has code
// generation bugs that make its filter decide some calls otherwise; and
// its rule database works per arch in ways ParseOCI's model of runc
// (which reasons on 64 bits, for every arch at once) does not follow.
// ParseOCI warns where a profile hits either, naming a call that shows it
// and what runc's filter and the profile return for it. What follows was
// found by reading libseccomp 2.5.4 (src/db.c, src/gen_bpf.c) and checked
// by experiment with python3-seccomp; the tests check every warning's
// claim on the filter libseccomp exports.
//
// How libseccomp builds a filter. The rules of one syscall become a tree
// of 32-bit word tests: each rule is a chain, its conditions by argument
// (on a 64-bit arch a GT, GE, LT or LE is three tests: high word >, high
// word ==, low word; EQ, NE and MASKED_EQ two, high word then low word; on
// a 32-bit arch, x32 included, one test of the low word). A new chain is
// merged into the tree from the top: a test equal to an existing one
// (same word, operation, value and mask, whatever the rule's operator) is
// shared, and where the chains part the new test becomes a sibling,
// sorted (higher argument first, the high word before the low word,
// EQ/NE/MASKED_EQ before LT/LE before GT/GE, then by value). When a chain
// fails below a sibling the code goes on with the next sibling, and when
// every sibling of a level fails, with the next sibling of the level
// above. Before merging, libseccomp prunes: a new rule whose chain the
// tree already covers is dropped, and parts of the tree a new, shorter
// rule with the same action covers are removed. The code of a test loads
// its word unless the test before it (its previous sibling, or for the
// first of a level the test above) read the same word; identical blocks of
// code are kept once for the whole filter; blocks are laid out depth
// first from the end of the filter, the true branch before the false one,
// and a block without a load of its own gets one when the block that
// first jumps to it (the one it is laid out after) leaves another word in
// the accumulator. Each arch section loads the syscall number in the code
// of its first syscall (the one with the fewest tests; x86_64's own
// section, without x32, loads it in its ABI check).
//
// The bugs:
//
//  1. A stale accumulator. A test without a load of its own is reached
//     from its previous sibling, whose word it shares, but also when a
//     chain below that sibling fails, after tests that loaded other words
//     (the low word of the argument, later arguments); the layout pass
//     repairs this only for the first jump it lays the block out after.
//     Example: close with arg4 LE 1 → ERRNO(5) and arg4 GE 0x100000001 →
//     ERRNO(6): both chains start with "high word > x", the LE one comes
//     first and its true branch falls through to the GE one, which
//     therefore has no load; for arg4 = 0xffffffff the LE chain fails on
//     the low word and the GE chain's first test reads 0xffffffff > 1 from
//     the low word, so runc's filter returns ERRNO(6) where the profile
//     returns ERRNO(5). It takes two rules on one syscall whose tests part
//     on the same word, the first with a failing path below it that loads
//     another word and is not the one the layout repairs; any operator,
//     on 64-bit arches (LE, LT and NE chains fall through on their true
//     branch and are hit most) and on 32-bit ones (with several arguments).
//     Because blocks are shared across syscalls and arches, whether a block
//     is repaired can depend on another syscall's rules.
//  2. A missing load of the syscall number. A name the arch lacks gets a
//     placeholder entry (a negative pseudo number, left out of the code) on
//     arches without socketcall-style rewriting (aarch64, arm, riscv64,
//     mipsel64, x32); x86, ppc64le, mipsel and s390x drop such names, but
//     for a socket or ipc call they lack as a syscall of its own (accept
//     on x86) they add a placeholder besides the socketcall/ipc rule. When
//     such a placeholder has the fewest tests of its section, as when an
//     unconditional rule names open (absent on aarch64) and every aarch64
//     syscall of the profile has conditions, it is sorted first and the
//     number is never loaded: every syscall of the section is compared
//     with the arch value, none matches, and every call of that arch gets
//     the default action.
//  3. Merging loses rules. When a new chain's test equals an existing one
//     whose true branch already ends in an action while the new chain goes
//     on there, libseccomp stops merging and drops the rest of the new
//     chain, its false branch included (for a 64-bit GT/GE the false
//     branch holds the high word == and low word tests): after arg0 >
//     0x80000000 → ALLOW, the rule arg0 >= 1 && arg1 < 3 → ALLOW is lost
//     (both start with "high word of arg0 > 0"). Where two equal high-word
//     tests carry different actions it also overwrites one with the other.
//  4. Pruning drops rules. The pruning's bookkeeping can match a part of
//     the new chain (a later argument's tests, whose nodes equal the
//     tree's although the operators differ: NE and EQ give the same tests)
//     and report the new rule covered: rule arg0 < 0x100000002 && arg2 != 3
//     → TRACE is dropped after arg2 == 3 → TRAP.
//  5. A corrupt tree. A chain can reach one test by two branches (the
//     first test of the condition after a 64-bit GT or GE is reached from
//     "high word >" and from the low word test; after LT, LE and NE from
//     the other two). When merging makes both branches add that test as a
//     sibling, libseccomp links the node into a list of siblings a second
//     time, and its lists are corrupt from then on: on such profiles it
//     can loop forever (runc hangs) or build a filter that decides
//     otherwise. ParseOCI warns where the model meets this, without a
//     call (the model stops there).
//
// ParseOCI also warns where libseccomp refuses a rule its model of runc
// accepts (EEXIST: merged into the tree, one of the rule's tests would need
// two actions, as when a rule with more conditions and another action came
// first), so that runc fails.
//
// Not bugs, but ParseOCI's model of runc does not follow them, and the
// same warning reports them: on 32-bit arches libseccomp keeps the low 32
// bits of each constant, so a MASKED_EQ whose mask has only high bits
// always holds (the rule becomes unconditional there, and the first
// unconditional rule of a syscall wins, per arch), and rules can overlap
// in 32 bits that do not in 64 (ParseOCI's overlap warnings look at 64).
//
// The model below builds libseccomp's trees (merging and pruning as
// described), its blocks and their layout for the rules runc adds (in
// runc's order: one rule per name, split when an entry has several
// conditions on one argument, socketcall/ipc rewriting on the arches that
// have it), and searches each syscall for a call on which its code
// returns another action than the rules (each on its own, where they
// agree) and Eval. Not modelled: libseccomp's reference counts (a node
// freed by pruning while another branch still uses it, and the node counts
// that set the order of syscalls, can then differ); the random tests
// against libseccomp measure what that misses.

// lsWord names a 32-bit word of seccomp_data as libseccomp loads it:
// argument i's low word is 2i, its high word 2i+1; lsNr is the syscall
// number, lsNone an accumulator nothing was loaded into.
type lsWord int

const (
	lsNone lsWord = -2
	lsNr   lsWord = -1
)

// lsTest is the comparison a tree node makes (on its masked word).
type lsTest uint8

const (
	lsJEQ lsTest = iota // word & mask == datum
	lsJGT               // word > datum
	lsJGE               // word >= datum
)

// lsNode is one test of libseccomp's argument tree.
type lsNode struct {
	word     lsWord
	test     lsTest
	masked   bool // from MASKED_EQ: a different node than EQ's for merging
	datum    uint32
	mask     uint32
	orig     Op     // the operator of the rule it comes from (for sorting)
	full     uint64 // the rule's 64-bit value
	br       [2]lsEdge
	rule     int      // index in lsDB.rules of the rule that made the node
	lv       *lsLevel // the level the node is on
	detached bool     // removed from its level by pruning
	pos      int      // a hint: its index in lv.nodes
}

// index returns n's index on its level.
func (n *lsNode) index() int {
	if n.pos >= len(n.lv.nodes) || n.lv.nodes[n.pos] != n {
		n.pos = slices.Index(n.lv.nodes, n)
	}
	return n.pos
}

// lsEdge is where a branch goes: a node below (and with it the level it
// is on: every sibling, as libseccomp's code generation rewinds to the
// first), an action, or neither (on to the next sibling).
type lsEdge struct {
	next *lsNode
	act  Action
	has  bool
}

func (e lsEdge) lv() *lsLevel {
	if e.next == nil {
		return nil
	}
	return e.next.lv
}

// lsLevel is a list of sibling nodes, tried in order.
type lsLevel struct{ nodes []*lsNode }

// lsAcc is what the accumulator holds: word & mask.
type lsAcc struct {
	word lsWord
	mask uint32
}

func (n *lsNode) acc() lsAcc { return lsAcc{n.word, n.mask} }

func (n *lsNode) hi() bool { return n.word >= 0 && n.word&1 == 1 }

// lsRule is one seccomp_rule_add of runc's.
type lsRule struct {
	name  string
	act   Action
	conds []*Cmp // at most one per argument
	pos   string
}

// lsSys is one syscall entry of an arch's rule database.
type lsSys struct {
	nr     uint32
	pseudo bool // a name the arch lacks: left out of the code
	name   string
	uncond bool // an unconditional rule decides (act)
	act    Action
	tree   *lsNode // the node the entry points to (its level is the top)
	first  int     // index of the first rule that reached the entry

	// Every rule runc added for the entry, as the profile means them:
	// unconditional ones, and each conditional one's chain on its own.
	always []int
	alone  []lsLive
	code   lsTo // the entry's code (after layout)
	work   *lsBudget
}

// lsLive is a rule as one arch compiles it.
type lsLive struct {
	rule  int
	conds []lsCond
	act   Action
	chain *lsNode // the rule's chain alone (in alone)
}

// lsCond is one condition as one arch sees it (32-bit arches keep the low
// words only).
type lsCond struct {
	arg         int
	op          Op
	mask, datum uint64
}

// lsDB is the rule database of one arch.
type lsDB struct {
	a     *arch.Arch
	bits  int // 64, or 32 (libseccomp treats x32 as 32-bit)
	rules []lsRule
	sys   map[uint32]*lsSys
	work  *lsBudget
}

// lsBudget bounds the work of the whole model for one profile: pruning
// steps, tree checks and search decisions. It is far above what real
// profiles take (Docker's default: about 125,000); a profile that uses it
// up gets a warning that the check stopped (a few hundred rules on one
// syscall do).
type lsBudget struct{ left int }

const lsWorkBudget = 10_000_000

// spend takes n steps; false once the budget is gone.
func (b *lsBudget) spend(n int) bool {
	b.left -= n
	return b.left >= 0
}

// lsPseudo numbers the placeholders of names an arch lacks (libseccomp's
// are negative, so they sort after every real number).
const lsPseudo = 0xffff0000

// abiRewrite lists the arches whose libseccomp backends rewrite socket and
// ipc calls to socketcall/ipc and drop names the arch lacks.
var abiRewrite = map[string]bool{"x86": true, "mips": true, "mipsel": true, "ppc64": true, "ppc64le": true, "s390x": true}

// allArches is arch.All, read only.
var allArches = arch.All()

// libseccompKnows reports whether libseccomp 2.5.4 resolves name at all
// (runc skips names it does not).
func libseccompKnows(name string) bool {
	for _, a := range allArches {
		if a.Name == "loongarch64" {
			continue
		}
		if _, ok := a.SyscallNumber(name); ok && a.KnownToLibseccomp(name) {
			return true
		}
	}
	return false
}

func newLSDB(a *arch.Arch, rules []lsRule, work *lsBudget) (*lsDB, error) {
	db := &lsDB{a: a, bits: a.Bits, rules: rules, sys: map[uint32]*lsSys{}, work: work}
	for i := range rules {
		if err := db.addRule(i); err != nil {
			return nil, &lsError{rule: i, arch: a, err: err}
		}
	}
	return db, nil
}

func (db *lsDB) addRule(i int) error {
	r := &db.rules[i]
	a := db.a
	nr, real := a.SyscallNumber(r.name)
	real = real && a.KnownToLibseccomp(r.name)
	if abiRewrite[a.Name] {
		if mux, call, ok := a.Multiplexed(r.name); ok {
			// The multiplexed form: arg0 is replaced by the call number.
			muxNr, _ := a.SyscallNumber(mux)
			conds := []*Cmp{{Arg: 0, Op: EQ, Value: uint64(call), Bits: 64}}
			for _, c := range r.conds {
				if c.Arg != 0 {
					conds = append(conds, c)
				}
			}
			if err := db.add(i, muxNr, false, mux, conds); err != nil {
				return err
			}
			// And the direct call, under a placeholder where the arch
			// has none (libseccomp resolves the name to its pseudo
			// number there).
		} else if !real {
			return nil // dropped: not a syscall of this arch
		}
	}
	if !real {
		// A placeholder, one per name.
		nr = lsPseudo + uint32(len(db.sys))
		for n, s := range db.sys {
			if s.pseudo && s.name == r.name {
				nr = n
			}
		}
		return db.add(i, nr, true, r.name, r.conds)
	}
	return db.add(i, nr, false, r.name, r.conds)
}

// conds converts a rule's conditions for the arch: sorted by argument,
// 32-bit arches keep the low words, and tests that always hold (a mask
// without bits in the words compared) are left out.
func (db *lsDB) condsOf(cs []*Cmp) []lsCond {
	out, _ := db.condsDropped(cs)
	return out
}

// condsDropped is condsOf, and the conditions it leaves out.
func (db *lsDB) condsDropped(cs []*Cmp) ([]lsCond, []*Cmp) {
	var out []lsCond
	var dropped []*Cmp
	for _, c := range cs {
		k := lsCond{arg: c.Arg, op: c.Op, mask: ^uint64(0), datum: c.Value}
		if c.Op == MaskedEQ {
			k.mask = c.Mask
		}
		if db.bits == 32 {
			k.mask &= 0xffffffff
			k.datum &= 0xffffffff
		}
		if c.Op == MaskedEQ && k.mask == 0 {
			dropped = append(dropped, c)
			continue
		}
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b lsCond) int { return a.arg - b.arg })
	return out, dropped
}

func (db *lsDB) add(i int, nr uint32, pseudo bool, name string, cs []*Cmp) error {
	s := db.sys[nr]
	if s == nil {
		s = &lsSys{nr: nr, pseudo: pseudo, name: name, first: i, work: db.work}
		db.sys[nr] = s
	}
	act := db.rules[i].act
	conds := db.condsOf(cs)
	if len(conds) == 0 {
		s.always = append(s.always, i)
	} else {
		l := lsLive{rule: i, conds: conds, act: act}
		l.chain = db.chain(l)
		s.alone = append(s.alone, l)
	}
	var n *lsNode
	if len(conds) > 0 {
		n = db.chain(lsLive{rule: i, conds: conds, act: act})
	}
	return s.addChain(n, act, name)
}

// addChain adds a rule's chain (nil: unconditional) to the entry, as
// libseccomp's db_rule_add does: the first unconditional rule stays and
// replaces the chains before it; otherwise the tree is pruned with the
// new chain, the new chain is dropped if the pruning finds the tree
// "shorter", and merged into it.
func (s *lsSys) addChain(n *lsNode, act Action, name string) error {
	switch {
	case s.uncond:
		return nil
	case s.tree == nil:
		s.tree = n
		s.uncond, s.act = n == nil, act
		return nil
	case n == nil:
		s.tree, s.uncond, s.act = nil, true, act
		return nil
	}
	pr := lsPruner{s: s, act: act}
	var st lsFlags
	pr.prune(s.tree, n, &st)
	if !s.work.spend(pr.steps) {
		return errLSWork
	}
	switch {
	case pr.removed && s.tree == nil:
		s.tree = n
		return nil
	case !pr.removed && st.match && st.xDone && st.nPre:
		return nil // "redundant"
	}
	if err := lsAdd(&s.tree, n); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if !s.sound() {
		return fmt.Errorf("%s: %w", name, errLSCorrupt)
	}
	if s.work.left < 0 {
		return errLSWork
	}
	return nil
}

// lsError is where the model of libseccomp stops: the rule it was adding.
type lsError struct {
	rule int
	arch *arch.Arch
	err  error
}

func (e *lsError) Error() string { return e.arch.Name + ": " + e.err.Error() }
func (e *lsError) Unwrap() error { return e.err }

// errLSWork: the model gave up on a tree too big to prune in bounded time.
var errLSWork = fmt.Errorf("rule tree too big to model")

// sound reports whether the entry's tree is one libseccomp can walk: every
// node on the level it names, and no level below itself.
func (s *lsSys) sound() bool {
	const (
		open = 1
		done = 2
	)
	state := map[*lsLevel]int{}
	var ok func(lv *lsLevel) bool
	ok = func(lv *lsLevel) bool {
		s.work.spend(1)
		switch state[lv] {
		case open:
			return false // a cycle
		case done:
			return true
		}
		state[lv] = open
		s.work.spend(len(lv.nodes))
		for _, n := range lv.nodes {
			if n.lv != lv {
				return false
			}
			for _, e := range n.br {
				if e.next != nil && !ok(e.next.lv) {
					return false
				}
			}
		}
		state[lv] = done
		return true
	}
	return s.tree == nil || ok(s.tree.lv)
}

// lsFlags is the state libseccomp's pruning carries down the trees.
type lsFlags struct {
	match, once  bool // matched; matched before (a broken match stops)
	xDone, nDone bool // the existing / new tree ended on the match
	xPre, nPre   bool // the existing / new tree has tests the other lacks
}

func (f *lsFlags) or(g lsFlags) {
	f.match, f.once = f.match || g.match, f.once || g.once
	f.xDone, f.nDone = f.xDone || g.xDone, f.nDone || g.nDone
	f.xPre, f.nPre = f.xPre || g.xPre, f.nPre || g.nPre
}

// lsPruner models libseccomp 2.5.4's _db_tree_prune: it walks the
// existing tree (from the level of x) and the new chain (from n) together
// and removes the parts of the tree the new chain makes redundant. Its
// bookkeeping is loose: a match of part of the new chain (a suffix of it,
// even with other actions or branches) can make it report the whole new
// rule redundant, and libseccomp then drops the rule.
type lsPruner struct {
	s       *lsSys
	act     Action
	removed bool
	steps   int
}

// s0 is what is left of a budget, for a loop bound.
func s0(b *lsBudget) int { return max(b.left, 0) }

func hasBranch(e lsEdge) bool { return e.has || e.next != nil }

func (pr *lsPruner) prune(x, n *lsNode, st *lsFlags) {
	ns := *st
	defer func() {
		if ns.match {
			st.or(ns)
		} else {
			st.match = false
		}
	}()
	if pr.steps++; n == nil || x == nil || st.once && !st.match || pr.steps > s0(pr.s.work) {
		return
	}
	leaf := func(m *lsNode) bool { return m.br[0].next == nil && m.br[1].next == nil }
	x = x.lv.nodes[0]
	for x != nil {
		next := x.sibling()
		switch {
		case lsEqual(x, n):
			ns.match, ns.once = true, true
			ns.nDone = ns.nDone || leaf(n)
			ns.xDone = ns.xDone || leaf(x)
			if hasBranch(x.br[1]) && !hasBranch(n.br[1]) || hasBranch(x.br[0]) && !hasBranch(n.br[0]) {
				return
			}
			if ns.nDone && ns.xDone && (n.br[1].has != x.br[1].has || n.br[1].act != x.br[1].act || n.br[0].has != x.br[0].has || n.br[0].act != x.br[0].act) {
				return
			}
			gone := false
			for b := 1; b >= 0 && !gone; b-- {
				if n.br[b].next == nil {
					continue
				}
				nxt := *st
				nxt.match, nxt.once = true, true
				pr.prune(x.br[b].next, n.br[b].next, &nxt)
				if nxt.match {
					ns.or(nxt)
				}
				gone = x.detached
			}
			if gone {
				break
			}
			if lsActsAre(x.lv, pr.act) && ns.match {
				switch {
				case ns.nDone && ns.xPre:
					pr.remove(&pr.s.tree, x)
					if pr.s.tree == nil {
						return
					}
				case ns.xDone && ns.nPre:
					return
				}
			}
		case lsBefore(x, n):
			if st.nPre {
				return
			}
			for b := 1; b >= 0; b-- {
				if x.br[b].next == nil {
					continue
				}
				nxt := *st
				nxt.match, nxt.xPre = false, true
				pr.prune(x.br[b].next, n, &nxt)
				if nxt.match {
					ns.or(nxt)
					return
				}
				if x.detached {
					break
				}
			}
		default:
			if st.xPre {
				return
			}
			for b := 1; b >= 0; b-- {
				if n.br[b].next == nil {
					continue
				}
				nxt := *st
				nxt.match, nxt.nPre = false, true
				pr.prune(x, n.br[b].next, &nxt)
				if nxt.match {
					ns.or(nxt)
					return
				}
				if x.detached {
					break
				}
			}
		}
		x = next
	}
	ns.match = false
}

// remove takes target out of the tree below *ref (and nodes left with
// neither a branch nor an action above it), as _db_tree_remove does; it
// stops at the first removal.
func (pr *lsPruner) remove(ref **lsNode, target *lsNode) bool {
	if *ref == nil {
		return false
	}
	for c := (*ref).lv.nodes[0]; c != nil; c = c.sibling() {
		if c == target {
			pr.unlink(ref, c)
			return true
		}
		found := pr.remove(&c.br[1].next, target)
		found = pr.remove(&c.br[0].next, target) || found
		if c.br[0].next == nil && c.br[1].next == nil && !c.br[0].has && !c.br[1].has {
			pr.unlink(ref, c)
			return true
		}
		if found {
			return true
		}
	}
	return false
}

func (pr *lsPruner) unlink(ref **lsNode, c *lsNode) {
	pr.removed = true
	lv := c.lv
	i := c.index()
	if *ref == c {
		switch {
		case i > 0:
			*ref = lv.nodes[i-1]
		case i+1 < len(lv.nodes):
			*ref = lv.nodes[i+1]
		default:
			*ref = nil
		}
	}
	lv.nodes = slices.Delete(lv.nodes, i, i+1)
	c.lv = &lsLevel{nodes: []*lsNode{c}}
	c.detached = true
}

// sibling is the node after n on its level, or nil.
func (n *lsNode) sibling() *lsNode {
	i := n.index()
	if i+1 < len(n.lv.nodes) {
		nx := n.lv.nodes[i+1]
		nx.pos = i + 1
		return nx
	}
	return nil
}

// chain builds a rule's chain of tests; it returns its first node.
func (db *lsDB) chain(l lsLive) *lsNode {
	var head *lsNode
	var link []*lsEdge // the edges that go on to the next condition
	attach := func(n *lsNode) {
		if head == nil {
			head = n
		}
		for _, e := range link {
			e.next = n
		}
	}
	node := func(c lsCond, word lsWord, t lsTest, datum, mask uint32) *lsNode {
		n := &lsNode{word: word, test: t, masked: c.op == MaskedEQ, datum: datum & mask, mask: mask,
			orig: c.op, full: c.datum, rule: l.rule}
		n.lv = &lsLevel{nodes: []*lsNode{n}}
		return n
	}
	sub := func(from *lsEdge, n *lsNode) { from.next = n }
	for _, c := range l.conds {
		lo, hiW := lsWord(2*c.arg), lsWord(2*c.arg+1)
		dl, dh := uint32(c.datum), uint32(c.datum>>32)
		ml, mh := uint32(c.mask), uint32(c.mask>>32)
		if db.bits == 32 {
			var n *lsNode
			ok := 1 // the branch that goes on
			switch c.op {
			case EQ, MaskedEQ:
				n = node(c, lo, lsJEQ, dl, ml)
			case NE:
				n, ok = node(c, lo, lsJEQ, dl, ml), 0
			case GT:
				n = node(c, lo, lsJGT, dl, ml)
			case GE:
				n = node(c, lo, lsJGE, dl, ml)
			case LT:
				n, ok = node(c, lo, lsJGE, dl, ml), 0
			case LE:
				n, ok = node(c, lo, lsJGT, dl, ml), 0
			}
			attach(n)
			link = []*lsEdge{&n.br[ok]}
			continue
		}
		switch c.op {
		case GT, GE, LT, LE:
			h1 := node(c, hiW, lsJGT, dh, mh)
			h2 := node(c, hiW, lsJEQ, dh, mh)
			t := lsJGT
			if c.op == GE || c.op == LT {
				t = lsJGE
			}
			l3 := node(c, lo, t, dl, ml)
			attach(h1)
			sub(&h1.br[0], h2)
			sub(&h2.br[1], l3)
			if c.op == GT || c.op == GE {
				link = []*lsEdge{&h1.br[1], &l3.br[1]}
			} else {
				link = []*lsEdge{&h2.br[0], &l3.br[0]}
			}
		default: // EQ, NE, MaskedEQ
			h := node(c, hiW, lsJEQ, dh, mh)
			l3 := node(c, lo, lsJEQ, dl, ml)
			attach(h)
			sub(&h.br[1], l3)
			if c.op == NE {
				link = []*lsEdge{&h.br[0], &l3.br[0]}
			} else {
				link = []*lsEdge{&l3.br[1]}
			}
		}
	}
	for _, e := range link {
		e.act, e.has = l.act, true
	}
	return head
}

// opRank orders operators among siblings: EQ, NE, MASKED_EQ first.
func opRank(o Op) int {
	switch o {
	case LE, LT:
		return 2
	case GE, GT:
		return 1
	}
	return 3
}

func lsEqual(a, b *lsNode) bool {
	return a.word == b.word && a.test == b.test && a.masked == b.masked && a.datum == b.datum && a.mask == b.mask
}

// lsBefore reports whether b sorts before a among siblings.
func lsBefore(a, b *lsNode) bool {
	if a.word != b.word {
		return a.word < b.word
	}
	if ra, rb := opRank(a.orig), opRank(b.orig); ra != rb {
		return ra < rb
	}
	if a.orig == LE || a.orig == LT {
		return a.datum > b.datum
	}
	return a.datum < b.datum
}

// errLSExist is libseccomp's EEXIST: two rules that cannot be merged.
var errLSExist = fmt.Errorf("libseccomp refuses the rule (EEXIST)")

// errLSCorrupt: libseccomp links a node that is already on a level into
// another place (a node the new chain reaches by two branches, the first
// test of the next condition after a 64-bit GT or GE, or after LT, LE, NE,
// gets added as a sibling twice): its lists of siblings are corrupt from
// then on (libseccomp can loop forever on them, and runc hang). The model
// stops there.
var errLSCorrupt = fmt.Errorf("libseccomp corrupts its tree of tests")

// lsAdd merges a new chain, starting at n, into the level of the node
// *ref points to, looking from that node on (as libseccomp does: a
// reference into the middle of a level skips the siblings before it).
func lsAdd(ref **lsNode, n *lsNode) error {
	lv := (*ref).lv
	// Linking n where it already is linked corrupts libseccomp's lists.
	linked := len(n.lv.nodes) > 1 || slices.Contains(lv.nodes, n)
	for i := (*ref).index(); i < len(lv.nodes); i++ {
		x := lv.nodes[i]
		if lsEqual(x, n) {
			return lsMerge(x, n)
		}
		if lsBefore(x, n) {
			if linked {
				return errLSCorrupt
			}
			lv.nodes = slices.Insert(lv.nodes, i, n)
			n.lv = lv
			if *ref == x {
				*ref = n
			}
			return nil
		}
	}
	if linked {
		return errLSCorrupt
	}
	lv.nodes = append(lv.nodes, n)
	n.lv = lv
	return nil
}

func lsMerge(x, n *lsNode) error {
	leaf := func(m *lsNode) bool { return m.br[0].next == nil && m.br[1].next == nil }
	for b := 1; b >= 0; b-- {
		ne, xe := &n.br[b], &x.br[b]
		if !ne.has {
			continue
		}
		switch {
		case !xe.has:
			if !lsActsAre(xe.lv(), ne.act) {
				return errLSExist
			}
			xe.next, xe.act, xe.has = nil, ne.act, true
		case ne.act != xe.act:
			// libseccomp 2.5.4 sets the true action here for either branch.
			if n.hi() && (b == 1 && n.full > x.full || b == 0 && n.full < x.full) {
				x.br[1].act = n.br[1].act
			}
			if leaf(x) || leaf(n) {
				return errLSExist
			}
		}
	}
	for b := 1; b >= 0; b-- {
		ne, xe := &n.br[b], &x.br[b]
		if ne.next == nil {
			continue
		}
		switch {
		case xe.next != nil:
			if err := lsAdd(&xe.next, ne.next); err != nil {
				return err
			}
		case !xe.has:
			xe.next = ne.next
		default:
			return nil // the existing chain is shorter
		}
	}
	return nil
}

// lsActsAre reports whether every action in the tree below lv is act.
func lsActsAre(lv *lsLevel, act Action) bool {
	if lv == nil {
		return true
	}
	for _, x := range lv.nodes {
		for _, e := range x.br {
			if e.has && e.act != act || !lsActsAre(e.lv(), act) {
				return false
			}
		}
	}
	return true
}

// count is the number of nodes of the tree (libseccomp's priority is
// 0xffff minus it).
func (s *lsSys) count() int {
	seen := map[*lsNode]bool{}
	var walk func(lv *lsLevel)
	walk = func(lv *lsLevel) {
		if lv == nil {
			return
		}
		for _, x := range lv.nodes {
			if !seen[x] {
				seen[x] = true
				walk(x.br[0].lv())
				walk(x.br[1].lv())
			}
		}
	}
	if s.tree != nil {
		walk(s.tree.lv)
	}
	return len(seen)
}

// needLoad reports whether a block's own code loads its word: the state
// it assumes holds another word, or fewer bits of it.
func needLoad(n *lsNode, assumed lsAcc) bool {
	return n.word != assumed.word || n.mask&assumed.mask != n.mask
}

// lsBlock is one block of libseccomp's code: a node's test, with the load
// its code has, or the layout pass gives it.
type lsBlock struct {
	n        *lsNode // the node it was made for (the first, if shared)
	own      bool    // loads its word itself
	and      bool    // masks the accumulator with n.mask
	start    lsAcc   // the state it assumes (lsNone when own)
	to       [2]lsTo // where its false and true branches go
	placed   bool
	repaired bool // the layout pass gave it a load
}

// lsTo is a jump target: a block, or a return of act.
type lsTo struct {
	b   *lsBlock
	act Action
}

// lsBlockKey is what makes two blocks the same code: libseccomp hashes
// blocks by their instructions (targets included) and accumulator states
// and keeps one of each, for the whole filter.
type lsBlockKey struct {
	own, and   bool
	word       lsWord
	mask       uint32
	test       lsTest
	datum      uint32
	start, end lsAcc
	to         [2]lsTo
}

type lsInst struct {
	lv   *lsLevel
	in   lsAcc
	cont lsTo
}

// lsCode is the code of a filter: its blocks, shared by content.
type lsCode struct {
	blocks map[lsBlockKey]*lsBlock
	memo   map[lsInst]lsTo
	work   *lsBudget
}

// level returns the code of lv entered with the accumulator in state in,
// going on to cont when every sibling fails.
func (code *lsCode) level(lv *lsLevel, in lsAcc, cont lsTo) lsTo {
	k := lsInst{lv, in, cont}
	if t, ok := code.memo[k]; ok {
		return t
	}
	// A level shared by several branches is made once per continuation,
	// so blocks can multiply: they are charged dearly (at most 100,000).
	if !code.work.spend(100 * len(lv.nodes)) {
		return cont // the model stops: newLSFilter reports it
	}
	next := cont
	for i := len(lv.nodes) - 1; i >= 0; i-- {
		n := lv.nodes[i]
		assumed := in
		if i > 0 {
			assumed = lv.nodes[i-1].acc()
		}
		key := lsBlockKey{own: needLoad(n, assumed), word: n.word, mask: n.mask, test: n.test, datum: n.datum, start: assumed, end: n.acc()}
		base := assumed.mask
		if key.own {
			base, key.start = ^uint32(0), lsAcc{lsNone, ^uint32(0)}
		}
		key.and = n.mask != base
		for b, e := range n.br {
			switch {
			case e.has:
				key.to[b] = lsTo{act: e.act}
			case e.next != nil:
				key.to[b] = code.level(e.lv(), n.acc(), next)
			default:
				key.to[b] = next
			}
		}
		blk := code.blocks[key]
		if blk == nil {
			blk = &lsBlock{n: n, own: key.own, and: key.and, start: key.start, to: key.to}
			code.blocks[key] = blk
		}
		next = lsTo{b: blk}
	}
	code.memo[k] = next
	return next
}

// place lays a block out as libseccomp's layout pass does: depth first,
// the true branch before the false one, each block after the first block
// that jumps to it; a block without a load of its own gets one when that
// block leaves another state in the accumulator than the one it assumes.
func place(t lsTo, from lsAcc) {
	b := t.b
	if b == nil || b.placed {
		return
	}
	b.placed = true
	b.repaired = !b.own && from != b.start
	place(b.to[1], b.n.acc())
	place(b.to[0], b.n.acc())
}

// lsDecide answers a comparison of word & mask with datum.
type lsDecide func(w lsWord, mask uint32, t lsTest, datum uint32) bool

// runCode runs the code from t: what runc's filter does.
func runCode(t lsTo, decide lsDecide, stale func(b *lsBlock)) Action {
	cur := lsAcc{lsNr, ^uint32(0)}
	for t.b != nil {
		b := t.b
		n := b.n
		switch {
		case b.own:
			cur = lsAcc{n.word, ^uint32(0)}
		case b.repaired:
			cur = lsAcc{n.word, b.start.mask}
		}
		if b.and {
			cur.mask &= n.mask
		}
		if cur != n.acc() && stale != nil {
			stale(b)
		}
		if decide(cur.word, cur.mask, n.test, n.datum) {
			t = b.to[1]
		} else {
			t = b.to[0]
		}
	}
	return t.act
}

// runTree runs a tree as libseccomp means it (every test on its own word):
// the action, or false when every chain fails.
func runTree(lv *lsLevel, decide lsDecide) (Action, bool) {
	for _, n := range lv.nodes {
		e := n.br[0]
		if decide(n.word, n.mask, n.test, n.datum) {
			e = n.br[1]
		}
		if e.has {
			return e.act, true
		}
		if e.next != nil {
			if act, ok := runTree(e.lv(), decide); ok {
				return act, true
			}
		}
	}
	return 0, false
}

// lsAmbiguous stands for a call that rules with different actions match:
// ParseOCI warns about those, and libseccomp's choice is its own.
const lsAmbiguous = Action(0xffffffff)

// meant is what the entry's rules say of a call, each rule on its own.
func (s *lsSys) meant(def Action, rules []lsRule, decide lsDecide) Action {
	act, n := def, 0
	add := func(a Action) {
		switch {
		case n == 0:
			act, n = a, 1
		case a != act:
			act = lsAmbiguous
		}
	}
	for _, i := range s.always {
		add(rules[i].act)
	}
	for _, l := range s.alone { // every chain, for the same decisions each run
		if _, ok := runTree(l.chain.lv, decide); ok {
			add(l.act)
		}
	}
	return act
}

// lsAtom is one comparison outcome on one word.
type lsAtom struct {
	mask  uint32
	test  lsTest
	datum uint32
	truth bool
}

func (a lsAtom) holds(v uint32) bool {
	v &= a.mask
	var r bool
	switch a.test {
	case lsJEQ:
		r = v == a.datum
	case lsJGT:
		r = v > a.datum
	default:
		r = v >= a.datum
	}
	return r == a.truth
}

// lsSolve finds a value for one word that meets every atom, trying values
// built from the constants (exact for comparisons of whole words; with
// masks it may miss a solution, never invent one).
func lsSolve(atoms []lsAtom) (uint32, bool) {
	if !slices.ContainsFunc(atoms, func(a lsAtom) bool { return a.mask != ^uint32(0) }) {
		return lsSolveWhole(atoms)
	}
	var fixed, bits uint32 // bits a true masked equality forces
	for _, a := range atoms {
		if a.test == lsJEQ && a.truth {
			if (bits^a.datum)&fixed&a.mask != 0 {
				return 0, false
			}
			fixed |= a.mask
			bits |= a.datum
		}
	}
	try := func(v uint32) (uint32, bool) {
		for range 4 {
			v = v&^fixed | bits
			ok := true
			for _, a := range atoms {
				if !a.holds(v) {
					ok = false
					break
				}
			}
			if ok {
				return v, true
			}
			v = (v | fixed) + 1 // the next value with the forced bits
		}
		return 0, false
	}
	cands := []uint32{0, ^uint32(0), 1}
	for _, a := range atoms {
		cands = append(cands, a.datum, a.datum+1, a.datum-1, a.datum|^a.mask, a.datum+2)
	}
	for _, c := range cands {
		if v, ok := try(c); ok {
			return v, true
		}
	}
	return 0, false
}

// lsSolveWhole solves comparisons of a whole word exactly: an interval
// less some excluded values.
func lsSolveWhole(atoms []lsAtom) (uint32, bool) {
	lo, hi := uint32(0), ^uint32(0)
	var ne []uint32
	for _, a := range atoms {
		switch {
		case a.test == lsJEQ && a.truth:
			lo, hi = max(lo, a.datum), min(hi, a.datum)
		case a.test == lsJEQ:
			ne = append(ne, a.datum)
		case a.test == lsJGT && a.truth:
			if a.datum == ^uint32(0) {
				return 0, false
			}
			lo = max(lo, a.datum+1)
		case a.test == lsJGT:
			hi = min(hi, a.datum)
		case a.truth: // GE
			lo = max(lo, a.datum)
		default:
			if a.datum == 0 {
				return 0, false
			}
			hi = min(hi, a.datum-1)
		}
	}
	if lo > hi {
		return 0, false
	}
	slices.Sort(ne)
	for _, x := range ne { // the smallest value of [lo, hi] not excluded
		if x == lo {
			if lo == hi {
				return 0, false
			}
			lo++
		}
	}
	return lo, true
}

// lsSearchBudget bounds the paths lsSearch walks for one entry.
const lsSearchBudget = 20000

// lsSearch walks every feasible path through the runs (each run after the
// other, on the same input), answering their comparisons, and returns the
// word values of the best path where they do not all return the same
// action: score rates a path's input (0: not wanted); a path with score
// best ends the search.
func lsSearch(runs []func(lsDecide) Action, score func(words map[lsWord]uint32) int, best int, work *lsBudget) (map[lsWord]uint32, int) {
	type choice struct{ val, forced bool }
	var stack []choice
	var found map[lsWord]uint32
	top := 0
	for range lsSearchBudget {
		atoms := map[lsWord][]lsAtom{}
		sol := map[lsWord]uint32{} // a value meeting each word's atoms
		depth, dead := 0, false
		decide := func(w lsWord, mask uint32, t lsTest, datum uint32) bool {
			if dead || !work.spend(1+len(atoms[w])) {
				dead = true
				return false
			}
			feasible := func(v bool) (uint32, bool) {
				a := lsAtom{mask, t, datum, v}
				if x, ok := sol[w]; ok && a.holds(x) {
					return x, true
				}
				return lsSolve(append(slices.Clip(atoms[w]), a))
			}
			if depth == len(stack) {
				_, okT := feasible(true)
				_, okF := feasible(false)
				switch {
				case okT:
					stack = append(stack, choice{val: true, forced: !okF})
				case okF:
					stack = append(stack, choice{val: false, forced: true})
				default:
					dead = true
					return false
				}
			}
			v := stack[depth].val
			x, ok := feasible(v)
			if !ok {
				dead = true
				return false
			}
			depth++
			atoms[w] = append(atoms[w], lsAtom{mask, t, datum, v})
			sol[w] = x
			return v
		}
		var acts []Action
		for _, run := range runs {
			acts = append(acts, run(decide))
		}
		if !dead && slices.ContainsFunc(acts, func(a Action) bool { return a != acts[0] }) {
			if sc := score(sol); sc > top {
				found, top = sol, sc
				if sc >= best {
					break
				}
			}
		}
		// The next path: flip the deepest choice not yet flipped.
		stack = stack[:min(depth, len(stack))]
		for len(stack) > 0 && stack[len(stack)-1].forced {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 || work.left < 0 {
			break
		}
		stack[len(stack)-1] = choice{val: !stack[len(stack)-1].val, forced: true}
	}
	return found, top
}

// lsArgs turns word values into the six arguments.
func lsArgs(words map[lsWord]uint32) [6]uint64 {
	var args [6]uint64
	for w, v := range words {
		if w < 0 {
			continue
		}
		if w&1 == 1 {
			args[w/2] |= uint64(v) << 32
		} else {
			args[w/2] |= uint64(v)
		}
	}
	return args
}

func concrete(args [6]uint64) lsDecide {
	return func(w lsWord, mask uint32, t lsTest, datum uint32) bool {
		var v uint32
		if w >= 0 {
			v = uint32(args[w/2] >> (32 * (w & 1)))
		}
		return lsAtom{mask, t, datum, true}.holds(v)
	}
}

// callText prints a call for a message: the arguments the entry tests.
func callText(name string, args [6]uint64, words map[lsWord]uint32) string {
	var used [6]bool
	for w := range words {
		if w >= 0 {
			used[w/2] = true
		}
	}
	var as []string
	for i, v := range args {
		if used[i] || v != 0 {
			as = append(as, fmt.Sprintf("arg%d=%#x", i, v))
		}
	}
	return name + "(" + strings.Join(as, ", ") + ")"
}

// lsRules are the rules runc adds for the profile, in its order.
func (c *ociConv) lsRules(def Action) []lsRule {
	saved := c.problems // the conversion's warnings are given once, by policy
	defer func() { c.problems = saved }()
	var out []lsRule
	defer func() { c.ent = nil }()
	knows := map[string]bool{} // libseccompKnows, once a name
	for _, index := range c.entries {
		path := fmt.Sprintf("syscalls[%d]", index)
		c.ent = c.indexEntry(index, c.entryOff[index], c.entryBytes(index), false)
		de, err := c.entry(index)
		if err != nil {
			return nil
		}
		e := struct{ call specs.LinuxSyscall }{de.LinuxSyscall}
		act, err := c.action(path+".action", e.call.Action, e.call.ErrnoRet, path+".errnoRet", de.Errno, path+".errno")
		if err != nil || act == def {
			continue
		}
		var conds []*Cmp
		count := [6]int{}
		for k, a := range e.call.Args {
			cmp, err := c.cond(fmt.Sprintf("%s.args[%d]", path, k), a)
			if err != nil {
				return nil
			}
			count[cmp.Arg]++
			conds = append(conds, cmp)
		}
		split := slices.ContainsFunc(count[:], func(n int) bool { return n > 1 })
		seen := map[string]bool{}
		for j, name := range e.call.Names {
			if seen[name] {
				continue // the same rule again: libseccomp adds it once
			}
			seen[name] = true
			k, ok := knows[name]
			if !ok {
				k = libseccompKnows(name)
				knows[name] = k
			}
			if !k {
				continue
			}
			pos := c.pos(fmt.Sprintf("%s.names[%d]", path, j))
			if !split {
				out = append(out, lsRule{name: name, act: act, conds: conds, pos: pos})
				continue
			}
			for _, cmp := range conds {
				out = append(out, lsRule{name: name, act: act, conds: []*Cmp{cmp}, pos: pos})
			}
		}
	}
	return out
}

// lsSection is one arch section of libseccomp's filter: x86_64 and x32
// share one when both are targets.
type lsSection struct {
	dbs     []*lsDB
	entries []*lsSys // in the order of the code: priority, then number
}

// loadsNr reports whether the section loads the syscall number in the code
// of its first entry (every section but x86_64's or x32's alone, which load
// it in their ABI check).
func (sec *lsSection) loadsNr() bool {
	if len(sec.dbs) > 1 {
		return true
	}
	n := sec.dbs[0].a.Name
	return n != "x86_64" && n != "x32"
}

// sort orders the entries as libseccomp does: by priority (0xffff minus
// the node count: fewest nodes first), then the first db's before the
// second's, each by number (placeholders last).
func (sec *lsSection) sort() {
	type ent struct {
		s     *lsSys
		nodes int
		db    int
	}
	var es []ent
	for i, db := range sec.dbs {
		for _, s := range db.sys {
			es = append(es, ent{s, s.count(), i})
		}
	}
	slices.SortFunc(es, func(a, b ent) int {
		switch {
		case a.nodes != b.nodes:
			return a.nodes - b.nodes
		case a.db != b.db:
			return a.db - b.db
		case a.s.nr < b.s.nr:
			return -1
		case a.s.nr > b.s.nr:
			return 1
		}
		return 0
	})
	sec.entries = nil
	for _, e := range es {
		sec.entries = append(sec.entries, e.s)
	}
}

// noNr reports whether the section's code never loads the syscall number:
// the entry it puts first, which would load it, is a placeholder.
func (sec *lsSection) noNr() bool {
	return sec.loadsNr() && len(sec.entries) > 0 && sec.entries[0].pseudo
}

// lsFilter models the filter libseccomp 2.5.4 builds for the rules.
type lsFilter struct {
	def   Action
	rules []lsRule
	secs  []*lsSection
	code  lsCode
	work  *lsBudget
}

// newLSFilter builds the model for the target arches (in libseccomp's
// order: the native arch first), or fails where libseccomp does.
func newLSFilter(arches []*arch.Arch, def Action, rules []lsRule) (*lsFilter, error) {
	f := &lsFilter{def: def, rules: rules, work: &lsBudget{lsWorkBudget}}
	f.code = lsCode{blocks: map[lsBlockKey]*lsBlock{}, memo: map[lsInst]lsTo{}, work: f.work}
	var x64 *lsSection // the section of x86_64 and x32
	for _, a := range arches {
		db, err := newLSDB(a, rules, f.work)
		if err != nil {
			return nil, err
		}
		if a.Name == "x86_64" || a.Name == "x32" {
			if x64 != nil {
				x64.dbs = append(x64.dbs, db)
				continue
			}
			x64 = &lsSection{}
			x64.dbs = []*lsDB{db}
			f.secs = append(f.secs, x64)
			continue
		}
		f.secs = append(f.secs, &lsSection{dbs: []*lsDB{db}})
	}
	// The code, then its layout: from the last syscall of the filter to
	// the first, each syscall test placing its entry's code.
	var order []*lsSys
	for _, sec := range f.secs {
		sec.sort()
		for _, s := range sec.entries {
			switch {
			case s.pseudo:
				continue
			case s.uncond:
				s.code = lsTo{act: s.act}
			default:
				s.code = f.code.level(s.tree.lv, lsAcc{lsNone, ^uint32(0)}, lsTo{act: def})
			}
			order = append(order, s)
		}
	}
	if f.work.left < 0 {
		return nil, errLSWork
	}
	for i := len(order) - 1; i >= 0; i-- {
		place(order[i].code, lsAcc{lsNr, ^uint32(0)})
	}
	return f, nil
}

// lsFinding is a call on which runc's filter and the profile differ.
type lsFinding struct {
	a      *arch.Arch
	s      *lsSys
	call   Call
	words  map[lsWord]uint32
	got    Action // runc's filter
	want   Action // the profile
	stale  *lsBlock
	noNr   bool
	merged bool // libseccomp's tree itself decides otherwise
	other  bool // not a bug: libseccomp's per-arch rule handling
}

// Scores of the calls find looks for, best first.
const (
	scoreBug      = 4 // a bug, on a call the profile applies a rule to
	scoreBugDef   = 3 // a bug, on a call the profile gives the default
	scoreOther    = 2 // per-arch rule handling, on a ruled call
	scoreOtherDef = 1
)

// find looks for a call of entry s (of db, in section sec) that runc's
// filter decides otherwise than the profile: because of a bug (the entry's
// rules, each on its own, agree on the call, and Eval agrees with them),
// or else because libseccomp's rule database works per arch (on 32-bit
// arches on the low words, where a condition can always hold, so that a
// rule becomes unconditional there) while ParseOCI's model of it works on
// 64 bits. Calls that rules with different actions match on 64 bits are
// left to ParseOCI's overlap warnings, socketcall and ipc to its
// multiplexer warnings, x32's 64-bit arguments to warnX32Args.
func (f *lsFilter) find(p *Policy, sec *lsSection, db *lsDB, s *lsSys) (lsFinding, bool) {
	a := db.a
	noNr := sec.noNr()
	bugs := noNr || !s.uncond && len(s.always)+len(s.alone) >= 2 // one rule alone is compiled right
	mux, _, _ := a.Multiplexed(s.name)
	others := s.name != arch.Socketcall && s.name != arch.IPC && !(mux != "" && abiRewrite[a.Name]) && !(a.Name == "x32" && !p.X32LowWord)
	if !bugs && !others {
		return lsFinding{}, false
	}
	got := func(decide lsDecide, stale func(*lsBlock)) Action {
		switch {
		case noNr:
			return f.def // every call of the section
		case s.uncond:
			return s.act
		}
		return runCode(s.code, decide, stale)
	}
	v := f.view(p, db, s.name)
	runs := []func(lsDecide) Action{
		func(d lsDecide) Action { return got(d, nil) },
		func(d lsDecide) Action { return s.meant(f.def, f.rules, d) },
	}
	if others && (db.bits == 32 || !f.sameRules(p, s.name)) {
		// Eval's view can differ from what the rules mean on their own
		// only through ParseOCI's merging or 32-bit overlaps.
		runs = append(runs, v.decide)
	}
	call := Call{Arch: a.Audit, Nr: int32(s.nr)}
	words, sc := lsSearch(runs, func(w map[lsWord]uint32) int {
		call.Args = lsArgs(w)
		d := concrete(call.Args)
		g, m, e := got(d, nil), s.meant(f.def, f.rules, d), Eval(p, call)
		switch {
		case bugs && m != lsAmbiguous && m != g && e == m && m != f.def:
			return scoreBug
		case bugs && m != lsAmbiguous && m != g && e == m:
			return scoreBugDef
		case others && e == v.decide(d) && e != g && !v.ambiguous64(&call.Args) && e != f.def:
			return scoreOther
		case others && e == v.decide(d) && e != g && !v.ambiguous64(&call.Args):
			return scoreOtherDef
		}
		return 0
	}, scoreBug, f.work)
	if sc == 0 {
		return lsFinding{}, false
	}
	call.Args = lsArgs(words)
	d := concrete(call.Args)
	fd := lsFinding{a: a, s: s, call: call, words: words, want: Eval(p, call), noNr: noNr, other: sc < scoreBugDef}
	fd.got = got(d, func(b *lsBlock) {
		if fd.stale == nil {
			fd.stale = b
		}
	})
	if !fd.other && !noNr && !s.uncond {
		act, ok := runTree(s.tree.lv, d)
		if !ok {
			act = f.def
		}
		fd.merged = act != fd.want
	}
	return fd, true
}

// view is how Eval decides the entry's calls: the policy's rules for it,
// compared as the arch compares them, the most restrictive action of those
// that match. lsAmbiguous if rules with different actions match in 64 bits
// too (ParseOCI's overlap warnings are about those).
type lsView struct {
	def   Action
	rules []lsLive
	full  []Expr // the rules' conditions, for the 64-bit check
}

func (f *lsFilter) view(p *Policy, db *lsDB, name string) lsView {
	v := lsView{def: p.Default}
	for _, r := range p.Rules {
		if r.Syscall != name {
			continue
		}
		var cs []*Cmp
		walk(r.When, func(c *Cmp) { cs = append(cs, c) })
		l := lsLive{conds: db.condsOf(cs), act: r.Action}
		if len(l.conds) > 0 {
			l.chain = db.chain(l)
		}
		v.rules = append(v.rules, l)
		v.full = append(v.full, r.When)
	}
	return v
}

// sameRules reports whether the policy has the same rules for name as
// runc adds (ParseOCI's merging changed nothing there).
func (f *lsFilter) sameRules(p *Policy, name string) bool {
	var mine []string
	for _, r := range f.rules {
		if r.name == name {
			mine = append(mine, Rule{Syscall: name, When: condExpr(r.conds), Action: r.act}.String())
		}
	}
	var theirs []string
	for _, r := range p.Rules {
		if r.Syscall == name {
			theirs = append(theirs, r.String())
		}
	}
	slices.Sort(mine)
	slices.Sort(theirs)
	return slices.Equal(mine, theirs)
}

func condExpr(cs []*Cmp) Expr {
	switch len(cs) {
	case 0:
		return nil
	case 1:
		return cs[0]
	}
	and := make(And, len(cs))
	for i, c := range cs {
		and[i] = c
	}
	return and
}

func (v lsView) decide(decide lsDecide) Action {
	act, matched := v.def, false
	for _, l := range v.rules {
		if l.chain != nil {
			if _, ok := runTree(l.chain.lv, decide); !ok {
				continue
			}
		}
		if !matched || MoreRestrictive(l.act, act) {
			act, matched = l.act, true
		}
	}
	return act
}

// ambiguous64 reports whether rules with different actions match args
// when compared on all 64 bits.
func (v lsView) ambiguous64(args *[6]uint64) bool {
	var acts []Action
	for i, l := range v.rules {
		if (v.full[i] == nil || v.full[i].Eval(args)) && !slices.Contains(acts, l.act) {
			acts = append(acts, l.act)
		}
	}
	return len(acts) > 1
}

// warnLibseccompBugs warns where the filter runc + libseccomp 2.5.4 would
// install decides a call otherwise than the profile because of the
// libseccomp bugs described at the top of this file; each warning names
// such a call.
func (c *ociConv) warnLibseccompBugs(p *Policy) {
	rules := c.lsRules(p.Default)
	if len(rules) == 0 {
		return
	}
	f, err := newLSFilter(p.Arches, p.Default, rules)
	var le *lsError
	switch {
	case errors.As(err, &le) && errors.Is(err, errLSCorrupt):
		r := rules[le.rule]
		c.problems.add(Problem{Pos: r.pos, Warning: true, Msg: fmt.Sprintf(
			"libseccomp 2.5.4 corrupts its tree of tests for the rules of %s on %s when it adds this rule (a test the rule reaches by two branches gets linked into a list of siblings twice): runc can hang building the filter, or install one that decides otherwise than the profile",
			r.name, le.arch.Name)})
		return
	case errors.As(err, &le) && errors.Is(err, errLSExist):
		r := rules[le.rule]
		c.problems.add(Problem{Pos: r.pos, Warning: true, Msg: fmt.Sprintf(
			"libseccomp 2.5.4 refuses this rule (EEXIST: merged into the rules of %s on %s before it, one of its tests would need two actions), so runc fails to start the container",
			r.name, le.arch.Name)})
		return
	case errors.Is(err, errLSWork):
		c.warnStopped()
		return
	case err != nil:
		return
	}
	for _, sec := range f.secs {
		es := sec.entries
		if sec.noNr() {
			// One warning for the section: the first entry, in the
			// profile's order, with a call it should decide otherwise.
			es = slices.Clone(es)
			slices.SortStableFunc(es, func(a, b *lsSys) int { return a.first - b.first })
		}
		for _, s := range es {
			if s.pseudo {
				continue
			}
			if fd, ok := f.find(p, sec, f.dbOf(sec, s), s); ok {
				c.warnFinding(f, sec, fd)
				if fd.noNr {
					break
				}
			}
			if f.work.left < 0 {
				c.warnStopped()
				return
			}
		}
	}
}

// warnStopped says the check of libseccomp's bugs gave up on the profile.
func (c *ociConv) warnStopped() {
	c.warnf("", "the check for libseccomp 2.5.4's bugs (where runc's filter decides otherwise than the profile) stopped after %d steps: the profile has too many rules on one syscall to model, and some differences may go unreported", lsWorkBudget)
}

func (f *lsFilter) dbOf(sec *lsSection, s *lsSys) *lsDB {
	for _, db := range sec.dbs {
		if db.sys[s.nr] == s {
			return db
		}
	}
	return nil
}

// warnFinding gives the warning for one finding, at the rule the profile
// applies to its call (or, where the profile applies none, the first rule
// of the entry with the action runc's filter takes).
func (c *ociConv) warnFinding(f *lsFilter, sec *lsSection, fd lsFinding) {
	s := fd.s
	at := -1
	for _, i := range s.always {
		if f.rules[i].act == fd.want {
			at = i
			break
		}
	}
	for _, l := range s.alone {
		if _, ok := runTree(l.chain.lv, concrete(fd.call.Args)); ok && l.act == fd.want && (at < 0 || l.rule < at) {
			at = l.rule
			break
		}
	}
	if at < 0 { // the profile applies no rule: one with runc's action
		for _, l := range s.alone {
			if l.act == fd.got {
				at = l.rule
				break
			}
		}
	}
	if at < 0 {
		at = s.first
	}
	var why string
	switch {
	case fd.other:
		why = c.otherReason(f, fd)
	case fd.noNr:
		var names, arches []string
		for _, e := range sec.entries {
			if e.pseudo && e.count() == sec.entries[0].count() {
				names = append(names, e.name)
			}
		}
		for _, db := range sec.dbs {
			arches = append(arches, db.a.Name)
		}
		as := strings.Join(arches, "/")
		why = fmt.Sprintf("leaves the load of the syscall number out of its %s code: the entry it sorts first there (fewest tests) is %s, which %s lacks (libseccomp keeps a placeholder without code for it), so every %s call is compared with the arch value and gets the default action",
			as, strings.Join(names, ", "), as, as)
	case fd.merged:
		why = fmt.Sprintf("builds a wrong tree of tests from the rules of %s on %s: it shares equal tests of different rules (NE and EQ, LT and GE... make equal tests), and where the tree already ends in an action, or its pruning takes a rule as covered, it drops the rest of a rule, or lets one rule's branch reach another's tests",
			s.name, fd.a.Name)
	case fd.stale == nil: // not expected: the code runs the tree's tests but for stale reads
		why = fmt.Sprintf("compiles the rules of %s on %s into code that decides otherwise", s.name, fd.a.Name)
	default:
		w := "arg" + strconv.Itoa(int(fd.stale.n.word/2))
		if fd.a.Bits == 64 {
			half := "low"
			if fd.stale.n.hi() {
				half = "high"
			}
			w = fmt.Sprintf("the %s word of %s", half, w)
		}
		why = fmt.Sprintf("miscompiles the tests of the rules of %s on %s: the code of a test of %s has no load of its own (the test before it reads the same word) but also runs after another rule's chain failed on another word, and compares that word's value", s.name, fd.a.Name, w)
	}
	c.problems.add(Problem{Pos: f.rules[at].pos, Warning: true, Msg: fmt.Sprintf(
		"libseccomp 2.5.4 %s; runc's filter returns %s for %s on %s where the profile (and cbpf) return %s",
		why, fd.got, callText(s.name, fd.call.Args, fd.words), fd.a.Name, fd.want)})
}

// otherReason explains a finding of findOther.
func (c *ociConv) otherReason(f *lsFilter, fd lsFinding) string {
	a, s := fd.a, fd.s
	db := &lsDB{a: a, bits: a.Bits}
	for i, r := range f.rules {
		if r.name != s.name {
			continue
		}
		if _, dropped := db.condsDropped(r.conds); len(dropped) > 0 {
			return fmt.Sprintf("compares only the low 32 bits of arguments on %s, where the condition %v of the rule at %s always holds, so it takes that rule as %s there (it keeps the first unconditional rule of a syscall and drops the others, and the rules ParseOCI's 64-bit view keeps differ)",
				a.Name, dropped[0], f.rules[i].pos, map[bool]string{true: "unconditional", false: "shorter"}[len(db.condsOf(r.conds)) == 0])
		}
	}
	if a.Bits == 32 {
		return fmt.Sprintf("compares only the low 32 bits of arguments on %s, where rules of %s with different actions overlap (Eval takes the most restrictive; libseccomp's choice depends on its rule tree)", a.Name, s.name)
	}
	return fmt.Sprintf("builds the rules of %s on %s otherwise than ParseOCI's model of it", s.name, a.Name)
}
