package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// socket is a set of the sockets a request may arrive on.
type socket uint8

const (
	onShell socket = 1 << iota
	onControl
)

// handler serves one message type. serve runs between the busy and idle
// status messages, with ch the channel the request came on; it returns
// true when the kernel must stop.
type handler struct {
	on    socket
	serve func(k *Kernel, ctx context.Context, ch channel, m *Message) (stop bool)
}

// handlers is the whole dispatch of requests, as ipykernel's msg_types:
// each message type the kernel serves, the sockets it is allowed on and
// what serves it. A request of another type, or on another socket, is
// logged and dropped. (The stdin socket carries replies, not requests:
// see handleStdin.)
var handlers = map[string]handler{
	"execute_request": {onShell, func(k *Kernel, ctx context.Context, _ channel, m *Message) bool {
		k.execute(ctx, m)
		return false
	}},
	"kernel_info_request": {onShell | onControl, func(k *Kernel, _ context.Context, ch channel, m *Message) bool {
		k.kernelInfo(ch, m)
		return false
	}},
	"complete_request":    {onShell, shellOnly((*Kernel).complete)},
	"inspect_request":     {onShell, shellOnly((*Kernel).inspect)},
	"is_complete_request": {onShell, shellOnly((*Kernel).isComplete)},
	"history_request":     {onShell, shellOnly((*Kernel).historyRequest)},
	"comm_info_request": {onShell, func(k *Kernel, _ context.Context, ch channel, m *Message) bool {
		k.reply(ch, m, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
		return false
	}},
	"comm_open": {onShell, shellOnly((*Kernel).commOpen)},
	// No comm targets exist, so there is nothing to deliver these to.
	"comm_msg":   {onShell, shellOnly(func(*Kernel, *Message) {})},
	"comm_close": {onShell, shellOnly(func(*Kernel, *Message) {})},
	"interrupt_request": {onControl, func(k *Kernel, _ context.Context, ch channel, m *Message) bool {
		k.interrupt()
		k.reply(ch, m, "interrupt_reply", map[string]any{"status": "ok"})
		return false
	}},
	"shutdown_request": {onShell | onControl, func(k *Kernel, _ context.Context, ch channel, m *Message) bool {
		return k.shutdown(ch, m)
	}},
}

// shellOnly adapts a handler that replies on shell and never stops the
// kernel.
func shellOnly(f func(*Kernel, *Message)) func(*Kernel, context.Context, channel, *Message) bool {
	return func(k *Kernel, _ context.Context, _ channel, m *Message) bool {
		f(k, m)
		return false
	}
}

// lookup returns the handler of m when its type is served on the socket,
// logging and dropping it otherwise.
func (k *Kernel) lookup(on socket, name string, m *Message) (handler, bool) {
	h, ok := handlers[m.Header.MsgType]
	if !ok || h.on&on == 0 {
		k.log.Printf("%s: dropping message of unknown type %q", name, m.Header.MsgType)
		return handler{}, false
	}
	return h, true
}

// enqueueShell queues a decoded shell request, dropping unknown types.
func (k *Kernel) enqueueShell(m *Message) {
	if _, ok := k.lookup(onShell, "shell", m); ok {
		k.queue.push(m)
	}
}

// shellLoop serves shell requests one at a time in arrival order.
func (k *Kernel) shellLoop(ctx context.Context) {
	for {
		m, ok := k.queue.pop(ctx)
		if !ok {
			return
		}
		k.handleShell(ctx, m)
	}
}

func (k *Kernel) handleShell(ctx context.Context, m *Message) {
	if h, ok := k.lookup(onShell, "shell", m); ok {
		k.serve(ctx, h, k.shellChannel(), m)
	}
}

// handleControl serves one control request, on the control reader's
// goroutine, so it runs while a cell executes on shell.
func (k *Kernel) handleControl(m *Message) {
	if h, ok := k.lookup(onControl, "control", m); ok {
		k.serve(context.Background(), h, k.controlChannel(), m)
	}
}

// idleTrim is how long the kernel waits idle before it gives memory back.
const idleTrim = 250 * time.Millisecond

// busy counts a request in (true) or out (false). Memory is given back
// only once no request has run for idleTrim: never during a cell, whose
// measured parallel speedup a collection in this process would lower (a
// compiled fib in two goroutines: 1.81x with it, 1.99x without, on two
// cores).
func (k *Kernel) busy(in bool) {
	k.trimMu.Lock()
	defer k.trimMu.Unlock()
	if in {
		k.inFlight++
		k.trim.Stop()
		return
	}
	if k.inFlight--; k.inFlight == 0 {
		k.trim.Reset(idleTrim)
	}
}

// serve runs a handler between the busy and idle status messages, then
// stops the kernel if the handler asked to.
func (k *Kernel) serve(ctx context.Context, h handler, ch channel, m *Message) {
	k.busy(true)
	k.publishStatus(m, "busy")
	stop := h.serve(k, ctx, ch, m)
	k.publishStatus(m, "idle")
	k.busy(false)
	if stop {
		k.requestStop()
	}
}

// handleStdin delivers an input_reply to the waiting Output.Input.
func (k *Kernel) handleStdin(m *Message) {
	if m.Header.MsgType != "input_reply" {
		k.log.Printf("stdin: dropping message of unknown type %q", m.Header.MsgType)
		return
	}
	var c struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(m.Content, &c); err != nil {
		k.log.Printf("stdin: dropping input_reply: %v", err)
		return
	}
	k.waitMu.Lock()
	defer k.waitMu.Unlock()
	if k.waiting == nil {
		k.log.Printf("stdin: dropping input_reply nobody waits for")
		return
	}
	select {
	case k.waiting.reply <- c.Value:
	default:
		k.log.Printf("stdin: dropping extra input_reply")
	}
}

// decode unmarshals m's content into dst, logging a failure.
func (k *Kernel) decode(m *Message, dst any) bool {
	if err := json.Unmarshal(m.Content, dst); err != nil {
		k.log.Printf("dropping %s with malformed content: %v", m.Header.MsgType, err)
		return false
	}
	return true
}

func (k *Kernel) kernelInfo(ch channel, m *Message) {
	info := k.info
	li := map[string]any{
		"name":           info.Name,
		"version":        info.Version,
		"file_extension": info.FileExtension,
	}
	if info.MIMEType != "" {
		li["mimetype"] = info.MIMEType
	}
	if info.PygmentsLexer != "" {
		li["pygments_lexer"] = info.PygmentsLexer
	}
	if info.CodeMirrorMode != "" {
		li["codemirror_mode"] = info.CodeMirrorMode
	}
	links := info.HelpLinks
	if links == nil {
		links = []HelpLink{}
	}
	k.reply(ch, m, "kernel_info_reply", map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         info.Implementation,
		"implementation_version": info.ImplementationVersion,
		"language_info":          li,
		"banner":                 info.Banner,
		"help_links":             links,
		"debugger":               false,
	})
}

// executeContent is the content of an execute_request; pointers tell
// absent fields from false.
type executeContent struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

func orTrue(b *bool) bool { return b == nil || *b }

func (k *Kernel) execute(ctx context.Context, m *Message) {
	var c executeContent
	if !k.decode(m, &c) {
		return
	}
	silent := c.Silent
	storeHistory := orTrue(c.StoreHistory) && !silent
	k.countMu.Lock()
	if storeHistory {
		k.execCount++
	}
	count := k.execCount
	k.countMu.Unlock()
	histIndex := -1
	if storeHistory {
		histIndex = k.hist.add(count, c.Code)
	}
	if !silent {
		k.publish(m.RawHeader, "execute_input", map[string]any{"code": c.Code, "execution_count": count})
	}

	out := &cellOutput{k: k, parent: m.RawHeader, idents: m.Identities, silent: silent, allowStdin: orTrue(c.AllowStdin)}
	res := k.callExecute(ctx, ExecuteRequest{
		Code:            c.Code,
		Silent:          silent,
		StoreHistory:    storeHistory,
		AllowStdin:      out.allowStdin,
		UserExpressions: c.UserExpressions,
		ExecutionCount:  count,
	}, out)
	out.finish()

	ch := k.shellChannel()
	if e := res.Error; e != nil {
		tb := e.Traceback
		if tb == nil {
			tb = []string{}
		}
		if !silent {
			k.publish(m.RawHeader, "error", map[string]any{"ename": e.Name, "evalue": e.Value, "traceback": tb})
		}
		// stop_on_error: abort the execute requests that arrived before
		// this failing reply is sent.
		var aborted []*Message
		if !silent && orTrue(c.StopOnError) {
			aborted = k.queue.takeExecutes()
		}
		k.reply(ch, m, "execute_reply", map[string]any{
			"status": "error", "execution_count": count,
			"ename": e.Name, "evalue": e.Value, "traceback": tb,
		})
		for _, a := range aborted {
			k.publishStatus(a, "busy")
			k.reply(ch, a, "execute_reply", map[string]any{"status": "aborted"})
			k.publishStatus(a, "idle")
		}
		return
	}
	if v := res.Value; v != nil && histIndex >= 0 {
		if text, ok := v.Data["text/plain"].(string); ok {
			k.hist.setOutput(histIndex, text)
		}
	}
	if v := res.Value; v != nil && !silent {
		k.publish(m.RawHeader, "execute_result", map[string]any{
			"execution_count": count, "data": orEmpty(v.Data), "metadata": orEmpty(v.Metadata),
		})
	}
	payload := res.Payload
	if payload == nil {
		payload = []map[string]any{}
	}
	k.reply(ch, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": count,
		"user_expressions": orEmpty(res.UserExpressions), "payload": payload,
	})
}

// callExecute runs the interpreter, turning a panic into an error result so
// one bad cell cannot take the kernel down.
func (k *Kernel) callExecute(ctx context.Context, req ExecuteRequest, out Output) (res ExecuteResult) {
	k.interpMu.Lock()
	defer k.interpMu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("interpreter panicked in Execute: %v", r)
			res = ExecuteResult{Error: &Error{Name: "KernelPanic", Value: fmt.Sprint(r), Traceback: []string{fmt.Sprintf("panic: %v", r)}}}
		}
	}()
	return k.interp.Execute(ctx, req, out)
}

// withInterp runs f holding the interpreter lock, recovering a panic.
func (k *Kernel) withInterp(what string, f func()) (ok bool) {
	k.interpMu.Lock()
	defer k.interpMu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("interpreter panicked in %s: %v", what, r)
			ok = false
		}
	}()
	f()
	return true
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// clampCursor turns an optional code-point cursor into a valid offset; a
// missing cursor means the end of code.
func clampCursor(code string, cursor *int) int {
	n := utf8.RuneCountInString(code)
	if cursor == nil || *cursor > n {
		return n
	}
	if *cursor < 0 {
		return 0
	}
	return *cursor
}

func (k *Kernel) complete(m *Message) {
	var c struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	if !k.decode(m, &c) {
		return
	}
	cursor := clampCursor(c.Code, c.CursorPos)
	comp := Completion{CursorStart: cursor, CursorEnd: cursor}
	if !k.withInterp("Complete", func() { comp = k.interp.Complete(c.Code, cursor) }) {
		comp = Completion{CursorStart: cursor, CursorEnd: cursor}
	}
	matches := comp.Matches
	if matches == nil {
		matches = []string{}
	}
	k.reply(k.shellChannel(), m, "complete_reply", map[string]any{
		"status": "ok", "matches": matches,
		"cursor_start": comp.CursorStart, "cursor_end": comp.CursorEnd,
		"metadata": orEmpty(comp.Metadata),
	})
}

func (k *Kernel) inspect(m *Message) {
	var c struct {
		Code        string `json:"code"`
		CursorPos   *int   `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if !k.decode(m, &c) {
		return
	}
	cursor := clampCursor(c.Code, c.CursorPos)
	var ins Inspection
	k.withInterp("Inspect", func() { ins = k.interp.Inspect(c.Code, cursor, c.DetailLevel) })
	data := ins.Data
	if !ins.Found {
		data = nil
	}
	k.reply(k.shellChannel(), m, "inspect_reply", map[string]any{
		"status": "ok", "found": ins.Found, "data": orEmpty(data), "metadata": map[string]any{},
	})
}

func (k *Kernel) isComplete(m *Message) {
	var c struct {
		Code string `json:"code"`
	}
	if !k.decode(m, &c) {
		return
	}
	status, indent := "unknown", ""
	k.withInterp("IsComplete", func() { status, indent = k.interp.IsComplete(c.Code) })
	switch status {
	case "complete", "incomplete", "invalid", "unknown":
	default:
		status = "unknown"
	}
	content := map[string]any{"status": status}
	if status == "incomplete" {
		content["indent"] = indent
	}
	k.reply(k.shellChannel(), m, "is_complete_reply", content)
}

func (k *Kernel) historyRequest(m *Message) {
	var q historyQuery
	if !k.decode(m, &q) {
		return
	}
	entries := k.hist.query(q)
	list := make([][]any, len(entries))
	for i, e := range entries {
		list[i] = e.wire(q.Output)
	}
	k.reply(k.shellChannel(), m, "history_reply", map[string]any{"status": "ok", "history": list})
}

func (k *Kernel) commOpen(m *Message) {
	var c struct {
		CommID     string `json:"comm_id"`
		TargetName string `json:"target_name"`
	}
	if !k.decode(m, &c) {
		return
	}
	k.log.Printf("comm_open: no comm target %q, closing comm %s", c.TargetName, c.CommID)
	k.publish(m.RawHeader, "comm_close", map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
}

// shutdown answers a shutdown_request on ch. With restart (and without
// Options.ExitOnRestart) it interrupts a running cell, waits for it,
// restarts the interpreter, resets the execution count and starts a new
// history session, then replies. Otherwise it replies (on ch and IOPub)
// and returns true: the caller then makes Run return.
func (k *Kernel) shutdown(ch channel, m *Message) (stop bool) {
	var c struct {
		Restart bool `json:"restart"`
	}
	if !k.decode(m, &c) {
		return false
	}
	content := map[string]any{"status": "ok", "restart": c.Restart}
	if c.Restart && !k.exitOnRestart {
		k.interrupt()
		var err error
		k.withInterp("Restart", func() {
			err = k.interp.Restart()
			k.countMu.Lock()
			k.execCount = 0
			k.countMu.Unlock()
			k.hist.newSession()
		})
		if err != nil {
			k.log.Printf("restart: %v", err)
			content = map[string]any{"status": "error", "restart": true,
				"ename": "RestartError", "evalue": err.Error(), "traceback": []string{}}
		}
		k.reply(ch, m, "shutdown_reply", content)
		return false
	}
	k.reply(ch, m, "shutdown_reply", content)
	k.publish(m.RawHeader, "shutdown_reply", content)
	return true
}
