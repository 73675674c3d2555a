package kernel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadConnectionFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kernel-1.json")
	const good = `{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004,
	  "hb_port": 5005, "ip": "127.0.0.1", "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84",
	  "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "lanes"}`
	if err := os.WriteFile(path, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	ci, err := ReadConnectionFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: 5001, IOPubPort: 5002, StdinPort: 5003, ControlPort: 5004, HBPort: 5005,
		Key: "a0436f6c-1916-498b-8eb9-e81ab9368e84", SignatureScheme: "hmac-sha256", KernelName: "lanes"}
	if ci != want {
		t.Errorf("got %+v", ci)
	}
	if ep := ci.endpoint(ci.ShellPort); ep != "lanes-tcp://127.0.0.1:5001" {
		t.Errorf("endpoint = %s", ep)
	}
	if _, err := ReadConnectionFile(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file accepted")
	}
}

func TestParseConnectionInfo(t *testing.T) {
	ports := `"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5`
	tests := []struct {
		name, json, errPart string
	}{
		{"defaults", `{` + ports + `,"ip":"127.0.0.1","key":"k"}`, ""},
		{"no key", `{` + ports + `,"ip":"127.0.0.1","key":""}`, ""},
		{"ipc", `{` + ports + `,"ip":"/tmp/k","transport":"ipc"}`, ""},
		{"ipv6", `{` + ports + `,"ip":"::1"}`, ""},
		{"bad json", `{`, "decoding"},
		{"bad transport", `{` + ports + `,"ip":"127.0.0.1","transport":"udp"}`, "transport"},
		{"no ip", `{` + ports + `}`, "no ip"},
		{"bad scheme", `{` + ports + `,"ip":"127.0.0.1","key":"k","signature_scheme":"hmac-md5"}`, "signature scheme"},
		{"missing port", `{"shell_port":1,"ip":"127.0.0.1"}`, "out of range"},
	}
	for _, tt := range tests {
		ci, err := ParseConnectionInfo([]byte(tt.json))
		switch {
		case tt.errPart == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.errPart != "" && (err == nil || !strings.Contains(err.Error(), tt.errPart)):
			t.Errorf("%s: error %v, want one mentioning %q", tt.name, err, tt.errPart)
		}
		if tt.name == "defaults" && (ci.Transport != "tcp" || ci.SignatureScheme != "hmac-sha256") {
			t.Errorf("defaults not applied: %+v", ci)
		}
		if tt.name == "ipc" && ci.endpoint(3) != "ipc:///tmp/k-3" {
			t.Errorf("ipc endpoint = %s", ci.endpoint(3))
		}
		if tt.name == "ipv6" && ci.endpoint(1) != "lanes-tcp://[::1]:1" {
			t.Errorf("ipv6 endpoint = %s", ci.endpoint(1))
		}
	}
}
