package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store/memory"
)

// The in-process benchmarks measure the whole HTTP handler path of the API
// (middleware, routing, Huma's parameter parsing and validation, the
// response cache, the store, encoding) over the embedded dataset, beside a
// "limit" handler registered on the same mux, behind the same middleware,
// that writes the very same headers and bytes, precomputed. The ratio of
// the two is how close the API comes to serving a static file from the same
// process. tools/bench runs them with -count and prints medians and ratios;
// make test runs each once.
//
//	go test -run '^$' -bench Handler -benchmem ./internal/api

// benchCases are the requests measured, by name.
var benchCases = []struct{ name, target string }{
	{"events", "/v1/events"},
	{"filtered", "/v1/events?actor=us-nsa&from=2020&to=2024&sort=-occurred"},
	{"event", "/v1/events/nsa-discovers-intrusion"},
	{"summary", "/v1/budgets/summary"},
	{"csv", "/v1/events?format=csv"},
}

// discard is a ResponseWriter that keeps nothing, so that every handler
// measured pays the same (small) cost for writing.
type discard struct {
	h    http.Header
	n    int
	code int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) Write(b []byte) (int, error) {
	d.n += len(b)
	return len(b), nil
}
func (d *discard) WriteHeader(code int) { d.code = code }

func (d *discard) reset() {
	clear(d.h)
	d.n, d.code = 0, 0
}

// benchServers builds the API over the embedded releases twice: with the
// response cache (as deployed) and without it (every request is a first
// request), and registers on the first one's mux a limit handler for each
// case, serving the answer the API gives.
func benchServers(b *testing.B) (cached, uncached *Server) {
	b.Helper()
	rels, err := dataset.Releases()
	if err != nil {
		b.Fatal(err)
	}
	st, err := memory.New("", rels...)
	if err != nil {
		b.Fatal(err)
	}
	cached = New(Config{Store: st})
	uncached = New(Config{Store: st, ResponseCacheBytes: -1})
	for _, c := range benchCases {
		rec := httptest.NewRecorder()
		cached.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.target, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", c.target, rec.Code, rec.Body)
		}
		header, body := rec.Header().Clone(), rec.Body.Bytes()
		// The middleware sets these itself.
		for _, h := range []string{"X-Request-Id", "X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy",
			"Access-Control-Allow-Origin", "Access-Control-Expose-Headers"} {
			header.Del(h)
		}
		cached.mux.HandleFunc("GET /bench-limit/"+c.name, func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			for k, v := range header {
				h[k] = v
			}
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(body)
		})
	}
	return cached, uncached
}

// BenchmarkHandler measures each case three ways: limit (precomputed bytes
// on the same mux), cached (a repeated request) and first (a request the
// cache has not seen: the server has no cache).
func BenchmarkHandler(b *testing.B) {
	cached, uncached := benchServers(b)
	for _, c := range benchCases {
		for _, mode := range []struct {
			name   string
			srv    *Server
			target string
		}{
			{"limit", cached, "/bench-limit/" + c.name},
			{"cached", cached, c.target},
			{"first", uncached, c.target},
		} {
			b.Run(c.name+"/"+mode.name, func(b *testing.B) {
				req := httptest.NewRequest(http.MethodGet, mode.target, nil)
				w := &discard{h: http.Header{}}
				mode.srv.ServeHTTP(w, req) // warm the cache
				if w.code != http.StatusOK {
					b.Fatalf("%s: status %d", mode.target, w.code)
				}
				size := w.n
				b.SetBytes(int64(size))
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					w.reset()
					mode.srv.ServeHTTP(w, req)
				}
				b.StopTimer()
				if w.code != http.StatusOK || w.n != size {
					b.Fatalf("%s: status %d, %d bytes (want %d)", mode.target, w.code, w.n, size)
				}
			})
		}
	}
}

// BenchmarkNew measures building the API, as a cold Lambda does once: lazy
// is New alone (operations are registered when first asked for), eager
// also registers every operation and finishes the description, as a
// request for openapi.json does.
func BenchmarkNew(b *testing.B) {
	b.Run("lazy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = New(Config{})
		}
	})
	b.Run("eager", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = New(Config{}).OpenAPI()
		}
	})
}
