package kernel

import "sync"

// historyEntry is one stored cell: [session, line_number, input] on the
// wire, or [session, line_number, [input, output]] when output is asked for.
type historyEntry struct {
	Session int
	Line    int
	Input   string
	// Output is the text/plain of the cell's execute_result, nil when the
	// cell had none.
	Output *string
}

// wire returns the entry as history_reply lists it.
func (e historyEntry) wire(withOutput bool) []any {
	if withOutput {
		var out any
		if e.Output != nil {
			out = *e.Output
		}
		return []any{e.Session, e.Line, []any{e.Input, out}}
	}
	return []any{e.Session, e.Line, e.Input}
}

// history keeps every stored cell of this kernel process in memory. Session
// numbers start at 1 and go up by one on each restart.
type history struct {
	mu      sync.Mutex
	session int
	entries []historyEntry
}

func newHistory() *history { return &history{session: 1} }

// add stores input as line of the current session and returns its index
// for setOutput.
func (h *history) add(line int, input string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, historyEntry{Session: h.session, Line: line, Input: input})
	return len(h.entries) - 1
}

// setOutput records the text output of the entry add returned index for.
func (h *history) setOutput(index int, output string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if index >= 0 && index < len(h.entries) {
		h.entries[index].Output = &output
	}
}

// newSession starts the next session (after a restart).
func (h *history) newSession() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.session++
}

// historyQuery is the content of a history_request.
type historyQuery struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           int    `json:"stop"`
	N              int    `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

// query answers a history request. tail returns the last n entries (all
// when n <= 0); range returns lines start <= line < stop of one session
// (session <= 0 is relative to the current one, stop <= 0 means no upper
// bound); search returns entries whose input matches the glob pattern as a
// whole (* and ?), the last occurrence only of each input when unique, the
// last n when n > 0. Unknown access types give no entries.
func (h *history) query(q historyQuery) []historyEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []historyEntry{}
	switch q.HistAccessType {
	case "tail":
		out = append(out, lastN(h.entries, q.N)...)
	case "range":
		session := q.Session
		if session <= 0 {
			session += h.session
		}
		for _, e := range h.entries {
			if e.Session == session && e.Line >= q.Start && (q.Stop <= 0 || e.Line < q.Stop) {
				out = append(out, e)
			}
		}
	case "search":
		pattern := q.Pattern
		if pattern == "" {
			pattern = "*"
		}
		var matched []historyEntry
		for _, e := range h.entries {
			if globMatch(pattern, e.Input) {
				matched = append(matched, e)
			}
		}
		if q.Unique {
			last := map[string]int{}
			for i, e := range matched {
				last[e.Input] = i
			}
			var uniq []historyEntry
			for i, e := range matched {
				if last[e.Input] == i {
					uniq = append(uniq, e)
				}
			}
			matched = uniq
		}
		out = append(out, lastN(matched, q.N)...)
	}
	return out
}

// lastN returns the last n elements of s, or all of s when n <= 0.
func lastN(s []historyEntry, n int) []historyEntry {
	if n > 0 && n < len(s) {
		return s[len(s)-n:]
	}
	return s
}

// globMatch reports whether all of s matches pattern, where * matches any
// run of characters (newlines included) and ? any single character; every
// other character matches itself.
func globMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case star >= 0:
			mark++
			pi, ti = star+1, mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
