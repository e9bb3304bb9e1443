package api

import (
	"bytes"
	"context"
	_ "embed"
	"html/template"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/store/storetest"
)

// landingOracleHTML is the landing page's template as it was served with
// html/template, unchanged. writeLandingPage must write the very same bytes:
// html/template stays in this test, out of the binaries (see
// writeLandingPage).
//
//go:embed testdata/landing.html
var landingOracleHTML string

var landingOracle = template.Must(template.New("landing").Funcs(template.FuncMap{
	"f1": func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
}).Parse(landingOracleHTML))

// landingOracleView is a landingView as the template had it: the stylesheet
// and the JSON-LD as html/template's trusted CSS and JS.
type landingOracleView struct {
	*landingView
	JSONLD template.JS
	CSS    template.CSS
}

func oracleLanding(t *testing.T, v *landingView) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := landingOracle.Execute(&buf, landingOracleView{landingView: v, JSONLD: template.JS(v.JSONLD), CSS: template.CSS(v.CSS)}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func compareLanding(t *testing.T, name string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	t.Errorf("%s: writeLandingPage differs from html/template at byte %d of %d:\ngot  %.200q\nwant %.200q", name, i, len(want), got[i:], want[i:])
}

// TestLandingPageMatchesHTMLTemplate renders the landing page of real
// stores — the test fixture and the embedded dataset, with bundles served,
// published elsewhere, or not offered — both with writeLandingPage and with
// the former template, and compares the bytes.
func TestLandingPageMatchesHTMLTemplate(t *testing.T) {
	ctx := context.Background()
	v1, v2 := storetest.Fixture(t)
	embedded, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	sets := map[string][]*dataset.Release{"fixture": {v1, v2}, "fixture-first": {v1}, "embedded": embedded}
	for set, rels := range sets {
		for _, mode := range []string{"bundles", "base-url", "no-bundles"} {
			bundles := buildSet(t, rels...)
			st, err := memory.NewWith(memory.Options{Bundle: bundles.Describe}, rels...)
			if err != nil {
				t.Fatal(err)
			}
			cfg := Config{Store: st}
			switch mode {
			case "bundles":
				cfg.Bundles = bundles
			case "base-url":
				cfg.BundleBaseURL = "https://d111111abcdef8.cloudfront.net/rel eases+x&y"
			}
			s := New(cfg)
			rel, err := st.Release(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			v, err := s.landingView(ctx, rel)
			if err != nil {
				t.Fatal(err)
			}
			if set != "fixture-first" && (len(v.Timeline.Panels) == 0 || len(v.Budget.Panels) == 0 || len(v.CoreEvents) == 0) {
				t.Fatalf("%s: the page has no charts or no core events", set)
			}
			got, err := s.renderLanding(ctx, rel)
			if err != nil {
				t.Fatal(err)
			}
			compareLanding(t, set+"/"+mode, got, oracleLanding(t, v))
		}
	}
}

// trickyStrings are values that html/template escapes in one context or
// another: markup, quotes, + and &, NUL, invalid UTF-8, noncharacters,
// percent escapes valid and not, URL punctuation and schemes.
var trickyStrings = []string{
	"", "a<b>&\"c\" 'd' +e \x00 f\u00e9 \ufdd0 \xff 防衛省 %2F /#?x=1",
	"javascript:alert(1)", "JavaScript:x", "data:text/html,<b>", "mailto:a@b.c", "HTTPS://x.y/z?a=b&c=d#f",
	"/v1/events/x y", "//evil.example/a", "a/b:c", "%zz%4", "%41%", "!#$*,/:;=?@[]()'\"`~._-",
	"\t\n\r ", "</title><script>", "</script>", "1.1.0", "2020-05 – 2020-06", "¥1兆円", "\u2028\u2029", "+",
}

func randomString(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return trickyStrings[r.IntN(len(trickyStrings))]
	}
	const alphabet = "aZ09-._~ <>&\"'+%/:?#=@!$*,;[]()`\x00\x7f\xff"
	runes := []string{"é", "防", "\ufdd0", "\ufffd", "\u00a0", "𝕏"}
	var b strings.Builder
	for range r.IntN(12) {
		if r.IntN(6) == 0 {
			b.WriteString(runes[r.IntN(len(runes))])
		} else {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
	}
	return b.String()
}

func randomFloat(r *rand.Rand) float64 {
	switch r.IntN(8) {
	case 0:
		return []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0, 1e21, -0.05, 0.05}[r.IntN(8)]
	case 1:
		return r.NormFloat64() * 1e6
	}
	return r.Float64()*1000 - 10
}

func randomInt(r *rand.Rand) int {
	if r.IntN(4) == 0 {
		return []int{0, -1, math.MaxInt32, math.MinInt32}[r.IntN(4)]
	}
	return r.IntN(2000)
}

// randomLandingView fills every field of a view, with some slices and
// pointers empty, so that every branch of the page is taken.
func randomLandingView(r *rand.Rand) *landingView {
	s, f, n := func() string { return randomString(r) }, func() float64 { return randomFloat(r) }, func() int { return randomInt(r) }
	some := func(max int) int { return r.IntN(max + 1) }
	release := func() releaseView {
		rv := releaseView{Version: s(), Released: s(), Summary: s(), Current: r.IntN(2) == 0, Since: s()}
		if r.IntN(3) > 0 {
			rv.Bundle = &bundleView{Name: s(), URL: s(), SHA256: s(), Size: s(), Bytes: int64(n())}
		}
		return rv
	}
	v := &landingView{Title: s(), Current: release(), APA: s(), BibTeX: s(), EventCount: n(), JSONLD: s(), CSS: s()}
	for range some(3) {
		v.Releases = append(v.Releases, release())
	}
	for range some(5) {
		v.Counts = append(v.Counts, countView{Kind: s(), Label: s(), N: n()})
	}
	for range some(4) {
		v.CoreEvents = append(v.CoreEvents, eventRow{ID: s(), When: s(), Title: s(), TitleJA: s()})
	}
	v.Timeline = timelineChart{Width: n(), Height: n()}
	for range some(2) {
		p := timelinePanel{Title: s(), Zoom: r.IntN(2) == 0, Y: n(), AxisY: n(), TickY: n(), TopY: n(), PlotLeft: n(), PlotRight: n(), PlotWidth: n()}
		for range some(3) {
			p.Ticks = append(p.Ticks, axisTick{X: f(), Label: s()})
		}
		for range some(2) {
			l := timelineLane{Label: s(), Y: n(), H: n(), LabelY: n()}
			for range some(4) {
				l.Marks = append(l.Marks, timelineMark{ID: s(), Title: s(), Href: s(), Core: r.IntN(2) == 0, Disputed: r.IntN(2) == 0,
					Bar: r.IntN(2) == 0, X: f(), Y: f(), W: f(), Top: f()})
			}
			p.Lanes = append(p.Lanes, l)
		}
		v.Timeline.Panels = append(v.Timeline.Panels, p)
	}
	v.Budget = budgetChart{Width: n(), Height: n(), First: n(), Last: n()}
	for range some(3) {
		v.Budget.Legend = append(v.Budget.Legend, legendItem{Stage: s(), Label: s(), Color: s()})
	}
	for range some(2) {
		p := budgetPanel{Agency: s(), Name: s(), NameJA: s(), Y: n(), PlotTop: n(), PlotBottom: n(), Left: n(), Right: n(), TickX: n(), MidY: n(), YearY: n()}
		for range some(3) {
			p.YTicks = append(p.YTicks, yTick{Y: f(), Label: s()})
		}
		for range some(3) {
			p.Years = append(p.Years, axisTick{X: f(), Label: s()})
		}
		for range some(4) {
			b := budgetBar{Agency: s(), Stage: s(), FiscalYear: n(), FiscalYearTo: n(), JPY: int64(n()) * 1e6, Plan: r.IntN(2) == 0,
				LowerBound: r.IntN(2) == 0, Color: s(), Title: s(), X: f(), Y: f(), W: f(), H: f()}
			for range some(3) {
				b.Label = append(b.Label, s())
			}
			p.Bars = append(p.Bars, b)
		}
		v.Budget.Panels = append(v.Budget.Panels, p)
	}
	for range some(4) {
		v.Budget.Rows = append(v.Budget.Rows, budgetRow{Agency: s(), AgencyJA: s(), Years: s(), Stage: s(), Billions: s(), Oku: s(), Basis: s()})
	}
	return v
}

// TestLandingPageEscapesAsHTMLTemplate compares the two renderings of an
// empty view, of views whose every value is tricky, and of random views.
func TestLandingPageEscapesAsHTMLTemplate(t *testing.T) {
	tricky := trickyStrings[1]
	views := map[string]*landingView{"empty": {}}
	for i, s := range trickyStrings {
		b := &bundleView{Name: s, URL: s, SHA256: s, Size: s}
		views["tricky-"+strconv.Itoa(i)] = &landingView{
			Title: s, APA: s, BibTeX: s, JSONLD: tricky, CSS: tricky,
			Current:    releaseView{Version: s, Released: s, Summary: s, Current: true, Bundle: b, Since: s},
			Releases:   []releaseView{{Version: s, Since: s, Bundle: b}, {Version: s}},
			Counts:     []countView{{Kind: s, Label: s, N: -1}},
			CoreEvents: []eventRow{{ID: s, When: s, Title: s, TitleJA: s}, {ID: s}},
			Timeline: timelineChart{Panels: []timelinePanel{{Title: s, Ticks: []axisTick{{X: math.Inf(1), Label: s}, {X: math.NaN()}},
				Lanes: []timelineLane{{Label: s, Marks: []timelineMark{{ID: s, Title: s, Href: s, Bar: true}, {Href: s, Core: true, Disputed: true}}}}}}},
			Budget: budgetChart{Legend: []legendItem{{Stage: s, Label: s, Color: s}},
				Panels: []budgetPanel{{Agency: s, Name: s, NameJA: s, YTicks: []yTick{{Label: s}}, Years: []axisTick{{Label: s}},
					Bars: []budgetBar{{Agency: s, Stage: s, Color: s, Title: s, Label: []string{s, s}, FiscalYearTo: 1}, {}}}},
				Rows: []budgetRow{{Agency: s, AgencyJA: s, Years: s, Stage: s, Billions: s, Oku: s, Basis: s}, {}}},
		}
	}
	for name, v := range views {
		compareLanding(t, name, writeLandingPage(v), oracleLanding(t, v))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		v := randomLandingView(r)
		compareLanding(t, "random-"+strconv.Itoa(i), writeLandingPage(v), oracleLanding(t, v))
		if t.Failed() {
			break
		}
	}
}
