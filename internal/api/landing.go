package api

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// The landing page at / is for readers rather than programs: what the
// dataset covers, the releases to download with their checksums, how to cite
// them, and two charts. It is HTML rendered on the server from the store —
// the same Store methods as the API, so it works over memory and DynamoDB
// alike — with no script at all.
//
// A page depends only on the current release, so it is rendered once per
// release and its bytes kept: a request costs the read of the current
// release (which the DynamoDB store caches) and nothing else. Like /docs it
// is a page, not an operation of the OpenAPI description.

var (
	//go:embed landing.css
	landingCSS string

	// landingCSP allows the page's one stylesheet, by its hash, an inline
	// icon, and nothing else: no script, no frame, no form, no fetch. The
	// JSON-LD block is data, which browsers never execute.
	landingCSP = "default-src 'none'; style-src '" + cspHash(landingCSS) + "'; img-src data:; " +
		"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// landingPage is a rendered page and the release it shows.
type landingPage struct {
	version string
	body    []byte
	etag    string
}

// landingCache holds the page of the current release. Concurrent first
// requests for a release share one rendering, so that a new release costs
// the store one set of reads however many readers arrive at once.
type landingCache struct {
	mu       sync.Mutex
	page     *landingPage
	inflight *landingCall
}

type landingCall struct {
	version string
	done    chan struct{}
	page    *landingPage
	err     error
}

// get returns the page of release rel, rendering it when the cache holds
// another release's. A failed rendering is not kept.
func (c *landingCache) get(ctx context.Context, rel store.Release, render func(context.Context, store.Release) ([]byte, error)) (*landingPage, error) {
	c.mu.Lock()
	if p := c.page; p != nil && p.version == rel.Version {
		c.mu.Unlock()
		return p, nil
	}
	call := c.inflight
	if call == nil || call.version != rel.Version {
		call = &landingCall{version: rel.Version, done: make(chan struct{})}
		c.inflight = call
		c.mu.Unlock()
		body, err := render(ctx, rel)
		if err == nil {
			call.page = &landingPage{version: rel.Version, body: body, etag: etagOf(body)}
		}
		call.err = err
		c.mu.Lock()
		if err == nil {
			c.page = call.page
		}
		if c.inflight == call {
			c.inflight = nil
		}
		c.mu.Unlock()
		close(call.done)
		return call.page, call.err
	}
	c.mu.Unlock()
	select {
	case <-call.done:
		return call.page, call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// landingHandler serves the landing page: GET and HEAD, with an ETag, the
// data endpoints' Cache-Control, and a Content-Security-Policy that allows
// no script.
func (s *Server) landingHandler() http.Handler {
	cache := &landingCache{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		rel, err := s.store.Release(ctx, "")
		var page *landingPage
		if err == nil {
			page, err = cache.get(ctx, rel, s.renderLanding)
		}
		if err != nil {
			s.pageError(ctx, w, err)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", landingCSP)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", cacheCurrent)
		h.Set("ETag", page.etag)
		h.Set("Dataset-Release", page.version)
		if notModified(r.Header.Get("If-None-Match"), page.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Length", strconv.Itoa(len(page.body)))
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusOK)
			return
		}
		_, _ = w.Write(page.body)
	})
}

// pageError answers a failure to read the store as the data endpoints do:
// a problem, 504 when the store was too slow, else 503 to retry.
func (s *Server) pageError(ctx context.Context, w http.ResponseWriter, err error) {
	if errors.Is(err, context.DeadlineExceeded) {
		s.log.ErrorContext(ctx, "landing page: store deadline exceeded", slog.Any("err", err))
		writeProblem(w, http.StatusGatewayTimeout, "the data store did not answer in time; retry shortly")
		return
	}
	s.log.ErrorContext(ctx, "landing page: store failure", slog.Any("err", err))
	w.Header().Set("Retry-After", "1")
	writeProblem(w, http.StatusServiceUnavailable, "the data store is unavailable; retry shortly")
}

// landingView is what the page shows (writeLandingPage writes it out).
type landingView struct {
	Title       string
	Current     releaseView
	Releases    []releaseView
	Counts      []countView
	APA, BibTeX string
	Timeline    timelineChart
	CoreEvents  []eventRow
	EventCount  int
	Budget      budgetChart
	JSONLD      string // JSON, with <, > and & escaped, written as it is
	CSS         string // the stylesheet, written as it is: its hash is in landingCSP
}

type releaseView struct {
	Version, Released, Summary string
	Current                    bool
	Bundle                     *bundleView
	Since                      string // the previous release, to list what changed since
}

type bundleView struct {
	Name, URL, SHA256, Size string
	Bytes                   int64
}

type countView struct {
	Kind, Label string
	N           int
}

type eventRow struct {
	ID, When, Title, TitleJA string
}

// kindLabels name the record kinds of a release's counts.
var kindLabels = map[string]string{
	"events": "events", "actors": "actors", "budgets": "budget lines", "programs": "programs", "sources": "sources",
}

// renderLanding renders the page of a release from the store.
func (s *Server) renderLanding(ctx context.Context, rel store.Release) ([]byte, error) {
	v, err := s.landingView(ctx, rel)
	if err != nil {
		return nil, err
	}
	return writeLandingPage(v), nil
}

// landingView reads what the page of a release shows from the store: its
// releases, the release's events (a page of up to 500 at a time) and budget
// summary, and the names of the agencies in the summary.
func (s *Server) landingView(ctx context.Context, rel store.Release) (*landingView, error) {
	rels, err := s.store.Releases(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing releases: %w", err)
	}
	events, err := s.allEvents(ctx, rel.Version)
	if err != nil {
		return nil, err
	}
	rows, _, err := s.store.BudgetSummary(ctx, store.SummaryQuery{Release: rel.Version})
	if err != nil {
		return nil, fmt.Errorf("reading the budget summary: %w", err)
	}
	names := map[string]agencyName{}
	for _, r := range rows {
		if _, ok := names[r.Agency]; ok {
			continue
		}
		a, _, err := s.store.Actor(ctx, rel.Version, r.Agency)
		switch {
		case errors.Is(err, store.ErrNotFound):
			names[r.Agency] = agencyName{EN: r.Agency}
		case err != nil:
			return nil, fmt.Errorf("reading actor %s: %w", r.Agency, err)
		default:
			names[r.Agency] = agencyName{EN: a.Name.EN, JA: a.Name.JA}
		}
	}

	v := &landingView{
		Title:      export.DatasetTitle,
		Current:    s.releaseView(rel, rels),
		APA:        export.CitationAPA(rel.ReleaseInfo),
		BibTeX:     export.CitationBibTeX(rel.ReleaseInfo),
		Timeline:   buildTimeline(events),
		EventCount: len(events),
		Budget:     buildBudgetChart(rows, names),
		CSS:        landingCSS,
	}
	for _, r := range rels {
		v.Releases = append(v.Releases, s.releaseView(r, rels))
	}
	for _, c := range rel.Counts {
		label := kindLabels[c.Kind]
		if label == "" {
			label = c.Kind
		}
		v.Counts = append(v.Counts, countView{Kind: c.Kind, Label: label, N: c.N})
	}
	for i := range events {
		if e := &events[i]; isCore(e) {
			when := e.Occurred
			if e.OccurredTo != "" {
				when += " – " + e.OccurredTo
			}
			v.CoreEvents = append(v.CoreEvents, eventRow{ID: e.ID, When: when, Title: e.Title.EN, TitleJA: e.Title.JA})
		}
	}
	ld, err := jsonLD(rel, v.Releases, events)
	if err != nil {
		return nil, err
	}
	v.JSONLD = string(ld)
	return v, nil
}

// allEvents reads every active event of a release, in date order.
func (s *Server) allEvents(ctx context.Context, version string) ([]dataset.Event, error) {
	q := store.EventQuery{Release: version, Page: store.PageRequest{Limit: store.MaxLimit}}
	var out []dataset.Event
	for range 1000 { // a bound, should a store ever hand back the same position
		page, err := s.store.Events(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("reading events: %w", err)
		}
		out = append(out, page.Items...)
		if page.Next == nil {
			return out, nil
		}
		q.Page.After = page.Next
	}
	return nil, errors.New("reading events: the store's pages do not end")
}

func (s *Server) releaseView(r store.Release, all []store.Release) releaseView {
	v := releaseView{Version: r.Version, Released: r.Released, Summary: r.Summary, Current: r.Current}
	if b := r.Bundle; b != nil {
		v.Bundle = &bundleView{Name: b.Name, URL: s.bundleURL(r.Version), SHA256: b.SHA256, Bytes: b.Size, Size: byteSize(b.Size)}
	}
	// all is newest first: the previous release is the next older one.
	for _, o := range all {
		if dataset.CompareVersions(o.Version, r.Version) < 0 {
			v.Since = o.Version
			break
		}
	}
	return v
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 0, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// ldKeywords are the keywords of the dataset in catalogues: those of its
// CITATION.cff, and the kinds of record it holds.
var ldKeywords = []string{"cybersecurity", "Japan", "defense", "China", "People's Liberation Army", "cyber espionage", "budget", "open data",
	"timeline", "US–Japan alliance"}

// jsonLD describes the current release as a schema.org Dataset, with one
// DataDownload per release bundle (the current one first). A bundle the
// server serves itself has a URL relative to the page, which JSON-LD
// resolves against the page's address.
func jsonLD(rel store.Release, releases []releaseView, events []dataset.Event) ([]byte, error) {
	type download struct {
		Type           string `json:"@type"`
		Name           string `json:"name"`
		Version        string `json:"version"`
		ContentURL     string `json:"contentUrl"`
		EncodingFormat string `json:"encodingFormat"`
		ContentSize    string `json:"contentSize"`
		SHA256         string `json:"sha256"`
	}
	type org struct {
		Type string `json:"@type"`
		Name string `json:"name"`
		URL  string `json:"url"`
	}
	d := struct {
		Context             string     `json:"@context"`
		Type                string     `json:"@type"`
		Name                string     `json:"name"`
		AlternateName       string     `json:"alternateName"`
		Description         string     `json:"description"`
		URL                 string     `json:"url"`
		Version             string     `json:"version"`
		DatePublished       string     `json:"datePublished"`
		License             string     `json:"license"`
		IsAccessibleForFree bool       `json:"isAccessibleForFree"`
		Creator             org        `json:"creator"`
		Keywords            []string   `json:"keywords"`
		InLanguage          []string   `json:"inLanguage"`
		SpatialCoverage     string     `json:"spatialCoverage"`
		TemporalCoverage    string     `json:"temporalCoverage,omitempty"`
		Distribution        []download `json:"distribution"`
	}{
		Context: "https://schema.org", Type: "Dataset",
		Name: export.DatasetTitle, AlternateName: "jcdd",
		Description: "A versioned, sourced dataset of the 2020 intrusion by China's People's Liberation Army into Japan's classified defense networks, " +
			"the US–Japan response, and Japan's cybersecurity budget and programs: events, actors, budget lines, programs and the sources behind every record. " +
			rel.Summary,
		URL: export.RepositoryURL, Version: rel.Version, DatePublished: rel.Released,
		License: export.LicenceURL, IsAccessibleForFree: true,
		Creator:         org{Type: "Organization", Name: export.DatasetAuthor, URL: export.RepositoryURL},
		Keywords:        ldKeywords,
		InLanguage:      []string{"en", "ja"},
		SpatialCoverage: "Japan",
		Distribution:    []download{},
	}
	if len(events) > 0 {
		first, last := yearRange(events)
		d.TemporalCoverage = fmt.Sprintf("%d/%d", first, last)
	}
	for _, r := range releases {
		if b := r.Bundle; b != nil && b.URL != "" {
			dl := download{Type: "DataDownload", Name: b.Name, Version: r.Version, ContentURL: b.URL,
				EncodingFormat: mediaZip, ContentSize: strconv.FormatInt(b.Bytes, 10) + " B", SHA256: b.SHA256}
			if r.Current {
				d.Distribution = append([]download{dl}, d.Distribution...)
			} else {
				d.Distribution = append(d.Distribution, dl)
			}
		}
	}
	// json.Marshal escapes <, > and &, so the block cannot close its script
	// element early.
	return json.Marshal(d)
}
