package store

import (
	"strconv"

	"github.com/jcdd/jcdd/dataset"
)

// Dim is a filter dimension of a kind of record (T) that a query (Q)
// selects on by single values: a record matches when it has any of the
// values the query asks for, or the query asks for none. Each dimension is
// declared once, here: the memory store indexes records by Values, the
// DynamoDB store partitions them by it, and both select with Wanted and
// Has (through EventMatcher and ActorMatcher).
type Dim[T, Q any] struct {
	// Name names the dimension in Tally and in the stores' indexes.
	Name string
	// Values lists a record's values (for indexing, once per release).
	Values func(*T) []string
	// One, when set, is the record's only value ("" for none): what
	// EachValue reads, so that counting records does not allocate.
	One func(*T) string
	// Has reports whether a record has a value (for matching, per record:
	// it must not allocate).
	Has func(*T, string) bool
	// Wanted lists the values a query asks for.
	Wanted func(*Q) []string
}

// wanted is a dimension that a query filters on, with the values it asks
// for.
type wanted[T any] struct {
	has    func(*T, string) bool
	values []string
}

// matches reports whether a record has one of the values.
func (w *wanted[T]) matches(r *T) bool {
	for _, v := range w.values {
		if w.has(r, v) {
			return true
		}
	}
	return false
}

// wantedDims lists the dimensions that q filters on.
func wantedDims[T, Q any](dims []Dim[T, Q], q *Q) []wanted[T] {
	var out []wanted[T]
	for i := range dims {
		if v := dims[i].Wanted(q); len(v) > 0 {
			out = append(out, wanted[T]{dims[i].Has, v})
		}
	}
	return out
}

// EventDims are the dimensions of the event filters.
var EventDims = []Dim[dataset.Event, EventQuery]{
	{
		Name: DimActor,
		Values: func(e *dataset.Event) []string {
			out := make([]string, len(e.Actors))
			for i, a := range e.Actors {
				out[i] = a.Actor
			}
			return out
		},
		Has: func(e *dataset.Event, v string) bool {
			for _, a := range e.Actors {
				if a.Actor == v {
					return true
				}
			}
			return false
		},
		Wanted: func(q *EventQuery) []string { return q.Actors },
	},
	oneValued(DimType, func(e *dataset.Event) string { return e.Type }, func(q *EventQuery) []string { return q.Types }),
	manyValued(DimCountry, func(e *dataset.Event) []string { return e.Countries }, func(q *EventQuery) []string { return q.Countries }),
	manyValued(DimTag, func(e *dataset.Event) []string { return e.Tags }, func(q *EventQuery) []string { return q.Tags }),
	oneValued(DimConfidence, func(e *dataset.Event) string { return e.Confidence }, func(q *EventQuery) []string { return q.Confidences }),
}

// BudgetDims are the dimensions of the budget line filters. A plan (a line
// with FiscalYearTo) has every fiscal year it spans; from_year and to_year
// are a range, matched by MatchBudget apart from these.
var BudgetDims = []Dim[dataset.BudgetLine, BudgetQuery]{
	{
		Name: DimYear,
		Values: func(b *dataset.BudgetLine) []string {
			out := make([]string, 0, 1+max(0, b.FiscalYearTo-b.FiscalYear))
			for y := b.FiscalYear; y <= max(b.FiscalYear, b.FiscalYearTo); y++ {
				out = append(out, strconv.Itoa(y))
			}
			return out
		},
		Has: func(b *dataset.BudgetLine, v string) bool {
			y, err := strconv.Atoi(v)
			return err == nil && y >= b.FiscalYear && y <= max(b.FiscalYear, b.FiscalYearTo)
		},
		Wanted: func(q *BudgetQuery) []string {
			out := make([]string, len(q.FiscalYears))
			for i, y := range q.FiscalYears {
				out[i] = strconv.Itoa(y)
			}
			return out
		},
	},
	oneValued(DimAgency, func(b *dataset.BudgetLine) string { return b.Agency }, func(q *BudgetQuery) []string { return q.Agencies }),
	oneValued(DimStage, func(b *dataset.BudgetLine) string { return b.Stage }, func(q *BudgetQuery) []string { return q.Stages }),
	oneValued(DimCategory, func(b *dataset.BudgetLine) string { return b.Category }, func(q *BudgetQuery) []string { return q.Categories }),
	oneValued(DimProgram, func(b *dataset.BudgetLine) string { return b.Program }, func(q *BudgetQuery) []string { return q.Programs }),
}

// oneValued is a dimension in which a record has one value (or none: an
// empty value is no value).
func oneValued[T, Q any](name string, value func(*T) string, wanted func(*Q) []string) Dim[T, Q] {
	return Dim[T, Q]{
		Name: name,
		Values: func(r *T) []string {
			if v := value(r); v != "" {
				return []string{v}
			}
			return nil
		},
		One:    value,
		Has:    func(r *T, v string) bool { return v != "" && value(r) == v },
		Wanted: wanted,
	}
}

// manyValued is a dimension in which a record has a list of values.
func manyValued[T, Q any](name string, values func(*T) []string, wanted func(*Q) []string) Dim[T, Q] {
	return Dim[T, Q]{
		Name:   name,
		Values: values,
		Has: func(r *T, v string) bool {
			for _, have := range values(r) {
				if have == v {
					return true
				}
			}
			return false
		},
		Wanted: wanted,
	}
}

// WantedBy lists what a query asks for in each dimension, by name.
func WantedBy[T, Q any](dims []Dim[T, Q], q *Q) map[string][]string {
	out := make(map[string][]string, len(dims))
	for i := range dims {
		out[dims[i].Name] = dims[i].Wanted(q)
	}
	return out
}

// ValuesBy gives each dimension's Values, by name.
func ValuesBy[T, Q any](dims []Dim[T, Q]) map[string]func(*T) []string {
	out := make(map[string]func(*T) []string, len(dims))
	for i := range dims {
		out[dims[i].Name] = dims[i].Values
	}
	return out
}

// EachValue calls add for every value a record has in each dimension.
func EachValue[T, Q any](dims []Dim[T, Q], r *T, add func(dim, value string)) {
	for i := range dims {
		if one := dims[i].One; one != nil {
			if v := one(r); v != "" {
				add(dims[i].Name, v)
			}
			continue
		}
		for _, v := range dims[i].Values(r) {
			add(dims[i].Name, v)
		}
	}
}

// wantsAny reports whether a query asks for a value in any dimension.
func wantsAny[T, Q any](dims []Dim[T, Q], q *Q) bool {
	for i := range dims {
		if len(dims[i].Wanted(q)) > 0 {
			return true
		}
	}
	return false
}

// singleIn returns the filter key of a query that asks for at most one
// value in one dimension (see Tally), and false for any other.
func singleIn[T, Q any](dims []Dim[T, Q], q *Q) (string, bool) {
	key := ""
	for i := range dims {
		switch values := dims[i].Wanted(q); {
		case len(values) == 0:
			continue
		case len(values) > 1 || key != "":
			return "", false
		default:
			key = FilterKey(dims[i].Name, values[0])
		}
	}
	return key, true
}
