package cellstop

import (
	"sync"
	"testing"
)

func TestBeginStop(t *testing.T) {
	if Stopped(Done()) {
		t.Fatal("stopped before any cell")
	}
	stop := Begin()
	done := Done()
	if Stopped(done) {
		t.Fatal("stopped as the cell begins")
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); stop() }()
	}
	wg.Wait()
	if !Stopped(done) {
		t.Fatal("not stopped after stop")
	}
	next := Begin()
	defer next()
	if Stopped(Done()) {
		t.Error("the next cell starts stopped")
	}
	if !Stopped(done) {
		t.Error("the earlier cell's channel reopened")
	}
}
