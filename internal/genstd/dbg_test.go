package genstd

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"

	"github.com/lanes-dev/lanes/engine/symbols"
)

func TestDbg(t *testing.T) {
	var out bytes.Buffer
	ip := interp.New(interp.Options{Stdout: &out, Stderr: &out, Unrestricted: true})
	ip.Use(symbols.Load())
	ip.ImportUsed()
	if os.Getenv("EAGER") != "" {
		Load(ip)
	}
	src, _ := os.ReadFile(os.Getenv("PROBE"))
	for _, chunk := range strings.Split(string(src), "\n---\n") {
		s, err := Prepare(ip, chunk, StdPackage)
		if err != nil {
			t.Log("prepare:", err)
		}
		v, err := func() (v any, err error) {
			defer func() {
				if r := recover(); r != nil {
					err = r.(error)
				}
			}()
			return ip.Eval(s)
		}()
		t.Log(v, err)
	}
	t.Log(out.String())
}
