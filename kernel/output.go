package kernel

import (
	"encoding/json"
	"fmt"
	"sync"
)

// cellOutput is the Output of one execute_request. Everything it publishes
// carries that request's header as parent, even after Execute returned.
type cellOutput struct {
	k          *Kernel
	parent     json.RawMessage
	idents     [][]byte
	silent     bool
	allowStdin bool

	mu   sync.Mutex
	done bool
}

var _ Output = (*cellOutput)(nil)

// finish marks the cell's Execute as returned.
func (o *cellOutput) finish() {
	o.mu.Lock()
	o.done = true
	o.mu.Unlock()
}

func (o *cellOutput) finished() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.done
}

// Stream publishes text on stdout or stderr (any other name is sent as
// given). Nothing is published for a silent request.
func (o *cellOutput) Stream(name, text string) {
	if o.silent {
		return
	}
	o.k.publish(o.parent, "stream", map[string]any{"name": name, "text": text})
}

// Display publishes display_data, or update_display_data when update is
// set and displayID is not empty.
func (o *cellOutput) Display(b Bundle, displayID string, update bool) {
	if o.silent {
		return
	}
	content := map[string]any{"data": orEmpty(b.Data), "metadata": orEmpty(b.Metadata)}
	transient := map[string]any{}
	if displayID != "" {
		transient["display_id"] = displayID
	}
	content["transient"] = transient
	msgType := "display_data"
	if update && displayID != "" {
		msgType = "update_display_data"
	}
	o.k.publish(o.parent, msgType, content)
}

// ClearOutput publishes clear_output.
func (o *cellOutput) ClearOutput(wait bool) {
	if o.silent {
		return
	}
	o.k.publish(o.parent, "clear_output", map[string]any{"wait": wait})
}

// Input sends input_request on stdin to the client that sent the
// execute_request and waits for its input_reply.
func (o *cellOutput) Input(prompt string, password bool) (string, error) {
	if !o.allowStdin {
		return "", ErrStdinNotAllowed
	}
	if o.finished() {
		return "", ErrCellFinished
	}
	k := o.k
	k.inputMu.Lock()
	defer k.inputMu.Unlock()

	w := &inputWait{reply: make(chan string, 1), interrupted: make(chan struct{})}
	k.waitMu.Lock()
	k.waiting = w
	k.waitMu.Unlock()
	defer func() {
		k.waitMu.Lock()
		k.waiting = nil
		k.waitMu.Unlock()
	}()

	m, err := NewMessage(NewHeader("input_request", k.session, k.username), o.parent,
		map[string]any{"prompt": prompt, "password": password})
	if err != nil {
		return "", fmt.Errorf("input: %w", err)
	}
	m.Identities = o.idents
	k.send(k.stdin, &k.stdinMu, m)

	select {
	case v := <-w.reply:
		return v, nil
	case <-w.interrupted:
		return "", ErrInterrupted
	case <-k.runCtx.Done():
		return "", ErrInterrupted
	}
}

// inputWait is the pending input_request an input_reply or an interrupt
// ends.
type inputWait struct {
	reply       chan string
	interrupted chan struct{}
	once        sync.Once
}
