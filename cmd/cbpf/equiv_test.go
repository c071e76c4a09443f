package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/cbpfkit/cbpf/vm"
)

// equivFilter allows everything on x86_64 but nr, which gets ERRNO(errno).
func equivFilter(nr string, errno int) string {
	return "ld [4]\njne #0xc000003e, kill\nld [0]\njeq #" + nr + ", deny, allow\n" +
		"deny: ret #" + strconv.Itoa(0x50000+errno) + "\nallow: ret #0x7fff0000\nkill: ret #0x80000000\n"
}

func TestEquivExitStatus(t *testing.T) {
	a := writeTemp(t, "a.asm", []byte(equivFilter("39", 1)))
	same := writeTemp(t, "same.asm", []byte("ld #0\n"+equivFilter("39", 1)))
	diff := writeTemp(t, "diff.asm", []byte(equivFilter("39", 2)))
	unparsable := writeTemp(t, "bad.asm", []byte("ld [4]\njeq #1, nowhere\nret #0\n"))
	rejected := writeTemp(t, "rej.asm", []byte("ld [2]\nret #0\n")) // misaligned: the kernel refuses it
	noRet := writeTemp(t, "noret.ddd", []byte("1\n32 0 0 0\n"))     // no final return
	explosive := writeTemp(t, "x.asm", []byte(explosiveAsm(16)))    // 2^16 paths, all ALLOW
	explosive2 := writeTemp(t, "x2.asm", []byte("ld #0\n"+explosiveAsm(16)))
	for _, c := range []struct {
		args []string
		code int
		out  string // a prefix of stdout
		err  string // a substring of stderr
	}{
		{[]string{a, same}, exitOK, "equivalent\n", ""},
		{[]string{a, diff}, exitBad, "different\ninput: x86_64 getpid 0x0 0x0 0x0 0x0 0x0 0x0 0x0\nA: 0x00050001 ERRNO(1)\nB: 0x00050002 ERRNO(2)\n", ""},
		{[]string{a, unparsable}, exitInvalid, "", "bad.asm:2:"},
		{[]string{unparsable, a}, exitInvalid, "", "bad.asm:2:"},
		{[]string{a, rejected}, exitInvalid, "", "rej.asm: program B is not valid"},
		{[]string{rejected, a}, exitInvalid, "", "rej.asm: program A is not valid"},
		{[]string{noRet, a}, exitInvalid, "", "noret.ddd: program A is not valid"},
		{[]string{a, "/no/such/file"}, exitUsage, "", "/no/such/file"},
		{[]string{a}, exitUsage, "", "want two programs"},
		{[]string{"--max-paths", "0", a, a}, exitUsage, "", "--max-paths"},
		{[]string{"--max-paths", "100", explosive, explosive2}, exitUnknown,
			"unknown: no class of inputs is proven: the search was cut off after 100 pairs of paths", ""},
		{[]string{"--timeout", "1ms", "--max-paths", "100000000", explosive, explosive2}, exitUnknown,
			"unknown: no class of inputs is proven: the search ran out of time (1ms)", ""},
	} {
		out, errOut, code := cli(t, "", append([]string{"equiv"}, c.args...)...)
		if code != c.code || !strings.HasPrefix(out, c.out) || !strings.Contains(errOut, c.err) || strings.Contains(errOut, "goroutine") {
			t.Errorf("equiv %q: exit %d, stdout %q, stderr %q; want exit %d, stdout %q..., stderr with %q", c.args, code, out, errOut, c.code, c.out, c.err)
		}
	}
	help, _, _ := cli(t, "", "equiv", "-h")
	if !strings.Contains(strings.Join(strings.Fields(help), " "), "4 invalid input") {
		t.Errorf("equiv -h does not document exit status 4:\n%s", help)
	}
}

// explosiveAsm has 2^n paths that all allow: n bit tests that rejoin.
func explosiveAsm(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		l := "l" + strconv.Itoa(i)
		b.WriteString("ld [16]\njset #" + strconv.Itoa(1<<i) + ", " + l + "t, " + l + "\n" + l + "t: ldx #1\n" + l + ": ")
	}
	b.WriteString("ret #0x7fff0000\n")
	return b.String()
}

// TestEquivCounterexampleRoundTrip: the input line equiv prints, read by
// "cbpf run", gives the two returns equiv printed, for syscalls with
// names on x86_64, x32 and a big-endian arch, numbers without a name,
// -1, and an arch cbpf does not know.
func TestEquivCounterexampleRoundTrip(t *testing.T) {
	allow := "ret #0x7fff0000\n"
	for _, c := range []struct {
		name, a, b string
		line       string // the start of the input line
	}{
		{"x86_64 name", equivFilter("56", 1), equivFilter("56", 2), "x86_64 clone "},
		{"x32 name", "ld [4]\njne #0xc000003e, a\nld [0]\njeq #0x40000001, e, a\ne: ret #0x50001\na: " + allow, allow, "x32 write "},
		{"x86_64 unnamed", equivFilter("999", 1), allow, "x86_64 999 "},
		{"x86_64 bit 30 unnamed", equivFilter("0x40000258", 1), allow, "x86_64 0x40000258 "},
		{"nr -1", equivFilter("0xffffffff", 1), allow, "x86_64 -1 "},
		{"unknown arch", "ld [4]\njeq #0x1234, e, a\ne: ret #0x50001\na: " + allow, allow, "0x1234 0 "},
		// On big-endian arches the high word of args[0] is at 16.
		{"s390x args", "ld [4]\njne #0x80000016, a\nld [0]\njne #120, a\nld [16]\njne #5, a\nld [20]\njeq #7, e, a\ne: ret #0x50009\na: " + allow, allow,
			"s390x clone 0x500000007 "},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := writeTemp(t, "a.asm", []byte(c.a))
			b := writeTemp(t, "b.asm", []byte(c.b))
			out, errOut, code := cli(t, "", "equiv", a, b)
			lines := strings.Split(out, "\n")
			if code != exitBad || len(lines) < 4 || !strings.HasPrefix(lines[1], "input: "+c.line) {
				t.Fatalf("equiv: exit %d, stdout %q, stderr %q; want an input line %q...", code, out, errOut, c.line)
			}
			input := writeTemp(t, "in", []byte(strings.TrimPrefix(lines[1], "input: ")+"\n"))
			for i, p := range []string{a, b} {
				got, errOut, code := cli(t, "", "run", "--input", input, p)
				want := strings.TrimPrefix(lines[2+i], string("AB"[i])+": ")
				if code != exitOK || !strings.HasPrefix(got, want+" insns=") {
					t.Errorf("run %s on %q: exit %d, %q (%s), equiv said %q", string("AB"[i]), lines[1], code, got, errOut, want)
				}
			}
		})
	}
}

// TestRunInputLine: every seccomp_data reads back as itself.
func TestRunInputLine(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	audits := []uint32{0xc000003e, 0x40000003, 0x80000016, 0xc00000b7, 0x1234, 0}
	nrs := []uint32{0, 1, 56, 335, 999, 0x40000000, 0x40000001, 0x40000258, 0xffffffff, 0x80000000, 0x7fffffff, 0x10000}
	for i := 0; i < 2000; i++ {
		d := vm.SeccompData{Arch: audits[r.IntN(len(audits))], Nr: int32(nrs[r.IntN(len(nrs))]), InstructionPointer: r.Uint64()}
		if i%3 == 0 {
			d.Nr = int32(r.Uint32())
		}
		for j := range d.Args {
			d.Args[j] = r.Uint64() >> r.IntN(64)
		}
		line := runInputLine(d)
		got, ok, err := parseSeccompLine(line)
		if err != nil || !ok || got != d {
			t.Fatalf("%+v -> %q -> %+v, %v, %v", d, line, got, ok, err)
		}
	}
}
