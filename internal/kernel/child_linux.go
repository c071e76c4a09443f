package kernel

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"golang.org/x/net/bpf"
)

const childTimeout = 3 * time.Minute

// childEnv marks a process started by the oracle to install filters.
const childEnv = "CBPF_KERNEL_ORACLE_CHILD"

type request struct {
	Op    string // "seccomp" or "accept"
	Jobs  []SeccompJob
	Progs [][]bpf.RawInstruction
}

type wireResult struct {
	Rets  []uint32
	Errno int    // a kernel rejection
	Msg   string // any other failure
}

type response struct {
	IP      uint64
	IP386   uint64
	Results []wireResult
	Fatal   string
}

func toWire(rets []uint32, err error) wireResult {
	var re *RejectError
	switch {
	case err == nil:
		return wireResult{Rets: rets}
	case errors.As(err, &re):
		return wireResult{Errno: int(re.Errno)}
	default:
		return wireResult{Msg: err.Error()}
	}
}

func (w wireResult) err() error {
	switch {
	case w.Errno != 0:
		return &RejectError{Errno: syscall.Errno(w.Errno)}
	case w.Msg != "":
		return errors.New(w.Msg)
	}
	return nil
}

// MaybeChild serves the oracle's requests when the current process was
// started as an oracle child, and then exits; otherwise it returns at once.
// Call it first thing in TestMain of every test package that uses Seccomp
// or SeccompAccepts (Main does).
func MaybeChild() {
	if os.Getenv(childEnv) != "1" {
		return
	}
	var req request
	var resp response
	if err := gob.NewDecoder(os.Stdin).Decode(&req); err != nil {
		resp.Fatal = "decoding request: " + err.Error()
	} else {
		resp = serve(&req)
	}
	if err := gob.NewEncoder(os.Stdout).Encode(&resp); err != nil {
		fmt.Fprintln(os.Stderr, "kernel oracle child:", err)
		os.Exit(2)
	}
	os.Exit(0)
}

func serve(req *request) response {
	acc, err := newAcceptor()
	if err != nil {
		return response{Fatal: err.Error()}
	}
	defer acc.close()
	var resp response
	switch req.Op {
	case "accept":
		for _, p := range req.Progs {
			resp.Results = append(resp.Results, toWire(nil, acc.check(p)))
		}
	case "seccomp":
		ip, err := findProbeIPs()
		if err != nil {
			return response{Fatal: err.Error()}
		}
		resp.IP, resp.IP386 = ip.native, ip.compat
		for _, j := range req.Jobs {
			rets, err := runSeccompJob(acc, ip, j)
			resp.Results = append(resp.Results, toWire(rets, err))
		}
	default:
		resp.Fatal = "unknown request " + req.Op
	}
	return resp
}

// callChild re-executes the current binary as an oracle child: filters are
// installed only there, never in the calling process.
func callChild(req *request) (*response, error) {
	if os.Getenv(childEnv) == "1" {
		return nil, errors.New("kernel oracle: running inside an oracle child: call kernel.MaybeChild first thing in TestMain")
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("kernel oracle: %w", err)
	}
	var in, out, stderr bytes.Buffer
	if err := gob.NewEncoder(&in).Encode(req); err != nil {
		return nil, fmt.Errorf("kernel oracle: encoding request: %w", err)
	}
	// -test.run=^$ keeps a test binary that forgot MaybeChild from running
	// its tests again; it then answers nothing and we say why.
	// A child that hangs must not hang the tests; the largest batches
	// take seconds.
	ctx, cancel := context.WithTimeout(context.Background(), childTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = &in, &out, &stderr
	runErr := cmd.Run()
	var resp response
	if err := gob.NewDecoder(&out).Decode(&resp); err != nil {
		return nil, fmt.Errorf("kernel oracle: child gave no answer (%v, exit: %v, stderr: %q); does TestMain call kernel.MaybeChild()?", err, runErr, stderr.String())
	}
	if resp.Fatal != "" {
		return nil, fmt.Errorf("kernel oracle child: %s", resp.Fatal)
	}
	if runErr != nil {
		return nil, fmt.Errorf("kernel oracle child: %v (stderr: %q)", runErr, stderr.String())
	}
	if n := max(len(req.Jobs), len(req.Progs)); len(resp.Results) != n {
		return nil, fmt.Errorf("kernel oracle child: %d results for %d requests", len(resp.Results), n)
	}
	return &resp, nil
}

// SeccompBatch runs every job's program under the kernel's seccomp, in one
// child process, and returns what the program returned for each input.
// A program the kernel rejects gets a *RejectError in its SeccompResult.
func SeccompBatch(jobs []SeccompJob) (*SeccompRun, error) {
	if !haveProbe {
		return nil, ErrUnsupported
	}
	resp, err := callChild(&request{Op: "seccomp", Jobs: jobs})
	if err != nil {
		return nil, err
	}
	run := &SeccompRun{IP: resp.IP, IP386: resp.IP386}
	for _, w := range resp.Results {
		run.Results = append(run.Results, SeccompResult{Rets: w.Rets, Err: w.err()})
	}
	return run, nil
}

// Seccomp runs one program on inputs under the kernel's seccomp and returns
// the value it returned for each (see SeccompBatch).
func Seccomp(prog []bpf.RawInstruction, inputs []Input) ([]uint32, error) {
	run, err := SeccompBatch([]SeccompJob{{Prog: prog, Inputs: inputs}})
	if err != nil {
		return nil, err
	}
	return run.Results[0].Rets, run.Results[0].Err
}

// SeccompAcceptsBatch reports, for each program, whether seccomp(2) accepts
// it as a filter: nil, or a *RejectError with the kernel's errno. The
// programs are checked in a child and never attached.
func SeccompAcceptsBatch(progs [][]bpf.RawInstruction) ([]error, error) {
	resp, err := callChild(&request{Op: "accept", Progs: progs})
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(progs))
	for i, w := range resp.Results {
		errs[i] = w.err()
	}
	return errs, nil
}

// SeccompAccepts reports whether seccomp(2) accepts prog (see
// SeccompAcceptsBatch). The second result is an oracle failure.
func SeccompAccepts(prog []bpf.RawInstruction) (verdict error, err error) {
	errs, err := SeccompAcceptsBatch([][]bpf.RawInstruction{prog})
	if err != nil {
		return nil, err
	}
	return errs[0], nil
}
