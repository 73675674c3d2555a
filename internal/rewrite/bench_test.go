package rewrite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lanes-dev/lanes/internal/source"
)

// BenchmarkChunkFmt is what a cell that prints pays once the session has
// declared a String method (displayArgs type-checks it), after 200 other
// declarations; BenchmarkChunkFmtPlain is the same cell in a session
// without one, which is not type-checked.
func BenchmarkChunkFmt(b *testing.B) { benchChunk(b, true) }

// BenchmarkChunkFmtPlain: see BenchmarkChunkFmt.
func BenchmarkChunkFmtPlain(b *testing.B) { benchChunk(b, false) }

func benchChunk(b *testing.B, stringer bool) {
	var pre strings.Builder
	pre.WriteString("package p\ntype Celsius float64\nvar temps []Celsius\n")
	if stringer {
		pre.WriteString("func (c Celsius) String() string { return \"\" }\n")
	}
	for i := range 200 {
		fmt.Fprintf(&pre, "func f%d(x int) int { return x + %d }\n", i, i)
	}
	s := session{pre.String()}
	code := "fmt.Println(temps, len(temps))"
	ch := source.Split(code)[0]
	for b.Loop() {
		Chunk(1, code, ch, s, false)
	}
}
