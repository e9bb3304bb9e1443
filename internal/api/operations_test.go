package api_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jcdd/jcdd/internal/api"
)

// operationTargets are a request for every path of the API's description,
// with its path parameters filled in.
func operationTargets(t *testing.T, spec []byte) []string {
	t.Helper()
	var doc struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer("{id}", "us-nsa", "{version}", "1.0.0")
	var targets []string
	for p := range doc.Paths {
		targets = append(targets, fill.Replace(p))
	}
	slices.Sort(targets)
	if len(targets) < 15 {
		t.Fatalf("only %d paths in the description", len(targets))
	}
	return targets
}

// Operations are registered with Huma when first asked for (a cold Lambda
// registers only the one it serves). Whichever is asked first, the
// description served afterwards must be the one of a server that has
// registered them all in order, byte for byte, and the first answer must be
// the same as a fully registered server gives.
func TestOperationsRegisteredOnFirstUseDescribeTheSame(t *testing.T) {
	cfg := withMemoryStore(t, api.Config{})
	ref := &harness{t: t, srv: api.New(cfg)}
	want := ref.get("/openapi.json")
	if want.Status != 200 {
		t.Fatalf("openapi.json: %d", want.Status)
	}
	for _, target := range operationTargets(t, want.Body) {
		h := &harness{t: t, srv: api.New(cfg)}
		first, full := h.get(target), (&harness{t: t, srv: api.New(cfg)}).registered(t).get(target)
		if first.Status != full.Status || !bytes.Equal(first.Body, full.Body) || first.Header.Get("ETag") != full.Header.Get("ETag") {
			t.Errorf("%s first: %d %q, after registering all: %d %q", target, first.Status, first.Body, full.Status, full.Body)
		}
		if got := h.get("/openapi.json"); !bytes.Equal(got.Body, want.Body) {
			t.Errorf("after %s first, the description differs from the one registered in order", target)
		}
	}
}

// Many first requests at once, of every operation and of the description,
// register each operation once and answer as a fully registered server
// does (run with -race to see the registry guarded).
func TestOperationsRegisterConcurrently(t *testing.T) {
	cfg := withMemoryStore(t, api.Config{})
	ref := &harness{t: t, srv: api.New(cfg)}
	want := ref.get("/openapi.json")
	targets := operationTargets(t, want.Body)
	srv := api.New(cfg)
	var wg sync.WaitGroup
	statuses := make([][]int, len(targets))
	for i, target := range targets {
		statuses[i] = make([]int, 4)
		for j := range 4 {
			wg.Go(func() {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
				statuses[i][j] = rec.Code
			})
		}
	}
	wg.Go(func() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/openapi.json", nil))
		if !bytes.Equal(rec.Body.Bytes(), want.Body) {
			t.Error("the description served during first requests differs")
		}
	})
	wg.Wait()
	for i, target := range targets {
		wantStatus := ref.get(target).Status
		for _, got := range statuses[i] {
			if got != wantStatus {
				t.Errorf("%s: %d, want %d", target, got, wantStatus)
			}
		}
	}
}

// registered registers every operation of the harness's server, as the
// first request for its description does.
func (h *harness) registered(t *testing.T) *harness {
	t.Helper()
	_ = h.srv.OpenAPI()
	return h
}
