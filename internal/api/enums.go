package api

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jcdd/jcdd/dataset"
)

// An enumeration that the API uses in more than one place (a record field
// and the filter on it, or the same field of several records) is published
// once, as a named schema, and referenced wherever it is used. Generated
// SDKs then have one type for it (EventType, BudgetStage…) instead of one
// per field and per parameter.
//
// Huma gives names only to structs, and the dataset declares these fields
// as plain strings with an enum tag, so the names are given here, after
// registration, to the description only. The values still come from the
// struct tags: each named enum takes them from one field, and every inline
// enum with the same values becomes a reference to it.
type sharedEnum struct {
	name        string
	field       reflect.StructField // the field whose enum tag gives the values
	description string
}

func fieldOf[T any](name string) reflect.StructField {
	f, ok := reflect.TypeFor[T]().FieldByName(name)
	if !ok || f.Tag.Get("enum") == "" {
		panic(fmt.Sprintf("api: %s has no enum field %s", reflect.TypeFor[T](), name))
	}
	return f
}

var sharedEnums = []sharedEnum{
	{"ActorKind", fieldOf[dataset.Actor]("Kind"), "What an actor is."},
	{"BudgetCategory", fieldOf[dataset.BudgetLine]("Category"), "What a budget line counts: cyber-total (an agency's or the government's whole cyber budget for the year), cyber-item (one cyber item, which may be part of a total) or defense-total (a whole defense budget, as context for ratios)."},
	{"BudgetStage", fieldOf[dataset.BudgetLine]("Stage"), "The stage of a budget amount: request (the ministry's budget request, late August), draft (the cabinet's draft, December), initial (the budget as enacted), supplementary, plan (a multi-year plan) or spending (reported spending whose stage the source does not state). Amounts of different stages are never added together."},
	{"Confidence", fieldOf[dataset.Event]("Confidence"), "How firmly the sources establish a record: confirmed, reported or disputed. The confidence field of each record kind says what the values mean for it."},
	{"EventSort", fieldOf[EventOrder]("Sort"), "The order of events: occurred (oldest first) or -occurred (newest first); ties are broken by id."},
	{"EventType", fieldOf[dataset.Event]("Type"), "The kind of an event."},
	{"ListFormat", fieldOf[FormatParam]("Format"), "The representation of a list: json, csv, csv-excel (CSV with a UTF-8 byte order mark, for Excel) or ndjson (one JSON object per line)."},
	{"ProgramKind", fieldOf[dataset.Program]("Kind"), "What a program is."},
	{"ProgramState", fieldOf[dataset.Program]("State"), "The state of a program as of the release date, as far as the sources show."},
	{"Qualifier", fieldOf[dataset.BudgetLine]("AmountQualifier"), "How a source states a figure: exact, about, or at-least (\"more than\")."},
	{"RecordStatus", fieldOf[dataset.Event]("Status"), "Whether a record is active or withdrawn. A withdrawn record is kept as a tombstone so that its id is never reused."},
	{"SourceKind", fieldOf[dataset.Source]("Kind"), "What kind of document a source is."},
	{"StatusFilter", fieldOf[ListParams]("Status"), "Which records a list (or a count) includes: active ones, withdrawn tombstones, or all."},
}

// enumKey identifies a set of enum values, whatever their order.
func enumKey(values []any) string {
	keys := make([]string, len(values))
	for i, v := range values {
		keys[i] = fmt.Sprint(v)
	}
	slices.Sort(keys)
	return strings.Join(keys, "\x00")
}

// nameEnums adds the shared enums to the components and points every
// property, array item and parameter with the same values at them. It
// replaces schemas rather than modifying them: a parameter's schema is also
// the one Huma validates it with.
func nameEnums(oapi *huma.OpenAPI) {
	schemas := oapi.Components.Schemas.Map()
	refs := map[string]string{}
	for _, e := range sharedEnums {
		if schemas[e.name] != nil {
			panic("api: a schema is already named " + e.name)
		}
		var values []any
		for _, v := range strings.Split(e.field.Tag.Get("enum"), ",") {
			values = append(values, v)
		}
		key := enumKey(values)
		if other, dup := refs[key]; dup {
			panic(fmt.Sprintf("api: %s has the values of %s", e.name, other))
		}
		schemas[e.name] = &huma.Schema{Type: huma.TypeString, Enum: values, Description: e.description}
		refs[key] = "#/components/schemas/" + e.name
	}
	for _, s := range schemas {
		for name, p := range s.Properties {
			s.Properties[name] = refEnum(p, refs)
		}
	}
	for _, item := range oapi.Paths {
		for _, p := range item.Get.Parameters {
			p.Schema = refEnum(p.Schema, refs)
		}
	}
}

// refEnum returns s, or a reference to the shared enum with the values of s
// (or of its items) that keeps s's own description, default and examples.
func refEnum(s *huma.Schema, refs map[string]string) *huma.Schema {
	switch {
	case s == nil:
		return nil
	case s.Type == huma.TypeString && len(s.Enum) > 0:
		if ref, ok := refs[enumKey(s.Enum)]; ok {
			return &huma.Schema{Ref: ref, Description: s.Description, Default: s.Default, Examples: s.Examples}
		}
	case s.Type == huma.TypeArray && s.Items != nil:
		if items := refEnum(s.Items, refs); items != s.Items {
			c := *s
			c.Items = items
			return &c
		}
	}
	return s
}
