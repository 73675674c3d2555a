package cellstop

import (
	"sync"
	"testing"
	"time"
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

func TestSleepReturnsWhenStopped(t *testing.T) {
	stop := Begin()
	defer stop()
	returned := make(chan struct{})
	go func() {
		Sleep(time.Hour)
		close(returned)
	}()
	stop()
	select {
	case <-returned:
	case <-time.After(time.Minute):
		t.Fatal("Sleep(time.Hour) did not return when its cell was stopped")
	}
}

func TestSleepSleeps(t *testing.T) {
	defer Begin()()
	start := time.Now()
	Sleep(20 * time.Millisecond)
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("Sleep(20ms) returned after %v", d)
	}
}
