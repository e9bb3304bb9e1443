package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/release"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
)

// BenchmarkCostMix measures what each request of a realistic mix reads from
// DynamoDB, in read request units as DynamoDB bills them, for the cost
// model in infra/README.md (tools/bench turns these figures into the cost
// per million requests). It serves the newest published release ("real")
// and, when JCDD_BENCH_SIZES is set, its synthetic releases, each from its
// own table.
//
// Each request is measured twice:
//
//   - first: in a fresh process (a new store and a new API), as a cold
//     Lambda instance sees it: the current-release pointer (a strongly
//     consistent GetItem) and any count item are read on top of the data;
//   - warm: in a process that has served the whole mix once, as a running
//     instance sees it: release metadata and counts are cached, so the
//     request reads its data only. The response cache is off, so that the
//     request reaches DynamoDB: every request that misses the edge is
//     assumed to miss the instance's cache too.
//
// Each sub-benchmark reports its request's weight in the mix (weight), the
// read units (RRU-first, RRU-warm), the DynamoDB calls (calls-first,
// calls-warm), the body bytes sent gzip-compressed as CloudFront asks for
// them (gz-bytes), and the warm handler time (p50-µs), which over dynalite
// on a shared machine is an upper bound of what DynamoDB takes.
//
//	JCDD_BENCH_SIZES=10k go test -run '^$' -bench CostMix -benchtime 20x ./internal/api
func BenchmarkCostMix(b *testing.B) {
	ctx := context.Background()
	endpoint := os.Getenv("JCDD_BENCH_DYNAMODB")
	if endpoint == "" {
		dynalitetest.Need(b, dynaliteURL)
		endpoint = dynaliteURL
	}
	var used capacity
	c, err := dynalitetest.Client(ctx, endpoint, func(o *dynamodb.Options) { o.APIOptions = append(o.APIOptions, used.middleware) })
	if err != nil {
		b.Fatal(err)
	}
	rels, err := dataset.Published()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("real", func(b *testing.B) {
		table := "jcdd-bench-real"
		if os.Getenv("JCDD_BENCH_DYNAMODB") == "" {
			loadOnce(b, c, table, rels...)
		}
		newest := rels[len(rels)-1]
		older := ""
		if len(rels) > 1 {
			older = rels[0].Info.Version
		}
		measureMix(b, c, &used, table, costMix(newest, older))
	})
	if os.Getenv("JCDD_BENCH_SIZES") == "" {
		// make test's run (bench-smoke) measures the real release only:
		// a synthetic one adds a load and a build of its bundle.
		return
	}
	for _, n := range benchSizes(b) {
		b.Run(sizeName(n), func(b *testing.B) {
			table := "jcdd-bench-" + sizeName(n)
			rel := synthRelease(b, n)
			if os.Getenv("JCDD_BENCH_DYNAMODB") == "" {
				loadOnce(b, c, table, rel)
			}
			measureMix(b, c, &used, table, costMix(rel, ""))
		})
	}
}

// loadOnce loads releases (oldest first, the newest made current) into a
// table of the test's dynalite, with their pages, once per test binary.
func loadOnce(b *testing.B, c *dynamodb.Client, table string, rels ...*dataset.Release) {
	b.Helper()
	if _, done := loadedTables.LoadOrStore(table, true); done {
		return
	}
	ctx := context.Background()
	if err := dynamo.CreateTable(ctx, c, table); err != nil {
		b.Fatal(err)
	}
	// With their pages and bundle descriptions, as the loader's command
	// line loads them.
	built, err := release.BuildAll(rels)
	if err != nil {
		b.Fatal(err)
	}
	l := &publish.Loader{C: c, Table: table, Bundle: built.Describe, Pages: built.Pages}
	for i, r := range rels {
		if _, err := l.Load(ctx, r, i == len(rels)-1); err != nil {
			b.Fatal(err)
		}
	}
}

// mixRequest is one request of the mix and its share of the traffic.
type mixRequest struct {
	name   string
	weight float64 // relative; the weights need not sum to 100
	target string
	// follow: measure the page that target's next_cursor leads to.
	follow bool
}

// costMix is the request mix of the cost model, built from the endpoints
// of the README's and docs/api.md's tour, with ids chosen from rel so that
// the same mix runs on the real release and on a synthetic one. older is a
// release to ask the changes since ("" when the table holds one release:
// the changes requests then answer 404 after the same reads).
//
// The weights are a judgement, not a measurement: the project has no
// traffic logs yet. Each says why it is what it is; they sum to 100.
func costMix(rel *dataset.Release, older string) []mixRequest {
	actor := mostCommon(rel.Events, func(e dataset.Event) []string {
		var ids []string
		for _, a := range e.Actors {
			ids = append(ids, a.Actor)
		}
		return ids
	})
	tag := mostCommon(rel.Events, func(e dataset.Event) []string { return e.Tags })
	agency := mostCommon(rel.Budgets, func(l dataset.BudgetLine) []string { return []string{l.Agency} })
	country := mostCommon(rel.Actors, func(a dataset.Actor) []string { return []string{a.Country} })
	kind := mostCommon(rel.Actors, func(a dataset.Actor) []string { return []string{a.Kind} })
	event := rel.Events[len(rel.Events)/2].ID
	program := rel.Programs[0].ID
	version := rel.Info.Version
	since := older
	if since == "" {
		since = "0.0.1"
	}
	return []mixRequest{
		// The landing pages: where people arriving from a link or a search
		// engine start, and the page that offers the downloads.
		{"landing", 12, "/", false},
		{"landing-ja", 6, "/ja/", false},
		// The default page of events: the first call of most scripts and
		// of anyone trying the API.
		{"events-page", 12, "/v1/events?limit=50", false},
		// Following next_cursor: scripts that walk the whole list.
		{"events-cursor", 6, "/v1/events?limit=50", true},
		// The tour's filtered lists: by tag with fields, by actor over a
		// range of years, and a count (limit=1) of an actor's events.
		{"events-tag", 8, "/v1/events?tag=" + tag + "&fields=id,occurred,title&limit=5", false},
		{"events-actor-range", 6, "/v1/events?actor=" + actor + "&from=2020&to=2021&fields=id,occurred,title", false},
		{"events-actor-count", 3, "/v1/events?actor=" + actor + "&limit=1&fields=id", false},
		// One event by id: the target of links shared and of every list's
		// items.
		{"event", 12, "/v1/events/" + event, false},
		// Facets: a dashboard's breakdowns.
		{"events-facets", 4, "/v1/events/facets?tag=" + tag + "&limit=5", false},
		{"budgets-facets", 2, "/v1/budgets/facets?agency=" + agency, false},
		// Text search reads a full query page (up to 1,000 items) whatever
		// it finds, the one request without an index: a small share, as
		// the landing page and the lists are how the data is browsed.
		{"events-search", 2, "/v1/events?q=" + url.QueryEscape("防衛省") + "&fields=id,title", false},
		// Actors, one actor and an actor's timeline.
		{"actors", 4, "/v1/actors?country=" + country + "&kind=" + kind + "&fields=id,name", false},
		{"actor", 2, "/v1/actors/" + actor, false},
		{"actor-events", 2, "/v1/actors/" + actor + "/events?limit=20", false},
		// Budgets: the summary the tour shows, and a CSV download of the
		// lines for a spreadsheet.
		{"budgets-summary", 5, "/v1/budgets/summary?agency=" + agency + "&stage=initial", false},
		{"budgets-csv", 2, "/v1/budgets?format=csv-excel&limit=500", false},
		{"program", 1, "/v1/programs/" + program + "?fields=id,name,metrics", false},
		{"sources", 1, "/v1/sources?limit=20", false},
		// Releases: the index, and the Atom feed, which feed readers poll.
		{"releases", 3, "/v1/releases", false},
		{"releases-atom", 3, "/v1/releases.atom", false},
		{"release-download", 2, "/v1/releases/" + version + "/download", false},
		// Changes since an older release, as JSON and as CSV.
		{"changes", 1, "/v1/releases/" + version + "/changes?since=" + since, false},
		{"changes-csv", 1, "/v1/releases/latest/changes?since=" + since + "&format=csv-excel", false},
	}
}

// mostCommon returns the value that keys gives most often over items (the
// first in sort order among equals), "" if none.
func mostCommon[T any](items []T, keys func(T) []string) string {
	n := map[string]int{}
	for _, it := range items {
		for _, k := range keys(it) {
			if k != "" {
				n[k]++
			}
		}
	}
	best := ""
	for k, c := range n {
		if c > n[best] || c == n[best] && k < best {
			best = k
		}
	}
	return best
}

// costMixSecret signs the cursors of every API the benchmark builds, so
// that a cursor one gave another accepts, as every instance of a
// deployment accepts the others'.
var costMixSecret = []byte("cost-mix-cursor-secret-0123456789")

func measureMix(b *testing.B, c *dynamodb.Client, used *capacity, table string, mix []mixRequest) {
	newAPI := func(ttl time.Duration) http.Handler {
		return api.New(api.Config{
			Store: dynamo.New(c, table, dynamo.WithCacheTTL(ttl)), ResponseCacheBytes: -1, CursorSecret: costMixSecret,
			// As deployed: downloads are redirects to the bundle bucket.
			BundleBaseURL: "https://bundles.example/releases",
		})
	}
	serve := func(h http.Handler, target string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			b.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
		return rec
	}
	// The warm process keeps its metadata for the whole run: a running
	// instance re-reads the pointer every DefaultCacheTTL, a cost per
	// instance and second, not per request (see infra/README.md).
	warm := newAPI(time.Hour)
	targets := make([]string, len(mix))
	for i, m := range mix {
		targets[i] = m.target
		if m.follow {
			targets[i] = nextPage(b, serve(warm, m.target))
		}
	}
	for _, t := range targets {
		serve(warm, t)
	}
	for i, m := range mix {
		b.Run(m.name, func(b *testing.B) {
			used.take()
			first := serve(newAPI(dynamo.DefaultCacheTTL), targets[i])
			callsFirst, rruFirst := used.take()
			rec := serve(warm, targets[i])
			callsWarm, rruWarm := used.take()
			// Every read reports what it consumed: a call without read
			// units would be a read left out of the model.
			if callsFirst > 0 && rruFirst == 0 || callsWarm > 0 && rruWarm == 0 {
				b.Fatalf("%s: %d and %d calls reported %v and %v read units", targets[i], callsFirst, callsWarm, rruFirst, rruWarm)
			}
			if rec.Code != first.Code {
				b.Fatalf("%s: %d in a fresh process, %d in a warm one", targets[i], first.Code, rec.Code)
			}
			var d []time.Duration
			for b.Loop() {
				start := time.Now()
				serve(warm, targets[i])
				d = append(d, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(d)
			b.ReportMetric(m.weight, "weight")
			b.ReportMetric(rruFirst, "RRU-first")
			b.ReportMetric(rruWarm, "RRU-warm")
			b.ReportMetric(float64(callsFirst), "calls-first")
			b.ReportMetric(float64(callsWarm), "calls-warm")
			b.ReportMetric(float64(rec.Body.Len()), "gz-bytes")
			b.ReportMetric(float64(rec.Code), "status")
			b.ReportMetric(float64(d[len(d)/2].Microseconds()), "p50-µs")
		})
	}
}

var nextCursor = regexp.MustCompile(`<([^>]+)>;\s*rel="next"`)

// nextPage returns the target of a list's next page, from its Link header.
func nextPage(b *testing.B, rec *httptest.ResponseRecorder) string {
	b.Helper()
	m := nextCursor.FindStringSubmatch(rec.Header().Get("Link"))
	if m == nil {
		b.Fatalf("no next page: %d %q", rec.Code, rec.Header().Get("Link"))
	}
	u, err := url.Parse(m[1])
	if err != nil {
		b.Fatal(err)
	}
	return u.RequestURI()
}
