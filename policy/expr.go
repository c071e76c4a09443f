package policy

import (
	"fmt"
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
	arg := fmt.Sprintf("arg%d", c.Arg)
	if c.Bits == 32 {
		arg = "(u32)" + arg
	}
	if c.Op == MaskedEQ {
		return fmt.Sprintf("(%s & %s) == %s", arg, constText(c.Mask, c.MaskName), constText(c.Value, c.ValueName))
	}
	return fmt.Sprintf("%s %s %s", arg, c.Op, constText(c.Value, c.ValueName))
}

// constText prints a constant by its source name, or as a number: small
// ones in decimal, the rest in hex.
func constText(v uint64, name string) string {
	if name != "" {
		return name
	}
	if v < 4096 {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%#x", v)
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

func (e And) String() string { return join(e, " && ", "&&") }
func (e Or) String() string  { return join(e, " || ", "||") }
func (e *Not) String() string {
	if _, ok := e.X.(*Cmp); ok {
		return "!(" + e.X.String() + ")"
	}
	return "!" + paren(e.X)
}

func join(xs []Expr, sep, self string) string {
	if len(xs) == 0 {
		if self == "&&" {
			return "true"
		}
		return "false"
	}
	parts := make([]string, len(xs))
	for i, x := range xs {
		s := x.String()
		switch x.(type) {
		case And, Or:
			if !(self == "||" && isAnd(x)) && !isConst(x) {
				s = "(" + s + ")"
			}
		}
		parts[i] = s
	}
	return strings.Join(parts, sep)
}

func isAnd(x Expr) bool { _, ok := x.(And); return ok }

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

func paren(x Expr) string {
	if isConst(x) {
		return x.String()
	}
	switch x.(type) {
	case And, Or:
		return "(" + x.String() + ")"
	}
	return x.String()
}

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
