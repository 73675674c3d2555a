package randn

import (
	"testing"
	"time"
)

func TestSet(t *testing.T) {
	for range 100 {
		var d time.Duration
		Set(&d, 3*time.Second)
		var u uint8
		Set(&u, uint8(2))
		var i int
		Set(&i, 1)
		if d < 0 || d >= 3*time.Second || u >= 2 || i != 0 {
			t.Fatalf("Set gave %v, %d, %d", d, u, i)
		}
	}
}
