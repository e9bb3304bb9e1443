package api

import "strconv"

// writeLandingPage writes the landing page of a view. It is written out in
// Go rather than as an html/template: html/template (through text/template)
// calls reflect.Value.MethodByName, which stops the linker from dropping
// unused methods and so made the Lambda bootstrap megabytes larger. Values
// are escaped as html/template escaped them in the same places (htmlWriter):
// text and RCDATA (title) with text, quoted attributes with text, a whole
// URL in href with url, a value in a URL's path with urlPath and in its
// query with urlQuery. The stylesheet and the JSON-LD block are written as
// they are, as html/template wrote the template.CSS and template.JS they
// were. landing_page_test.go renders pages with the former template and
// checks that this writes the very same bytes.
func writeLandingPage(v *landingView) []byte {
	var w htmlWriter
	w.Grow(len(v.CSS) + len(v.JSONLD) + 32<<10)
	w.raw(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>`)
	w.text(v.Title)
	w.raw(` — release `)
	w.text(v.Current.Version)
	w.raw(`</title>
<meta name="description" content="A versioned, sourced dataset of the 2020 PLA intrusion into Japan's defense networks, the US–Japan response, and Japan's cyber budget and programs. Downloads, checksums, citation and charts.">
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%230b3d91'/%3E%3Ccircle cx='8' cy='8' r='4' fill='%23ffffff'/%3E%3C/svg%3E">
<link rel="alternate" type="application/atom+xml" title="jcdd releases (Atom feed)" href="/v1/releases.atom">
<style>`)
	w.raw(v.CSS)
	w.raw(`</style>
<script type="application/ld+json">`)
	w.raw(v.JSONLD)
	w.raw(`</script>
</head>
<body>
<header>
<div class="wrap">
<h1>`)
	w.text(v.Title)
	w.raw(`</h1>
<p class="lede">A public, versioned and sourced dataset about the 2020 intrusion by China's People's Liberation Army into Japan's classified defense networks, the US–Japan response, and Japan's cybersecurity budget and programs, with a read-only API.</p>
<p class="release-line">Current release <strong id="current-version">`)
	w.text(v.Current.Version)
	w.raw(`</strong>, published `)
	w.text(v.Current.Released)
	w.raw(`.</p>
<nav aria-label="Sections"><a href="#download">Download</a> <a href="#cite">Cite</a> <a href="#timeline">Timeline</a> <a href="#budget">Budget</a> <a href="#api">API</a> <a href="/docs">API reference</a> <a href="/openapi.yaml">openapi.yaml</a></nav>
</div>
</header>
<main class="wrap">

`)
	writeLandingAbout(&w, v)
	writeLandingDownload(&w, v)
	writeLandingCite(&w, v)
	writeLandingTimeline(&w, v)
	writeLandingBudget(&w, v)
	w.raw(`<section id="api" aria-labelledby="api-h">
<h2 id="api-h">The API</h2>
<p>Everything on this page comes from a read-only REST API: typed JSON, CSV and NDJSON, filters, paging, ETags, and <code>release=</code> to pin a release.</p>
<ul>
<li><a href="/docs">API reference</a>, generated from the OpenAPI description: <a href="/openapi.yaml">openapi.yaml</a> and <a href="/openapi.json">openapi.json</a> (OpenAPI 3.1), <a href="/openapi-3.0.yaml">openapi-3.0.yaml</a> (3.0).</li>
<li><a href="/v1/events?tag=core&amp;fields=id,occurred,title">The core events</a>, <a href="/v1/actors?country=JP&amp;kind=person&amp;fields=id,name">Japanese people with their names in kanji</a>, <a href="/v1/programs">programs</a>, <a href="/v1/sources">sources</a>.</li>
<li><a href="/v1/releases">/v1/releases</a>: every release, with its bundle's URL, SHA-256 and size; <code>/v1/releases/{version}/download</code>; <code>/v1/releases/{version}/changes?since={older version}</code> (add <code>&amp;format=csv-excel</code> for Excel).</li>
</ul>
</section>
</main>
<footer>
<div class="wrap">
<p>Data: <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>. Code: Apache License 2.0. Source, issues and corrections: <a href="https://github.com/jcdd/jcdd">github.com/jcdd/jcdd</a>. The data is provided as is: check the cited sources before relying on a claim.</p>
</div>
</footer>
</body>
</html>
`)
	return w.Bytes()
}

// f1 writes a coordinate with one decimal place.
func (w *htmlWriter) f1(v float64) { w.text(strconv.FormatFloat(v, 'f', 1, 64)) }

func writeLandingAbout(w *htmlWriter, v *landingView) {
	w.raw(`<section id="about" aria-labelledby="about-h">
<h2 id="about-h">What the dataset covers</h2>
<ul class="covers">
<li><strong>Events</strong>: the core story — US warnings to Tokyo in 2020, the PLA's intrusion, its discovery by the NSA, the briefings in Tokyo, the intruders still present in 2021, the public reports of 2023 and 2024 and every official reaction to them — and the institutional, legal and incident context, each with its dates (exact or partial), actors and their roles, and a confidence rating.</li>
<li><strong>Actors</strong>: people, agencies, military units, states, media and threat groups, with Japanese names where a source gives them, and positions over time.</li>
<li><strong>Budget lines</strong>: Japan's cyber budgets by fiscal year, agency and stage (request, draft, initial, supplementary, plan, spending), in integer yen; stages are never added together.</li>
<li><strong>Programs</strong>: organizations, laws, strategies, initiatives and targets, with metrics over time such as SDF cyber personnel.</li>
<li><strong>Sources</strong>: every document a record cites, with its address, publisher, date and language. A claim no source supports is left out; where sources disagree, both are kept.</li>
</ul>
<h3>Records in release `)
	w.text(v.Current.Version)
	w.raw(`</h3>
<ul class="counts">`)
	for _, c := range v.Counts {
		w.raw(`
<li data-kind="`)
		w.text(c.Kind)
		w.raw(`"><strong class="n">`)
		w.int(int64(c.N))
		w.raw(`</strong> `)
		w.text(c.Label)
		w.raw(`</li>`)
	}
	w.raw(`
</ul>
<p class="note">Counts include withdrawn records, which are kept as tombstones so that ids are never reused.</p>
<h3>About release `)
	w.text(v.Current.Version)
	w.raw(`</h3>
<p class="summary">`)
	w.text(v.Current.Summary)
	w.raw(`</p>
</section>

`)
}

func writeLandingDownload(w *htmlWriter, v *landingView) {
	w.raw(`<section id="download" aria-labelledby="download-h">
<h2 id="download-h">Download</h2>
`)
	if cur := &v.Current; cur.Bundle != nil {
		w.raw(`
<div class="current-download">
<p><a class="download button" id="current-download" href="`)
		w.url(cur.Bundle.URL)
		w.raw(`" data-version="`)
		w.text(cur.Version)
		w.raw(`" download="`)
		w.text(cur.Bundle.Name)
		w.raw(`">Download `)
		w.text(cur.Bundle.Name)
		w.raw(`</a> <span class="size">(`)
		w.text(cur.Bundle.Size)
		w.raw(`, zip)</span></p>
<p>SHA-256: <code class="sha256" id="current-sha256" data-version="`)
		w.text(cur.Version)
		w.raw(`">`)
		w.text(cur.Bundle.SHA256)
		w.raw(`</code></p>
</div>
`)
	} else {
		w.raw(`<p>This server offers no download of release `)
		w.text(cur.Version)
		w.raw(`; <a href="/v1/releases">/v1/releases</a> lists where the releases are published.</p>`)
	}
	w.raw(`
<p>One folder per release: one CSV file per table (UTF-8 with a byte order mark, so that Excel shows Japanese text correctly), the same data as JSON and NDJSON, a <code>README.md</code> codebook describing every column, <code>datapackage.json</code>, <code>CITATION.cff</code>, the licence and <code>SHA256SUMS</code>. A published release never changes: the same version always has the same bytes.</p>
<p>Check a download against the checksum above: <code>sha256sum jcdd-`)
	w.text(v.Current.Version)
	w.raw(`.zip</code> (Linux), <code>shasum -a 256 jcdd-`)
	w.text(v.Current.Version)
	w.raw(`.zip</code> (macOS) or <code>Get-FileHash jcdd-`)
	w.text(v.Current.Version)
	w.raw(`.zip</code> (Windows PowerShell).</p>
<h3>Every release</h3>
<table class="releases">
<thead><tr><th scope="col">Release</th><th scope="col">Published</th><th scope="col">Download</th><th scope="col">SHA-256</th><th scope="col">Changes</th></tr></thead>
<tbody>`)
	for i := range v.Releases {
		r := &v.Releases[i]
		w.raw(`
<tr data-version="`)
		w.text(r.Version)
		w.raw(`"`)
		if r.Current {
			w.raw(` class="current"`)
		}
		w.raw(`>
<td class="nowrap">`)
		w.text(r.Version)
		if r.Current {
			w.raw(` <span class="tag">current</span>`)
		}
		w.raw(`</td>
<td class="nowrap">`)
		w.text(r.Released)
		w.raw(`</td>
<td>`)
		if r.Bundle != nil {
			w.raw(`<a class="release-download" href="`)
			w.url(r.Bundle.URL)
			w.raw(`" data-version="`)
			w.text(r.Version)
			w.raw(`" download="`)
			w.text(r.Bundle.Name)
			w.raw(`">`)
			w.text(r.Bundle.Name)
			w.raw(`</a> (`)
			w.text(r.Bundle.Size)
			w.raw(`)`)
		} else {
			w.raw(`not offered here`)
		}
		w.raw(`</td>
<td>`)
		if r.Bundle != nil {
			w.raw(`<code class="sha256 small" data-version="`)
			w.text(r.Version)
			w.raw(`">`)
			w.text(r.Bundle.SHA256)
			w.raw(`</code>`)
		}
		w.raw(`</td>
<td>`)
		if r.Since != "" {
			w.raw(`<a href="/v1/releases/`)
			w.urlPath(r.Version)
			w.raw(`/changes?since=`)
			w.urlQuery(r.Since)
			w.raw(`">since `)
			w.text(r.Since)
			w.raw(`</a> (<a href="/v1/releases/`)
			w.urlPath(r.Version)
			w.raw(`/changes?since=`)
			w.urlQuery(r.Since)
			w.raw(`&amp;format=csv-excel">CSV</a>)`)
		} else {
			w.raw(`first release`)
		}
		w.raw(`</td>
</tr>`)
	}
	w.raw(`
</tbody>
</table>
<p>Machine-readable: <a href="/v1/releases">/v1/releases</a> lists every release with its bundle's URL, SHA-256 and size.</p>
</section>

`)
}

func writeLandingCite(w *htmlWriter, v *landingView) {
	w.raw(`<section id="cite" aria-labelledby="cite-h">
<h2 id="cite-h">Cite it</h2>
<p>Cite the release you used. Every API response names its release, and gives this citation in <code>meta.citation</code>.</p>
<h3>APA</h3>
<pre class="citation" id="citation-apa">`)
	w.text(v.APA)
	w.raw(`</pre>
<h3>BibTeX</h3>
<pre class="citation" id="citation-bibtex">`)
	w.text(v.BibTeX)
	w.raw(`</pre>
<p>The data is licensed under <a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International</a>. Each record's sources lead to the documents behind it: quote those for the facts.</p>
</section>

`)
}

func writeLandingTimeline(w *htmlWriter, v *landingView) {
	w.raw(`<section id="timeline" aria-labelledby="timeline-h">
<h2 id="timeline-h">Timeline of the events</h2>
<p>`)
	w.int(int64(v.EventCount))
	w.raw(` events of release `)
	w.text(v.Current.Version)
	w.raw(`, by date. <span class="key"><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" class="core"/></svg> core story</span> <span class="key"><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" class="context"/></svg> context</span> <span class="key"><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="4" class="core disputed"/></svg> hollow: disputed</span> <span class="key"><svg width="22" height="12" aria-hidden="true"><rect x="1" y="3" width="20" height="6" rx="3" class="context"/></svg> a bar:</span> a period, or a date known only to the month, season or year. Hover over a mark for its date and title; each links to the event in the API.</p>
<svg id="timeline-chart" class="chart" viewBox="0 0 `)
	tl := &v.Timeline
	w.int(int64(tl.Width))
	w.raw(` `)
	w.int(int64(tl.Height))
	w.raw(`" role="img" aria-labelledby="timeline-title">
<title id="timeline-title">Timeline of the events of the release: the core story above, the context below</title>
`)
	for i := range tl.Panels {
		p := &tl.Panels[i]
		w.raw(`<g class="panel" transform="translate(0 `)
		w.int(int64(p.Y))
		w.raw(`)" data-panel="`)
		if p.Zoom {
			w.raw(`zoom`)
		} else {
			w.raw(`overview`)
		}
		w.raw(`">
<text class="panel-title" x="`)
		w.int(int64(p.PlotLeft))
		w.raw(`" y="15">`)
		w.text(p.Title)
		w.raw(`</text>
`)
		for j := range p.Lanes {
			l := &p.Lanes[j]
			w.raw(`<rect class="lane" x="`)
			w.int(int64(p.PlotLeft))
			w.raw(`" y="`)
			w.int(int64(l.Y))
			w.raw(`" width="`)
			w.int(int64(p.PlotWidth))
			w.raw(`" height="`)
			w.int(int64(l.H))
			w.raw(`"/><text class="lane-label" x="8" y="`)
			w.int(int64(l.LabelY))
			w.raw(`">`)
			w.text(l.Label)
			w.raw(`</text>
`)
		}
		for _, t := range p.Ticks {
			w.raw(`<line class="grid" x1="`)
			w.f1(t.X)
			w.raw(`" x2="`)
			w.f1(t.X)
			w.raw(`" y1="`)
			w.int(int64(p.TopY))
			w.raw(`" y2="`)
			w.int(int64(p.AxisY))
			w.raw(`"/>`)
			if t.Label != "" {
				w.raw(`<text class="tick" x="`)
				w.f1(t.X)
				w.raw(`" y="`)
				w.int(int64(p.TickY))
				w.raw(`">`)
				w.text(t.Label)
				w.raw(`</text>`)
			}
			w.raw("\n")
		}
		w.raw(`<line class="axis" x1="`)
		w.int(int64(p.PlotLeft))
		w.raw(`" x2="`)
		w.int(int64(p.PlotRight))
		w.raw(`" y1="`)
		w.int(int64(p.AxisY))
		w.raw(`" y2="`)
		w.int(int64(p.AxisY))
		w.raw(`"/>
`)
		for j := range p.Lanes {
			for k := range p.Lanes[j].Marks {
				m := &p.Lanes[j].Marks[k]
				w.raw(`<a href="`)
				w.url(m.Href)
				w.raw(`"><g class="event `)
				if m.Core {
					w.raw(`core`)
				} else {
					w.raw(`context`)
				}
				if m.Disputed {
					w.raw(` disputed`)
				}
				w.raw(`" data-event-id="`)
				w.text(m.ID)
				w.raw(`" data-core="`)
				w.raw(strconv.FormatBool(m.Core))
				w.raw(`"><title>`)
				w.text(m.Title)
				w.raw(`</title>`)
				if m.Bar {
					w.raw(`<rect x="`)
					w.f1(m.X)
					w.raw(`" y="`)
					w.f1(m.Top)
					w.raw(`" width="`)
					w.f1(m.W)
					w.raw(`" height="7" rx="3.5"/>`)
				} else {
					w.raw(`<circle cx="`)
					w.f1(m.X)
					w.raw(`" cy="`)
					w.f1(m.Y)
					w.raw(`" r="4"/>`)
				}
				w.raw(`</g></a>
`)
			}
		}
		w.raw(`</g>
`)
	}
	w.raw(`</svg>
<details>
<summary>The core story as a list (`)
	w.int(int64(len(v.CoreEvents)))
	w.raw(` events)</summary>
<table class="events">
<thead><tr><th scope="col">When</th><th scope="col">Event</th></tr></thead>
<tbody>`)
	for _, e := range v.CoreEvents {
		w.raw(`
<tr><td class="nowrap">`)
		w.text(e.When)
		w.raw(`</td><td><a href="/v1/events/`)
		w.urlPath(e.ID)
		w.raw(`">`)
		w.text(e.Title)
		w.raw(`</a>`)
		if e.TitleJA != "" {
			w.raw(` <span lang="ja">`)
			w.text(e.TitleJA)
			w.raw(`</span>`)
		}
		w.raw(`</td></tr>`)
	}
	w.raw(`
</tbody>
</table>
</details>
</section>

`)
}

func writeLandingBudget(w *htmlWriter, v *landingView) {
	w.raw(`<section id="budget" aria-labelledby="budget-h">
<h2 id="budget-h">The cyber budget by fiscal year</h2>
<p>Japan's cyber budget by fiscal year (April to March, named by the year it starts in), in <strong>billions of yen</strong> (¥1 billion = 10 oku-yen, 10億円). One panel per agency, each with its own scale: agencies are not added together, since a ministry's budget is part of the government's. One colour per stage; stages are never added together either. A multi-year plan is drawn as a band over its years at its average per year (its total divided by its years). Hover over a bar for the exact amount.</p>
<ul class="legend" aria-label="Legend">`)
	b := &v.Budget
	for _, l := range b.Legend {
		w.raw(`
<li data-legend-stage="`)
		w.text(l.Stage)
		w.raw(`"><svg width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="`)
		w.text(l.Color)
		w.raw(`"/></svg> `)
		w.text(l.Label)
		w.raw(`</li>`)
	}
	w.raw(`
<li><svg width="14" height="14" aria-hidden="true"><rect x="1" y="1" width="12" height="12" class="lower-bound-key"/></svg> Dashed outline: the sum of the items in the dataset, a lower bound</li>
</ul>
<svg id="budget-chart" class="chart" viewBox="0 0 `)
	w.int(int64(b.Width))
	w.raw(` `)
	w.int(int64(b.Height))
	w.raw(`" role="img" aria-labelledby="budget-title">
<title id="budget-title">Cyber budget by fiscal year, FY`)
	w.int(int64(b.First))
	w.raw(`–FY`)
	w.int(int64(b.Last))
	w.raw(`, one panel per agency, one colour per stage, in billions of yen</title>
`)
	for i := range b.Panels {
		p := &b.Panels[i]
		w.raw(`<g class="panel" transform="translate(0 `)
		w.int(int64(p.Y))
		w.raw(`)" data-agency="`)
		w.text(p.Agency)
		w.raw(`">
<text class="panel-title" x="`)
		w.int(int64(p.Left))
		w.raw(`" y="16">`)
		w.text(p.Name)
		if p.NameJA != "" {
			w.raw(` <tspan lang="ja">`)
			w.text(p.NameJA)
			w.raw(`</tspan>`)
		}
		w.raw(`</text>
`)
		for _, t := range p.YTicks {
			w.raw(`<line class="grid" x1="`)
			w.int(int64(p.Left))
			w.raw(`" x2="`)
			w.int(int64(p.Right))
			w.raw(`" y1="`)
			w.f1(t.Y)
			w.raw(`" y2="`)
			w.f1(t.Y)
			w.raw(`"/><text class="ytick" x="`)
			w.int(int64(p.TickX))
			w.raw(`" y="`)
			w.f1(t.Y)
			w.raw(`" dy="4">`)
			w.text(t.Label)
			w.raw(`</text>
`)
		}
		w.raw(`<text class="yunit" transform="translate(14 `)
		w.int(int64(p.MidY))
		w.raw(`) rotate(-90)">¥ billion</text>
`)
		for _, y := range p.Years {
			w.raw(`<text class="xtick" x="`)
			w.f1(y.X)
			w.raw(`" y="`)
			w.int(int64(p.YearY))
			w.raw(`">`)
			w.text(y.Label)
			w.raw(`</text>`)
		}
		w.raw("\n")
		for j := range p.Bars {
			bar := &p.Bars[j]
			w.raw(`<rect class="bar`)
			if bar.Plan {
				w.raw(` plan`)
			}
			if bar.LowerBound {
				w.raw(` lower-bound`)
			}
			w.raw(`" x="`)
			w.f1(bar.X)
			w.raw(`" y="`)
			w.f1(bar.Y)
			w.raw(`" width="`)
			w.f1(bar.W)
			w.raw(`" height="`)
			w.f1(bar.H)
			w.raw(`" fill="`)
			w.text(bar.Color)
			w.raw(`" data-agency="`)
			w.text(bar.Agency)
			w.raw(`" data-stage="`)
			w.text(bar.Stage)
			w.raw(`" data-fiscal-year="`)
			w.int(int64(bar.FiscalYear))
			w.raw(`"`)
			if bar.FiscalYearTo != 0 {
				w.raw(` data-fiscal-year-to="`)
				w.int(int64(bar.FiscalYearTo))
				w.raw(`"`)
			}
			w.raw(` data-jpy="`)
			w.int(bar.JPY)
			w.raw(`"><title>`)
			w.text(bar.Title)
			w.raw(`</title></rect>
`)
		}
		for j := range p.Bars {
			bar := &p.Bars[j]
			if len(bar.Label) == 0 {
				continue
			}
			w.raw(`<text class="plan-label" y="`)
			w.f1(bar.Y)
			w.raw(`">`)
			for _, line := range bar.Label {
				w.raw(`<tspan x="`)
				w.f1(bar.X)
				w.raw(`" dx="5" dy="14">`)
				w.text(line)
				w.raw(`</tspan>`)
			}
			w.raw(`</text>`)
		}
		w.raw(`
<line class="axis" x1="`)
		w.int(int64(p.Left))
		w.raw(`" x2="`)
		w.int(int64(p.Right))
		w.raw(`" y1="`)
		w.int(int64(p.PlotBottom))
		w.raw(`" y2="`)
		w.int(int64(p.PlotBottom))
		w.raw(`"/>
</g>
`)
	}
	w.raw(`</svg>
<details>
<summary>The figures as a table (`)
	w.int(int64(len(b.Rows)))
	w.raw(` rows)</summary>
<table class="budget">
<thead><tr><th scope="col">Agency</th><th scope="col">Fiscal year</th><th scope="col">Stage</th><th scope="col" class="num">Amount</th><th scope="col" class="num">In oku-yen</th><th scope="col">Figure</th></tr></thead>
<tbody>`)
	for _, r := range b.Rows {
		w.raw(`
<tr><td>`)
		w.text(r.Agency)
		if r.AgencyJA != "" {
			w.raw(` <span lang="ja">`)
			w.text(r.AgencyJA)
			w.raw(`</span>`)
		}
		w.raw(`</td><td class="nowrap">`)
		w.text(r.Years)
		w.raw(`</td><td>`)
		w.text(r.Stage)
		w.raw(`</td><td class="num nowrap">`)
		w.text(r.Billions)
		w.raw(`</td><td class="num nowrap" lang="ja">`)
		w.text(r.Oku)
		w.raw(`</td><td>`)
		w.text(r.Basis)
		w.raw(`</td></tr>`)
	}
	w.raw(`
</tbody>
</table>
</details>
<p>The same figures from the API: <a href="/v1/budgets/summary">/v1/budgets/summary</a> (JSON, or <a href="/v1/budgets/summary?format=csv-excel">CSV for Excel</a>); the lines behind them: <a href="/v1/budgets?limit=500">/v1/budgets</a>.</p>
</section>

`)
}
