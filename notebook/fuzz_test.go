package notebook

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds the nbformat decoder arbitrary bytes, as a damaged or
// hostile submission could hold them: Parse must return a notebook or an
// error, never panic, and a notebook it accepts must write out as a
// notebook it accepts again, unchanged by a second round.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.ipynb"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}`))
	f.Add([]byte(`{"cells":[{"cell_type":"code","source":["x\n","y"],"metadata":{},"outputs":[],"execution_count":null}],"metadata":{},"nbformat":4,"nbformat_minor":5}`))
	f.Add([]byte(`{"nbformat":4`))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := Parse(data)
		if err != nil {
			return
		}
		once, err := nb.Marshal()
		if err != nil {
			t.Fatalf("an accepted notebook does not write: %v", err)
		}
		nb2, err := Parse(once)
		if err != nil {
			t.Fatalf("a written notebook is refused: %v\n%s", err, once)
		}
		twice, err := nb2.Marshal()
		if err != nil {
			t.Fatalf("a written notebook does not write again: %v", err)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("writing is not stable:\n%s\n---\n%s", once, twice)
		}
	})
}
