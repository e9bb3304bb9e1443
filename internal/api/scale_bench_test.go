package api_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/synth"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
)

// The scale benchmarks serve synthetic releases (package synth) of several
// sizes and measure the latency of filtered lists, without the response
// cache (every request is a first request), over the memory store and over
// DynamoDB (dynalite), plus what each size costs: the memory store's index
// build and the process's peak RSS, and the DynamoDB calls and read
// capacity of each request.
//
// Sizes come from JCDD_BENCH_SIZES ("1k,10k,100k"); by default only 1k, so
// that make test, which runs every benchmark once, stays quick. The
// DynamoDB part loads each size into the test's dynalite, unless
// JCDD_BENCH_DYNAMODB names an endpoint where tools/bench has already
// loaded table jcdd-bench-<size> with the loader.
//
//	JCDD_BENCH_SIZES=10k go test -run '^$' -bench Scale ./internal/api

// scaleQueries are the filtered lists measured. Each fills its page at
// every size, so that the pages compared are the same size; text-miss is a
// text search that matches nothing, the one filter no index serves (a
// substring search scans every record's text).
func scaleQueries(rel *dataset.Release) []struct{ name, target string } {
	tag := ""
	for _, e := range rel.Events {
		for _, t := range e.Tags {
			if strings.HasSuffix(t, "-0") {
				tag = t
			}
		}
	}
	return []struct{ name, target string }{
		{"actor", "/v1/events?actor=a-000001&limit=20"},
		{"types-countries", "/v1/events?type=statement&type=report&country=JP&country=US&limit=20"},
		{"range", "/v1/events?from=2010&to=2011&limit=20"},
		{"range-tag-desc", "/v1/events?from=2005&tag=" + tag + "&sort=-occurred&limit=20"},
		{"budgets", "/v1/budgets?agency=a-000000&category=cyber-item&limit=20"},
		{"text-miss", "/v1/events?q=zzzz&limit=20"},
	}
}

// benchSizes parses JCDD_BENCH_SIZES.
func benchSizes(b *testing.B) []int {
	spec := os.Getenv("JCDD_BENCH_SIZES")
	if spec == "" {
		spec = "1k"
	}
	var out []int
	for _, s := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "k"))
		if err != nil {
			b.Fatalf("JCDD_BENCH_SIZES: %q is not a size like 10k", s)
		}
		if strings.HasSuffix(s, "k") {
			n *= 1000
		}
		out = append(out, n)
	}
	return out
}

func sizeName(n int) string {
	if n%1000 == 0 {
		return fmt.Sprintf("%dk", n/1000)
	}
	return strconv.Itoa(n)
}

var synthReleases sync.Map // size → *dataset.Release

func synthRelease(b *testing.B, n int) *dataset.Release {
	if r, ok := synthReleases.Load(n); ok {
		return r.(*dataset.Release)
	}
	rel, err := synth.Release(synth.Options{Events: n, Seed: synth.BenchSeed})
	if err != nil {
		b.Fatal(err)
	}
	synthReleases.Store(n, rel)
	return rel
}

// procStatus reads a value in kB from /proc/self/status (VmHWM, VmRSS), in
// MB; 0 where there is no /proc.
func procStatus(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer func() { _ = f.Close() }() // read only
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// latencies serves target b.N times and reports the median and the 99th
// percentile, in microseconds, beside the mean that ns/op gives. each, if
// set, runs after every request, the first (untimed) one included.
func latencies(b *testing.B, h http.Handler, target string, each func()) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
	}
	if each != nil {
		each()
	}
	var d []time.Duration
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		d = append(d, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", target, rec.Code)
		}
		if each != nil {
			each()
		}
	}
	b.StopTimer()
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(d[min(len(d)-1, len(d)*99/100)].Microseconds()), "p99-µs")
}

// BenchmarkScale measures filtered lists at each size, over each store.
func BenchmarkScale(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run("memory/"+sizeName(n), func(b *testing.B) { scaleMemory(b, n) })
	}
	for _, n := range benchSizes(b) {
		b.Run("dynamodb/"+sizeName(n), func(b *testing.B) { scaleDynamoDB(b, n) })
	}
}

func scaleMemory(b *testing.B, n int) {
	rel := synthRelease(b, n)
	st, err := memory.New("", rel)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("build", func(b *testing.B) {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		var built *memory.Store
		for b.Loop() {
			if built, err = memory.New("", rel); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		// The heap the last index holds (the process also holds the
		// release it was built from, and the first index).
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "index-MB")
		b.ReportMetric(procStatus("VmHWM"), "peak-rss-MB")
		runtime.KeepAlive(built)
	})
	srv := api.New(api.Config{Store: st, ResponseCacheBytes: -1})
	cached := api.New(api.Config{Store: st})
	for _, q := range scaleQueries(rel) {
		b.Run(q.name, func(b *testing.B) { latencies(b, srv, q.target, nil) })
	}
	q := scaleQueries(rel)[0]
	b.Run(q.name+"-cached", func(b *testing.B) { latencies(b, cached, q.target, nil) })
}

// capacity counts the DynamoDB calls of a client and the read capacity its
// reads consumed. It asks every Query and GetItem for its consumed capacity
// (the store asks for it too; asking changes nothing about what a read
// reads or costs), so that no read goes uncounted.
type capacity struct {
	mu    sync.Mutex
	calls int
	rcu   float64
}

func (c *capacity) middleware(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("jcdd-bench-capacity",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			switch p := in.Parameters.(type) {
			case *dynamodb.GetItemInput:
				p.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
			case *dynamodb.QueryInput:
				p.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
			}
			out, md, err := next.HandleInitialize(ctx, in)
			c.mu.Lock()
			c.calls++
			var used *types.ConsumedCapacity
			switch r := out.Result.(type) {
			case *dynamodb.QueryOutput:
				used = r.ConsumedCapacity
			case *dynamodb.GetItemOutput:
				used = r.ConsumedCapacity
			}
			if used != nil && used.CapacityUnits != nil {
				c.rcu += *used.CapacityUnits
			}
			c.mu.Unlock()
			return out, md, err
		}), middleware.After)
}

func (c *capacity) take() (int, float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, r := c.calls, c.rcu
	c.calls, c.rcu = 0, 0
	return n, r
}

// loadedTables remembers the sizes loaded into the test's dynalite.
var loadedTables sync.Map

func scaleDynamoDB(b *testing.B, n int) {
	ctx := context.Background()
	url, table := os.Getenv("JCDD_BENCH_DYNAMODB"), "jcdd-bench-"+sizeName(n)
	if url == "" {
		dynalitetest.Need(b, dynaliteURL)
		url = dynaliteURL
	}
	var m meter
	used := &m.used
	c, err := dynalitetest.Client(ctx, url, m.options)
	if err != nil {
		b.Fatal(err)
	}
	rel := synthRelease(b, n)
	if os.Getenv("JCDD_BENCH_DYNAMODB") == "" {
		if _, done := loadedTables.LoadOrStore(table, true); !done {
			if err := dynamo.CreateTable(ctx, c, table); err != nil {
				b.Fatal(err)
			}
			l := &publish.Loader{C: c, Table: table}
			if _, err := l.Load(ctx, rel, true); err != nil {
				b.Fatal(err)
			}
		}
	}
	st := dynamo.New(c, table)
	if _, err := st.Release(ctx, ""); err != nil { // warm the metadata cache, as a running function has it
		b.Fatal(err)
	}
	srv := api.New(api.Config{Store: st, ResponseCacheBytes: -1})
	for _, q := range scaleQueries(rel) {
		b.Run(q.name, func(b *testing.B) {
			used.take()
			var calls []int
			var rcu []float64
			first := true
			latencies(b, srv, q.target, func() {
				n, r := used.take()
				if first { // the untimed request
					first = false
					return
				}
				calls, rcu = append(calls, n), append(rcu, r)
			})
			slices.Sort(calls)
			slices.Sort(rcu)
			// A request makes one data call, and one more when the store's
			// release metadata is older than its TTL (every 5 s).
			b.ReportMetric(float64(calls[len(calls)/2]), "calls/op")
			b.ReportMetric(float64(calls[len(calls)-1]), "max-calls/op")
			b.ReportMetric(rcu[len(rcu)/2], "RCU/op")
		})
	}
	// The facets of a range of whole years, and the first page of its list
	// (default limit), each the first request of a new store: a store keeps
	// the counts it has read. The facets may not read more.
	b.Run("facets-range", func(b *testing.B) {
		const facets, list = "/v1/events/facets?from=2020&to=2021", "/v1/events?from=2020&to=2021"
		var f, l cost
		for b.Loop() {
			f, _ = coldCost(b, c, table, &m, facets)
			l, _ = coldCost(b, c, table, &m, list)
		}
		b.Logf("%s: %v; %s: %v", facets, f, list, l)
		if f.rcu > l.rcu || f.calls > 2 {
			b.Errorf("%s: %v, more than the list's first page (%v)", facets, f, l)
		}
		b.ReportMetric(float64(f.calls), "calls/op")
		b.ReportMetric(f.rcu, "RCU/op")
		b.ReportMetric(l.rcu, "list-RCU/op")
	})
}
