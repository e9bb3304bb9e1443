package pages

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/jcdd/jcdd/internal/api/httpx"
)

// page is a page's bytes, named once: its entity tag and, made when first
// asked for, its gzip form.
type page struct {
	body, gzipped []byte
	etag, gzipTag string
	once          sync.Once
}

// newPage names a page's bytes.
func newPage(body []byte) *page {
	p := &page{body: body, etag: httpx.ETag(body)}
	p.gzipTag = p.etag[:len(p.etag)-1] + `-gz"`
	return p
}

func (p *page) gzip() []byte {
	p.once.Do(func() { p.gzipped = httpx.Gzip([][]byte{p.body}, len(p.body)) })
	return p.gzipped
}

// serve writes the page, or its 304: with an ETag, gzip when the client
// accepts it, and Content-Length; the caller has set the other headers.
func (p *page) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Vary", "Accept-Encoding")
	body, etag := p.body, p.etag
	if httpx.AcceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = p.gzip(), p.gzipTag
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	if httpx.NotModified(r.Header.Get("If-None-Match"), etag) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	_, _ = w.Write(body) // the client's connection failing: nothing to answer
}
