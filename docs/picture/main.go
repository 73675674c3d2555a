// Command picture draws the README's picture, docs/timeline.png, with the
// runtime's own PNG renderer:
//
//	go run ./docs/picture docs/timeline.png
package main

import (
	"fmt"
	"os"

	lanes "github.com/lanes-dev/lanes/runtime"
)

func main() {
	var w lanes.Workload
	for i := 1; i <= 8; i++ {
		w = append(w, lanes.NewTask(fmt.Sprintf("P%d", i), lanes.Wait(4*lanes.Unit), lanes.Compute(3*lanes.Unit)))
	}
	m := lanes.Machine{Cores: 2}
	seq := lanes.Sequential().Simulate(w, m)
	ev := lanes.EventLoop().Simulate(w, m)
	pool := lanes.Pool(2).Simulate(w, m)
	tl := lanes.Timelines(seq, ev, pool)
	tl.Title = "8 pixels: load (wait) then render (compute), on 2 cores"
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: picture FILE.png")
		os.Exit(2)
	}
	if err := os.WriteFile(os.Args[1], tl.PNG(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "picture:", err)
		os.Exit(1)
	}
}
