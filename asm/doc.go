// Package asm converts classic BPF programs between text and binary forms:
// every common program format, and a disassembler for each style.
//
// A program is a []bpf.RawInstruction (golang.org/x/net/bpf), the layout of
// the kernel's struct sock_filter: a 16-bit opcode, 8-bit jump offsets jt
// and jf, and a 32-bit k. Read decodes a format and Write encodes one;
// Assemble and Disassemble are the bpf_asm text on its own.
//
// # Formats
//
//	raw      struct sock_filter array, 8 bytes an instruction, little endian
//	raw-be   the same, big endian
//	ddd      tcpdump -ddd: a count line, then "code jt jf k" in decimal
//	xt       "count,code jt jf k,...": bpf_asm's output and iptables'
//	         xt_bpf --bytecode (written without a trailing comma; read with
//	         or without one, quoted or not)
//	c        tcpdump -dd: "{ 0x28, 0, 0, 0x0000000c }," lines, written
//	         exactly as tcpdump does; read from any C initializer of
//	         struct sock_filter, with or without its declaration, comments,
//	         decimal, hex or octal numbers
//	go       a gofmt-clean []bpf.RawInstruction literal, commented with the
//	         tcpdump disassembly; read with keyed or positional fields and an
//	         optional declaration before it
//	asm      bpf_asm text, lossless (see Assemble)
//	tcpdump  tcpdump -d text, byte for byte as libpcap 1.10 prints it,
//	         including its names for Linux ancillary loads ([vlanp],
//	         [ifidx], ...), for every program; read back lossily: tcpdump
//	         does not print jt and jf of a non-jump (ja included), k of an
//	         instruction whose operand does not show it (tax, txa, neg,
//	         ret a, len loads, x operands), or anything but the opcode of an
//	         instruction it calls "unimp". Those fields read back as zero;
//	         Dropped lists the instructions that lose any (libpcap itself
//	         leaves k set on some tax instructions), and cbpf warns of them
//	pseudo   (write only) a C-like listing for seccomp filters; a field
//	         the kernel ignores that is set is noted on its line
//	         ("// also jf=1 (ignored by the kernel)")
//	dot      (write only) a Graphviz digraph of the control flow, nodes
//	         labelled with tcpdump -d lines, each followed by "(also jf=1)"
//	         and the like for the fields tcpdump does not show
//
// Every other format keeps every bit of every instruction: the binary and
// number formats print all four fields, and asm writes what no mnemonic
// spells exactly (a field set that the kernel ignores, an opcode with a
// stray bit, an unknown opcode) as ".insn CODE, JT, JF, K".
//
// Readers take memory in proportion to the program they build, never to
// tokens or lines of the input: a 10 MB line, a file of comments or
// labels, or a count line claiming two billion instructions cost no more
// than the input itself. bpf_asm text holds at most 4096 instructions and
// 16384 labels; the other readers take programs of any length (the
// kernel's limit of 4096 is for vm and verify to enforce). Messages quote
// at most 40 bytes of the input.
//
// Readers reject malformed input with an *Error (a diag.Error) that gives
// the position: line and column for text, byte offset for raw. The line
// readers (asm, ddd, tcpdump) go on past a bad line and return a diag.List
// of the errors of every bad line, at most diag.MaxErrors. Numbers out of range for
// their field (opcode above 65535, jt or jf above 255, k above 2^32-1) and
// negative numbers are errors, never truncated.
//
// # Detection
//
// Read with an empty format calls Detect, which decides by content:
//
//   - input that is not UTF-8 text without control characters (other than
//     tab, CR, LF) is raw, little endian: real programs hold zero bytes;
//   - text starting with "(000) " is tcpdump;
//   - text whose first word, past blank lines and comments, is a bpf_asm
//     mnemonic (ld, jeq, ret, .insn, ...) or a label "name:" is asm;
//   - text containing "RawInstruction" or "{Op:" is go;
//   - text starting with "{" or containing "sock_filter" is c;
//   - text starting with a number and a comma (optionally quoted) is xt;
//   - text whose first line is a lone number, followed by a line of four
//     numbers (or nothing), is ddd;
//   - any other text is asm.
//
// Big-endian raw input is never detected: name the format.
//
// When reading in a named format fails and the content matches one of the
// rules above for another format (a ddd first line without the line of four
// numbers after it, and text matching no rule, do not count), the error is a
// *FormatError whose Looks names that format, and its message says so.
//
// # The pseudo listing
//
// Pseudo prints each instruction as a C-like statement, labelling jump
// targets. It follows what the accumulator holds along every path (joining
// paths only where they agree) to print seccomp_data loads by name ("A =
// nr", "A = arch", "A = args[1] (low)"), arch constants by their AUDIT_ARCH
// name, syscall numbers by name where the arch is proven on that path, and
// return values as actions ("return ERRNO(1)"). The low word of a 64-bit
// field is at 16+8i on little-endian arches and at 16+8i+4 on big-endian
// ones: the arch a path proved decides, else the arches the program compares
// against (little endian if none; when the program mixes both, the listing
// says so). A program with packet loads prints returns as byte counts.
//
// # bpf_asm syntax
//
// Assemble reads the syntax of the kernel's bpf_asm (tools/bpf,
// Documentation/networking/filter.rst): one instruction a line, labels
// "name:", comments from ';', operands "#k", "x", "M[i]", "[k]", "[x + k]",
// "4*([k]&0xf)", extensions such as "#len" or "vlan_tci", conditional jumps
// with one or two label targets, plus a raw escape ".insn CODE, JT, JF, K"
// that emits the 8 bytes as given.
package asm
