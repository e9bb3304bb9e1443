// Package dynalitetest shares one dynalite among the tests of a package.
package dynalitetest

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/jcdd/jcdd/internal/store/dynamo/dynalite"
)

// Client returns a DynamoDB client for a local endpoint.
var Client = dynalite.Client

// Main starts one dynalite for a test binary and sets *url to its address.
// Without dynalite the tests that need it skip, except under CI (CI set),
// where a missing dynalite is a failure: it would otherwise hide untested
// code. Use it from TestMain.
func Main(m *testing.M, url *string) int {
	s, err := dynalite.Start()
	switch {
	case errors.Is(err, dynalite.ErrMissing) && os.Getenv("CI") == "":
		fmt.Fprintln(os.Stderr, "dynalitetest:", err, "- DynamoDB tests will be skipped")
	case err != nil:
		fmt.Fprintln(os.Stderr, "dynalitetest:", err)
		return 1
	default:
		*url = s.URL
		defer s.Close()
		defer os.Remove(s.LogPath)
	}
	code := m.Run()
	if code != 0 && s != nil {
		if b, err := os.ReadFile(s.LogPath); err == nil && len(b) > 0 {
			fmt.Fprintf(os.Stderr, "dynalite output:\n%s\n", b)
		}
	}
	return code
}

// Need skips a test when no dynalite is running.
func Need(t testing.TB, url string) {
	t.Helper()
	if url == "" {
		t.Skip(dynalite.ErrMissing)
	}
}
