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
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynalite"
	"github.com/jcdd/jcdd/internal/testenv/moto"
	"github.com/jcdd/jcdd/internal/testenv/mototest"
)

// Environment variables that choose the local DynamoDB.
const (
	EndpointEnv       = "JCDD_DYNALITE_ENDPOINT"
	ImplementationEnv = "JCDD_DYNAMODB" // "dynalite" (the default) or "moto"
)

// Client returns a DynamoDB client for a local endpoint. On moto
// (JCDD_DYNAMODB=moto) the client sends one request at a time: moto 5.2.1
// lost writes under concurrent BatchWriteItem, and does not isolate
// concurrent transactions (see the README's DynamoDB section).
func Client(ctx context.Context, url string, opts ...func(*dynamodb.Options)) (*dynamodb.Client, error) {
	if Moto() {
		opts = append([]func(*dynamodb.Options){func(o *dynamodb.Options) {
			o.HTTPClient = &oneAtATime{c: awshttp.NewBuildableClient()}
		}}, opts...)
	}
	return dynalite.Client(ctx, url, opts...)
}

// Moto reports whether the tests run on moto (JCDD_DYNAMODB=moto).
func Moto() bool { return os.Getenv(ImplementationEnv) == "moto" }

// oneAtATime sends the requests of every client of this process one at a
// time.
type oneAtATime struct{ c *awshttp.BuildableClient }

var turn sync.Mutex

func (o *oneAtATime) Do(r *http.Request) (*http.Response, error) {
	turn.Lock()
	defer turn.Unlock()
	resp, err := o.c.Do(r)
	if err != nil {
		return nil, err
	}
	// The answer is read while the turn is held.
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

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
		defer func() { _ = os.Remove(s.LogPath) }()
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

var tableSeq atomic.Int64

// Table creates a table of the store's schema (dynamo.CreateTable) in the
// local DynamoDB at url, named prefix-PID-N so that the test binaries that
// share it never meet, and returns its name. It skips the test when no local
// DynamoDB is running.
func Table(t testing.TB, url, prefix string) string {
	t.Helper()
	Need(t, url)
	c, err := Client(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), tableSeq.Add(1))
	if err := dynamo.CreateTable(context.Background(), c, name); err != nil {
		t.Fatal(err)
	}
	return name
}
