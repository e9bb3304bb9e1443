package export

import (
	"strconv"

	"github.com/jcdd/jcdd/dataset"
)

// The child tables of a release bundle: one row per item of a list inside a
// record (an actor's part in an event, a citation, a metric…), keyed by the
// id of the record it belongs to, so that the links can be filtered, counted
// and joined in a spreadsheet or a database without parsing "; "-separated
// cells.

// link is one row of a child table: an item of the record with id Parent.
type link[C any] struct {
	Parent string
	Item   C
}

// links flattens the items of every record into rows, in record order.
func links[R, C any](records []R, id func(*R) string, items func(*R) []C) []link[C] {
	var out []link[C]
	for i := range records {
		r := &records[i]
		for _, item := range items(r) {
			out = append(out, link[C]{Parent: id(r), Item: item})
		}
	}
	return out
}

// parentColumn is the first column of a child table: the id of the record
// the row belongs to.
func parentColumn[C any](name, doc string) Column[link[C]] {
	return Column[link[C]]{Name: name, Doc: doc, Value: func(l *link[C]) string { return l.Parent }}
}

// eventActors is the layout of event_actors.
var eventActors = Table[link[dataset.EventActor]]{
	parentColumn[dataset.EventActor]("event_id", "id of the event"),
	{"actor_id", "actor", "", func(l *link[dataset.EventActor]) string { return l.Item.Actor }},
	{"role", "role", "", func(l *link[dataset.EventActor]) string { return l.Item.Role }},
}

// idLinks is the layout of a table that links a record to another by id,
// such as event_related.
func idLinks(parent, parentDoc, child, childDoc string) Table[link[string]] {
	return Table[link[string]]{
		parentColumn[string](parent, parentDoc),
		{child, "", childDoc, func(l *link[string]) string { return l.Item }},
	}
}

// sourceLinks is the layout of a <kind>_sources table.
func sourceLinks(parent, parentDoc string) Table[link[dataset.SourceRef]] {
	return Table[link[dataset.SourceRef]]{
		parentColumn[dataset.SourceRef](parent, parentDoc),
		{"source_id", "source", "", func(l *link[dataset.SourceRef]) string { return l.Item.Source }},
		{"locator", "locator", "", func(l *link[dataset.SourceRef]) string { return l.Item.Locator }},
	}
}

// actorRoles is the layout of actor_roles.
var actorRoles = Table[link[dataset.Role]]{
	parentColumn[dataset.Role]("actor_id", "id of the actor who held the position"),
	{"title", "title", "", func(l *link[dataset.Role]) string { return l.Item.Title }},
	{"organization", "organization", "", func(l *link[dataset.Role]) string { return l.Item.Organization }},
	{"from", "from", "", func(l *link[dataset.Role]) string { return l.Item.From }},
	{"to", "to", "", func(l *link[dataset.Role]) string { return l.Item.To }},
	{"sources", "sources", `source ids, each followed by its locator in brackets where there is one, separated by "; "`, func(l *link[dataset.Role]) string { return sourceRefs(l.Item.Sources) }},
	{"note", "note", "", func(l *link[dataset.Role]) string { return l.Item.Note }},
}

// programMetrics is the layout of program_metrics.
var programMetrics = Table[link[dataset.Metric]]{
	parentColumn[dataset.Metric]("program_id", "id of the program"),
	{"name", "name", "", func(l *link[dataset.Metric]) string { return l.Item.Name }},
	{"value", "value", "", func(l *link[dataset.Metric]) string { return strconv.FormatFloat(l.Item.Value, 'f', -1, 64) }},
	{"unit", "unit", "", func(l *link[dataset.Metric]) string { return l.Item.Unit }},
	{"kind", "kind", "", func(l *link[dataset.Metric]) string { return l.Item.Kind }},
	{"qualifier", "qualifier", "", func(l *link[dataset.Metric]) string { return l.Item.Qualifier }},
	{"as_of", "as_of", "", func(l *link[dataset.Metric]) string { return l.Item.AsOf }},
	{"fiscal_year", "fiscal_year", "", func(l *link[dataset.Metric]) string { return intOrEmpty(int64(l.Item.FiscalYear)) }},
	{"sources", "sources", `source ids, each followed by its locator in brackets where there is one, separated by "; "`, func(l *link[dataset.Metric]) string { return sourceRefs(l.Item.Sources) }},
	{"note", "note", "", func(l *link[dataset.Metric]) string { return l.Item.Note }},
}

// contradictionRow is one row of the contradictions table, which gathers
// the contradictions of every kind of record.
type contradictionRow struct {
	Table    string // the table record_id belongs to
	RecordID string
	Item     dataset.Contradiction
}

// contradictionRows gathers the contradictions of one kind of record.
func contradictionRows[R any](table string, records []R, id func(*R) string, list func(*R) []dataset.Contradiction) []contradictionRow {
	var out []contradictionRow
	for _, l := range links(records, id, list) {
		out = append(out, contradictionRow{Table: table, RecordID: l.Parent, Item: l.Item})
	}
	return out
}

// contradictionsTable is the layout of contradictions.
var contradictionsTable = Table[contradictionRow]{
	{"kind", "", "the table the record is in: events, actors, budgets or programs", func(c *contradictionRow) string { return c.Table }},
	{"record_id", "", "id of the record, in the table named by kind", func(c *contradictionRow) string { return c.RecordID }},
	{"field", "field", "", func(c *contradictionRow) string { return c.Item.Field }},
	{"value", "value", "", func(c *contradictionRow) string { return c.Item.Value }},
	{"sources", "sources", `source ids, each followed by its locator in brackets where there is one, separated by "; "`, func(c *contradictionRow) string { return sourceRefs(c.Item.Sources) }},
	{"note", "note", "", func(c *contradictionRow) string { return c.Item.Note }},
}
