package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
	"github.com/jcdd/jcdd/internal/api/pages"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/release"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/testenv/dynalitetest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// svgNode is an element of an SVG chart, decoded as XML: the charts are
// written so that they parse as XML on their own.
type svgNode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []svgNode  `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n *svgNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// all returns the elements under n (n included) that have the attribute.
func (n *svgNode) all(attr string) []*svgNode {
	var out []*svgNode
	if n.attr(attr) != "" {
		out = append(out, n)
	}
	for i := range n.Nodes {
		out = append(out, n.Nodes[i].all(attr)...)
	}
	return out
}

// title is the text of the element's <title> child.
func (n *svgNode) title() string {
	for _, c := range n.Nodes {
		if c.XMLName.Local == "title" {
			return c.Text
		}
	}
	return ""
}

// chart finds the SVG element with the id in a page and decodes it.
func chart(t *testing.T, page []byte, id string) *svgNode {
	t.Helper()
	m := regexp.MustCompile(`(?s)<svg id="` + id + `".*?</svg>`).Find(page)
	if m == nil {
		t.Fatalf("no <svg id=%q> in the page", id)
	}
	var n svgNode
	if err := xml.Unmarshal(m, &n); err != nil {
		t.Fatalf("the SVG %s does not parse as XML: %v", id, err)
	}
	return &n
}

// jsonLD decodes the page's JSON-LD block.
func jsonLD(t *testing.T, page []byte) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindAllSubmatch(page, -1)
	if len(m) != 1 {
		t.Fatalf("%d JSON-LD blocks, want 1", len(m))
	}
	var ld map[string]any
	if err := json.Unmarshal(m[0][1], &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[0][1])
	}
	return ld
}

func fixtureStore(t *testing.T) (*memory.Store, *release.Set, []*dataset.Release) {
	t.Helper()
	v1, v2 := storetest.Fixture(t)
	bundles := buildSet(t, v1, v2)
	st, err := memory.NewWith(memory.Options{Bundle: bundles.Describe}, v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	return st, bundles, []*dataset.Release{v1, v2}
}

// TestLandingPageShowsTheStore: the counts, checksums, download links and
// citation on the page are the store's, for the current release.
func TestLandingPageShowsTheStore(t *testing.T) {
	ctx := context.Background()
	st, bundles, _ := fixtureStore(t)
	h := newHarnessWith(t, api.Config{Store: st, Bundles: bundles, Pages: bundles})
	r := h.get("/")
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET / = %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	page := string(r.Body)
	cur, err := st.Release(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if cur.Version != "1.1.0" || r.Header.Get("Dataset-Release") != "1.1.0" {
		t.Fatalf("current release %s, Dataset-Release %q", cur.Version, r.Header.Get("Dataset-Release"))
	}
	if !strings.Contains(page, `<strong id="current-version">1.1.0</strong>`) {
		t.Error("the page does not name the current release")
	}

	// Counts of every kind, as the store gives them.
	if len(cur.Counts) != 5 {
		t.Fatalf("the store gives %d counts", len(cur.Counts))
	}
	for _, c := range cur.Counts {
		want := fmt.Sprintf(`<li data-kind="%s"><strong class="n">%d</strong>`, c.Kind, c.N)
		if !strings.Contains(page, want) {
			t.Errorf("count of %s: the page lacks %s", c.Kind, want)
		}
	}

	// Every release, newest first, with its bundle's link and checksum.
	rels, err := st.Releases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var order []int
	for _, rel := range rels {
		b := rel.Bundle
		if b == nil {
			t.Fatalf("release %s has no bundle", rel.Version)
		}
		link := fmt.Sprintf(`<a class="release-download" href="/v1/releases/%s/download" data-version="%s" download="%s">`, rel.Version, rel.Version, b.Name)
		sum := fmt.Sprintf(`<code class="sha256 small" data-version="%s">%s</code>`, rel.Version, b.SHA256)
		for _, want := range []string{link, sum} {
			if !strings.Contains(page, want) {
				t.Errorf("release %s: the page lacks %s", rel.Version, want)
			}
		}
		order = append(order, strings.Index(page, `<tr data-version="`+rel.Version+`"`))
	}
	if !slices.IsSorted(order) || order[0] < 0 {
		t.Errorf("releases are not listed newest first: positions %v", order)
	}
	if want := `<code class="sha256" id="current-sha256" data-version="1.1.0">` + cur.Bundle.SHA256 + `</code>`; !strings.Contains(page, want) {
		t.Errorf("the current checksum is not printed: want %s", want)
	}
	if want := `<a class="download button" id="current-download" href="/v1/releases/1.1.0/download"`; !strings.Contains(page, want) {
		t.Errorf("no download link for the current release: want %s", want)
	}
	// The current release's database beside it, with its checksum.
	if cur.Bundle.SQLite == nil {
		t.Fatal("the current release describes no database")
	}
	for _, want := range []string{
		`<a class="download-sqlite" id="current-sqlite" href="/v1/releases/1.1.0/sqlite" data-version="1.1.0" download="jcdd-1.1.0.sqlite">`,
		`id="current-sqlite-sha256" data-version="1.1.0">` + cur.Bundle.SQLite.SHA256 + `</code>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the current release's database is not offered: want %s", want)
		}
	}
	if !strings.Contains(page, `href="/v1/releases/1.1.0/changes?since=1.0.0"`) {
		t.Error("no link to the changes since the previous release")
	}
	// The link serves bytes with the printed checksum.
	dl := h.get("/v1/releases/1.1.0/download")
	if got := fmt.Sprintf("%x", sha256.Sum256(dl.Body)); got != cur.Bundle.SHA256 {
		t.Errorf("the download's sha256 is %s, the page prints %s", got, cur.Bundle.SHA256)
	}

	// One citation text for everything: the export package's, HTML-escaped.
	for name, c := range map[string]string{"APA": export.CitationAPA(cur.ReleaseInfo), "BibTeX": export.CitationBibTeX(cur.ReleaseInfo)} {
		if !strings.Contains(page, html.EscapeString(c)) {
			t.Errorf("the page lacks the %s citation:\n%s", name, c)
		}
	}
	var meta struct {
		Meta struct{ Citation string } `json:"meta"`
	}
	h.get("/v1/events?limit=1").json(t, &meta)
	if !strings.Contains(page, html.EscapeString(meta.Meta.Citation)) {
		t.Errorf("the page's citation differs from the API's meta.citation %q", meta.Meta.Citation)
	}

	// Links to the reference and the description.
	for _, href := range []string{`href="/docs"`, `href="/openapi.yaml"`, `href="/v1/releases"`} {
		if !strings.Contains(page, href) {
			t.Errorf("no link %s", href)
		}
	}
}

// TestLandingPageLinksWork follows every link of the page to this server:
// each answers 200 (and, being an operation, matches openapi.yaml).
func TestLandingPageLinksWork(t *testing.T) {
	h := newHarness(t)
	page := h.get("/").Body
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="(/[^"]*)"`).FindAllSubmatch(page, -1) {
		target := html.UnescapeString(string(m[1]))
		if seen[target] {
			continue
		}
		seen[target] = true
		if r := h.get(target); r.Status != http.StatusOK {
			t.Errorf("link %s: %d", target, r.Status)
		}
	}
	if len(seen) < 20 {
		t.Errorf("only %d links followed", len(seen))
	}
}

// TestLandingPageCharts: the SVG charts of the fixture's current release.
func TestLandingPageCharts(t *testing.T) {
	ctx := context.Background()
	st, bundles, _ := fixtureStore(t)
	h := newHarnessWith(t, api.Config{Store: st, Bundles: bundles, Pages: bundles})
	page := h.get("/").Body

	// The budget chart: one bar per summary row, each tagged with its row.
	budget := chart(t, page, "budget-chart")
	type bar struct {
		agency, stage, fy, fyTo, jpy, class string
	}
	var got []bar
	for _, n := range budget.all("data-stage") {
		got = append(got, bar{n.attr("data-agency"), n.attr("data-stage"), n.attr("data-fiscal-year"), n.attr("data-fiscal-year-to"), n.attr("data-jpy"), n.attr("class")})
		if n.XMLName.Local != "rect" || n.title() == "" {
			t.Errorf("bar %s: a <%s> with title %q, want a <rect> with a <title>", n.attr("data-fiscal-year"), n.XMLName.Local, n.title())
		}
		for _, a := range []string{"width", "height"} {
			if v, err := strconv.ParseFloat(n.attr(a), 64); err != nil || v <= 0 {
				t.Errorf("bar %s %s: %s %q", n.attr("data-agency"), n.attr("data-fiscal-year"), a, n.attr(a))
			}
		}
	}
	// The fixture's summary (internal/testenv/fixture/testdata/budgets.yaml): the plan is a
	// band over FY2023–FY2027, the FY2022 request a sum of items.
	want := []bar{
		{"a-mod", "plan", "2023", "2027", "1000000000000", "bar plan"},
		{"a-mod", "request", "2021", "", "35000000000", "bar"},
		{"a-mod", "initial", "2021", "", "30100000000", "bar"},
		{"a-mod", "request", "2022", "", "3000000000", "bar lower-bound"},
		{"a-gov", "supplementary", "2024", "", "28400000000", "bar"},
	}
	key := func(b bar) string {
		return strings.Join([]string{b.agency, b.stage, b.fy, b.fyTo, b.jpy, b.class}, "|")
	}
	sortBars := func(bs []bar) []string {
		out := make([]string, len(bs))
		for i, b := range bs {
			out[i] = key(b)
		}
		slices.Sort(out)
		return out
	}
	if g, w := sortBars(got), sortBars(want); !slices.Equal(g, w) {
		t.Errorf("budget bars:\n got %v\nwant %v", g, w)
	}
	rows, _, err := st.BudgetSummary(ctx, store.SummaryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(got) {
		t.Errorf("%d bars for %d summary rows", len(got), len(rows))
	}
	// One panel per agency, the larger first, named in English and Japanese.
	var panels []string
	for _, n := range budget.all("data-agency") {
		if n.XMLName.Local == "g" {
			panels = append(panels, n.attr("data-agency"))
		}
	}
	if !slices.Equal(panels, []string{"a-mod", "a-gov"}) {
		t.Errorf("budget panels %v, want [a-mod a-gov]", panels)
	}
	for _, s := range []string{`Ministry of Defense <tspan lang="ja">防衛省</tspan>`, "Plan FY2023–FY2027", "about ¥1,000 bn in total (1兆円)", "≈ ¥200 bn a year", ">¥ billion<"} {
		if !bytes.Contains(page, []byte(s)) {
			t.Errorf("the budget chart lacks %q", s)
		}
	}
	var stages []string
	for _, m := range regexp.MustCompile(`data-legend-stage="([a-z]+)"`).FindAllSubmatch(page, -1) {
		stages = append(stages, string(m[1]))
	}
	if !slices.Equal(stages, []string{"request", "initial", "supplementary", "plan"}) {
		t.Errorf("legend stages %v", stages)
	}

	// The timeline: every active event of the release once in the
	// overview, core events apart, and the core story again in the zoom.
	timeline := chart(t, page, "timeline-chart")
	marks := map[string]map[string]*svgNode{}
	for _, p := range timeline.all("data-panel") {
		marks[p.attr("data-panel")] = map[string]*svgNode{}
		for _, m := range p.all("data-event-id") {
			marks[p.attr("data-panel")][m.attr("data-event-id")] = m
		}
	}
	events, err := st.Events(ctx, store.EventQuery{Page: store.PageRequest{Limit: store.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	if len(marks["overview"]) != len(events.Items) || len(events.Items) != 8 {
		t.Errorf("%d marks in the overview for %d events (want 8)", len(marks["overview"]), len(events.Items))
	}
	core := 0
	for _, e := range events.Items {
		m := marks["overview"][e.ID]
		if m == nil {
			t.Errorf("event %s is not on the timeline", e.ID)
			continue
		}
		isCore := slices.Contains(e.Tags, "core")
		if m.attr("data-core") != strconv.FormatBool(isCore) {
			t.Errorf("event %s: data-core %q", e.ID, m.attr("data-core"))
		}
		if isCore {
			core++
			if marks["zoom"][e.ID] == nil {
				t.Errorf("core event %s is not in the zoom", e.ID)
			}
		}
		if !strings.Contains(m.title(), e.Title.EN) || !strings.HasPrefix(m.title(), e.Occurred) {
			t.Errorf("event %s: hover title %q", e.ID, m.title())
		}
		// A single day is a dot; anything longer a bar.
		shape := m.Nodes[len(m.Nodes)-1].XMLName.Local
		if day := e.Precision == dataset.PrecisionDay && e.OccurredTo == ""; day != (shape == "circle") {
			t.Errorf("event %s (%s %s–%s) is drawn as a %s", e.ID, e.Precision, e.Occurred, e.OccurredTo, shape)
		}
	}
	if core != 5 || len(marks["zoom"]) != core {
		t.Errorf("%d core events, %d in the zoom; want 5 and 5", core, len(marks["zoom"]))
	}
	if m := marks["overview"]["e-2023-report"]; m == nil || !strings.Contains(m.title(), "米紙が侵入を報道") {
		t.Error("the hover title of e-2023-report lacks its Japanese title")
	}
	if m := marks["overview"]["e-2023-denial"]; m == nil || !strings.Contains(m.attr("class"), "disputed") {
		t.Error("the disputed event is not marked as such")
	}
	if marks["overview"]["e-2023-year"] != nil {
		t.Error("a withdrawn event is on the timeline")
	}
}

// TestLandingPageJSONLD: a schema.org Dataset naming the current release,
// with a download per bundle.
func TestLandingPageJSONLD(t *testing.T) {
	ctx := context.Background()
	st, bundles, _ := fixtureStore(t)
	h := newHarnessWith(t, api.Config{Store: st, Bundles: bundles, Pages: bundles})
	ld := jsonLD(t, h.get("/").Body)
	for k, want := range map[string]any{
		"@context": "https://schema.org", "@type": "Dataset", "name": export.DatasetTitle, "version": "1.1.0",
		"datePublished": "2026-03-01", "license": export.LicenceURL, "url": export.RepositoryURL,
	} {
		if ld[k] != want {
			t.Errorf("JSON-LD %s = %v, want %v", k, ld[k], want)
		}
	}
	if c, _ := ld["creator"].(map[string]any); c["name"] != export.DatasetAuthor {
		t.Errorf("creator %v", ld["creator"])
	}
	if d, _ := ld["description"].(string); len(d) < 50 {
		t.Errorf("description %q", d)
	}
	if k, _ := ld["keywords"].([]any); len(k) < 3 {
		t.Errorf("keywords %v", ld["keywords"])
	}
	rels, _ := st.Releases(ctx)
	dist, _ := ld["distribution"].([]any)
	if len(dist) != 2*len(rels) {
		t.Fatalf("%d distributions for %d releases, want a zip and a database each", len(dist), len(rels))
	}
	for i, rel := range rels { // the current (newest) first, each zip followed by its database
		d, _ := dist[2*i].(map[string]any)
		if d["@type"] != "DataDownload" || d["encodingFormat"] != "application/zip" || d["contentUrl"] != "/v1/releases/"+rel.Version+"/download" ||
			d["name"] != rel.Bundle.Name || d["sha256"] != rel.Bundle.SHA256 || d["version"] != rel.Version {
			t.Errorf("distribution %d: %v", 2*i, d)
		}
		db, _ := dist[2*i+1].(map[string]any)
		if db["@type"] != "DataDownload" || db["encodingFormat"] != "application/vnd.sqlite3" || db["contentUrl"] != "/v1/releases/"+rel.Version+"/sqlite" ||
			rel.Bundle.SQLite == nil || db["name"] != rel.Bundle.SQLite.Name || db["sha256"] != rel.Bundle.SQLite.SHA256 || db["version"] != rel.Version {
			t.Errorf("distribution %d: %v", 2*i+1, db)
		}
	}

	// Deployed, the bundles are on the bucket: the page, built once for
	// every deployment, links to the download endpoint, which redirects
	// there.
	h = newHarnessWith(t, api.Config{Store: st, Bundles: bundles, Pages: bundles, BundleBaseURL: "https://bundles.example.org/releases/"})
	page := h.get("/").Body
	if !bytes.Contains(page, []byte(`id="current-download" href="/v1/releases/1.1.0/download"`)) {
		t.Error("the download link is not the download endpoint")
	}
	if r := h.get("/v1/releases/1.1.0/download"); r.Status != http.StatusFound || r.Header.Get("Location") != "https://bundles.example.org/releases/jcdd-1.1.0.zip" {
		t.Errorf("deployed, the download endpoint answers %d %s", r.Status, r.Header.Get("Location"))
	}
}

// TestLandingPageHeaders: caching, conditional requests, HEAD, and the
// security headers of a page that runs no script.
func TestLandingPageHeaders(t *testing.T) {
	h := newHarness(t)
	r := h.get("/")
	hd := r.Header
	csp := hd.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	for _, bad := range []string{"script-src", "unsafe-inline", "unsafe-eval", "*"} {
		if strings.Contains(csp, bad) {
			t.Errorf("CSP %q allows %s", csp, bad)
		}
	}
	// The one stylesheet is allowed by its hash, which must be that of the
	// bytes in the page; there is no other style element or attribute.
	styles := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllSubmatch(r.Body, -1)
	if len(styles) != 1 {
		t.Fatalf("%d style elements", len(styles))
	}
	sum := sha256.Sum256(styles[0][1])
	if want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, want) {
		t.Errorf("CSP %q does not allow the stylesheet: want %s", csp, want)
	}
	if regexp.MustCompile(`\sstyle=`).Match(r.Body) {
		t.Error("the page has a style attribute, which the CSP blocks")
	}
	if n := len(regexp.MustCompile(`<script`).FindAll(r.Body, -1)); n != 1 {
		t.Errorf("%d script elements, want only the JSON-LD", n)
	}
	for k, want := range map[string]string{
		"Cache-Control": cacheShort, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
		"X-Frame-Options": "DENY", "Dataset-Release": "1.1.0", "Content-Length": strconv.Itoa(len(r.Body)),
	} {
		if got := hd.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	etag := hd.Get("ETag")
	if !regexp.MustCompile(`^"[A-Za-z0-9_-]+"$`).MatchString(etag) {
		t.Fatalf("ETag %q", etag)
	}
	if again := h.get("/"); again.Header.Get("ETag") != etag || !bytes.Equal(again.Body, r.Body) {
		t.Error("a second GET answers other bytes")
	}

	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		nm := h.get("/", "If-None-Match", inm)
		if nm.Status != http.StatusNotModified || len(nm.Body) != 0 || nm.Header.Get("ETag") != etag || nm.Header.Get("Cache-Control") != cacheShort {
			t.Errorf("If-None-Match %s: %d, %d bytes, ETag %q", inm, nm.Status, len(nm.Body), nm.Header.Get("ETag"))
		}
	}
	if nm := h.get("/", "If-None-Match", `"stale"`); nm.Status != http.StatusOK {
		t.Errorf("a stale ETag: %d", nm.Status)
	}

	head := h.do(http.MethodHead, "/")
	if head.Status != http.StatusOK || len(head.Body) != 0 || head.Header.Get("ETag") != etag ||
		head.Header.Get("Content-Type") != "text/html; charset=utf-8" || head.Header.Get("Content-Length") != strconv.Itoa(len(r.Body)) {
		t.Errorf("HEAD /: %d, %d bytes, ETag %q, %s, length %s", head.Status, len(head.Body), head.Header.Get("ETag"), head.Header.Get("Content-Type"), head.Header.Get("Content-Length"))
	}
	if nm := h.do(http.MethodHead, "/", "If-None-Match", etag); nm.Status != http.StatusNotModified {
		t.Errorf("conditional HEAD: %d", nm.Status)
	}

	// Over a real connection too, where net/http drops a HEAD's body.
	srv := httptest.NewServer(newHarness(t).srv)
	defer srv.Close()
	resp, err := http.Head(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ContentLength != int64(len(r.Body)) {
		t.Errorf("HEAD over HTTP: %d, length %d", resp.StatusCode, resp.ContentLength)
	}
}

// TestLandingPageIsNotAnOperation: the page is a page, like /docs: not in
// the OpenAPI description; only / itself is routed to it; other methods
// are refused as everywhere.
func TestLandingPageIsNotAnOperation(t *testing.T) {
	h := newHarness(t)
	for path := range h.srv.OpenAPI().Paths {
		if path == "/" {
			t.Error("/ is an operation of the OpenAPI description")
		}
	}
	if r := h.get("/docs"); r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte(`id="listEvents"`)) {
		t.Errorf("/docs: %d", r.Status)
	}
	for _, target := range []string{"/nope", "/index.html", "/v1", "/v1/"} {
		if r := h.get(target); r.Status != http.StatusNotFound || r.problem(t).Status != http.StatusNotFound {
			t.Errorf("%s: %d, want a 404 problem", target, r.Status)
		}
	}
	if r := h.do(http.MethodPost, "/"); r.Status != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %d", r.Status)
	}
}

// landingStore can claim another release is current (as an activation
// does) or fail.
type landingStore struct {
	store.Store
	current atomic.Value // string: the version to report as current
	fail    atomic.Bool
}

func (c *landingStore) Release(ctx context.Context, version string) (store.Release, error) {
	if c.fail.Load() {
		return store.Release{}, errors.New("the table is gone")
	}
	if v, _ := c.current.Load().(string); version == "" && v != "" {
		version = v
	}
	return c.Store.Release(ctx, version)
}

// countingPages counts the reads of the page source.
type countingPages struct {
	pages.Source
	reads atomic.Int64
}

func (c *countingPages) Page(ctx context.Context, version, lang string) ([]byte, error) {
	c.reads.Add(1)
	return c.Source.Page(ctx, version, lang)
}

// TestLandingPageReadOncePerRelease: a page is read from its source once
// per current release and language, and again when another release becomes
// current; a store failure is a problem, not a page.
func TestLandingPageReadOncePerRelease(t *testing.T) {
	st, bundles, _ := fixtureStore(t)
	cs := &landingStore{Store: st}
	src := &countingPages{Source: bundles}
	srv := api.New(api.Config{Store: cs, Bundles: bundles, Pages: src})
	get := func(target string, headers ...string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	first := get("/")
	if !strings.Contains(first.Body.String(), `id="current-version">1.1.0<`) {
		t.Fatal("the page does not show release 1.1.0")
	}
	for range 3 {
		get("/")
		get("/", "Accept-Encoding", "gzip")
	}
	ja := get("/ja/")
	if n := src.reads.Load(); n != 2 {
		t.Errorf("%d reads of the page source for two pages, want 2", n)
	}
	if !strings.Contains(ja.Body.String(), `<html lang="ja">`) || ja.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Errorf("/ja/: not the Japanese page, or the English page's ETag")
	}

	// Rolling back to 1.0.0 serves 1.0.0's page, with another ETag.
	cs.current.Store("1.0.0")
	old := get("/")
	if !strings.Contains(old.Body.String(), `id="current-version">1.0.0<`) || old.Header().Get("Dataset-Release") != "1.0.0" ||
		old.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Errorf("after the rollback: release %s, ETag %s", old.Header().Get("Dataset-Release"), old.Header().Get("ETag"))
	}
	if n := src.reads.Load(); n != 3 {
		t.Errorf("%d reads after the rollback, want 3", n)
	}
	if nm := get("/", "If-None-Match", first.Header().Get("ETag")); nm.Code != http.StatusOK {
		t.Errorf("the ETag of another release's page: %d", nm.Code)
	}
	if nm := get("/", "If-None-Match", old.Header().Get("ETag")); nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
		t.Errorf("the page's own ETag: %d with %d bytes", nm.Code, nm.Body.Len())
	}

	cs.fail.Store(true)
	r := get("/")
	if r.Code != http.StatusServiceUnavailable || r.Header().Get("Content-Type") != "application/problem+json" || r.Header().Get("Retry-After") == "" {
		t.Errorf("store failure: %d %s", r.Code, r.Header().Get("Content-Type"))
	}
	if strings.Contains(r.Body.String(), "table is gone") {
		t.Error("the problem leaks the store's error")
	}
}

// TestLandingPageOverDynamoDB: the page served from DynamoDB is the page
// served from memory, byte for byte; rendering it never scans, and once
// rendered a request costs at most the read of the current-release
// pointer.
func TestLandingPageOverDynamoDB(t *testing.T) {
	dynalitetest.Need(t, dynaliteURL)
	ctx := context.Background()
	mem, bundles, rels := fixtureStore(t)
	var counted calls
	c, err := dynalitetest.Client(ctx, dynaliteURL, func(o *dynamodb.Options) { o.APIOptions = append(o.APIOptions, counted.middleware) })
	if err != nil {
		t.Fatal(err)
	}
	table := fmt.Sprintf("landing-%d", os.Getpid())
	if err := dynamo.CreateTable(ctx, c, table); err != nil {
		t.Fatal(err)
	}
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond, Bundle: bundles.Describe, Pages: bundles.Pages}
	for i, r := range rels {
		if _, err := l.Load(ctx, r, i == len(rels)-1); err != nil {
			t.Fatal(err)
		}
	}
	get := func(srv *api.Server) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		return rec
	}
	m := get(api.New(api.Config{Store: mem, Bundles: bundles, Pages: bundles}))
	dyn := api.New(api.Config{Store: dynamo.New(c, table), Bundles: bundles})
	counted.take()
	d := get(dyn)
	ops := counted.take()
	if d.Code != http.StatusOK || m.Body.String() != d.Body.String() || m.Header().Get("ETag") != d.Header().Get("ETag") {
		t.Fatalf("DynamoDB %d: the page differs from memory's (ETag %s vs %s)", d.Code, d.Header().Get("ETag"), m.Header().Get("ETag"))
	}
	if slices.Contains(ops, "Scan") {
		t.Errorf("reading the page scanned: %v", ops)
	}
	t.Logf("reading the page from DynamoDB: %d calls %v", len(ops), ops)
	for range 3 {
		if r := get(dyn); r.Code != http.StatusOK || r.Body.String() != d.Body.String() {
			t.Fatalf("again: %d", r.Code)
		}
	}
	if ops := counted.take(); len(ops) > 3 { // at most one pointer read each, none while it is cached
		t.Errorf("three cached requests made %d calls: %v", len(ops), ops)
	}
}
