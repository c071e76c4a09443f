package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cbpfkit/cbpf/internal/testenv"
)

// TestHostileMemory runs a built cbpf on 10 MB inputs and bounds its peak
// RSS: memory grows with the input, not faster. A few cases by default,
// every one with CBPF_LONG=1.
func TestHostileMemory(t *testing.T) {
	goTool := testenv.Tool(t, "go")
	dir := t.TempDir()
	bin := filepath.Join(dir, "cbpf")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const size = 10 << 20
	rep := func(s string) []byte { return bytes.Repeat([]byte(s), size/len(s)) }
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	raw := make([]byte, size)
	rand.New(rand.NewSource(2)).Read(raw)
	var xt bytes.Buffer
	fmt.Fprint(&xt, size/8)
	xt.Write(rep(",6 0 0 0")[:size/8*8])
	progs := map[string]string{
		"line":     write("line.asm", rep("a ")),
		"insns":    write("insns.asm", rep("ret #0\n")),
		"comments": write("comments.asm", rep("; just a comment line\n")),
		"labels":   write("labels.asm", []byte(labels(size))),
		"number":   write("number.asm", append([]byte("ret #"), rep("7")...)),
		"raw":      write("big.raw", raw),
		"xt":       write("big.xt", xt.Bytes()),
		"c":        write("big.c", rep("{0,0,0,0},")),
		"go":       write("big.go", append([]byte("[]bpf.RawInstruction{"), rep("{6,0,0,0},")...)),
		"tcpdump":  write("big.tcpdump", append([]byte("(000) "), rep("x ")...)),
	}
	in := write("inputs", []byte("x86_64 1\n"))
	small := write("small.asm", []byte("ret #0\n"))
	newlines := write("newlines", rep("\n"))
	fields := write("fields", append([]byte("x86_64 1"), rep(" 1")...))
	type run struct{ args []string }
	runs := []run{
		{[]string{"asm", "-i", "c", progs["c"]}},
		{[]string{"equiv", progs["xt"], progs["xt"]}},
		{[]string{"run", "--input", newlines, small}},
	}
	if os.Getenv("CBPF_LONG") != "" {
		for _, p := range progs {
			runs = append(runs, run{[]string{"disasm", p}}, run{[]string{"verify", p}}, run{[]string{"explain", p}},
				run{[]string{"equiv", p, p}}, run{[]string{"run", "--input", in, p}})
		}
		for _, f := range []string{"asm", "ddd", "xt", "c", "go", "tcpdump", "pseudo", "dot"} {
			runs = append(runs, run{[]string{"disasm", "-i", "raw", "-o", f, progs["raw"]}})
		}
		runs = append(runs, run{[]string{"run", "--input", fields, small}})
	}
	const limit = 100 << 20
	for _, r := range runs {
		rss, code, stderr, secs := hostileMeasure(t, bin, r.args)
		t.Logf("cbpf %q: exit %d, %.2fs, peak RSS %d MB", hostileArgs(r.args), code, secs, rss>>20)
		if rss > limit || code < 0 || strings.Contains(stderr, "goroutine ") {
			t.Errorf("cbpf %q: exit %d, peak RSS %d MB (limit %d MB), stderr %.300q", hostileArgs(r.args), code, rss>>20, limit>>20, stderr)
		}
	}
}

// hostileMeasure runs bin with args and returns its peak RSS in bytes. The
// kernel counts, in the peak of a process that the Go runtime starts, the
// memory of the process that started it (it shares its mm until exec), so
// a small helper process (this test binary, TestHostileMeasureHelper)
// starts bin and reports.
func hostileMeasure(t *testing.T, bin string, args []string) (rss int64, code int, stderr string, secs float64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileMeasureHelper$")
	spec, _ := json.Marshal(append([]string{bin}, args...))
	cmd.Env = append(os.Environ(), "CBPF_MEASURE="+string(spec))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("measuring %q: %v\n%s", hostileArgs(args), err, out)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	var kb int64
	if _, err := fmt.Sscanf(line, "rss %d exit %d secs %g", &kb, &code, &secs); err != nil {
		t.Fatalf("measuring %q: %q: %v", hostileArgs(args), out, err)
	}
	_, stderr, _ = strings.Cut(string(out), "\n")
	return kb << 10, code, stderr, secs
}

// TestHostileMeasureHelper is the helper process of hostileMeasure; it does
// nothing unless CBPF_MEASURE names a command.
func TestHostileMeasureHelper(t *testing.T) {
	spec := os.Getenv("CBPF_MEASURE")
	if spec == "" {
		return
	}
	var argv []string
	if err := json.Unmarshal([]byte(spec), &argv); err != nil || len(argv) == 0 {
		fmt.Printf("bad CBPF_MEASURE %q: %v\n", spec, err)
		os.Exit(3)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Printf("run: %v\n", err)
		os.Exit(3)
	}
	kb := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	fmt.Printf("rss %d exit %d secs %g\n%s", kb, cmd.ProcessState.ExitCode(), time.Since(start).Seconds(), stderr.String())
	os.Exit(0)
}
