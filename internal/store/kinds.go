package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
)

// A kind of record that has nothing but a filtered list in id order and a
// lookup by id (actors, programs, sources) is described once, by an
// IDKind: its dataset kind, its filter dimensions, its search text, its
// CSV columns and the DynamoDB partitions that serve its filters. Both
// stores list every such kind through its description (ListKinds), with
// one query type (ListQuery) and one Store method (List), so that a kind
// of this shape is added by describing it, not by writing store code.

// ListQuery selects records of a kind listed in id order. Fields are
// ANDed; the values of one filter are ORed. Empty means no filter.
type ListQuery struct {
	Release string
	// Filters are the values asked for in each of the kind's dimensions,
	// by dimension name; a name the kind does not have is an error.
	Filters map[string][]string
	Text    string // case-insensitive, over the kind's search text
	Status  Status
	Page    PageRequest
}

// Key is EventQuery.Key for a ListQuery.
func (q *ListQuery) Key() (string, bool) {
	if q.Text != "" {
		return "", false
	}
	pairs := make([]any, 0, 2*len(q.Filters))
	for dim, values := range q.Filters {
		pairs = append(pairs, dim, values)
	}
	return single(pairs...)
}

// IDKind describes a kind of record of type T that is listed in id order.
type IDKind[T any] struct {
	// Kind is the kind in the dataset: its name, file, ids and lifecycles.
	*dataset.Kind[T]
	// Short names one record in the DynamoDB store's keys ("actor").
	Short string
	// Dims are the kind's filter dimensions.
	Dims []Dim[T, ListQuery]
	// Text is a record's search text before folding (see Fold).
	Text func(*T) string
	// Table gives the kind's CSV columns in a release.
	Table func(version string) export.Table[T]
	// Indexes are the sets of dimensions that have DynamoDB partitions of
	// their own (see dynamo.Listing), in the order a query prefers them.
	Indexes [][]string
}

// ListKind is an IDKind of any record type, for code that handles every
// such kind alike. A record is passed as a pointer to its type (what
// dataset.RecordKind.All gives).
type ListKind interface {
	dataset.RecordKind
	// ShortName names one record in the DynamoDB store's keys.
	ShortName() string
	// IndexSets are IDKind.Indexes.
	IndexSets() [][]string
	// RecordID and Lifecycle read a record's id and lifecycle.
	RecordID(rec any) string
	Lifecycle(rec any) dataset.Lifecycle
	// SearchText is a record's folded search text.
	SearchText(rec any) string
	// EachValue calls add for every value a record has in each dimension.
	EachValue(rec any, add func(dim, value string))
	// DimValues lists a record's values in each dimension, by name.
	DimValues() map[string]func(rec any) []string
	// Matcher returns the test of a query, after CheckQuery: whether a
	// record, with its SearchText, is selected.
	Matcher(q *ListQuery) func(rec any, text string) bool
	// CheckQuery rejects a query that filters on a dimension the kind
	// does not have.
	CheckQuery(q *ListQuery) error
	// CSV is the kind's CSV table in a release, for records as any.
	CSV(version string) export.Table[any]
	// Decode reads a record from its JSON.
	Decode(data []byte) (any, error)
}

// ShortName names one record in the DynamoDB store's keys.
func (k *IDKind[T]) ShortName() string { return k.Short }

// IndexSets are the kind's DynamoDB index partitions.
func (k *IDKind[T]) IndexSets() [][]string { return k.Indexes }

// RecordID reads a record's id.
func (k *IDKind[T]) RecordID(rec any) string { return k.ID(rec.(*T)) }

// Lifecycle reads a record's lifecycle.
func (k *IDKind[T]) Lifecycle(rec any) dataset.Lifecycle { return k.Life(rec.(*T)) }

// SearchText is a record's folded search text.
func (k *IDKind[T]) SearchText(rec any) string { return Fold(k.Text(rec.(*T))) }

// EachValue calls add for every value a record has in each dimension.
func (k *IDKind[T]) EachValue(rec any, add func(dim, value string)) {
	EachValue(k.Dims, rec.(*T), add)
}

// DimValues lists a record's values in each dimension, by name.
func (k *IDKind[T]) DimValues() map[string]func(rec any) []string {
	out := make(map[string]func(any) []string, len(k.Dims))
	for name, values := range ValuesBy(k.Dims) {
		out[name] = func(rec any) []string { return values(rec.(*T)) }
	}
	return out
}

// CheckQuery rejects a filter on a dimension the kind does not have.
func (k *IDKind[T]) CheckQuery(q *ListQuery) error {
	for dim := range q.Filters {
		if !k.hasDim(dim) {
			return fmt.Errorf("%s have no filter %q", k.Name, dim)
		}
	}
	return nil
}

func (k *IDKind[T]) hasDim(name string) bool {
	for i := range k.Dims {
		if k.Dims[i].Name == name {
			return true
		}
	}
	return false
}

// Matcher returns the test of a query: its status, its filters and its
// text, found once per query.
func (k *IDKind[T]) Matcher(q *ListQuery) func(rec any, text string) bool {
	dims, folded := wantedDims(k.Dims, q), Fold(q.Text)
	return func(rec any, text string) bool {
		r := rec.(*T)
		if !q.Status.Admits(k.Life(r)) {
			return false
		}
		for i := range dims {
			if !dims[i].matches(r) {
				return false
			}
		}
		return folded == "" || strings.Contains(text, folded)
	}
}

// CSV is the kind's CSV table in a release, for records held as any.
func (k *IDKind[T]) CSV(version string) export.Table[any] {
	return export.Erase(k.Table(version))
}

// Decode reads a record from its JSON.
func (k *IDKind[T]) Decode(data []byte) (any, error) {
	rec := new(T)
	if err := json.Unmarshal(data, rec); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", k.One, err)
	}
	return rec, nil
}

// ListDim is a dimension of a kind listed in id order in which a record has
// one value (or none: an empty value is no value), filtered by the values
// of ListQuery.Filters under its name.
func ListDim[T any](name string, value func(*T) string) Dim[T, ListQuery] {
	return oneValued(name, value, func(q *ListQuery) []string { return q.Filters[name] })
}

// The kinds listed in id order, each described once.
var (
	ActorKind = &IDKind[dataset.Actor]{
		Kind: dataset.Actors, Short: "actor",
		Dims: []Dim[dataset.Actor, ListQuery]{
			ListDim(DimKind, func(a *dataset.Actor) string { return a.Kind }),
			ListDim(DimCountry, func(a *dataset.Actor) string { return a.Country }),
		},
		Text: func(a *dataset.Actor) string {
			return strings.Join(append([]string{a.Name.EN, a.Name.JA, a.Description.EN, a.Description.JA}, a.Aliases...), "\n")
		},
		Table:   func(string) export.Table[dataset.Actor] { return export.Actors },
		Indexes: [][]string{{DimKind, DimCountry}, {DimCountry}, {DimKind}},
	}
	ProgramKind = &IDKind[dataset.Program]{
		Kind: dataset.Programs, Short: "program",
		Dims: []Dim[dataset.Program, ListQuery]{
			ListDim(DimKind, func(p *dataset.Program) string { return p.Kind }),
			ListDim(DimAgency, func(p *dataset.Program) string { return p.Agency }),
			ListDim(DimState, func(p *dataset.Program) string { return p.State }),
		},
		Text: func(p *dataset.Program) string {
			return strings.Join([]string{p.Name.EN, p.Name.JA, p.Summary.EN, p.Summary.JA}, "\n")
		},
		Table:   func(string) export.Table[dataset.Program] { return export.Programs },
		Indexes: [][]string{{DimAgency}, {DimState}, {DimKind}},
	}
	SourceKind = &IDKind[dataset.Source]{
		Kind: dataset.Sources, Short: "source",
		Dims: []Dim[dataset.Source, ListQuery]{
			ListDim(DimKind, func(s *dataset.Source) string { return s.Kind }),
			ListDim(DimLanguage, func(s *dataset.Source) string { return s.Language }),
		},
		Text: func(s *dataset.Source) string { return s.Title + "\n" + s.Publisher },
		// The CSV layout of sources changed with a release.
		Table:   export.SourcesOf,
		Indexes: [][]string{{DimKind}, {DimLanguage}},
	}
)

// ListKinds lists every kind listed in id order.
var ListKinds = []ListKind{ActorKind, ProgramKind, SourceKind}

// Register adds a kind listed in id order, described once by k, to the
// dataset (dataset.Register), to the bundle's tables (export.AddTable, with
// the given title and description) and to ListKinds, so that both stores
// load, list and count it. It is for a kind that a program adds before it
// loads any release (a test of what adding a kind takes); the dataset's own
// kinds are declared above.
func Register[T any](k *IDKind[T], title, description string) {
	dataset.Register(k.Kind)
	export.AddTable(k.Kind, title, description, k.CSV, reflect.TypeFor[T]())
	ListKinds = append(ListKinds, k)
}

// ListKindNamed returns the kind listed in id order whose plural is name,
// or nil.
func ListKindNamed(name string) ListKind {
	for _, k := range ListKinds {
		if k.Plural() == name {
			return k
		}
	}
	return nil
}

// List is Store.List for the records of one kind, as their own type.
func List[T any](ctx context.Context, s Store, k *IDKind[T], q ListQuery) (Page[T], error) {
	p, err := s.List(ctx, k.Name, q)
	out := Page[T]{Docs: p.Docs, Run: p.Run, Next: p.Next, Release: p.Release, Total: p.Total, Counted: p.Counted}
	if len(p.Items) > 0 {
		out.Items = make([]T, len(p.Items))
		for i, rec := range p.Items {
			out.Items[i] = *rec.(*T)
		}
	}
	return out, err
}

// Get is one record of a kind by id, as its own type: the record the
// store sends (Store.Record), decoded.
func Get[T any](ctx context.Context, s Store, k *IDKind[T], release, id string) (T, Release, error) {
	var zero T
	doc, rel, err := s.Record(ctx, k.Name, release, id)
	if err != nil {
		return zero, rel, err
	}
	rec, err := k.Decode(doc.JSON)
	if err != nil {
		return zero, rel, err
	}
	return *rec.(*T), rel, nil
}
