package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api/httpx"
	"github.com/jcdd/jcdd/internal/store/memory"
)

// embeddedServer is the API over the embedded releases, as make run serves
// them, with the response cache on or off.
func embeddedServer(t *testing.T, cacheBytes int) *Server {
	t.Helper()
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	st, err := memory.New("", rels...)
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{Store: st, ResponseCacheBytes: cacheBytes})
}

func serve(s *Server, target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

// conditionalTargets cover every kind of data answer: pages in each format,
// with fields and cursors' releases, records and the budget summary.
var conditionalTargets = []string{
	"/v1/events?limit=50", "/v1/events?format=csv&limit=50", "/v1/events?format=ndjson&fields=title",
	"/v1/events?release=1.0.0&actor=us-nsa", "/v1/actors?fields=name", "/v1/budgets?format=csv-excel",
	"/v1/programs", "/v1/sources?limit=5", "/v1/actors/us-nsa/events",
	"/v1/events/nsa-discovers-intrusion", "/v1/actors/us-nsa?fields=name", "/v1/budgets/summary",
	"/v1/budgets/summary?format=csv", "/v1/releases/1.1.0/changes?since=1.0.0", "/v1/releases/latest/changes?since=1.0.0&format=csv",
}

// A conditional request whose If-None-Match names the answer is answered
// 304 without a body being built, with the cache off (every request is a
// first request) and on.
func TestNotModifiedBuildsNoBody(t *testing.T) {
	for _, cacheBytes := range []int{-1, 0} {
		s := embeddedServer(t, cacheBytes)
		// A page that continues a cursor of release 1.0.0, which is not
		// the current one: pinned by the cursor.
		var first struct {
			NextCursor string `json:"next_cursor"`
		}
		if err := json.Unmarshal(serve(s, "/v1/events?release=1.0.0&limit=5").Body.Bytes(), &first); err != nil || first.NextCursor == "" {
			t.Fatalf("no cursor: %v", err)
		}
		targets := append(slices.Clone(conditionalTargets), "/v1/events?release=1.0.0&limit=5&cursor="+first.NextCursor,
			"/v1/events?limit=5&cursor="+first.NextCursor)
		for _, target := range targets {
			for _, enc := range []string{"", "gzip"} {
				first := serve(s, target, "Accept-Encoding", enc)
				if first.Code != http.StatusOK {
					t.Fatalf("%s: %d %s", target, first.Code, first.Body)
				}
				etag := first.Header().Get("ETag")
				before := bodiesBuilt.Load()
				again := serve(s, target, "Accept-Encoding", enc, "If-None-Match", etag)
				if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
					t.Errorf("cache %d, %s (%q): %d with %d bytes, want an empty 304", cacheBytes, target, enc, again.Code, again.Body.Len())
				}
				if n := bodiesBuilt.Load() - before; n != 0 {
					t.Errorf("cache %d, %s (%q): the 304 built %d bodies", cacheBytes, target, enc, n)
				}
				if again.Header().Get("ETag") != etag || again.Header().Get("Vary") != first.Header().Get("Vary") ||
					again.Header().Get("Cache-Control") != first.Header().Get("Cache-Control") {
					t.Errorf("cache %d, %s (%q): 304 headers %v, 200 headers %v", cacheBytes, target, enc, again.Header(), first.Header())
				}
				// The other coding has another tag: no 304 for it.
				other := "gzip"
				if enc == "gzip" {
					other = ""
				}
				if r := serve(s, target, "Accept-Encoding", other, "If-None-Match", etag); r.Code != http.StatusOK && r.Body.Len() > httpx.MinGzipBody {
					t.Errorf("cache %d, %s: the tag of coding %q validated coding %q", cacheBytes, target, enc, other)
				}
			}
		}
	}
}

// Pages come gzip-coded to clients that accept it: the same bytes once
// decoded, a different ETag, and a page of 50 events at least 3x smaller.
func TestGzip(t *testing.T) {
	for _, cacheBytes := range []int{-1, 0} {
		s := embeddedServer(t, cacheBytes)
		for _, target := range []string{"/v1/events?limit=50", "/v1/events?limit=50&format=csv", "/v1/events?limit=50&format=ndjson", "/v1/actors", "/v1/events/nsa-discovers-intrusion"} {
			plain := serve(s, target)
			for i := range 2 { // a miss, then (with the cache) a hit
				gz := serve(s, target, "Accept-Encoding", "br;q=1, gzip;q=0.8")
				if gz.Header().Get("Content-Encoding") != "gzip" {
					t.Fatalf("%s (%d): Content-Encoding %q", target, i, gz.Header().Get("Content-Encoding"))
				}
				zr, err := gzip.NewReader(bytes.NewReader(gz.Body.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				decoded, err := io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(decoded, plain.Body.Bytes()) {
					t.Errorf("%s: the gzip body does not decode to the identity body", target)
				}
				if gz.Header().Get("ETag") == plain.Header().Get("ETag") {
					t.Errorf("%s: one ETag for two codings", target)
				}
				if target == "/v1/events?limit=50" {
					if ratio := float64(plain.Body.Len()) / float64(gz.Body.Len()); ratio < 3 {
						t.Errorf("%s: %d bytes, %d gzipped: only %.1fx smaller", target, plain.Body.Len(), gz.Body.Len(), ratio)
					}
				}
			}
			if no := serve(s, target, "Accept-Encoding", "gzip;q=0, identity"); no.Header().Get("Content-Encoding") != "" {
				t.Errorf("%s: gzip sent to a client that refused it", target)
			}
		}
	}
}

var updateETags = flag.Bool("update-etags", false, "rewrite testdata/etags.json from the current answers")

// The entity tag of an answer names its bytes: for a pinned set of answers
// of published releases, the bytes may change only together with the tag
// (that is, with representationVersion). A change that alters them fails
// here until representationVersion is bumped and the file is rewritten
// with -update-etags.
func TestETagNamesTheBytes(t *testing.T) {
	const file = "testdata/etags.json"
	s := embeddedServer(t, -1)
	type answer struct{ ETag, SHA256 string }
	got := map[string]answer{}
	for _, target := range conditionalTargets {
		for _, release := range []string{"1.0.0", "1.1.0"} {
			u := target + "&release=" + release
			if !bytes.Contains([]byte(target), []byte("?")) {
				u = target + "?release=" + release
			}
			if bytes.Contains([]byte(target), []byte("release=")) || bytes.HasPrefix([]byte(target), []byte("/v1/releases/")) {
				u = target
			}
			r := serve(s, u)
			if r.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", u, r.Code, r.Body)
			}
			sum := sha256.Sum256(r.Body.Bytes())
			got[u] = answer{r.Header().Get("ETag"), hex.EncodeToString(sum[:])}
		}
	}
	if *updateETags {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v: run go test -run TestETagNamesTheBytes -update-etags ./internal/api", err)
	}
	var want map[string]answer
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	for u, g := range got {
		w, ok := want[u]
		switch {
		case !ok:
			t.Errorf("%s is not in %s: rewrite it with -update-etags", u, file)
		case g.ETag == w.ETag && g.SHA256 != w.SHA256:
			t.Errorf("%s: the bytes changed but the ETag did not: bump representationVersion, then rewrite %s with -update-etags", u, file)
		case g.ETag != w.ETag && g.SHA256 == w.SHA256:
			t.Errorf("%s: the ETag changed but the bytes did not: rewrite %s with -update-etags", u, file)
		case g != w:
			t.Errorf("%s: bytes and ETag changed: rewrite %s with -update-etags", u, file)
		}
	}
}
