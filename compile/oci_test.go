//go:build linux

package compile

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/moby/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/net/bpf"

	"github.com/cbpfkit/cbpf/internal/testenv"
	"github.com/cbpfkit/cbpf/policy"
	"github.com/cbpfkit/cbpf/verify"
)

// TestOCIEquivalentToLibseccomp compiles the Docker-format test profiles
// (Docker's and Podman's defaults among them) as "cbpf compile --lang oci
// --bad-arch kill_thread" does, builds the same profiles the way runc does
// with libseccomp 2.5.4 (policy/testdata/libseccomp_oracle.py, through
// Debian's python3-seccomp), and proves the two filters equivalent with
// verify.Equivalent, which is exact for such filters: every input, every
// target arch.
func TestOCIEquivalentToLibseccomp(t *testing.T) {
	python := testenv.Libseccomp(t)
	if runtime.GOARCH != "amd64" {
		t.Skip("the profiles' expansion is pinned for an amd64 host")
	}
	kernel := testenv.RunningKernel(t) // what moby's LoadProfile reads
	for _, tc := range []struct {
		file string
		caps []string
	}{
		{"docker-default.json", nil},
		{"docker-default.json", []string{"CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_BOOT"}},
		{"podman-default.json", nil},
		{"allowlist.json", nil},
		{"denylist.json", nil},
		{"operators.json", nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "policy", "testdata", "oci", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			caps := tc.caps
			if caps == nil {
				caps = policy.DockerDefaultCaps()
			}
			p, _, err := policy.ParseOCI(tc.file, data, policy.OCIOptions{Arch: "x86_64", Kernel: kernel, Caps: caps, X32LowWord: true, MuxWholeArg0: true})
			if err != nil {
				t.Fatal(err)
			}
			bad := policy.KillThread
			ours, err := Compile(p, Options{BadArch: &bad})
			if err != nil {
				t.Fatal(err)
			}
			// What runc gives libseccomp: moby's expansion for this host.
			rs := &specs.Spec{Process: &specs.Process{Capabilities: &specs.LinuxCapabilities{Bounding: caps}}}
			spec, err := seccomp.LoadProfile(string(data), rs)
			if err != nil {
				t.Fatal(err)
			}
			ref := libseccompFilter(t, python, spec)
			r, err := verify.Equivalent(ours, ref, verify.Seccomp)
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != verify.Equal {
				t.Errorf("%v: on %+v cbpf returns %#08x (%v), libseccomp %#08x (%v) %s",
					r.Verdict, r.Seccomp, r.RetA, policy.Action(r.RetA), r.RetB, policy.Action(r.RetB), r.Reason)
			}
			t.Logf("cbpf %d instructions, libseccomp %d: equivalent", len(ours), len(ref))
		})
	}
}

func libseccompFilter(t *testing.T, python string, spec *specs.LinuxSeccomp) []bpf.RawInstruction {
	t.Helper()
	req, err := json.Marshal(map[string]any{"spec": spec, "native": "x86_64", "vectors": [][]any{}})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, filepath.Join("..", "policy", "testdata", "libseccomp_oracle.py"))
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("libseccomp: %v\n%s", err, stderr.Bytes())
	}
	var reply struct {
		Error *string     `json:"error"`
		Prog  [][4]uint32 `json:"prog"`
	}
	if err := json.Unmarshal(out, &reply); err != nil {
		t.Fatal(err)
	}
	if reply.Error != nil {
		t.Fatalf("runc + libseccomp refuse the profile: %s", *reply.Error)
	}
	prog := make([]bpf.RawInstruction, len(reply.Prog))
	for i, in := range reply.Prog {
		prog[i] = bpf.RawInstruction{Op: uint16(in[0]), Jt: uint8(in[1]), Jf: uint8(in[2]), K: in[3]}
	}
	return prog
}
