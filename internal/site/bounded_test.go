package site

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/synth"
)

// maxPageGzip is the most a landing page may weigh, gzipped as the loader
// stores it, whatever the size of its release.
const maxPageGzip = 100 << 10

// sections are the page's sections, in order, which every page has.
var sections = []string{"about", "download", "cite", "timeline", "budget", "api"}

// TestLandingPageBounded: past the limits of charts.go, the timeline counts
// events by period, and the lists and budget panels show their first rows
// with a link to the rest, so a page stays under maxPageGzip, in both
// languages, with every section and well formed. The size cannot grow with
// the number of events: at most maxTimelineEvents context marks (only at or
// under that many events), maxCoreMarks core events drawn twice and listed
// once, maxBuckets bars per lane over three lanes at most, maxBudgetRows
// budget bars and table rows; the rest (counts, facets by year and type,
// releases) grows with the years covered, the types or the releases, not
// with the records. So the worst case is a release at the limits, tested
// here with the largest releases that build quickly beside it.
func TestLandingPageBounded(t *testing.T) {
	for _, c := range []struct {
		name      string
		release   *dataset.Release
		perEvent  bool // the second lane draws its events one by one
		coreMarks bool // the core lanes draw their events one by one
	}{
		{"at the limits", atLimits(t), true, true},
		{"20,000 events", synth.Generate(synth.Options{Events: 20_000, Seed: synth.BenchSeed}), false, true},
		{"20,000 events, 2,000 core", withCore(synth.Generate(synth.Options{Events: 20_000, Seed: synth.BenchSeed}), 10), false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.release
			tally := store.TallyOf(r)
			pages, err := Render(r, []Release{{Info: r.Info}}, tally)
			if err != nil {
				t.Fatal(err)
			}
			for _, lang := range Languages {
				page := pages[lang]
				n := gzipSize(t, page)
				if n > maxPageGzip {
					t.Errorf("%s: %d bytes gzipped, more than %d", lang, n, maxPageGzip)
				}
				t.Logf("%s: %d bytes, %d gzipped", lang, len(page), n)
				checkWellFormed(t, lang, page)
				s := string(page)
				at := 0
				for _, id := range sections {
					i := strings.Index(s, `<section id="`+id+`"`)
					if i < at {
						t.Errorf("%s: section %s missing or out of order", lang, id)
					}
					at = max(at, i)
				}
				v, err := newView(r, nil, tally, lang)
				if err != nil {
					t.Fatal(err)
				}
				checkTimeline(t, lang, r, v, c.perEvent, c.coreMarks)
				if strings.Contains(s, `id="timeline-counted"`) == (c.perEvent && c.coreMarks) {
					t.Errorf("%s: the note on counted lanes is shown or missing wrongly", lang)
				}
				if (len(v.CoreEvents) < v.CoreTotal) != strings.Contains(s, `<a href="/v1/events?tag=core">/v1/events?tag=core</a></p>`) {
					t.Errorf("%s: the core list shows %d of %d events without the link to the rest, or the link without need", lang, len(v.CoreEvents), v.CoreTotal)
				}
				if b := v.Budget; b.Partial != strings.Contains(s, `id="budget-partial"`) || len(b.Rows) > maxBudgetRows {
					t.Errorf("%s: the budget shows %d of %d rows, the note on it: %v", lang, len(b.Rows), b.RowTotal, b.Partial)
				}
			}
		})
	}
}

// checkTimeline checks the lanes of the timeline: drawn event by event, or
// counted by period with the count the API gives for the bar's link (the
// events that overlap from…to, core ones only in a core lane).
func checkTimeline(t *testing.T, lang string, r *dataset.Release, v *view, perEvent, coreMarks bool) {
	t.Helper()
	events := activeEvents(r)
	for _, p := range v.Timeline.Panels {
		for i, l := range p.Lanes {
			core := i == 0
			want := perEvent
			if core {
				want = coreMarks
			}
			if (len(l.Buckets) == 0) != want {
				t.Errorf("%s: panel %q, lane %q: %d marks, %d periods", lang, p.Title, l.Label, len(l.Marks), len(l.Buckets))
			}
			if len(l.Buckets) > maxBuckets {
				t.Errorf("%s: lane %q has %d periods", lang, l.Label, len(l.Buckets))
			}
			for _, b := range l.Buckets {
				sp, err := dataset.SpanOf(b.From, b.To)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, e := range events {
					if (!core || isCore(e)) && e.Span().Overlaps(sp) {
						n++
					}
				}
				href := "/v1/events?from=" + b.From + "&to=" + b.To
				if core {
					href += "&tag=core"
				}
				if b.Count != n || b.Href != href {
					t.Errorf("%s: lane %q, %s: %d events at %s, want %d at %s", lang, l.Label, b.From, b.Count, b.Href, n, href)
				}
			}
		}
	}
}

// The published releases are far under the limits: their pages draw every
// event and list every core event and budget row.
func TestLandingPageDrawsEveryEventOfTheRelease(t *testing.T) {
	r, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := Render(r, []Release{{Info: r.Info}}, store.TallyOf(r))
	if err != nil {
		t.Fatal(err)
	}
	overview := regexp.MustCompile(`(?s)data-panel="overview">.*?</g>\n<g class="panel"`)
	for _, lang := range Languages {
		s := string(pages[lang])
		drawn := strings.Count(overview.FindString(s), "data-event-id=")
		if n := len(activeEvents(r)); drawn != n || strings.Contains(s, `class="bucket`) {
			t.Errorf("%s: %d events drawn of %d, or a lane counted", lang, drawn, n)
		}
		for _, note := range []string{"timeline-counted", "core-list-more", "budget-partial"} {
			if strings.Contains(s, `id="`+note+`"`) {
				t.Errorf("%s: the page says %s", lang, note)
			}
		}
	}
}

// atLimits is the largest release whose timeline draws every event:
// maxTimelineEvents active events, maxCoreMarks of them core, within fewer
// years than the others so that the core story has its enlarged panel too.
func atLimits(t *testing.T) *dataset.Release {
	r := synth.Generate(synth.Options{Events: maxTimelineEvents * 2, Seed: synth.BenchSeed})
	var kept []dataset.Event
	core := 0
	for _, e := range r.Events {
		if e.Withdrawn() || len(kept) == maxTimelineEvents {
			continue
		}
		if core < maxCoreMarks && strings.HasPrefix(e.Occurred, "20") {
			e.Tags, core = append(e.Tags, "core"), core+1
		}
		kept = append(kept, e)
	}
	if core != maxCoreMarks {
		t.Fatalf("%d core events", core)
	}
	r.Events = kept
	return r
}

// withCore tags every nth event core.
func withCore(r *dataset.Release, nth int) *dataset.Release {
	for i := range r.Events {
		if i%nth == 0 {
			r.Events[i].Tags = append(r.Events[i].Tags, "core")
		}
	}
	return r
}

func gzipSize(t testing.TB, b []byte) int {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression) // as the loader stores pages
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// tag is a tag of a page: html/template escapes every < of text and
// attribute values, and the page's style and JSON-LD hold none, so every <
// begins a tag, apart from the doctype.
var tag = regexp.MustCompile(`<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?(/?)>`)

// voids are the HTML elements without an end tag that the page uses.
var voids = map[string]bool{"meta": true, "link": true, "br": true, "img": true, "input": true, "hr": true}

// checkWellFormed checks that every element but a void one is closed, in
// order, and that nothing else looks like a tag.
func checkWellFormed(t *testing.T, lang string, page []byte) {
	t.Helper()
	s := strings.TrimPrefix(string(page), "<!doctype html>")
	if n, m := strings.Count(s, "<"), len(tag.FindAllStringIndex(s, -1)); n != m {
		t.Errorf("%s: %d of %d < begin no tag", lang, n-m, n)
	}
	var open []string
	for _, m := range tag.FindAllStringSubmatch(s, -1) {
		end, name, selfClosed := m[1] == "/", m[2], m[3] == "/"
		switch {
		case selfClosed || voids[name] && !end:
		case !end:
			open = append(open, name)
		case len(open) == 0 || open[len(open)-1] != name:
			t.Errorf("%s: </%s> closes %v", lang, name, open)
			return
		default:
			open = open[:len(open)-1]
		}
	}
	if len(open) != 0 {
		t.Errorf("%s: unclosed %s", lang, fmt.Sprint(open))
	}
}

// BenchmarkLandingPage renders the pages of synthetic releases of 1k, 10k
// and 100k events and reports their size gzipped as the loader stores them
// (gz-bytes, the larger language's):
//
//	go test ./internal/site -run '^$' -bench LandingPage -benchtime 1x
func BenchmarkLandingPage(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			r := synth.Generate(synth.Options{Events: n, Seed: synth.BenchSeed})
			tally := store.TallyOf(r)
			b.ResetTimer()
			var pages map[string][]byte
			for range b.N {
				var err error
				if pages, err = Render(r, []Release{{Info: r.Info}}, tally); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			size := 0
			for _, lang := range Languages {
				size = max(size, gzipSize(b, pages[lang]))
			}
			b.ReportMetric(float64(size), "gz-bytes")
		})
	}
}
