// Package store defines how the API reads the dataset: the Store interface,
// its typed queries and the page and position types they share. The memory
// and DynamoDB packages implement it, and storetest holds the conformance
// suite that both must pass unchanged.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jcdd/jcdd/dataset"
)

// ErrNotFound is returned for an unknown record id.
var ErrNotFound = errors.New("not found")

// ErrUnknownRelease is returned when a query names a release the store does
// not hold.
var ErrUnknownRelease = errors.New("unknown release")

// ErrUnknownSince is returned by Changes when the release to compare with
// is not one the store holds. It is not an ErrUnknownRelease: the release
// asked for exists, the one named by since does not.
var ErrUnknownSince = errors.New("unknown release to compare with")

// ErrSinceNotOlder is returned by Changes when the release to compare with
// is not older than the release asked for.
var ErrSinceNotOlder = errors.New("the release to compare with is not older")

// ErrNoBundle is returned for a release whose bundle is not at hand.
var ErrNoBundle = errors.New("no bundle for this release")

// ErrBadPosition is returned when a page position does not fit the query it
// is used with (for example a position from another kind of list).
var ErrBadPosition = errors.New("position does not belong to this query")

// Store reads published releases of the dataset. Every method that takes a
// release version accepts "" for the current release; results say which
// release they came from. Implementations are safe for concurrent use.
type Store interface {
	// Releases lists every release the store holds, newest first.
	Releases(ctx context.Context) ([]Release, error)
	// Release describes one release ("" for the current one).
	Release(ctx context.Context, version string) (Release, error)
	// Changes lists what changed in a release ("" for the current one)
	// since an older release the store holds, as dataset.Diff computes it.
	// It returns ErrUnknownRelease for an unknown release, ErrUnknownSince
	// for an unknown since and ErrSinceNotOlder when since is not older.
	Changes(ctx context.Context, release, since string) (dataset.Changes, Release, error)

	Events(ctx context.Context, q EventQuery) (Page[dataset.Event], error)
	Event(ctx context.Context, release, id string) (dataset.Event, Release, error)
	Budgets(ctx context.Context, q BudgetQuery) (Page[dataset.BudgetLine], error)
	BudgetSummary(ctx context.Context, q SummaryQuery) ([]BudgetTotal, Release, error)
	// List lists the records of a kind listed in id order (one of
	// ListKinds, by name); the page's Items are pointers to its records.
	// List (the function) gives them as their own type.
	List(ctx context.Context, kind string, q ListQuery) (Page[any], error)
	// Record returns one record of a kind (KindEvents, or one of
	// ListKinds) as the API sends it: its JSON, encoded
	// when its release was built, with the offsets of its members (the CSV
	// row may be absent). ErrNotFound when there is no such record.
	Record(ctx context.Context, kind, release, id string) (Doc, Release, error)

	// EventFacets breaks down the events a query selects (its page is
	// ignored); BudgetFacets the budget lines.
	EventFacets(ctx context.Context, q EventQuery) (Facets[EventFacets], error)
	BudgetFacets(ctx context.Context, q BudgetQuery) (Facets[BudgetFacets], error)
}

// Release describes one release held by a store.
type Release struct {
	dataset.ReleaseInfo
	Current   bool
	Counts    []dataset.Count
	Checksums map[string]string
	// Bundle describes the release's download, jcdd-<version>.zip; nil when
	// the store was given no way to build it (see memory.Options.Bundle and
	// publish.Loader.Bundle).
	Bundle *Bundle
}

// Bundle describes the zip of a release, computed from its bytes when the
// store is built (memory) or when the release is loaded (DynamoDB), so that
// the checksum published in the index is that of the bytes downloaded.
type Bundle struct {
	Name   string `json:"name"`   // file name, jcdd-<version>.zip
	SHA256 string `json:"sha256"` // hex-encoded
	Size   int64  `json:"size"`   // bytes
	// SQLite describes the release's SQLite database,
	// jcdd-<version>.sqlite, built and published with the zip but never
	// inside it; nil in a description made without it (a release loaded
	// before the databases were built, or a test's stand-in).
	SQLite *File `json:"sqlite,omitempty"`
}

// File describes a download of a release other than its zip.
type File struct {
	Name   string `json:"name"`   // file name
	SHA256 string `json:"sha256"` // hex-encoded
	Size   int64  `json:"size"`   // bytes
}

// BundleOf describes the bytes of a bundle.
func BundleOf(name string, zip []byte) Bundle {
	return Bundle{Name: name, SHA256: dataset.Checksum(zip), Size: int64(len(zip))}
}

// FileOf describes the bytes of a download.
func FileOf(name string, data []byte) *File {
	return &File{Name: name, SHA256: dataset.Checksum(data), Size: int64(len(data))}
}

// SameZip reports whether two descriptions are of the same zip.
func (b Bundle) SameZip(o Bundle) bool {
	return b.Name == o.Name && b.SHA256 == o.SHA256 && b.Size == o.Size
}

// Equal reports whether two descriptions are of the same files.
func (b Bundle) Equal(o Bundle) bool {
	if !b.SameZip(o) || (b.SQLite == nil) != (o.SQLite == nil) {
		return false
	}
	return b.SQLite == nil || *b.SQLite == *o.SQLite
}

// CheckSince checks that since names a release older than version (both
// resolved: no ""), the order Changes requires.
func CheckSince(version, since string) error {
	if !dataset.IsVersion(since) {
		return fmt.Errorf("since %q: %w", since, ErrUnknownSince)
	}
	if dataset.CompareVersions(since, version) >= 0 {
		return fmt.Errorf("since %s, release %s: %w", since, version, ErrSinceNotOlder)
	}
	return nil
}

// Position is a place in an ordered list: the sort key and id of the last
// item already returned. It is the same for every store, so that a cursor
// from one store means the same thing to another.
type Position struct {
	Key string // the list's sort key of the item, e.g. "2020-09-01" for events
	ID  string
}

// Page sizes: the API accepts 1..MaxLimit and uses DefaultLimit when the
// client gives none; a store treats a Limit below 1 as DefaultLimit.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// PageRequest asks for at most Limit items after a position (nil: from the
// start).
type PageRequest struct {
	Limit int
	After *Position
	// DocsOnly says that the caller reads the page's Docs only (the API
	// does): a store may then leave Items empty, which spares the memory
	// store a copy of every record of the page.
	DocsOnly bool
	// Total, when set, is the total that the first page of the same query
	// reported (the API carries it in its cursors): a store that cannot
	// count a later page as cheaply repeats it.
	Total *int
}

// Page is one page of a list. Next is the position to continue from, or nil
// when the list is exhausted.
type Page[T any] struct {
	Items []T
	// Docs holds Items as the API sends them, in the same order (see Doc).
	Docs []Doc
	// Run, when a store can give it, is Docs laid end to end (see Run).
	Run     Run
	Next    *Position
	Release Release
	// Total is the number of records the query matches across every page
	// when Counted. A store leaves Counted false where counting would cost
	// more than reading the page (a combination of filters that no count
	// made with the release covers); given PageRequest.Total, it may
	// repeat that instead.
	Total   int
	Counted bool
}

// SetTotal records the page's total.
func (p *Page[T]) SetTotal(n int) { p.Total, p.Counted = n, true }

// Status selects records by lifecycle: active records (the default),
// withdrawn tombstones, or all.
type Status string

// Statuses.
const (
	StatusActive    Status = "active"
	StatusWithdrawn Status = "withdrawn"
	StatusAll       Status = "all"
)

// Admits reports whether a record with the given lifecycle passes the filter.
func (s Status) Admits(l dataset.Lifecycle) bool {
	switch s {
	case StatusAll:
		return true
	case StatusWithdrawn:
		return l.Withdrawn()
	default:
		return !l.Withdrawn()
	}
}

// EventQuery selects events. Fields are ANDed; the values of one slice are
// ORed. Empty means no filter.
type EventQuery struct {
	Release     string
	Range       *dataset.Span // events that overlap these days
	Actors      []string
	Types       []string
	Countries   []string
	Tags        []string
	Confidences []string
	Text        string // case-insensitive, over titles, summaries and actor names
	Status      Status
	Descending  bool // newest first
	Page        PageRequest
}

// BudgetQuery selects budget lines, ordered by fiscal year, then id.
type BudgetQuery struct {
	Release     string
	FiscalYears []int
	FromYear    int // lines whose years overlap FromYear..ToYear (0: open)
	ToYear      int
	Agencies    []string
	Stages      []string
	Categories  []string
	Programs    []string
	Status      Status
	Page        PageRequest
}

// SummaryQuery selects rows of the budget summary.
type SummaryQuery struct {
	Release  string
	FromYear int
	ToYear   int
	Agencies []string
	Stages   []string
}

// BudgetTotal is the cyber budget of one agency, fiscal year (or plan period)
// and stage. Stages are never added together.
type BudgetTotal struct {
	FiscalYear   int
	FiscalYearTo int // plans only
	Agency       string
	Stage        string
	// CyberJPY is the amount of the agency's cyber-total line when there is
	// one; otherwise the sum of its cyber items, which is then a lower bound.
	CyberJPY   int64
	CyberBasis string // "reported-total" or "sum-of-items"
	// Qualifier is "about" or "at-least" when any amount in the total was
	// stated that way, else "exact".
	Qualifier string
	// DefenseJPY is the agency's whole defense budget for the same year and
	// stage, when the dataset has it (0 otherwise).
	DefenseJPY int64
	Lines      []string // ids of the lines summed
	// Doc is the row as the API sends it, encoded once with its release
	// (encode.Summary); it is not part of the row's value.
	Doc Doc `json:"-"`
}
