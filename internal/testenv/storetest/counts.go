package storetest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
)

// countedWalk pages through a list as the API does: the total of the first
// page travels with the position (the API's cursor carries it), and every
// page's total, when the store counted it, must be the number of items
// that following every position collects. must says that every page has
// to be counted (a query that the release's counts cover).
func countedWalk[T any](t *testing.T, name string, limit int, must bool, list func(store.PageRequest) (store.Page[T], error)) {
	t.Helper()
	req := store.PageRequest{Limit: limit}
	var totals []int
	n := 0
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatalf("%s: paging does not end", name)
		}
		p, err := list(req)
		if err != nil {
			t.Fatalf("%s: page %d: %v", name, pages, err)
		}
		n += len(p.Items)
		switch {
		case p.Counted:
			totals = append(totals, p.Total)
		case must:
			t.Errorf("%s, limit %d: page %d has no total", name, limit, pages)
		}
		if pages == 0 && p.Counted {
			total := p.Total
			req.Total = &total
		}
		if p.Next == nil {
			break
		}
		req.After = p.Next
	}
	for i, total := range totals {
		if total != n {
			t.Errorf("%s, limit %d: a page's total is %d (totals %v, page %d), following every position collects %d", name, limit, total, totals, i, n)
			break
		}
	}
}

// filterValues lists every (dimension, value) that a kind's records have,
// as Tally keys them.
func filterValues[T any](records []T, values func(*T, func(dim, value string))) [][2]string {
	seen := map[[2]string]bool{}
	for i := range records {
		values(&records[i], func(dim, value string) { seen[[2]string{dim, value}] = true })
	}
	out := slices.Collect(maps.Keys(seen))
	slices.SortFunc(out, func(a, b [2]string) int {
		if a[0] != b[0] {
			return cmpString(a[0], b[0])
		}
		return cmpString(a[1], b[1])
	})
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// testTotals checks the total of every list, unfiltered and under every
// single filter value the release's records have (under each status), and
// of a few combinations, against what following every position collects.
func testTotals(ctx context.Context, t *testing.T, s store.Store, rel *dataset.Release, limits ...int) {
	v := rel.Info.Version
	statuses := []store.Status{store.StatusActive, store.StatusWithdrawn, store.StatusAll}
	for _, limit := range limits {
		for _, st := range statuses {
			events := []store.EventQuery{{}, {Descending: true}}
			for _, dv := range filterValues(rel.Events, store.EventValues) {
				q := store.EventQuery{}
				switch dv[0] {
				case store.DimActor:
					q.Actors = []string{dv[1]}
				case store.DimType:
					q.Types = []string{dv[1]}
				case store.DimCountry:
					q.Countries = []string{dv[1]}
				case store.DimTag:
					q.Tags = []string{dv[1]}
				case store.DimConfidence:
					q.Confidences = []string{dv[1]}
				}
				q.Descending = len(events)%3 == 0
				events = append(events, q)
			}
			// Ranges of whole years alone are counted too.
			events = append(events, store.EventQuery{Range: span(t, "2020", "2021")}, store.EventQuery{Range: span(t, "2023", ""), Descending: true},
				store.EventQuery{Range: span(t, "2022", "9999")}, store.EventQuery{Range: span(t, "0001", "2020"), Descending: true})
			for _, q := range events {
				q.Release, q.Status = v, st
				countedWalk(t, fmt.Sprintf("events %+v", q), limit, true, func(r store.PageRequest) (store.Page[dataset.Event], error) {
					q.Page = r
					return s.Events(ctx, q)
				})
			}
			for _, k := range store.ListKinds {
				queries := []store.ListQuery{{}}
				for _, dv := range filterValues(k.All(rel), func(rec *any, add func(dim, value string)) { k.EachValue(*rec, add) }) {
					queries = append(queries, store.ListQuery{Filters: map[string][]string{dv[0]: {dv[1]}}})
				}
				for _, q := range queries {
					q.Release, q.Status = v, st
					countedWalk(t, fmt.Sprintf("%s %+v", k.Plural(), q), limit, true, func(r store.PageRequest) (store.Page[any], error) {
						q.Page = r
						return s.List(ctx, k.Plural(), q)
					})
				}
			}
			budgets := []store.BudgetQuery{{}}
			for _, dv := range filterValues(rel.Budgets, store.BudgetValues) {
				q := store.BudgetQuery{}
				switch dv[0] {
				case store.DimYear:
					y, _ := strconv.Atoi(dv[1])
					q.FiscalYears = []int{y}
				case store.DimAgency:
					q.Agencies = []string{dv[1]}
				case store.DimStage:
					q.Stages = []string{dv[1]}
				case store.DimCategory:
					q.Categories = []string{dv[1]}
				case store.DimProgram:
					q.Programs = []string{dv[1]}
				}
				budgets = append(budgets, q)
			}
			for _, q := range budgets {
				q.Release, q.Status = v, st
				countedWalk(t, fmt.Sprintf("budgets %+v", q), limit, true, func(r store.PageRequest) (store.Page[dataset.BudgetLine], error) {
					q.Page = r
					return s.Budgets(ctx, q)
				})
			}
		}
		// Combinations and text: a store may leave them uncounted, but a
		// total it gives must be right.
		for _, q := range []store.EventQuery{
			{Text: "the"}, {Range: span(t, "2020-10", "2021")}, {Types: []string{"report", "briefing"}},
			{Tags: []string{"core"}, Confidences: []string{"reported"}}, {Range: span(t, "2023", "2023-11"), Descending: true},
			{Range: span(t, "2020", "2023"), Types: []string{"report"}},
		} {
			q.Release = v
			countedWalk(t, fmt.Sprintf("events %+v", q), limit, false, func(r store.PageRequest) (store.Page[dataset.Event], error) {
				q.Page = r
				return s.Events(ctx, q)
			})
		}
		for _, q := range []store.BudgetQuery{{FromYear: 2021, ToYear: 2024}, {ToYear: 2021, Stages: []string{"initial"}}} {
			q.Release = v
			countedWalk(t, fmt.Sprintf("budgets %+v", q), limit, false, func(r store.PageRequest) (store.Page[dataset.BudgetLine], error) {
				q.Page = r
				return s.Budgets(ctx, q)
			})
		}
	}
}

// facetCounts counts events as a reader of the full list would: by year of
// occurred, and by each value of each dimension, once per event.
func facetCounts(events []dataset.Event) map[string]map[string]int {
	out := map[string]map[string]int{}
	add := func(dim, value string) {
		if out[dim] == nil {
			out[dim] = map[string]int{}
		}
		out[dim][value]++
	}
	for _, e := range events {
		add("year", e.Occurred[:4])
		seen := map[string]bool{}
		for _, a := range e.Actors {
			if !seen[a.Actor] {
				seen[a.Actor] = true
				add("actor", a.Actor)
			}
		}
		add("type", e.Type)
		for _, c := range e.Countries {
			add("country", c)
		}
		for _, g := range e.Tags {
			add("tag", g)
		}
		add("confidence", e.Confidence)
	}
	return out
}

// bucketCounts turns buckets into a map, checking their order: ascending
// values for years, else descending counts (ties by value).
func bucketCounts(t *testing.T, name string, byValue bool, buckets []store.Bucket) map[string]int {
	t.Helper()
	out := map[string]int{}
	for i, b := range buckets {
		out[b.Value] = b.Count
		if i == 0 {
			continue
		}
		prev := buckets[i-1]
		if byValue && prev.Value >= b.Value || !byValue && (prev.Count < b.Count || prev.Count == b.Count && prev.Value >= b.Value) {
			t.Errorf("%s: buckets out of order: %v then %v", name, prev, b)
		}
	}
	return out
}

// allItems collects every item of a list, page by page.
func allItems[T any](t *testing.T, list func(store.PageRequest) (store.Page[T], error)) []T {
	t.Helper()
	var all []T
	req := store.PageRequest{Limit: store.MaxLimit}
	for {
		p, err := list(req)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Items...)
		if p.Next == nil {
			return all
		}
		req.After = p.Next
	}
}

// testEventFacets compares the facets of each query with counts made from
// the full list of the same query, collected page by page.
func testEventFacets(ctx context.Context, t *testing.T, s store.Store, queries map[string]store.EventQuery) {
	for name, q := range queries {
		all := allItems(t, func(req store.PageRequest) (store.Page[dataset.Event], error) {
			q.Page = req
			return s.Events(ctx, q)
		})
		f, err := s.EventFacets(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !f.Exact {
			t.Errorf("%s: facets not exact", name)
			continue
		}
		if f.Facets.Total != len(all) {
			t.Errorf("%s: total %d, the list has %d", name, f.Facets.Total, len(all))
		}
		want := facetCounts(all)
		for dim, buckets := range map[string][]store.Bucket{
			store.DimYear: f.Facets.Years, store.DimType: f.Facets.Types, store.DimCountry: f.Facets.Countries,
			store.DimActor: f.Facets.Actors, store.DimTag: f.Facets.Tags, store.DimConfidence: f.Facets.Confidences,
		} {
			got := bucketCounts(t, name+" "+dim, dim == store.DimYear, buckets)
			w := want[dim]
			if w == nil {
				w = map[string]int{}
			}
			if !maps.Equal(got, w) {
				t.Errorf("%s: %s facet %v, counted from the list %v", name, dim, got, w)
			}
		}
	}
}

// testBudgetFacets is testEventFacets for budget lines.
func testBudgetFacets(ctx context.Context, t *testing.T, s store.Store, queries map[string]store.BudgetQuery) {
	for name, q := range queries {
		all := allItems(t, func(req store.PageRequest) (store.Page[dataset.BudgetLine], error) {
			q.Page = req
			return s.Budgets(ctx, q)
		})
		f, err := s.BudgetFacets(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !f.Exact || f.Facets.Total != len(all) {
			t.Errorf("%s: exact %v, total %d, the list has %d", name, f.Exact, f.Facets.Total, len(all))
			continue
		}
		want := map[string]map[string]int{"fiscal_year": {}, "agency": {}, "stage": {}, "category": {}}
		for _, b := range all {
			for y := b.FiscalYear; y <= max(b.FiscalYear, b.FiscalYearTo); y++ {
				want["fiscal_year"][strconv.Itoa(y)]++
			}
			want["agency"][b.Agency]++
			want["stage"][b.Stage]++
			want["category"][b.Category]++
		}
		for dim, buckets := range map[string][]store.Bucket{
			"fiscal_year": f.Facets.FiscalYears, "agency": f.Facets.Agencies, "stage": f.Facets.Stages, "category": f.Facets.Categories,
		} {
			if got := bucketCounts(t, name+" "+dim, dim == "fiscal_year", buckets); !maps.Equal(got, want[dim]) {
				t.Errorf("%s: %s facet %v, counted from the list %v", name, dim, got, want[dim])
			}
		}
	}
}
