package kernel

import "testing"

// TestDispatch: each request type is served on the sockets the protocol
// puts it on, and nowhere else; a misplaced request gets no reply and the
// kernel goes on.
func TestDispatch(t *testing.T) {
	cases := []struct {
		msgType        string
		shell, control bool
	}{
		{"execute_request", true, false},
		{"kernel_info_request", true, true},
		{"complete_request", true, false},
		{"inspect_request", true, false},
		{"is_complete_request", true, false},
		{"history_request", true, false},
		{"comm_info_request", true, false},
		{"comm_open", true, false},
		{"comm_msg", true, false},
		{"comm_close", true, false},
		{"shutdown_request", true, true},
		{"interrupt_request", false, true},
		{"input_reply", false, false}, // a reply, on stdin
		{"debug_request", false, false},
		{"no_such_request", false, false},
	}
	for _, c := range cases {
		h, ok := handlers[c.msgType]
		if shell := ok && h.on&onShell != 0; shell != c.shell {
			t.Errorf("%s on shell: served %v, want %v", c.msgType, shell, c.shell)
		}
		if control := ok && h.on&onControl != 0; control != c.control {
			t.Errorf("%s on control: served %v, want %v", c.msgType, control, c.control)
		}
	}

	tk := startKernel(t)
	tk.send(tk.shell, "interrupt_request", map[string]any{})
	tk.send(tk.control, "execute_request", map[string]any{"code": "value"})
	id := tk.send(tk.shell, "kernel_info_request", map[string]any{})
	tk.expectReply(tk.shellCh, id, "kernel_info_reply")
	id = tk.send(tk.control, "kernel_info_request", map[string]any{})
	tk.expectReply(tk.controlCh, id, "kernel_info_reply")
}
