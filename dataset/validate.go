package dataset

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"
)

// idPattern is the form of every id and tag: a kebab-case slug.
var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// maxAmountJPY bounds plausible amounts: a thousand trillion yen is more than
// Japan's whole economy for several years.
const maxAmountJPY = 1_000_000_000_000_000

// checker runs the checks that need more than one record at a time: ids,
// references, date ranges and budget arithmetic. It runs only on files that
// passed schema validation, so every enum and pattern already holds.
type checker struct {
	r     *Release
	lines *lineIndex
	errs  Errors

	sources, actors, events, programs, budgets map[string]bool
	cited                                      map[string]bool
	withdrawnSources                           map[string]string // id → superseded_by

	// Rules that apply from the release that introduced them, so that
	// releases published before stay valid as published.
	bilingual  bool // see BilingualSince
	uniqueURLs bool // see UniqueURLsSince
}

// validate checks a release whose records passed schema validation. invalid
// names records that did not: they count as existing for references.
func validate(r *Release, lines *lineIndex, invalid idSet) Errors {
	c := &checker{r: r, lines: lines, cited: map[string]bool{}, withdrawnSources: map[string]string{}}
	c.bilingual = atLeast(r.Info.Version, BilingualSince)
	c.uniqueURLs = atLeast(r.Info.Version, UniqueURLsSince)
	for _, s := range r.Sources {
		if s.Withdrawn() {
			c.withdrawnSources[s.ID] = s.SupersededBy
		}
	}
	c.sources = c.ids(Sources, invalid)
	c.actors = c.ids(Actors, invalid)
	c.events = c.ids(Events, invalid)
	c.programs = c.ids(Programs, invalid)
	c.budgets = c.ids(Budgets, invalid)
	for _, k := range registered {
		c.ids(k, invalid)
	}

	c.release()
	for i := range r.Sources {
		c.source(i, &r.Sources[i])
	}
	if c.uniqueURLs {
		c.sourceURLs()
	}
	for i := range r.Actors {
		c.actor(i, &r.Actors[i])
	}
	for i := range r.Events {
		c.event(i, &r.Events[i])
	}
	for i := range r.Programs {
		c.program(i, &r.Programs[i])
	}
	c.budgetLines()
	for i, s := range r.Sources {
		if !c.cited[s.ID] && !s.Withdrawn() && !hasInvalid(invalid) {
			c.rec(Sources, i, s.ID).fail("id", "is not cited by any record; remove it or cite it")
		}
	}
	return c.errs
}

// hasInvalid reports whether any record failed schema validation; uncited
// sources are then not reported, since the invalid record may cite them.
func hasInvalid(invalid idSet) bool {
	for _, ids := range invalid {
		if len(ids) > 0 {
			return true
		}
	}
	return false
}

// ids reports duplicates and reserved ids, and returns the set of ids of
// one kind, including the ids of records of that kind that failed schema
// validation.
func (c *checker) ids(k RecordKind, invalid idSet) map[string]bool {
	list, kind := k.IDs(c.r), k.Singular()
	set := make(map[string]bool, len(list))
	for id := range invalid[kind] {
		set[id] = true
	}
	for i, id := range list {
		if set[id] {
			c.rec(k, i, id).fail("id", "duplicate id: another %s already uses it", kind)
		}
		if path, ok := k.reserved()[id]; ok {
			c.rec(k, i, id).fail("id", "id %q is reserved for the API path %s, which would hide this record; choose another id", id, path)
		}
		set[id] = true
	}
	return set
}

// rec is the location of one record, for the checks shared by every kind.
type rec struct {
	c          *checker
	file, kind string
	index      int // position among the decoded records of its kind
	id         string
	// tombstone is set for a withdrawn record, which is kept as it was and
	// so may still cite what was withdrawn with it.
	tombstone bool
}

func (c *checker) rec(k RecordKind, index int, id string) rec {
	return rec{c: c, file: k.File().Name, kind: k.Singular(), index: index, id: id}
}

func (r rec) fail(field, format string, args ...any) {
	r.c.errs = append(r.c.errs, &Error{
		File: r.file, Line: r.c.lines.line(r.kind, r.index, field), Kind: r.kind, ID: r.id, Index: r.index,
		Field: field, Msg: fmt.Sprintf(format, args...),
	})
}

// ref checks that id names an existing record of the given set.
func (r rec) ref(field, id string, set map[string]bool, what string) {
	if id != "" && !set[id] {
		r.fail(field, "unknown %s %q", what, id)
	}
}

func (r rec) sourceRefs(field string, refs []SourceRef) {
	for i, s := range refs {
		f := fmt.Sprintf("%s[%d].source", field, i)
		r.ref(f, s.Source, r.c.sources, Sources.One)
		r.c.cited[s.Source] = true
		if next, withdrawn := r.c.withdrawnSources[s.Source]; withdrawn && r.c.uniqueURLs && !r.tombstone {
			if next != "" {
				r.fail(f, "source %q is withdrawn: cite %q, which supersedes it", s.Source, next)
			} else {
				r.fail(f, "source %q is withdrawn: cite a current source", s.Source)
			}
		}
	}
}

// date checks one optional date and returns it if it parses.
func (r rec) date(field, value string) (Date, bool) {
	if value == "" {
		return Date{}, false
	}
	d, err := ParseDate(value)
	if err != nil {
		r.fail(field, "%v", err)
		return Date{}, false
	}
	return d, true
}

// dateRange checks two optional dates and that the second does not end
// before the first begins. It returns the first date if it parses.
func (r rec) dateRange(fromField, from, toField, to string) (Date, bool) {
	f, okF := r.date(fromField, from)
	t, okT := r.date(toField, to)
	if okF && okT && t.Last().Before(f.First()) {
		r.fail(toField, "%s %q is before %s %q", toField, to, fromField, from)
	}
	return f, okF
}

func (r rec) lifecycle(l Lifecycle, set map[string]bool) {
	if l.Withdrawn() && l.WithdrawnReason == "" {
		r.fail("withdrawn_reason", "a withdrawn record must say why it was withdrawn")
	}
	if !l.Withdrawn() && (l.SupersededBy != "" || l.WithdrawnReason != "") {
		r.fail("status", "superseded_by and withdrawn_reason are only for withdrawn records")
	}
	if l.SupersededBy == r.id {
		r.fail("superseded_by", "a record cannot supersede itself")
	} else {
		r.ref("superseded_by", l.SupersededBy, set, r.kind)
	}
}

func (r rec) contradictions(list []Contradiction, t reflect.Type) {
	for i, k := range list {
		field := fmt.Sprintf("contradictions[%d]", i)
		if !hasField(t, strings.SplitN(k.Field, ".", 2)[0]) {
			r.fail(field+".field", "%q is not a field of %s records", k.Field, r.kind)
		}
		r.sourceRefs(field+".sources", k.Sources)
	}
}

// hasField reports whether a struct type (or a struct it embeds) has a field
// with this JSON name.
func hasField(t reflect.Type, name string) bool {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if hasField(f.Type, name) {
				return true
			}
			continue
		}
		if strings.Split(f.Tag.Get("json"), ",")[0] == name {
			return true
		}
	}
	return false
}

func (c *checker) release() {
	r := rec{c: c, file: ReleaseFile.Name, kind: ReleaseFile.Kind}
	r.date("released", c.r.Info.Released)
	if c.bilingual && c.r.Info.SummaryJA == "" {
		r.fail("summary_ja", "is missing: from release %s the release summary is written in both languages", BilingualSince)
	}
}

func (c *checker) source(i int, s *Source) {
	r := c.rec(Sources, i, s.ID)
	r.date("published", s.Published)
	r.lifecycle(s.Lifecycle, c.sources)
}

// UniqueURLsSince is the first release in which no two current sources may
// share a URL: one document is one source record, so that its citations are
// counted together and its mirror flag and notes are said once. Release 1.1.0
// was published with one such pair, and stays valid as published.
const UniqueURLsSince = "1.2.0"

// sourceURLs reports current sources that share a URL. Withdrawn sources are
// left out: a duplicate merged into another record is withdrawn as a
// tombstone that keeps its URL (it still says which document the id named)
// and points to the record that replaces it, and no current record may cite
// it (see sourceRefs).
func (c *checker) sourceURLs() {
	first := map[string]int{}
	for i := range c.r.Sources {
		s := &c.r.Sources[i]
		if s.Withdrawn() {
			continue
		}
		key := urlKey(s.URL)
		j, dup := first[key]
		if !dup {
			first[key] = i
			continue
		}
		other := &c.r.Sources[j]
		c.rec(Sources, i, s.ID).fail("url",
			"source %q (line %d) has the same URL: a document has one source record; merge the two, cite %q and withdraw %q with superseded_by: %s",
			other.ID, c.lines.line(Sources.One, j, "url"), other.ID, s.ID, other.ID)
	}
}

// urlKey is the form in which two URLs of one document compare equal: the
// scheme and host in lower case, without a fragment or a trailing slash. The
// query stays: on many news sites it names the article.
func urlKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = strings.TrimSuffix(u.RawPath, "/")
	return u.String()
}

func (c *checker) actor(i int, a *Actor) {
	r := c.rec(Actors, i, a.ID)
	r.tombstone = a.Withdrawn()
	r.country("country", a.Country)
	for i, role := range a.Roles {
		field := fmt.Sprintf("roles[%d]", i)
		r.ref(field+".organization", role.Organization, c.actors, Actors.One)
		r.dateRange(field+".from", role.From, field+".to", role.To)
		r.sourceRefs(field+".sources", role.Sources)
	}
	if c.bilingual && !r.tombstone {
		texts(r, a, actorTexts)
	}
	r.sourceRefs("sources", a.Sources)
	r.contradictions(a.Contradictions, reflect.TypeFor[Actor]())
	r.lifecycle(a.Lifecycle, c.actors)
}

func (r rec) country(field, code string) {
	if code != "" && !isCountry(code) {
		r.fail(field, "%q is not an ISO 3166-1 alpha-2 country code", code)
	}
}

func (c *checker) event(i int, e *Event) {
	r := c.rec(Events, i, e.ID)
	r.tombstone = e.Withdrawn()
	from, okFrom := r.dateRange("occurred", e.Occurred, "occurred_to", e.OccurredTo)
	switch e.Precision {
	case PrecisionDay, PrecisionMonth, PrecisionYear:
		if okFrom && from.Precision() != e.Precision {
			r.fail("precision", "precision %q does not match occurred %q, which is precise to the %s", e.Precision, e.Occurred, from.Precision())
		}
	case "season", "window":
		if e.OccurredTo == "" {
			r.fail("occurred_to", "precision %q needs occurred_to, the end of the %s", e.Precision, e.Precision)
		}
	}
	if d, ok := r.date("disclosed_on", e.DisclosedOn); ok && okFrom && d.Last().Before(from.First()) {
		r.fail("disclosed_on", "disclosed_on %q is before occurred %q", e.DisclosedOn, e.Occurred)
	}
	seen := map[EventActor]bool{}
	for i, a := range e.Actors {
		r.ref(fmt.Sprintf("actors[%d].actor", i), a.Actor, c.actors, Actors.One)
		if seen[a] {
			r.fail(fmt.Sprintf("actors[%d]", i), "actor %q is listed twice with role %q", a.Actor, a.Role)
		}
		seen[a] = true
	}
	for i, code := range e.Countries {
		r.country(fmt.Sprintf("countries[%d]", i), code)
	}
	for i, tag := range e.Tags {
		if !idPattern.MatchString(tag) {
			r.fail(fmt.Sprintf("tags[%d]", i), "tag %q is not kebab-case", tag)
		}
	}
	if e.Confidence == "disputed" && len(e.DisputedBy) == 0 {
		r.fail("disputed_by", "a disputed event must name who disputes it")
	}
	for i, a := range e.DisputedBy {
		r.ref(fmt.Sprintf("disputed_by[%d]", i), a, c.actors, Actors.One)
	}
	for i, id := range e.Related {
		if id == e.ID {
			r.fail(fmt.Sprintf("related[%d]", i), "an event cannot be related to itself")
		}
		r.ref(fmt.Sprintf("related[%d]", i), id, c.events, Events.One)
	}
	if c.bilingual && !r.tombstone {
		texts(r, e, eventTexts)
	}
	r.sourceRefs("sources", e.Sources)
	r.contradictions(e.Contradictions, reflect.TypeFor[Event]())
	r.lifecycle(e.Lifecycle, c.events)
}

func (c *checker) program(i int, p *Program) {
	r := c.rec(Programs, i, p.ID)
	r.tombstone = p.Withdrawn()
	r.ref("agency", p.Agency, c.actors, Actors.One)
	r.dateRange("started", p.Started, "ended", p.Ended)
	if p.SuccessorOf == p.ID {
		r.fail("successor_of", "a program cannot succeed itself")
	}
	r.ref("successor_of", p.SuccessorOf, c.programs, Programs.One)
	for i, id := range p.Events {
		r.ref(fmt.Sprintf("events[%d]", i), id, c.events, Events.One)
	}
	for i, m := range p.Metrics {
		field := fmt.Sprintf("metrics[%d]", i)
		r.date(field+".as_of", m.AsOf)
		if m.AsOf == "" && m.FiscalYear == 0 {
			r.fail(field, "a metric needs as_of or fiscal_year")
		}
		if m.Unit == "jpy" && m.Value != float64(int64(m.Value)) {
			r.fail(field+".value", "an amount of yen must be a whole number, not %v", m.Value)
		}
		r.sourceRefs(field+".sources", m.Sources)
	}
	if c.bilingual && !r.tombstone {
		texts(r, p, programTexts)
	}
	r.sourceRefs("sources", p.Sources)
	r.contradictions(p.Contradictions, reflect.TypeFor[Program]())
	r.lifecycle(p.Lifecycle, c.programs)
}

func (c *checker) budgetLines() {
	byID := make(map[string]*BudgetLine, len(c.r.Budgets))
	for i := range c.r.Budgets {
		byID[c.r.Budgets[i].ID] = &c.r.Budgets[i]
	}
	type totalKey struct {
		fy, fyTo        int
		agency, stage   string
		category, basis string
	}
	totals := map[totalKey]string{}
	for i := range c.r.Budgets {
		b := &c.r.Budgets[i]
		r := c.rec(Budgets, i, b.ID)
		r.tombstone = b.Withdrawn()
		r.ref("agency", b.Agency, c.actors, Actors.One)
		r.ref("program", b.Program, c.programs, Programs.One)
		switch {
		case b.Stage == "plan" && b.FiscalYearTo == 0:
			r.fail("fiscal_year_to", "a plan needs fiscal_year_to, its last fiscal year")
		case b.Stage != "plan" && b.FiscalYearTo != 0:
			r.fail("fiscal_year_to", "only a plan spans several fiscal years; stage is %q", b.Stage)
		case b.FiscalYearTo != 0 && b.FiscalYearTo < b.FiscalYear:
			r.fail("fiscal_year_to", "fiscal_year_to %d is before fiscal_year %d", b.FiscalYearTo, b.FiscalYear)
		}
		if b.AmountJPY == 0 && b.AmountUSD == 0 {
			r.fail("amount_jpy", "a budget line needs amount_jpy (or, where the source gives only dollars, amount_usd)")
		}
		if b.AmountJPY > maxAmountJPY {
			r.fail("amount_jpy", "%d yen is not a plausible amount", b.AmountJPY)
		}
		if b.PartOf != "" {
			whole, ok := byID[b.PartOf]
			switch {
			case b.PartOf == b.ID:
				r.fail("part_of", "a budget line cannot be part of itself")
			case !ok:
				r.ref("part_of", b.PartOf, c.budgets, Budgets.One)
			case whole.FiscalYear != b.FiscalYear || whole.Stage != b.Stage:
				r.fail("part_of", "%q is for FY%d %s, not FY%d %s", whole.ID, whole.FiscalYear, whole.Stage, b.FiscalYear, b.Stage)
			case whole.AmountJPY != 0 && b.AmountJPY > whole.AmountJPY:
				r.fail("amount_jpy", "%d yen is more than the %d yen of %q it is part of", b.AmountJPY, whole.AmountJPY, whole.ID)
			}
		}
		if b.Category != "cyber-item" && !b.Withdrawn() {
			k := totalKey{b.FiscalYear, b.FiscalYearTo, b.Agency, b.Stage, b.Category, b.Basis}
			if other, dup := totals[k]; dup {
				r.fail("category", "%q already gives the %s for this agency, year and stage; record a second figure as a contradiction", other, b.Category)
			} else {
				totals[k] = b.ID
			}
		}
		if c.bilingual && !r.tombstone {
			texts(r, b, budgetTexts)
		}
		r.sourceRefs("sources", b.Sources)
		r.contradictions(b.Contradictions, reflect.TypeFor[BudgetLine]())
		r.lifecycle(b.Lifecycle, c.budgets)
	}
}
