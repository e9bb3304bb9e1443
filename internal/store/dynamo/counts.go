package dynamo

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/internal/store"
)

// Counts and facets. The loader writes the release's store.Tally as one
// small item per kind and filter key under r#V#counts:
//
//	r#V#counts  events                  the active and all events; the facets of the active ones
//	r#V#counts  events#actor=us-nsa     the same for the events of one filter value
//	r#V#counts  budgets#year=2022       likewise for budget lines (facets too)
//	r#V#counts  actors#kind=person      actors, programs and sources: the counts only
//
// so that the total of a list over one filter value, or the facets of one,
// cost one GetItem of a few hundred bytes (the actor facet is bounded by
// store.MaxFacetValues), cached by the process for as long as it lives: a
// published release never changes. A list's total costs nothing more when
// the page's own read covered every candidate, or the query has no filter
// (the metadata counts it). Any other combination is not counted (the
// page says so) unless the cursor carries the first page's total; facets
// of such a combination come from one page of the list of at most
// store.MaxLimit records, read as the list reads it, and are reported inexact
// when that page is not the whole list.

// countsPK is the partition of a release's counts.
func countsPK(version string) string { return prefix(version) + "counts" }

// countsSK names the counts of a kind under a filter key.
func countsSK(kind, key string) string {
	if key == "" {
		return kind
	}
	return kind + keySep + key
}

// tallyDoc is one counts item's document.
type tallyDoc struct {
	Count   store.Count         `json:"n"`
	Events  *store.EventFacets  `json:"events,omitempty"`
	Budgets *store.BudgetFacets `json:"budgets,omitempty"`
}

// addTally adds the counts items of a release.
func addTally(b *itemBuilder, v string, t *store.Tally) {
	for kind, byKey := range t.Totals {
		for key, c := range byKey {
			doc := tallyDoc{Count: c}
			switch kind {
			case store.KindEvents:
				doc.Events = t.Events[key]
			case store.KindBudgets:
				doc.Budgets = t.Budgets[key]
			}
			// Encoded when written: a release's counts items, encoded,
			// are the largest part of its items in memory.
			b.addDeferred(countsPK(v), countsSK(kind, key), recordItem[tallyDoc]{Doc: doc})
		}
	}
}

// maxCachedCounts bounds the counts items a process keeps; past it the
// cache starts again (each item is a few hundred bytes).
const maxCachedCounts = 4096

// countsCache keeps counts items read, and the absence of those that are
// not in the table, by partition and sort key.
type countsCache struct {
	mu    sync.Mutex
	items map[[2]string]*tallyDoc // nil: not in the table
}

// tally reads the counts of a kind under a filter key, once per process.
// found is false when the table has no such item: a value that no record
// has, or a release loaded before counts were written (its totals are
// then not counted, rather than counted as zero).
func (s *Store) tally(ctx context.Context, m *releaseMeta, kind, filter string) (*tallyDoc, bool, error) {
	k := [2]string{countsPK(m.Version), countsSK(kind, filter)}
	s.counts.mu.Lock()
	doc, ok := s.counts.items[k]
	s.counts.mu.Unlock()
	if ok {
		return doc, doc != nil, nil
	}
	out, err := s.c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: key(k[0], k[1])})
	if err != nil {
		return nil, false, fmt.Errorf("reading counts %s/%s: %w", k[0], k[1], err)
	}
	if out.Item != nil {
		var ri recordItem[tallyDoc]
		if err := unmarshal(out.Item, &ri); err != nil {
			return nil, false, fmt.Errorf("decoding counts %s/%s: %w", k[0], k[1], err)
		}
		doc = &ri.Doc
	}
	s.counts.mu.Lock()
	if s.counts.items == nil || len(s.counts.items) >= maxCachedCounts {
		s.counts.items = map[[2]string]*tallyDoc{}
	}
	s.counts.items[k] = doc
	s.counts.mu.Unlock()
	return doc, doc != nil, nil
}

// keyed is a query that a Tally may count.
type keyed interface{ Key() (string, bool) }

// withTotal completes a page's total, in order of cost: the page itself
// when it is the first and the last, the
// metadata's counts for a query without filters, the counts item of a
// single filter value, and last the total the cursor carries.
func withTotal[T any](ctx context.Context, s *Store, m *releaseMeta, kind, singular string, q keyed, st store.Status, req store.PageRequest) func(store.Page[T], error) (store.Page[T], error) {
	carried := req.Total
	// The count of a single filter value is read while the page is: Go
	// evaluates withTotal(...) before its argument, query(...), so the two
	// reads make one round trip.
	type tallied struct {
		doc   *tallyDoc
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
		case ok && pending != nil:
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
// filter or one filter value, else one bounded Query.
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
