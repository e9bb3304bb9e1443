// Package site renders the web pages of a release: the landing page, in
// English at / and in Japanese at /ja/, with what the dataset covers, the
// releases to download with their checksums, how to cite them, and two
// charts, all without any script. Pages are rendered with html/template
// once, when a release is built (package release): the API serves their
// bytes, from memory or from the DynamoDB table, and never links a template
// engine into the Lambda function.
package site

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strconv"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/site/style"
	"github.com/jcdd/jcdd/internal/store"
)

var (
	//go:embed landing.html
	landingHTML string

	landing = template.Must(template.New("landing").Funcs(template.FuncMap{
		"f1": func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
	}).Parse(landingHTML))
)

// Languages are the languages of the pages, and Paths the path of each.
var (
	Languages = []string{"en", "ja"}
	Paths     = map[string]string{"en": "/", "ja": "/ja/"}
)

// Release is a release as the pages list it.
type Release struct {
	Info   dataset.ReleaseInfo
	Bundle store.Bundle
}

// Render renders the pages of release r, shown as the current release,
// with releases (every release up to r, r included, newest first): one
// page per language. Its numbers come from tally, the counts the release
// build made, which the API's meta.total and facets give too.
func Render(r *dataset.Release, releases []Release, tally *store.Tally) (map[string][]byte, error) {
	pages := make(map[string][]byte, len(Languages))
	for _, lang := range Languages {
		v, err := newView(r, releases, tally, lang)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := landing.Execute(&buf, v); err != nil {
			return nil, fmt.Errorf("rendering the %s page of release %s: %w", lang, r.Info.Version, err)
		}
		pages[lang] = buf.Bytes()
	}
	return pages, nil
}

// view is what the template shows.
type view struct {
	L           *labels
	Current     releaseView
	Releases    []releaseView
	Counts      []countView
	APA, BibTeX string
	Timeline    timelineChart
	CoreEvents  []eventRow
	CoreTotal   int // core events, of which CoreEvents lists the first maxCoreMarks
	EventCount  int
	// ByYear and ByType are the facets of the release's events, as
	// GET /v1/events/facets gives them.
	ByYear, ByType []store.Bucket
	Budget         budgetChart
	JSONLD         template.JS  // JSON with <, > and & escaped, written as it is
	CSS            template.CSS // its hash is in style.CSP
}

type releaseView struct {
	Version, Released, Summary string
	Current                    bool
	Bundle                     *bundleView
	SQLite                     *bundleView // absent where the release has no database
	Since                      string      // the previous release, to list what changed since
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
	ID, When, Title, Other string // Other: the title in the other language
}

func newView(r *dataset.Release, releases []Release, tally *store.Tally, lang string) (*view, error) {
	l, t := labelsEN, wordsEN
	if lang == "ja" {
		l, t = labelsJA, wordsJA
	}
	events := activeEvents(r)
	rows := store.Summarize(r.Budgets)
	names := map[string]agencyName{}
	for _, a := range r.Actors {
		names[a.ID] = agencyName{EN: a.Name.EN, JA: a.Name.JA}
	}
	v := &view{
		L:          l,
		APA:        export.CitationAPA(r.Info),
		BibTeX:     export.CitationBibTeX(r.Info),
		Timeline:   buildTimeline(events, t),
		EventCount: tally.Total(store.KindEvents, "").Active,
		Budget:     buildBudgetChart(rows, names, t),
		CSS:        template.CSS(style.CSS),
	}
	for i, rel := range releases {
		rv := releaseView{Version: rel.Info.Version, Released: rel.Info.Released, Summary: rel.Info.Summary, Current: rel.Info.Version == r.Info.Version}
		if lang == "ja" && rel.Info.SummaryJA != "" {
			rv.Summary = rel.Info.SummaryJA
		}
		b := rel.Bundle
		rv.Bundle = &bundleView{Name: b.Name, URL: "/v1/releases/" + rel.Info.Version + "/download", SHA256: b.SHA256, Bytes: b.Size, Size: byteSize(b.Size)}
		if d := b.SQLite; d != nil {
			rv.SQLite = &bundleView{Name: d.Name, URL: "/v1/releases/" + rel.Info.Version + "/sqlite", SHA256: d.SHA256, Bytes: d.Size, Size: byteSize(d.Size)}
		}
		if i+1 < len(releases) {
			rv.Since = releases[i+1].Info.Version
		}
		if rv.Current {
			v.Current = rv
		}
		v.Releases = append(v.Releases, rv)
	}
	for _, c := range dataset.Counts(r) {
		label := dataset.KindNamed(c.Kind).Labels().EN
		if t.ja {
			label = dataset.KindNamed(c.Kind).Labels().JA
		}
		// Withdrawn records included, as the note under the counts says.
		v.Counts = append(v.Counts, countView{Kind: c.Kind, Label: label, N: tally.Total(c.Kind, "").All})
	}
	if f := tally.Events[""]; f != nil {
		v.ByYear, v.ByType = f.Years, f.Types
	}
	for _, e := range events {
		if isCore(e) {
			if v.CoreTotal++; len(v.CoreEvents) == maxCoreMarks {
				continue
			}
			when := e.Occurred
			if e.OccurredTo != "" {
				when += " – " + e.OccurredTo
			}
			row := eventRow{ID: e.ID, When: when, Title: e.Title.EN, Other: e.Title.JA}
			if lang == "ja" && e.Title.JA != "" {
				row.Title, row.Other = e.Title.JA, e.Title.EN
			}
			v.CoreEvents = append(v.CoreEvents, row)
		}
	}
	ld, err := jsonLD(r, v.Releases, events)
	if err != nil {
		return nil, err
	}
	v.JSONLD = template.JS(ld)
	return v, nil
}

// activeEvents are the current events of a release in list order (date,
// then id), as the API lists them: pointers into the release, not copies
// (at a hundred thousand events, copies take tens of megabytes, twice that
// while the list grows).
func activeEvents(r *dataset.Release) []*dataset.Event {
	var out []*dataset.Event
	for i := range r.Events {
		if e := &r.Events[i]; !e.Withdrawn() {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b *dataset.Event) int {
		pa := store.Position{Key: store.EventKey(a), ID: a.ID}
		pb := store.Position{Key: store.EventKey(b), ID: b.ID}
		switch {
		case store.Less(pa, pb):
			return -1
		case store.Less(pb, pa):
			return 1
		}
		return 0
	})
	return out
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

// jsonLD describes the release as a schema.org Dataset, with one
// DataDownload per release bundle (the current one first). The URLs are
// relative to the page, which JSON-LD resolves against the page's address.
func jsonLD(r *dataset.Release, releases []releaseView, events []*dataset.Event) ([]byte, error) {
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
			r.Info.Summary,
		URL: export.RepositoryURL, Version: r.Info.Version, DatePublished: r.Info.Released,
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
	for _, rv := range releases {
		if b := rv.Bundle; b != nil && b.URL != "" {
			dls := []download{{Type: "DataDownload", Name: b.Name, Version: rv.Version, ContentURL: b.URL,
				EncodingFormat: "application/zip", ContentSize: strconv.FormatInt(b.Bytes, 10) + " B", SHA256: b.SHA256}}
			if db := rv.SQLite; db != nil {
				dls = append(dls, download{Type: "DataDownload", Name: db.Name, Version: rv.Version, ContentURL: db.URL,
					EncodingFormat: "application/vnd.sqlite3", ContentSize: strconv.FormatInt(db.Bytes, 10) + " B", SHA256: db.SHA256})
			}
			if rv.Current {
				d.Distribution = append(dls, d.Distribution...)
			} else {
				d.Distribution = append(d.Distribution, dls...)
			}
		}
	}
	// json.Marshal escapes <, > and &, so the block cannot close its script
	// element early.
	return json.Marshal(d)
}
