package dynamo

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
)

// This file says which list partitions hold each record, and which of them
// a query reads. The aim is that a list reads about the page it returns:
// records are copied into partitions keyed by the values a query filters on,
// withdrawn records live apart from current ones, and a record that spans
// several years is also found from the years it runs into. See the package
// documentation for the key layout.

// withdrawnSeg marks the partitions of withdrawn records: a list of current
// records (the default) never reads past a tombstone.
const withdrawnSeg = keySep + "status" + keySep + dataset.StatusWithdrawn

// ongoingMark starts the sort keys of a partition's ongoing items: the
// copies of records that began before a year and still run on its first
// day, sk "~YYYY#" + the record's own sort key. They sort after every list
// sort key (dates and ids), so that the list's reads stop before them
// (sortKeyMax), and they live in the list's own partition, so that a
// release has no more partitions than without them.
const ongoingMark = sortKeyMax

// maxStreams bounds the partitions one page reads side by side. A query
// with more combinations of values falls back to a wider index (fewer
// partitions, more filtering in Go).
const maxStreams = 8

// familyPK is the list partition of a kind's current records, or of its
// withdrawn ones. The indexes of each family hang below it.
func familyPK(version, kind string, withdrawn bool) string {
	pk := listPK(version, kind)
	if withdrawn {
		pk += withdrawnSeg
	}
	return pk
}

// families are the list partitions a status selects.
func families(version, kind string, status store.Status) []string {
	switch status {
	case store.StatusWithdrawn:
		return []string{familyPK(version, kind, true)}
	case store.StatusAll:
		return []string{familyPK(version, kind, false), familyPK(version, kind, true)}
	default:
		return []string{familyPK(version, kind, false)}
	}
}

// indexPK is the partition of a family's records that have the given value
// in each of the index's dimensions.
func indexPK(family string, dims, values []string) string {
	pk := family
	for i, d := range dims {
		pk += keySep + d + keySep + values[i]
	}
	return pk
}

// ongoingPrefix is the sort key prefix of a partition's items that began
// before year and still run on its first day (an event's span, a budget
// plan's years).
func ongoingPrefix(year int) string { return ongoingMark + fmt.Sprintf("%04d", year) + keySep }

// listKey is the list sort key of an item's sort key: an ongoing item's
// without its prefix.
func listKey(sk string) string {
	if strings.HasPrefix(sk, ongoingMark) && len(sk) > len(ongoingPrefix(0)) {
		return sk[len(ongoingPrefix(0)):]
	}
	return sk
}

// Listing describes the list partitions of one kind: where the publisher
// writes each record (ItemKeys) and which partitions a query reads (plan).
// It is part of the layout the publisher writes.
type Listing[T any] struct {
	kind string
	// dims gives a record's values in each filter dimension.
	dims map[string]func(*T) []string
	// indexes are the dimension sets with partitions of their own (one per
	// combination of values), in the order a query prefers them: the
	// first whose dimensions the query all filters on is read. The order
	// puts the narrowest partitions first (actors are many, confidence
	// levels three), and a pair before its parts.
	indexes [][]string
	// years gives the first and last year a record runs (nil: a record
	// is in one place of the order only).
	years func(*T) (first, last int)
}

// Kind is the kind of the listing's records, as it appears in keys.
func (l *Listing[T]) Kind() string { return l.kind }

// ItemKeys calls add with the keys of every item that holds record r, at
// position pos of release version: by id in its kind's partition
// (RecordPK), and in list order in each list partition of its family
// (withdrawn or current) that holds it, there also once for every later
// year it runs into. It is part of the layout the publisher writes.
func (l *Listing[T]) ItemKeys(version string, r *T, pos store.Position, withdrawn bool, add func(pk, sk string)) {
	add(RecordPK(version, l.kind), pos.ID)
	sk, years := sortKey(pos), l.ongoingYears(r)
	for _, pk := range l.partitions(familyPK(version, l.kind, withdrawn), r) {
		add(pk, sk)
		for _, y := range years {
			add(pk, ongoingPrefix(y)+sk)
		}
	}
}

// partitions lists the list partitions that hold a record: its family, and
// the family's index partitions for the record's values. A record without
// a value in a dimension is in none of its partitions.
func (l *Listing[T]) partitions(family string, r *T) []string {
	out := []string{family}
	for _, ix := range l.indexes {
		combos := [][]string{nil}
		for _, d := range ix {
			var next [][]string
			for _, v := range distinct(l.dims[d](r)) {
				for _, c := range combos {
					next = append(next, append(slices.Clip(c), v))
				}
			}
			combos = next
		}
		for _, c := range combos {
			out = append(out, indexPK(family, ix, c))
		}
	}
	return out
}

// ongoingYears are the years whose first day a record runs into from an
// earlier year: each of its list partitions also holds it under
// ongoingPrefix of each.
func (l *Listing[T]) ongoingYears(r *T) []int {
	if l.years == nil {
		return nil
	}
	first, last := l.years(r)
	var out []int
	for y := first + 1; y <= last; y++ {
		out = append(out, y)
	}
	return out
}

// plan returns the partitions a query reads, merged in list order: for each
// family the status selects, the partitions of the first index whose
// dimensions all have values in want, one per combination of the values
// (a repeated parameter means OR), or the family itself.
func (l *Listing[T]) plan(version string, status store.Status, want map[string][]string) []string {
	fams := families(version, l.kind, status)
	for _, ix := range l.indexes {
		n := len(fams)
		for _, d := range ix {
			n *= len(distinct(want[d]))
		}
		if n == 0 || n > maxStreams {
			continue
		}
		var out []string
		for _, f := range fams {
			combos := [][]string{nil}
			for _, d := range ix {
				var next [][]string
				for _, v := range distinct(want[d]) {
					for _, c := range combos {
						next = append(next, append(slices.Clip(c), v))
					}
				}
				combos = next
			}
			for _, c := range combos {
				out = append(out, indexPK(f, ix, c))
			}
		}
		return out
	}
	return fams
}

// distinct drops empty and repeated values, keeping the first of each.
func distinct(values []string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// EventListing is the listing of events, part of the layout the publisher
// writes.
var EventListing = Listing[dataset.Event]{
	kind: kindEvent,
	dims: store.ValuesBy(store.EventDims),
	// Type and country together have a partition of their own: neither
	// narrows the other much (a type is a few percent of the events, a
	// country a third), and both are enumerations, so their pairs are few.
	indexes: [][]string{{store.DimActor}, {store.DimType, store.DimCountry}, {store.DimTag}, {store.DimType}, {store.DimCountry}, {store.DimConfidence}},
	years: func(e *dataset.Event) (int, int) {
		sp := e.Span()
		return sp.Start.Year(), sp.End.Year()
	},
}

// BudgetListing is the listing of budget lines, part of the layout the
// publisher writes.
var BudgetListing = Listing[dataset.BudgetLine]{
	kind:    kindBudget,
	dims:    store.ValuesBy(store.BudgetDims),
	indexes: [][]string{{store.DimProgram}, {store.DimAgency}, {store.DimStage}, {store.DimCategory}},
	years: func(b *dataset.BudgetLine) (int, int) {
		return b.FiscalYear, max(b.FiscalYear, b.FiscalYearTo)
	},
}

// ListingOf is the listing of a kind listed in id order, from its
// description: its dimensions and index partitions. It is part of the
// layout the publisher writes.
func ListingOf(k store.ListKind) *Listing[any] {
	if l, ok := listings.Load(k); ok {
		return l.(*Listing[any])
	}
	dims := map[string]func(*any) []string{}
	for name, values := range k.DimValues() {
		dims[name] = func(r *any) []string { return values(*r) }
	}
	l, _ := listings.LoadOrStore(k, &Listing[any]{kind: k.ShortName(), dims: dims, indexes: k.IndexSets()})
	return l.(*Listing[any])
}

// listings holds the listings of the kinds listed in id order, made once
// each, by kind.
var listings sync.Map
