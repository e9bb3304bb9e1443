package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

type eventPage struct {
	Items []struct {
		ID string `json:"id"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
	Meta       struct {
		Release    string `json:"release"`
		ReleasedAt string `json:"released_at"`
		Licence    string `json:"licence"`
		Citation   string `json:"citation"`
	} `json:"meta"`
}

func (p eventPage) ids() []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.ID)
	}
	return out
}

func listIDs(t *testing.T, h *harness, target string) []string {
	t.Helper()
	r := h.get(target)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", target, r.Status, r.Body)
	}
	var p eventPage
	r.json(t, &p)
	return p.ids()
}

func TestEndpointsAnswer(t *testing.T) {
	h := newHarness(t)
	for _, target := range []string{
		"/v1/events", "/v1/events/e-2023-report", "/v1/actors/a-nsa/events",
		"/v1/actors", "/v1/actors/a-mod", "/v1/budgets", "/v1/budgets/summary",
		"/v1/programs", "/v1/programs/p-command", "/v1/sources", "/v1/sources/s-news",
		"/v1/releases", "/v1/releases/1.0.0", "/v1/releases/latest", "/healthz",
	} {
		r := h.get(target)
		if r.Status != http.StatusOK {
			t.Errorf("GET %s = %d: %s", target, r.Status, r.Body)
			continue
		}
		if got := r.Header.Get("Dataset-Release"); !strings.HasPrefix(target, "/v1/releases/1.0.0") && got != "1.1.0" {
			t.Errorf("GET %s: Dataset-Release = %q", target, got)
		}
		for _, hdr := range []string{"X-Content-Type-Options", "Access-Control-Allow-Origin", "Content-Security-Policy"} {
			if r.Header.Get(hdr) == "" {
				t.Errorf("GET %s: no %s header", target, hdr)
			}
		}
	}
	for target, want := range map[string]string{
		"/openapi.yaml":     "openapi: 3.1.0",
		"/openapi.json":     `"openapi":"3.1.0"`,
		"/openapi-3.0.yaml": "openapi: 3.0.3",
		"/openapi-3.0.json": `"openapi":"3.0.3"`,
		"/docs":             "<h3 id=\"listEvents\">",
	} {
		r := h.get(target)
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), want) {
			t.Errorf("GET %s = %d, body lacks %q", target, r.Status, want)
		}
		// Every answer says how long it may be cached: a shared cache in
		// front would otherwise choose for itself.
		if got := r.Header.Get("Cache-Control"); got != "public, max-age=300" {
			t.Errorf("GET %s: Cache-Control = %q, want public, max-age=300", target, got)
		}
	}
}

func TestEnvelopeAndMeta(t *testing.T) {
	h := newHarness(t)
	r := h.get("/v1/events?limit=2")
	var p eventPage
	r.json(t, &p)
	if len(p.Items) != 2 || p.NextCursor == "" {
		t.Fatalf("page = %+v", p)
	}
	if p.Meta.Release != "1.1.0" || p.Meta.ReleasedAt != "2026-03-01" || p.Meta.Licence != "CC-BY-4.0" || !strings.Contains(p.Meta.Citation, "(Version 1.1.0)") {
		t.Errorf("meta = %+v", p.Meta)
	}
	link := r.Header.Get("Link")
	want := fmt.Sprintf(`</v1/events?cursor=%s&limit=2>; rel="next"`, url.QueryEscape(p.NextCursor))
	if link != want {
		t.Errorf("Link = %s\nwant   %s", link, want)
	}
	if r.Header.Get("Cache-Control") != "public, max-age=300" || r.Header.Get("Vary") != "Accept, Accept-Encoding" {
		t.Errorf("caching headers: %v", r.Header)
	}
}

// walkAll follows next_cursor from a first page and returns every id.
func walkAll(t *testing.T, h *harness, first string) []string {
	t.Helper()
	var out []string
	target := first
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("paging does not end")
		}
		r := h.get(target)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", target, r.Status, r.Body)
		}
		var p eventPage
		r.json(t, &p)
		out = append(out, p.ids()...)
		if p.NextCursor == "" {
			if r.Header.Get("Link") != "" {
				t.Errorf("last page has a Link header: %s", r.Header.Get("Link"))
			}
			return out
		}
		// Follow the Link header, as a client would, and check that it
		// carries the same cursor as the body.
		m := regexp.MustCompile(`^<([^>]+)>; rel="next"$`).FindStringSubmatch(r.Header.Get("Link"))
		if m == nil {
			t.Fatalf("Link = %q", r.Header.Get("Link"))
		}
		u, _ := url.Parse(m[1])
		if u.Query().Get("cursor") != p.NextCursor {
			t.Fatalf("Link cursor differs from next_cursor")
		}
		target = m[1]
	}
}

func TestPagingYieldsEveryRecordOnce(t *testing.T) {
	rel, err := dataset.Load()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, rel)
	kinds := []struct {
		path string
		want []string
	}{
		{"/v1/events", idsOf(rel.Events, func(e dataset.Event) (string, bool) { return e.ID, !e.Withdrawn() })},
		{"/v1/actors", idsOf(rel.Actors, func(a dataset.Actor) (string, bool) { return a.ID, !a.Withdrawn() })},
		{"/v1/budgets", idsOf(rel.Budgets, func(b dataset.BudgetLine) (string, bool) { return b.ID, !b.Withdrawn() })},
		{"/v1/programs", idsOf(rel.Programs, func(p dataset.Program) (string, bool) { return p.ID, !p.Withdrawn() })},
		{"/v1/sources", idsOf(rel.Sources, func(s dataset.Source) (string, bool) { return s.ID, !s.Withdrawn() })},
	}
	for _, k := range kinds {
		for _, limit := range []int{1, 7, 500} {
			got := walkAll(t, h, fmt.Sprintf("%s?limit=%d", k.path, limit))
			sortedGot := slices.Clone(got)
			slices.Sort(sortedGot)
			if !slices.Equal(sortedGot, k.want) || len(slices.Compact(slices.Clone(sortedGot))) != len(got) {
				t.Errorf("%s limit %d: walked %d ids, want %d, each once", k.path, limit, len(got), len(k.want))
			}
		}
	}
}

func idsOf[T any](items []T, id func(T) (string, bool)) []string {
	var out []string
	for _, it := range items {
		if s, ok := id(it); ok {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

func TestEventFilters(t *testing.T) {
	h := newHarness(t)
	cases := map[string][]string{
		"/v1/events?release=1.0.0":                           {"e-2000-report", "e-fall-2020-discovery", "e-oct-2020-briefing", "e-window-assessment", "e-2023-year", "e-2023-report", "e-2023-denial", "e-2023-minister"},
		"/v1/events?from=2020-10&to=2020-10":                 {"e-fall-2020-discovery", "e-oct-2020-briefing"},
		"/v1/events?from=2024":                               {"e-2024-new"},
		"/v1/events?to=2000":                                 {"e-2000-report"},
		"/v1/events?actor=a-pla&actor=a-person":              {"e-fall-2020-discovery", "e-2023-denial", "e-2023-minister"},
		"/v1/events?type=briefing&type=report&actor=a-nsa":   {"e-2000-report", "e-oct-2020-briefing"},
		"/v1/events?country=CN&tag=reaction":                 {"e-2023-denial"},
		"/v1/events?confidence=disputed":                     {"e-2023-denial"},
		"/v1/events?q=%E6%B5%9C%E7%94%B0":                    {"e-2023-minister"}, // 浜田, an actor's Japanese name
		"/v1/events?q=NEWSPAPER":                             {"e-2023-report"},
		"/v1/events?sort=-occurred&tag=core&from=2023":       {"e-2023-minister", "e-2023-report", "e-window-assessment"},
		"/v1/events?status=withdrawn":                        {"e-2023-year"},
		"/v1/events?status=all&from=2023&to=2023&type=other": {"e-2023-year"},
		"/v1/actors/a-pla/events?sort=-occurred":             {"e-2023-denial", "e-fall-2020-discovery"},
		"/v1/actors/a-mod/events?type=policy":                {"e-window-assessment"},
	}
	for target, want := range cases {
		if got := listIDs(t, h, target); !slices.Equal(got, want) {
			t.Errorf("GET %s = %v, want %v", target, got, want)
		}
	}
}

func TestOtherFilters(t *testing.T) {
	h := newHarness(t)
	cases := map[string][]string{
		"/v1/actors?kind=person":                                  {"a-person"},
		"/v1/actors?country=JP&kind=state&kind=government-agency": {"a-gov", "a-mod"},
		"/v1/actors?q=%E9%98%B2%E8%A1%9B":                         {"a-mod"}, // 防衛
		"/v1/budgets?fiscal_year=2025":                            {"b-plan-cyber", "b-plan-usd"},
		"/v1/budgets?from_year=2022&to_year=2022":                 {"b-fy2022-request-a", "b-fy2022-request-b"},
		"/v1/budgets?agency=a-gov":                                {"b-plan-usd", "b-fy2024-supp"},
		"/v1/budgets?stage=request&category=cyber-total":          {"b-fy2021-request"},
		"/v1/budgets?category=defense-total":                      {"b-fy2021-defense"},
		"/v1/budgets?program=p-command":                           {"b-fy2022-request-b"},
		"/v1/programs?kind=law":                                   {"p-law"},
		"/v1/programs?agency=a-mod":                               {"p-command"},
		"/v1/programs?state=in-force":                             {"p-law"},
		"/v1/programs?q=joint":                                    {"p-command"},
		"/v1/sources?kind=government":                             {"s-gov"},
		"/v1/sources?language=en":                                 {"s-news"},
		"/v1/sources?q=ministry":                                  {"s-gov"},
	}
	for target, want := range cases {
		if got := listIDs(t, h, target); !slices.Equal(got, want) {
			t.Errorf("GET %s = %v, want %v", target, got, want)
		}
	}
}

func TestBudgetSummary(t *testing.T) {
	h := newHarness(t)
	var body struct {
		Items []struct {
			FiscalYear   int      `json:"fiscal_year"`
			FiscalYearTo int      `json:"fiscal_year_to"`
			Agency       string   `json:"agency"`
			Stage        string   `json:"stage"`
			CyberJPY     int64    `json:"cyber_jpy"`
			CyberBasis   string   `json:"cyber_basis"`
			Qualifier    string   `json:"amount_qualifier"`
			DefenseJPY   int64    `json:"defense_jpy"`
			Lines        []string `json:"lines"`
		} `json:"items"`
	}
	h.get("/v1/budgets/summary?from_year=2021&to_year=2022&agency=a-mod").json(t, &body)
	var got []string
	for _, it := range body.Items {
		got = append(got, fmt.Sprintf("%d %s %d %s %s %d", it.FiscalYear, it.Stage, it.CyberJPY, it.CyberBasis, it.Qualifier, it.DefenseJPY))
	}
	want := []string{
		"2021 request 35000000000 reported-total exact 0",
		"2021 initial 30100000000 reported-total exact 5342200000000",
		"2022 request 3000000000 sum-of-items about 0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("summary = %v\nwant %v", got, want)
	}
	r := h.get("/v1/budgets/summary?stage=plan&format=csv")
	if want := "fiscal_year,fiscal_year_to,agency,stage,cyber_jpy,cyber_basis,amount_qualifier,defense_jpy,lines\r\n2023,2027,a-mod,plan,1000000000000,reported-total,about,,b-plan-cyber\r\n"; string(r.Body) != want {
		t.Errorf("summary CSV = %q", r.Body)
	}
}

func TestGetAndFields(t *testing.T) {
	h := newHarness(t)
	r := h.get("/v1/events/e-2023-report?fields=title")
	if string(r.Body) != `{"id":"e-2023-report","title":{"en":"A newspaper reveals the breach","ja":"米紙が侵入を報道"}}` {
		t.Errorf("fields on get: %s", r.Body)
	}
	r = h.get("/v1/events/e-2023-report?release=1.0.0&fields=title")
	if !strings.Contains(string(r.Body), "discloses") || r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || r.Header.Get("Dataset-Release") != "1.0.0" {
		t.Errorf("pinned get: %s %v", r.Body, r.Header)
	}
	r = h.get("/v1/events/e-2023-year")
	var e dataset.Event
	r.json(t, &e)
	if e.Status != "withdrawn" || e.SupersededBy != "e-2024-new" {
		t.Errorf("tombstone: %+v", e)
	}
	r = h.get("/v1/events?limit=1&fields=occurred,type,occurred")
	if !strings.HasPrefix(string(r.Body), `{"items":[{"id":"e-2000-report","type":"report","occurred":"2000-10-11"}],`) {
		t.Errorf("fields on list: %s", r.Body)
	}
	r = h.get("/v1/budgets?limit=1&fields=amount_jpy&format=csv")
	if string(r.Body) != "id,amount_jpy\r\nb-fy2021-defense,5342200000000\r\n" {
		t.Errorf("fields on CSV: %q", r.Body)
	}
	var rel struct {
		Version string `json:"version"`
		Current bool   `json:"current"`
		Counts  struct {
			Events int `json:"events"`
		} `json:"counts"`
		Files []struct {
			Name string `json:"name"`
		} `json:"files"`
	}
	h.get("/v1/releases/latest").json(t, &rel)
	if rel.Version != "1.1.0" || !rel.Current || rel.Counts.Events != 9 || len(rel.Files) != len(dataset.Files) {
		t.Errorf("latest release: %+v", rel)
	}
}

func TestConditionalRequests(t *testing.T) {
	h := newHarness(t)
	for _, target := range []string{"/v1/events?limit=3", "/v1/events/e-2023-report", "/v1/budgets/summary", "/v1/releases", "/v1/actors?format=csv"} {
		first := h.get(target)
		etag := first.Header.Get("ETag")
		if !regexp.MustCompile(`^"[A-Za-z0-9_-]{24}"$`).MatchString(etag) {
			t.Fatalf("%s: ETag %q is not a strong validator", target, etag)
		}
		again := h.get(target)
		if again.Header.Get("ETag") != etag || string(again.Body) != string(first.Body) {
			t.Errorf("%s: a second request gave other bytes", target)
		}
		for _, inm := range []string{etag, `"x", ` + etag, "W/" + etag, "*"} {
			r := h.get(target, "If-None-Match", inm)
			if r.Status != http.StatusNotModified || len(r.Body) != 0 || r.Header.Get("ETag") != etag {
				t.Errorf("%s If-None-Match %s: %d, %d bytes, ETag %q", target, inm, r.Status, len(r.Body), r.Header.Get("ETag"))
			}
		}
		if r := h.get(target, "If-None-Match", `"stale"`); r.Status != http.StatusOK {
			t.Errorf("%s: stale validator answered %d", target, r.Status)
		}
	}
	// Different releases and formats have different validators.
	a := h.get("/v1/events").Header.Get("ETag")
	b := h.get("/v1/events?release=1.0.0").Header.Get("ETag")
	c := h.get("/v1/events?format=csv").Header.Get("ETag")
	if a == b || a == c {
		t.Errorf("ETags collide: %s %s %s", a, b, c)
	}
}

func TestFormats(t *testing.T) {
	h := newHarness(t)
	csv := h.get("/v1/events?limit=2&format=csv")
	if ct := csv.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8; header=present" {
		t.Errorf("CSV Content-Type = %q", ct)
	}
	rows := strings.Split(strings.TrimSuffix(string(csv.Body), "\r\n"), "\r\n")
	if len(rows) != 3 || !strings.HasPrefix(rows[0], "id,title_en,title_ja,summary_en,") || !strings.HasPrefix(rows[1], "e-2000-report,") {
		t.Errorf("CSV rows = %q", rows)
	}
	if csv.Header.Get("Link") == "" || !strings.Contains(csv.Header.Get("Content-Disposition"), `filename="jcdd-1.1.0-events.csv"`) {
		t.Errorf("CSV headers: %v", csv.Header)
	}
	excel := h.get("/v1/events?limit=2&format=csv-excel")
	if !strings.HasPrefix(string(excel.Body), "\uFEFFid,title_en") || string(excel.Body[3:]) != string(csv.Body) {
		t.Errorf("Excel CSV does not start with a BOM and the same bytes: %q", excel.Body[:20])
	}
	byAccept := h.get("/v1/events?limit=2", "Accept", "text/csv")
	if string(byAccept.Body) != string(csv.Body) {
		t.Errorf("Accept: text/csv gave %q", byAccept.Body)
	}
	nd := h.get("/v1/events?limit=3&format=ndjson")
	ls := lines(nd.Body)
	if nd.Header.Get("Content-Type") != "application/x-ndjson" || len(ls) != 3 {
		t.Fatalf("NDJSON: %q", nd.Body)
	}
	for _, l := range ls {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil || v["id"] == nil {
			t.Errorf("NDJSON line %q: %v", l, err)
		}
	}
	if r := h.get("/v1/events?limit=1", "Accept", "application/x-ndjson;q=0.5, text/csv;q=0.9"); !strings.HasPrefix(string(r.Body), "id,") {
		t.Errorf("q-values ignored: %.40s", r.Body)
	}
	if r := h.get("/v1/events?limit=1&format=json", "Accept", "text/csv"); !strings.HasPrefix(string(r.Body), `{"items"`) {
		t.Errorf("format= does not win over Accept: %.40s", r.Body)
	}
	r := h.get("/v1/events", "Accept", "image/png")
	if r.Status != http.StatusNotAcceptable || !strings.Contains(r.problem(t).Detail, "image/png") {
		t.Errorf("unservable Accept: %d %s", r.Status, r.Body)
	}
	// Media types are case-insensitive, and q=0 means "not acceptable"
	// (RFC 9110, 12.4.2 and 12.5.1): the reasons negotiate is not Huma's
	// negotiation package.
	if r := h.get("/v1/events?limit=1", "Accept", "TEXT/CSV"); !strings.HasPrefix(string(r.Body), "id,") {
		t.Errorf("Accept TEXT/CSV: %d %.40s", r.Status, r.Body)
	}
	for _, accept := range []string{"application/json;q=0", "text/csv;q=0, application/json;q=0"} {
		if r := h.get("/v1/events?limit=1", "Accept", accept); r.Status != http.StatusNotAcceptable {
			t.Errorf("Accept %s: %d, want 406", accept, r.Status)
		}
	}
}

func TestCSVInjectionIsNeutralised(t *testing.T) {
	v1, _ := storetest.Fixture(t)
	v1.Events[0].Title.EN = "=HYPERLINK(\"http://evil.example\",\"click\")"
	v1.Events[0].Summary.EN = "+1+2"
	v1.Actors[0].Name.EN = "@SUM(A1:A2)"
	v1.Sources[0].Title = "-2+3"
	h := newHarness(t, v1)
	for target, want := range map[string]string{
		"/v1/events?format=csv&limit=1":                      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
		"/v1/events?format=csv-excel&limit=1&fields=summary": "'+1+2",
		"/v1/actors?format=csv&limit=1&fields=name":          "'@SUM(A1:A2)",
		"/v1/sources?format=csv&fields=title":                "'-2+3",
	} {
		r := h.get(target)
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("%s: %q lacks %q", target, r.Body, want)
		}
	}
}

func TestErrors(t *testing.T) {
	h := newHarness(t)
	first := h.get("/v1/events?limit=1&type=report")
	var p eventPage
	first.json(t, &p)
	cur := p.NextCursor
	tampered := []byte(cur)
	tampered[3] ^= 1
	cases := []struct {
		target string
		status int
		where  string
	}{
		{"/v1/events?from=2023-02-30", 422, "query.from"},
		{"/v1/events?to=2023-13", 422, "query.to"},
		{"/v1/events?from=7%20Aug%202023", 422, "query.from"},
		{"/v1/events?from=2023&to=2022", 422, "query.to"},
		{"/v1/events?limit=0", 422, "query.limit"},
		{"/v1/events?limit=501", 422, "query.limit"},
		{"/v1/events?limit=ten", 422, "query.limit"},
		{"/v1/events?type=coup", 422, "query.type[0]"},
		{"/v1/events?country=jp", 422, "query.country[0]"},
		{"/v1/events?sort=newest", 422, "query.sort"},
		{"/v1/events?format=xml", 422, "query.format"},
		{"/v1/events?fields=id,nope", 422, "query.fields"},
		{"/v1/events?acter=a-nsa", 422, "query.acter"},
		{"/v1/events?limit=5&acter=a-nsa&acter=b", 422, "query.acter"},
		{"/v1/events/nsa-discovers-intrusion?acter=a-nsa", 422, "query.acter"},
		{"/v1/budgets/summary?acter=a-nsa", 422, "query.acter"},
		{"/v1/releases?acter=a-nsa", 422, "query.acter"},
		{"/v1/events?cursor=not-a-cursor", 400, "query.cursor"},
		{"/v1/events?limit=1&type=report&cursor=" + url.QueryEscape(string(tampered)), 400, "query.cursor"},
		{"/v1/events?limit=1&type=briefing&cursor=" + url.QueryEscape(cur), 400, "query.cursor"},
		{"/v1/actors?cursor=" + url.QueryEscape(cur), 400, "query.cursor"},
		{"/v1/events?limit=1&type=report&release=1.0.0&cursor=" + url.QueryEscape(cur), 400, "query.cursor"},
		{"/v1/events?release=9.9.9", 422, "query.release"},
		{"/v1/events?release=one", 422, "query.release"},
		{"/v1/events/e-2024-new?release=1.0.0", 404, "path.id"},
		{"/v1/events/nope", 404, "path.id"},
		{"/v1/actors/nope/events", 404, "path.id"},
		{"/v1/programs/nope", 404, "path.id"},
		{"/v1/releases/9.9.9", 404, "path.version"},
		{"/v1/budgets?from_year=2025&to_year=2020", 422, "query.to_year"},
		{"/v1/budgets?fiscal_year=1800", 422, "query.fiscal_year[0]"},
	}
	for _, tc := range cases {
		r := h.get(tc.target)
		if r.Status != tc.status {
			t.Errorf("GET %s = %d, want %d: %s", tc.target, r.Status, tc.status, r.Body)
			continue
		}
		pb := r.problem(t)
		if pb.Status != tc.status || !slices.Contains(pb.locations(), tc.where) {
			t.Errorf("GET %s: problem %+v does not name %s", tc.target, pb, tc.where)
		}
	}
	// The cursor of a pinned first page keeps working with the pin.
	pinned := h.get("/v1/events?limit=2&release=1.0.0")
	var pp eventPage
	pinned.json(t, &pp)
	if r := h.get("/v1/events?limit=2&release=1.0.0&cursor=" + url.QueryEscape(pp.NextCursor)); r.Status != 200 || r.Header.Get("Dataset-Release") != "1.0.0" {
		t.Errorf("pinned cursor: %d %s", r.Status, r.Body)
	}
	for _, tc := range []struct {
		method, target string
		status         int
	}{
		{http.MethodGet, "/nope", 404},
		{http.MethodGet, "/v1/event", 404},
		{http.MethodPost, "/v1/events", 405},
		{http.MethodDelete, "/v1/events/e-2023-report", 405},
		{http.MethodPut, "/v1/nothing", 404},
		{http.MethodGet, "/v1/events?q=" + strings.Repeat("x", 5000), 414},
	} {
		r := h.do(tc.method, tc.target)
		if r.Status != tc.status || r.problem(t).Status != tc.status {
			t.Errorf("%s %s = %d, want %d problem", tc.method, tc.target, r.Status, tc.status)
		}
		if tc.status == 405 && r.Header.Get("Allow") != "GET, HEAD, OPTIONS" {
			t.Errorf("405 without Allow: %v", r.Header)
		}
	}
}

func TestHeadAndOptions(t *testing.T) {
	h := newHarness(t)
	get := h.get("/v1/events?limit=2")
	head := h.do(http.MethodHead, "/v1/events?limit=2")
	if head.Status != 200 || head.Header.Get("ETag") != get.Header.Get("ETag") {
		t.Errorf("HEAD: %d %v", head.Status, head.Header)
	}
	opt := h.do(http.MethodOptions, "/v1/events", "Origin", "https://example.org", "Access-Control-Request-Method", "GET")
	if opt.Status != http.StatusNoContent || opt.Header.Get("Access-Control-Allow-Methods") != "GET, HEAD, OPTIONS" || opt.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("preflight: %d %v", opt.Status, opt.Header)
	}
}

// TestUnknownParameters: a data operation refuses a query parameter it does
// not declare as any other does, with one error per name, before any other
// check of the request (a format that cannot be served is a 406 only for
// a request whose parameters are known).
func TestUnknownParameters(t *testing.T) {
	h := newHarness(t)
	for _, target := range []string{"/v1/events?acter=a&limit=5&acter=b&zz=1", "/v1/releases?acter=a&zz=1&acter=b"} {
		for _, accept := range []string{"", "image/png"} {
			r := h.get(target, "Accept", accept)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("GET %s (Accept %q) = %d, want 422: %s", target, accept, r.Status, r.Body)
				continue
			}
			pb := r.problem(t)
			got := pb.locations()
			slices.Sort(got)
			if want := []string{"query.acter", "query.zz"}; !slices.Equal(got, want) || pb.Title != "Unprocessable Entity" || pb.Detail != "validation failed" {
				t.Errorf("GET %s (Accept %q): problem %+v, want errors at %v", target, accept, pb, want)
			}
			for _, e := range pb.Errors {
				if e.Message != "unknown query parameter" {
					t.Errorf("GET %s: error %+v", target, e)
				}
			}
		}
	}
	if r := h.get("/v1/events?limit=5", "Accept", "image/png"); r.Status != http.StatusNotAcceptable {
		t.Errorf("known parameters, Accept image/png: %d, want 406", r.Status)
	}
}
