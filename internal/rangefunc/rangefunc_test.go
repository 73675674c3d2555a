package rangefunc

import (
	"strings"
	"testing"
)

// prelude is shared by the programs of the corpus: two iterators that say
// when they are stopped.
const prelude = `
func count(n int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				fmt.Println("count stopped at", i)
				return
			}
		}
		fmt.Println("count done")
	}
}

func enumerate(words ...string) func(func(int, string) bool) {
	return func(yield func(int, string) bool) {
		for i, w := range words {
			if !yield(i, w) {
				fmt.Println("enumerate stopped at", i)
				return
			}
		}
	}
}

var _ = count
var _ = enumerate
`

// corpus lists programs whose output under the interpreter, after the
// rewrite, must be what go run prints: stdout, and the panic that ends the
// program, if any.
var corpus = []struct {
	name    string
	imports string // import declarations besides fmt
	src     string
}{
	{name: "value", src: `func main() {
	for x := range count(3) {
		fmt.Println("x", x)
	}
	fmt.Println("end")
}`},
	{name: "key and value", src: `func main() {
	for i, w := range enumerate("a", "b") {
		fmt.Println(i, w)
	}
}`},
	{name: "key only of a pair", src: `func main() {
	for i := range enumerate("a", "b", "c") {
		fmt.Println(i)
	}
}`},
	{name: "value only of a pair", src: `func main() {
	for _, w := range enumerate("a", "b", "c") {
		fmt.Print(w)
	}
	fmt.Println()
}`},
	{name: "no variables", src: `func main() {
	n := 0
	for range count(4) {
		n++
	}
	fmt.Println(n)
}`},
	{name: "yield without values", src: `func times(n int) func(func() bool) {
	return func(yield func() bool) {
		for i := 0; i < n; i++ {
			if !yield() {
				return
			}
		}
	}
}

func main() {
	for range times(3) {
		fmt.Println("tick")
	}
}`},
	{name: "assigned variables", src: `func main() {
	var i int
	var w string
	for i, w = range enumerate("x", "y") {
	}
	fmt.Println(i, w)
	a := []int{0, 0}
	for a[1] = range count(3) {
	}
	fmt.Println(a)
}`},
	{name: "named iterator type", src: `type Seq func(yield func(string) bool)

type List struct{ items []string }

func (l *List) All() Seq {
	return func(yield func(string) bool) {
		for _, s := range l.items {
			if !yield(s) {
				return
			}
		}
	}
}

func main() {
	l := &List{items: []string{"go", "lanes"}}
	for s := range l.All() {
		fmt.Println(s)
	}
}`},
	{name: "iter.Seq", imports: `import "iter"`, src: `func squares(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 1; i <= n; i++ {
			if !yield(i * i) {
				return
			}
		}
	}
}

func pairs(m []string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for i, s := range m {
			if !yield(i, s) {
				return
			}
		}
	}
}

func main() {
	for v := range squares(4) {
		fmt.Println(v)
	}
	for i, s := range pairs([]string{"p", "q"}) {
		fmt.Println(i, s)
	}
}`},
	{name: "compiled iterator", imports: `import "strings"`, src: `func main() {
	for line := range strings.Lines("one\ntwo\nthree") {
		fmt.Printf("%q\n", line)
	}
	for part := range strings.SplitSeq("a,b,c", ",") {
		if part == "b" {
			continue
		}
		fmt.Println(part)
	}
	for f := range strings.FieldsSeq("  x  y ") {
		fmt.Println(f)
	}
}`},
	{name: "break", src: `func main() {
	for x := range count(10) {
		if x == 2 {
			break
		}
		fmt.Println(x)
	}
	fmt.Println("after")
}`},
	{name: "continue", src: `func main() {
	for x := range count(5) {
		if x%2 == 0 {
			continue
		}
		fmt.Println(x)
	}
}`},
	{name: "break and continue of inner statements", src: `func main() {
	for x := range count(4) {
		switch x {
		case 1:
			break
		case 2:
			continue
		}
		for j := 0; j < 10; j++ {
			if j == x {
				break
			}
			if j == 0 {
				continue
			}
			fmt.Print(j)
		}
		fmt.Println(" x", x)
	}
}`},
	{name: "select in the body", src: `func main() {
	ch := make(chan int, 1)
	for x := range count(3) {
		ch <- x
		select {
		case v := <-ch:
			if v == 1 {
				continue
			}
			fmt.Println("got", v)
		}
	}
}`},
	{name: "labelled break and continue to an outer loop", src: `func main() {
outer:
	for i := 0; i < 3; i++ {
		for x := range count(3) {
			if x == 1 && i == 0 {
				continue outer
			}
			if i == 2 {
				break outer
			}
			fmt.Println(i, x)
		}
		fmt.Println("inner done", i)
	}
	fmt.Println("end")
}`},
	{name: "labelled jumps of the loop itself", src: `func main() {
loop:
	for x := range count(6) {
		for j := 0; j < 3; j++ {
			if x == 1 {
				continue loop
			}
			if x == 3 {
				break loop
			}
		}
		fmt.Println(x)
	}
}`},
	{name: "nested range-over-func loops", src: `func main() {
outer:
	for i := range count(3) {
		for _, w := range enumerate("a", "b", "c") {
			if w == "b" && i == 0 {
				continue outer
			}
			if w == "c" && i == 1 {
				break outer
			}
			fmt.Println(i, w)
		}
	}
	fmt.Println("end")
}`},
	{name: "return with values", src: `func find(words []string, want string) (int, bool) {
	for i, w := range enumerate(words...) {
		if w == want {
			return i, true
		}
	}
	return -1, false
}

func main() {
	fmt.Println(find([]string{"a", "b", "c"}, "b"))
	fmt.Println(find([]string{"a"}, "z"))
}`},
	{name: "return from nested loops", src: `func firstPair(n int) (a, b int, err error) {
	for i := range count(n) {
		for j := range count(n) {
			if i+j == 3 && i != j {
				return i, j, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("none below %d", n)
}

func main() {
	fmt.Println(firstPair(5))
	fmt.Println(firstPair(2))
}`},
	{name: "bare return of named results", src: `func sum(limit int) (total int) {
	defer func() { total *= 10 }()
	for x := range count(100) {
		total += x
		if total > limit {
			return
		}
	}
	return total
}

func main() {
	fmt.Println(sum(5), sum(10000))
}`},
	{name: "return in a function literal", src: `func main() {
	f := func() string {
		for x := range count(5) {
			if x == 3 {
				return fmt.Sprint("three at ", x)
			}
		}
		return "none"
	}
	fmt.Println(f())
}`},
	{name: "goto out of the body", src: `func main() {
	for x := range count(5) {
		if x == 2 {
			goto done
		}
		fmt.Println(x)
	}
	fmt.Println("not here")
done:
	fmt.Println("done")
}`},
	{name: "goto inside the body", src: `func main() {
	for x := range count(3) {
		if x == 1 {
			goto skip
		}
		fmt.Println("x", x)
	skip:
	}
}`},
	{name: "defer runs at the function's end in order", src: `func run() {
	defer fmt.Println("deferred before the loop")
	for x := range count(3) {
		defer fmt.Println("deferred in the body", x)
		fmt.Println("body", x)
	}
	defer fmt.Println("deferred after the loop")
	fmt.Println("end of run")
}

func main() {
	run()
	fmt.Println("after run")
}`},
	{name: "deferred arguments are evaluated at the defer", src: `type counter struct{ n int }

func (c *counter) show() { fmt.Println("counter", c.n) }

func (c counter) value() { fmt.Println("value", c.n) }

func run() {
	c := &counter{}
	msg := "first"
	for x := range count(2) {
		defer fmt.Println(msg, x, c.n)
		defer c.value()
		defer c.show()
		defer func() { fmt.Println("closure sees", msg) }()
		defer func(m string) { fmt.Println("param", m) }(msg)
		msg = "second"
		c.n++
	}
	c.n = 100
}

func main() {
	run()
}`},
	{name: "defers of nested loops", src: `func run() {
	for i := range count(2) {
		defer fmt.Println("outer", i)
		for j := range count(2) {
			defer fmt.Println("inner", i, j)
		}
	}
}

func main() {
	run()
}`},
	{name: "recover in a deferred call of the body", src: `func run() (result string) {
	defer fmt.Println("deferred before the loop")
	for x := range count(3) {
		defer func() {
			if r := recover(); r != nil {
				result = fmt.Sprint("recovered ", r, " at ", x)
			}
		}()
		if x == 1 {
			panic("p")
		}
	}
	return "no panic"
}

func quiet() string {
	for range count(1) {
		defer func() { fmt.Println("recover without a panic:", recover()) }()
	}
	return "quiet"
}

func main() {
	fmt.Println(run())
	fmt.Println(quiet())
}`},
	{name: "recover in a deferred call of a nested loop", src: `func run() {
	defer func() { fmt.Println("outer recover:", recover()) }()
	for i := range count(2) {
		for j := range count(2) {
			defer func() { fmt.Println("inner recover at", i, j, recover()) }()
			if i == 1 && j == 1 {
				panic("deep")
			}
		}
	}
}

func unrecovered() {
	defer func() { fmt.Println("function recover:", recover()) }()
	for x := range count(2) {
		defer func() { fmt.Println("body defer", x) }()
		if x == 1 {
			panic("passes through")
		}
	}
}

func main() {
	run()
	unrecovered()
}`},
	{name: "builtins deferred", src: `func run(ch chan int, m map[string]int) {
	for x := range count(2) {
		defer close(ch)
		defer delete(m, "a")
		_ = x
		break
	}
	fmt.Println(len(m))
}

func main() {
	ch := make(chan int)
	m := map[string]int{"a": 1, "b": 2}
	run(ch, m)
	_, ok := <-ch
	fmt.Println(len(m), ok)
}`},
	{name: "fresh variables per iteration", src: `func main() {
	var fs []func()
	for x := range count(3) {
		fs = append(fs, func() { fmt.Println(x) })
	}
	for _, f := range fs {
		f()
	}
}`},
	{name: "loop in a generic function", src: `func collect[T any](seq func(func(T) bool)) []T {
	var out []T
	for v := range seq {
		out = append(out, v)
	}
	return out
}

func main() {
	fmt.Println(collect(count(4)))
}`},
	{name: "iterator adapters", src: `func filter(seq func(func(int) bool), keep func(int) bool) func(func(int) bool) {
	return func(yield func(int) bool) {
		for v := range seq {
			if keep(v) && !yield(v) {
				return
			}
		}
	}
}

func main() {
	even := func(v int) bool { return v%2 == 0 }
	for v := range filter(count(10), even) {
		if v > 6 {
			break
		}
		fmt.Println(v)
	}
}`},
	{name: "panic in the body", src: `func main() {
	defer func() { fmt.Println("recovered:", recover()) }()
	for x := range count(3) {
		if x == 1 {
			panic("body panics")
		}
		fmt.Println(x)
	}
}`},
	{name: "yield after false", src: `func bad(yield func(int) bool) {
	yield(1)
	yield(2)
}

func main() {
	for x := range bad {
		fmt.Println(x)
		break
	}
	fmt.Println("not reached")
}`},
	{name: "yield after the loop", src: `var saved func(int) bool

func keep(yield func(int) bool) {
	saved = yield
	yield(1)
}

func main() {
	for x := range keep {
		fmt.Println(x)
	}
	fmt.Println("loop over")
	saved(2)
}`},
	{name: "yield after a body panic", src: `func swallow(yield func(int) bool) {
	defer func() {
		recover()
		yield(2)
	}()
	yield(1)
}

func main() {
	for x := range swallow {
		fmt.Println(x)
		panic("body")
	}
}`},
	{name: "swallowed body panic", src: `func swallow(yield func(int) bool) {
	defer func() { recover() }()
	yield(1)
}

func main() {
	for x := range swallow {
		fmt.Println(x)
		panic("body")
	}
	fmt.Println("not reached")
}`},
}

// knownDifferences are programs that the interpreter runs differently from
// go run even after the rewrite, each with why. The test fails when a
// difference disappears, so that the entry goes with its cause.
var knownDifferences = []struct {
	name    string
	why     string
	imports string
	src     string
}{
	{name: "a panicking deferred call does not skip the others",
		why: "the interpreter runs no more deferred calls of a function after one of them panics, with or without the rewrite",
		src: `func run() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	for x := range count(3) {
		defer fmt.Println("deferred", x)
		if x == 1 {
			defer func() { panic("boom in defer") }()
		}
	}
	return nil
}

func main() {
	fmt.Println(run())
}`},
}

func TestKnownDifferences(t *testing.T) {
	for _, c := range knownDifferences {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			t.Parallel()
			src := "package main\n\nimport \"fmt\"\n" + c.imports + "\n" + prelude + "\n" + c.src + "\n"
			want := goRun(t, src)
			rewritten, _ := rewriteSource(t, src)
			if got := interpret(t, rewritten); got == want {
				t.Errorf("the interpreter now runs it as go run does (%s): move it to the corpus", c.why)
			}
		})
	}
}

func TestCorpus(t *testing.T) {
	for _, c := range corpus {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			t.Parallel()
			src := "package main\n\nimport \"fmt\"\n" + c.imports + "\n" + prelude + "\n" + c.src + "\n"
			want := goRun(t, src)
			rewritten, n := rewriteSource(t, src)
			if n == 0 {
				t.Fatalf("no loop rewritten")
			}
			got := interpret(t, rewritten)
			if got != want {
				t.Errorf("interpreted after the rewrite:\n%s\ngo run:\n%s\nrewritten:\n%s", got, want, numbered(rewritten))
			}
		})
	}
}
