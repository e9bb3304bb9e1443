package main

import (
	"os/exec"
	"testing"
	"time"
)

// The loader's peak memory is the loader's: a bench that holds a large
// release itself must not see it in its child's figure (it did when the
// peak came from wait's rusage, which counts the memory the child shared
// with its parent until exec).
func TestRunWatchedMeasuresTheChildAlone(t *testing.T) {
	ballast := make([]byte, 256<<20)
	for i := range ballast {
		ballast[i] = 1
	}
	peak, stopped, err := runWatched(exec.Command("sleep", "0.5"), 0)
	if err != nil || stopped {
		t.Fatalf("runWatched: stopped %v, %v", stopped, err)
	}
	if peak <= 0 || peak > 64 {
		t.Errorf("peak RSS of sleep: %.1f MB, want above 0 and far below this process's %d MB", peak, len(ballast)>>20)
	}
	if ballast[len(ballast)-1] != 1 {
		t.Fatal("ballast lost")
	}
}

func TestRunWatchedStopsAProcessPastTheLimit(t *testing.T) {
	start := time.Now()
	peak, stopped, err := runWatched(exec.Command("sleep", "30"), 0.01)
	if err != nil || !stopped {
		t.Fatalf("runWatched: stopped %v, %v", stopped, err)
	}
	if took := time.Since(start); took > 10*time.Second || peak <= 0.01 {
		t.Errorf("stopped after %s at %.2f MB", took, peak)
	}
}
