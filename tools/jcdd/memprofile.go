package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// profilePeakHeap writes a heap profile to path each time the heap in use
// reaches a new high (sampled every 100 ms, and at least 16 MiB above the
// last profile), so that the file left at the end shows where memory went
// at the command's peak. It is enabled by JCDD_HEAPPROFILE, for measuring
// the loader's memory (jcdd load); the returned function stops it.
func profilePeakHeap(path string) (stop func()) {
	done := make(chan struct{})
	go func() {
		var peak uint64
		var ms runtime.MemStats
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse < peak+16<<20 {
				continue
			}
			peak = ms.HeapInuse
			if err := writeHeapProfile(path); err != nil {
				fmt.Fprintln(os.Stderr, "jcdd: heap profile:", err)
				return
			}
		}
	}()
	return func() { close(done) }
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
