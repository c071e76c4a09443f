package policy

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Expr is a predicate over a syscall's arguments: *Cmp, *And, *Or, *Not.
// A nil Expr is "always".
type Expr interface {
	// Eval reports whether the predicate holds for args.
	Eval(args *[6]uint64) bool
	String() string
}

// Op is a comparison operator.
type Op uint8

const (
	EQ       Op = iota // arg == value
	NE                 // arg != value
	LT                 // arg < value (unsigned)
	LE                 // arg <= value (unsigned)
	GT                 // arg > value (unsigned)
	GE                 // arg >= value (unsigned)
	MaskedEQ           // (arg & mask) == value
)

var opText = [...]string{"==", "!=", "<", "<=", ">", ">=", "=="}

func (o Op) String() string { return opText[o] }

// Cmp compares one argument with a constant.
//
// Comparisons are unsigned. With Bits 64 (the default when built with Arg)
// they see the whole 64-bit argument; with Bits 32 only its low 32 bits
// (Mask and Value are then 32-bit too): the form for int arguments, whose
// high half the kernel ignores.
type Cmp struct {
	Arg   int // 0..5
	Op    Op
	Mask  uint64 // for MaskedEQ
	Value uint64
	Bits  int // 64 or 32

	// Names keep the spelling of constants from the source, for printing
	// ("AF_INET"); empty means print the number.
	MaskName, ValueName string
}

// Eval reports whether the comparison holds.
func (c *Cmp) Eval(args *[6]uint64) bool {
	v, k, m := args[c.Arg], c.Value, c.Mask
	if c.Bits == 32 {
		v, k, m = v&0xffffffff, k&0xffffffff, m&0xffffffff
	}
	switch c.Op {
	case EQ:
		return v == k
	case NE:
		return v != k
	case LT:
		return v < k
	case LE:
		return v <= k
	case GT:
		return v > k
	case GE:
		return v >= k
	case MaskedEQ:
		return v&m == k
	}
	return false
}

func (c *Cmp) String() string {
	var b strings.Builder
	writeExpr(&b, c)
	return b.String()
}

// MaxNesting is how deeply predicates may nest: the most And, Or and Not
// operators on a path from a predicate's root to a comparison (the policy
// language counts its parentheses and '!' as well). Validate refuses
// deeper predicates and the parsers stop at the limit, so that the code
// that walks predicates recursively (the compiler, Eval, Narrow,
// MuxPredicate) needs a bounded stack: Go stops a goroutine whose stack
// passes 1 GB, which a few million levels reach. Real predicates nest a
// handful of levels.
const MaxNesting = 1000

// nesting returns e's nesting, or limit+1 if it is deeper than limit. It
// recurses at most limit+1 levels, so it is safe on any tree, even a
// cyclic one.
func nesting(e Expr, limit int) int {
	if limit < 0 {
		return 0
	}
	d := 0
	switch e := e.(type) {
	case And:
		for _, x := range e {
			d = max(d, 1+nesting(x, limit-1))
			if d > limit {
				return d
			}
		}
	case Or:
		for _, x := range e {
			d = max(d, 1+nesting(x, limit-1))
			if d > limit {
				return d
			}
		}
	case *Not:
		if e != nil {
			d = 1 + nesting(e.X, limit-1)
		}
	}
	return d
}

// textWriter is where the printers write: a strings.Builder or a
// bufio.Writer.
type textWriter interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
}

// writeCmpArg writes c, with arg for its argument.
func writeCmpArg(b textWriter, c *Cmp, arg string) {
	if c.Op == MaskedEQ {
		// ((u32)arg2 & 4) == 0: the cast belongs to the argument, inside
		// the parentheses, as the parser reads it.
		b.WriteByte('(')
		if c.Bits == 32 {
			b.WriteString("(u32)")
		}
		b.WriteString(arg)
		b.WriteString(" & ")
		writeConst(b, c.Mask, c.MaskName)
		b.WriteString(") == ")
		writeConst(b, c.Value, c.ValueName)
		return
	}
	if c.Bits == 32 {
		b.WriteString("(u32)")
	}
	b.WriteString(arg)
	b.WriteByte(' ')
	if int(c.Op) < len(opText) {
		b.WriteString(opText[c.Op])
	} else {
		fmt.Fprintf(b, "op(%d)", c.Op)
	}
	b.WriteByte(' ')
	writeConst(b, c.Value, c.ValueName)
}

func writeCmp(b textWriter, c *Cmp) {
	if c == nil {
		b.WriteString("<nil>")
		return
	}
	var buf [24]byte
	writeCmpArg(b, c, string(strconv.AppendInt(append(buf[:0], "arg"...), int64(c.Arg), 10)))
}

// writeConst writes a constant by its source name, or as a number: small
// ones in decimal, the rest in hex.
func writeConst(b textWriter, v uint64, name string) {
	if name != "" {
		b.WriteString(name)
		return
	}
	var buf [24]byte
	if v < 4096 {
		b.Write(strconv.AppendUint(buf[:0], v, 10))
		return
	}
	b.WriteString("0x")
	b.Write(strconv.AppendUint(buf[:0], v, 16))
}

// And holds when all of its operands hold.
type And []Expr

// Or holds when any of its operands holds.
type Or []Expr

// Not holds when X does not.
type Not struct{ X Expr }

func (e And) Eval(args *[6]uint64) bool {
	for _, x := range e {
		if !x.Eval(args) {
			return false
		}
	}
	return true
}

func (e Or) Eval(args *[6]uint64) bool {
	for _, x := range e {
		if x.Eval(args) {
			return true
		}
	}
	return false
}

func (e *Not) Eval(args *[6]uint64) bool { return !e.X.Eval(args) }

func (e And) String() string  { return exprString(e) }
func (e Or) String() string   { return exprString(e) }
func (e *Not) String() string { return exprString(e) }

func exprString(e Expr) string {
	var b strings.Builder
	writeExpr(&b, e)
	return b.String()
}

// isConst reports whether x prints as the word true or false, which needs
// no parentheses.
func isConst(x Expr) bool {
	switch x := x.(type) {
	case And:
		return len(x) == 0
	case Or:
		return len(x) == 0
	}
	return false
}

// writeExpr prints e in the policy language: && binds tighter than ||,
// an And or Or operand of another is parenthesised (except an And in an
// Or), and ! takes a comparison or a compound operand in parentheses.
//
// It works with a stack of its own rather than recursion, in time linear
// in the size of e, so that printing never fails on a deep tree.
func writeExpr(b textWriter, e Expr) {
	// A task prints an expression (x), a list of operands from i on
	// (xs), or a closing parenthesis (neither).
	type task struct {
		x     Expr
		xs    []Expr
		i     int
		or    bool
		paren bool
	}
	stack := []task{{x: e}}
	for len(stack) > 0 {
		t := &stack[len(stack)-1]
		if t.xs != nil {
			// The next operand of an And or Or.
			if t.i == len(t.xs) {
				stack = stack[:len(stack)-1]
				continue
			}
			if t.i > 0 {
				if t.or {
					b.WriteString(" || ")
				} else {
					b.WriteString(" && ")
				}
			}
			x := t.xs[t.i]
			t.i++
			wrap := false
			switch x.(type) {
			case And, Or:
				wrap = !isConst(x) && !(t.or && isAnd(x))
			}
			if wrap {
				b.WriteByte('(')
				stack = append(stack, task{paren: true}, task{x: x})
			} else {
				stack = append(stack, task{x: x})
			}
			continue
		}
		x, paren := t.x, t.paren
		stack = stack[:len(stack)-1]
		if x == nil {
			if paren {
				b.WriteByte(')')
			} else {
				b.WriteString("<nil>")
			}
			continue
		}
		switch x := x.(type) {
		case *Cmp:
			writeCmp(b, x)
		case And:
			if len(x) == 0 {
				b.WriteString("true")
			} else {
				stack = append(stack, task{xs: x})
			}
		case Or:
			if len(x) == 0 {
				b.WriteString("false")
			} else {
				stack = append(stack, task{xs: x, or: true})
			}
		case *Not:
			if x == nil {
				b.WriteString("!<nil>")
				continue
			}
			switch y := x.X.(type) {
			case *Cmp:
				b.WriteString("!(")
				writeCmp(b, y)
				b.WriteByte(')')
			case And, Or:
				if isConst(y) {
					b.WriteByte('!')
					stack = append(stack, task{x: y})
				} else {
					b.WriteString("!(")
					stack = append(stack, task{paren: true}, task{x: y})
				}
			default:
				b.WriteByte('!')
				stack = append(stack, task{x: y})
			}
		default:
			b.WriteString(x.String())
		}
	}
}

func isAnd(x Expr) bool { _, ok := x.(And); return ok }

// Arg starts a 64-bit comparison of argument i: Arg(0).Eq(2).
func Arg(i int) ArgRef { return ArgRef{i: i, bits: 64} }

// Arg32 starts a comparison of the low 32 bits of argument i.
func Arg32(i int) ArgRef { return ArgRef{i: i, bits: 32} }

// ArgRef is an argument about to be compared.
type ArgRef struct{ i, bits int }

func (r ArgRef) cmp(op Op, v uint64) *Cmp { return &Cmp{Arg: r.i, Op: op, Value: v, Bits: r.bits} }

func (r ArgRef) Eq(v uint64) *Cmp { return r.cmp(EQ, v) }
func (r ArgRef) Ne(v uint64) *Cmp { return r.cmp(NE, v) }
func (r ArgRef) Lt(v uint64) *Cmp { return r.cmp(LT, v) }
func (r ArgRef) Le(v uint64) *Cmp { return r.cmp(LE, v) }
func (r ArgRef) Gt(v uint64) *Cmp { return r.cmp(GT, v) }
func (r ArgRef) Ge(v uint64) *Cmp { return r.cmp(GE, v) }

// MaskedEq is (arg & mask) == v.
func (r ArgRef) MaskedEq(mask, v uint64) *Cmp {
	c := r.cmp(MaskedEQ, v)
	c.Mask = mask
	return c
}

// AllOf, AnyOf and Negate build compound predicates.
func AllOf(xs ...Expr) Expr { return And(xs) }
func AnyOf(xs ...Expr) Expr { return Or(xs) }
func Negate(x Expr) Expr    { return &Not{X: x} }
