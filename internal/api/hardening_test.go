package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// panicky is a store with a bug: listing events panics.
type panicky struct{ store.Store }

func (panicky) Events(context.Context, store.EventQuery) (store.Page[dataset.Event], error) {
	panic("bug: index out of range [3] with length 2")
}

func TestPanicIsAProblem(t *testing.T) {
	v1, _ := storetest.Fixture(t)
	mem, err := memory.New("", v1)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	srv := api.New(api.Config{Store: panicky{mem}, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/events", nil))
	if rec.Code != http.StatusInternalServerError || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("panic answered %d %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	if body := rec.Body.String(); strings.Contains(body, "index out of range") || strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
		t.Errorf("the problem leaks the panic: %s", body)
	}
	stacks := 0
	for _, line := range logs.take() {
		if s, _ := line["stack"].(string); strings.Contains(s, "goroutine") {
			stacks++
		}
	}
	if stacks != 1 {
		t.Errorf("the stack was logged %d times, want once", stacks)
	}
	// The server goes on serving.
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/actors", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("after the panic: %d", rec.Code)
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	h := newHarness(t)
	for _, target := range []string{"/v1/events", "/v1/events/nope", "/nope", "/docs", "/openapi.yaml", "/v1/events?limit=0", "/healthz"} {
		r := h.get(target)
		for _, hdr := range []string{"X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy", "X-Request-Id"} {
			if r.Header.Get(hdr) == "" {
				t.Errorf("%s: no %s", target, hdr)
			}
		}
		if r.Header.Get("Server") != "" || r.Header.Get("X-Powered-By") != "" {
			t.Errorf("%s: version banner %q %q", target, r.Header.Get("Server"), r.Header.Get("X-Powered-By"))
		}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") && strings.Contains(r.Header.Get("Content-Security-Policy"), "script-src") {
			t.Errorf("%s: HTML pages allow scripts: %s", target, r.Header.Get("Content-Security-Policy"))
		}
	}
}

func TestTooManyParameters(t *testing.T) {
	h := newHarness(t)
	q := strings.Repeat("type=report&", 64) + "type=report"
	r := h.get("/v1/events?" + q)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.problem(t).Detail, "65 parameters") {
		t.Errorf("65 parameters: %d %s", r.Status, r.Body)
	}
	if r := h.get("/v1/events?" + strings.Repeat("type=report&", 63) + "type=report"); r.Status != http.StatusOK {
		t.Errorf("64 parameters: %d %s", r.Status, r.Body)
	}
}
