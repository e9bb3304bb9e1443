// Package dynalitetest shares one local DynamoDB among the tests of a
// package: dynalite by default.
//
// Two environment variables change which one:
//
//	JCDD_DYNALITE_ENDPOINT=http://127.0.0.1:PORT  use a DynamoDB that is already running
//	JCDD_DYNAMODB=moto                            start moto_server instead of dynalite
//
// (make test-dynamodb runs the packages that use this one with
// JCDD_DYNAMODB=moto, so that their tests also run on the second
// implementation.)
package dynalitetest

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/jcdd/jcdd/internal/store/dynamo/dynalite"
	"github.com/jcdd/jcdd/internal/store/dynamo/moto"
	"github.com/jcdd/jcdd/internal/store/dynamo/mototest"
)

// Environment variables that choose the local DynamoDB.
const (
	EndpointEnv       = "JCDD_DYNALITE_ENDPOINT"
	ImplementationEnv = "JCDD_DYNAMODB" // "dynalite" (the default) or "moto"
)

// Client returns a DynamoDB client for a local endpoint.
var Client = dynalite.Client

// Main starts one dynalite for a test binary and sets *url to its address.
// Without dynalite the tests that need it skip, except under CI (CI set),
// where a missing dynalite is a failure: it would otherwise hide untested
// code. Use it from TestMain.
func Main(m *testing.M, url *string) int {
	if e := os.Getenv(EndpointEnv); e != "" {
		*url = e
		return m.Run()
	}
	switch impl := os.Getenv(ImplementationEnv); impl {
	case "", "dynalite":
	case "moto":
		u, err := mototest.Start()
		switch {
		case errors.Is(err, moto.ErrMissing) && os.Getenv("CI") == "":
			fmt.Fprintln(os.Stderr, "dynalitetest:", err, "- DynamoDB tests will be skipped")
		case err != nil:
			fmt.Fprintln(os.Stderr, "dynalitetest:", err)
			return 1
		}
		*url = u
		return mototest.Stop(m.Run())
	default:
		fmt.Fprintf(os.Stderr, "dynalitetest: %s=%q: want dynalite or moto\n", ImplementationEnv, impl)
		return 1
	}
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

// Need skips a test when no local DynamoDB is running.
func Need(t testing.TB, url string) {
	t.Helper()
	if url == "" {
		t.Skip("no local DynamoDB: ", dynalite.ErrMissing)
	}
}
