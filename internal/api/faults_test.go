package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
	"github.com/jcdd/jcdd/internal/testenv/faultproxy"
)

// syncBuffer collects log lines from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) take() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil {
			out = append(out, m)
		}
	}
	s.b.Reset()
	return out
}

// TestDynamoDBFaults puts a fault proxy between the API and DynamoDB and
// tries each fault: the API must answer 503 with Retry-After (504 when the
// deadline passes) as problem+json within its deadline, log one line with
// the cause, leak no goroutine, and serve normally as soon as the fault
// clears.
func TestDynamoDBFaults(t *testing.T) {
	dynalitetest.Need(t, dynaliteURL)
	ctx := context.Background()
	setup, err := dynalitetest.Client(ctx, dynaliteURL)
	if err != nil {
		t.Fatal(err)
	}
	table := fmt.Sprintf("faults-%d", os.Getpid())
	if err := dynamo.CreateTable(ctx, setup, table); err != nil {
		t.Fatal(err)
	}
	rels, err := dataset.LoadFrozen(dataset.FrozenFS())
	if err != nil {
		t.Fatal(err)
	}
	l := &publish.Loader{C: setup, Table: table}
	for i, r := range rels {
		if _, err := l.Load(ctx, r, i == len(rels)-1); err != nil {
			t.Fatal(err)
		}
	}

	defer goleak.VerifyNone(t,
		goleak.IgnoreCurrent(),
		// Idle keep-alive connections of the clients' pools, closed by the
		// pools themselves.
		goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"),
	)
	proxy, err := faultproxy.Start(dynaliteURL)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	c, err := dynalitetest.Client(ctx, proxy.URL, dynamo.ReadPolicy)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	const timeout = time.Second
	srv := api.New(api.Config{
		Store:          dynamo.New(c, table, dynamo.WithCacheTTL(0)), // every request reaches DynamoDB
		Logger:         slog.New(slog.NewJSONHandler(&logs, nil)),
		RequestTimeout: timeout,
	})
	targets := []string{"/v1/events?limit=5", "/v1/events/nsa-discovers-intrusion", "/v1/budgets/summary", "/v1/releases", "/healthz"}
	send := func(target string) (*httptest.ResponseRecorder, time.Duration) {
		rec := httptest.NewRecorder()
		start := time.Now()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		return rec, time.Since(start)
	}
	healthy := func(label string) {
		t.Helper()
		for _, target := range targets {
			if rec, _ := send(target); rec.Code != http.StatusOK {
				t.Errorf("%s: %s = %d: %s", label, target, rec.Code, rec.Body)
			}
		}
		logs.take()
	}
	healthy("before any fault")

	for _, tc := range []struct {
		fault  faultproxy.Fault
		delay  time.Duration
		status int
	}{
		{faultproxy.Refuse, 0, http.StatusServiceUnavailable},
		{faultproxy.Throttle, 0, http.StatusServiceUnavailable},
		{faultproxy.Error500, 0, http.StatusServiceUnavailable},
		{faultproxy.Truncate, 0, http.StatusServiceUnavailable},
		{faultproxy.Slow, 3 * timeout, http.StatusGatewayTimeout},
	} {
		if err := proxy.Set(tc.fault, tc.delay); err != nil {
			t.Fatal(err)
		}
		var worst time.Duration
		for _, target := range targets {
			rec, took := send(target)
			worst = max(worst, took)
			if rec.Code != tc.status {
				t.Errorf("%s: %s = %d, want %d: %s", tc.fault, target, rec.Code, tc.status, rec.Body)
				continue
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s: %s: Content-Type %q", tc.fault, target, ct)
			}
			if tc.status == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") == "" {
				t.Errorf("%s: %s: 503 without Retry-After", tc.fault, target)
			}
			if strings.Contains(rec.Body.String(), "dynamodb") || strings.Contains(rec.Body.String(), "127.0.0.1") {
				t.Errorf("%s: %s: the problem leaks internals: %s", tc.fault, target, rec.Body)
			}
			if took > timeout+500*time.Millisecond {
				t.Errorf("%s: %s took %s, beyond the %s deadline", tc.fault, target, took, timeout)
			}
		}
		// One error line with the cause per failed request.
		var causes int
		for _, line := range logs.take() {
			if line["level"] == "ERROR" {
				if cause, _ := line["err"].(string); cause != "" {
					causes++
				}
			}
		}
		if causes != len(targets) {
			t.Errorf("%s: %d error lines with a cause for %d failed requests", tc.fault, causes, len(targets))
		}
		t.Logf("fault %-9s → %d for every request, slowest answer %s", tc.fault, tc.status, worst.Round(time.Millisecond))
		if err := proxy.Set(faultproxy.None, 0); err != nil {
			t.Fatal(err)
		}
		healthy("after " + tc.fault.String())
	}
}
