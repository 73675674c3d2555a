package kernel

import (
	"bufio"
	"context"
	"fmt"
	"net"

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

// Listen listens on TCP; accepted connections read through a buffer.
func (bufTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := tcp.Listen(ctx, addr)
	if err != nil {
		return nil, err
	}
	return bufListener{l}, nil
}

// Addr parses an endpoint's address as the tcp transport does.
func (bufTransport) Addr(ep string) (string, error) { return tcp.Addr(ep) }

type bufListener struct{ net.Listener }

func (l bufListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return buffered(c), nil
}

// bufConn reads through a buffer; every other method, including the
// vectored write behind net.Buffers.WriteTo, is the TCP connection's.
type bufConn struct {
	*net.TCPConn
	r *bufio.Reader
}

func (c *bufConn) Read(p []byte) (int, error) { return c.r.Read(p) }

func buffered(c net.Conn) net.Conn {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return c
	}
	return &bufConn{TCPConn: tc, r: bufio.NewReaderSize(tc, readBufferSize)}
}
