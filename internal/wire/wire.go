// Package wire is the protocol between the supervisor (engine) and the
// worker process (engine/worker): the operations, the one message type
// they share, the length-prefixed JSON framing, the order markers, and the
// types that cross the process boundary (Error, Frame, Decl).
//
// It owns the shape of what the two processes say to each other, nothing
// of what they do with it. It must never import the interpreter (yaegi),
// the engine or the worker.
package wire

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/internal/source"
)

// MaxFrame bounds one protocol frame, so a corrupted length cannot make the
// reader allocate without limit.
const MaxFrame = 256 << 20

// Message is one frame of the supervisor–worker protocol. It is a single
// flat struct, tagged by Op, because the protocol is small and private to
// the two processes; unused fields are omitted from the JSON.
type Message struct {
	Op Op `json:"op"`
	// ID pairs a request with its reply.
	ID uint64 `json:"id,omitempty"`
	// Seq orders a worker message after the stdout/stderr bytes written
	// before it: the worker writes marker Seq to both streams first.
	Seq uint64 `json:"seq,omitempty"`

	Code string `json:"code,omitempty"`
	// Magics are the magics of an OpExec cell the worker carries out
	// (parsed by the supervisor; Code has their lines blanked).
	Magics []source.Magic `json:"magics,omitempty"`
	Cell   int            `json:"cell,omitempty"`
	Cursor int            `json:"cursor,omitempty"`
	Detail int            `json:"detail,omitempty"`
	Text   string         `json:"text,omitempty"`

	Bundle    *display.Bundle `json:"bundle,omitempty"`
	DisplayID string          `json:"display_id,omitempty"`
	Update    bool            `json:"update,omitempty"`
	Wait      bool            `json:"wait,omitempty"`
	Password  bool            `json:"password,omitempty"`
	// Stuck is set on an interrupted cell whose code did not stop: the
	// supervisor must restart the worker.
	Stuck bool `json:"stuck,omitempty"`
	// LatePanics counts goroutines of earlier cells whose panics were
	// reported at the top of this cell (exec reply).
	LatePanics int `json:"late_panics,omitempty"`

	Error *Error `json:"error,omitempty"`
	// Frame is the interpreted frame of an OpTrace message.
	Frame *Frame `json:"frame,omitempty"`

	Matches []string `json:"matches,omitempty"`
	Start   int      `json:"start,omitempty"`
	End     int      `json:"end,omitempty"`
	Status  string   `json:"status,omitempty"`
	Indent  string   `json:"indent,omitempty"`
	Found   bool     `json:"found,omitempty"`

	// Decls are replayable declaration chunks of a cell (exec reply) or
	// the chunks to replay (replay request).
	Decls []Decl `json:"decls,omitempty"`
	// Vars names the variables a cell defined (exec reply), the
	// session's variables (replay request: compiled cells name them in
	// their errors) or those a replay could not restore (replay reply).
	Vars []string `json:"vars,omitempty"`
	// Lost lists declarations a replay could not restore.
	Lost []string `json:"lost,omitempty"`
}

// Decl is one replayable piece of a successful cell: source padded with
// newlines so that line numbers still match the cell it came from.
type Decl struct {
	Cell  int      `json:"cell"`
	Src   string   `json:"src"`
	Names []string `json:"names,omitempty"`
}

// Conn reads and writes length-prefixed JSON frames.
type Conn struct {
	r  *bufio.Reader
	mu sync.Mutex // serialises writers
	w  io.Writer
}

// NewConn returns a connection that reads frames from r and writes them
// to w.
func NewConn(r io.Reader, w io.Writer) *Conn {
	return &Conn{r: bufio.NewReaderSize(r, 64<<10), w: w}
}

// Send writes one frame; it is safe for concurrent use.
func (c *Conn) Send(m *Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode %s: %w", m.Op, err)
	}
	buf := make([]byte, 4+len(b))
	binary.BigEndian.PutUint32(buf, uint32(len(b)))
	copy(buf[4:], b)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.w.Write(buf); err != nil {
		return fmt.Errorf("send %s: %w", m.Op, err)
	}
	return nil
}

// Recv reads one frame. It is not safe for concurrent use.
func (c *Conn) Recv() (*Message, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > MaxFrame {
		return nil, fmt.Errorf("frame of %d bytes exceeds limit", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(c.r, b); err != nil {
		return nil, fmt.Errorf("read frame: %w", err)
	}
	m := new(Message)
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("decode frame: %w", err)
	}
	return m, nil
}
