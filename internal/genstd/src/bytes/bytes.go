// Package bytes holds the iterator functions of the standard library's
// bytes package for Lanes cells: Lines, SplitSeq, SplitAfterSeq, FieldsSeq
// and FieldsFuncSeq. They yield the same values, in the same order, as
// the compiled ones; written in Go they are interpreted values, so the
// interpreter can infer type arguments from them (slices.Collect of a
// compiled iterator does not compile in a cell). The other members are the
// compiled ones.
package bytes

import (
	"bytes"
	"iter"
)

// Lines returns an iterator over the newline-terminated lines of s; the
// last line may lack its newline. An empty s yields nothing.
func Lines(s []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for len(s) > 0 {
			n := bytes.IndexByte(s, '\n') + 1
			if n == 0 {
				n = len(s)
			}
			if !yield(s[:n:n]) {
				return
			}
			s = s[n:]
		}
	}
}

// seq yields the elements of parts in order.
func seq(parts [][]byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for _, p := range parts {
			if !yield(p) {
				return
			}
		}
	}
}

// SplitSeq returns an iterator over the substrings of s between the
// occurrences of sep, as Split returns them.
func SplitSeq(s, sep []byte) iter.Seq[[]byte] {
	return seq(bytes.Split(s, sep))
}

// SplitAfterSeq returns an iterator over the substrings of s after each
// occurrence of sep, as SplitAfter returns them.
func SplitAfterSeq(s, sep []byte) iter.Seq[[]byte] {
	return seq(bytes.SplitAfter(s, sep))
}

// FieldsSeq returns an iterator over the fields of s, the runs of
// characters between white space, as Fields returns them.
func FieldsSeq(s []byte) iter.Seq[[]byte] {
	return seq(bytes.Fields(s))
}

// FieldsFuncSeq returns an iterator over the runs of characters of s for
// which f is false, as FieldsFunc returns them.
func FieldsFuncSeq(s []byte, f func(rune) bool) iter.Seq[[]byte] {
	return seq(bytes.FieldsFunc(s, f))
}
