// Package memory is a Store over releases held in memory, with indexes built
// once per release so that a filtered list reads only the records its
// filters can match.
package memory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/encode"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// Store serves one or more releases from memory. Its releases and indexes
// are immutable after New; the changes between two releases are computed on
// first request and kept. It is safe for concurrent use.
type Store struct {
	byVersion map[string]*index
	versions  []string // newest first
	current   string

	built   func(version, since string) (dataset.Changes, bool)
	mu      sync.Mutex
	changes map[[2]string]*changesOnce // (release, since) → changes
}

// changesOnce computes the changes between two releases once.
type changesOnce struct {
	once sync.Once
	c    dataset.Changes
	err  error
}

var _ store.Store = (*Store)(nil)

// Options configure a Store.
type Options struct {
	// Current names the release served by default; "" means the newest.
	Current string
	// Bundle, when set, builds a release's bundle and describes it; NewWith
	// calls it once per release, so that Release.Bundle describes the bytes
	// a download serves. It is a function rather than a call into the
	// export package, which the store must not depend on.
	Bundle func(*dataset.Release) (store.Bundle, error)
	// Tally, when set, gives the counts of a release as the release build
	// made them (release.Set.Tally); without it they are counted when the
	// store is built, with the same function.
	Tally func(*dataset.Release) *store.Tally
	// Changes, when set, gives the changes of a release since an older one
	// as the release build computed them (release.Set.Changes); without
	// it, or when it has no answer, they are computed on first request.
	Changes func(version, since string) (dataset.Changes, bool)
}

// New indexes the given releases. current names the release served by
// default; "" means the newest.
func New(current string, releases ...*dataset.Release) (*Store, error) {
	return NewWith(Options{Current: current}, releases...)
}

// NewWith indexes the given releases with options.
func NewWith(o Options, releases ...*dataset.Release) (*Store, error) {
	current := o.Current
	if len(releases) == 0 {
		return nil, fmt.Errorf("memory store: no releases")
	}
	s := &Store{byVersion: map[string]*index{}, changes: map[[2]string]*changesOnce{}, built: o.Changes}
	for _, r := range releases {
		v := r.Info.Version
		if _, dup := s.byVersion[v]; dup {
			return nil, fmt.Errorf("memory store: release %s given twice", v)
		}
		tally := store.TallyOf
		if o.Tally != nil {
			tally = o.Tally
		}
		s.byVersion[v] = build(r, tally(r))
		s.versions = append(s.versions, v)
	}
	if o.Bundle != nil {
		if err := s.describeBundles(o.Bundle); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(s.versions, func(a, b string) int { return dataset.CompareVersions(b, a) })
	if current == "" {
		current = s.versions[0]
	}
	if _, ok := s.byVersion[current]; !ok {
		return nil, fmt.Errorf("memory store: current release %s is not among the releases", current)
	}
	s.current = current
	for _, v := range s.versions {
		s.byVersion[v].info.Current = v == current
	}
	return s, nil
}

func (s *Store) release(version string) (*index, error) {
	if version == "" {
		version = s.current
	}
	ix, ok := s.byVersion[version]
	if !ok {
		return nil, fmt.Errorf("release %q: %w", version, store.ErrUnknownRelease)
	}
	return ix, nil
}

// Releases lists the releases, newest first.
func (s *Store) Releases(context.Context) ([]store.Release, error) {
	out := make([]store.Release, len(s.versions))
	for i, v := range s.versions {
		out[i] = s.byVersion[v].info
	}
	return out, nil
}

// Release describes one release.
func (s *Store) Release(_ context.Context, version string) (store.Release, error) {
	ix, err := s.release(version)
	if err != nil {
		return store.Release{}, err
	}
	return ix.info, nil
}

// describeBundles builds the bundle of every release, concurrently (each
// takes a fraction of a second), and keeps its description.
func (s *Store) describeBundles(bundle func(*dataset.Release) (store.Bundle, error)) error {
	errs := make([]error, len(s.versions))
	var wg sync.WaitGroup
	for i, v := range s.versions {
		ix := s.byVersion[v]
		wg.Go(func() {
			b, err := bundle(ix.rel)
			if err != nil {
				errs[i] = fmt.Errorf("memory store: the bundle of release %s: %w", v, err)
				return
			}
			ix.info.Bundle = &b
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Changes lists what changed in a release since an older one, computed
// with dataset.Diff on first request and kept.
func (s *Store) Changes(_ context.Context, version, since string) (dataset.Changes, store.Release, error) {
	ix, err := s.release(version)
	if err != nil {
		return dataset.Changes{}, store.Release{}, err
	}
	rel := ix.info
	if err := store.CheckSince(rel.Version, since); err != nil {
		return dataset.Changes{}, rel, err
	}
	old, ok := s.byVersion[since]
	if !ok {
		return dataset.Changes{}, rel, fmt.Errorf("release %q: %w", since, store.ErrUnknownSince)
	}
	if s.built != nil {
		if c, ok := s.built(rel.Version, since); ok {
			return c, rel, nil
		}
	}
	k := [2]string{rel.Version, since}
	s.mu.Lock()
	c := s.changes[k]
	if c == nil {
		c = &changesOnce{}
		s.changes[k] = c
	}
	s.mu.Unlock()
	c.once.Do(func() { c.c, c.err = dataset.Diff(old.rel, ix.rel) })
	return c.c, rel, c.err
}

// index is everything computed once per release.
type index struct {
	rel  *dataset.Release
	info store.Release

	events  sorted[dataset.Event]
	spans   []spanClass // events by how many days they cover, for date ranges
	budgets sorted[dataset.BudgetLine]
	summary []store.BudgetTotal
	tally   *store.Tally // totals and facets of single filters, counted once
	// lists are the kinds listed in id order (store.ListKinds), by name.
	lists map[string]*listed
}

// listed is the index of a kind listed in id order: its records, held as
// any, in id order.
type listed struct {
	kind store.ListKind
	sorted[any]
}

// newListed indexes the records of a kind listed in id order.
func newListed(k store.ListKind, r *dataset.Release) *listed {
	l := &listed{kind: k, sorted: newSorted(k.All(r), k.CSV(r.Info.Version),
		func(rec *any) store.Position { return store.Position{ID: k.RecordID(*rec)} },
		func(rec *any) string { return k.SearchText(*rec) })}
	postingsOf(&l.sorted, func(rec *any, add func(dim, value string)) {
		k.EachValue(*rec, add)
		withdrawn(add, k.Lifecycle(*rec))
	})
	return l
}

// sorted is one kind of record in list order, with what queries need.
type sorted[T any] struct {
	items []T
	docs  []store.Doc  // items as the API sends them, encoded once
	laid  *encode.Laid // docs laid end to end, for pages of consecutive records
	keys  []store.Position
	text  []string // folded search text, for kinds that support q
	byID  map[string]int
	post  postings // the filters that an index serves
}

// postingsOf indexes the records' filter values: post calls add(dim, value)
// for every value a record has in a dimension.
func postingsOf[T any](s *sorted[T], post func(r *T, add func(dim, value string))) {
	s.post = postings{}
	for i := range s.items {
		post(&s.items[i], func(dim, value string) { s.post.add(dim, value, i) })
	}
}

// filtersOf are the indexed filters of a query in the dimensions.
func filtersOf[T, Q any](dims []store.Dim[T, Q], q *Q) []filter {
	out := make([]filter, 0, len(dims)+1)
	for i := range dims {
		out = append(out, filter{dims[i].Name, dims[i].Wanted(q)})
	}
	return out
}

// withdrawn indexes the lifecycle, so that a list of tombstones reads only
// tombstones.
func withdrawn(add func(dim, value string), l dataset.Lifecycle) {
	if l.Withdrawn() {
		add("status", dataset.StatusWithdrawn)
	}
}

// statusFilter is the indexed part of a status filter: only withdrawn
// records are indexed (active ones are nearly all of them).
func statusFilter(st store.Status) filter {
	if st == store.StatusWithdrawn {
		return filter{"status", []string{dataset.StatusWithdrawn}}
	}
	return filter{}
}

func newSorted[T any](items []T, table export.Table[T], key func(*T) store.Position, text func(*T) string) sorted[T] {
	s := sorted[T]{items: slices.Clone(items), byID: make(map[string]int, len(items))}
	keys := make([]store.Position, len(s.items))
	for i := range s.items {
		keys[i] = key(&s.items[i])
	}
	order := make([]int, len(s.items))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return store.Less(keys[order[a]], keys[order[b]]) })
	items2 := make([]T, len(order))
	s.keys = make([]store.Position, len(order))
	for i, o := range order {
		items2[i], s.keys[i] = s.items[o], keys[o]
	}
	s.items = items2
	laid, err := encode.Records(s.items, table)
	if err != nil {
		// Records loaded from YAML always encode: only a type that
		// json.Marshal rejects could fail, which a test would find first.
		panic(err)
	}
	s.docs, s.laid = laid.Docs, laid
	for i := range s.items {
		s.byID[s.keys[i].ID] = i
		if text != nil {
			s.text = append(s.text, text(&s.items[i]))
		}
	}
	return s
}

func build(r *dataset.Release, tally *store.Tally) *index {
	actorsByID := make(map[string]*dataset.Actor, len(r.Actors))
	for i := range r.Actors {
		actorsByID[r.Actors[i].ID] = &r.Actors[i]
	}
	ix := &index{
		rel:  r,
		info: store.Release{ReleaseInfo: r.Info, Counts: dataset.Counts(r), Checksums: r.Checksums},
		events: newSorted(r.Events, export.Events,
			func(e *dataset.Event) store.Position { return store.Position{Key: store.EventKey(e), ID: e.ID} },
			func(e *dataset.Event) string { return store.EventText(e, actorsByID) }),
		budgets: newSorted(r.Budgets, export.Budgets,
			func(b *dataset.BudgetLine) store.Position { return store.Position{Key: store.BudgetKey(b), ID: b.ID} },
			nil),
		summary: summarize(r.Budgets),
		tally:   tally,
		lists:   make(map[string]*listed, len(store.ListKinds)),
	}
	for _, k := range store.ListKinds {
		ix.lists[k.Plural()] = newListed(k, r)
	}
	postingsOf(&ix.events, func(e *dataset.Event, add func(dim, value string)) {
		store.EachValue(store.EventDims, e, add)
		withdrawn(add, e.Lifecycle)
	})
	ix.spans = spanClasses(ix.events.items)
	postingsOf(&ix.budgets, func(b *dataset.BudgetLine, add func(dim, value string)) {
		store.EachValue(store.BudgetDims, b, add)
		if b.FiscalYearTo != 0 {
			add("spans", "years")
		}
		withdrawn(add, b.Lifecycle)
	})
	return ix
}

// page collects up to req.Limit matching items after req.After, walking
// the positions below hi that set holds (all of them when set is nil) in the
// requested direction. It stops at the first match past a full page, so its
// cost is that of the page and of the candidates it skips, not of the list.
func page[T any](s *sorted[T], set posSet, hi int, desc bool, req store.PageRequest, match func(i int) bool) (store.Page[T], *store.Position) {
	if set == nil {
		set = allSet{}
	}
	limit := req.Limit
	if limit < 1 {
		limit = store.DefaultLimit
	}
	// p is the first position the walk may take.
	p := 0
	if desc {
		p = hi - 1
	}
	if req.After != nil {
		after := *req.After
		if !desc {
			p = sort.Search(hi, func(i int) bool { return store.Less(after, s.keys[i]) })
		} else {
			// Walking backwards: the last position strictly before after.
			p = sort.Search(hi, func(i int) bool { return !store.Less(s.keys[i], after) }) - 1
		}
	}
	var out store.Page[T]
	if n := min(limit, hi); n > 0 && !req.DocsOnly {
		out.Items = make([]T, 0, n)
	}
	// A page of consecutive positions walked in ascending order (an
	// unfiltered list, the common case) is a slice of the release's own
	// Docs, which are never modified: nothing is copied. Any other page
	// gets a slice of its own, from the first gap on.
	first, last, n := 0, 0, 0
	shared := !desc
	if !shared && hi > 0 {
		out.Docs = make([]store.Doc, 0, min(limit, hi))
	}
	for {
		var i int
		if !desc {
			if i = set.ge(p); i >= hi {
				break
			}
			p = i + 1
		} else {
			if i = set.le(p); i < 0 {
				break
			}
			p = i - 1
		}
		if !match(i) {
			continue
		}
		if n == limit {
			// The position of the next page is the release's own, which
			// is never modified (nor is it through Next): no copy.
			return pageDocs(out, s.laid, shared, first, n), &s.keys[last]
		}
		if !req.DocsOnly {
			out.Items = append(out.Items, s.items[i])
		}
		switch {
		case n == 0:
			first = i
		case shared && i != last+1:
			shared = false
			out.Docs = make([]store.Doc, 0, min(limit, hi))
			out.Docs = append(out.Docs, s.docs[first:last+1]...)
		}
		if !shared {
			out.Docs = append(out.Docs, s.docs[i])
		}
		n++
		last = i
	}
	return pageDocs(out, s.laid, shared, first, n), nil
}

// pageDocs gives a page of n records its Docs: when shared, the release's
// Docs from first on, capped so that an append cannot write into them, and
// their run.
func pageDocs[T any](p store.Page[T], laid *encode.Laid, shared bool, first, n int) store.Page[T] {
	if shared && n > 0 {
		p.Docs = laid.Docs[first : first+n : first+n]
		p.Run = laid.Run(first, n)
	}
	return p
}

// summarize computes a release's budget summary, each row encoded as the
// API sends it.
func summarize(lines []dataset.BudgetLine) []store.BudgetTotal {
	rows := store.Summarize(lines)
	if err := encode.Summary(rows); err != nil {
		panic(err) // as for records: only a type json.Marshal rejects could fail
	}
	return rows
}

// allSet holds every position.
type allSet struct{}

func (allSet) ge(p int) int { return max(p, 0) }
func (allSet) le(p int) int { return max(p, -1) }

// fromSet holds every position from lo on.
type fromSet struct{ lo int }

func (f fromSet) ge(p int) int { return max(p, f.lo) }
func (f fromSet) le(p int) int {
	if p < f.lo {
		return -1
	}
	return p
}

// Events lists events in date order.
func (s *Store) Events(_ context.Context, q store.EventQuery) (store.Page[dataset.Event], error) {
	ix, err := s.release(q.Release)
	if err != nil {
		return store.Page[dataset.Event]{}, err
	}
	if err := store.CheckPosition(q.Page.After, store.EventKeyed); err != nil {
		return store.Page[dataset.Event]{}, err
	}
	set, hi := ix.eventCandidates(&q)
	matcher := store.EventMatcher(&q)
	match := func(i int) bool { return matcher(&ix.events.items[i], ix.events.text[i]) }
	p, next := page(&ix.events, set, hi, q.Descending, q.Page, match)
	p.Next, p.Release = next, ix.info
	total(&p, ix.tally, store.KindEvents, q.Status, &q, set, hi, match)
	return p, nil
}

// eventCandidates narrows an event query to the positions below hi that
// set holds (nil: all of them), from the postings and the date order.
func (ix *index) eventCandidates(q *store.EventQuery) (posSet, int) {
	hi := len(ix.events.items)
	var extra []posSet
	if q.Range != nil {
		// Events are sorted by their first day: none after this bound can
		// overlap the range.
		end := q.Range.End.Format("2006-01-02")
		hi = sort.Search(hi, func(i int) bool { return ix.events.keys[i].Key > end })
		// Nor can one that ends before it starts (see spanClass).
		extra = append(extra, ix.overlapping(q.Range.Start))
	}
	set, _ := ix.events.post.set(append(filtersOf(store.EventDims, q), statusFilter(q.Status)), extra...)
	return set, hi
}

// count counts the candidates that match: the total of a query that no
// count made with the release covers. Its cost is that of the candidates
// the indexes leave, as walking every page would be.
func count(set posSet, hi int, match func(i int) bool) int {
	if set == nil {
		set = allSet{}
	}
	n := 0
	for i := set.ge(0); i < hi; i = set.ge(i + 1) {
		if match(i) {
			n++
		}
	}
	return n
}

// EventFacets breaks down the events a query selects: from the release's
// counts for no filter or one filter value, else by walking the
// candidates.
func (s *Store) EventFacets(_ context.Context, q store.EventQuery) (store.Facets[store.EventFacets], error) {
	ix, err := s.release(q.Release)
	if err != nil {
		return store.Facets[store.EventFacets]{}, err
	}
	out := store.Facets[store.EventFacets]{Exact: true, Release: ix.info}
	if key, ok := q.Key(); ok && (q.Status == store.StatusActive || q.Status == "") {
		if f := ix.tally.Events[key]; f != nil {
			out.Facets = *f
		} else {
			out.Facets = (&store.EventCounter{}).Facets()
		}
		return out, nil
	}
	set, hi := ix.eventCandidates(&q)
	var c store.EventCounter
	if set == nil {
		set = allSet{}
	}
	matcher := store.EventMatcher(&q)
	for i := set.ge(0); i < hi; i = set.ge(i + 1) {
		if matcher(&ix.events.items[i], ix.events.text[i]) {
			c.Add(&ix.events.items[i])
		}
	}
	out.Facets = c.Facets()
	return out, nil
}

// get looks a record up by id.
func get[T any](s *Store, version, id string, pick func(*index) *sorted[T]) (T, store.Release, error) {
	var zero T
	ix, err := s.release(version)
	if err != nil {
		return zero, store.Release{}, err
	}
	list := pick(ix)
	i, ok := list.byID[id]
	if !ok {
		return zero, ix.info, store.ErrNotFound
	}
	return list.items[i], ix.info, nil
}

// Record returns the document of one record.
func (s *Store) Record(_ context.Context, kind, release, id string) (store.Doc, store.Release, error) {
	ix, err := s.release(release)
	if err != nil {
		return store.Doc{}, store.Release{}, err
	}
	var i int
	var ok bool
	var docs []store.Doc
	if l := ix.lists[kind]; l != nil {
		i, ok = l.byID[id]
		docs = l.docs
	} else if kind == store.KindEvents {
		i, ok = ix.events.byID[id]
		docs = ix.events.docs
	} else {
		return store.Doc{}, ix.info, fmt.Errorf("record of kind %q: %w", kind, store.ErrNotFound)
	}
	if !ok {
		return store.Doc{}, ix.info, store.ErrNotFound
	}
	return docs[i], ix.info, nil
}

// Event returns one event.
func (s *Store) Event(_ context.Context, release, id string) (dataset.Event, store.Release, error) {
	return get(s, release, id, func(ix *index) *sorted[dataset.Event] { return &ix.events })
}

// List lists the records of a kind listed in id order.
func (s *Store) List(_ context.Context, kind string, q store.ListQuery) (store.Page[any], error) {
	ix, err := s.release(q.Release)
	if err != nil {
		return store.Page[any]{}, err
	}
	l := ix.lists[kind]
	if l == nil {
		return store.Page[any]{}, fmt.Errorf("memory: no list of kind %q", kind)
	}
	if err := l.kind.CheckQuery(&q); err != nil {
		return store.Page[any]{}, err
	}
	if err := store.CheckPosition(q.Page.After, store.IDKeyed); err != nil {
		return store.Page[any]{}, err
	}
	filters := make([]filter, 0, len(q.Filters)+1)
	for dim, values := range q.Filters {
		filters = append(filters, filter{dim, values})
	}
	set, _ := l.post.set(append(filters, statusFilter(q.Status)))
	hi := len(l.items)
	matcher := l.kind.Matcher(&q)
	match := func(i int) bool { return matcher(l.items[i], l.text[i]) }
	p, next := page(&l.sorted, set, hi, false, q.Page, match)
	p.Next, p.Release = next, ix.info
	total(&p, ix.tally, kind, q.Status, &q, set, hi, match)
	return p, nil
}

// Budgets lists budget lines by fiscal year, then id.
func (s *Store) Budgets(_ context.Context, q store.BudgetQuery) (store.Page[dataset.BudgetLine], error) {
	ix, err := s.release(q.Release)
	if err != nil {
		return store.Page[dataset.BudgetLine]{}, err
	}
	if err := store.CheckPosition(q.Page.After, store.BudgetKeyed); err != nil {
		return store.Page[dataset.BudgetLine]{}, err
	}
	set, hi := ix.budgetCandidates(&q)
	matcher := store.BudgetMatcher(&q)
	match := func(i int) bool { return matcher(&ix.budgets.items[i]) }
	p, next := page(&ix.budgets, set, hi, false, q.Page, match)
	p.Next, p.Release = next, ix.info
	total(&p, ix.tally, store.KindBudgets, q.Status, &q, set, hi, match)
	return p, nil
}

// budgetCandidates is eventCandidates for budget lines.
func (ix *index) budgetCandidates(q *store.BudgetQuery) (posSet, int) {
	hi := len(ix.budgets.items)
	if q.ToYear != 0 {
		bound := fmt.Sprintf("%04d", q.ToYear)
		hi = sort.Search(hi, func(i int) bool { return ix.budgets.keys[i].Key > bound })
	}
	var extra []posSet
	if q.FromYear != 0 {
		// Lines are sorted by their first fiscal year: one that starts
		// before from_year matches only if it spans several years (a plan).
		bound := fmt.Sprintf("%04d", q.FromYear)
		lo := sort.Search(hi, func(i int) bool { return ix.budgets.keys[i].Key >= bound })
		from := unionSet{fromSet{lo}}
		if plans := ix.budgets.post["spans"]["years"]; len(plans) > 0 {
			from = append(from, newListSet(plans))
		}
		extra = append(extra, from)
	}
	set, _ := ix.budgets.post.set(append(filtersOf(store.BudgetDims, q), statusFilter(q.Status)), extra...)
	return set, hi
}

// BudgetFacets is EventFacets for budget lines.
func (s *Store) BudgetFacets(_ context.Context, q store.BudgetQuery) (store.Facets[store.BudgetFacets], error) {
	ix, err := s.release(q.Release)
	if err != nil {
		return store.Facets[store.BudgetFacets]{}, err
	}
	out := store.Facets[store.BudgetFacets]{Exact: true, Release: ix.info}
	if key, ok := q.Key(); ok && (q.Status == store.StatusActive || q.Status == "") {
		if f := ix.tally.Budgets[key]; f != nil {
			out.Facets = *f
		} else {
			out.Facets = (&store.BudgetCounter{}).Facets()
		}
		return out, nil
	}
	set, hi := ix.budgetCandidates(&q)
	var c store.BudgetCounter
	if set == nil {
		set = allSet{}
	}
	matcher := store.BudgetMatcher(&q)
	for i := set.ge(0); i < hi; i = set.ge(i + 1) {
		if matcher(&ix.budgets.items[i]) {
			c.Add(&ix.budgets.items[i])
		}
	}
	out.Facets = c.Facets()
	return out, nil
}

// keyed is a query that a Tally may count.
type keyed interface{ Key() (string, bool) }

// total sets the total of a page: from the release's counts when they
// cover the query, else by counting the candidates.
func total[T any](p *store.Page[T], tally *store.Tally, kind string, st store.Status, q keyed, set posSet, hi int, match func(int) bool) {
	if key, ok := q.Key(); ok {
		p.SetTotal(tally.Total(kind, key).For(st))
		return
	}
	p.SetTotal(count(set, hi, match))
}

// BudgetSummary returns the rows of the precomputed summary that q selects.
func (s *Store) BudgetSummary(_ context.Context, q store.SummaryQuery) ([]store.BudgetTotal, store.Release, error) {
	ix, err := s.release(q.Release)
	if err != nil {
		return nil, store.Release{}, err
	}
	n := 0
	for i := range ix.summary {
		if store.MatchTotal(&ix.summary[i], &q) {
			n++
		}
	}
	if n == len(ix.summary) {
		// Every row (no filter, the common case): the release's own rows,
		// which are never modified, capped so that an append copies them.
		return ix.summary[:n:n], ix.info, nil
	}
	out := make([]store.BudgetTotal, 0, n)
	for i := range ix.summary {
		if store.MatchTotal(&ix.summary[i], &q) {
			out = append(out, ix.summary[i])
		}
	}
	return out, ix.info, nil
}
