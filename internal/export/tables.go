package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/jcdd/jcdd/dataset"
)

// Lists inside a cell are joined with "; ", which reads well in a
// spreadsheet and never occurs inside an id.
const listSep = "; "

func join(items []string) string { return strings.Join(items, listSep) }

func intOrEmpty(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// ExplicitBooleansSince is the first release whose tables write a boolean
// cell as true or false. Earlier bundles wrote false as an empty cell, which
// pandas and Frictionless read as missing, not as false; those bundles keep
// their bytes, since a published bundle never changes, and their codebooks
// keep saying that an empty cell is an absent value.
const ExplicitBooleansSince = "1.2.0"

// explicitBooleans reports whether a release of this version writes false
// as false.
func explicitBooleans(version string) bool {
	return dataset.IsVersion(version) && dataset.CompareVersions(version, ExplicitBooleansSince) >= 0
}

// boolOrEmpty is how releases before ExplicitBooleansSince write a boolean.
func boolOrEmpty(b bool) string {
	if !b {
		return ""
	}
	return "true"
}

// sourcesDoc describes a sources column whose citations the release
// bundles also give one per row, in table.
func sourcesDoc(table string) string {
	return `source ids, each followed by its locator in brackets where there is one, separated by "; "; the ` + table + ` table has one row per citation`
}

const contradictionsDoc = `field=value [source ids] note for each contradiction, separated by "; "; the contradictions table has one row per contradiction`

func sourceRefs(refs []dataset.SourceRef) string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Source
		if r.Locator != "" {
			out[i] += " (" + r.Locator + ")"
		}
	}
	return join(out)
}

func contradictions(list []dataset.Contradiction) string {
	out := make([]string, len(list))
	for i, c := range list {
		var src []string
		for _, s := range c.Sources {
			src = append(src, s.Source)
		}
		out[i] = fmt.Sprintf("%s=%s [%s] %s", c.Field, c.Value, strings.Join(src, ", "), c.Note)
	}
	return join(out)
}

// lifecycle columns, shared by every kind.
func lifecycle[T any](get func(*T) *dataset.Lifecycle) Table[T] {
	return Table[T]{
		{"status", "status", "active or withdrawn", func(r *T) string { return get(r).Status }},
		{"superseded_by", "superseded_by", "id of the replacing record, for a withdrawn one", func(r *T) string { return get(r).SupersededBy }},
		{"withdrawn_reason", "withdrawn_reason", "why the record was withdrawn", func(r *T) string { return get(r).WithdrawnReason }},
	}
}

// Events is the CSV layout of events.
var Events = append(Table[dataset.Event]{
	{"id", "id", "stable identifier", func(e *dataset.Event) string { return e.ID }},
	{"title_en", "title", "title in English", func(e *dataset.Event) string { return e.Title.EN }},
	{"title_ja", "title", "title in Japanese", func(e *dataset.Event) string { return e.Title.JA }},
	{"summary_en", "summary", "summary in English", func(e *dataset.Event) string { return e.Summary.EN }},
	{"summary_ja", "summary", "summary in Japanese", func(e *dataset.Event) string { return e.Summary.JA }},
	{"type", "type", "kind of event", func(e *dataset.Event) string { return e.Type }},
	{"occurred", "occurred", "date or start, ISO 8601, may be partial", func(e *dataset.Event) string { return e.Occurred }},
	{"occurred_to", "occurred_to", "end of the period or window", func(e *dataset.Event) string { return e.OccurredTo }},
	{"precision", "precision", "how exactly it is dated", func(e *dataset.Event) string { return e.Precision }},
	{"disclosed_on", "disclosed_on", "when the public learned of it", func(e *dataset.Event) string { return e.DisclosedOn }},
	{"actors", "actors", `actor-id (role) for each actor, separated by "; "; the event_actors table has one row per actor`, func(e *dataset.Event) string {
		out := make([]string, len(e.Actors))
		for i, a := range e.Actors {
			out[i] = a.Actor + " (" + a.Role + ")"
		}
		return join(out)
	}},
	{"countries", "countries", `the codes, separated by "; "`, func(e *dataset.Event) string { return join(e.Countries) }},
	{"tags", "tags", `the tags, separated by "; "`, func(e *dataset.Event) string { return join(e.Tags) }},
	{"confidence", "confidence", "confirmed, reported or disputed", func(e *dataset.Event) string { return e.Confidence }},
	{"confidence_note", "confidence_note", "why this confidence", func(e *dataset.Event) string { return e.ConfidenceNote }},
	{"disputed_by", "disputed_by", `the actor ids, separated by "; "; the event_disputed_by table has one row per actor`, func(e *dataset.Event) string { return join(e.DisputedBy) }},
	{"sources", "sources", sourcesDoc("event_sources"), func(e *dataset.Event) string { return sourceRefs(e.Sources) }},
	{"related", "related", `the event ids, separated by "; "; the event_related table has one row per link`, func(e *dataset.Event) string { return join(e.Related) }},
	{"contradictions", "contradictions", contradictionsDoc, func(e *dataset.Event) string { return contradictions(e.Contradictions) }},
	{"notes", "notes", "notes", func(e *dataset.Event) string { return e.Notes }},
}, lifecycle(func(e *dataset.Event) *dataset.Lifecycle { return &e.Lifecycle })...)

// Actors is the CSV layout of actors.
var Actors = append(Table[dataset.Actor]{
	{"id", "id", "stable identifier", func(a *dataset.Actor) string { return a.ID }},
	{"kind", "kind", "kind of actor", func(a *dataset.Actor) string { return a.Kind }},
	{"name_en", "name", "name in English", func(a *dataset.Actor) string { return a.Name.EN }},
	{"name_ja", "name", "name in Japanese", func(a *dataset.Actor) string { return a.Name.JA }},
	{"aliases", "aliases", `the names, separated by "; "`, func(a *dataset.Actor) string { return join(a.Aliases) }},
	{"country", "country", "ISO 3166-1 alpha-2 code", func(a *dataset.Actor) string { return a.Country }},
	{"description_en", "description", "description in English", func(a *dataset.Actor) string { return a.Description.EN }},
	{"description_ja", "description", "description in Japanese", func(a *dataset.Actor) string { return a.Description.JA }},
	{"roles", "roles", `title, organization id, from–to for each position, separated by "; "; the actor_roles table has one row per position, with its sources and note`, func(a *dataset.Actor) string {
		out := make([]string, len(a.Roles))
		for i, r := range a.Roles {
			s := r.Title
			if r.Organization != "" {
				s += ", " + r.Organization
			}
			out[i] = s + ", " + r.From + "–" + r.To
		}
		return join(out)
	}},
	{"sources", "sources", sourcesDoc("actor_sources"), func(a *dataset.Actor) string { return sourceRefs(a.Sources) }},
	{"contradictions", "contradictions", contradictionsDoc, func(a *dataset.Actor) string { return contradictions(a.Contradictions) }},
	{"notes", "notes", "notes", func(a *dataset.Actor) string { return a.Notes }},
}, lifecycle(func(a *dataset.Actor) *dataset.Lifecycle { return &a.Lifecycle })...)

// Budgets is the CSV layout of budget lines.
var Budgets = append(Table[dataset.BudgetLine]{
	{"id", "id", "stable identifier", func(b *dataset.BudgetLine) string { return b.ID }},
	{"fiscal_year", "fiscal_year", "Japanese fiscal year (starts in April of that year)", func(b *dataset.BudgetLine) string { return strconv.Itoa(b.FiscalYear) }},
	{"fiscal_year_to", "fiscal_year_to", "last fiscal year of a plan", func(b *dataset.BudgetLine) string { return intOrEmpty(int64(b.FiscalYearTo)) }},
	{"agency", "agency", "actor id of the agency", func(b *dataset.BudgetLine) string { return b.Agency }},
	{"program", "program", "program id", func(b *dataset.BudgetLine) string { return b.Program }},
	{"title_en", "title", "what the line funds, in English", func(b *dataset.BudgetLine) string { return b.Title.EN }},
	{"title_ja", "title", "what the line funds, in Japanese", func(b *dataset.BudgetLine) string { return b.Title.JA }},
	{"category", "category", "cyber-total, cyber-item or defense-total", func(b *dataset.BudgetLine) string { return b.Category }},
	{"stage", "stage", "request, draft, initial, supplementary, plan or spending", func(b *dataset.BudgetLine) string { return b.Stage }},
	{"amount_jpy", "amount_jpy", "amount in yen (integer)", func(b *dataset.BudgetLine) string { return intOrEmpty(b.AmountJPY) }},
	{"amount_qualifier", "amount_qualifier", "exact, about or at-least", func(b *dataset.BudgetLine) string { return b.AmountQualifier }},
	{"amount_usd", "amount_usd", "amount in US dollars where the source gives one", func(b *dataset.BudgetLine) string { return intOrEmpty(b.AmountUSD) }},
	{"basis", "basis", "contract or expenditure basis", func(b *dataset.BudgetLine) string { return b.Basis }},
	{"part_of", "part_of", "id of the line this amount is included in", func(b *dataset.BudgetLine) string { return b.PartOf }},
	{"confidence", "confidence", "confirmed, reported or disputed", func(b *dataset.BudgetLine) string { return b.Confidence }},
	{"sources", "sources", sourcesDoc("budget_sources"), func(b *dataset.BudgetLine) string { return sourceRefs(b.Sources) }},
	{"contradictions", "contradictions", contradictionsDoc, func(b *dataset.BudgetLine) string { return contradictions(b.Contradictions) }},
	{"notes", "notes", "notes", func(b *dataset.BudgetLine) string { return b.Notes }},
}, lifecycle(func(b *dataset.BudgetLine) *dataset.Lifecycle { return &b.Lifecycle })...)

// Programs is the CSV layout of programs; their metrics have a table of
// their own in the release bundles.
var Programs = append(Table[dataset.Program]{
	{"id", "id", "stable identifier", func(p *dataset.Program) string { return p.ID }},
	{"name_en", "name", "name in English", func(p *dataset.Program) string { return p.Name.EN }},
	{"name_ja", "name", "name in Japanese", func(p *dataset.Program) string { return p.Name.JA }},
	{"agency", "agency", "actor id of the responsible agency", func(p *dataset.Program) string { return p.Agency }},
	{"kind", "kind", "organization, law, strategy, initiative or target", func(p *dataset.Program) string { return p.Kind }},
	{"summary_en", "summary", "summary in English", func(p *dataset.Program) string { return p.Summary.EN }},
	{"summary_ja", "summary", "summary in Japanese", func(p *dataset.Program) string { return p.Summary.JA }},
	{"started", "started", "start date", func(p *dataset.Program) string { return p.Started }},
	{"ended", "ended", "end date", func(p *dataset.Program) string { return p.Ended }},
	{"state", "state", "state as of the release", func(p *dataset.Program) string { return p.State }},
	{"successor_of", "successor_of", "id of the program it replaced", func(p *dataset.Program) string { return p.SuccessorOf }},
	{"metrics", "metrics", `name=value unit (kind, date or fiscal year) for each metric, separated by "; "; the program_metrics table has one row per metric, with its sources and note`, func(p *dataset.Program) string {
		out := make([]string, len(p.Metrics))
		for i, m := range p.Metrics {
			when := m.AsOf
			if m.FiscalYear != 0 {
				when = "FY" + strconv.Itoa(m.FiscalYear)
			}
			out[i] = fmt.Sprintf("%s=%s %s (%s, %s)", m.Name, strconv.FormatFloat(m.Value, 'f', -1, 64), m.Unit, m.Kind, when)
		}
		return join(out)
	}},
	{"events", "events", `the event ids, separated by "; "; the program_events table has one row per link`, func(p *dataset.Program) string { return join(p.Events) }},
	{"sources", "sources", sourcesDoc("program_sources"), func(p *dataset.Program) string { return sourceRefs(p.Sources) }},
	{"contradictions", "contradictions", contradictionsDoc, func(p *dataset.Program) string { return contradictions(p.Contradictions) }},
	{"notes", "notes", "notes", func(p *dataset.Program) string { return p.Notes }},
}, lifecycle(func(p *dataset.Program) *dataset.Lifecycle { return &p.Lifecycle })...)

// SourcesOf is the CSV layout of sources in a release of this version: from
// ExplicitBooleansSince on, mirror is true or false, never empty.
func SourcesOf(version string) Table[dataset.Source] {
	mirror := boolOrEmpty
	if explicitBooleans(version) {
		mirror = strconv.FormatBool
	}
	return append(Table[dataset.Source]{
		{"id", "id", "stable identifier", func(s *dataset.Source) string { return s.ID }},
		{"url", "url", "address of the document", func(s *dataset.Source) string { return s.URL }},
		{"title", "title", "title as published", func(s *dataset.Source) string { return s.Title }},
		{"publisher", "publisher", "publisher", func(s *dataset.Source) string { return s.Publisher }},
		{"published", "published", "publication date", func(s *dataset.Source) string { return s.Published }},
		{"language", "language", "ISO 639-1 code", func(s *dataset.Source) string { return s.Language }},
		{"kind", "kind", "kind of source", func(s *dataset.Source) string { return s.Kind }},
		{"mirror", "mirror", "true for a copy on another site", func(s *dataset.Source) string { return mirror(s.Mirror) }},
		{"notes", "notes", "notes", func(s *dataset.Source) string { return s.Notes }},
	}, lifecycle(func(s *dataset.Source) *dataset.Lifecycle { return &s.Lifecycle })...)
}
