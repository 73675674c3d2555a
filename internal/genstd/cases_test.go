package genstd

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
)

// A callCase runs src, the body of a func returning a string, in a cell
// and wants what want, the same Go compiled, returns. names are the
// members it calls, as "path.Name".
type callCase struct {
	names []string
	src   string
	want  func() string
}

// notSpace is what the FieldsFuncSeq cases split on.
func notSpace(r rune) bool { return unicode.IsSpace(r) || r == ',' }

// collect returns the values of seq in order, for the native side.
func collect[E any](seq iter.Seq[E]) []E { return slices.Collect(seq) }

var callCases = []callCase{
	// cmp
	{[]string{"cmp.Compare", "cmp.Ordered"}, `
		nan := math.NaN()
		return fmt.Sprint(cmp.Compare(1, 2), cmp.Compare("b", "a"), cmp.Compare(2.0, 2.0), cmp.Compare(nan, 1.0), cmp.Compare(nan, nan), cmp.Compare(1.0, nan))`,
		func() string {
			nan := math.NaN()
			return fmt.Sprint(cmp.Compare(1, 2), cmp.Compare("b", "a"), cmp.Compare(2.0, 2.0), cmp.Compare(nan, 1.0), cmp.Compare(nan, nan), cmp.Compare(1.0, nan))
		}},
	{[]string{"cmp.Less"}, `
		nan := math.NaN()
		return fmt.Sprint(cmp.Less(1, 2), cmp.Less("b", "a"), cmp.Less(nan, 1.0), cmp.Less(1.0, nan), cmp.Less(nan, nan))`,
		func() string {
			nan := math.NaN()
			return fmt.Sprint(cmp.Less(1, 2), cmp.Less("b", "a"), cmp.Less(nan, 1.0), cmp.Less(1.0, nan), cmp.Less(nan, nan))
		}},
	{[]string{"cmp.Or"}, `
		return fmt.Sprint(cmp.Or[string]("", "x", "y"), cmp.Or[int](0, 0), cmp.Or[int](3))`,
		func() string { return fmt.Sprint(cmp.Or("", "x", "y"), cmp.Or(0, 0), cmp.Or(3)) }},
	// iter
	{[]string{"iter.Pull", "iter.Seq"}, `
		var typed iter.Seq[int] = slices.Values([]int{4})
		n := 0
		typed(func(v int) bool { n += v; return true })
		next, stop := iter.Pull(slices.Values([]int{1, 2, 3}))
		a, ok1 := next()
		b, ok2 := next()
		stop()
		c, ok3 := next()
		return fmt.Sprint(n, a, ok1, b, ok2, c, ok3)`,
		func() string {
			var typed iter.Seq[int] = slices.Values([]int{4})
			n := 0
			typed(func(v int) bool { n += v; return true })
			next, stop := iter.Pull(slices.Values([]int{1, 2, 3}))
			a, ok1 := next()
			b, ok2 := next()
			stop()
			c, ok3 := next()
			return fmt.Sprint(n, a, ok1, b, ok2, c, ok3)
		}},
	{[]string{"iter.Pull2", "iter.Seq2"}, `
		var typed iter.Seq2[int, string] = slices.All([]string{"z"})
		typed(func(int, string) bool { return true })
		next, stop := iter.Pull2(slices.All([]string{"a", "b"}))
		defer stop()
		i, v, ok := next()
		j, w, ok2 := next()
		k, x, ok3 := next()
		return fmt.Sprint(i, v, ok, j, w, ok2, k, x == "", ok3)`,
		func() string {
			var typed iter.Seq2[int, string] = slices.All([]string{"z"})
			typed(func(int, string) bool { return true })
			next, stop := iter.Pull2(slices.All([]string{"a", "b"}))
			defer stop()
			i, v, ok := next()
			j, w, ok2 := next()
			k, x, ok3 := next()
			return fmt.Sprint(i, v, ok, j, w, ok2, k, x == "", ok3)
		}},
	// maps
	{[]string{"maps.All", "maps.Collect"}, `
		return fmt.Sprint(maps.Collect(maps.All(map[string]int{"a": 1, "b": 2})))`,
		func() string { return fmt.Sprint(maps.Collect(maps.All(map[string]int{"a": 1, "b": 2}))) }},
	{[]string{"maps.Keys", "maps.Values", "slices.Sorted"}, `
		m := map[string]int{"b": 2, "a": 1, "c": 3}
		return fmt.Sprint(slices.Sorted(maps.Keys(m)), slices.Sorted(maps.Values(m)))`,
		func() string {
			m := map[string]int{"b": 2, "a": 1, "c": 3}
			return fmt.Sprint(slices.Sorted(maps.Keys(m)), slices.Sorted(maps.Values(m)))
		}},
	{[]string{"maps.Clone", "maps.Copy", "maps.Equal"}, `
		m := map[string]int{"a": 1}
		c := maps.Clone(m)
		c["b"] = 2
		var n map[string]int
		maps.Copy(m, map[string]int{"z": 26})
		return fmt.Sprint(m, c, maps.Clone(n) == nil, maps.Equal(m, c), maps.Equal(c, map[string]int{"b": 2, "a": 1}))`,
		func() string {
			m := map[string]int{"a": 1}
			c := maps.Clone(m)
			c["b"] = 2
			var n map[string]int
			maps.Copy(m, map[string]int{"z": 26})
			return fmt.Sprint(m, c, maps.Clone(n) == nil, maps.Equal(m, c), maps.Equal(c, map[string]int{"b": 2, "a": 1}))
		}},
	{[]string{"maps.DeleteFunc", "maps.EqualFunc", "maps.Insert"}, `
		m := map[string]int{"a": 1, "b": 2, "c": 3}
		maps.DeleteFunc(m, func(k string, v int) bool { return v%2 == 1 })
		maps.Insert(m, maps.All(map[string]int{"d": 4}))
		eq := maps.EqualFunc(m, map[string]string{"b": "2", "d": "4"}, func(v int, s string) bool { return fmt.Sprint(v) == s })
		return fmt.Sprint(m, eq)`,
		func() string {
			m := map[string]int{"a": 1, "b": 2, "c": 3}
			maps.DeleteFunc(m, func(k string, v int) bool { return v%2 == 1 })
			maps.Insert(m, maps.All(map[string]int{"d": 4}))
			eq := maps.EqualFunc(m, map[string]string{"b": "2", "d": "4"}, func(v int, s string) bool { return fmt.Sprint(v) == s })
			return fmt.Sprint(m, eq)
		}},
	// slices
	{[]string{"slices.All", "slices.Backward", "slices.Values", "slices.Collect", "slices.AppendSeq"}, `
		s := []string{"a", "b", "c"}
		var out []string
		slices.All(s)(func(i int, v string) bool { out = append(out, fmt.Sprint(i, v)); return i < 1 })
		slices.Backward(s)(func(i int, v string) bool { out = append(out, fmt.Sprint(i, v)); return true })
		return fmt.Sprint(out, slices.Collect(slices.Values(s)), slices.AppendSeq([]string{"z"}, slices.Values(s)), slices.Collect(slices.Values([]int{})) == nil)`,
		func() string {
			s := []string{"a", "b", "c"}
			var out []string
			slices.All(s)(func(i int, v string) bool { out = append(out, fmt.Sprint(i, v)); return i < 1 })
			slices.Backward(s)(func(i int, v string) bool { out = append(out, fmt.Sprint(i, v)); return true })
			return fmt.Sprint(out, slices.Collect(slices.Values(s)), slices.AppendSeq([]string{"z"}, slices.Values(s)), slices.Collect(slices.Values([]int{})) == nil)
		}},
	{[]string{"slices.BinarySearch", "slices.BinarySearchFunc"}, `
		s := []int{1, 3, 5, 7}
		i, ok := slices.BinarySearch(s, 5)
		j, ok2 := slices.BinarySearch(s, 4)
		k, ok3 := slices.BinarySearchFunc(s, "7", func(e int, t string) int { return cmp.Compare(fmt.Sprint(e), t) })
		return fmt.Sprint(i, ok, j, ok2, k, ok3)`,
		func() string {
			s := []int{1, 3, 5, 7}
			i, ok := slices.BinarySearch(s, 5)
			j, ok2 := slices.BinarySearch(s, 4)
			k, ok3 := slices.BinarySearchFunc(s, "7", func(e int, t string) int { return cmp.Compare(fmt.Sprint(e), t) })
			return fmt.Sprint(i, ok, j, ok2, k, ok3)
		}},
	{[]string{"slices.Chunk"}, `
		var out [][]int
		slices.Chunk([]int{1, 2, 3, 4, 5}, 2)(func(c []int) bool { out = append(out, c); return true })
		return fmt.Sprint(out, cap(out[2]))`,
		func() string {
			var out [][]int
			slices.Chunk([]int{1, 2, 3, 4, 5}, 2)(func(c []int) bool { out = append(out, c); return true })
			return fmt.Sprint(out, cap(out[2]))
		}},
	{[]string{"slices.Clip", "slices.Clone", "slices.Grow"}, `
		s := make([]int, 2, 10)
		c := slices.Clone(s)
		var n []int
		g := slices.Grow(s, 20)
		return fmt.Sprint(cap(slices.Clip(s)), c, slices.Clone(n) == nil, len(g), cap(g) >= 22)`,
		func() string {
			s := make([]int, 2, 10)
			c := slices.Clone(s)
			var n []int
			g := slices.Grow(s, 20)
			return fmt.Sprint(cap(slices.Clip(s)), c, slices.Clone(n) == nil, len(g), cap(g) >= 22)
		}},
	{[]string{"slices.Compact", "slices.CompactFunc"}, `
		s := []int{1, 1, 2, 2, 2, 3, 1}
		c := slices.Compact(s)
		t := []string{"a", "A", "b", "B"}
		d := slices.CompactFunc(t, strings.EqualFold)
		return fmt.Sprint(c, s, d, t)`,
		func() string {
			s := []int{1, 1, 2, 2, 2, 3, 1}
			c := slices.Compact(s)
			t := []string{"a", "A", "b", "B"}
			d := slices.CompactFunc(t, strings.EqualFold)
			return fmt.Sprint(c, s, d, t)
		}},
	{[]string{"slices.Compare", "slices.CompareFunc"}, `
		return fmt.Sprint(slices.Compare([]int{1, 2}, []int{1, 3}), slices.Compare([]int{1, 2}, []int{1}), slices.Compare([]string{}, []string{}),
			slices.CompareFunc([]int{1, 2}, []string{"1", "2"}, func(a int, b string) int { return cmp.Compare(fmt.Sprint(a), b) }))`,
		func() string {
			return fmt.Sprint(slices.Compare([]int{1, 2}, []int{1, 3}), slices.Compare([]int{1, 2}, []int{1}), slices.Compare([]string{}, []string{}),
				slices.CompareFunc([]int{1, 2}, []string{"1", "2"}, func(a int, b string) int { return cmp.Compare(fmt.Sprint(a), b) }))
		}},
	{[]string{"slices.Concat", "slices.Repeat"}, `
		return fmt.Sprint(slices.Concat[int]([]int{1}, nil, []int{2, 3}), slices.Concat[int]() == nil, slices.Repeat([]int{1, 2}, 3), len(slices.Repeat([]int{1}, 0)))`,
		func() string {
			return fmt.Sprint(slices.Concat([]int{1}, nil, []int{2, 3}), slices.Concat[[]int]() == nil, slices.Repeat([]int{1, 2}, 3), len(slices.Repeat([]int{1}, 0)))
		}},
	{[]string{"slices.Contains", "slices.ContainsFunc", "slices.Index", "slices.IndexFunc"}, `
		s := []string{"a", "b", "c"}
		up := func(v string) bool { return v == "C" || v == "c" }
		return fmt.Sprint(slices.Contains(s, "b"), slices.Contains(s, "z"), slices.ContainsFunc(s, up), slices.Index(s, "c"), slices.Index(s, "z"), slices.IndexFunc(s, up))`,
		func() string {
			s := []string{"a", "b", "c"}
			up := func(v string) bool { return v == "C" || v == "c" }
			return fmt.Sprint(slices.Contains(s, "b"), slices.Contains(s, "z"), slices.ContainsFunc(s, up), slices.Index(s, "c"), slices.Index(s, "z"), slices.IndexFunc(s, up))
		}},
	{[]string{"slices.Delete", "slices.DeleteFunc"}, `
		s := []int{0, 1, 2, 3, 4}
		d := slices.Delete(s, 1, 3)
		t := []int{1, 2, 3, 4}
		e := slices.DeleteFunc(t, func(v int) bool { return v%2 == 0 })
		return fmt.Sprint(d, s, e, t)`,
		func() string {
			s := []int{0, 1, 2, 3, 4}
			d := slices.Delete(s, 1, 3)
			t := []int{1, 2, 3, 4}
			e := slices.DeleteFunc(t, func(v int) bool { return v%2 == 0 })
			return fmt.Sprint(d, s, e, t)
		}},
	{[]string{"slices.Equal", "slices.EqualFunc"}, `
		nan := math.NaN()
		var n []int
		return fmt.Sprint(slices.Equal([]int{1}, []int{1}), slices.Equal(n, []int{}), slices.Equal([]float64{nan}, []float64{nan}),
			slices.EqualFunc([]int{1}, []string{"1"}, func(a int, b string) bool { return fmt.Sprint(a) == b }))`,
		func() string {
			nan := math.NaN()
			var n []int
			return fmt.Sprint(slices.Equal([]int{1}, []int{1}), slices.Equal(n, []int{}), slices.Equal([]float64{nan}, []float64{nan}),
				slices.EqualFunc([]int{1}, []string{"1"}, func(a int, b string) bool { return fmt.Sprint(a) == b }))
		}},
	{[]string{"slices.Insert", "slices.Replace"}, `
		s := []int{1, 4}
		a := slices.Insert(s, 1, 2, 3)
		b := slices.Insert(s, 2, 5)
		r := []int{0, 1, 2, 3, 4}
		c := slices.Replace(r, 1, 4, 9)
		return fmt.Sprint(a, b, c, r)`,
		func() string {
			s := []int{1, 4}
			a := slices.Insert(s, 1, 2, 3)
			b := slices.Insert(s, 2, 5)
			r := []int{0, 1, 2, 3, 4}
			c := slices.Replace(r, 1, 4, 9)
			return fmt.Sprint(a, b, c, r)
		}},
	{[]string{"slices.IsSorted", "slices.IsSortedFunc", "slices.Sort", "slices.SortFunc", "slices.SortStableFunc"}, `
		s := []float64{3, math.NaN(), 1, 2}
		slices.Sort(s)
		w := []string{"bb", "a", "cc", "d"}
		slices.SortStableFunc(w, func(a, b string) int { return cmp.Compare(len(a), len(b)) })
		x := []int{5, 2, 8}
		slices.SortFunc(x, func(a, b int) int { return b - a })
		return fmt.Sprint(s, w, x, slices.IsSorted([]int{1, 2, 2}), slices.IsSorted([]int{2, 1}), slices.IsSortedFunc(x, func(a, b int) int { return b - a }))`,
		func() string {
			s := []float64{3, math.NaN(), 1, 2}
			slices.Sort(s)
			w := []string{"bb", "a", "cc", "d"}
			slices.SortStableFunc(w, func(a, b string) int { return cmp.Compare(len(a), len(b)) })
			x := []int{5, 2, 8}
			slices.SortFunc(x, func(a, b int) int { return b - a })
			return fmt.Sprint(s, w, x, slices.IsSorted([]int{1, 2, 2}), slices.IsSorted([]int{2, 1}), slices.IsSortedFunc(x, func(a, b int) int { return b - a }))
		}},
	{[]string{"slices.Max", "slices.MaxFunc", "slices.Min", "slices.MinFunc"}, `
		byLen := func(a, b string) int { return cmp.Compare(len(a), len(b)) }
		w := []string{"bb", "a", "cc", "d"}
		return fmt.Sprint(slices.Max([]int{3, 9, 2}), slices.Min([]int{3, 9, 2}), slices.Max([]float64{1, math.NaN()}), slices.MaxFunc(w, byLen), slices.MinFunc(w, byLen))`,
		func() string {
			byLen := func(a, b string) int { return cmp.Compare(len(a), len(b)) }
			w := []string{"bb", "a", "cc", "d"}
			return fmt.Sprint(slices.Max([]int{3, 9, 2}), slices.Min([]int{3, 9, 2}), slices.Max([]float64{1, math.NaN()}), slices.MaxFunc(w, byLen), slices.MinFunc(w, byLen))
		}},
	{[]string{"slices.Reverse", "slices.SortedFunc", "slices.SortedStableFunc"}, `
		s := []int{1, 2, 3}
		slices.Reverse(s)
		w := []string{"bb", "a", "cc", "d"}
		byLen := func(a, b string) int { return cmp.Compare(len(a), len(b)) }
		return fmt.Sprint(s, slices.SortedFunc(slices.Values(s), func(a, b int) int { return a - b }), slices.SortedStableFunc(slices.Values(w), byLen))`,
		func() string {
			s := []int{1, 2, 3}
			slices.Reverse(s)
			w := []string{"bb", "a", "cc", "d"}
			byLen := func(a, b string) int { return cmp.Compare(len(a), len(b)) }
			return fmt.Sprint(s, slices.SortedFunc(slices.Values(s), func(a, b int) int { return a - b }), slices.SortedStableFunc(slices.Values(w), byLen))
		}},
	// errors
	{[]string{"errors.AsType"}, `
		err := fmt.Errorf("reading: %w", errors.Join(errors.New("x"), &fs.PathError{Op: "open", Path: "/nope", Err: fs.ErrNotExist}))
		pe, ok := errors.AsType[*fs.PathError](err)
		_, ok2 := errors.AsType[*fs.PathError](errors.New("plain"))
		return fmt.Sprint(pe.Path, ok, ok2)`,
		func() string {
			err := fmt.Errorf("reading: %w", errors.Join(errors.New("x"), &fs.PathError{Op: "open", Path: "/nope", Err: fs.ErrNotExist}))
			pe, ok := errors.AsType[*fs.PathError](err)
			_, ok2 := errors.AsType[*fs.PathError](errors.New("plain"))
			return fmt.Sprint(pe.Path, ok, ok2)
		}},
	// sync
	{[]string{"sync.OnceValue", "sync.OnceValues"}, `
		calls := 0
		get := sync.OnceValue(func() int { calls++; return 7 })
		both := sync.OnceValues(func() (string, error) { calls++; return "v", nil })
		a, b := get(), get()
		s, err := both()
		s2, _ := both()
		return fmt.Sprint(a, b, s, err, s2, calls)`,
		func() string {
			calls := 0
			get := sync.OnceValue(func() int { calls++; return 7 })
			both := sync.OnceValues(func() (string, error) { calls++; return "v", nil })
			a, b := get(), get()
			s, err := both()
			s2, _ := both()
			return fmt.Sprint(a, b, s, err, s2, calls)
		}},
	{[]string{"sync.OnceValue"}, `
		calls := 0
		get := sync.OnceValue(func() int { calls++; panic("boom") })
		try := func() (r any) { defer func() { r = recover() }(); get(); return nil }
		return fmt.Sprintf("%v|%v|%v", try(), try(), calls) // a recovered value is no string in the interpreter`,
		func() string {
			calls := 0
			get := sync.OnceValue(func() int { calls++; panic("boom") })
			try := func() (r any) { defer func() { r = recover() }(); get(); return nil }
			return fmt.Sprintf("%v|%v|%v", try(), try(), calls) // a recovered value is no string in the interpreter
		}},
	// sync/atomic
	{[]string{"sync/atomic.Pointer"}, `
		var p atomic.Pointer[string]
		a, b := "a", "b"
		n := p.Load() == nil
		p.Store(&a)
		old := p.Swap(&b)
		ok := p.CompareAndSwap(&a, &a)
		ok2 := p.CompareAndSwap(&b, &a)
		return fmt.Sprint(n, *old, ok, ok2, *p.Load())`,
		func() string {
			var p atomic.Pointer[string]
			a, b := "a", "b"
			n := p.Load() == nil
			p.Store(&a)
			old := p.Swap(&b)
			ok := p.CompareAndSwap(&a, &a)
			ok2 := p.CompareAndSwap(&b, &a)
			return fmt.Sprint(n, *old, ok, ok2, *p.Load())
		}},
	// math/rand/v2
	{[]string{"math/rand/v2.N"}, `
		ok := true
		for i := 0; i < 200; i++ {
			if n := rand.N(10); n < 0 || n >= 10 { ok = false }
			if d := rand.N(3 * time.Second); d < 0 || d >= 3*time.Second { ok = false }
			if u := rand.N(uint8(2)); u >= 2 { ok = false }
		}
		try := func() (r any) { defer func() { r = recover() }(); rand.N(0); return nil }
		return fmt.Sprintf("%v|%v", ok, try())`,
		func() string {
			ok := true
			for i := 0; i < 200; i++ {
				if n := rand.N(10); n < 0 || n >= 10 {
					ok = false
				}
				if d := rand.N(3 * time.Second); d < 0 || d >= 3*time.Second {
					ok = false
				}
				if u := rand.N(uint8(2)); u >= 2 {
					ok = false
				}
			}
			try := func() (r any) { defer func() { r = recover() }(); rand.N(0); return nil }
			return fmt.Sprintf("%v|%v", ok, try())
		}},
}

// iterCase builds the case of one strings or bytes iterator function.
func textCases() []callCase {
	const text = "one two\n three,four\n\nfive"
	var list []callCase
	for _, p := range []string{"strings", "bytes"} {
		conv, back := `s := `+"`"+text+"`", "v"
		if p == "bytes" {
			conv, back = `s := []byte(`+"`"+text+"`)", "string(v)"
		}
		src := func(call string) string {
			return conv + `
		var out []string
		` + p + `.` + call + `(func(v ` + map[string]string{"strings": "string", "bytes": "[]byte"}[p] + `) bool { out = append(out, ` + back + `); return len(out) < 9 })
		return fmt.Sprintf("%q", out)`
		}
		sep := `"` + "," + `"`
		if p == "bytes" {
			sep = `[]byte(",")`
		}
		for _, c := range []struct {
			name, call string
			native     func() []string
		}{
			{"Lines", "Lines(s)", func() []string { return collect(strings.Lines(text)) }},
			{"SplitSeq", "SplitSeq(s, " + sep + ")", func() []string { return collect(strings.SplitSeq(text, ",")) }},
			{"SplitAfterSeq", "SplitAfterSeq(s, " + sep + ")", func() []string { return collect(strings.SplitAfterSeq(text, ",")) }},
			{"FieldsSeq", "FieldsSeq(s)", func() []string { return collect(strings.FieldsSeq(text)) }},
			{"FieldsFuncSeq", "FieldsFuncSeq(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })", func() []string { return collect(strings.FieldsFuncSeq(text, notSpace)) }},
		} {
			native := c.native
			if p == "bytes" {
				native = bytesNative(c.name, text)
			}
			list = append(list, callCase{[]string{p + "." + c.name}, src(c.call), func() string { return fmt.Sprintf("%q", native()) }})
		}
	}
	return list
}

// bytesNative returns the compiled bytes iterator's values as strings.
func bytesNative(name, text string) func() []string {
	return func() []string {
		b := []byte(text)
		var seq iter.Seq[[]byte]
		switch name {
		case "Lines":
			seq = bytes.Lines(b)
		case "SplitSeq":
			seq = bytes.SplitSeq(b, []byte(","))
		case "SplitAfterSeq":
			seq = bytes.SplitAfterSeq(b, []byte(","))
		case "FieldsSeq":
			seq = bytes.FieldsSeq(b)
		case "FieldsFuncSeq":
			seq = bytes.FieldsFuncSeq(b, notSpace)
		}
		var out []string
		seq(func(v []byte) bool { out = append(out, string(v)); return true })
		return out
	}
}

var _ = os.Getenv // the cases may use os in later additions
