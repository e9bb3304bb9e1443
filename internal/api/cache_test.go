package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// cacheRequest is a request with its headers.
type cacheRequest struct {
	target  string
	headers []string
}

// send serves one request and returns the recorded answer, without the
// per-request id.
func send(h http.Handler, r cacheRequest) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8080"+r.target, nil)
	for i := 0; i+1 < len(r.headers); i += 2 {
		req.Header.Add(r.headers[i], r.headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	rec.Header().Del("X-Request-Id")
	return rec
}

func sameAnswer(t *testing.T, what string, got, want *httptest.ResponseRecorder) {
	t.Helper()
	if got.Code != want.Code {
		t.Errorf("%s: status %d, want %d: %s", what, got.Code, want.Code, got.Body)
		return
	}
	if g, w := fmt.Sprint(got.Header()), fmt.Sprint(want.Header()); g != w {
		t.Errorf("%s: headers\n%s\nwant\n%s", what, g, w)
	}
	if got.Body.String() != want.Body.String() {
		t.Errorf("%s: bodies differ:\n%.300s\nwant\n%.300s", what, got.Body, want.Body)
	}
}

// TestCacheAnswersAsWithout sends every request of the parity set, and
// variants that the cache key must tell apart (Accept, If-None-Match,
// parameter order, repeated values, fields, cursors), to an API with the
// response cache and one without: the first answer (a miss), the repeated
// one (a hit) and the answer without the cache must be byte for byte and
// header for header the same.
func TestCacheAnswersAsWithout(t *testing.T) {
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	_, old := storetest.Fixture(t)
	old.Info.Version = "0.1.0"
	rels = append([]*dataset.Release{old}, rels...)
	bundles := buildSet(t, rels...)
	st, err := memory.NewWith(memory.Options{Bundle: bundles.Describe}, rels...)
	if err != nil {
		t.Fatal(err)
	}
	on := api.New(api.Config{Store: st, Bundles: bundles})
	off := api.New(api.Config{Store: st, Bundles: bundles, ResponseCacheBytes: -1})

	var reqs []cacheRequest
	for _, target := range parityRequests(rels) {
		reqs = append(reqs, cacheRequest{target: target})
	}
	etag := send(off, cacheRequest{target: "/v1/events?limit=3"}).Header().Get("ETag")
	reqs = append(reqs,
		cacheRequest{"/v1/events?limit=3", []string{"Accept", "text/csv"}},
		cacheRequest{"/v1/events?limit=3", []string{"Accept", "application/x-ndjson;q=0.9, text/csv;q=0.5"}},
		cacheRequest{"/v1/events?limit=3", []string{"Accept", "text/csv", "Accept", "application/json;q=0.1"}},
		cacheRequest{"/v1/events?limit=3", []string{"Accept", "image/png"}},
		cacheRequest{"/v1/events?limit=3&format=json", []string{"Accept", "text/csv"}},
		cacheRequest{"/v1/events?limit=3", []string{"If-None-Match", etag}},
		cacheRequest{"/v1/events?limit=3", []string{"If-None-Match", `"other"`}},
		cacheRequest{"/v1/events?limit=3", []string{"If-None-Match", "W/" + etag + `, "x"`}},
		cacheRequest{"/v1/events?limit=3", []string{"If-None-Match", strings.Repeat("x", 1100)}},
		cacheRequest{"/v1/events?type=statement&type=report&limit=2", nil},
		cacheRequest{"/v1/events?type=report&type=statement&limit=2", nil},
		cacheRequest{"/v1/events?limit=2&type=report&type=statement", nil},
		cacheRequest{"/v1/events?limit=2&ty%70e=report&type=statement", nil},
		cacheRequest{"/v1/events?limit=2;type=report", nil},
		cacheRequest{"/v1/events?limit=2&limit=3", nil},
		cacheRequest{"/v1/events?q=a+b&limit=2", nil},
		cacheRequest{"/v1/events?q=a%20b&limit=2", nil},
		cacheRequest{"/v1/events?fields=title,occurred&limit=2", nil},
		cacheRequest{"/v1/events?fields=occurred,title&limit=2", nil},
		cacheRequest{"/v1/events?fields=occurred,title&limit=2&format=csv", nil},
		cacheRequest{"/v1/events?fields=nope", nil},
		cacheRequest{"/v1/events?release=latest&limit=2", nil},
		cacheRequest{"/v1/events?release=" + old.Info.Version + "&limit=2", nil},
		cacheRequest{"/v1/events?release=" + rels[len(rels)-1].Info.Version + "&limit=2", nil},
		cacheRequest{"/v1/events/nsa-discovers-intrusion?fields=title", nil},
		cacheRequest{"/v1/events/nsa-discovers-intrusion", []string{"Accept", "text/csv"}},
		cacheRequest{"/v1/events/nsa-discovers-intrusion", []string{"Accept", "image/png"}},
		cacheRequest{"/v1/budgets/summary", []string{"Accept", "text/csv"}},
		cacheRequest{"/v1/budgets/summary?format=csv-excel", nil},
		cacheRequest{"/v1/events?cursor=forged", nil},
		cacheRequest{"/v1/events?unknown=1", nil},
	)
	next := regexp.MustCompile(`^<([^>]+)>; rel="next"$`)
	seen := map[string]bool{}
	for len(reqs) > 0 {
		r := reqs[0]
		reqs = reqs[1:]
		what := fmt.Sprintf("%s %q", r.target, r.headers)
		want := send(off, r)
		sameAnswer(t, what+" (first)", send(on, r), want)
		sameAnswer(t, what+" (repeated)", send(on, r), want)
		if l := next.FindStringSubmatch(want.Header().Get("Link")); l != nil && !seen[l[1]] && len(seen) < 200 {
			seen[l[1]] = true
			reqs = append(reqs, cacheRequest{target: l[1], headers: r.headers})
		}
	}
	if len(seen) < 10 {
		t.Errorf("followed %d next links, want more", len(seen))
	}
}

// countingStore counts the data reads that reach a store.
type countingStore struct {
	store.Store
	reads atomic.Int64
}

func (c *countingStore) Events(ctx context.Context, q store.EventQuery) (store.Page[dataset.Event], error) {
	c.reads.Add(1)
	return c.Store.Events(ctx, q)
}

func (c *countingStore) Event(ctx context.Context, release, id string) (dataset.Event, store.Release, error) {
	c.reads.Add(1)
	return c.Store.Event(ctx, release, id)
}

func (c *countingStore) Record(ctx context.Context, kind, release, id string) (store.Doc, store.Release, error) {
	c.reads.Add(1)
	return c.Store.Record(ctx, kind, release, id)
}

func (c *countingStore) BudgetSummary(ctx context.Context, q store.SummaryQuery) ([]store.BudgetTotal, store.Release, error) {
	c.reads.Add(1)
	return c.Store.BudgetSummary(ctx, q)
}

// TestCacheSkipsTheStore checks that a repeated request, in any parameter
// order and with any Accept that negotiates the same format, reads nothing
// from the store, and that requests the key must tell apart do read.
func TestCacheSkipsTheStore(t *testing.T) {
	v1, v2 := storetest.Fixture(t)
	mem, err := memory.New("", v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	st := &countingStore{Store: mem}
	srv := api.New(api.Config{Store: st})
	for _, c := range []struct {
		req   cacheRequest
		reads int64
	}{
		{cacheRequest{"/v1/events?limit=2&type=other", nil}, 1},
		{cacheRequest{"/v1/events?limit=2&type=other", nil}, 0},
		{cacheRequest{"/v1/events?type=other&limit=2", nil}, 0},
		{cacheRequest{"/v1/events?type=other&limit=2", []string{"Accept", "application/json"}}, 0},
		{cacheRequest{"/v1/events?type=other&limit=2", []string{"Accept", "*/*"}}, 0},
		{cacheRequest{"/v1/events?type=other&limit=2", []string{"Accept", "text/csv"}}, 1},
		{cacheRequest{"/v1/events?type=other&limit=2", []string{"Accept", "text/*"}}, 0},
		{cacheRequest{"/v1/events?type=other&limit=2&format=csv", nil}, 1},
		{cacheRequest{"/v1/events?type=other&limit=2&release=1.0.0", nil}, 1},
		{cacheRequest{"/v1/events?type=other&limit=2&release=1.0.0", []string{"If-None-Match", `"x"`}}, 0},
		{cacheRequest{"/v1/events?type=other&limit=2&fields=title", nil}, 1},
		{cacheRequest{"/v1/events/e-2024-new", nil}, 1},
		{cacheRequest{"/v1/events/e-2024-new", []string{"Accept", "text/csv"}}, 0},
		{cacheRequest{"/v1/events/e-2024-new?fields=title", nil}, 1},
		{cacheRequest{"/v1/events/e-2024-new?fields=title", nil}, 0},
		{cacheRequest{"/v1/events/nope", nil}, 1},
		{cacheRequest{"/v1/events/nope", nil}, 1}, // errors are not cached
		{cacheRequest{"/v1/budgets/summary", nil}, 1},
		{cacheRequest{"/v1/budgets/summary", nil}, 0},
	} {
		before := st.reads.Load()
		rec := send(srv, c.req)
		if got := st.reads.Load() - before; got != c.reads {
			t.Errorf("%s %q: %d store reads, want %d (status %d)", c.req.target, c.req.headers, got, c.reads, rec.Code)
		}
	}
}

// switchingStore serves one of several stores, as a store does whose
// current release is activated while the API runs.
type switchingStore struct {
	stores []store.Store
	i      atomic.Int32
}

func (s *switchingStore) current() store.Store { return s.stores[s.i.Load()] }

func (s *switchingStore) Releases(ctx context.Context) ([]store.Release, error) {
	return s.current().Releases(ctx)
}
func (s *switchingStore) Release(ctx context.Context, v string) (store.Release, error) {
	return s.current().Release(ctx, v)
}
func (s *switchingStore) Changes(ctx context.Context, v, since string) (dataset.Changes, store.Release, error) {
	return s.current().Changes(ctx, v, since)
}
func (s *switchingStore) Events(ctx context.Context, q store.EventQuery) (store.Page[dataset.Event], error) {
	return s.current().Events(ctx, q)
}
func (s *switchingStore) Event(ctx context.Context, v, id string) (dataset.Event, store.Release, error) {
	return s.current().Event(ctx, v, id)
}
func (s *switchingStore) Budgets(ctx context.Context, q store.BudgetQuery) (store.Page[dataset.BudgetLine], error) {
	return s.current().Budgets(ctx, q)
}
func (s *switchingStore) BudgetSummary(ctx context.Context, q store.SummaryQuery) ([]store.BudgetTotal, store.Release, error) {
	return s.current().BudgetSummary(ctx, q)
}
func (s *switchingStore) List(ctx context.Context, kind string, q store.ListQuery) (store.Page[any], error) {
	return s.current().List(ctx, kind, q)
}
func (s *switchingStore) Record(ctx context.Context, kind, v, id string) (store.Doc, store.Release, error) {
	return s.current().Record(ctx, kind, v, id)
}
func (s *switchingStore) EventFacets(ctx context.Context, q store.EventQuery) (store.Facets[store.EventFacets], error) {
	return s.current().EventFacets(ctx, q)
}
func (s *switchingStore) BudgetFacets(ctx context.Context, q store.BudgetQuery) (store.Facets[store.BudgetFacets], error) {
	return s.current().BudgetFacets(ctx, q)
}

// TestCacheFollowsActivation checks that a cached answer for the current
// release is not served once another release is current, while answers
// for a pinned release still are.
func TestCacheFollowsActivation(t *testing.T) {
	v1, v2 := storetest.Fixture(t)
	a, err := memory.New(v1.Info.Version, v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	b, err := memory.New(v2.Info.Version, v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	sw := &switchingStore{stores: []store.Store{a, b}}
	srv := api.New(api.Config{Store: sw})
	cur := cacheRequest{target: "/v1/events/e-2024-new"}
	list := cacheRequest{target: "/v1/events?limit=50"}
	pinned := cacheRequest{target: "/v1/events?limit=50&release=" + v1.Info.Version}
	if rec := send(srv, cur); rec.Code != http.StatusNotFound {
		t.Fatalf("before activation: %d, want 404 (the event is new in %s)", rec.Code, v2.Info.Version)
	}
	first := send(srv, list)
	firstPinned := send(srv, pinned)
	sw.i.Store(1) // activate v2
	if rec := send(srv, cur); rec.Code != http.StatusOK {
		t.Errorf("after activation: %d, want 200", rec.Code)
	}
	after := send(srv, list)
	if got := after.Header().Get("Dataset-Release"); got != v2.Info.Version {
		t.Errorf("after activation the list came from %s, want %s", got, v2.Info.Version)
	}
	if after.Body.String() == first.Body.String() {
		t.Error("after activation the list is still the old release's")
	}
	sameAnswer(t, "pinned after activation", send(srv, pinned), firstPinned)
	sw.i.Store(0) // roll back
	sameAnswer(t, "list after rollback", send(srv, list), first)
}

// TestCacheWithDynamoDB checks the cache over the DynamoDB store: a
// repeated request makes no DynamoDB call while the store's metadata is
// fresh; an activation is seen, as by the store itself, once its metadata
// TTL has passed; a pinned release that is deleted stops being served.
func TestCacheWithDynamoDB(t *testing.T) {
	dynalitetest.Need(t, dynaliteURL)
	ctx := context.Background()
	var counted calls
	c, err := dynalitetest.Client(ctx, dynaliteURL, func(o *dynamodb.Options) { o.APIOptions = append(o.APIOptions, counted.middleware) })
	if err != nil {
		t.Fatal(err)
	}
	table := fmt.Sprintf("cache-%d", os.Getpid())
	if err := dynamo.CreateTable(ctx, c, table); err != nil {
		t.Fatal(err)
	}
	v1, v2 := storetest.Fixture(t)
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond}
	if _, err := l.Load(ctx, v1, true); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Load(ctx, v2, false); err != nil {
		t.Fatal(err)
	}
	const ttl = 300 * time.Millisecond
	srv := api.New(api.Config{Store: dynamo.New(c, table, dynamo.WithCacheTTL(ttl))})
	list := cacheRequest{target: "/v1/events?limit=4"}
	pinned := cacheRequest{target: "/v1/events?limit=4&release=" + v1.Info.Version}
	get := func(r cacheRequest) (*httptest.ResponseRecorder, []string) {
		counted.take()
		rec := send(srv, r)
		return rec, counted.take()
	}
	first, ops := get(list)
	if len(ops) != 2 {
		t.Errorf("first request: %v, want the pointer and one Query", ops)
	}
	if rec, ops := get(list); len(ops) != 0 || rec.Body.String() != first.Body.String() {
		t.Errorf("repeated request: %d calls (%v), want 0 and the same answer", len(ops), ops)
	}
	firstPinned, _ := get(pinned)
	if _, err := l.Activate(ctx, v2.Info.Version); err != nil {
		t.Fatal(err)
	}
	// Within the TTL the store still serves the old release, cached or not.
	if rec, _ := get(list); rec.Header().Get("Dataset-Release") != v1.Info.Version {
		t.Logf("activation seen before the TTL passed (the test was slow): %s", rec.Header().Get("Dataset-Release"))
	}
	time.Sleep(ttl + 50*time.Millisecond)
	rec, ops := get(list)
	if got := rec.Header().Get("Dataset-Release"); got != v2.Info.Version {
		t.Errorf("after the TTL the list came from %s, want %s", got, v2.Info.Version)
	}
	if len(ops) > 2 {
		t.Errorf("first request after activation: %v, want at most 2 calls", ops)
	}
	if rec, ops := get(pinned); rec.Body.String() != firstPinned.Body.String() || len(ops) > 1 {
		t.Errorf("pinned request: %d calls (%v), want at most 1 (the release's metadata) and the same answer", len(ops), ops)
	}
	if _, err := l.Delete(ctx, v1.Info.Version); err != nil {
		t.Fatal(err)
	}
	time.Sleep(ttl + 50*time.Millisecond)
	if rec, _ := get(pinned); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("pinned request after its release was deleted: %d, want 422: %s", rec.Code, rec.Body)
	}
}

// TestCacheUnderConcurrency hammers one API from several goroutines with a
// small cache, so that entries are evicted while others are read; run with
// -race.
func TestCacheUnderConcurrency(t *testing.T) {
	v1, v2 := storetest.Fixture(t)
	mem, err := memory.New("", v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	on := api.New(api.Config{Store: mem, ResponseCacheBytes: 16 << 10})
	off := api.New(api.Config{Store: mem, ResponseCacheBytes: -1})
	targets := []string{"/v1/events", "/v1/events?limit=1", "/v1/events?limit=2&format=csv", "/v1/actors", "/v1/budgets/summary",
		"/v1/events/e-2024-new", "/v1/sources?limit=3", "/v1/programs", "/v1/budgets?limit=2", "/v1/events?sort=-occurred"}
	want := map[string]string{}
	for _, target := range targets {
		want[target] = send(off, cacheRequest{target: target}).Body.String()
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				target := targets[(i*7+g)%len(targets)]
				if got := send(on, cacheRequest{target: target}).Body.String(); got != want[target] {
					t.Errorf("%s: answer differs", target)
					return
				}
			}
		})
	}
	wg.Wait()
}
