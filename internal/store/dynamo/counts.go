package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/jcdd/jcdd/internal/store"
)

// Counts and facets. The loader writes the release's store.Tally as one
// small item per kind and filter key under r#V#counts:
//
//	r#V#counts  events                  the active and all events; the facets of the active ones
//	r#V#counts  events#actor=us-nsa     the same for the events of one filter value
//	r#V#counts  budgets#year=2022       likewise for budget lines (facets too)
//	r#V#counts  actors#kind=person      actors, programs and sources: the counts only
//	r#V#counts  events#years            the events of each year (store.Tally.Years), counts only
//	r#V#counts  events#year=2020        the events that began in 2020, and those that ran into it
//	                                    from before: counts and facets with every actor, gzip-compressed
//
// so that the total of a list over one filter value, or the facets of one,
// cost one GetItem of a few hundred bytes (the actor facet is bounded by
// store.MaxFacetValues), cached by the process for as long as it lives: a
// published release never changes. A range of whole years alone
// (from=2020&to=2021, from=2020, to=2021; store.EventQuery.YearRange) is
// counted from the years' items: its total from events#years (one small
// GetItem, read beside the page), its facets by summing the items
// events#year=FROM to events#year=TO, read with one Query of that sort-key
// range (store.SumYears). They are exact, as the counts of the whole
// release are: each year's actors are all listed, not capped, so that the
// sum of the years' top actors is the range's. At a hundred thousand
// synthetic events a year's item is about 17 KB compressed (4,000 actors),
// so two years read less than a page of 50 events; a range over every year
// reads about 0.5 MB, still less than the 500 events a combination's facets
// read, and exact where those are not.
//
// A list's total costs nothing more when the page's own read covered every
// candidate, or the query has no filter (the metadata counts it). Any other
// combination (a range that starts or ends inside a year, a range
// with another filter) is not counted (the page says so) unless the cursor
// carries the first page's total; facets of such a combination come from
// one page of the list of at most store.MaxLimit records, read as the list
// reads it, and are reported inexact when that page is not the whole list.

// CountsPK is the partition of a release's counts. It is part of the
// layout the publisher writes.
func CountsPK(version string) string { return prefix(version) + "counts" }

// CountsSK names the counts of a kind under a filter key. It is part of
// the layout the publisher writes.
func CountsSK(kind, key string) string {
	if key == "" {
		return kind
	}
	return kind + keySep + key
}

// YearsKey is the filter key of the counts of every year, and YearKey
// that of one year's counts and facets (four digits, so that a range of
// years is a range of sort keys). They are part of the layout the
// publisher writes.
const (
	YearsKey   = "years"
	yearPrefix = "year="
)

// YearKey is the filter key of one year's counts and facets.
func YearKey(year int) string { return fmt.Sprintf(yearPrefix+"%04d", year) }

// TallyDoc is one counts item's document, under "doc" (RecordItem). It is
// part of the layout the publisher writes.
type TallyDoc struct {
	Count   store.Count         `json:"n"`
	Events  *store.EventFacets  `json:"events,omitempty"`
	Budgets *store.BudgetFacets `json:"budgets,omitempty"`
	// Years holds, in the item events#years, the counts of each year
	// (four digits) without facets.
	Years map[string]*store.EventYear `json:"years,omitempty"`
}

// maxCachedCounts bounds the counts items a process keeps; past it the
// cache starts again (each item is a few hundred bytes).
const maxCachedCounts = 4096

// countsCache keeps counts items read, and the absence of those that are
// not in the table, by partition and sort key.
type countsCache struct {
	mu    sync.Mutex
	items map[[2]string]*TallyDoc // nil: not in the table
}

// get returns a counts item read before, and whether it was.
func (c *countsCache) get(k [2]string) (*TallyDoc, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	doc, ok := c.items[k]
	return doc, ok
}

// put keeps a counts item read (nil: not in the table).
func (c *countsCache) put(k [2]string, doc *TallyDoc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.items == nil || len(c.items) >= maxCachedCounts {
		c.items = map[[2]string]*TallyDoc{}
	}
	c.items[k] = doc
}

// tally reads the counts of a kind under a filter key, once per process.
// found is false when the table has no such item: a value that no record
// has, or a release loaded before counts were written (its totals are
// then not counted, rather than counted as zero).
func (s *Store) tally(ctx context.Context, m *ReleaseMeta, kind, filter string) (*TallyDoc, bool, error) {
	k := [2]string{CountsPK(m.Version), CountsSK(kind, filter)}
	if doc, ok := s.counts.get(k); ok {
		return doc, doc != nil, nil
	}
	out, err := s.c.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.table), Key: Key(k[0], k[1]), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return nil, false, fmt.Errorf("reading counts %s/%s: %w", k[0], k[1], err)
	}
	var doc *TallyDoc
	if out.Item != nil {
		var ri RecordItem[TallyDoc]
		if err := Unmarshal(out.Item, &ri); err != nil {
			return nil, false, fmt.Errorf("decoding counts %s/%s: %w", k[0], k[1], err)
		}
		doc = &ri.Doc
	}
	s.counts.put(k, doc)
	return doc, doc != nil, nil
}

// yearsTotal counts the events of the whole years from to to, from the
// counts of every year (one small item, once per process). found is false
// where the release has no such item.
func (s *Store) yearsTotal(ctx context.Context, m *ReleaseMeta, from, to int) (store.Count, bool, error) {
	doc, found, err := s.tally(ctx, m, store.KindEvents, YearsKey)
	if err != nil || !found || doc.Years == nil {
		return store.Count{}, false, err
	}
	years := make(map[int]*store.EventYear, len(doc.Years))
	for y, ey := range doc.Years {
		n, err := strconv.Atoi(y)
		if err != nil {
			return store.Count{}, false, fmt.Errorf("counts %s/%s: year %q: %w", CountsPK(m.Version), CountsSK(store.KindEvents, YearsKey), y, err)
		}
		years[n] = ey
	}
	n, _ := store.SumYears(years, from, to)
	return n, true, nil
}

// yearFacets sums the facets of the events of the whole years from to to
// (store.SumYears) from the items of those years, read with one Query,
// once per process and range. found is false when the range has no item
// (no event began in or ran into it, or the release was loaded without
// them): the caller reads the list instead, which is then short.
func (s *Store) yearFacets(ctx context.Context, m *ReleaseMeta, from, to int) (*TallyDoc, bool, error) {
	pk := CountsPK(m.Version)
	lo, hi := CountsSK(store.KindEvents, YearKey(from)), CountsSK(store.KindEvents, YearKey(to))
	k := [2]string{pk, lo + ".." + hi}
	if doc, ok := s.counts.get(k); ok {
		return doc, doc != nil, nil
	}
	years := map[int]*store.EventYear{}
	err := eachItemBetween(ctx, s.c, s.table, pk, &[2]string{lo, hi}, false, nil, func(it Item) error {
		_, sk := KeyOf(it)
		var ri RecordItem[[]byte]
		if err := Unmarshal(it, &ri); err != nil {
			return fmt.Errorf("decoding counts %s/%s: %w", pk, sk, err)
		}
		y, err := strconv.Atoi(strings.TrimPrefix(sk, CountsSK(store.KindEvents, yearPrefix)))
		if err != nil {
			return fmt.Errorf("counts %s/%s: not a year: %w", pk, sk, err)
		}
		js, err := gunzip(ri.Doc)
		var ey store.EventYear
		if err == nil {
			err = json.Unmarshal(js, &ey)
		}
		if err != nil {
			return fmt.Errorf("decoding counts %s/%s: %w", pk, sk, err)
		}
		years[y] = &ey
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	var doc *TallyDoc
	if n, f := store.SumYears(years, from, to); len(years) > 0 && f != nil {
		doc = &TallyDoc{Count: n, Events: f}
	}
	s.counts.put(k, doc)
	return doc, doc != nil, nil
}

// keyed is a query that a Tally may count.
type keyed interface{ Key() (string, bool) }

// yearRanged is a query that may select a range of whole years alone,
// which Tally.Years counts (store.EventQuery).
type yearRanged interface {
	YearRange() (from, to int, ok bool)
}

// withTotal completes a page's total, in order of cost: the page itself
// when it is the first and the last, the metadata's counts for a query
// without filters, the counts item of a single filter value or the years'
// counts of a range of whole years, and last the total the cursor carries.
func withTotal[T any](ctx context.Context, s *Store, m *ReleaseMeta, kind, singular string, q keyed, st store.Status, req store.PageRequest) func(store.Page[T], error) (store.Page[T], error) {
	carried := req.Total
	// The count of a single filter value is read while the page is: Go
	// evaluates withTotal(...) before its argument, query(...), so the two
	// reads make one round trip.
	type tallied struct {
		doc   *TallyDoc
		found bool
		err   error
	}
	var pending chan tallied
	if key, ok := q.Key(); ok && key != "" && carried == nil {
		pending = make(chan tallied, 1)
		go func() {
			doc, found, err := s.tally(ctx, m, kind, key)
			pending <- tallied{doc, found, err}
		}()
	}
	// So is the count of a range of whole years (events only).
	from, to, years := 0, 0, false
	if yr, ok := q.(yearRanged); ok && carried == nil {
		from, to, years = yr.YearRange()
	}
	if years {
		pending = make(chan tallied, 1)
		go func() {
			n, found, err := s.yearsTotal(ctx, m, from, to)
			pending <- tallied{&TallyDoc{Count: n}, found, err}
		}()
	}
	return func(p store.Page[T], err error) (store.Page[T], error) {
		var t tallied
		if pending != nil {
			t = <-pending
		}
		if err != nil || p.Counted {
			return p, err
		}
		if req.After == nil && p.Next == nil {
			// The first page is the whole list.
			p.SetTotal(len(p.Docs))
			return p, nil
		}
		key, ok := q.Key()
		switch {
		case ok && key == "":
			all := 0
			for _, c := range m.Counts {
				if c.Kind == kind {
					all = c.N
				}
			}
			withdrawn := m.Withdrawn[singular]
			p.SetTotal(store.Count{Active: all - withdrawn, All: all}.For(st))
			return p, nil
		case pending != nil:
			if t.err != nil {
				return p, t.err
			}
			if t.found {
				p.SetTotal(t.doc.Count.For(st))
				return p, nil
			}
		}
		if carried != nil {
			p.SetTotal(*carried)
		}
		return p, nil
	}
}

// facetsPage is the size of the one page of a list that facets of a
// combination of filters read: the API's largest page.
const facetsPage = store.MaxLimit

// active reports whether a status filter selects the active records, which
// the counts items break down.
func active(st store.Status) bool { return st == store.StatusActive || st == "" }

// EventFacets breaks down the events a query selects: one GetItem for no
// filter or one filter value, one Query of the years' items for a range of
// whole years, else one bounded read of the list.
func (s *Store) EventFacets(ctx context.Context, q store.EventQuery) (store.Facets[store.EventFacets], error) {
	m, err := s.meta(ctx, q.Release)
	if err != nil {
		return store.Facets[store.EventFacets]{}, err
	}
	out := store.Facets[store.EventFacets]{Release: m.info(false)}
	if key, ok := q.Key(); ok && active(q.Status) {
		doc, found, err := s.tally(ctx, m, store.KindEvents, key)
		if err != nil {
			return out, err
		}
		if found && doc.Events != nil {
			out.Facets, out.Exact = *doc.Events, true
			return out, nil
		}
	}
	if from, to, ok := q.YearRange(); ok && active(q.Status) {
		doc, found, err := s.yearFacets(ctx, m, from, to)
		if err != nil {
			return out, err
		}
		if found {
			out.Facets, out.Exact = *doc.Events, true
			return out, nil
		}
	}
	// A combination: one page of the list, as large as the API allows, read
	// the way the list reads it (bounded rounds of its narrowest
	// partitions). When it is the whole list, it is counted exactly.
	q.Release, q.Page = m.Version, store.PageRequest{Limit: facetsPage}
	p, err := s.Events(ctx, q)
	if err != nil || p.Next != nil {
		return out, err
	}
	var c store.EventCounter
	for i := range p.Items {
		c.Add(&p.Items[i])
	}
	out.Facets, out.Exact = c.Facets(), true
	return out, nil
}

// BudgetFacets is EventFacets for budget lines, whose one list partition
// is read when the counts do not cover the query.
func (s *Store) BudgetFacets(ctx context.Context, q store.BudgetQuery) (store.Facets[store.BudgetFacets], error) {
	m, err := s.meta(ctx, q.Release)
	if err != nil {
		return store.Facets[store.BudgetFacets]{}, err
	}
	out := store.Facets[store.BudgetFacets]{Release: m.info(false)}
	if key, ok := q.Key(); ok && active(q.Status) {
		doc, found, err := s.tally(ctx, m, store.KindBudgets, key)
		if err != nil {
			return out, err
		}
		if found && doc.Budgets != nil {
			out.Facets, out.Exact = *doc.Budgets, true
			return out, nil
		}
	}
	q.Release, q.Page = m.Version, store.PageRequest{Limit: facetsPage}
	p, err := s.Budgets(ctx, q)
	if err != nil || p.Next != nil {
		return out, err
	}
	var c store.BudgetCounter
	for i := range p.Items {
		c.Add(&p.Items[i])
	}
	out.Facets, out.Exact = c.Facets(), true
	return out, nil
}
