package kernel

import "context"

// Interpreter is the language side of a kernel: everything the protocol layer
// needs to ask of it, and nothing about the wire. The kernel calls Execute,
// Complete, Inspect and IsComplete from one goroutine at a time (the shell
// loop), and Interrupt from any goroutine while Execute is running.
//
// An Interpreter knows nothing about ZeroMQ or Jupyter message shapes beyond
// the MIME-bundle convention (map of MIME type to data) they share.
type Interpreter interface {
	// Info describes the language for kernel_info_reply.
	Info() LanguageInfo

	// Execute runs one cell. Output produced while it runs goes to out,
	// in order, from any goroutine the interpreter chooses (but never
	// concurrently: calls on out are serialised by the interpreter). Output
	// that arrives after Execute has returned (a goroutine that outlived its
	// cell) may still be sent to out; the kernel then publishes it with the
	// parent header of that cell. ctx is cancelled when the kernel shuts down.
	Execute(ctx context.Context, req ExecuteRequest, out Output) ExecuteResult

	// Complete returns completions for code at cursor (a code-point offset).
	Complete(code string, cursor int) Completion

	// Inspect returns documentation for the name at cursor (code points).
	// detailLevel is 0 or 1 as in inspect_request. Found is false when
	// there is nothing to show.
	Inspect(code string, cursor, detailLevel int) Inspection

	// IsComplete reports whether code is a complete input: Status is one of
	// "complete", "incomplete", "invalid", "unknown"; Indent is the
	// suggested indentation of the next line when Status is "incomplete".
	IsComplete(code string) (status, indent string)

	// Interrupt asks the running Execute to stop as soon as it can. It
	// returns at once; Execute returns with an error result when stopped.
	// It is a no-op when nothing runs.
	Interrupt()

	// Restart discards all state and starts afresh (shutdown_request with
	// restart=true).
	Restart() error

	// Close releases the interpreter for good (shutdown without restart).
	Close() error
}

// LanguageInfo is the language part of kernel_info_reply.
type LanguageInfo struct {
	Name                  string // e.g. "go"
	Version               string
	MIMEType              string
	FileExtension         string
	PygmentsLexer         string
	CodeMirrorMode        string
	Implementation        string // kernel implementation name, e.g. "lanes"
	ImplementationVersion string
	Banner                string
	HelpLinks             []HelpLink
}

// HelpLink is one entry of kernel_info_reply's help_links.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// ExecuteRequest is the language-relevant part of execute_request.
type ExecuteRequest struct {
	Code            string
	Silent          bool
	StoreHistory    bool
	AllowStdin      bool
	UserExpressions map[string]string
	// ExecutionCount is the number this cell gets (already incremented by
	// the kernel when StoreHistory is true).
	ExecutionCount int
}

// ExecuteResult is what Execute returns. Exactly one of Value or Error is
// meaningful: Error non-nil means the cell failed.
type ExecuteResult struct {
	// Value is the MIME bundle of the cell's final expression, or nil when
	// the cell has no value to show.
	Value *Bundle
	// Error describes a failed cell (compile error, panic, interrupt...).
	Error *Error
	// UserExpressions maps each requested name to a result in the shape of
	// the Jupyter spec: {"status":"ok","data":{...},"metadata":{...}} or
	// {"status":"error","ename":...,"evalue":...,"traceback":[...]}.
	UserExpressions map[string]any
	// Payload is the execute_reply payload list (may be nil).
	Payload []map[string]any
}

// Bundle is a MIME bundle with its metadata.
type Bundle struct {
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

// Error is a failed evaluation in the shape of Jupyter's error message.
type Error struct {
	Name      string   `json:"ename"`
	Value     string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

// Output receives what a running cell produces.
type Output interface {
	// Stream writes text to "stdout" or "stderr".
	Stream(name, text string)
	// Display shows a bundle. A non-empty displayID lets a later call with
	// update=true replace it (update_display_data).
	Display(b Bundle, displayID string, update bool)
	// ClearOutput clears the cell's output; wait defers it until new output.
	ClearOutput(wait bool)
	// Input asks the front end for a line of input (input_request). It
	// returns an error when stdin is not allowed or the request was
	// interrupted.
	Input(prompt string, password bool) (string, error)
}

// Completion is the reply to a complete_request. Offsets are in code points.
type Completion struct {
	Matches     []string
	CursorStart int
	CursorEnd   int
	Metadata    map[string]any
}

// Inspection is the reply to an inspect_request.
type Inspection struct {
	Found bool
	Data  map[string]any
}
