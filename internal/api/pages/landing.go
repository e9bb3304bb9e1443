package pages

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"github.com/jcdd/jcdd/internal/api/httpx"
	"github.com/jcdd/jcdd/internal/site/style"
	"github.com/jcdd/jcdd/internal/store"
)

// The landing pages at / (English) and /ja/ (Japanese) are for readers
// rather than programs: what the dataset covers, the releases to download
// with their checksums, how to cite them, and two charts, with no script
// at all. They are rendered once, when a release is built (package site),
// and served here as bytes: from the releases the local server built, or
// from the DynamoDB table, into which the loader writes them.

// Source gives the rendered pages of releases, by language (en, ja).
type Source interface {
	// Page returns a page of a release, or an error wrapping
	// store.ErrNotFound when there is none.
	Page(ctx context.Context, version, lang string) ([]byte, error)
}

// Landing serves the landing pages of the current release.
type Landing struct {
	src     Source
	current func(context.Context) (string, error)
	log     *slog.Logger
	cache   pageCache
}

// NewLanding serves the pages of src (none when it is nil) for the release
// that current names, the one the data endpoints answer from; failures to
// read a page go to log.
func NewLanding(src Source, current func(context.Context) (string, error), log *slog.Logger) *Landing {
	return &Landing{src: src, current: current, log: log}
}

// pageCache keeps the pages served, by release and language: a release's
// pages never change.
type pageCache struct{ m sync.Map }

func (c *pageCache) get(ctx context.Context, src Source, version, lang string) (*page, error) {
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

// Handler serves the page of the current release in a language: GET and
// HEAD, with an ETag, the data endpoints' Cache-Control, gzip when the
// client accepts it, and a Content-Security-Policy that allows no script.
func (l *Landing) Handler(lang string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		src := l.src
		if src == nil {
			httpx.WriteProblem(w, http.StatusNotFound, "this server has no pages; the API is at /v1 and described at /docs")
			return
		}
		version, err := l.current(ctx)
		var p *page
		if err == nil {
			p, err = l.cache.get(ctx, src, version, lang)
		}
		if err != nil {
			l.pageError(ctx, w, err)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", style.CSP)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", httpx.CacheCurrent)
		h.Set("Dataset-Release", version)
		p.serve(w, r)
	})
}

// pageError answers a failure to read a page as the data endpoints do: a
// problem, 504 when the store was too slow, else 503 to retry.
func (l *Landing) pageError(ctx context.Context, w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		l.log.ErrorContext(ctx, "page: not built", slog.Any("err", err))
		httpx.WriteProblem(w, http.StatusNotFound, "the current release has no page in this language")
	case errors.Is(err, context.DeadlineExceeded):
		l.log.ErrorContext(ctx, "page: store deadline exceeded", slog.Any("err", err))
		httpx.WriteProblem(w, http.StatusGatewayTimeout, "the data store did not answer in time; retry shortly")
	default:
		l.log.ErrorContext(ctx, "page: store failure", slog.Any("err", err))
		w.Header().Set("Retry-After", "1")
		httpx.WriteProblem(w, http.StatusServiceUnavailable, "the data store is unavailable; retry shortly")
	}
}
