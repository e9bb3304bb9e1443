package dataset

import (
	"fmt"
	"reflect"
	"sync"
)

// A kind of record is described once, by its Kind: its name, its file, how
// to find its records in a release and read their ids and lifecycles, its
// bilingual fields and the ids it may not use. Loading, counting, diffing
// and Japanese coverage work from these descriptions (Kinds), so that no
// kind is named anywhere else in this package but in its checks
// (validate.go), which are its own.

// Kind describes the records of type T.
type Kind[T any] struct {
	// Name is the kind's plural, in lower case: its file is Name.yaml, and
	// it names the kind in Counts, in Changes and in the API's paths.
	Name string
	// One names one record in messages ("budget line").
	One string
	// Label names the kind's records for readers, in English and Japanese
	// (the landing page's counts).
	Label Text
	// Title is the title of the file's JSON Schema.
	Title string
	// Records points at the kind's records in a release.
	Records func(*Release) *[]T
	// ID and Life read a record's id and lifecycle.
	ID   func(*T) string
	Life func(*T) Lifecycle
	// texts are the record's Text fields (bilingual.go), whose Japanese
	// coverage JapaneseCoverage reports; a kind without any is not
	// reported.
	texts []textField[T]
	// Reserved are ids that a record of the kind may not take, each with
	// the API path of the kind's collection that would hide the record.
	Reserved map[string]string
}

// RecordKind is a Kind of any record type. Its unexported methods are what
// this package does with every kind.
type RecordKind interface {
	// Plural is the kind's Name; Singular names one record; Labels names
	// its records for readers.
	Plural() string
	Singular() string
	Labels() Text
	// File is the file that holds the kind's records.
	File() File
	// Count is the number of records of the kind in a release, tombstones
	// included.
	Count(r *Release) int
	// IDs lists the ids of a release's records of the kind, in file order.
	IDs(r *Release) []string
	// All lists pointers to a release's records of the kind, in file order,
	// for code that handles every kind alike (encoding them, say).
	All(r *Release) []any
	// Slice is a release's records of the kind as their typed slice ([]T),
	// which encodes as the kind's file does.
	Slice(r *Release) any
	// Append appends a record of the kind (a pointer to it, as All gives)
	// to a release, reporting whether it was of the kind.
	Append(r *Release, record any) bool
	// Clear drops a release's records of the kind, for code that has no
	// more use for them (the loader, once it has made their items).
	Clear(r *Release)

	// reserved are ids the kind's records may not take (Kind.Reserved).
	reserved() map[string]string
	diff(older, newer *Release) (KindChanges, error)
	coverage(r *Release) (KindCoverage, bool)
}

// Plural returns the kind's Name.
func (k *Kind[T]) Plural() string { return k.Name }

// Singular names one record of the kind.
func (k *Kind[T]) Singular() string { return k.One }

// Labels names the kind's records for readers.
func (k *Kind[T]) Labels() Text { return k.Label }

// File is the file that holds the kind's records.
func (k *Kind[T]) File() File {
	return File{Name: k.Name + ".yaml", Kind: k.One, Type: reflect.TypeFor[T](), List: true, Title: k.Title, Schema: k.Name + ".schema.json"}
}

// Count is the number of records of the kind in a release.
func (k *Kind[T]) Count(r *Release) int { return len(*k.Records(r)) }

// IDs lists the ids of the kind's records in a release, in file order.
func (k *Kind[T]) IDs(r *Release) []string {
	records := *k.Records(r)
	out := make([]string, len(records))
	for i := range records {
		out[i] = k.ID(&records[i])
	}
	return out
}

func (k *Kind[T]) reserved() map[string]string { return k.Reserved }

// Slice is the kind's records in a release, as a []T.
func (k *Kind[T]) Slice(r *Release) any { return *k.Records(r) }

// All lists pointers to the kind's records in a release, in file order.
func (k *Kind[T]) All(r *Release) []any {
	records := *k.Records(r)
	out := make([]any, len(records))
	for i := range records {
		out[i] = &records[i]
	}
	return out
}

func (k *Kind[T]) diff(older, newer *Release) (KindChanges, error) {
	return diffKind(k.Name, *k.Records(older), *k.Records(newer), func(r *T) (string, Lifecycle) { return k.ID(r), k.Life(r) })
}

func (k *Kind[T]) coverage(r *Release) (KindCoverage, bool) {
	if len(k.texts) == 0 {
		return KindCoverage{}, false
	}
	return KindCoverage{Kind: k.Name, Fields: coverage(*k.Records(r), k.texts, func(rec *T) bool { return k.Life(rec).Withdrawn() })}, true
}

// Append appends a record of the kind to the release, reporting whether it
// was of the kind.
func (k *Kind[T]) Append(r *Release, record any) bool {
	rec, ok := record.(*T)
	if ok {
		records := k.Records(r)
		*records = append(*records, *rec)
	}
	return ok
}

// Clear drops the release's records of the kind.
func (k *Kind[T]) Clear(r *Release) { *k.Records(r) = nil }

// The kinds of record, each described once.
var (
	Events = &Kind[Event]{
		Name: "events", One: "event", Label: Text{EN: "events", JA: "出来事"}, Title: "jcdd events",
		Records:  func(r *Release) *[]Event { return &r.Events },
		ID:       func(e *Event) string { return e.ID },
		Life:     func(e *Event) Lifecycle { return e.Lifecycle },
		texts:    eventTexts,
		Reserved: map[string]string{"facets": "/v1/events/facets"},
	}
	Actors = &Kind[Actor]{
		Name: "actors", One: "actor", Label: Text{EN: "actors", JA: "主体"}, Title: "jcdd actors",
		Records: func(r *Release) *[]Actor { return &r.Actors },
		ID:      func(a *Actor) string { return a.ID },
		Life:    func(a *Actor) Lifecycle { return a.Lifecycle },
		texts:   actorTexts,
	}
	Budgets = &Kind[BudgetLine]{
		Name: "budgets", One: "budget line", Label: Text{EN: "budget lines", JA: "予算項目"}, Title: "jcdd budget lines",
		Records:  func(r *Release) *[]BudgetLine { return &r.Budgets },
		ID:       func(b *BudgetLine) string { return b.ID },
		Life:     func(b *BudgetLine) Lifecycle { return b.Lifecycle },
		texts:    budgetTexts,
		Reserved: map[string]string{"facets": "/v1/budgets/facets", "summary": "/v1/budgets/summary"},
	}
	Programs = &Kind[Program]{
		Name: "programs", One: "program", Label: Text{EN: "programs", JA: "施策"}, Title: "jcdd programs",
		Records: func(r *Release) *[]Program { return &r.Programs },
		ID:      func(p *Program) string { return p.ID },
		Life:    func(p *Program) Lifecycle { return p.Lifecycle },
		texts:   programTexts,
	}
	Sources = &Kind[Source]{
		Name: "sources", One: "source", Label: Text{EN: "sources", JA: "出典"}, Title: "jcdd sources",
		Records: func(r *Release) *[]Source { return &r.Sources },
		ID:      func(s *Source) string { return s.ID },
		Life:    func(s *Source) Lifecycle { return s.Lifecycle },
	}
)

// Kinds lists every kind of record, in the order of Counts and Changes.
var Kinds = []RecordKind{Events, Actors, Budgets, Programs, Sources}

// KindNamed returns the kind whose plural is name, or nil.
func KindNamed(name string) RecordKind {
	for _, k := range Kinds {
		if k.Plural() == name {
			return k
		}
	}
	return nil
}

// placeRecord appends a decoded record to the release, in its kind's list.
func placeRecord(r *Release, record any) {
	for _, k := range Kinds {
		if k.Append(r, record) {
			return
		}
	}
	panic(fmt.Sprintf("dataset: no kind of record has type %T", record))
}

// Register adds a kind of record to Kinds, and its file to Files. The
// dataset's own kinds are declared above, each with its list in Release;
// Register is for a kind that a program adds before it loads any release
// (a test of what adding a kind takes), whose records Release keeps by
// OtherRecords. It panics if the kind's name is taken.
func Register(k RecordKind) {
	if KindNamed(k.Plural()) != nil {
		panic("dataset: a kind named " + k.Plural() + " is already registered")
	}
	Kinds = append(Kinds, k)
	Files = append(Files, k.File())
	registered = append(registered, k)
}

// registered are the kinds added by Register.
var registered []RecordKind

// Registered lists the kinds added by Register, whose files the embedded
// dataset and the published releases do not have.
func Registered() []RecordKind { return registered }

// OtherRecords is the Records of a kind added by Register: its list in the
// release's others. The list is made when first asked for, under a lock,
// since readers of a release may ask at the same time.
func OtherRecords[T any](name string) func(*Release) *[]T {
	return func(r *Release) *[]T {
		othersMu.Lock()
		defer othersMu.Unlock()
		if r.others == nil {
			r.others = map[string]any{}
		}
		list, ok := r.others[name].(*[]T)
		if !ok {
			list = new([]T)
			r.others[name] = list
		}
		return list
	}
}

var othersMu sync.Mutex
