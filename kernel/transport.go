package kernel

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"strconv"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// bufferedTCP names the transport the kernel's sockets use for tcp
// connection files: TCP whose connections read through a buffer.
//
// zmq4 reads each frame's header and body with separate read calls on the
// connection, and a Jupyter message has seven frames or more: on a bare
// TCP connection that is some sixteen system calls per incoming message,
// the largest single cost of a request's round trip. Through a buffer, a
// message that arrived whole is one read. Writes are unchanged: zmq4
// already writes a message with one writev, and the connection type below
// keeps that path (it embeds *net.TCPConn, whose vectored write
// net.Buffers finds).
const bufferedTCP = "lanes-tcp"

// readBufferSize holds a typical request whole; larger messages take a
// few reads, as on a bare connection.
const readBufferSize = 64 << 10

// zmq4's transport registry is global; the kernel's entry is added once,
// when the package is loaded.
func init() {
	if err := zmq4.RegisterTransport(bufferedTCP, bufTransport{}); err != nil {
		panic(fmt.Sprintf("kernel: registering transport: %v", err))
	}
}

// bufTransport is zmq4's tcp transport with buffered reads.
type bufTransport struct{}

var tcp = transport.New("tcp")

// Dial connects over TCP, for clients of a kernel (tests, benchmarks).
func (bufTransport) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	c, err := tcp.Dial(ctx, d, addr)
	if err != nil {
		return nil, err
	}
	return buffered(c), nil
}

// Listen listens on TCP; accepted connections read through a buffer and,
// when ctx carries a limit (withMessageLimit), refuse larger messages.
func (bufTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := tcp.Listen(ctx, addr)
	if err != nil {
		return nil, err
	}
	lim, _ := ctx.Value(limitKey{}).(*messageLimit)
	return bufListener{l, lim}, nil
}

// Addr parses an endpoint's address as the tcp transport does.
func (bufTransport) Addr(ep string) (string, error) { return tcp.Addr(ep) }

type bufListener struct {
	net.Listener
	limit *messageLimit
}

func (l bufListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	c = buffered(c)
	if bc, ok := c.(*bufConn); ok && l.limit != nil {
		bc.frames = &frameReader{r: bc.r, limit: l.limit, greeting: greetingSize}
	}
	return c, nil
}

// bufConn reads through a buffer; every other method, including the
// vectored write behind net.Buffers.WriteTo, is the TCP connection's.
type bufConn struct {
	*net.TCPConn
	r      *bufio.Reader
	frames *frameReader // nil: no limit
}

func (c *bufConn) Read(p []byte) (int, error) {
	if c.frames != nil {
		return c.frames.Read(p)
	}
	return c.r.Read(p)
}

func buffered(c net.Conn) net.Conn {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return c
	}
	return &bufConn{TCPConn: tc, r: bufio.NewReaderSize(tc, readBufferSize)}
}

// DefaultMaxMessage is the largest message the kernel accepts by default:
// Jupyter requests are small (a cell's code, a comm message), and zmq4
// allocates each frame whole, before the kernel can check the message's
// signature, so without a limit a peer that knows only the port can make
// the kernel allocate what it likes (four frames of 256 MiB left the
// kernel at 532 MiB). Options.MaxMessage changes it.
const DefaultMaxMessage = 64 << 20

// messageLimit is the limit of one socket's connections.
type messageLimit struct {
	max    int64
	socket string
	log    func(format string, args ...any)
}

// limitKey carries a *messageLimit in the context a socket listens with.
type limitKey struct{}

func withMessageLimit(ctx context.Context, l *messageLimit) context.Context {
	return context.WithValue(ctx, limitKey{}, l)
}

// errTooLarge ends a connection that sent a message over the limit.
var errTooLarge = errors.New("message over the size limit")

// greetingSize is the length of a ZMTP 3 greeting, which precedes the
// frames (signature, version, mechanism, as-server, filler).
const greetingSize = 64

// frameReader passes a ZMTP 3 byte stream through and checks each frame's
// size in its header before zmq4 reads it and allocates the body: a
// frame, or the frames of one multipart message together, larger than the
// limit end the connection with errTooLarge (zmq4 drops it; the peer may
// connect again) and a line in the kernel's log. Commands (the handshake)
// are frames too and are limited the same way.
type frameReader struct {
	r        *bufio.Reader
	limit    *messageLimit
	greeting int   // greeting bytes still to pass
	header   int   // header bytes of the current frame still to pass
	body     int64 // body bytes of the current frame still to pass
	msg      int64 // bytes of the current multipart message so far
	more     bool  // the current frame is not the message's last
}

func (f *frameReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	switch {
	case f.greeting > 0:
		n, err := f.r.Read(p[:min(len(p), f.greeting)])
		f.greeting -= n
		return n, err
	case f.header == 0 && f.body == 0:
		if err := f.nextHeader(); err != nil {
			return 0, err
		}
	}
	if f.header > 0 {
		n, err := f.r.Read(p[:min(len(p), f.header)])
		f.header -= n
		return n, err
	}
	n, err := f.r.Read(p[:min(int64(len(p)), f.body)])
	f.body -= int64(n)
	return n, err
}

// nextHeader reads ahead the header of the next frame and checks its size.
func (f *frameReader) nextHeader() error {
	h, err := f.r.Peek(2)
	if err != nil {
		return f.truncated(err)
	}
	flags := h[0]
	size, hdr := int64(h[1]), 2
	if flags&0x02 != 0 { // a long frame: 8 bytes of size
		h, err = f.r.Peek(9)
		if err != nil {
			return f.truncated(err)
		}
		u := binary.BigEndian.Uint64(h[1:9])
		size, hdr = int64(min(u, uint64(math.MaxInt64))), 9
	}
	if !f.more {
		f.msg = 0
	}
	f.msg += size
	if size > f.limit.max || f.msg > f.limit.max {
		f.limit.log("refused a message of more than %s on the %s socket (the limit is %s): the connection was closed",
			mib(max(size, f.msg)), f.limit.socket, mib(f.limit.max))
		return errTooLarge
	}
	f.more = flags&0x01 != 0
	f.header, f.body = hdr, size
	return nil
}

// truncated passes on what is left of a stream that ends inside a frame
// header (zmq4 then meets the end of the stream itself), or returns err
// when nothing is left or the stream has not ended: a header cut by any
// other error stays unread, so that no later read takes its rest for a
// header of its own.
func (f *frameReader) truncated(err error) error {
	if n := f.r.Buffered(); n > 0 && errors.Is(err, io.EOF) {
		f.header = n
		return nil
	}
	return err
}

// mib writes a size in MiB (in bytes below one).
func mib(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
}
