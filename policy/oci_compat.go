package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cbpfkit/cbpf/arch"
)

// Where the filter runc + libseccomp 2.5.4 install is not what the profile
// says.
//
// cbpf compiles what a profile means (Eval is the reference). runc hands
// the profile to libseccomp, and libseccomp 2.5.4 (Debian 12's) has two
// code generation bugs that make its filter decide some calls otherwise.
// ParseOCI warns where a profile hits one, with a call that shows it. The
// two bugs, as found by reading libseccomp 2.5.4 (src/db.c, src/gen_bpf.c)
// and by experiment with python3-seccomp:
//
// 1. A stale accumulator. libseccomp turns the rules of one syscall into
// a tree of 32-bit word tests: each rule is a chain (a 64-bit GT, GE, LT or
// LE on a 64-bit arch is three tests: high word >, high word ==, low word;
// EQ, NE and MASKED_EQ two, high word then low word; on a 32-bit arch, x32
// included, one test of the low word), chains share their equal leading
// tests, and where they part the differing tests become siblings, sorted
// (higher argument first, the high word before the low word, EQ/NE/
// MASKED_EQ before LT/LE before GT/GE, then by value). When a chain fails
// below a sibling, the filter goes on with the next sibling. Each sibling's
// code loads its word only if the sibling before it tested another word:
// two siblings on the same word share one load. But the next sibling is
// also reached when the tests below the previous one fail, and those have
// loaded other words (the low word of the argument, later arguments). The
// layout pass repairs this only for the first jump that brings the block
// into place (it lays blocks out depth first, the true branch before the
// false one, and adds a load when that first predecessor left another word
// in the accumulator), not for the others. So a test of the high word of
// arg4 can compare a value loaded from the low word of arg4, or from
// arg5. Example: close with arg4 LE 1 → ERRNO(5) and arg4 GE 0x100000001
// → ERRNO(6) (both tests start with "high word > x"; the LE one comes
// first, its "true" branch falls through to the GE one, which then needs
// no load): for arg4 = 0xffffffff the LE chain fails on the low word and
// the GE chain's first test reads 0xffffffff > 1 from the low word, so
// runc's filter returns ERRNO(6) where the profile returns ERRNO(5). It
// takes two or more rules on one syscall whose tests part on the same word,
// the first of them with a failing path below it that loads another word
// and is not the one the layout pass repairs; any operator can be
// involved, on 64-bit arches (LE/LT/NE chains fall through on their "true"
// branch and are hit most often) and on 32-bit ones (with several
// arguments).
//
// 2. A missing load of the syscall number. Every arch section of the
// filter but x86_64's own (when x32 is not a target) loads the number in
// the code of its first syscall, the one with the highest priority
// (fewest tests; unconditional rules first). A name the arch does not have
// gets a placeholder entry (a negative pseudo number) on arches without
// socketcall-style rewriting (aarch64, arm, riscv64, mipsel64, x32; not x86,
// ppc64le, mipsel, s390x, which drop it); placeholders are left out of the
// code. When the first entry is such a placeholder, as when an unconditional
// rule names open (absent on aarch64) and every aarch64 syscall of the
// profile has conditions, the number is never loaded: every syscall of the
// section is compared with the arch value, none matches, and every call of
// that arch gets the default action.
//
// The model below builds libseccomp's trees and layout decisions for the
// rules runc adds (in runc's order: one rule per name, split when an entry
// has several conditions on one argument, socketcall/ipc rewriting on the
// arches that have it) and runs them with and without these bugs; a
// warning is given only for a call on which the buggy filter returns
// another action than both the bug-free one and the profile. Not modelled
// (the random tests against libseccomp measure the effect): blocks that
// libseccomp shares between syscalls or arches because their code is
// identical, which can change which predecessor places a block, and the
// rare pruning of partial chains beyond whole-rule absorption.

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
	word   lsWord
	test   lsTest
	masked bool // from MASKED_EQ: a different node than EQ's for merging
	datum  uint32
	mask   uint32
	orig   Op     // the operator of the rule it comes from (for sorting)
	full   uint64 // the rule's 64-bit value
	br     [2]lsEdge
	rule   int // index in lsDB.rules of the rule that made the node
}

// lsEdge is where a branch goes: a level below, an action, or neither
// (on to the next sibling).
type lsEdge struct {
	next *lsLevel
	act  Action
	has  bool
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
	rules  []lsLive // live conditional rules, in order
	tree   *lsLevel
	first  int // index of the first rule that reached the entry
}

// lsLive is a rule as one arch compiles it.
type lsLive struct {
	rule  int
	conds []lsCond
	act   Action
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
	order []uint32 // entry numbers, as added
}

// lsPseudo numbers the placeholders of names an arch lacks (libseccomp's
// are negative, so they sort after every real number).
const lsPseudo = 0xffff0000

// abiRewrite lists the arches whose libseccomp backends rewrite socket and
// ipc calls to socketcall/ipc and drop names the arch lacks.
var abiRewrite = map[string]bool{"x86": true, "mips": true, "mipsel": true, "ppc64": true, "ppc64le": true, "s390x": true}

// libseccompKnows reports whether libseccomp 2.5.4 resolves name at all
// (runc skips names it does not).
func libseccompKnows(name string) bool {
	for _, a := range arch.All() {
		if a.Name == "loongarch64" {
			continue
		}
		if _, ok := a.SyscallNumber(name); ok && a.KnownToLibseccomp(name) {
			return true
		}
	}
	return false
}

func newLSDB(a *arch.Arch, rules []lsRule) (*lsDB, error) {
	db := &lsDB{a: a, bits: a.Bits, rules: rules, sys: map[uint32]*lsSys{}}
	for i := range rules {
		if err := db.addRule(i); err != nil {
			return nil, err
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
			if !real {
				return nil
			}
		} else if !real {
			return nil // dropped: not a syscall of this arch
		}
		return db.add(i, nr, false, r.name, r.conds)
	}
	if !real {
		// A placeholder, one per name.
		nr = lsPseudo
		for n, s := range db.sys {
			if s.pseudo && s.name == r.name {
				nr = n
			}
		}
		if nr == lsPseudo {
			nr = lsPseudo + uint32(len(db.sys))
		}
		return db.add(i, nr, true, r.name, r.conds)
	}
	return db.add(i, nr, false, r.name, r.conds)
}

// conds converts a rule's conditions for the arch: sorted by argument,
// 32-bit arches keep the low words, and tests that always hold (a mask
// without bits in the words compared) are left out.
func (db *lsDB) condsOf(cs []*Cmp) []lsCond {
	var out []lsCond
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
			continue
		}
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b lsCond) int { return a.arg - b.arg })
	return out
}

func (db *lsDB) add(i int, nr uint32, pseudo bool, name string, cs []*Cmp) error {
	s := db.sys[nr]
	if s == nil {
		s = &lsSys{nr: nr, pseudo: pseudo, name: name, first: i}
		db.sys[nr] = s
		db.order = append(db.order, nr)
	}
	act := db.rules[i].act
	conds := db.condsOf(cs)
	switch {
	case s.uncond:
		return nil // the first unconditional rule stays
	case len(conds) == 0:
		s.uncond, s.act, s.rules, s.tree = true, act, nil, nil
		return nil
	}
	live := lsLive{rule: i, conds: conds, act: act}
	// Rules with the same action: one whose conditions include all of
	// another's is dropped (libseccomp prunes the longer tree).
	for _, l := range s.rules {
		if l.act == act && condSubset(l.conds, conds) {
			return nil
		}
	}
	kept := s.rules[:0:0]
	for _, l := range s.rules {
		if l.act == act && condSubset(conds, l.conds) {
			continue
		}
		kept = append(kept, l)
	}
	s.rules = append(kept, live)
	s.tree = &lsLevel{}
	for _, l := range s.rules {
		if err := lsAdd(s.tree, db.chain(l)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func condSubset(a, b []lsCond) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// chain builds a rule's chain of tests; it returns its first node.
func (db *lsDB) chain(l lsLive) *lsNode {
	var head *lsNode
	var link []*lsEdge // the edges that go on to the next condition
	attach := func(n *lsNode) {
		lv := &lsLevel{nodes: []*lsNode{n}}
		if head == nil {
			head = n
		}
		for _, e := range link {
			e.next = lv
		}
	}
	node := func(c lsCond, word lsWord, t lsTest, datum, mask uint32) *lsNode {
		return &lsNode{word: word, test: t, masked: c.op == MaskedEQ, datum: datum & mask, mask: mask,
			orig: c.op, full: c.datum, rule: l.rule}
	}
	sub := func(from *lsEdge, n *lsNode) { from.next = &lsLevel{nodes: []*lsNode{n}} }
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

// lsAdd merges a new chain, starting at n, into level lv.
func lsAdd(lv *lsLevel, n *lsNode) error {
	for i, x := range lv.nodes {
		if lsEqual(x, n) {
			return lsMerge(x, n)
		}
		if lsBefore(x, n) {
			lv.nodes = slices.Insert(lv.nodes, i, n)
			return nil
		}
	}
	lv.nodes = append(lv.nodes, n)
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
			if !lsActsAre(xe.next, ne.act) {
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
			if err := lsAdd(xe.next, ne.next.nodes[0]); err != nil {
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
			if e.has && e.act != act || !lsActsAre(e.next, act) {
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
				walk(x.br[0].next)
				walk(x.br[1].next)
			}
		}
	}
	walk(s.tree)
	return len(seen)
}

// needLoad reports whether a block's own code loads its word: the state
// it assumes holds another word, or fewer bits of it.
func needLoad(n *lsNode, assumed lsAcc) bool {
	return n.word != assumed.word || n.mask&assumed.mask != n.mask
}

// firstExit is the state of the first block, in the layout pass's depth
// first order, that leaves n's branches for the block after n.
func firstExit(n *lsNode) (lsAcc, bool) {
	for b := 1; b >= 0; b-- {
		e := n.br[b]
		switch {
		case e.next != nil:
			if a, ok := firstExit(e.next.nodes[len(e.next.nodes)-1]); ok {
				return a, true
			}
		case !e.has:
			return n.acc(), true
		}
	}
	return lsAcc{}, false
}

// repaired reports whether the layout pass gives block i of lv a load:
// it lacks one of its own, and the first block that jumps to it leaves
// another word in the accumulator than the one it assumes.
func repaired(lv *lsLevel, i int) bool {
	prev := lv.nodes[i-1]
	a, ok := firstExit(prev)
	return ok && a != prev.acc()
}

// lsDecide answers a comparison of word & mask with datum.
type lsDecide func(w lsWord, mask uint32, t lsTest, datum uint32) bool

// lsRun evaluates a syscall's tree. With buggy set it runs the code
// libseccomp 2.5.4 emits (loads as described above), else the code it
// means. stale, if not nil, is called for tests that read a word other
// than their own.
func lsRun(lv *lsLevel, buggy bool, decide lsDecide, stale func(n, prev *lsNode)) (Action, bool) {
	cur := lsAcc{lsNr, ^uint32(0)}
	act, done, _ := lsLevelRun(lv, lsAcc{lsNr, ^uint32(0)}, cur, buggy, decide, stale)
	return act, done
}

func lsLevelRun(lv *lsLevel, in, cur lsAcc, buggy bool, decide lsDecide, stale func(n, prev *lsNode)) (Action, bool, lsAcc) {
	for i, n := range lv.nodes {
		assumed := in
		if i > 0 {
			assumed = lv.nodes[i-1].acc()
		}
		if !buggy {
			cur = n.acc()
		} else if needLoad(n, assumed) {
			cur = lsAcc{n.word, n.mask}
		} else {
			if i > 0 && repaired(lv, i) {
				cur = lsAcc{n.word, assumed.mask}
			}
			cur.mask &= n.mask
			if cur != n.acc() && stale != nil {
				var prev *lsNode
				if i > 0 {
					prev = lv.nodes[i-1]
				}
				stale(n, prev)
			}
		}
		b := 0
		if decide(cur.word, cur.mask, n.test, n.datum) {
			b = 1
		}
		e := n.br[b]
		if e.has {
			return e.act, true, cur
		}
		if e.next != nil {
			var act Action
			var done bool
			act, done, cur = lsLevelRun(e.next, n.acc(), cur, buggy, decide, stale)
			if done {
				return act, true, cur
			}
		}
	}
	return 0, false, cur
}

// mayStale reports whether some block of the tree lacks a load it needs
// on some path (the cheap test before searching for a call).
func mayStale(lv *lsLevel) bool {
	if lv == nil {
		return false
	}
	for i, n := range lv.nodes {
		if i > 0 && !needLoad(n, lv.nodes[i-1].acc()) && !repaired(lv, i) && exitsDiffer(lv.nodes[i-1]) {
			return true
		}
		if mayStale(n.br[0].next) || mayStale(n.br[1].next) {
			return true
		}
	}
	return false
}

// exitsDiffer reports whether a path below n leaves for n's next sibling
// with another word than n's in the accumulator.
func exitsDiffer(n *lsNode) bool {
	var exits func(m *lsNode) bool
	exits = func(m *lsNode) bool {
		for _, e := range m.br {
			switch {
			case e.next != nil:
				if exits(e.next.nodes[len(e.next.nodes)-1]) {
					return true
				}
			case !e.has:
				if m.acc() != n.acc() {
					return true
				}
			}
		}
		return false
	}
	return exits(n)
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

// lsSearch looks for word values on which run(true) and run(false) give
// different actions and ok accepts the input. run calls decide for every
// comparison; lsSearch answers them to walk every feasible pair of paths.
func lsSearch(run func(buggy bool, decide lsDecide) Action, ok func(words map[lsWord]uint32) bool) (map[lsWord]uint32, bool) {
	type choice struct {
		val, forced bool
	}
	var stack []choice
	const budget = 20000
	for runs := 0; runs < budget; runs++ {
		atoms := map[lsWord][]lsAtom{}
		depth, dead := 0, false
		decide := func(w lsWord, mask uint32, t lsTest, datum uint32) bool {
			if dead {
				return false
			}
			feasible := func(v bool) bool {
				_, ok := lsSolve(append(slices.Clip(atoms[w]), lsAtom{mask, t, datum, v}))
				return ok
			}
			var v bool
			if depth < len(stack) {
				v = stack[depth].val
				if !feasible(v) {
					dead = true
					return false
				}
			} else {
				switch {
				case feasible(true):
					stack = append(stack, choice{val: true, forced: !feasible(false)})
					v = true
				case feasible(false):
					stack = append(stack, choice{val: false, forced: true})
				default:
					dead = true
					return false
				}
				v = stack[depth].val
			}
			depth++
			atoms[w] = append(atoms[w], lsAtom{mask, t, datum, v})
			return v
		}
		a := run(true, decide)
		b := run(false, decide)
		if !dead && a != b {
			words := map[lsWord]uint32{}
			solved := true
			for w, as := range atoms {
				v, ok := lsSolve(as)
				solved = solved && ok
				words[w] = v
			}
			if solved && ok(words) {
				return words, true
			}
		}
		// The next path: flip the deepest choice not yet flipped.
		stack = stack[:min(depth, len(stack))]
		for len(stack) > 0 && stack[len(stack)-1].forced {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			return nil, false
		}
		stack[len(stack)-1] = choice{val: !stack[len(stack)-1].val, forced: true}
	}
	return nil, false
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

// lsRunSys is the action of one entry on a call (nil decide: unconditional
// entries only).
func (s *lsSys) run(def Action, buggy bool, decide lsDecide, stale func(n, prev *lsNode)) Action {
	if s.uncond {
		return s.act
	}
	if act, ok := lsRun(s.tree, buggy, decide, stale); ok {
		return act
	}
	return def
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
func callText(name string, args [6]uint64, used [6]bool) string {
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
	for _, e := range c.entries {
		path := fmt.Sprintf("syscalls[%d]", e.index)
		act, err := c.action(path+".action", e.call.Action, e.call.ErrnoRet, path+".errnoRet")
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
		for j, name := range e.call.Names {
			if !libseccompKnows(name) {
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
	dbs []*lsDB
}

// loadsNr reports whether the section loads the syscall number in the code
// of its first entry (every section but x86_64's or x32's alone, which load
// it in their ABI check).
func (sec lsSection) loadsNr() bool {
	if len(sec.dbs) > 1 {
		return true
	}
	n := sec.dbs[0].a.Name
	return n != "x86_64" && n != "x32"
}

// head returns the entries the section sorts first: those of the highest
// priority (fewest nodes) in the first db that has one, real numbers before
// placeholders.
func (sec lsSection) head() []*lsSys {
	best := -1
	for _, db := range sec.dbs {
		for _, s := range db.sys {
			if n := s.count(); best < 0 || n < best {
				best = n
			}
		}
	}
	for _, db := range sec.dbs {
		var real, pseudo []*lsSys
		for _, nr := range db.order {
			s := db.sys[nr]
			if s.count() != best {
				continue
			}
			if s.pseudo {
				pseudo = append(pseudo, s)
			} else {
				real = append(real, s)
			}
		}
		if len(real) > 0 {
			return real
		}
		if len(pseudo) > 0 {
			return pseudo
		}
	}
	return nil
}

// warnLibseccompBugs warns where the filter runc + libseccomp 2.5.4 would
// install decides a call otherwise than the profile because of the two
// libseccomp bugs described at the top of this file; each warning names
// such a call.
func (c *ociConv) warnLibseccompBugs(p *Policy) {
	rules := c.lsRules(p.Default)
	if len(rules) == 0 {
		return
	}
	var secs []lsSection
	x64 := -1 // the section of x86_64 and x32
	for _, a := range p.Arches {
		db, err := newLSDB(a, rules)
		if err != nil {
			return // runc fails (ParseOCI reports what it models of that)
		}
		if a.Name == "x86_64" || a.Name == "x32" {
			if x64 >= 0 {
				secs[x64].dbs = append(secs[x64].dbs, db)
				continue
			}
			x64 = len(secs)
		}
		secs = append(secs, lsSection{dbs: []*lsDB{db}})
	}
	for _, sec := range secs {
		if sec.loadsNr() && c.warnMissingNrLoad(p, sec, rules) {
			continue // the whole section is off: no need to say more
		}
		for _, db := range sec.dbs {
			for _, nr := range db.order {
				if s := db.sys[nr]; !s.pseudo && !s.uncond && mayStale(s.tree) {
					c.warnStale(p, db, s, rules)
				}
			}
		}
	}
}

// warnMissingNrLoad gives the warning for bug 2 if sec has it.
func (c *ociConv) warnMissingNrLoad(p *Policy, sec lsSection, rules []lsRule) bool {
	head := sec.head()
	if len(head) == 0 || !head[0].pseudo {
		return false
	}
	var names []string
	first := head[0]
	for _, s := range head {
		names = append(names, s.name)
		if s.first < first.first {
			first = s
		}
	}
	var arches []string
	for _, db := range sec.dbs {
		arches = append(arches, db.a.Name)
	}
	archText := strings.Join(arches, "/")
	// A call the section should decide otherwise than by default: the
	// first entry, in the profile's order, with one.
	type cand struct {
		db *lsDB
		s  *lsSys
	}
	var cands []cand
	for _, db := range sec.dbs {
		for _, nr := range db.order {
			if s := db.sys[nr]; !s.pseudo {
				cands = append(cands, cand{db, s})
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return a.s.first - b.s.first })
	for _, cd := range cands {
		s, a := cd.s, cd.db.a
		call := Call{Arch: a.Audit, Nr: int32(s.nr)}
		var words map[lsWord]uint32
		if !s.uncond {
			var ok bool
			words, ok = lsSearch(func(buggy bool, decide lsDecide) Action {
				if buggy {
					return p.Default // every call of the section
				}
				return s.run(p.Default, false, decide, nil)
			}, func(w map[lsWord]uint32) bool {
				call.Args = lsArgs(w)
				return Eval(p, call) != p.Default
			})
			if !ok {
				continue
			}
		}
		call.Args = lsArgs(words)
		want := Eval(p, call)
		if s.run(p.Default, false, concrete(call.Args), nil) == p.Default || want == p.Default {
			continue
		}
		var used [6]bool
		for w := range words {
			used[w/2] = true
		}
		c.problems = append(c.problems, Problem{Pos: rules[first.first].pos, Warning: true, Msg: fmt.Sprintf(
			"libseccomp 2.5.4 leaves the load of the syscall number out of its %s code: the entry it sorts first there is %s (this rule), which %s lacks (libseccomp keeps a placeholder without code for it), so every %s call is compared with the arch value and gets the default action; runc's filter returns %s for %s on %s where the profile (and cbpf) return %s",
			archText, strings.Join(names, ", "), archText, archText, p.Default, callText(s.name, call.Args, used), a.Name, want)})
		return true
	}
	return false
}

// warnStale gives the warning for bug 1 on entry s if a call shows it.
func (c *ociConv) warnStale(p *Policy, db *lsDB, s *lsSys, rules []lsRule) {
	a := db.a
	call := Call{Arch: a.Audit, Nr: int32(s.nr)}
	var hit, hitPrev *lsNode
	words, ok := lsSearch(func(buggy bool, decide lsDecide) Action {
		return s.run(p.Default, buggy, decide, nil)
	}, func(w map[lsWord]uint32) bool {
		call.Args = lsArgs(w)
		got := s.run(p.Default, true, concrete(call.Args), nil)
		return got != Eval(p, call)
	})
	if !ok {
		return
	}
	call.Args = lsArgs(words)
	got := s.run(p.Default, true, concrete(call.Args), func(n, prev *lsNode) {
		if hit == nil {
			hit, hitPrev = n, prev
		}
	})
	if hit == nil {
		return
	}
	var used [6]bool
	for w := range words {
		used[w/2] = true
	}
	wordText := func(w lsWord) string {
		if db.bits == 32 {
			return fmt.Sprintf("arg%d", w/2)
		}
		half := "low"
		if w&1 == 1 {
			half = "high"
		}
		return fmt.Sprintf("the %s word of arg%d", half, w/2)
	}
	other := ""
	if hitPrev != nil && hitPrev.rule != hit.rule {
		other = fmt.Sprintf(" and the rule at %s", rules[hitPrev.rule].pos)
	}
	c.problems = append(c.problems, Problem{Pos: rules[hit.rule].pos, Warning: true, Msg: fmt.Sprintf(
		"libseccomp 2.5.4 miscompiles the tests of %s on %s (this rule%s): the code of a test of %s has no load of its own and also runs after a failed test of another word, whose value it then compares; runc's filter returns %s for %s on %s where the profile (and cbpf) return %s",
		s.name, a.Name, other, wordText(hit.word), got, callText(s.name, call.Args, used), a.Name, Eval(p, call))})
}
