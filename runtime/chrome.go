package lanes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// ChromeTrace returns the timeline's runs in Chrome's Trace Event JSON
// format, which Perfetto (ui.perfetto.dev) and chrome://tracing open: each
// run is a process, each lane a thread, each span a complete event named
// after its task, with the kind as its category. Times are microseconds (a
// virtual unit counts as a millisecond).
func (t *Timeline) ChromeTrace() []byte {
	var b bytes.Buffer
	b.WriteString(`{"displayTimeUnit":"ms","traceEvents":[`)
	first := true
	emit := func(format string, args ...any) {
		if !first {
			b.WriteString(",\n")
		}
		first = false
		fmt.Fprintf(&b, format, args...)
	}
	for pid, r := range t.runs {
		emit(`{"ph":"M","name":"process_name","pid":%d,"tid":0,"args":{"name":%s}}`, pid+1, jsonString(r.Name))
		emit(`{"ph":"M","name":"process_sort_index","pid":%d,"tid":0,"args":{"sort_index":%d}}`, pid+1, pid)
		for i, l := range r.Lanes {
			emit(`{"ph":"M","name":"thread_name","pid":%d,"tid":%d,"args":{"name":%s}}`, pid+1, i+1, jsonString(l))
			emit(`{"ph":"M","name":"thread_sort_index","pid":%d,"tid":%d,"args":{"sort_index":%d}}`, pid+1, i+1, i)
		}
		for _, s := range r.Spans {
			emit(`{"ph":"X","name":%s,"cat":"%s","pid":%d,"tid":%d,"ts":%s,"dur":%s}`,
				jsonString(r.Tasks[s.Task]), s.Kind, pid+1, s.Lane+1,
				formatNum(float64(s.Start)/1e3, 3), formatNum(float64(s.End-s.Start)/1e3, 3))
		}
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

// WriteChromeTrace writes the Trace Event JSON of ChromeTrace to w.
func (t *Timeline) WriteChromeTrace(w io.Writer) error {
	if _, err := w.Write(t.ChromeTrace()); err != nil {
		return fmt.Errorf("lanes: writing chrome trace: %w", err)
	}
	return nil
}

// SaveChromeTrace writes the Trace Event JSON of ChromeTrace to a file.
func (t *Timeline) SaveChromeTrace(path string) error {
	if err := os.WriteFile(path, t.ChromeTrace(), 0o644); err != nil {
		return fmt.Errorf("lanes: saving chrome trace: %w", err)
	}
	return nil
}

func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}
