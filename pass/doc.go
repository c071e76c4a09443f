// Package pass runs a program's rewrite passes as data: an ordered List
// of small functions, each reporting whether it changed the program, run
// once in order (Sweep) or sweep after sweep to a fixed point (Fix).
//
// A List is generic in the program's type, so the same machinery serves
// the compiler's clean-up passes over a link.Builder (compile's
// passes.go: jump threading, dropping redundant loads and jumps to the
// next instruction) and an optimizer over any program form.
//
// Fix does not leave termination to hope: it takes a weight, a
// non-negative integer measure of the program that every change must
// strictly decrease (for a link.Builder, Builder.Weight: instructions
// plus how far each jump target lies from the end). A sweep that changes
// nothing ends the run, and since the weight cannot fall forever, there
// are at most weight+1 sweeps. Fix checks the rule after every change and
// returns an *Error naming the pass that broke it rather than loop.
package pass
