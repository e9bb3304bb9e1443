package export

import (
	"io"
	"iter"
	"reflect"
	"slices"

	"github.com/jcdd/jcdd/dataset"
)

// Resource is one CSV table of a release bundle, with what the data package
// and the codebook say about it.
type Resource struct {
	Name        string // table name and file stem, e.g. "event_actors"
	Title       string
	Description string
	Fields      []SchemaField
	PrimaryKey  []string
	ForeignKeys []ForeignKey
	Rows        int
	write       func(io.Writer) error
	values      func(yield func([]string) bool)
}

// Values yields the rows of the table, each cell as the record holds it:
// unlike the CSV file, no cell is neutralised against formulas, since a
// database (see package sqlitedb) stores text, never evaluates it. The
// slice is reused between rows.
func (r Resource) Values() iter.Seq[[]string] { return r.values }

// Path is where the table is in a bundle.
func (r Resource) Path() string { return "csv/" + r.Name + ".csv" }

// ForeignKey is a Table Schema foreign key. An empty Resource refers to the
// table itself.
type ForeignKey struct {
	Fields    []string     `json:"fields"`
	Reference KeyReference `json:"reference"`
}

// KeyReference is the target of a foreign key.
type KeyReference struct {
	Resource string   `json:"resource"`
	Fields   []string `json:"fields"`
}

// keys are the keys of a table; the columns of the primary key and the
// parent id of a child table are required.
type keys struct {
	primary  []string
	required []string
	foreign  []ForeignKey
}

// refs makes one foreign key per column, each to the id of a table ("" for
// the table itself).
func refs(pairs ...string) []ForeignKey {
	var out []ForeignKey
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, ForeignKey{Fields: []string{pairs[i]}, Reference: KeyReference{Resource: pairs[i+1], Fields: []string{"id"}}})
	}
	return out
}

func newResource[T any](name, title, description string, t Table[T], rows []T, doc reflect.Type, k keys) Resource {
	fields := fieldsOf(t, doc)
	for i := range fields {
		if slices.Contains(k.primary, fields[i].Name) || slices.Contains(k.required, fields[i].Name) {
			if fields[i].Constraints == nil {
				fields[i].Constraints = &Constraints{}
			}
			fields[i].Constraints.Required = true
		}
	}
	return Resource{
		Name: name, Title: title, Description: description,
		Fields: fields, PrimaryKey: k.primary, ForeignKeys: k.foreign, Rows: len(rows),
		// Bundles are for spreadsheets first: the byte order mark is what
		// makes Excel read the files as UTF-8 (see UTF8BOM).
		write: func(w io.Writer) error { return WriteCSV(w, t, rows, CSVOptions{Excel: true}) },
		values: func(yield func([]string) bool) {
			row := make([]string, len(t))
			for i := range rows {
				for j, c := range t {
					row[j] = c.Value(&rows[i])
				}
				if !yield(row) {
					return
				}
			}
		},
	}
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// Resources returns the CSV tables of a release's bundle, each kind of record
// followed by its child tables.
func Resources(rel *dataset.Release) []Resource {
	eventID := func(e *dataset.Event) string { return e.ID }
	actorID := func(a *dataset.Actor) string { return a.ID }
	budgetID := func(b *dataset.BudgetLine) string { return b.ID }
	programID := func(p *dataset.Program) string { return p.ID }

	sourceKeys := keys{primary: []string{"id"}, foreign: refs("superseded_by", "")}
	if explicitBooleans(rel.Info.Version) {
		// Never empty: a blank cell would be read as missing, not false.
		sourceKeys.required = []string{"mirror"}
	}

	var contradictions []contradictionRow
	contradictions = append(contradictions, contradictionRows(dataset.Events.Name, rel.Events, eventID, func(e *dataset.Event) []dataset.Contradiction { return e.Contradictions })...)
	contradictions = append(contradictions, contradictionRows(dataset.Actors.Name, rel.Actors, actorID, func(a *dataset.Actor) []dataset.Contradiction { return a.Contradictions })...)
	contradictions = append(contradictions, contradictionRows(dataset.Budgets.Name, rel.Budgets, budgetID, func(b *dataset.BudgetLine) []dataset.Contradiction { return b.Contradictions })...)
	contradictions = append(contradictions, contradictionRows(dataset.Programs.Name, rel.Programs, programID, func(p *dataset.Program) []dataset.Contradiction { return p.Contradictions })...)

	return append([]Resource{
		newResource(dataset.Events.Name, "Events",
			"Things that happened: intrusions, discoveries, briefings, statements, reports, laws, appointments. One row per event, withdrawn ones included (see status).",
			Events, rel.Events, typeOf[dataset.Event](),
			keys{primary: []string{"id"}, foreign: refs("superseded_by", "")}),
		newResource("event_actors", "Actors of events",
			"Who took part in each event, and in what role: one row per actor and role.",
			eventActors, links(rel.Events, eventID, func(e *dataset.Event) []dataset.EventActor { return e.Actors }), typeOf[dataset.EventActor](),
			keys{primary: []string{"event_id", "actor_id", "role"}, foreign: refs("event_id", dataset.Events.Name, "actor_id", dataset.Actors.Name)}),
		newResource("event_disputed_by", "Denials of events",
			"The actors who denied or rejected what an event records: one row per event and actor.",
			idLinks("event_id", "id of the disputed event", "actor_id", "id of an actor who denied or rejected it"),
			links(rel.Events, eventID, func(e *dataset.Event) []string { return e.DisputedBy }), nil,
			keys{required: []string{"event_id", "actor_id"}, foreign: refs("event_id", dataset.Events.Name, "actor_id", dataset.Actors.Name)}),
		newResource("event_related", "Related events",
			"Links between related events: one row per link, as the first event lists it.",
			idLinks("event_id", "id of the event that lists the link", "related_id", "id of the related event"),
			links(rel.Events, eventID, func(e *dataset.Event) []string { return e.Related }), nil,
			keys{required: []string{"event_id", "related_id"}, foreign: refs("event_id", dataset.Events.Name, "related_id", dataset.Events.Name)}),
		newResource("event_sources", "Sources of events",
			"The sources each event rests on: one row per citation, with where in the source the claim is made.",
			sourceLinks("event_id", "id of the event"), links(rel.Events, eventID, func(e *dataset.Event) []dataset.SourceRef { return e.Sources }), typeOf[dataset.SourceRef](),
			keys{required: []string{"event_id", "source_id"}, foreign: refs("event_id", dataset.Events.Name, "source_id", dataset.Sources.Name)}),

		newResource(dataset.Actors.Name, "Actors",
			"People, government agencies, military units, states, companies, media and groups. One row per actor, withdrawn ones included.",
			Actors, rel.Actors, typeOf[dataset.Actor](),
			keys{primary: []string{"id"}, foreign: refs("superseded_by", "")}),
		newResource("actor_roles", "Positions of actors",
			"Positions actors held over time, in date order: one row per position.",
			actorRoles, links(rel.Actors, actorID, func(a *dataset.Actor) []dataset.Role { return a.Roles }), typeOf[dataset.Role](),
			keys{required: []string{"actor_id"}, foreign: refs("actor_id", dataset.Actors.Name, "organization", dataset.Actors.Name)}),
		newResource("actor_sources", "Sources of actors",
			"The sources each actor record rests on: one row per citation.",
			sourceLinks("actor_id", "id of the actor"), links(rel.Actors, actorID, func(a *dataset.Actor) []dataset.SourceRef { return a.Sources }), typeOf[dataset.SourceRef](),
			keys{required: []string{"actor_id", "source_id"}, foreign: refs("actor_id", dataset.Actors.Name, "source_id", dataset.Sources.Name)}),

		newResource(dataset.Budgets.Name, "Budget lines",
			"Amounts of money in Japanese budget documents: one row per amount in one document (a fiscal year's request, draft, initial or supplementary budget, or a multi-year plan). Never add amounts of different stages, and leave out lines that are part_of another when summing.",
			Budgets, rel.Budgets, typeOf[dataset.BudgetLine](),
			keys{primary: []string{"id"}, foreign: refs("agency", dataset.Actors.Name, "program", dataset.Programs.Name, "part_of", "", "superseded_by", "")}),
		newResource("budget_sources", "Sources of budget lines",
			"The sources each budget line rests on: one row per citation.",
			sourceLinks("budget_id", "id of the budget line"), links(rel.Budgets, budgetID, func(b *dataset.BudgetLine) []dataset.SourceRef { return b.Sources }), typeOf[dataset.SourceRef](),
			keys{required: []string{"budget_id", "source_id"}, foreign: refs("budget_id", dataset.Budgets.Name, "source_id", dataset.Sources.Name)}),

		newResource(dataset.Programs.Name, "Programs",
			"Organizations, laws, strategies, initiatives and targets of Japan's cyber defense. One row per program, withdrawn ones included.",
			Programs, rel.Programs, typeOf[dataset.Program](),
			keys{primary: []string{"id"}, foreign: refs("agency", dataset.Actors.Name, "successor_of", "", "superseded_by", "")}),
		newResource("program_metrics", "Metrics of programs",
			"Measured, targeted or planned values of programs over time (head counts, targets, amounts): one row per value.",
			programMetrics, links(rel.Programs, programID, func(p *dataset.Program) []dataset.Metric { return p.Metrics }), typeOf[dataset.Metric](),
			keys{required: []string{"program_id"}, foreign: refs("program_id", dataset.Programs.Name)}),
		newResource("program_events", "Events of programs",
			"Events about each program: one row per link.",
			idLinks("program_id", "id of the program", "event_id", "id of an event about the program"),
			links(rel.Programs, programID, func(p *dataset.Program) []string { return p.Events }), nil,
			keys{required: []string{"program_id", "event_id"}, foreign: refs("program_id", dataset.Programs.Name, "event_id", dataset.Events.Name)}),
		newResource("program_sources", "Sources of programs",
			"The sources each program record rests on: one row per citation.",
			sourceLinks("program_id", "id of the program"), links(rel.Programs, programID, func(p *dataset.Program) []dataset.SourceRef { return p.Sources }), typeOf[dataset.SourceRef](),
			keys{required: []string{"program_id", "source_id"}, foreign: refs("program_id", dataset.Programs.Name, "source_id", dataset.Sources.Name)}),

		newResource(dataset.Sources.Name, "Sources",
			"The documents records cite: news articles, government publications, reports. One row per source.",
			SourcesOf(rel.Info.Version), rel.Sources, typeOf[dataset.Source](),
			sourceKeys),
		newResource("contradictions", "Contradictions",
			"Values that other sources give for a field of a record, kept beside the value the record uses rather than resolved: one row per contradiction, for every kind of record.",
			contradictionsTable, contradictions, typeOf[dataset.Contradiction](),
			keys{required: []string{"kind", "record_id"}}),
	}, addedResources(rel)...)
}

// addedTable is the table of a kind added by dataset.Register (see
// AddTable).
type addedTable struct {
	kind               dataset.RecordKind
	title, description string
	table              func(version string) Table[any]
	doc                reflect.Type
}

var added []addedTable

// AddTable gives a kind added by dataset.Register its table in the bundle:
// one row per record, keyed by id, after the dataset's own tables. table
// gives its columns in a release, for records held as any (see Erase);
// doc is the record type, whose documentation describes the columns.
func AddTable(k dataset.RecordKind, title, description string, table func(version string) Table[any], doc reflect.Type) {
	added = append(added, addedTable{k, title, description, table, doc})
}

func addedResources(rel *dataset.Release) []Resource {
	var out []Resource
	for _, a := range added {
		out = append(out, newResource(a.kind.Plural(), a.title, a.description, a.table(rel.Info.Version), a.kind.All(rel), a.doc,
			keys{primary: []string{"id"}}))
	}
	return out
}
