package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/arch"
	"github.com/cbpfkit/cbpf/asm"
	"github.com/cbpfkit/cbpf/compile"
	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/seccomp"
	"github.com/cbpfkit/cbpf/verify"
	"github.com/cbpfkit/cbpf/vm"
)

// The dump command's tests read filters from children of the test binary
// (dumpCmdChildEnv says what the child does); filters are installed only
// there.
const dumpCmdChildEnv = "CBPF_CMD_DUMP_CHILD"

// dumpPolicies are the filters the children install, oldest first; the
// second with the log flag.
var dumpPolicies = []string{
	"default allow\ngetppid: errno(1)\nptrace: kill_process\n",
	"default allow\ngetppid: errno(3)\ngetpgid: (u32)args[0] == 0x77 => errno(2)\nmount: errno(1)\nptrace: errno(1)\n",
}

func dumpParsed(t testing.TB) []*policy.Policy {
	h, err := hostArch()
	if err != nil {
		t.Fatal(err)
	}
	var ps []*policy.Policy
	for i, src := range dumpPolicies {
		p, _, err := policy.ParseTextWith(fmt.Sprintf("p%d", i), []byte(src), policy.TextOptions{DefaultArches: []*arch.Arch{h}})
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func dumpProgs(t testing.TB) [][]bpf.RawInstruction {
	var progs [][]bpf.RawInstruction
	for _, p := range dumpParsed(t) {
		prog, err := compile.Compile(p, compile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		progs = append(progs, prog)
	}
	return progs
}

func TestDumpCmdChild(t *testing.T) {
	mode := os.Getenv(dumpCmdChildEnv)
	if mode == "" {
		return
	}
	for i, p := range dumpProgs(t) {
		o := seccomp.Options{}
		if i == 1 {
			o.Flags = seccomp.FlagLog
		}
		if _, err := seccomp.Install(p, o); err != nil {
			fmt.Println("FAIL", err)
			os.Exit(3)
		}
	}
	if mode == "wait" {
		fmt.Println("ready")
		io.Copy(io.Discard, os.Stdin)
	}
	os.Exit(0)
}

func needDumpRoot(t *testing.T) {
	t.Helper()
	if _, err := hostArch(); err != nil {
		testenv.Missing(t, err.Error())
	}
	if os.Geteuid() != 0 {
		testenv.Missing(t, "cbpf dump needs root (CAP_SYS_ADMIN)")
	}
}

// checkDumpOutput checks what cbpf dump printed for dumpProgs.
func checkDumpOutput(t *testing.T, out string) {
	t.Helper()
	progs := dumpProgs(t)
	for i, p := range progs {
		var b bytes.Buffer
		if err := asm.Write(&b, p, asm.DDD); err != nil {
			t.Fatal(err)
		}
		extra := ""
		if i == 1 {
			extra = ", flag log"
		}
		head := fmt.Sprintf("filter %d of 2 (kernel index %d, %d instructions%s):\n", i+1, i, len(p), extra)
		if !strings.Contains(out, head+b.String()) {
			t.Errorf("the dump does not show filter %d as installed (%q then its ddd):\n%s", i+1, head, out)
		}
	}
	for _, line := range []string{
		"ptrace: KILL_PROCESS\n", // the oldest's KILL beats the newest's ERRNO
		"getppid: ERRNO(3)\n",    // a tie: the newest's errno
		"getpgid: ERRNO(2) if (u32)args[0] == 119; else ALLOW\n",
		"mount: ERRNO(1)\n",
		"read: ALLOW\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("the effective policy has no line %q:\n%s", line, out)
		}
	}
	// The cache summary counts what every filter caches.
	h, _ := hostArch()
	cached := 0
	for _, sc := range h.Syscalls() {
		if verify.StackCacheAllows(progs, h.Audit, sc.Number) {
			cached++
		}
	}
	if want := fmt.Sprintf("%d served from the kernel's allow cache", cached); !strings.Contains(out, want) {
		t.Errorf("the dump does not say %q:\n%s", want, out)
	}
}

func TestDumpCommand(t *testing.T) {
	needDumpRoot(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestDumpCmdChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), dumpCmdChildEnv+"=wait")
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	if l, _ := bufio.NewReader(stdout).ReadString('\n'); l != "ready\n" {
		t.Fatalf("child: %q", l)
	}
	pid := cmd.Process.Pid
	out, errOut, code := cli(t, "", "dump", "-o", "ddd", fmt.Sprint(pid))
	if code != exitOK || errOut != "" {
		t.Fatalf("dump %d: exit %d, stderr %q", pid, code, errOut)
	}
	if !strings.HasPrefix(out, fmt.Sprintf("process %d: 2 seccomp filters, in install order", pid)) {
		t.Errorf("dump header: %q", strings.SplitN(out, "\n", 2)[0])
	}
	checkDumpOutput(t, out)
	// The effective policy of what the process has is that of the
	// policies installed, each evaluated by policy.Eval, combined by the
	// kernel's rule.
	fs, err := seccomp.Filters(pid)
	if err != nil {
		t.Fatal(err)
	}
	var progs [][]bpf.RawInstruction
	for _, f := range fs {
		progs = append(progs, f.Prog)
	}
	stack, err := verify.Stack(progs)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := hostArch()
	ps := dumpParsed(t)
	r := rand.New(rand.NewPCG(11, 8))
	for i := 0; i < 5000; i++ {
		c := policy.Call{Arch: h.Audit, Nr: int32(r.IntN(460))}
		if r.IntN(8) == 0 {
			c.Arch = []uint32{0x40000003, r.Uint32()}[r.IntN(2)]
		}
		if r.IntN(8) == 0 {
			c.Nr = int32(r.Uint32())
		}
		for k := range c.Args {
			c.Args[k] = []uint64{0, 0x77, 0x1_0000_0077, r.Uint64()}[r.IntN(4)]
		}
		var rets []uint32
		for _, p := range ps {
			rets = append(rets, uint32(policy.Eval(p, c)))
		}
		res, err := vm.Run(stack, vm.SeccompData{Arch: c.Arch, Nr: c.Nr, Args: c.Args})
		if err != nil {
			t.Fatal(err)
		}
		if want := verify.StackReturn(rets); res.Ret != want {
			t.Fatalf("%+v: the policies give %#x, combined %#x; the dumped stack %#x", c, rets, want, res.Ret)
		}
	}
	// --stacked prints the one program; --tid the same thread.
	out, _, code = cli(t, "", "dump", "--stacked", "--tid", fmt.Sprint(pid), fmt.Sprint(pid))
	if code != exitOK || !strings.Contains(out, "the 2 filters as one program (") {
		t.Errorf("dump --stacked: exit %d\n%s", code, out)
	}

	// --save writes files the other commands read back.
	dir := t.TempDir()
	out, errOut, code = cli(t, "", "dump", "-o", "raw", "--save", dir, "--stacked", fmt.Sprint(pid))
	if code != exitOK || errOut != "" {
		t.Fatalf("dump --save: exit %d, stderr %q", code, errOut)
	}
	for i, p := range append(dumpProgs(t), stack) {
		name := filepath.Join(dir, fmt.Sprintf("filter-%d.raw", i))
		if i == 2 {
			name = filepath.Join(dir, "stacked.raw")
		}
		if !strings.Contains(out, "written to "+name+"\n") {
			t.Errorf("dump --save does not name %s:\n%s", name, out)
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := asm.Read(name, data, asm.Raw)
		if err != nil || !slices.Equal(got, p) {
			t.Errorf("%s: %v, read back %d instructions, want %d", name, err, len(got), len(p))
		}
	}

	// Errors.
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"dump"}, exitUsage, "want PID or -- CMD"},
		{[]string{"dump", "abc"}, exitUsage, `PID "abc"`},
		{[]string{"dump", "1", "--", "true"}, exitUsage, "not both"},
		{[]string{"dump", "--installs", "1", "1"}, exitUsage, "--installs is for -- CMD"},
		{[]string{"dump", "999999999"}, exitBad, "no such process: 999999999"},
		{[]string{"dump", "-o", "raw", "1"}, exitUsage, "-o raw is binary: give --save DIR"},
		{[]string{"dump", fmt.Sprint(os.Getpid())}, exitBad, "has no seccomp filters"},
		{[]string{"dump", "--", "true"}, exitBad, "true installed no seccomp filter (it exited with status 0)"},
		{[]string{"dump", "--", "/no/such/cmd"}, exitBad, "cbpf dump: seccomp: catch:"},
	} {
		_, e, code := cli(t, "", c.args...)
		if code != c.code || !strings.Contains(e, c.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", c.args, code, e, c.code, c.msg)
		}
	}
}

func TestDumpCommandCatch(t *testing.T) {
	needDumpRoot(t)
	t.Setenv(dumpCmdChildEnv, "exit")
	out, errOut, code := cli(t, "", "dump", "-o", "ddd", "--", os.Args[0], "-test.run=^TestDumpCmdChild$", "-test.count=1")
	if code != exitOK {
		t.Fatalf("dump -- CMD: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "as it exited: 2 seccomp filters") || !strings.Contains(out, "2 successful installs seen; it exited with status 0") {
		t.Errorf("dump -- CMD header:\n%s", out)
	}
	checkDumpOutput(t, out)
	out, _, code = cli(t, "", "dump", "--installs", "1", "--", os.Args[0], "-test.run=^TestDumpCmdChild$", "-test.count=1")
	if code != exitOK || !strings.Contains(out, "after its last install: 1 seccomp filter,") || !strings.Contains(out, "killed it after 1 installs") {
		t.Errorf("dump --installs 1: exit %d\n%s", code, out)
	}
}

// TestDumpCommandExec: the built cbpf dumps what cbpf exec installs, two
// filters stacked by two nested cbpf exec, each in a process of its own.
func TestDumpCommandExec(t *testing.T) {
	needDumpRoot(t)
	bin := buildCbpf(t)
	dir := t.TempDir()
	var files []string
	for i, p := range dumpProgs(t) {
		var b bytes.Buffer
		if err := asm.Write(&b, p, asm.Raw); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, fmt.Sprintf("p%d.raw", i))
		if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	// The log flag comes from --flag log on the second.
	cmd := exec.Command(bin, "dump", "-o", "ddd", "--",
		bin, "exec", "--prog", files[0], "-i", "raw", "--",
		bin, "exec", "--prog", files[1], "-i", "raw", "--flag", "log", "--", "sh", "-c", "echo from-cmd; exit 7")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("cbpf dump -- cbpf exec ...: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(stderr.String(), "from-cmd\n") || strings.Contains(out, "\nfrom-cmd\n") {
		t.Errorf("CMD's output belongs on stderr: stdout\n%s\nstderr\n%s", out, stderr.String())
	}
	if !strings.Contains(out, "as it exited: 2 seccomp filters") || !strings.Contains(out, "2 successful installs seen; it exited with status 7") {
		t.Errorf("header:\n%s", out)
	}
	checkDumpOutput(t, out)
}
