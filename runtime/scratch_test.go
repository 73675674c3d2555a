package lanes

import (
	"fmt"
	"os"
	"testing"
)

func TestScratch(t *testing.T) {
	c, err := TraceProcs(twoWorkers, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/sched.png", c.Timeline.PNG(), 0o644)
	fmt.Print(c.Text())
	st, _ := Trace(twoWorkers)
	fmt.Print(st.String())
}
