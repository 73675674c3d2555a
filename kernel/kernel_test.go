package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// timeout bounds every wait in these tests so a bug fails instead of hangs.
const timeout = 10 * time.Second

// fakeInterp is a scripted Interpreter. The code of a cell selects what it
// does; every cell run is recorded.
type fakeInterp struct {
	mu       sync.Mutex
	ran      []string
	requests []ExecuteRequest
	restarts int
	closed   bool

	started     chan string   // receives the code of each cell as it starts
	interrupted chan struct{} // signalled by Interrupt
	release     chan struct{} // lets "wait-fail" and "late" go on
	lateDone    chan struct{} // closed when "late"'s goroutine published
}

func newFakeInterp() *fakeInterp {
	return &fakeInterp{
		started:     make(chan string, 100),
		interrupted: make(chan struct{}, 1),
		release:     make(chan struct{}),
		lateDone:    make(chan struct{}),
	}
}

func (f *fakeInterp) Info() LanguageInfo {
	return LanguageInfo{
		Name: "go", Version: "1.26", MIMEType: "text/x-go", FileExtension: ".go",
		PygmentsLexer: "go", CodeMirrorMode: "go", Implementation: "lanes",
		ImplementationVersion: "0.1", Banner: "Lanes test",
		HelpLinks: []HelpLink{{Text: "Go", URL: "https://go.dev"}},
	}
}

func (f *fakeInterp) Execute(ctx context.Context, req ExecuteRequest, out Output) ExecuteResult {
	f.mu.Lock()
	f.ran = append(f.ran, req.Code)
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	f.started <- req.Code
	text := func(s string) *Bundle {
		return &Bundle{Data: map[string]any{"text/plain": s}}
	}
	switch {
	case req.Code == "stream":
		out.Stream("stdout", "hello\n")
		out.Display(Bundle{Data: map[string]any{"text/plain": "v1"}}, "d1", false)
		out.Display(Bundle{Data: map[string]any{"text/plain": "v2"}}, "d1", true)
		out.ClearOutput(true)
		out.Stream("stderr", "warn\n")
		return ExecuteResult{Value: text("42")}
	case req.Code == "fail":
		return ExecuteResult{Error: &Error{Name: "Boom", Value: "it broke", Traceback: []string{"line 1"}}}
	case req.Code == "wait-fail":
		select {
		case <-f.release:
		case <-time.After(timeout):
		}
		return ExecuteResult{Error: &Error{Name: "Boom", Value: "late failure"}}
	case req.Code == "block":
		select {
		case <-f.interrupted:
			return ExecuteResult{Error: &Error{Name: "Interrupted", Value: "interrupted"}}
		case <-ctx.Done():
			return ExecuteResult{Error: &Error{Name: "Shutdown", Value: ctx.Err().Error()}}
		case <-time.After(timeout):
			return ExecuteResult{Error: &Error{Name: "Timeout", Value: "never interrupted"}}
		}
	case req.Code == "input":
		v, err := out.Input("name? ", false)
		if err != nil {
			return ExecuteResult{Error: &Error{Name: "InputError", Value: err.Error()}}
		}
		out.Stream("stdout", "got "+v)
		return ExecuteResult{}
	case req.Code == "input-block":
		_, err := out.Input("pw: ", true)
		if err != nil {
			return ExecuteResult{Error: &Error{Name: "InputError", Value: err.Error()}}
		}
		return ExecuteResult{}
	case req.Code == "late":
		go func() {
			<-f.release
			out.Stream("stdout", "late\n")
			close(f.lateDone)
		}()
		return ExecuteResult{}
	case req.Code == "panic":
		panic("fake interpreter panic")
	}
	return ExecuteResult{Value: text(req.Code), UserExpressions: map[string]any{}}
}

func (f *fakeInterp) Complete(code string, cursor int) Completion {
	return Completion{Matches: []string{"Println", "Printf"}, CursorStart: cursor - 2, CursorEnd: cursor}
}

func (f *fakeInterp) Inspect(code string, cursor, detail int) Inspection {
	if strings.Contains(code, "fmt") {
		return Inspection{Found: true, Data: map[string]any{"text/plain": fmt.Sprintf("package fmt @%d/%d", cursor, detail)}}
	}
	return Inspection{}
}

func (f *fakeInterp) IsComplete(code string) (string, string) {
	if strings.HasSuffix(code, "{") {
		return "incomplete", "\t"
	}
	return "complete", ""
}

func (f *fakeInterp) Interrupt() {
	select {
	case f.interrupted <- struct{}{}:
	default:
	}
}

func (f *fakeInterp) Restart() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.restarts++
	return nil
}

func (f *fakeInterp) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

func (f *fakeInterp) ranCodes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.ran...)
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freePorts returns n distinct free TCP ports on 127.0.0.1.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// testKernel is a running Kernel with a connected client.
type testKernel struct {
	t       testing.TB
	k       *Kernel
	interp  *fakeInterp
	logs    *syncBuffer
	conn    ConnectionInfo
	signer  Signer
	session string
	runErr  chan error
	cancel  context.CancelFunc

	shell, control, stdin, iopub, hb zmq4.Socket
	shellCh, controlCh, stdinCh      chan *Message
	iopubCh                          chan *Message
}

func startKernel(t testing.TB) *testKernel {
	t.Helper()
	return startKernelOpts(t, Options{})
}

// startKernelOpts starts a kernel with opts (Logger, Username and
// ShutdownTimeout are set by the test) and connects a client to it.
func startKernelOpts(t testing.TB, opts Options) *testKernel {
	t.Helper()
	ports := freePorts(t, 5)
	conn := ConnectionInfo{
		Transport: "tcp", IP: "127.0.0.1",
		ShellPort: ports[0], ControlPort: ports[1], StdinPort: ports[2], IOPubPort: ports[3], HBPort: ports[4],
		Key: "secret-key", SignatureScheme: "hmac-sha256",
	}
	tk := &testKernel{
		t: t, interp: newFakeInterp(), logs: &syncBuffer{}, conn: conn,
		signer: NewSigner([]byte(conn.Key)), session: newID(), runErr: make(chan error, 1),
	}
	opts.Logger, opts.Username, opts.ShutdownTimeout = log.New(tk.logs, "", 0), "tester", 2*time.Second
	k, err := New(conn, tk.interp, opts)
	if err != nil {
		t.Fatal(err)
	}
	tk.k = k
	ctx, cancel := context.WithCancel(context.Background())
	tk.cancel = cancel
	go func() { tk.runErr <- k.Run(ctx) }()

	cctx, ccancel := context.WithCancel(context.Background())
	id := zmq4.WithID(zmq4.SocketIdentity("client-" + tk.session[:8]))
	tk.shell = zmq4.NewDealer(cctx, id)
	tk.control = zmq4.NewDealer(cctx, id)
	tk.stdin = zmq4.NewDealer(cctx, id)
	tk.iopub = zmq4.NewSub(cctx)
	tk.hb = zmq4.NewReq(cctx)
	for _, s := range []struct {
		sock zmq4.Socket
		port int
	}{{tk.shell, conn.ShellPort}, {tk.control, conn.ControlPort}, {tk.stdin, conn.StdinPort}, {tk.iopub, conn.IOPubPort}, {tk.hb, conn.HBPort}} {
		if err := s.sock.Dial(conn.endpoint(s.port)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tk.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	tk.shellCh = tk.pump(tk.shell)
	tk.controlCh = tk.pump(tk.control)
	tk.stdinCh = tk.pump(tk.stdin)
	tk.iopubCh = tk.pump(tk.iopub)
	t.Cleanup(func() {
		cancel()
		select {
		case <-tk.runErr:
		case <-time.After(timeout):
			t.Error("Run did not return after cancel")
		}
		ccancel()
		for _, s := range []zmq4.Socket{tk.shell, tk.control, tk.stdin, tk.iopub, tk.hb} {
			s.Close()
		}
		if t.Failed() {
			t.Logf("kernel log:\n%s", tk.logs.String())
		}
	})

	// Subscriptions reach the PUB socket asynchronously: ask for
	// kernel_info until its status messages come through on IOPub.
	deadline := time.After(timeout)
	for ready := false; !ready; {
		id := tk.send(tk.shell, "kernel_info_request", map[string]any{})
		tk.expectReply(tk.shellCh, id, "kernel_info_reply")
		wait := time.After(100 * time.Millisecond)
	drain:
		for {
			select {
			case m := <-tk.iopubCh:
				if parentID(m) == id && m.Header.MsgType == "status" && content(m)["execution_state"] == "idle" {
					ready = true
					break drain
				}
			case <-wait:
				break drain
			case <-deadline:
				t.Fatal("IOPub never delivered messages")
			}
		}
	}
	return tk
}

// pump turns a socket's receives into a channel of decoded messages.
func (tk *testKernel) pump(sock zmq4.Socket) chan *Message {
	ch := make(chan *Message, 1000)
	go func() {
		for {
			zm, err := sock.Recv()
			if err != nil {
				return
			}
			m, err := Decode(zm.Frames, tk.signer)
			if err != nil {
				tk.t.Errorf("client could not decode kernel message: %v", err)
				return
			}
			ch <- m
		}
	}()
	return ch
}

// send sends a request and returns its msg_id.
func (tk *testKernel) send(sock zmq4.Socket, msgType string, c any) string {
	tk.t.Helper()
	m, err := NewMessage(NewHeader(msgType, tk.session, "client"), nil, c)
	if err != nil {
		tk.t.Fatal(err)
	}
	if err := sock.SendMulti(zmq4.NewMsgFrom(Encode(m, tk.signer)...)); err != nil {
		tk.t.Fatal(err)
	}
	return m.Header.MsgID
}

func parentID(m *Message) string {
	var h Header
	_ = json.Unmarshal(m.ParentHeader, &h)
	return h.MsgID
}

func content(m *Message) map[string]any {
	var c map[string]any
	_ = json.Unmarshal(m.Content, &c)
	return c
}

// expectReply waits for the next message on ch and checks it answers id.
func (tk *testKernel) expectReply(ch chan *Message, id, msgType string) map[string]any {
	tk.t.Helper()
	select {
	case m := <-ch:
		if m.Header.MsgType != msgType || parentID(m) != id {
			tk.t.Fatalf("got %s (parent %s), want %s to %s: %s", m.Header.MsgType, parentID(m), msgType, id, m.Content)
		}
		if m.Header.Version != ProtocolVersion || m.Header.Session != tk.k.Session() || m.Header.Username != "tester" {
			tk.t.Errorf("bad reply header %+v", m.Header)
		}
		return content(m)
	case <-time.After(timeout):
		tk.t.Fatalf("no %s to %s", msgType, id)
	}
	return nil
}

// iopubFor collects IOPub messages whose parent is id from busy up to and
// including idle.
func (tk *testKernel) iopubFor(id string) []*Message {
	tk.t.Helper()
	var got []*Message
	deadline := time.After(timeout)
	for {
		select {
		case m := <-tk.iopubCh:
			if parentID(m) != id {
				continue
			}
			got = append(got, m)
			if m.Header.MsgType == "status" && content(m)["execution_state"] == "idle" {
				return got
			}
		case <-deadline:
			tk.t.Fatalf("no idle status for %s; got %s", id, types(got))
		}
	}
}

func types(ms []*Message) string {
	var s []string
	for _, m := range ms {
		t := m.Header.MsgType
		if t == "status" {
			t += ":" + fmt.Sprint(content(m)["execution_state"])
		}
		s = append(s, t)
	}
	return strings.Join(s, " ")
}

func (tk *testKernel) execute(code string, extra map[string]any) string {
	tk.t.Helper()
	c := map[string]any{"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": true, "stop_on_error": true}
	for k, v := range extra {
		c[k] = v
	}
	return tk.send(tk.shell, "execute_request", c)
}

func TestKernelInfo(t *testing.T) {
	tk := startKernel(t)
	for _, ch := range []struct {
		sock zmq4.Socket
		recv chan *Message
	}{{tk.shell, tk.shellCh}, {tk.control, tk.controlCh}} {
		id := tk.send(ch.sock, "kernel_info_request", map[string]any{})
		c := tk.expectReply(ch.recv, id, "kernel_info_reply")
		if c["status"] != "ok" || c["protocol_version"] != "5.3" || c["implementation"] != "lanes" || c["debugger"] != false || c["banner"] != "Lanes test" {
			t.Errorf("kernel_info_reply = %v", c)
		}
		li, _ := c["language_info"].(map[string]any)
		if li["name"] != "go" || li["file_extension"] != ".go" || li["mimetype"] != "text/x-go" || li["pygments_lexer"] != "go" || li["codemirror_mode"] != "go" {
			t.Errorf("language_info = %v", li)
		}
		if links, _ := c["help_links"].([]any); len(links) != 1 {
			t.Errorf("help_links = %v", c["help_links"])
		}
		if got := types(tk.iopubFor(id)); got != "status:busy status:idle" {
			t.Errorf("iopub = %s", got)
		}
	}
}

func TestExecuteStreamsDisplaysAndReturns(t *testing.T) {
	tk := startKernel(t)
	id := tk.execute("stream", nil)
	c := tk.expectReply(tk.shellCh, id, "execute_reply")
	if c["status"] != "ok" || c["execution_count"] != 1.0 {
		t.Errorf("execute_reply = %v", c)
	}
	if _, ok := c["user_expressions"].(map[string]any); !ok {
		t.Errorf("no user_expressions in %v", c)
	}
	if _, ok := c["payload"].([]any); !ok {
		t.Errorf("no payload in %v", c)
	}
	msgs := tk.iopubFor(id)
	want := "status:busy execute_input stream display_data update_display_data clear_output stream execute_result status:idle"
	if got := types(msgs); got != want {
		t.Fatalf("iopub = %s\nwant    %s", got, want)
	}
	if c := content(msgs[1]); c["code"] != "stream" || c["execution_count"] != 1.0 {
		t.Errorf("execute_input = %v", c)
	}
	if c := content(msgs[2]); c["name"] != "stdout" || c["text"] != "hello\n" {
		t.Errorf("stream = %v", c)
	}
	if c := content(msgs[3]); c["transient"].(map[string]any)["display_id"] != "d1" || c["data"].(map[string]any)["text/plain"] != "v1" {
		t.Errorf("display_data = %v", c)
	}
	if c := content(msgs[4]); c["transient"].(map[string]any)["display_id"] != "d1" || c["data"].(map[string]any)["text/plain"] != "v2" {
		t.Errorf("update_display_data = %v", c)
	}
	if c := content(msgs[5]); c["wait"] != true {
		t.Errorf("clear_output = %v", c)
	}
	if c := content(msgs[7]); c["execution_count"] != 1.0 || c["data"].(map[string]any)["text/plain"] != "42" {
		t.Errorf("execute_result = %v", c)
	}

	// A second stored cell gets count 2; a silent one publishes nothing
	// but status and does not count; store_history false does not count.
	id = tk.execute("two", nil)
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["execution_count"] != 2.0 {
		t.Errorf("second count = %v", c["execution_count"])
	}
	tk.iopubFor(id)
	id = tk.execute("stream", map[string]any{"silent": true})
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["execution_count"] != 2.0 || c["status"] != "ok" {
		t.Errorf("silent reply = %v", c)
	}
	if got := types(tk.iopubFor(id)); got != "status:busy status:idle" {
		t.Errorf("silent iopub = %s", got)
	}
	id = tk.execute("nohist", map[string]any{"store_history": false})
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["execution_count"] != 2.0 {
		t.Errorf("store_history=false count = %v", c["execution_count"])
	}
	tk.iopubFor(id)
	tk.interp.mu.Lock()
	reqs := append([]ExecuteRequest(nil), tk.interp.requests...)
	tk.interp.mu.Unlock()
	if len(reqs) != 4 || reqs[0].ExecutionCount != 1 || !reqs[2].Silent || reqs[2].StoreHistory || reqs[3].StoreHistory {
		t.Errorf("requests seen by interpreter: %+v", reqs)
	}
}

func TestExecuteErrorAbortsQueued(t *testing.T) {
	tk := startKernel(t)
	failID := tk.execute("wait-fail", nil)
	if code := <-tk.interp.started; code != "wait-fail" {
		t.Fatalf("started %q", code)
	}
	queuedID := tk.execute("never", nil)
	infoID := tk.send(tk.shell, "kernel_info_request", map[string]any{})
	deadline := time.Now().Add(timeout)
	for tk.k.queue.len() < 2 {
		if time.Now().After(deadline) {
			t.Fatal("requests never queued")
		}
		time.Sleep(time.Millisecond)
	}
	close(tk.interp.release)

	c := tk.expectReply(tk.shellCh, failID, "execute_reply")
	if c["status"] != "error" || c["ename"] != "Boom" || c["evalue"] != "late failure" || c["execution_count"] != 1.0 {
		t.Errorf("failing reply = %v", c)
	}
	if _, ok := c["traceback"].([]any); !ok {
		t.Errorf("no traceback list in %v", c)
	}
	if got := types(tk.iopubFor(failID)); got != "status:busy execute_input error status:idle" {
		t.Errorf("iopub = %s", got)
	}
	if c := tk.expectReply(tk.shellCh, queuedID, "execute_reply"); c["status"] != "aborted" {
		t.Errorf("queued reply = %v", c)
	}
	// Only execute requests are aborted; kernel_info is still answered.
	tk.expectReply(tk.shellCh, infoID, "kernel_info_reply")

	// A request sent after the failure runs normally.
	id := tk.execute("after", nil)
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["status"] != "ok" || c["execution_count"] != 2.0 {
		t.Errorf("after reply = %v", c)
	}
	if got := tk.interp.ranCodes(); strings.Join(got, ",") != "wait-fail,after" {
		t.Errorf("ran %v", got)
	}

	// With stop_on_error false nothing is aborted: use "fail" directly.
	id = tk.execute("fail", map[string]any{"stop_on_error": false})
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["status"] != "error" || c["ename"] != "Boom" {
		t.Errorf("fail reply = %v", c)
	}
}

func TestBadMessagesAreDropped(t *testing.T) {
	tk := startKernel(t)
	send := func(frames [][]byte) {
		if err := tk.shell.Send(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
	}
	m, _ := NewMessage(NewHeader("execute_request", tk.session, "client"), nil, map[string]any{"code": "bad"})
	wrong := Encode(m, NewSigner([]byte("wrong key")))
	send(wrong)
	good := Encode(m, tk.signer)
	send(good[1:])                      // no delimiter
	send(good[:4])                      // truncated
	send([][]byte{[]byte("<IDS|MSG>")}) // only a delimiter
	unknown, _ := NewMessage(NewHeader("frobnicate_request", tk.session, "client"), nil, map[string]any{})
	send(Encode(unknown, tk.signer))
	notJSON := Encode(m, tk.signer)
	notJSON[4] = []byte("{not json")
	notJSON[1] = tk.signer.Sign(notJSON[2], notJSON[3], notJSON[4], notJSON[5])
	send(notJSON)

	id := tk.send(tk.shell, "kernel_info_request", map[string]any{})
	tk.expectReply(tk.shellCh, id, "kernel_info_reply")
	if ran := tk.interp.ranCodes(); len(ran) != 0 {
		t.Errorf("interpreter ran %v", ran)
	}
	logs := tk.logs.String()
	for _, want := range []string{"bad message signature", "no <IDS|MSG> delimiter", "too few frames", "frobnicate_request", "invalid JSON"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestInterruptOnControl(t *testing.T) {
	tk := startKernel(t)
	id := tk.execute("block", nil)
	<-tk.interp.started
	// Control is served while the cell runs.
	infoID := tk.send(tk.control, "kernel_info_request", map[string]any{})
	tk.expectReply(tk.controlCh, infoID, "kernel_info_reply")
	intID := tk.send(tk.control, "interrupt_request", map[string]any{})
	if c := tk.expectReply(tk.controlCh, intID, "interrupt_reply"); c["status"] != "ok" {
		t.Errorf("interrupt_reply = %v", c)
	}
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["status"] != "error" || c["ename"] != "Interrupted" {
		t.Errorf("execute_reply = %v", c)
	}
}

func TestInputRoundTrip(t *testing.T) {
	tk := startKernel(t)
	id := tk.execute("input", nil)
	select {
	case m := <-tk.stdinCh:
		c := content(m)
		if m.Header.MsgType != "input_request" || parentID(m) != id || c["prompt"] != "name? " || c["password"] != false {
			t.Fatalf("got %s %v", m.Header.MsgType, c)
		}
	case <-time.After(timeout):
		t.Fatal("no input_request")
	}
	tk.send(tk.stdin, "input_reply", map[string]any{"value": "gopher"})
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["status"] != "ok" {
		t.Errorf("execute_reply = %v", c)
	}
	msgs := tk.iopubFor(id)
	if got := types(msgs); got != "status:busy execute_input stream status:idle" || content(msgs[2])["text"] != "got gopher" {
		t.Errorf("iopub = %s %v", got, content(msgs[2]))
	}

	// allow_stdin false: Input fails at once.
	id = tk.execute("input", map[string]any{"allow_stdin": false})
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["status"] != "error" || !strings.Contains(fmt.Sprint(c["evalue"]), "not allowed") {
		t.Errorf("execute_reply = %v", c)
	}

	// An interrupt ends a pending input request.
	id = tk.execute("input-block", nil)
	select {
	case m := <-tk.stdinCh:
		if content(m)["password"] != true {
			t.Errorf("input_request = %v", content(m))
		}
	case <-time.After(timeout):
		t.Fatal("no input_request")
	}
	tk.send(tk.control, "interrupt_request", map[string]any{})
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["status"] != "error" || !strings.Contains(fmt.Sprint(c["evalue"]), "interrupted") {
		t.Errorf("execute_reply = %v", c)
	}
}

func TestLateOutputKeepsParent(t *testing.T) {
	tk := startKernel(t)
	id := tk.execute("late", nil)
	tk.expectReply(tk.shellCh, id, "execute_reply")
	tk.iopubFor(id)
	close(tk.interp.release)
	<-tk.interp.lateDone
	select {
	case m := <-tk.iopubCh:
		if m.Header.MsgType != "stream" || parentID(m) != id || content(m)["text"] != "late\n" {
			t.Errorf("got %s parent %s %v", m.Header.MsgType, parentID(m), content(m))
		}
	case <-time.After(timeout):
		t.Fatal("late output never published")
	}
}

func TestHistory(t *testing.T) {
	tk := startKernel(t)
	for _, code := range []string{"a := 1", "print(a)", "b := 2", "print(a)", "print(b)"} {
		id := tk.execute(code, nil)
		tk.expectReply(tk.shellCh, id, "execute_reply")
	}
	hist := func(q map[string]any) string {
		t.Helper()
		id := tk.send(tk.shell, "history_request", q)
		c := tk.expectReply(tk.shellCh, id, "history_reply")
		b, _ := json.Marshal(c["history"])
		return string(b)
	}
	if got := hist(map[string]any{"hist_access_type": "tail", "n": 2, "output": false, "raw": true}); got != `[[1,4,"print(a)"],[1,5,"print(b)"]]` {
		t.Errorf("tail = %s", got)
	}
	if got := hist(map[string]any{"hist_access_type": "search", "pattern": "print*", "unique": true, "output": false, "raw": true}); got != `[[1,4,"print(a)"],[1,5,"print(b)"]]` {
		t.Errorf("search unique = %s", got)
	}
	if got := hist(map[string]any{"hist_access_type": "search", "pattern": "?:=*", "output": false, "raw": true}); got != `[]` {
		t.Errorf("search ?:= = %s", got)
	}
	if got := hist(map[string]any{"hist_access_type": "search", "pattern": "? := ?", "n": 1, "output": false, "raw": true}); got != `[[1,3,"b := 2"]]` {
		t.Errorf("search n=1 = %s", got)
	}
	if got := hist(map[string]any{"hist_access_type": "range", "session": 0, "start": 2, "stop": 4, "output": false, "raw": true}); got != `[[1,2,"print(a)"],[1,3,"b := 2"]]` {
		t.Errorf("range = %s", got)
	}
	// With output, each input is paired with its result's text/plain (the
	// fake interpreter echoes the code).
	if got := hist(map[string]any{"hist_access_type": "tail", "n": 1, "output": true, "raw": true}); got != `[[1,5,["print(b)","print(b)"]]]` {
		t.Errorf("tail with output = %s", got)
	}
}

func TestCompleteInspectIsComplete(t *testing.T) {
	tk := startKernel(t)
	id := tk.send(tk.shell, "complete_request", map[string]any{"code": "fmt.Pr", "cursor_pos": 6})
	c := tk.expectReply(tk.shellCh, id, "complete_reply")
	if c["status"] != "ok" || c["cursor_start"] != 4.0 || c["cursor_end"] != 6.0 || len(c["matches"].([]any)) != 2 {
		t.Errorf("complete_reply = %v", c)
	}
	if _, ok := c["metadata"].(map[string]any); !ok {
		t.Errorf("complete_reply metadata = %v", c["metadata"])
	}
	id = tk.send(tk.shell, "inspect_request", map[string]any{"code": "fmt", "cursor_pos": 2, "detail_level": 1})
	c = tk.expectReply(tk.shellCh, id, "inspect_reply")
	if c["status"] != "ok" || c["found"] != true || c["data"].(map[string]any)["text/plain"] != "package fmt @2/1" {
		t.Errorf("inspect_reply = %v", c)
	}
	id = tk.send(tk.shell, "inspect_request", map[string]any{"code": "x", "cursor_pos": 1, "detail_level": 0})
	if c = tk.expectReply(tk.shellCh, id, "inspect_reply"); c["found"] != false {
		t.Errorf("inspect_reply = %v", c)
	}
	id = tk.send(tk.shell, "is_complete_request", map[string]any{"code": "func f() {"})
	if c = tk.expectReply(tk.shellCh, id, "is_complete_reply"); c["status"] != "incomplete" || c["indent"] != "\t" {
		t.Errorf("is_complete_reply = %v", c)
	}
	id = tk.send(tk.shell, "is_complete_request", map[string]any{"code": "x"})
	if c = tk.expectReply(tk.shellCh, id, "is_complete_reply"); c["status"] != "complete" {
		t.Errorf("is_complete_reply = %v", c)
	} else if _, has := c["indent"]; has {
		t.Errorf("indent on complete: %v", c)
	}
}

func TestComms(t *testing.T) {
	tk := startKernel(t)
	id := tk.send(tk.shell, "comm_info_request", map[string]any{})
	if c := tk.expectReply(tk.shellCh, id, "comm_info_reply"); c["status"] != "ok" || len(c["comms"].(map[string]any)) != 0 {
		t.Errorf("comm_info_reply = %v", c)
	}
	id = tk.send(tk.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "jupyter.widget", "data": map[string]any{}})
	msgs := tk.iopubFor(id)
	if got := types(msgs); got != "status:busy comm_close status:idle" || content(msgs[1])["comm_id"] != "c1" {
		t.Errorf("iopub = %s", got)
	}
	id = tk.send(tk.shell, "comm_msg", map[string]any{"comm_id": "c1", "data": map[string]any{}})
	if got := types(tk.iopubFor(id)); got != "status:busy status:idle" {
		t.Errorf("comm_msg iopub = %s", got)
	}
}

func TestPanicBecomesError(t *testing.T) {
	tk := startKernel(t)
	id := tk.execute("panic", nil)
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["status"] != "error" || c["ename"] != "KernelPanic" {
		t.Errorf("execute_reply = %v", c)
	}
	id = tk.execute("ok", nil)
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["status"] != "ok" {
		t.Errorf("execute_reply = %v", c)
	}
}

func TestHeartbeat(t *testing.T) {
	tk := startKernel(t)
	if err := tk.hb.Send(zmq4.NewMsgString("ping")); err != nil {
		t.Fatal(err)
	}
	got := make(chan zmq4.Msg, 1)
	go func() {
		m, err := tk.hb.Recv()
		if err == nil {
			got <- m
		}
	}()
	select {
	case m := <-got:
		if string(m.Bytes()) != "ping" {
			t.Errorf("heartbeat echoed %q", m.Bytes())
		}
	case <-time.After(timeout):
		t.Fatal("no heartbeat echo")
	}
}

func TestRestart(t *testing.T) {
	tk := startKernel(t)
	id := tk.execute("one", nil)
	tk.expectReply(tk.shellCh, id, "execute_reply")
	id = tk.send(tk.control, "shutdown_request", map[string]any{"restart": true})
	if c := tk.expectReply(tk.controlCh, id, "shutdown_reply"); c["status"] != "ok" || c["restart"] != true {
		t.Errorf("shutdown_reply = %v", c)
	}
	id = tk.execute("again", nil)
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["execution_count"] != 1.0 {
		t.Errorf("count after restart = %v", c["execution_count"])
	}
	hid := tk.send(tk.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 10})
	b, _ := json.Marshal(tk.expectReply(tk.shellCh, hid, "history_reply")["history"])
	if string(b) != `[[1,1,"one"],[2,1,"again"]]` {
		t.Errorf("history = %s", b)
	}
	tk.interp.mu.Lock()
	restarts := tk.interp.restarts
	tk.interp.mu.Unlock()
	if restarts != 1 {
		t.Errorf("restarts = %d", restarts)
	}
}

func TestShutdown(t *testing.T) {
	for _, on := range []string{"control", "shell"} {
		t.Run(on, func(t *testing.T) {
			tk := startKernel(t)
			sock, ch := tk.control, tk.controlCh
			if on == "shell" {
				sock, ch = tk.shell, tk.shellCh
			}
			id := tk.send(sock, "shutdown_request", map[string]any{"restart": false})
			if c := tk.expectReply(ch, id, "shutdown_reply"); c["status"] != "ok" || c["restart"] != false {
				t.Errorf("shutdown_reply = %v", c)
			}
			msgs := tk.iopubFor(id)
			if got := types(msgs); got != "status:busy shutdown_reply status:idle" {
				t.Errorf("iopub = %s", got)
			}
			select {
			case err := <-tk.runErr:
				if err != nil {
					t.Errorf("Run = %v", err)
				}
				tk.runErr <- err // for Cleanup
			case <-time.After(timeout):
				t.Fatal("Run did not return")
			}
			tk.interp.mu.Lock()
			closed := tk.interp.closed
			tk.interp.mu.Unlock()
			if !closed {
				t.Error("interpreter not closed")
			}
		})
	}
}

func TestShutdownWhileExecuting(t *testing.T) {
	tk := startKernel(t)
	tk.execute("block", nil)
	<-tk.interp.started
	id := tk.send(tk.control, "shutdown_request", map[string]any{"restart": false})
	tk.expectReply(tk.controlCh, id, "shutdown_reply")
	select {
	case err := <-tk.runErr:
		tk.runErr <- err
	case <-time.After(timeout):
		t.Fatal("Run did not return")
	}
}

func TestNewErrors(t *testing.T) {
	ports := freePorts(t, 5)
	conn := ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: ports[0], ControlPort: ports[1], StdinPort: ports[2], IOPubPort: ports[3], HBPort: ports[4]}
	if _, err := New(conn, nil, Options{}); err == nil {
		t.Error("New with nil interpreter succeeded")
	}
	bad := conn
	bad.Transport = "udp"
	if _, err := New(bad, newFakeInterp(), Options{}); err == nil {
		t.Error("New with udp succeeded")
	}
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", conn.IOPubPort))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := New(conn, newFakeInterp(), Options{}); err == nil || !strings.Contains(err.Error(), "iopub") {
		t.Errorf("New on a busy port: %v", err)
	}
	// The sockets bound before the failure were released.
	k, err := New(ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: ports[0], ControlPort: ports[1], StdinPort: ports[2], IOPubPort: freePorts(t, 1)[0], HBPort: ports[4]}, newFakeInterp(), Options{})
	if err != nil {
		t.Fatalf("ports not released: %v", err)
	}
	k.Close()
}

func TestExitOnRestart(t *testing.T) {
	tk := startKernelOpts(t, Options{ExitOnRestart: true})
	id := tk.send(tk.control, "shutdown_request", map[string]any{"restart": true})
	if c := tk.expectReply(tk.controlCh, id, "shutdown_reply"); c["status"] != "ok" || c["restart"] != true {
		t.Errorf("shutdown_reply = %v", c)
	}
	select {
	case err := <-tk.runErr:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
		tk.runErr <- err
	case <-time.After(timeout):
		t.Fatal("Run did not return")
	}
	tk.interp.mu.Lock()
	defer tk.interp.mu.Unlock()
	if tk.interp.restarts != 0 || !tk.interp.closed {
		t.Errorf("restarts = %d, closed = %v", tk.interp.restarts, tk.interp.closed)
	}
}

func TestCloseStopsRun(t *testing.T) {
	tk := startKernel(t)
	tk.k.Close()
	select {
	case err := <-tk.runErr:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
		tk.runErr <- err
	case <-time.After(timeout):
		t.Fatal("Run did not return after Close")
	}
}

// TestLargeAndBackToBackRequests sends a request larger than the
// transport's read buffer and a burst of requests written together: each
// must come through whole, in order.
func TestLargeAndBackToBackRequests(t *testing.T) {
	tk := startKernel(t)
	big := "// " + strings.Repeat("x", 3*readBufferSize+17)
	id := tk.execute(big, nil)
	if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["status"] != "ok" {
		t.Fatalf("execute_reply = %v", c)
	}
	if c := content(tk.iopubFor(id)[1]); c["code"] != big {
		t.Errorf("execute_input code has %d bytes, want %d", len(fmt.Sprint(c["code"])), len(big))
	}
	var ids []string
	for i := 0; i < 50; i++ {
		ids = append(ids, tk.execute(fmt.Sprintf("// %d", i), map[string]any{"silent": true}))
	}
	for _, id := range ids {
		if c := tk.expectReply(tk.shellCh, id, "execute_reply"); c["status"] != "ok" {
			t.Fatalf("execute_reply = %v", c)
		}
	}
}
