package seccomp

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"runtime"

	"github.com/opencontainers/runtime-spec/specs-go"
	"golang.org/x/sys/unix"
)

// SendToAgent hands a notification listener to a seccomp agent the way
// OCI runtimes do for a profile's listenerPath (runtime-spec
// config-linux.md, "seccomp"): it connects to the unix socket at path and
// sends, in one message, the JSON of st as the data and the listener as
// an SCM_RIGHTS descriptor. st.Fds should be []string{specs.SeccompFdName}
// (it is set so when empty): it names the descriptors in the order they
// travel. Agents written for runc read exactly this message.
//
// The listener stays open in the caller: closing it there does not close
// the agent's copy.
func SendToAgent(path string, listener *os.File, st specs.ContainerProcessState) error {
	if listener == nil {
		return fmt.Errorf("seccomp agent %s: no listener to send", path)
	}
	if len(st.Fds) == 0 {
		st.Fds = []string{specs.SeccompFdName}
	}
	if len(st.Fds) != 1 {
		return fmt.Errorf("seccomp agent %s: state names %d descriptors, one is sent", path, len(st.Fds))
	}
	if st.Version == "" {
		st.Version = specs.Version
	}
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("seccomp agent %s: %v", path, err)
	}
	conn, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return fmt.Errorf("seccomp agent: %w", err)
	}
	defer conn.Close()
	oob := unix.UnixRights(int(listener.Fd()))
	n, oobn, err := conn.WriteMsgUnix(data, oob, nil)
	runtime.KeepAlive(listener)
	if err != nil {
		return fmt.Errorf("seccomp agent %s: %w", path, err)
	}
	if n != len(data) || oobn != len(oob) {
		return fmt.Errorf("seccomp agent %s: sent %d of %d bytes and %d of %d control bytes", path, n, len(data), oobn, len(oob))
	}
	return nil
}
