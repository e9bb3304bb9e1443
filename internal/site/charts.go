package site

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
)

// The landing page's two charts are laid out here, in Go, into plain
// coordinates that the page's template writes out as SVG: no script draws them, so
// they show in any browser, with JavaScript off, and in a saved copy of the
// page. Every mark carries data- attributes naming the record it draws, which
// the browser test counts against the API's own answers.

// chartWidth is the width of both charts in SVG user units; the SVG scales
// to the page's width.
const chartWidth = 1000

// --- Timeline ------------------------------------------------------------------

// timelineChart is the SVG timeline: one panel over every event, and a
// second that zooms into the years of the core story.
type timelineChart struct {
	Width, Height int
	Panels        []timelinePanel
	Counted       bool // some lane counts events by period (timelineBucket)
}

type timelinePanel struct {
	Title string
	Zoom  bool // the panel repeats events of the first: the browser test counts only the first
	Y     int  // top of the panel
	Ticks []axisTick
	Lanes []timelineLane
	// Relative to the panel: where the year axis runs, where its labels
	// go, and where the grid starts.
	AxisY, TickY, TopY             int
	PlotLeft, PlotRight, PlotWidth int
}

type timelineLane struct {
	Label   string
	Y, H    int // relative to the panel
	LabelY  int
	Marks   []timelineMark
	Buckets []timelineBucket // in place of Marks, where the lane has too many events to draw
}

// timelineBucket is a period of an aggregated lane: a bar as high as the
// number of the lane's events that overlap the period, linking to the list
// of those events, which the API gives for the same from and to.
type timelineBucket struct {
	From, To, Href, Title string
	Count                 int
	Core                  bool
	X, Y, W, H            float64
}

// timelineMark is one event: a dot for a single day, a bar for anything
// longer (a period, a season, a window, or a date known only to the month
// or year, which covers its whole month or year).
type timelineMark struct {
	ID, Title, Href string
	Core, Disputed  bool
	Bar             bool
	X, Y, W         float64 // a dot's centre is (X, Y); a bar runs from X for W
	Top             float64 // a bar's top edge
}

type axisTick struct {
	X     float64
	Label string
}

// Geometry of the timeline.
const (
	tlLeft      = 120 // room for the lane labels
	tlRight     = 16
	tlRowH      = 11 // one row of marks
	tlDotR      = 4
	tlGap       = 3 // the least space between two marks on one row
	tlLanePad   = 8
	tlTitleH    = 24
	tlAxisH     = 26
	tlPanelGap  = 18
	tlMinBarW   = 6
	tlDayLength = 24 * time.Hour
	tlHistH     = 48 // the tallest bar of an aggregated lane
)

// The page must stay small whatever the size of the release: it is read
// from the table and sent whole on every visit, and a Lambda response
// cannot exceed 6 MB. So the events are drawn one by one only up to these
// limits, far above the published releases (about 100 events, two dozen in
// the core story); beyond them a lane shows how many events each period
// holds, and the lists show their first rows, each linking to the API's
// full list. The page then holds at most maxCoreMarks events twice (both
// panels) and once more in the list, maxTimelineEvents context events,
// maxBuckets bars per lane, and at most maxBudgetAgencies panels holding
// maxBudgetRows bars and rows of the budget: bounded, whatever the release
// holds.
const (
	maxTimelineEvents = 500 // active events drawn one by one; more: the second lane counts every event by period
	maxCoreMarks      = 250 // core events drawn and listed one by one; more: the core lanes count them by period
	maxBuckets        = 240 // periods of an aggregated lane, at most
	maxBudgetAgencies = 12  // budget panels: the agencies with the largest budgets
	maxBudgetRows     = 200 // bars of those panels, and rows of the budget table
)

// isCore reports whether an event belongs to the core story (tag core).
func isCore(e *dataset.Event) bool { return slices.Contains(e.Tags, "core") }

// buildTimeline lays out the events (active ones, in date order). The
// overview spans whole years from the first event to the last; the zoom,
// the years of the core events.
func buildTimeline(events []*dataset.Event, t *words) timelineChart {
	c := timelineChart{Width: chartWidth}
	if len(events) == 0 {
		return c
	}
	first, last := yearRange(events)
	y := 0
	var core []*dataset.Event
	for _, e := range events {
		if isCore(e) {
			core = append(core, e)
		}
	}
	c.Counted = len(events) > maxTimelineEvents || len(core) > maxCoreMarks
	overview := layoutTimeline(fmt.Sprintf(t.everyEvent, first, last), events, len(core), first, last, false, t)
	overview.Y = y
	c.Panels = append(c.Panels, overview)
	y += panelHeight(overview) + tlPanelGap
	if len(core) > 0 {
		cf, cl := yearRange(core)
		if cf > first || cl < last {
			zoom := layoutTimeline(fmt.Sprintf(t.coreEnlarged, cf, cl), core, len(core), cf, cl, true, t)
			zoom.Y = y
			c.Panels = append(c.Panels, zoom)
			y += panelHeight(zoom) + tlPanelGap
		}
	}
	c.Height = y - tlPanelGap
	return c
}

func yearRange(events []*dataset.Event) (first, last int) {
	first, last = 1<<30, 0
	for i := range events {
		sp := events[i].Span()
		first, last = min(first, sp.Start.Year()), max(last, sp.End.Year())
	}
	return first, last
}

func panelHeight(p timelinePanel) int { return p.AxisY + tlAxisH }

// layoutTimeline places the events of one panel (nCore of them core) on a
// linear time axis from the first day of year first to the last day of year
// last. Core events get the upper lane, the others the lower; within a
// lane, marks that would overlap go on the next row down. Past the limits
// above, a lane counts events by period instead: the core lane its own, the
// lower lane every event (the API cannot list the events without a tag).
func layoutTimeline(title string, events []*dataset.Event, nCore, first, last int, zoom bool, t *words) timelinePanel {
	p := timelinePanel{Title: title, Zoom: zoom, PlotLeft: tlLeft, PlotRight: chartWidth - tlRight, TopY: tlTitleH}
	p.PlotWidth = p.PlotRight - p.PlotLeft
	start := time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(last+1, 1, 1, 0, 0, 0, 0, time.UTC)
	scale := float64(p.PlotRight-p.PlotLeft) / end.Sub(start).Hours()
	xOf := func(t time.Time) float64 { return float64(p.PlotLeft) + t.Sub(start).Hours()*scale }

	lanes := []struct {
		label     string
		core      bool
		aggregate bool
	}{{t.coreLane, true, nCore > maxCoreMarks}, {t.contextLane, false, len(events) > maxTimelineEvents}}
	if lanes[1].aggregate {
		lanes[1].label = t.everyLane
	}
	if zoom {
		lanes = lanes[:1]
	}
	y := tlTitleH
	for _, l := range lanes {
		lane := timelineLane{Label: l.label, Y: y}
		if l.aggregate {
			lane.Buckets = bucketEvents(events, l.core, first, last, xOf, float64(y+tlLanePad+tlHistH), t)
			lane.H = tlLanePad*2 + tlHistH
			lane.LabelY = y + lane.H/2 + 4
			p.Lanes = append(p.Lanes, lane)
			y += lane.H
			continue
		}
		var rowEnds []float64 // the right edge of the last mark on each row
		for _, e := range events {
			if isCore(e) != l.core {
				continue
			}
			sp := e.Span()
			m := timelineMark{ID: e.ID, Title: eventTitle(e, t), Href: "/v1/events/" + e.ID, Core: l.core, Disputed: e.Confidence == "disputed"}
			x0, x1 := xOf(sp.Start), xOf(sp.End.Add(tlDayLength))
			if sp.End.Sub(sp.Start) >= tlDayLength {
				m.Bar, m.X, m.W = true, x0, max(x1-x0, tlMinBarW)
			} else {
				m.X = (x0 + x1) / 2
			}
			left, right := m.X-tlDotR, m.X+tlDotR
			if m.Bar {
				left, right = m.X, m.X+m.W
			}
			row := 0
			for row < len(rowEnds) && rowEnds[row]+tlGap > left {
				row++
			}
			if row == len(rowEnds) {
				rowEnds = append(rowEnds, 0)
			}
			rowEnds[row] = right
			m.Y = float64(y + tlLanePad + row*tlRowH + tlRowH/2)
			m.Top = m.Y - 3.5
			lane.Marks = append(lane.Marks, m)
		}
		lane.H = tlLanePad*2 + max(len(rowEnds), 1)*tlRowH
		lane.LabelY = y + lane.H/2 + 4
		p.Lanes = append(p.Lanes, lane)
		y += lane.H
	}
	p.AxisY, p.TickY = y, y+16
	// A tick at the start of each year, labelled every step years so that
	// labels do not collide.
	pxPerYear := float64(p.PlotRight-p.PlotLeft) / float64(last-first+1)
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20} {
		step = s
		if float64(s)*pxPerYear >= 44 {
			break
		}
	}
	for yr := first; yr <= last+1; yr++ {
		t := axisTick{X: xOf(time.Date(yr, 1, 1, 0, 0, 0, 0, time.UTC))}
		if (yr-first)%step == 0 && yr <= last {
			t.Label = strconv.Itoa(yr)
		}
		p.Ticks = append(p.Ticks, t)
	}
	return p
}

// bucketEvents counts, for an aggregated lane, the events that overlap each
// period from the start of year first to the end of year last (only core
// events if core, else every event), as GET /v1/events?from=…&to=… would
// list them, and lays out one bar per period that has any, from the lane's
// baseline up. A period is a month, a quarter, half a year, a year or some
// years: the shortest that keeps the lane within maxBuckets bars.
func bucketEvents(events []*dataset.Event, core bool, first, last int, xOf func(time.Time) float64, base float64, t *words) []timelineBucket {
	months := (last - first + 1) * 12
	width := 0 // months per period
	for _, w := range []int{1, 3, 6, 12, 24, 60, 120} {
		if width = w; (months+w-1)/w <= maxBuckets {
			break
		}
	}
	if (months+width-1)/width > maxBuckets {
		width = (months/maxBuckets + 12) / 12 * 12
	}
	n := (months + width - 1) / width
	counts := make([]int, n)
	monthOf := func(d time.Time) int { return (d.Year()-first)*12 + int(d.Month()) - 1 }
	for _, e := range events {
		if core && !isCore(e) {
			continue
		}
		sp := e.Span()
		for b := max(monthOf(sp.Start), 0) / width; b <= min(monthOf(sp.End)/width, n-1); b++ {
			counts[b]++
		}
	}
	peak := slices.Max(counts)
	var out []timelineBucket
	for b, c := range counts {
		if c == 0 {
			continue
		}
		start := time.Date(first, time.Month(1+b*width), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, width, 0) // the next period's first day
		bk := timelineBucket{From: start.Format("2006-01"), To: end.AddDate(0, -1, 0).Format("2006-01"), Count: c, Core: core}
		if width%12 == 0 {
			bk.From, bk.To = start.Format("2006"), end.AddDate(0, -1, 0).Format("2006")
		}
		bk.Href = "/v1/events?from=" + bk.From + "&to=" + bk.To
		if core {
			bk.Href += "&tag=core"
		}
		period := bk.From
		if bk.To != bk.From {
			period += " – " + bk.To
		}
		bk.Title = fmt.Sprintf(t.bucketTitle, period, c)
		x0, x1 := xOf(start), xOf(end)
		bk.X, bk.W = x0+0.5, max(x1-x0-1, 1)
		bk.H = max(float64(c)/float64(peak)*tlHistH, 1)
		bk.Y = base - bk.H
		out = append(out, bk)
	}
	return out
}

// eventTitle is the hover text of an event: its dates, title (in Japanese
// too where the dataset has it) and confidence.
func eventTitle(e *dataset.Event, t *words) string {
	when := e.Occurred
	if e.OccurredTo != "" {
		when += " – " + e.OccurredTo
	}
	if e.Precision != dataset.PrecisionDay {
		when += " (" + e.Precision + ")"
	}
	title := when + ": " + e.Title.EN
	if e.Title.JA != "" {
		if t.ja {
			title = when + ": " + e.Title.JA + " / " + e.Title.EN
		} else {
			title += " / " + e.Title.JA
		}
	}
	return title + " [" + t.confidence[e.Confidence] + "]"
}

// --- Budget chart ----------------------------------------------------------------

// budgetChart is the SVG chart of the budget summary: one panel per agency
// (agencies are never added together: a ministry's budget is part of the
// government's), fiscal years across, one bar per summary row coloured by
// stage (one series per stage). A multi-year plan is drawn as a band over
// its years at its average per year.
type budgetChart struct {
	Width, Height int
	Legend        []legendItem
	Panels        []budgetPanel
	Rows          []budgetRow // the same figures as a table
	First, Last   int         // fiscal years shown
	// Past maxBudgetAgencies and maxBudgetRows, the chart and the table
	// show part of the summary: out of these many agencies and rows.
	AgencyTotal, RowTotal int
	Partial               bool
}

type legendItem struct {
	Stage, Label, Color string
}

type budgetPanel struct {
	Agency, Name, NameJA string
	Y                    int // top of the panel
	// Relative to the panel: the plot's edges, where the y labels end, the
	// middle of the y axis (its unit), and the baseline of the year labels.
	PlotTop, PlotBottom, Left, Right, TickX, MidY, YearY int
	YTicks                                               []yTick
	Years                                                []axisTick
	Bars                                                 []budgetBar // plans first, so that yearly bars are drawn over them
}

type yTick struct {
	Y     float64
	Label string
}

type budgetBar struct {
	Agency, Stage            string
	FiscalYear, FiscalYearTo int
	JPY                      int64
	Plan, LowerBound         bool
	Color, Title             string
	X, Y, W, H               float64
	Label                    []string // a plan's, written inside its band, line by line
}

// budgetRow is a summary row as the table under the chart shows it.
type budgetRow struct {
	Agency, AgencyJA, Years, Stage, Billions, Oku, Basis string
}

// Geometry of the budget chart.
const (
	bcLeft     = 70
	bcRight    = 16
	bcTitleH   = 24
	bcPlotH    = 120
	bcYearsH   = 20
	bcPanelGap = 16
)

// stages in budget order, with their legend labels, their names in hover
// titles and tables, and their colours (the Okabe–Ito palette, which readers
// with colour-vision deficiencies can tell apart).
var stageStyles = []struct{ stage, label, name, color string }{
	{"request", "Request (概算要求)", "budget request", "#E69F00"},
	{"draft", "Cabinet draft (政府案)", "cabinet draft", "#56B4E9"},
	{"initial", "Initial budget, enacted (当初予算)", "initial budget", "#0072B2"},
	{"supplementary", "Supplementary (補正予算)", "supplementary budget", "#009E73"},
	{"spending", "Reported spending", "reported spending", "#CC79A7"},
	{"plan", "Multi-year plan, at its average per year", "multi-year plan", "#D55E00"},
}

func stageStyle(stage string, t *words) (label, name, color string) {
	for _, s := range stageStyles {
		if s.stage == stage {
			if t.ja {
				return t.stageLabel[stage], t.stageName[stage], s.color
			}
			return s.label, s.name, s.color
		}
	}
	return stage, stage, "#777777"
}

// agencyName is an agency's name in English and Japanese.
type agencyName struct{ EN, JA string }

// buildBudgetChart lays out the summary rows. names gives the agencies'
// names by actor id (the id stands in for a missing name).
func buildBudgetChart(rows []store.BudgetTotal, names map[string]agencyName, t *words) budgetChart {
	c := budgetChart{Width: chartWidth}
	if len(rows) == 0 {
		return c
	}
	c.First, c.Last = rows[0].FiscalYear, rows[0].FiscalYear
	byAgency := map[string][]store.BudgetTotal{}
	var agencies []string
	peak := map[string]int64{} // the agency's largest amount per year
	stages := map[string]bool{}
	for _, r := range rows {
		c.First, c.Last = min(c.First, r.FiscalYear), max(c.Last, r.FiscalYear, r.FiscalYearTo)
		if byAgency[r.Agency] == nil {
			agencies = append(agencies, r.Agency)
		}
		byAgency[r.Agency] = append(byAgency[r.Agency], r)
		peak[r.Agency] = max(peak[r.Agency], perYear(r))
		stages[r.Stage] = true
	}
	// The largest budgets first: the government's totals, then ministries.
	slices.SortFunc(agencies, func(a, b string) int { return cmp.Or(cmp.Compare(peak[b], peak[a]), cmp.Compare(a, b)) })
	c.AgencyTotal, c.RowTotal = len(agencies), len(rows)
	// The largest agencies while their rows stay within maxBudgetRows (the
	// largest one whatever its rows: they are bounded by its fiscal years).
	shown, nRows := map[string]bool{}, 0
	for _, a := range agencies {
		if len(shown) == maxBudgetAgencies || len(shown) > 0 && nRows+len(byAgency[a]) > maxBudgetRows {
			break
		}
		shown[a], nRows = true, nRows+len(byAgency[a])
	}
	agencies = agencies[:len(shown)]

	for _, s := range stageStyles {
		if stages[s.stage] {
			label, _, _ := stageStyle(s.stage, t)
			c.Legend = append(c.Legend, legendItem{Stage: s.stage, Label: label, Color: s.color})
		}
	}

	years := c.Last - c.First + 1
	plotW := float64(chartWidth - bcLeft - bcRight)
	slot := plotW / float64(years)
	slotX := func(fy int) float64 { return bcLeft + float64(fy-c.First)*slot }

	y := 0
	for _, a := range agencies {
		n := names[a]
		if n.EN == "" {
			n.EN = a
		}
		p := budgetPanel{Agency: a, Name: n.EN, NameJA: n.JA, Y: y, PlotTop: bcTitleH, PlotBottom: bcTitleH + bcPlotH,
			Left: bcLeft, Right: chartWidth - bcRight, TickX: bcLeft - 6, MidY: bcTitleH + bcPlotH/2, YearY: bcTitleH + bcPlotH + 14}
		step, top := niceScale(peak[a])
		yOf := func(jpy int64) float64 {
			return float64(p.PlotBottom) - float64(jpy)/float64(top)*bcPlotH
		}
		for v := int64(0); v <= top; v += step {
			p.YTicks = append(p.YTicks, yTick{Y: yOf(v), Label: formatScaled(v, 1e9, 2)})
		}
		for fy := c.First; fy <= c.Last; fy++ {
			p.Years = append(p.Years, axisTick{X: slotX(fy) + slot/2, Label: t.fy(fy)})
		}
		// Bars of one fiscal year sit side by side, in stage order, centred
		// in the year's slot; their width allows for the busiest year.
		perFY := map[int][]store.BudgetTotal{}
		busiest := 1
		for _, r := range byAgency[a] {
			if r.FiscalYearTo != 0 {
				h := yOf(perYear(r))
				b := budgetBarOf(r, n, t, slotX(r.FiscalYear)+1, h, slotX(r.FiscalYearTo+1)-slotX(r.FiscalYear)-2, float64(p.PlotBottom)-h)
				b.Label = []string{
					t.plan + fiscalYears(r, t),
					fmt.Sprintf(t.planTotal, qualifier(r.Qualifier, t), formatScaled(r.CyberJPY, 1e9, 1), formatOku(r.CyberJPY)),
					fmt.Sprintf(t.planPerYear, formatScaled(perYear(r), 1e9, 1)),
				}
				p.Bars = append(p.Bars, b)
				continue
			}
			perFY[r.FiscalYear] = append(perFY[r.FiscalYear], r)
			busiest = max(busiest, len(perFY[r.FiscalYear]))
		}
		barW := min(slot*0.8/float64(busiest), 16)
		for fy := c.First; fy <= c.Last; fy++ {
			group := perFY[fy]
			x0 := slotX(fy) + slot/2 - barW*float64(len(group))/2
			for i, r := range group {
				h := yOf(r.CyberJPY)
				p.Bars = append(p.Bars, budgetBarOf(r, n, t, x0+float64(i)*barW+0.5, h, barW-1, float64(p.PlotBottom)-h))
			}
		}
		c.Panels = append(c.Panels, p)
		y += bcTitleH + bcPlotH + bcYearsH + bcPanelGap
	}
	c.Height = y - bcPanelGap

	for _, r := range rows {
		if !shown[r.Agency] || len(c.Rows) == maxBudgetRows {
			continue
		}
		n := names[r.Agency]
		if n.EN == "" {
			n.EN = r.Agency
		}
		_, name, _ := stageStyle(r.Stage, t)
		row := budgetRow{Agency: n.EN, AgencyJA: n.JA, Years: fiscalYears(r, t), Stage: name,
			Billions: qualifier(r.Qualifier, t) + "¥" + formatScaled(r.CyberJPY, 1e9, 3) + " bn", Oku: formatOku(r.CyberJPY), Basis: basisText(r.CyberBasis, t)}
		c.Rows = append(c.Rows, row)
	}
	c.Partial = len(c.Rows) < c.RowTotal
	return c
}

func budgetBarOf(r store.BudgetTotal, n agencyName, t *words, x, y, w, h float64) budgetBar {
	_, _, color := stageStyle(r.Stage, t)
	return budgetBar{
		Agency: r.Agency, Stage: r.Stage, FiscalYear: r.FiscalYear, FiscalYearTo: r.FiscalYearTo, JPY: r.CyberJPY,
		Plan: r.FiscalYearTo != 0, LowerBound: r.CyberBasis == "sum-of-items", Color: color, Title: barTitle(r, n, t),
		X: x, Y: y, W: max(w, 1), H: max(h, 0.5),
	}
}

// perYear is a row's amount per fiscal year: a plan's total spread evenly
// over its years.
func perYear(r store.BudgetTotal) int64 {
	if r.FiscalYearTo > r.FiscalYear {
		return r.CyberJPY / int64(r.FiscalYearTo-r.FiscalYear+1)
	}
	return r.CyberJPY
}

func fiscalYears(r store.BudgetTotal, t *words) string {
	if r.FiscalYearTo != 0 {
		return t.fy(r.FiscalYear) + "–" + t.fy(r.FiscalYearTo)
	}
	return t.fy(r.FiscalYear)
}

func qualifier(q string, t *words) string {
	switch q {
	case "about":
		return t.about
	case "at-least":
		return t.atLeast
	}
	return ""
}

func basisText(basis string, t *words) string {
	if basis == "sum-of-items" {
		return t.basisSum
	}
	return t.basisReported
}

// barTitle is a bar's hover text: who, when, which stage, how much in
// billions and in oku-yen, and how the figure was obtained.
func barTitle(r store.BudgetTotal, n agencyName, t *words) string {
	_, name, _ := stageStyle(r.Stage, t)
	who := n.EN
	if n.JA != "" {
		who += " (" + n.JA + ")"
		if t.ja {
			who = n.JA + " (" + n.EN + ")"
		}
	}
	amount := qualifier(r.Qualifier, t) + "¥" + formatScaled(r.CyberJPY, 1e9, 3) + " billion (" + formatOku(r.CyberJPY) + ")"
	if r.FiscalYearTo != 0 {
		amount += fmt.Sprintf(t.inTotal, formatScaled(perYear(r), 1e9, 1))
	}
	return fmt.Sprintf("%s %s — %s: %s; %s", fiscalYears(r, t), name, who, amount, basisText(r.CyberBasis, t))
}

// niceScale returns a tick step and the top of a y axis that holds peak
// yen, with four or five ticks at round numbers.
func niceScale(peak int64) (step, top int64) {
	if peak <= 0 {
		return 1e9, 1e9
	}
	raw := peak / 4
	mag := int64(1)
	for mag*10 <= raw {
		mag *= 10
	}
	for _, m := range []int64{1, 2, 5, 10} {
		step = m * mag
		if step*5 >= peak {
			break
		}
	}
	top = (peak + step - 1) / step * step
	return step, top
}

// formatScaled writes n/unit with at most decimals decimal places (trailing
// zeros dropped) and thousands separators, in integer arithmetic so that no
// float rounding shows: formatScaled(34_200_000_000, 1e9, 3) = "34.2".
func formatScaled(n, unit int64, decimals int) string {
	whole, frac := n/unit, n%unit
	var b strings.Builder
	b.WriteString(groupThousands(whole))
	if decimals > 0 && frac != 0 {
		pow := int64(1)
		for range decimals {
			pow *= 10
		}
		d := (frac*pow + unit/2) / unit // rounded to decimals places
		if d == pow {                   // rounding carried into the whole part
			return formatScaled((whole+1)*unit, unit, 0)
		}
		if d != 0 {
			s := strings.TrimRight(fmt.Sprintf("%0*d", decimals, d), "0")
			b.WriteString("." + s)
		}
	}
	return b.String()
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// formatOku writes yen the way Japanese budgets state them, in oku (億, one
// hundred million) and chō (兆, one trillion): 34,200,000,000 → 342億円,
// 1,000,000,000,000 → 1兆円.
func formatOku(n int64) string {
	const oku, cho = 100_000_000, 1_000_000_000_000
	var b strings.Builder
	if n >= cho {
		b.WriteString(groupThousands(n/cho) + "兆")
		n %= cho
	}
	if n > 0 || b.Len() == 0 {
		b.WriteString(formatScaled(n, oku, 2) + "億")
	}
	return b.String() + "円"
}
