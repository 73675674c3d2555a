package wire

import (
	"bytes"
	"strconv"
)

// Op names what a Message is.
type Op string

// The operations. Requests go from the supervisor to the worker; the
// worker answers a request with OpReply (or OpDone for OpExec) carrying
// the request's ID, and sends the other messages on its own.
const (
	// OpExec runs a cell (Code, Cell); answered by OpDone.
	OpExec Op = "exec"
	// OpInterrupt asks the running cell to stop; not answered.
	OpInterrupt Op = "interrupt"
	// OpReplay evaluates the Decls of an earlier worker; answered by
	// OpReply with Lost.
	OpReplay Op = "replay"
	// OpComplete asks for completions of Code at Cursor.
	OpComplete Op = "complete"
	// OpInspect asks for a description of the name at Cursor.
	OpInspect Op = "inspect"
	// OpPing asks for an empty OpReply.
	OpPing Op = "ping"
	// OpInputReply answers OpInput with Text, or Status "error".
	OpInputReply Op = "input_reply"

	// OpReply answers a request other than OpExec.
	OpReply Op = "reply"
	// OpDone ends a cell: its result or Error.
	OpDone Op = "done"
	// OpStderr is text for the cell's standard error (ordered).
	OpStderr Op = "stderr"
	// OpDisplay shows Bundle (ordered).
	OpDisplay Op = "display"
	// OpClear clears the cell's output (ordered).
	OpClear Op = "clear"
	// OpInput asks the front end for a line of input (ordered).
	OpInput Op = "input"
	// OpTrace carries an interpreted frame the interpreter printed for a
	// panic, sent at once in case the panic ends the worker.
	OpTrace Op = "trace"
)

// Worker file descriptors, as the supervisor sets them up.
const (
	FdIn  = 3 // supervisor → worker frames
	FdOut = 4 // worker → supervisor frames
)

// MarkerEnv names the environment variable that carries the stream
// marker to the worker.
const MarkerEnv = "LANES_WORKER_MARKER"

// EnvMemLimit names the environment variable that sets the worker's
// memory limit outside grading: a size (4G, 512M) or "off"; unset, the
// worker takes a share of the machine's memory. The supervisor passes on
// what %memlimit last set, so a fresh worker keeps the session's limit.
const EnvMemLimit = "LANES_MEMLIMIT"

// Marker bytes: a marker is MarkStart, the per-worker token, the sequence
// number in decimal, then MarkEnd.
const (
	MarkStart = 0x1e // ASCII record separator
	MarkEnd   = 0x1f // ASCII unit separator
)

// MarkerText is the marker the worker writes to both output streams
// before it sends the ordered message with sequence number seq.
func MarkerText(token string, seq uint64) string {
	return string(rune(MarkStart)) + token + strconv.FormatUint(seq, 10) + string(rune(MarkEnd))
}

// MarkerPrefix is what every marker of token starts with.
func MarkerPrefix(token string) []byte {
	return append([]byte{MarkStart}, token...)
}

// ParseSeq reads the sequence number at the start of b, up to MarkEnd. It
// returns the number and the bytes consumed (MarkEnd included), or ok
// false when MarkEnd has not arrived yet.
func ParseSeq(b []byte) (seq uint64, n int, ok bool) {
	end := bytes.IndexByte(b, MarkEnd)
	if end < 0 {
		return 0, 0, false
	}
	seq, _ = strconv.ParseUint(string(b[:end]), 10, 64)
	return seq, end + 1, true
}
