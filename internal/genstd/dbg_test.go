package genstd

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestDbg(t *testing.T) {
	var out bytes.Buffer
	ip := newInterp(t, &out)
	src, _ := os.ReadFile(os.Getenv("PROBE"))
	for _, chunk := range strings.Split(string(src), "\n---\n") {
		if os.Getenv("RAW") != "" {
			v, err := ip.Eval(Rewrite(chunk, StdPackage))
			t.Log(v, err)
			continue
		}
		v, err := eval(ip, chunk)
		t.Log(v, err)
	}
	t.Log(out.String())
}
