// Package mototest shares one moto_server among the tests of a package. It
// is started when a test first asks for it, so that a test binary whose
// selected tests do not need it does not pay moto's slow start.
//
// JCDD_MOTO_ENDPOINT (e.g. http://127.0.0.1:5000) makes the tests use a
// moto that is already running instead. Without moto_server the tests that
// need it skip, except under CI (CI set), where that is a failure.
package mototest

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/jcdd/jcdd/internal/testenv/moto"
)

// EndpointEnv names the variable that points the tests at a running moto.
const EndpointEnv = "JCDD_MOTO_ENDPOINT"

var (
	once sync.Once
	url  string
	err  error
	srv  *moto.Server
)

func start() {
	if e := os.Getenv(EndpointEnv); e != "" {
		url = e
		return
	}
	srv, err = moto.Start()
	if err == nil {
		url = srv.URL
	}
}

// Start starts moto (once per test binary) and returns its address; err is
// moto.ErrMissing when moto_server is not installed.
func Start() (string, error) {
	once.Do(start)
	return url, err
}

// URL returns the address of the shared moto, starting it on first use. It
// skips t when moto_server is missing, unless CI is set: there a missing
// implementation would hide untested code, so it fails.
func URL(t testing.TB) string {
	t.Helper()
	u, err := Start()
	switch {
	case errors.Is(err, moto.ErrMissing) && os.Getenv("CI") == "":
		t.Skip(err)
	case err != nil:
		t.Fatal(err)
	}
	return u
}

// Stop stops the moto this test binary started, if any, printing its output
// when the tests failed (code != 0), and returns code. Call it from
// TestMain with m.Run's result.
func Stop(code int) int {
	if srv == nil {
		return code
	}
	if code != 0 {
		if b, err := os.ReadFile(srv.LogPath); err == nil && len(b) > 0 {
			const tail = 8 << 10
			fmt.Fprintf(os.Stderr, "moto output (last %d bytes):\n%s\n", min(len(b), tail), b[max(0, len(b)-tail):])
		}
	}
	srv.Close()
	_ = os.Remove(srv.LogPath)
	return code
}
