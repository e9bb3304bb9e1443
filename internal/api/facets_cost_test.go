package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/synth"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
)

// meter measures what requests cost DynamoDB: calls and round trips (calls)
// and read units (capacity).
type meter struct {
	trips calls
	used  capacity
}

func (m *meter) options(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, m.trips.middleware, m.used.middleware)
}

// cost is what one request cost.
type cost struct {
	calls, trips int
	rcu          float64
}

func (c cost) String() string {
	return fmt.Sprintf("%d calls in %d round trips, %.1f read units", c.calls, c.trips, c.rcu)
}

// coldCost serves target from a new store over table whose release metadata
// is cached, as a running function has it, but nothing else: the counts a
// store keeps once read are read again. It returns what the request cost
// and the response.
func coldCost(tb testing.TB, c *dynamodb.Client, table string, m *meter, target string) (cost, *httptest.ResponseRecorder) {
	tb.Helper()
	st := dynamo.New(c, table)
	if _, err := st.Release(context.Background(), ""); err != nil {
		tb.Fatal(err)
	}
	srv := api.New(api.Config{Store: st, ResponseCacheBytes: -1})
	m.trips.take()
	m.used.take()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	if rec.Code != http.StatusOK {
		tb.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	ops, trips := m.trips.takeTrips()
	_, rcu := m.used.take()
	return cost{len(ops), trips, rcu}, rec
}

// mostFrequentTag is the tag most events of a release have.
func mostFrequentTag(rel *dataset.Release) string {
	n, best := map[string]int{}, ""
	for _, e := range rel.Events {
		for _, tag := range e.Tags {
			n[tag]++
			if n[tag] > n[best] || n[tag] == n[best] && tag < best {
				best = tag
			}
		}
	}
	return best
}

// TestFacetsCostNoMoreThanAPage checks, on DynamoDB (dynalite), what the
// facets most asked for cost a process that has not read them yet: the
// whole release, one actor, one tag, and the years 2020 to 2021. Each
// takes at most two calls in at most two round trips, and no more read
// units than the first page of the list of 2020 to 2021 (default limit).
// Their answers, and those of wider ranges of whole years (which cost more
// as they span more years, and are exact too), are the memory store's.
// The synthetic release has more events in 2020 and 2021 than a page, and
// more in all than the largest page, which a bounded read of the list
// could not count.
func TestFacetsCostNoMoreThanAPage(t *testing.T) {
	dynalitetest.Need(t, dynaliteURL)
	ctx := context.Background()
	embedded, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	synthetic, err := synth.Release(synth.Options{Events: 1000, Seed: synth.BenchSeed})
	if err != nil {
		t.Fatal(err)
	}
	var m meter
	c, err := dynalitetest.Client(ctx, dynaliteURL, m.options)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, actor string
		rel         *dataset.Release
	}{
		{"embedded", "us-nsa", embedded},
		{"synthetic-1k", "a-000000", synthetic},
	} {
		t.Run(tc.name, func(t *testing.T) {
			table := fmt.Sprintf("facets-cost-%s-%d", tc.name, os.Getpid())
			if err := dynamo.CreateTable(ctx, c, table); err != nil {
				t.Fatal(err)
			}
			if _, err := (&publish.Loader{C: c, Table: table}).Load(ctx, tc.rel, true); err != nil {
				t.Fatal(err)
			}
			mem, err := memory.New("", tc.rel)
			if err != nil {
				t.Fatal(err)
			}
			memAPI := api.New(api.Config{Store: mem, ResponseCacheBytes: -1})
			page, _ := coldCost(t, c, table, &m, "/v1/events?from=2020&to=2021")
			t.Logf("list /v1/events?from=2020&to=2021: %v", page)
			bounded := map[string]bool{
				"/v1/events/facets": true, "/v1/events/facets?actor=" + tc.actor: true,
				"/v1/events/facets?tag=" + mostFrequentTag(tc.rel): true, "/v1/events/facets?from=2020&to=2021": true,
				"/v1/events/facets?from=2015&to=2025": false, "/v1/events/facets?to=2019": false, "/v1/events/facets?from=1990": false,
			}
			for target, bound := range bounded {
				got, d := coldCost(t, c, table, &m, target)
				t.Logf("%s: %v", target, got)
				if bound && (got.calls > 2 || got.trips > 2 || got.rcu > page.rcu) {
					t.Errorf("%s: %v; want at most 2 calls and round trips, and at most the list's first page's %.1f read units", target, got, page.rcu)
				}
				mr := httptest.NewRecorder()
				memAPI.ServeHTTP(mr, httptest.NewRequest(http.MethodGet, target, nil))
				if !strings.Contains(d.Body.String(), `"total_exact":true`) || d.Body.String() != mr.Body.String() {
					t.Errorf("%s: DynamoDB's facets are not the memory store's:\nDynamoDB %.300s\nmemory   %.300s", target, d.Body, mr.Body)
				}
			}
		})
	}
}
