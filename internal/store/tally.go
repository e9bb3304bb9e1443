package store

import (
	"cmp"
	"slices"

	"github.com/jcdd/jcdd/dataset"
)

// A release never changes, so how many records match a filter, and how a
// set of records breaks down by year, type, actor and so on, can be counted
// once when the release is built. Tally holds those counts for the whole
// release and for every single filter value (actor=us-nsa, tag=core,
// fiscal_year=2022…); a query that combines filters is counted by the store
// from its indexes, or reported as not counted where that would cost more
// than the page itself (see Page.Counted).

// Kinds, as Tally.Totals and dataset.Counts name them: their dataset.Kind's
// names.
var (
	KindEvents   = dataset.Events.Name
	KindActors   = dataset.Actors.Name
	KindBudgets  = dataset.Budgets.Name
	KindPrograms = dataset.Programs.Name
	KindSources  = dataset.Sources.Name
)

// Dimensions of the filters that a single value selects on. They are keys
// of Tally, not parameter names: "year" is budgets' fiscal_year.
const (
	DimActor      = "actor"
	DimType       = "type"
	DimCountry    = "country"
	DimTag        = "tag"
	DimConfidence = "confidence"
	DimKind       = "kind"
	DimYear       = "year"
	DimAgency     = "agency"
	DimStage      = "stage"
	DimCategory   = "category"
	DimProgram    = "program"
	DimState      = "state"
	DimLanguage   = "language"
)

// MaxFacetValues bounds the values listed per facet dimension where a
// dimension can have many (actors): the facets of every filter value are
// stored with the release, and at a hundred thousand events an unbounded
// list of actors would make each of them large. The API's limit on the
// actor facet is at most this.
const MaxFacetValues = 100

// FilterKey names a single filter value in a Tally: "" for no filter,
// otherwise "dim=value".
func FilterKey(dim, value string) string { return dim + "=" + value }

// Count is how many records of a kind a filter selects: the active ones
// (what lists show by default) and all of them, withdrawn included.
type Count struct {
	Active int `json:"active"`
	All    int `json:"all"`
}

// For returns the count under a status filter.
func (c Count) For(st Status) int {
	switch st {
	case StatusAll:
		return c.All
	case StatusWithdrawn:
		return c.All - c.Active
	default:
		return c.Active
	}
}

// Bucket is one value of a facet and how many records have it.
type Bucket struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// EventFacets break a set of events down. An event with several actors,
// countries or tags counts once under each, so those buckets can add up to
// more than Total.
type EventFacets struct {
	Total       int      `json:"total"`
	Years       []Bucket `json:"year"` // of occurred (its first day), ascending
	Types       []Bucket `json:"type"` // this and the rest: by count, descending, then value
	Countries   []Bucket `json:"country"`
	Actors      []Bucket `json:"actor"` // at most MaxFacetValues
	Tags        []Bucket `json:"tag"`
	Confidences []Bucket `json:"confidence"`
}

// BudgetFacets break a set of budget lines down. A multi-year plan counts
// under every fiscal year it spans, as the fiscal_year filter selects it.
type BudgetFacets struct {
	Total       int      `json:"total"`
	FiscalYears []Bucket `json:"fiscal_year"` // ascending
	Agencies    []Bucket `json:"agency"`
	Stages      []Bucket `json:"stage"`
	Categories  []Bucket `json:"category"`
}

// Facets is the answer to a facets query: the facets, when Exact, of every
// record the query selects. A store that could only have counted them by
// reading more than a page's worth says so with Exact false, and leaves
// the facets empty rather than give partial numbers.
type Facets[F any] struct {
	Facets  F
	Exact   bool
	Release Release
}

// Tally is what the release build counts once per release.
type Tally struct {
	// Totals counts each kind's records by filter key ("" for the whole
	// kind, FilterKey for one filter value).
	Totals map[string]map[string]Count `json:"totals"`
	// Events and Budgets hold the facets of the active records that each
	// filter key selects.
	Events  map[string]*EventFacets  `json:"events"`
	Budgets map[string]*BudgetFacets `json:"budgets"`
	// Years counts the events by year, for ranges of whole years (see
	// EventQuery.YearRange and SumYears).
	Years map[int]*EventYear `json:"years"`
}

// EventYear counts the events of one year as a range of whole years selects
// them, by overlap: an event overlaps the years A to B when it began in one
// of them, or began before A and still ran on A's first day. Summing Began
// over A to B and adding A's Ongoing counts every such event exactly once.
type EventYear struct {
	Began   YearPart `json:"began"`
	Ongoing YearPart `json:"ongoing"`
}

// YearPart is the count of a set of events (every status) and the facets of
// its active ones, with every actor: a facet capped at MaxFacetValues
// could not be summed exactly. Facets is nil where only the count is kept.
type YearPart struct {
	Count  Count        `json:"n"`
	Facets *EventFacets `json:"facets,omitempty"`
}

// WithoutFacets returns the years' counts alone.
func WithoutFacets(years map[int]*EventYear) map[int]*EventYear {
	out := make(map[int]*EventYear, len(years))
	for y, ey := range years {
		out[y] = &EventYear{Began: YearPart{Count: ey.Began.Count}, Ongoing: YearPart{Count: ey.Ongoing.Count}}
	}
	return out
}

// SumYears adds up the events that overlap the whole years from to to,
// from their years' counts (any subset of a Tally's Years that holds those
// years: a year missing has no event that began in it or ran into it).
// The facets are given, as an EventCounter over the same events gives them,
// when every year summed has facets; otherwise facets is nil.
func SumYears(years map[int]*EventYear, from, to int) (Count, *EventFacets) {
	var n Count
	var c EventCounter
	complete := true
	add := func(p *YearPart) {
		n.Active += p.Count.Active
		n.All += p.Count.All
		if p.Facets == nil {
			complete = complete && p.Count.Active == 0
			return
		}
		c.AddFacets(p.Facets)
	}
	for y, ey := range years {
		if y >= from && y <= to {
			add(&ey.Began)
		}
		if y == from {
			add(&ey.Ongoing)
		}
	}
	if !complete {
		return n, nil
	}
	f := c.Facets()
	return n, &f
}

// yearsOf counts a release's events by year (Tally.Years).
func yearsOf(events []dataset.Event) map[int]*EventYear {
	years := map[int]*EventYear{}
	counters := map[[2]int]*EventCounter{} // year, 0 began or 1 ongoing
	add := func(e *dataset.Event, y, part int) {
		if years[y] == nil {
			years[y] = &EventYear{}
		}
		p := &years[y].Began
		if part == 1 {
			p = &years[y].Ongoing
		}
		p.Count.All++
		if e.Withdrawn() {
			return
		}
		p.Count.Active++
		k := [2]int{y, part}
		if counters[k] == nil {
			counters[k] = &EventCounter{}
		}
		counters[k].Add(e)
	}
	for i := range events {
		e := &events[i]
		sp := e.Span()
		add(e, sp.Start.Year(), 0)
		for y := sp.Start.Year() + 1; y <= sp.End.Year(); y++ {
			add(e, y, 1)
		}
	}
	for y, ey := range years {
		for part, p := range []*YearPart{&ey.Began, &ey.Ongoing} {
			k := [2]int{y, part}
			c := cmp.Or(counters[k], &EventCounter{})
			f := c.facets(0)
			p.Facets = &f
			delete(counters, k) // as TallyOf does with its counters
		}
	}
	return years
}

// Total returns the count of a kind under a filter key; a value that no
// record has counts zero.
func (t *Tally) Total(kind, key string) Count { return t.Totals[kind][key] }

// EventValues calls add for every value an event has in each dimension that
// a single filter selects on.
func EventValues(e *dataset.Event, add func(dim, value string)) { EachValue(EventDims, e, add) }

// BudgetValues is EventValues for budget lines: a plan has every fiscal
// year it spans.
func BudgetValues(b *dataset.BudgetLine, add func(dim, value string)) { EachValue(BudgetDims, b, add) }

// keysOf lists the filter keys a record is counted under: "" and one per
// distinct dimension value (an actor with two roles in an event counts
// once).
func keysOf[T any](r *T, values func(*T, func(dim, value string))) []string {
	keys := []string{""}
	values(r, func(dim, value string) {
		if k := FilterKey(dim, value); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	})
	return keys
}

// countKind counts the records of one kind under every filter key.
func countKind[T any](records []T, life func(*T) dataset.Lifecycle, values func(*T, func(dim, value string))) map[string]Count {
	out := map[string]Count{"": {}}
	for i := range records {
		r := &records[i]
		active := !life(r).Withdrawn()
		for _, k := range keysOf(r, values) {
			c := out[k]
			c.All++
			if active {
				c.Active++
			}
			out[k] = c
		}
	}
	return out
}

// TallyOf counts a release: every total, and the facets of the active
// events and budget lines under every filter key.
func TallyOf(r *dataset.Release) *Tally {
	t := &Tally{
		Totals: map[string]map[string]Count{
			KindEvents:  countKind(r.Events, func(e *dataset.Event) dataset.Lifecycle { return e.Lifecycle }, EventValues),
			KindBudgets: countKind(r.Budgets, func(b *dataset.BudgetLine) dataset.Lifecycle { return b.Lifecycle }, BudgetValues),
		},
		Events:  map[string]*EventFacets{},
		Budgets: map[string]*BudgetFacets{},
		Years:   yearsOf(r.Events),
	}
	for _, k := range ListKinds {
		t.Totals[k.Plural()] = countKind(k.All(r), func(rec *any) dataset.Lifecycle { return k.Lifecycle(*rec) },
			func(rec *any, add func(dim, value string)) { k.EachValue(*rec, add) })
	}
	events := map[string]*EventCounter{}
	for i := range r.Events {
		e := &r.Events[i]
		if e.Withdrawn() {
			continue
		}
		for _, k := range keysOf(e, EventValues) {
			if events[k] == nil {
				events[k] = &EventCounter{}
			}
			events[k].Add(e)
		}
	}
	events[""] = cmp.Or(events[""], &EventCounter{})
	// Each counter is dropped once its facets are made: at a hundred
	// thousand events the counters of every filter key, held until the
	// last facets are made, would double the memory the tally takes.
	for k, c := range events {
		f := c.Facets()
		t.Events[k] = &f
		delete(events, k)
	}
	budgets := map[string]*BudgetCounter{"": {}}
	for i := range r.Budgets {
		b := &r.Budgets[i]
		if b.Withdrawn() {
			continue
		}
		for _, k := range keysOf(b, BudgetValues) {
			if budgets[k] == nil {
				budgets[k] = &BudgetCounter{}
			}
			budgets[k].Add(b)
		}
	}
	for k, c := range budgets {
		f := c.Facets()
		t.Budgets[k] = &f
		delete(budgets, k)
	}
	return t
}

// counter counts the values of one dimension.
type counter map[string]int

func (c *counter) add(v string) { c.addN(v, 1) }

func (c *counter) addN(v string, n int) {
	if *c == nil {
		*c = counter{}
	}
	(*c)[v] += n
}

// addBuckets adds counts already made.
func (c *counter) addBuckets(bs []Bucket) {
	for _, b := range bs {
		c.addN(b.Value, b.Count)
	}
}

// byCount lists the buckets by count, descending, then by value; at most
// limit of them when limit > 0.
func (c counter) byCount(limit int) []Bucket {
	out := c.buckets()
	slices.SortFunc(out, func(a, b Bucket) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// byValue lists the buckets in value order (years).
func (c counter) byValue() []Bucket {
	out := c.buckets()
	slices.SortFunc(out, func(a, b Bucket) int { return cmp.Compare(a.Value, b.Value) })
	return out
}

func (c counter) buckets() []Bucket {
	out := make([]Bucket, 0, len(c))
	for v, n := range c {
		out = append(out, Bucket{Value: v, Count: n})
	}
	return out
}

// EventCounter accumulates the facets of events, one Add at a time: the
// release build, the memory store and the DynamoDB store's bounded reads
// all count with it, so they agree.
type EventCounter struct {
	total                                            int
	years, types, countries, actors, tags, confident counter
}

// Add counts one event.
func (c *EventCounter) Add(e *dataset.Event) {
	c.total++
	c.years.add(EventKey(e)[:4])
	seen := map[string]bool{}
	EventValues(e, func(dim, value string) {
		k := FilterKey(dim, value)
		if seen[k] {
			return
		}
		seen[k] = true
		switch dim {
		case DimActor:
			c.actors.add(value)
		case DimType:
			c.types.add(value)
		case DimCountry:
			c.countries.add(value)
		case DimTag:
			c.tags.add(value)
		case DimConfidence:
			c.confident.add(value)
		}
	})
}

// AddFacets counts a set of events already counted, whose facets list
// every actor, as if each of its events were added: the sets added must
// not share an event.
func (c *EventCounter) AddFacets(f *EventFacets) {
	c.total += f.Total
	c.years.addBuckets(f.Years)
	c.types.addBuckets(f.Types)
	c.countries.addBuckets(f.Countries)
	c.actors.addBuckets(f.Actors)
	c.tags.addBuckets(f.Tags)
	c.confident.addBuckets(f.Confidences)
}

// Facets returns what was counted, with the MaxFacetValues most frequent
// actors.
func (c *EventCounter) Facets() EventFacets { return c.facets(MaxFacetValues) }

// facets returns what was counted, with at most actors actors (0: all).
func (c *EventCounter) facets(actors int) EventFacets {
	return EventFacets{
		Total: c.total, Years: c.years.byValue(), Types: c.types.byCount(0), Countries: c.countries.byCount(0),
		Actors: c.actors.byCount(actors), Tags: c.tags.byCount(0), Confidences: c.confident.byCount(0),
	}
}

// BudgetCounter is EventCounter for budget lines.
type BudgetCounter struct {
	total                           int
	years, agencies, stages, groups counter
}

// Add counts one budget line.
func (c *BudgetCounter) Add(b *dataset.BudgetLine) {
	c.total++
	BudgetValues(b, func(dim, value string) {
		switch dim {
		case DimYear:
			c.years.add(value)
		case DimAgency:
			c.agencies.add(value)
		case DimStage:
			c.stages.add(value)
		case DimCategory:
			c.groups.add(value)
		}
	})
}

// Facets returns what was counted.
func (c *BudgetCounter) Facets() BudgetFacets {
	return BudgetFacets{
		Total: c.total, FiscalYears: c.years.byValue(), Agencies: c.agencies.byCount(0),
		Stages: c.stages.byCount(0), Categories: c.groups.byCount(0),
	}
}

// single returns the filter key of a query that filters on at most one
// value of one dimension (dims pairs each dimension with its values), and
// whether it does.
func single(dims ...any) (string, bool) {
	key := ""
	for i := 0; i < len(dims); i += 2 {
		dim, values := dims[i].(string), dims[i+1].([]string)
		switch {
		case len(values) == 0:
			continue
		case len(values) > 1 || key != "":
			return "", false
		}
		key = FilterKey(dim, values[0])
	}
	return key, true
}

// Key returns the filter key of an event query that a Tally counts (no
// filter, or one value of one dimension; the status is not part of it),
// and false for any other query.
func (q *EventQuery) Key() (string, bool) {
	if q.Range != nil || q.Text != "" {
		return "", false
	}
	return singleIn(EventDims, q)
}

// YearRange returns the years of an event query that selects by a range of
// whole years alone (from=2020&to=2021: from the first day of from to the
// last of to, any status), which Tally.Years counts, and false for any
// other query.
func (q *EventQuery) YearRange() (from, to int, ok bool) {
	if q.Range == nil || q.Text != "" || wantsAny(EventDims, q) {
		return 0, 0, false
	}
	s, e := q.Range.Start, q.Range.End
	if s.YearDay() != 1 || e.AddDate(0, 0, 1).YearDay() != 1 {
		return 0, 0, false
	}
	return s.Year(), e.Year(), true
}

// Key is EventQuery.Key for budget lines.
func (q *BudgetQuery) Key() (string, bool) {
	if q.FromYear != 0 || q.ToYear != 0 {
		return "", false
	}
	return singleIn(BudgetDims, q)
}
