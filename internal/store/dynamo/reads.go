package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/encode"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// get reads one record by id with one GetItem.
func get[T any](ctx context.Context, s *Store, version, kind, id string) (T, store.Release, error) {
	m, err := s.meta(ctx, version)
	if err != nil {
		var zero T
		return zero, store.Release{}, err
	}
	rel := m.info(false)
	pk := RecordPK(m.Version, kind)
	var zero T
	out, err := s.c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: Key(pk, id)})
	if err != nil {
		return zero, rel, fmt.Errorf("reading %s/%s: %w", pk, id, err)
	}
	if out.Item == nil {
		return zero, rel, store.ErrNotFound
	}
	rec, _, err := decodeRecord[T](out.Item)
	if err != nil {
		return zero, rel, fmt.Errorf("decoding %s/%s: %w", pk, id, err)
	}
	return rec, rel, nil
}

// getItem reads the document of one item of a release.
func getItem[T any](ctx context.Context, s *Store, m *ReleaseMeta, pk, sk string) (T, store.Release, error) {
	var zero T
	rel := m.info(false)
	out, err := s.c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: Key(pk, sk)})
	if err != nil {
		return zero, rel, fmt.Errorf("reading %s/%s: %w", pk, sk, err)
	}
	if out.Item == nil {
		return zero, rel, store.ErrNotFound
	}
	var ri RecordItem[T]
	if err := Unmarshal(out.Item, &ri); err != nil {
		return zero, rel, fmt.Errorf("decoding %s/%s: %w", pk, sk, err)
	}
	return ri.Doc, rel, nil
}

// Events lists events in date order from the partitions that the query's
// filters narrow it to (see EventListing).
func (s *Store) Events(ctx context.Context, q store.EventQuery) (store.Page[dataset.Event], error) {
	m, err := s.meta(ctx, q.Release)
	if err != nil {
		return store.Page[dataset.Event]{}, err
	}
	p := page[dataset.Event]{
		pks: EventListing.plan(m.Version, q.Status, store.WantedBy(store.EventDims, &q)), kind: kindEvent, status: q.Status, desc: q.Descending,
		scan: q.Text != "", hasText: q.Text != "",
		req: q.Page, shape: store.EventKeyed, table: export.Events,
		text:     func(e *dataset.Event, extra string) string { return eventText(e, extra) },
		match:    store.EventMatcher(&q),
		position: func(e *dataset.Event) store.Position { return store.Position{Key: store.EventKey(e), ID: e.ID} },
	}
	if q.Range != nil {
		// An event that starts after the range cannot overlap it; one that
		// starts before the range's year overlaps it only if it runs into
		// that year, which puts it in the year's ongoing partitions.
		p.hi = q.Range.End.Format("2006-01-02") + keySep + sortKeyMax
		p.carry = q.Range.Start.Year()
		p.lo = fmt.Sprintf("%04d-01-01", p.carry)
	}
	return withTotal[dataset.Event](ctx, s, m, store.KindEvents, kindEvent, &q, q.Status, q.Page)(query(ctx, s, m, p))
}

// eventText rebuilds an event's folded search text (store.EventText) from
// the event and the part its item keeps beside it.
func eventText(e *dataset.Event, actors string) string { return store.EventOwnText(e) + actors }

// recordKind is the key kind of the records of a kind that store.Record
// reads: events, and the kinds listed in id order.
func recordKind(kind string) (string, bool) {
	if kind == store.KindEvents {
		return kindEvent, true
	}
	if k := store.ListKindNamed(kind); k != nil {
		return k.ShortName(), true
	}
	return "", false
}

// Record returns the document of one record: the JSON its item holds, as
// the loader encoded it, with the offsets of its members. It is not decoded.
func (s *Store) Record(ctx context.Context, kind, release, id string) (store.Doc, store.Release, error) {
	k, ok := recordKind(kind)
	if !ok {
		return store.Doc{}, store.Release{}, fmt.Errorf("record of kind %q: %w", kind, store.ErrNotFound)
	}
	m, err := s.meta(ctx, release)
	if err != nil {
		return store.Doc{}, store.Release{}, err
	}
	rel := m.info(false)
	pk := RecordPK(m.Version, k)
	out, err := s.c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: Key(pk, id)})
	if err != nil {
		return store.Doc{}, rel, fmt.Errorf("reading %s/%s: %w", pk, id, err)
	}
	if out.Item == nil {
		return store.Doc{}, rel, store.ErrNotFound
	}
	var di docItem
	if err := Unmarshal(out.Item, &di); err != nil {
		return store.Doc{}, rel, fmt.Errorf("decoding %s/%s: %w", pk, id, err)
	}
	members, err := encode.MemberEnds(di.JSON)
	if err != nil {
		return store.Doc{}, rel, fmt.Errorf("decoding %s/%s: %w", pk, id, err)
	}
	return store.Doc{JSON: di.JSON, Members: members}, rel, nil
}

// Event returns one event.
func (s *Store) Event(ctx context.Context, release, id string) (dataset.Event, store.Release, error) {
	return get[dataset.Event](ctx, s, release, kindEvent, id)
}

// List lists the records of a kind listed in id order, from the partitions
// its filters narrow it to.
func (s *Store) List(ctx context.Context, kind string, q store.ListQuery) (store.Page[any], error) {
	k := store.ListKindNamed(kind)
	if k == nil {
		return store.Page[any]{}, fmt.Errorf("dynamo: no list of kind %q", kind)
	}
	if err := k.CheckQuery(&q); err != nil {
		return store.Page[any]{}, err
	}
	m, err := s.meta(ctx, q.Release)
	if err != nil {
		return store.Page[any]{}, err
	}
	matcher := k.Matcher(&q)
	return withTotal[any](ctx, s, m, kind, k.ShortName(), &q, q.Status, q.Page)(query(ctx, s, m, page[any]{
		pks:  ListingOf(k).plan(m.Version, q.Status, q.Filters),
		kind: k.ShortName(), status: q.Status,
		table: k.CSV(m.Version), req: q.Page, shape: store.IDKeyed, scan: q.Text != "", hasText: q.Text != "",
		text:     func(r *any, _ string) string { return k.SearchText(*r) },
		match:    func(r *any, text string) bool { return matcher(*r, text) },
		position: func(r *any) store.Position { return store.Position{ID: k.RecordID(*r)} },
		decode:   k.Decode,
	}))
}

// Budgets lists budget lines by fiscal year, then id.
func (s *Store) Budgets(ctx context.Context, q store.BudgetQuery) (store.Page[dataset.BudgetLine], error) {
	m, err := s.meta(ctx, q.Release)
	if err != nil {
		return store.Page[dataset.BudgetLine]{}, err
	}
	matcher := store.BudgetMatcher(&q)
	p := page[dataset.BudgetLine]{
		pks:  BudgetListing.plan(m.Version, q.Status, store.WantedBy(store.BudgetDims, &q)),
		kind: kindBudget, status: q.Status,
		table: export.Budgets, req: q.Page, shape: store.BudgetKeyed,
		match:    func(b *dataset.BudgetLine, _ string) bool { return matcher(b) },
		position: func(b *dataset.BudgetLine) store.Position { return store.Position{Key: store.BudgetKey(b), ID: b.ID} },
	}
	// Lines are ordered by their first fiscal year: a line that starts
	// after the last year asked for cannot match, and one that starts
	// before the first year matches only if it runs into that year (a
	// plan), which puts it in the year's ongoing partitions.
	first, last := q.FromYear, q.ToYear
	if len(q.FiscalYears) > 0 {
		first = max(first, slices.Min(q.FiscalYears))
		if last == 0 {
			last = slices.Max(q.FiscalYears)
		} else {
			last = min(last, slices.Max(q.FiscalYears))
		}
	}
	if last != 0 {
		p.hi = fmt.Sprintf("%04d", last) + keySep + sortKeyMax
	}
	if first > 0 {
		p.carry, p.lo = first, fmt.Sprintf("%04d", first)
	}
	return withTotal[dataset.BudgetLine](ctx, s, m, store.KindBudgets, kindBudget, &q, q.Status, q.Page)(query(ctx, s, m, p))
}

// BudgetSummary reads the summary computed and encoded when the release was
// loaded: one Query of its partition, which holds the rows in one or more
// chunks (ChunkKey). Only a summary larger than a Query page (1 MB) takes more
// than one round trip.
func (s *Store) BudgetSummary(ctx context.Context, q store.SummaryQuery) ([]store.BudgetTotal, store.Release, error) {
	m, err := s.meta(ctx, q.Release)
	if err != nil {
		return nil, store.Release{}, err
	}
	rel := m.info(false)
	rows, found, err := ReadChunks[SummaryDoc](ctx, s.c, s.table, SummaryPK(m.Version), false)
	if err != nil {
		return nil, rel, err
	}
	if !found {
		// A loaded release always has its summary; its absence means the
		// release's items are not all there.
		return nil, rel, fmt.Errorf("reading %s: %w", SummaryPK(m.Version), store.ErrNotFound)
	}
	out := []store.BudgetTotal{}
	for i := range rows {
		// The items hold each row's JSON as the loader encoded it: a
		// row is decoded to be selected, and its bytes are sent as read.
		t, err := encode.SummaryRow(rows[i].JSON)
		if err != nil {
			return nil, rel, fmt.Errorf("reading %s: %w", SummaryPK(m.Version), err)
		}
		if store.MatchTotal(&t, &q) {
			out = append(out, t)
		}
	}
	return out, rel, nil
}

// Changes reads the changes of a release since an older one, which the
// loader computed when the later of the two was loaded: one GetItem after
// the release's metadata.
func (s *Store) Changes(ctx context.Context, version, since string) (dataset.Changes, store.Release, error) {
	m, err := s.meta(ctx, version)
	if err != nil {
		return dataset.Changes{}, store.Release{}, err
	}
	if err := store.CheckSince(m.Version, since); err != nil {
		return dataset.Changes{}, m.info(false), err
	}
	c, rel, err := getItem[dataset.Changes](ctx, s, m, ChangesPK(m.Version), since)
	if errors.Is(err, store.ErrNotFound) {
		// The loader writes these items for every pair of complete
		// releases, and removes them with either release: no item means
		// that since is not (or no longer) in the table.
		return c, rel, fmt.Errorf("release %q: %w", since, store.ErrUnknownSince)
	}
	return c, rel, err
}
