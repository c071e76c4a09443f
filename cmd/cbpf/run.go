package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/diag"
	"github.com/cbpfkit/cbpf/internal/action"
	"github.com/cbpfkit/cbpf/internal/pcap"
	"github.com/cbpfkit/cbpf/vm"
)

var runCommand = &command{
	name:    "run",
	args:    "PROG",
	summary: "run a program on seccomp_data inputs or on the packets of a pcap file",
	about:   runAbout,
	run:     runRun,
}

const runAbout = `
Run a program in the VM, exactly as the Linux kernel would, and print what it
returns for each input. PROG is read in any format of "cbpf asm -h" (-i names
it; default: detect).

Seccomp mode (the default) reads inputs from --input FILE, or from stdin,
one a line:

  ARCH NR [A0 [A1 [A2 [A3 [A4 [A5 [IP]]]]]]]

ARCH is an arch name (x86_64, i386, aarch64, ...) or an AUDIT_ARCH value.
Numbers are decimal, 0x hex, or negative decimal (two's complement: 32 bits
for NR, 64 bits for the arguments and IP). Missing arguments and IP are 0.
# starts a comment, at the start of a line or after its fields; blank
lines are skipped. Output, one line an input:

  0x00050001 ERRNO(1) insns=9

Packet mode (--mode packet) runs the program on every packet of a pcap file
(--pcap FILE; microsecond or nanosecond, either byte order) and prints
"INDEX RET insns=N" (1-based INDEX, RET in decimal). As in libpcap, "len"
reads the packet's length on the wire and loads stop at the captured bytes.

--trace prints each step before the result line: the instruction index, the
instruction, and A and X after it.

Example:
  echo 'x86_64 39' | cbpf run filter.asm
  cbpf run --mode packet --pcap capture.pcap prog.ddd
`

func runRun(e *env, fs *flags, args []string) error {
	mode := fs.String("mode", "seccomp", "`mode`: seccomp or packet")
	in := fs.String("i", "", "program `format` ("+formatList(true)+"; empty: detect)")
	input := fs.String("input", "", "seccomp inputs `file` (default stdin)")
	pcapFile := fs.String("pcap", "", "pcap `file` of packets (packet mode)")
	trace := fs.Bool("trace", false, "print every step")
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) != 1 {
		return fs.usageError("want one PROG, got %d arguments", len(fs.positional))
	}
	m, err := modeFlag(*mode)
	if err != nil {
		return fs.usageError("--mode: %v", err)
	}
	switch m {
	case vm.Seccomp:
		if *pcapFile != "" {
			return fs.usageError("--pcap needs --mode packet")
		}
		if (*input == "" || *input == "-") && fs.positional[0] == "-" {
			return fs.usageError("PROG and the inputs cannot both be stdin; use --input FILE")
		}
	case vm.Packet:
		if *pcapFile == "" {
			return fs.usageError("packet mode needs --pcap FILE")
		}
		if *input != "" {
			return fs.usageError("--input is for seccomp mode; packet mode reads --pcap")
		}
	}
	prog, progName, err := readProgram(e, "run", fs.positional[0], *in)
	if err != nil {
		return err
	}
	mach, err := vm.New(prog, m)
	if err != nil {
		return fail(exitBad, "%s: %v", progName, err)
	}
	w := bufio.NewWriter(e.stdout)
	var opts *vm.Options
	if *trace {
		opts = &vm.Options{Trace: func(s vm.Step) {
			end := ""
			if s.Fault {
				end = "  (fault: returns 0)"
			}
			fmt.Fprintf(w, "  %4d: %-32s A=0x%08x X=0x%08x%s\n", s.PC, asm.InsnString(s.Insn, s.PC), s.A, s.X, end)
		}}
	}
	if m == vm.Seccomp {
		err = runSeccompInputs(e, w, mach, *input, opts)
	} else {
		err = runPcap(w, mach, *pcapFile, opts)
	}
	if err := w.Flush(); err != nil {
		return ioError("run", err)
	}
	return err
}

func runSeccompInputs(e *env, w *bufio.Writer, m *vm.Machine, path string, opts *vm.Options) error {
	name, in := "<stdin>", io.Reader(e.stdin)
	if path != "" && path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return ioError("run", err)
		}
		defer f.Close()
		name, in = path, f
	}
	err := readCallLines(in, func(n int, fields []callField, length int) error {
		d, ok, err := parseCallFields(fields, length)
		if err != nil {
			return atLine(n, err)
		}
		if ok {
			r := m.RunSeccompOpts(d, opts)
			fmt.Fprintf(w, "0x%08x %s insns=%d\n", r.Ret, action.String(r.Ret), r.Insns)
		}
		return nil
	})
	return callLinesDone(w, "run", name, err)
}

// atLine puts the error of parseCallFields, at a column, on line n of the
// inputs.
func atLine(n int, err error) error {
	if e, ok := err.(*diag.Error); ok {
		e.Line = n
	}
	return err
}

// callLinesDone reports how reading the inputs ended: a bad line is
// exitBad, at its position (file:line:col); an I/O error exitUsage.
func callLinesDone(w *bufio.Writer, cmd, name string, err error) error {
	if err == nil {
		return nil
	}
	w.Flush()
	var de *diag.Error
	if errors.As(err, &de) {
		de.File = name
		return badInput(de)
	}
	return fail(exitUsage, "cbpf %s: %s: %v", cmd, name, err)
}

// maxField is how much of an input field is kept: a valid one is at most
// a few dozen bytes, and of a longer one messages quote the start and give
// the length.
const maxField = 256

// callField is one field of an input line: its text (its first maxField
// bytes, if it is longer), its length and its 1-based column.
type callField struct {
	s      string
	n, col int
}

// quote quotes the field for a message, with its length if it is long.
func (f callField) quote() string {
	if f.n <= maxQuoted {
		return strconv.Quote(f.s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(f.s[cut]) {
		cut--
	}
	return strconv.Quote(f.s[:cut]) + fmt.Sprintf("... (%d bytes)", f.n)
}

// maxFields is how many fields of a line are kept: one more than a valid
// line has, to say where the extra ones start.
const maxFields = 10

// fieldScanner splits a line into fields (separated by blanks and tabs) as
// its bytes come, cutting it at its # comment and dropping the \r's that
// end it, keeping at most maxFields fields of maxField bytes: memory is
// bounded whatever the line's length.
type fieldScanner struct {
	fields  []callField
	n       int  // bytes of the line before its comment
	cr      int  // \r bytes that end them
	in      bool // in a field
	stored  bool // the field is one of fields
	comment bool
	cur     []byte
}

func (s *fieldScanner) reset() {
	*s = fieldScanner{fields: s.fields[:0], cur: s.cur[:0]}
}

func (s *fieldScanner) feed(b []byte) {
	for _, c := range b {
		if s.comment {
			return
		}
		switch c {
		case '#':
			s.close()
			s.comment = true
			continue
		case ' ', '\t':
			s.close()
			s.n++
			s.cr = 0
			continue
		case '\r':
			s.cr++
		default:
			s.cr = 0
		}
		s.n++
		if !s.in {
			s.in = true
			s.cur = s.cur[:0]
			s.stored = len(s.fields) < maxFields
			if s.stored {
				s.fields = append(s.fields, callField{col: s.n})
			}
		}
		if !s.stored {
			continue
		}
		s.fields[len(s.fields)-1].n++
		if len(s.cur) < maxField {
			s.cur = append(s.cur, c)
		}
	}
}

// close ends the field being read.
func (s *fieldScanner) close() {
	if s.in && s.stored {
		s.fields[len(s.fields)-1].s = string(s.cur)
	}
	s.in = false
}

// end ends the line: the \r's that end it are not part of it.
func (s *fieldScanner) end() {
	if s.comment {
		return
	}
	if s.in && s.stored {
		f := &s.fields[len(s.fields)-1]
		f.n -= min(s.cr, f.n)
		s.cur = s.cur[:min(len(s.cur), f.n)]
		if f.n == 0 {
			s.fields = s.fields[:len(s.fields)-1]
			s.in = false
		}
	}
	s.n -= s.cr
	s.close()
}

// readCallLines calls f with the fields of each line of r and the length
// of the line before its comment, and the line's number, until f fails;
// it returns f's error or the error reading r. Memory is bounded whatever
// the lines' length (fieldScanner).
func readCallLines(r io.Reader, f func(n int, fields []callField, length int) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var sc fieldScanner
	for n := 1; ; n++ {
		sc.reset()
		read, eof := 0, false
		for {
			chunk, err := br.ReadSlice('\n')
			read += len(chunk)
			sc.feed(bytes.TrimSuffix(chunk, []byte("\n")))
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				eof = true
				break
			}
			if err != nil {
				return err
			}
			break
		}
		if eof && read == 0 {
			return nil
		}
		sc.end()
		if err := f(n, sc.fields, sc.n); err != nil {
			return err
		}
		if eof {
			return nil
		}
	}
}

// maxQuoted bounds the input a message quotes.
const maxQuoted = 40

// colError is an error at a 1-based column of an input line, whose
// number and file the caller sets (atLine, callLinesDone).
func colError(col int, code diag.Code, msg string) *diag.Error {
	return &diag.Error{Pos: diag.At("", 0, col), Code: code, Msg: msg}
}

// parseSeccompLine parses "ARCH NR [A0..A5 [IP]] [# comment]". ok is false
// for blank and comment lines.
func parseSeccompLine(line string) (d vm.SeccompData, ok bool, err error) {
	var sc fieldScanner
	sc.feed([]byte(line))
	sc.end()
	return parseCallFields(sc.fields, sc.n)
}

// parseCallFields parses the fields of a line, of the given length before
// its comment.
func parseCallFields(fields []callField, length int) (d vm.SeccompData, ok bool, err error) {
	if len(fields) == 0 {
		return d, false, nil
	}
	if len(fields) < 2 {
		return d, false, colError(length+1, diag.CodeMissing, "want ARCH NR [A0..A5 [IP]]: missing NR")
	}
	if len(fields) > 9 {
		return d, false, colError(fields[9].col, diag.CodeSyntax, "too many fields: want ARCH NR, six arguments and IP at most (9)")
	}
	d.Arch, err = parseArch(fields[0])
	if err != nil {
		return d, false, colError(fields[0].col, diag.CodeUnknownArch, err.Error())
	}
	nr, err := parseNum(fields[1], 32)
	if err != nil {
		// A syscall name of the arch's table (x32 names on x86_64 need the
		// x32 arch name).
		a, lerr := arch.Lookup(fields[0].s)
		n, ok := uint32(0), false
		if lerr == nil && fields[1].n == len(fields[1].s) {
			n, ok = a.SyscallNumber(fields[1].s)
		}
		if !ok {
			return d, false, colError(fields[1].col, diag.CodeUnknownSyscall, "NR: "+err.Error()+", nor a syscall name of the arch")
		}
		nr = uint64(n)
	}
	d.Nr = int32(uint32(nr))
	for i, f := range fields[2:] {
		v, err := parseNum(f, 64)
		if err != nil {
			what := "IP"
			if i < 6 {
				what = fmt.Sprintf("A%d", i)
			}
			return d, false, colError(f.col, diag.CodeRange, what+": "+err.Error())
		}
		if i < 6 {
			d.Args[i] = v
		} else {
			d.InstructionPointer = v
		}
	}
	return d, true, nil
}

func parseArch(f callField) (uint32, error) {
	if f.n == len(f.s) {
		if a, err := arch.Lookup(f.s); err == nil && a != nil {
			return a.Audit, nil
		}
		// Any AUDIT_ARCH value, known to the table or not (to try a
		// filter's bad-arch path).
		if v, err := parseNum(f, 32); err == nil && !strings.HasPrefix(f.s, "-") {
			return uint32(v), nil
		}
	}
	return 0, fmt.Errorf("unknown arch %s (a name such as x86_64, or an AUDIT_ARCH value)", f.quote())
}

// parseNum reads decimal, 0x hex, or negative decimal as two's complement
// in bits (32 or 64).
func parseNum(f callField, bits int) (uint64, error) {
	s := f.s
	if f.n > len(s) {
		s = "" // cut: not a number
	}
	if strings.HasPrefix(f.s, "-") {
		v, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			return 0, fmt.Errorf("bad number %s (negative numbers must fit in %d bits, decimal)", f.quote(), bits)
		}
		if bits == 32 {
			return uint64(uint32(v)), nil
		}
		return uint64(v), nil
	}
	base := 10
	t := s
	if strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0X") {
		base, t = 16, t[2:]
	}
	v, err := strconv.ParseUint(t, base, bits)
	if err != nil {
		return 0, fmt.Errorf("bad number %s (want decimal, 0x hex or negative decimal within %d bits)", f.quote(), bits)
	}
	return v, nil
}

func runPcap(w *bufio.Writer, m *vm.Machine, path string, opts *vm.Options) error {
	f, err := os.Open(path)
	if err != nil {
		return ioError("run", err)
	}
	defer f.Close()
	rd, err := pcap.NewReader(f) // one packet at a time
	if err != nil {
		return fail(exitBad, "%s: %v", path, err)
	}
	meta := &vm.Meta{NetOffset: netOffset(rd.Header().LinkType)}
	for i := 1; ; i++ {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			w.Flush()
			return fail(exitBad, "%s: packet %d: %v", path, i, err)
		}
		meta.WireLen = rec.OrigLen
		if rec.OrigLen < uint32(len(rec.Data)) {
			meta.WireLen = uint32(len(rec.Data))
		}
		r := m.RunPacketOpts(rec.Data, meta, opts)
		fmt.Fprintf(w, "%d %d insns=%d\n", i, r.Ret, r.Insns)
	}
}

// netOffset is where the network header starts for a link type: the base
// of SKF_NET_OFF loads.
func netOffset(linkType uint32) int {
	switch linkType {
	case pcap.LinkTypeEthernet:
		return 14
	case pcap.LinkTypeNull:
		return 4
	case pcap.LinkTypeLinuxSLL:
		return 16
	}
	return 0
}
