package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"os/user"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Options tune a Kernel. The zero value is usable.
type Options struct {
	// Logger receives protocol problems (dropped messages, send errors).
	// Nil means standard error.
	Logger *log.Logger
	// HandleSIGINT makes Run call Interpreter.Interrupt when the process
	// receives SIGINT, for clients that interrupt by signal. Leave it off
	// for kernels run inside tests.
	HandleSIGINT bool
	// Username goes in every header; empty means the current user's name.
	Username string
	// ShutdownTimeout bounds how long shutdown waits for a running cell to
	// return after it was interrupted; zero means 5 seconds.
	ShutdownTimeout time.Duration
	// ExitOnRestart makes a shutdown_request with restart true end Run like
	// one without, as ipykernel does. jupyter_client's KernelManager
	// restarts a kernel by sending that request, waiting for the process
	// to exit (SIGTERM after half of its shutdown_wait_time, 2.5 s by
	// default) and starting a new one, so a kernel run by a Jupyter
	// manager should set it. When false the process stays and the
	// Interpreter is restarted in place.
	ExitOnRestart bool
	// MaxMessage is the largest message, in bytes, the kernel reads from
	// a tcp connection (all frames together); a larger one closes that
	// connection, with a line in the log. Zero means DefaultMaxMessage,
	// a negative value no limit.
	MaxMessage int64
}

// Kernel serves one Interpreter over the Jupyter messaging protocol.
// Create it with New, serve with Run.
type Kernel struct {
	conn            ConnectionInfo
	interp          Interpreter
	info            LanguageInfo
	log             *log.Logger
	signer          Signer
	session         string
	username        string
	handleSIGINT    bool
	exitOnRestart   bool
	shutdownTimeout time.Duration

	shell, control, stdin, iopub, hb zmq4.Socket
	sockCtx                          context.Context // done once the sockets close
	cancelSockets                    context.CancelFunc

	// One lock per socket keeps multipart sends whole and in order.
	shellMu, controlMu, stdinMu, iopubMu sync.Mutex

	// interpMu serialises every call into the interpreter but Interrupt.
	interpMu sync.Mutex

	queue *requestQueue
	hist  *history

	countMu   sync.Mutex
	execCount int

	inputMu sync.Mutex // one input_request at a time
	waitMu  sync.Mutex
	waiting *inputWait

	// trim gives the memory that requests used back to the system once
	// the kernel has been idle for idleTrim (a kernel waits between
	// requests far longer than it serves them); see busy.
	trimMu   sync.Mutex
	trim     *time.Timer
	inFlight int // requests being served

	runCtx    context.Context // cancelled when Run tears down; set before goroutines start
	started   atomic.Bool
	stop      chan struct{} // closed when a shutdown (no restart) is requested
	stopOnce  sync.Once
	closeOnce sync.Once
}

// ErrStdinNotAllowed is returned by Output.Input when the execute_request
// had allow_stdin false.
var ErrStdinNotAllowed = errors.New("stdin is not allowed for this request")

// ErrInterrupted is returned by Output.Input when the kernel was
// interrupted or shut down while waiting for input_reply.
var ErrInterrupted = errors.New("interrupted while waiting for input")

// ErrCellFinished is returned by Output.Input called after the cell's
// Execute has returned.
var ErrCellFinished = errors.New("input requested after the cell finished")

// New binds the five sockets described by conn and returns a Kernel ready
// to Run. The caller must call Run or Close to release the sockets.
func New(conn ConnectionInfo, interp Interpreter, opts Options) (*Kernel, error) {
	if interp == nil {
		return nil, errors.New("kernel: nil Interpreter")
	}
	if conn.Transport == "" {
		conn.Transport = "tcp"
	}
	if conn.SignatureScheme == "" && conn.Key != "" {
		conn.SignatureScheme = SignatureScheme
	}
	if err := conn.Validate(); err != nil {
		return nil, fmt.Errorf("kernel: %w", err)
	}
	k := &Kernel{
		trim:            time.AfterFunc(idleTrim, debug.FreeOSMemory), // after start-up too
		conn:            conn,
		interp:          interp,
		info:            interp.Info(),
		log:             opts.Logger,
		signer:          NewSigner([]byte(conn.Key)),
		session:         newID(),
		username:        opts.Username,
		handleSIGINT:    opts.HandleSIGINT,
		exitOnRestart:   opts.ExitOnRestart,
		shutdownTimeout: opts.ShutdownTimeout,
		queue:           newRequestQueue(),
		hist:            newHistory(),
		stop:            make(chan struct{}),
		runCtx:          context.Background(),
	}
	if k.log == nil {
		k.log = log.New(os.Stderr, "lanes kernel: ", log.LstdFlags)
	}
	if k.username == "" {
		k.username = currentUser()
	}
	if k.shutdownTimeout <= 0 {
		k.shutdownTimeout = 5 * time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	k.sockCtx, k.cancelSockets = ctx, cancel
	zopts := []zmq4.Option{zmq4.WithLogger(k.log), zmq4.WithTimeout(30 * time.Second)}
	maxMsg := opts.MaxMessage
	if maxMsg == 0 {
		maxMsg = DefaultMaxMessage
	}
	limited := func(socket string) context.Context {
		if maxMsg < 0 {
			return ctx
		}
		return withMessageLimit(ctx, &messageLimit{max: maxMsg, socket: socket, log: k.log.Printf})
	}
	if maxMsg > 0 && conn.Transport == "tcp" {
		k.log.Printf("messages larger than %s are refused (their connection is closed)", mib(maxMsg))
	}
	k.shell = zmq4.NewRouter(limited("shell"), zopts...)
	k.control = zmq4.NewRouter(limited("control"), zopts...)
	k.stdin = zmq4.NewRouter(limited("stdin"), zopts...)
	k.iopub = zmq4.NewPub(limited("iopub"), zopts...)
	k.hb = zmq4.NewRep(limited("heartbeat"), zopts...)
	for _, s := range []struct {
		name string
		sock zmq4.Socket
		port int
	}{
		{"shell", k.shell, conn.ShellPort},
		{"control", k.control, conn.ControlPort},
		{"stdin", k.stdin, conn.StdinPort},
		{"iopub", k.iopub, conn.IOPubPort},
		{"heartbeat", k.hb, conn.HBPort},
	} {
		ep := conn.endpoint(s.port)
		if err := s.sock.Listen(ep); err != nil {
			k.closeSocketsOnce()
			return nil, fmt.Errorf("kernel: binding %s socket to %s: %w", s.name, ep, err)
		}
	}
	return k, nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "kernel"
}

// Session returns the session id this kernel puts in every header.
func (k *Kernel) Session() string { return k.session }

// Close stops the kernel: while Run is serving it makes Run shut down as
// on shutdown_request (Run closes the sockets); before Run it releases the
// sockets New bound. It is safe to call more than once and after Run
// returned.
func (k *Kernel) Close() error {
	k.requestStop()
	if !k.started.Load() {
		k.closeSocketsOnce()
	}
	return nil
}

func (k *Kernel) closeSocketsOnce() {
	k.closeOnce.Do(func() {
		k.trim.Stop()
		k.cancelSockets()
		for _, s := range []zmq4.Socket{k.shell, k.control, k.stdin, k.iopub, k.hb} {
			if s != nil {
				_ = s.Close()
			}
		}
	})
}

// Run publishes status starting and serves requests until a
// shutdown_request without restart arrives (then it returns nil) or ctx is
// done (then it returns ctx's error). Either way it interrupts a running
// cell, waits up to Options.ShutdownTimeout for it, closes the
// Interpreter and the sockets. Run may be called once.
func (k *Kernel) Run(ctx context.Context) error {
	if !k.started.CompareAndSwap(false, true) {
		return errors.New("kernel: Run called twice")
	}
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	k.runCtx = runCtx

	k.publish(nil, "status", map[string]any{"execution_state": "starting"})

	var readers sync.WaitGroup
	readers.Add(4)
	go func() { defer readers.Done(); k.heartbeat() }()
	go func() { defer readers.Done(); k.readLoop(k.shell, "shell", k.enqueueShell) }()
	go func() { defer readers.Done(); k.readLoop(k.control, "control", k.handleControl) }()
	go func() { defer readers.Done(); k.readLoop(k.stdin, "stdin", k.handleStdin) }()

	shellDone := make(chan struct{})
	go func() { defer close(shellDone); k.shellLoop(runCtx) }()

	if k.handleSIGINT {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt)
		defer signal.Stop(sig)
		go func() {
			for {
				select {
				case <-sig:
					k.interrupt()
				case <-runCtx.Done():
					return
				}
			}
		}()
	}

	var err error
	select {
	case <-ctx.Done():
		err = ctx.Err()
	case <-k.stop:
	}

	cancelRun()
	k.interrupt()
	timer := time.NewTimer(k.shutdownTimeout)
	select {
	case <-shellDone:
		timer.Stop()
	case <-timer.C:
		k.log.Printf("shutdown: running cell did not stop within %v", k.shutdownTimeout)
	}
	if cerr := k.interp.Close(); cerr != nil {
		k.log.Printf("shutdown: closing interpreter: %v", cerr)
	}
	// IOPub sends are queued and written by zmq4 in the background: give
	// the last status and shutdown_reply messages a moment to leave.
	time.Sleep(lingerTime)
	k.closeSocketsOnce()
	readersDone := make(chan struct{})
	go func() { readers.Wait(); close(readersDone) }()
	select {
	case <-readersDone:
	case <-time.After(k.shutdownTimeout):
		k.log.Printf("shutdown: socket readers did not stop within %v", k.shutdownTimeout)
	}
	return err
}

// lingerTime is how long Run waits for queued IOPub messages before it
// closes the sockets.
const lingerTime = 50 * time.Millisecond

// requestStop makes Run return.
func (k *Kernel) requestStop() { k.stopOnce.Do(func() { close(k.stop) }) }

// readLoop receives, decodes and hands on messages until the socket closes.
// Messages that fail to decode are logged and dropped.
func (k *Kernel) readLoop(sock zmq4.Socket, name string, handle func(*Message)) {
	for {
		zm, err := sock.Recv()
		if err != nil {
			if errors.Is(err, context.Canceled) || k.closed() {
				return
			}
			k.log.Printf("%s: receive: %v", name, err)
			continue
		}
		m, err := Decode(zm.Frames, k.signer)
		if err != nil {
			k.log.Printf("%s: dropping message: %v", name, err)
			continue
		}
		handle(m)
	}
}

// closed reports whether the sockets are closed or closing.
func (k *Kernel) closed() bool { return k.sockCtx.Err() != nil }

// heartbeat echoes every ping until the socket closes.
func (k *Kernel) heartbeat() {
	for {
		m, err := k.hb.Recv()
		if err != nil {
			if errors.Is(err, context.Canceled) || k.closed() {
				return
			}
			continue
		}
		if len(m.Frames) == 0 {
			m.Frames = [][]byte{{}}
		}
		if err := k.hb.SendMulti(zmq4.NewMsgFrom(m.Frames...)); err != nil {
			if errors.Is(err, context.Canceled) {
				return
			}
			k.log.Printf("heartbeat: send: %v", err)
		}
	}
}

// send signs and sends m on sock, holding mu. SendMulti writes the frames
// with one vectored write; Send would write each frame's header and body
// separately.
func (k *Kernel) send(sock zmq4.Socket, mu *sync.Mutex, m *Message) {
	frames := Encode(m, k.signer)
	mu.Lock()
	err := sock.SendMulti(zmq4.NewMsgFrom(frames...))
	mu.Unlock()
	if err != nil && !errors.Is(err, context.Canceled) {
		k.log.Printf("sending %s: %v", m.Header.MsgType, err)
	}
}

// publish sends a message on IOPub with parent as parent header.
func (k *Kernel) publish(parent json.RawMessage, msgType string, content any) {
	m, err := NewMessage(NewHeader(msgType, k.session, k.username), parent, content)
	if err != nil {
		k.log.Print(err)
		return
	}
	m.Identities = [][]byte{[]byte("kernel." + k.session + "." + msgType)}
	k.send(k.iopub, &k.iopubMu, m)
}

func (k *Kernel) publishStatus(parent *Message, state string) {
	k.publish(parent.RawHeader, "status", map[string]any{"execution_state": state})
}

// channel is a ROUTER socket with its send lock.
type channel struct {
	name string
	sock zmq4.Socket
	mu   *sync.Mutex
}

func (k *Kernel) shellChannel() channel   { return channel{"shell", k.shell, &k.shellMu} }
func (k *Kernel) controlChannel() channel { return channel{"control", k.control, &k.controlMu} }

// reply answers req on ch with a message of msgType.
func (k *Kernel) reply(ch channel, req *Message, msgType string, content any) {
	m, err := NewMessage(NewHeader(msgType, k.session, k.username), req.RawHeader, content)
	if err != nil {
		k.log.Print(err)
		return
	}
	m.Identities = req.Identities
	k.send(ch.sock, ch.mu, m)
}

// interrupt stops the running cell and any pending input request.
func (k *Kernel) interrupt() {
	k.interp.Interrupt()
	k.waitMu.Lock()
	if w := k.waiting; w != nil {
		w.once.Do(func() { close(w.interrupted) })
	}
	k.waitMu.Unlock()
}

// requestQueue is the unbounded FIFO of shell requests.
type requestQueue struct {
	mu    sync.Mutex
	items []*Message
	ready chan struct{}
}

func newRequestQueue() *requestQueue {
	return &requestQueue{ready: make(chan struct{}, 1)}
}

func (q *requestQueue) push(m *Message) {
	q.mu.Lock()
	q.items = append(q.items, m)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// pop returns the oldest request, waiting for one; false when ctx is done.
func (q *requestQueue) pop(ctx context.Context) (*Message, bool) {
	for {
		if ctx.Err() != nil {
			return nil, false
		}
		q.mu.Lock()
		if len(q.items) > 0 {
			m := q.items[0]
			q.items[0] = nil
			q.items = q.items[1:]
			q.mu.Unlock()
			return m, true
		}
		q.mu.Unlock()
		select {
		case <-q.ready:
		case <-ctx.Done():
			return nil, false
		}
	}
}

// takeExecutes removes and returns every queued execute_request, leaving
// other requests in order.
func (q *requestQueue) takeExecutes() []*Message {
	q.mu.Lock()
	defer q.mu.Unlock()
	var taken, kept []*Message
	for _, m := range q.items {
		if m.Header.MsgType == "execute_request" {
			taken = append(taken, m)
		} else {
			kept = append(kept, m)
		}
	}
	q.items = kept
	return taken
}

func (q *requestQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}
