package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
)

// SignatureScheme is the only message signing scheme this kernel supports.
const SignatureScheme = "hmac-sha256"

// ConnectionInfo is the content of a Jupyter connection file: where the
// kernel binds its five sockets and the key that signs every message.
type ConnectionInfo struct {
	Transport       string `json:"transport"` // "tcp" or "ipc"
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile reads and validates the connection file at path.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("reading connection file: %w", err)
	}
	ci, err := ParseConnectionInfo(data)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("connection file %s: %w", path, err)
	}
	return ci, nil
}

// ParseConnectionInfo decodes and validates the JSON of a connection file.
// A missing transport means "tcp"; a missing signature scheme with a
// non-empty key means "hmac-sha256".
func ParseConnectionInfo(data []byte) (ConnectionInfo, error) {
	var ci ConnectionInfo
	if err := json.Unmarshal(data, &ci); err != nil {
		return ConnectionInfo{}, fmt.Errorf("decoding connection info: %w", err)
	}
	if ci.Transport == "" {
		ci.Transport = "tcp"
	}
	if ci.SignatureScheme == "" && ci.Key != "" {
		ci.SignatureScheme = SignatureScheme
	}
	if err := ci.Validate(); err != nil {
		return ConnectionInfo{}, err
	}
	return ci, nil
}

// Validate reports whether the connection info can be used to bind sockets.
func (ci ConnectionInfo) Validate() error {
	switch ci.Transport {
	case "tcp", "ipc":
	default:
		return fmt.Errorf("unsupported transport %q (want tcp or ipc)", ci.Transport)
	}
	if ci.IP == "" {
		return errors.New("connection info has no ip")
	}
	if ci.Key != "" && ci.SignatureScheme != SignatureScheme {
		return fmt.Errorf("unsupported signature scheme %q (want %s)", ci.SignatureScheme, SignatureScheme)
	}
	for _, p := range []struct {
		name string
		port int
	}{
		{"shell_port", ci.ShellPort},
		{"control_port", ci.ControlPort},
		{"stdin_port", ci.StdinPort},
		{"iopub_port", ci.IOPubPort},
		{"hb_port", ci.HBPort},
	} {
		if p.port <= 0 || p.port > 65535 {
			return fmt.Errorf("connection info %s %d out of range", p.name, p.port)
		}
	}
	return nil
}

// endpoint returns the ZeroMQ address of one socket: ip:port over the
// kernel's buffered TCP transport (see bufferedTCP), or for ipc the path
// ip-port as Jupyter names it.
func (ci ConnectionInfo) endpoint(port int) string {
	if ci.Transport == "ipc" {
		return "ipc://" + ci.IP + "-" + strconv.Itoa(port)
	}
	return bufferedTCP + "://" + net.JoinHostPort(ci.IP, strconv.Itoa(port))
}
