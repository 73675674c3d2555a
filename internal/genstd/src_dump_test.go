package genstd

import (
	"os"
	"testing"
)

func TestDump(t *testing.T) {
	s, err := Source(os.Getenv("PKG"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/dump.go", []byte(s), 0o644)
}
