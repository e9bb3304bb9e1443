package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/jcdd/jcdd/internal/site/style"
	"github.com/jcdd/jcdd/internal/store"
)

// The landing pages at / (English) and /ja/ (Japanese) are for readers
// rather than programs: what the dataset covers, the releases to download
// with their checksums, how to cite them, and two charts, with no script
// at all. They are rendered once, when a release is built (package site),
// and served here as bytes: from the releases the local server built, or
// from the DynamoDB table, into which the loader writes them. Like /docs,
// they are pages, not operations of the OpenAPI description.

// PageSource gives the rendered pages of releases, by language (en, ja).
type PageSource interface {
	// Page returns a page of a release, or an error wrapping
	// store.ErrNotFound when there is none.
	Page(ctx context.Context, version, lang string) ([]byte, error)
}

// page is a page's bytes, named once: its entity tag and, made when first
// asked for, its gzip form.
type page struct {
	body, gzipped []byte
	etag, gzipTag string
	once          sync.Once
}

// newPage names a page's bytes.
func newPage(body []byte) *page {
	p := &page{body: body, etag: etagOf(body)}
	p.gzipTag = p.etag[:len(p.etag)-1] + `-gz"`
	return p
}

func (p *page) gzip() []byte {
	p.once.Do(func() { p.gzipped = gzipBytes(pieces{p.body}, len(p.body)) })
	return p.gzipped
}

// pageCache keeps the pages served, by release and language: a release's
// pages never change.
type pageCache struct{ m sync.Map }

func (c *pageCache) get(ctx context.Context, src PageSource, version, lang string) (*page, error) {
	key := version + "\x00" + lang
	if p, ok := c.m.Load(key); ok {
		return p.(*page), nil
	}
	body, err := src.Page(ctx, version, lang)
	if err != nil {
		return nil, err
	}
	actual, _ := c.m.LoadOrStore(key, newPage(body))
	return actual.(*page), nil
}

// pageHandler serves the page of the current release in a language: GET
// and HEAD, with an ETag, the data endpoints' Cache-Control, gzip when the
// client accepts it, and a Content-Security-Policy that allows no script.
func (s *Server) pageHandler(lang string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		src := s.pages
		if src == nil {
			writeProblem(w, http.StatusNotFound, "this server has no pages; the API is at /v1 and described at /docs")
			return
		}
		version, err := s.resolve(ctx, "")
		var p *page
		if err == nil {
			p, err = s.pageCache.get(ctx, src, version, lang)
		}
		if err != nil {
			s.pageError(ctx, w, err)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", style.CSP)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", cacheCurrent)
		h.Set("Dataset-Release", version)
		p.serve(w, r)
	})
}

// serve writes the page, or its 304: with an ETag, gzip when the client
// accepts it, and Content-Length; the caller has set the other headers.
func (p *page) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Vary", "Accept-Encoding")
	body, etag := p.body, p.etag
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body, etag = p.gzip(), p.gzipTag
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	if notModified(r.Header.Get("If-None-Match"), etag) {
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

// pageError answers a failure to read a page as the data endpoints do: a
// problem, 504 when the store was too slow, else 503 to retry.
func (s *Server) pageError(ctx context.Context, w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.log.ErrorContext(ctx, "page: not built", slog.Any("err", err))
		writeProblem(w, http.StatusNotFound, "the current release has no page in this language")
	case errors.Is(err, context.DeadlineExceeded):
		s.log.ErrorContext(ctx, "page: store deadline exceeded", slog.Any("err", err))
		writeProblem(w, http.StatusGatewayTimeout, "the data store did not answer in time; retry shortly")
	default:
		s.log.ErrorContext(ctx, "page: store failure", slog.Any("err", err))
		w.Header().Set("Retry-After", "1")
		writeProblem(w, http.StatusServiceUnavailable, "the data store is unavailable; retry shortly")
	}
}
