package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

var dynaliteURL string

func TestMain(m *testing.M) { os.Exit(dynalitetest.Main(m, &dynaliteURL)) }

// calls records the DynamoDB operations a client sends, through SDK
// middleware, with when each started and ended, so that a test can count
// the round trips of each request: calls that overlap in time (sent
// concurrently) make one.
type calls struct {
	mu    sync.Mutex
	ops   []string
	spans [][2]time.Time
}

func (c *calls) middleware(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("jcdd-count-calls",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			start := time.Now()
			out, md, err := next.HandleInitialize(ctx, in)
			c.mu.Lock()
			c.ops = append(c.ops, awsmiddleware.GetOperationName(ctx))
			c.spans = append(c.spans, [2]time.Time{start, time.Now()})
			c.mu.Unlock()
			return out, md, err
		}), middleware.Before)
}

func (c *calls) take() []string {
	ops, _ := c.takeTrips()
	return ops
}

// takeTrips returns the calls recorded since the last take and the number
// of round trips they made.
func (c *calls) takeTrips() ([]string, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out, spans := c.ops, c.spans
	c.ops, c.spans = nil, nil
	slices.SortFunc(spans, func(a, b [2]time.Time) int { return a[0].Compare(b[0]) })
	trips := 0
	var end time.Time
	for _, sp := range spans {
		if trips == 0 || sp[0].After(end) {
			trips++
			end = sp[1]
		} else if sp[1].After(end) {
			end = sp[1]
		}
	}
	return out, trips
}

// parityRequests is the set of requests both stores must answer alike:
// every endpoint, filters, formats, pinned releases and paging.
func parityRequests(rels []*dataset.Release) []string {
	old, cur := rels[0].Info.Version, rels[len(rels)-1].Info.Version
	var reqs []string
	for _, base := range []string{"/v1/events", "/v1/actors", "/v1/budgets", "/v1/programs", "/v1/sources"} {
		reqs = append(reqs, base, base+"?limit=3", base+"?format=csv&limit=5", base+"?format=ndjson&limit=2",
			base+"?release="+old+"&limit=4", base+"?status=all&fields=id,status")
	}
	reqs = append(reqs,
		"/v1/events?sort=-occurred&limit=7", "/v1/events?from=2020&to=2021", "/v1/events?from=2020-09&to=2020-11&sort=-occurred",
		"/v1/events?from=2015&to=2021&limit=5", "/v1/events?from=2022&sort=-occurred&limit=3", "/v1/events?to=2019&status=withdrawn&limit=4",
		"/v1/events?from=2015&to=2021&tag=core&limit=3",
		"/v1/events?actor=us-nsa", "/v1/events?actor=us-nsa&actor=jp-mod&limit=5", "/v1/events?type=statement&country=JP",
		"/v1/events?tag=core&confidence=reported", "/v1/events?tag=core&tag=reaction&sort=-occurred&limit=4",
		"/v1/events?q=nakasone", "/v1/events?q=%E9%98%B2%E8%A1%9B", "/v1/events?confidence=disputed&release="+old,
		"/v1/events?status=withdrawn", "/v1/events/nsa-discovers-intrusion", "/v1/events/nsa-discovers-intrusion?release="+old,
		"/v1/events/nope", "/v1/actors/us-nsa/events", "/v1/actors/us-nsa/events?sort=-occurred&limit=2",
		"/v1/actors/nope/events", "/v1/actors?kind=person&country=JP", "/v1/actors?q=%E9%98%B2%E8%A1%9B%E7%9C%81",
		"/v1/actors/jp-mod", "/v1/budgets?fiscal_year=2022", "/v1/budgets?from_year=2020&to_year=2023&stage=initial",
		"/v1/budgets?agency=jp-mod&category=cyber-total", "/v1/budgets?to_year=2015&limit=2", "/v1/budgets/summary",
		"/v1/budgets/summary?format=csv-excel&agency=jp-mod", "/v1/budgets/summary?stage=plan&release="+old,
		"/v1/programs?kind=law", "/v1/programs?state=active&q=cyber", "/v1/programs/sdf-cyber-workforce",
		"/v1/sources?language=ja&limit=5", "/v1/sources?kind=government", "/v1/releases", "/v1/releases/latest",
		"/v1/releases/"+cur, "/v1/releases/"+old, "/healthz", "/v1/events?limit=0", "/v1/events?release=9.9.9",
		"/v1/releases/"+cur+"/changes?since="+old, "/v1/releases/latest/changes?since="+old+"&format=csv",
		"/v1/releases/"+cur+"/changes?since="+old+"&format=ndjson", "/v1/releases/"+old+"/changes?since="+cur,
		"/v1/releases/"+cur+"/changes?since=9.9.9", "/v1/releases/9.9.9/changes?since="+old,
		"/v1/releases/"+cur+"/download", "/v1/releases/latest/download", "/v1/releases/"+old+"/download",
		"/v1/releases/9.9.9/download",
		"/v1/events/facets", "/v1/events/facets?actor=us-nsa", "/v1/events/facets?tag=core", "/v1/events/facets?from=2020&to=2021", "/v1/events/facets?from=2015&to=2021",
		"/v1/events/facets?to=2019", "/v1/events/facets?from=2020&to=2021&actor=us-nsa", "/v1/events/facets?from=2020-04&to=2021",
		"/v1/events/facets?tag=core&confidence=reported&limit=3", "/v1/events/facets?q=nakasone", "/v1/events/facets?status=all&release="+old,
		"/v1/budgets/facets", "/v1/budgets/facets?agency=jp-mod", "/v1/budgets/facets?from_year=2020&to_year=2023&stage=initial",
		"/v1/events?tag=core&limit=3", "/v1/budgets?agency=jp-mod&limit=4", "/v1/actors?kind=person&limit=5&format=csv",
	)
	return reqs
}

// combines reports whether a list request combines filter values (two
// values of one filter, two filters), or asks for text or a range that
// the counts made with the release do not cover: the DynamoDB store
// counts a combination only when its first page is the whole list, as
// documented (counts.go). It counts single filter values, and event ranges
// of whole years alone (from=2020&to=2021, from=2020, to=2021).
func combines(target string) bool {
	u, err := url.Parse(target)
	if err != nil || strings.HasSuffix(u.Path, "/facets") {
		return false
	}
	n, years := 0, false
	for name, values := range u.Query() {
		switch name {
		case "limit", "cursor", "fields", "format", "sort", "release", "status":
		case "from", "to":
			if u.Path != "/v1/events" || !wholeYear.MatchString(values[0]) {
				return true
			}
			years = true
		case "q", "from_year", "to_year":
			return true
		default:
			n += len(values)
		}
	}
	return n > 1 || years && n > 0
}

// wholeYear is a from or to parameter that names a year.
var wholeYear = regexp.MustCompile(`^[0-9]{4}$`)

// checkUncounted compares answers that differ only in the total: the same
// status and items, DynamoDB's meta saying total_exact false, and the same
// next page, whose cursor differs only by the total the memory store's
// carries.
func checkUncounted(t *testing.T, target string, m, d *httptest.ResponseRecorder) {
	t.Helper()
	if d.Header().Get("Total-Count") != "" || m.Header().Get("Total-Count") == "" {
		t.Errorf("%s: Total-Count: memory %q, DynamoDB %q; want DynamoDB's absent", target, m.Header().Get("Total-Count"), d.Header().Get("Total-Count"))
	}
	var mb, db struct {
		Items json.RawMessage `json:"items"`
		Next  string          `json:"next_cursor"`
		Meta  map[string]any  `json:"meta"`
	}
	if err := json.Unmarshal(m.Body.Bytes(), &mb); err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	if err := json.Unmarshal(d.Body.Bytes(), &db); err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	if db.Meta["total_exact"] != false || db.Meta["total"] != nil || mb.Meta["total_exact"] != true {
		t.Errorf("%s: meta: memory %v, DynamoDB %v", target, mb.Meta, db.Meta)
	}
	delete(mb.Meta, "total")
	delete(mb.Meta, "total_exact")
	delete(db.Meta, "total_exact")
	if string(mb.Items) != string(db.Items) || !reflect.DeepEqual(mb.Meta, db.Meta) || (mb.Next == "") != (db.Next == "") {
		t.Errorf("%s: answers differ beyond the total:\nmemory   %.300s\nDynamoDB %.300s", target, m.Body, d.Body)
	}
}

// TestStoresAnswerAlike sends the same requests to the API over the memory
// store and over DynamoDB, following every next link, and compares status,
// the headers that matter and bodies. It also counts the DynamoDB calls of
// each request: never a Scan, and at most two round trips.
func TestStoresAnswerAlike(t *testing.T) {
	dynalitetest.Need(t, dynaliteURL)
	ctx := context.Background()
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) < 2 {
		// A second, older release to pin, until the dataset has published
		// two of its own.
		_, old := storetest.Fixture(t)
		old.Info.Version = "0.1.0"
		rels = append([]*dataset.Release{old}, rels...)
	}
	var counted calls
	c, err := dynalitetest.Client(ctx, dynaliteURL, func(o *dynamodb.Options) { o.APIOptions = append(o.APIOptions, counted.middleware) })
	if err != nil {
		t.Fatal(err)
	}
	table := fmt.Sprintf("parity-%d", os.Getpid())
	if err := dynamo.CreateTable(ctx, c, table); err != nil {
		t.Fatal(err)
	}
	// Both stores describe the bundles of the same bytes, which both APIs
	// serve.
	bundles := buildSet(t, rels...)
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, Bundle: bundles.Describe, Pages: bundles.Pages}
	for i, r := range rels {
		if _, err := l.Load(ctx, r, i == len(rels)-1); err != nil {
			t.Fatal(err)
		}
	}
	mem, err := memory.NewWith(memory.Options{Bundle: bundles.Describe}, rels...)
	if err != nil {
		t.Fatal(err)
	}
	memAPI := api.New(api.Config{Store: mem, Bundles: bundles, Pages: bundles})
	dynStore := dynamo.New(c, table)
	dynAPI := api.New(api.Config{Store: dynStore, Bundles: bundles})
	// Warm the store's caches of release metadata and of the pointer, as a
	// running function has them after its first requests.
	for _, r := range rels {
		if _, err := dynStore.Release(ctx, r.Info.Version); err != nil {
			t.Fatal(err)
		}
	}
	counted.take()

	get := func(h http.Handler, target string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		return rec
	}
	next := regexp.MustCompile(`^<([^>]+)>; rel="next"$`)
	queue := append(parityRequests(rels), "/", "/ja/")
	compared, maxCalls, maxTrips, uncountedSeen := 0, 0, 0, 0
	uncounted := func(target string, d *httptest.ResponseRecorder) bool {
		return combines(target) && d.Header().Get("Total-Count") == "" && !strings.Contains(target, "cursor=")
	}
	perOp := map[string]int{}
	for len(queue) > 0 {
		target := queue[0]
		queue = queue[1:]
		m := get(memAPI, target)
		counted.take()
		d := get(dynAPI, target)
		ops, trips := counted.takeTrips()
		compared++
		for _, op := range ops {
			perOp[op]++
			if op == "Scan" {
				t.Errorf("%s: the DynamoDB store scanned", target)
			}
		}
		// At most three calls: the page's Query, with the count of a
		// single filter value or a second partition's Query sent beside it,
		// and one more when a short page needs a second round. Concurrent
		// calls are usually one round trip (trips, by overlap in time) but
		// a loaded machine can start one after the other has ended, so the
		// bound is on calls.
		if len(ops) > 3 {
			t.Errorf("%s: %d DynamoDB calls in %d round trips (%v), want at most 3", target, len(ops), trips, ops)
		}
		maxTrips = max(maxTrips, trips)
		maxCalls = max(maxCalls, len(ops))
		if m.Code != d.Code {
			t.Errorf("%s: memory %d, DynamoDB %d: %s", target, m.Code, d.Code, d.Body)
			continue
		}
		if uncounted(target, d) {
			// The one difference the stores may have: DynamoDB leaves the
			// first page of a combination its counts do not cover
			// uncounted (meta.total_exact false), where the memory store
			// counts it from its postings; the rest must agree.
			checkUncounted(t, target, m, d)
			uncountedSeen++
		} else {
			for _, h := range []string{"Content-Type", "ETag", "Dataset-Release", "Link", "Cache-Control", "Content-Disposition", "Location", "Total-Count"} {
				if m.Header().Get(h) != d.Header().Get(h) {
					t.Errorf("%s: %s: memory %q, DynamoDB %q", target, h, m.Header().Get(h), d.Header().Get(h))
				}
			}
		}
		if !uncounted(target, d) && m.Body.String() != d.Body.String() {
			t.Errorf("%s: bodies differ:\nmemory   %.300s\nDynamoDB %.300s", target, m.Body.String(), d.Body.String())
		}
		if l := next.FindStringSubmatch(m.Header().Get("Link")); l != nil && strings.Contains(target, "limit=") {
			queue = append(queue, l[1])
		}
	}
	// A fresh process has no cached metadata: its first request reads the
	// pointer (or the release), then the data in one round trip: a page's
	// Query with, for a list over one filter value, the GetItem of its count
	// (made concurrently), or the Queries of a range's partitions (also
	// concurrent).
	for _, target := range []string{
		"/v1/events?limit=5", "/v1/sources?release=" + rels[0].Info.Version, "/v1/actors/us-nsa/events",
		"/v1/releases/latest/changes?since=" + rels[0].Info.Version,
		"/v1/releases/" + rels[len(rels)-1].Info.Version + "/changes?since=" + rels[0].Info.Version,
		"/v1/releases/" + rels[0].Info.Version + "/download",
		"/v1/events/facets?actor=us-nsa", "/v1/events/facets?from=2020&to=2021", "/v1/events/facets?from=2015&to=2021",
		"/v1/events/facets?to=2019", "/v1/events/facets?from=2020&to=2021&actor=us-nsa", "/v1/events/facets?from=2020-04&to=2021", "/v1/budgets?agency=jp-mod&limit=2",
	} {
		fresh := api.New(api.Config{Store: dynamo.New(c, table)})
		counted.take()
		get(fresh, target)
		// The metadata first, then the reads above (at most two calls).
		if ops, trips := counted.takeTrips(); len(ops) > 3 {
			t.Errorf("cold %s: %d calls in %d round trips (%v), want at most 3", target, len(ops), trips, ops)
		}
	}
	if uncountedSeen == 0 || uncountedSeen*4 > compared {
		t.Errorf("%d of %d requests uncounted on DynamoDB: want some, and few", uncountedSeen, compared)
	}
	if compared < 50 {
		t.Errorf("compared %d requests, want at least 50", compared)
	}
	ops := make([]string, 0, len(perOp))
	for op, n := range perOp {
		ops = append(ops, fmt.Sprintf("%s=%d", op, n))
	}
	slices.Sort(ops)
	t.Logf("%d requests compared; at most %d DynamoDB calls and %d round trips per request; calls by operation: %s", compared, maxCalls, maxTrips, strings.Join(ops, " "))
}
