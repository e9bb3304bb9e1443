package pages

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jcdd/jcdd/internal/api/httpx"
	"github.com/jcdd/jcdd/internal/site/style"
	"github.com/jcdd/jcdd/internal/store"
)

// fakeSource has a page per release and language, counts its reads, and
// fails with err when it is set.
type fakeSource struct {
	reads atomic.Int64
	err   error
}

func (f *fakeSource) Page(_ context.Context, version, lang string) ([]byte, error) {
	f.reads.Add(1)
	if f.err != nil {
		return nil, f.err
	}
	// Large enough to be worth compressing.
	return []byte(`<!doctype html><html lang="` + lang + `"><p>release ` + version + strings.Repeat(" <p>text", 200)), nil
}

func get(h http.Handler, method string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/", nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestLanding: the page of the current release, read once per release and
// language, with its validators, gzip, conditional requests and HEAD.
func TestLanding(t *testing.T) {
	src := &fakeSource{}
	var current atomic.Value
	current.Store("1.0.0")
	l := NewLanding(src, func(context.Context) (string, error) { return current.Load().(string), nil }, slog.New(slog.DiscardHandler))
	en, ja := l.Handler("en"), l.Handler("ja")

	r := get(en, http.MethodGet)
	want, _ := src.Page(context.Background(), "1.0.0", "en")
	src.reads.Store(0)
	if r.Code != http.StatusOK || !bytes.Equal(r.Body.Bytes(), want) {
		t.Fatalf("GET: %d, %.40q", r.Code, r.Body.String())
	}
	etag := r.Header().Get("ETag")
	for k, v := range map[string]string{
		"Content-Type": "text/html; charset=utf-8", "Content-Length": strconv.Itoa(len(want)), "ETag": httpx.ETag(want),
		"Cache-Control": httpx.CacheCurrent, "Dataset-Release": "1.0.0", "Vary": "Accept-Encoding",
		"Content-Security-Policy": style.CSP, "X-Frame-Options": "DENY", "Content-Encoding": "",
	} {
		if got := r.Header().Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}

	gz := get(en, http.MethodGet, "Accept-Encoding", "gzip")
	gzLen := gz.Body.Len()
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	if body, err := io.ReadAll(zr); err != nil || !bytes.Equal(body, want) || gz.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip: %v, coding %q, the body decodes to the page: %v", err, gz.Header().Get("Content-Encoding"), bytes.Equal(body, want))
	}
	gzTag := gz.Header().Get("ETag")
	if gzTag == etag || gz.Header().Get("Content-Length") != strconv.Itoa(gzLen) {
		t.Errorf("gzip: ETag %s (identity %s), Content-Length %s for %d bytes", gzTag, etag, gz.Header().Get("Content-Length"), gzLen)
	}

	for _, c := range []struct{ inm, coding string }{{etag, ""}, {"W/" + etag, ""}, {`"x", ` + etag, ""}, {"*", ""}, {gzTag, "gzip"}} {
		nm := get(en, http.MethodGet, "If-None-Match", c.inm, "Accept-Encoding", c.coding)
		if nm.Code != http.StatusNotModified || nm.Body.Len() != 0 || nm.Header().Get("Content-Encoding") != "" || nm.Header().Get("ETag") == "" {
			t.Errorf("If-None-Match %s: %d, %d bytes, coding %q", c.inm, nm.Code, nm.Body.Len(), nm.Header().Get("Content-Encoding"))
		}
	}
	if nm := get(en, http.MethodGet, "If-None-Match", etag, "Accept-Encoding", "gzip"); nm.Code != http.StatusOK {
		t.Errorf("the identity tag for a gzip answer: %d", nm.Code)
	}
	if head := get(en, http.MethodHead); head.Code != http.StatusOK || head.Body.Len() != 0 || head.Header().Get("Content-Length") != strconv.Itoa(len(want)) {
		t.Errorf("HEAD: %d, %d bytes, length %s", head.Code, head.Body.Len(), head.Header().Get("Content-Length"))
	}
	if n := src.reads.Load(); n != 0 {
		t.Errorf("%d more reads of a page already read", n)
	}

	if r := get(ja, http.MethodGet); !strings.Contains(r.Body.String(), `lang="ja"`) || r.Header().Get("ETag") == etag {
		t.Errorf("ja: %.40q, ETag %s", r.Body.String(), r.Header().Get("ETag"))
	}
	current.Store("2.0.0")
	if r := get(en, http.MethodGet); !strings.Contains(r.Body.String(), "release 2.0.0") || r.Header().Get("Dataset-Release") != "2.0.0" {
		t.Errorf("after 2.0.0 became current: %.60q, release %s", r.Body.String(), r.Header().Get("Dataset-Release"))
	}
	if n := src.reads.Load(); n != 2 {
		t.Errorf("%d reads for two new pages, want 2", n)
	}
}

// TestLandingErrors: a failure is a problem, as for the data endpoints,
// and never a page.
func TestLandingErrors(t *testing.T) {
	gone := errors.New("the table is gone")
	for _, c := range []struct {
		name       string
		src        Source
		currentErr error
		status     int
	}{
		{"no source", nil, nil, http.StatusNotFound},
		{"no page", &fakeSource{err: fmt.Errorf("page: %w", store.ErrNotFound)}, nil, http.StatusNotFound},
		{"slow source", &fakeSource{err: fmt.Errorf("page: %w", context.DeadlineExceeded)}, nil, http.StatusGatewayTimeout},
		{"source failure", &fakeSource{err: gone}, nil, http.StatusServiceUnavailable},
		{"no current release", &fakeSource{}, fmt.Errorf("release: %w", store.ErrNotFound), http.StatusNotFound},
		{"store failure", &fakeSource{}, gone, http.StatusServiceUnavailable},
	} {
		l := NewLanding(c.src, func(context.Context) (string, error) { return "1.0.0", c.currentErr }, slog.New(slog.DiscardHandler))
		r := get(l.Handler("en"), http.MethodGet)
		if r.Code != c.status || r.Header().Get("Content-Type") != "application/problem+json" || strings.Contains(r.Body.String(), "gone") {
			t.Errorf("%s: %d %s %s, want a %d problem", c.name, r.Code, r.Header().Get("Content-Type"), r.Body.String(), c.status)
		}
		if retry := r.Header().Get("Retry-After") != ""; retry != (c.status == http.StatusServiceUnavailable) {
			t.Errorf("%s: Retry-After %q", c.name, r.Header().Get("Retry-After"))
		}
	}
}

// TestDocs: the reference page is the embedded one, with a policy that
// allows its inline styles and no script.
func TestDocs(t *testing.T) {
	h := Docs()
	r := get(h, http.MethodGet)
	if r.Code != http.StatusOK || !bytes.Equal(r.Body.Bytes(), DocsPage()) || !bytes.HasPrefix(DocsPage(), []byte("<!doctype html>")) {
		t.Fatalf("GET /docs: %d, %d bytes", r.Code, r.Body.Len())
	}
	csp := r.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'unsafe-inline'") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q", csp)
	}
	if r.Header().Get("ETag") != httpx.ETag(DocsPage()) || r.Header().Get("Cache-Control") != httpx.CacheCurrent {
		t.Errorf("ETag %s, Cache-Control %s", r.Header().Get("ETag"), r.Header().Get("Cache-Control"))
	}
	if nm := get(h, http.MethodGet, "If-None-Match", r.Header().Get("ETag")); nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d, %d bytes", nm.Code, nm.Body.Len())
	}
}
