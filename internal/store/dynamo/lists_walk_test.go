package dynamo_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/synth"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
)

// walk pages through a list to its end and returns the ids in order, and
// the number of pages.
func walk[T any](t *testing.T, name string, list func(after *store.Position) (store.Page[T], error), id func(*T) string) []string {
	t.Helper()
	var out []string
	var after *store.Position
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatalf("%s: more than 1000 pages", name)
		}
		p, err := list(after)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := range p.Items {
			out = append(out, id(&p.Items[i]))
		}
		if p.Next == nil {
			return out
		}
		after = p.Next
	}
}

// The lists of a synthetic release, read from its index, withdrawn and
// ongoing partitions, list the same records in the same order as the memory
// store, for random filters, ranges, orders, statuses and page sizes,
// walked to the end through their cursors.
func TestListsAgreeWithMemoryStore(t *testing.T) {
	rel, err := synth.Release(synth.Options{Events: 400, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	// More tombstones than synth makes, so that every family has some.
	for i := 0; i+1 < len(rel.Events); i += 9 {
		e := &rel.Events[i]
		e.Status, e.SupersededBy, e.WithdrawnReason = dataset.StatusWithdrawn, rel.Events[i+1].ID, "A duplicate."
	}
	for i := 0; i+1 < len(rel.Budgets); i += 7 {
		b := &rel.Budgets[i]
		b.Status, b.SupersededBy, b.WithdrawnReason = dataset.StatusWithdrawn, rel.Budgets[i+1].ID, "A duplicate."
	}
	mem, err := memory.New("", rel)
	if err != nil {
		t.Fatal(err)
	}
	c, table, _ := dynamotest.Loaded(t, "", rel)
	dyn := dynamo.New(c, table)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(all []string, most int) []string {
		var out []string
		for range r.IntN(most + 1) {
			out = append(out, all[r.IntN(len(all))])
		}
		return out
	}
	actors := []string{"a-000000", "a-000001", "a-000002", "a-000007", "a-000031"}
	types := []string{"statement", "report", "leak", "intrusion", "briefing"}
	countries := []string{"JP", "US", "CN", "KR"}
	var tags []string
	for _, e := range rel.Events[:40] {
		tags = append(tags, e.Tags...)
	}
	statuses := []store.Status{store.StatusActive, store.StatusWithdrawn, store.StatusAll}
	for i := range 150 {
		q := store.EventQuery{
			Actors: pick(actors, 2), Types: pick(types, 2), Countries: pick(countries, 2), Tags: pick(tags, 1),
			Status: statuses[r.IntN(3)], Descending: r.IntN(2) == 0,
		}
		if r.IntN(3) == 0 {
			q.Confidences = []string{"reported"}
		}
		if r.IntN(2) == 0 {
			from := fmt.Sprintf("%04d", 1996+r.IntN(28))
			if r.IntN(2) == 0 {
				from += fmt.Sprintf("-%02d", 1+r.IntN(12))
			}
			to := fmt.Sprintf("%04d", 2000+r.IntN(26))
			if sp, err := dataset.SpanOf(from, to); err == nil && !sp.End.Before(sp.Start) {
				q.Range = &sp
			}
		}
		limit := 1 + r.IntN(12)
		name := fmt.Sprintf("events %d %+v", i, q)
		list := func(s store.Store) func(*store.Position) (store.Page[dataset.Event], error) {
			return func(after *store.Position) (store.Page[dataset.Event], error) {
				qq := q
				qq.Page = store.PageRequest{Limit: limit, After: after}
				return s.Events(ctx, qq)
			}
		}
		id := func(e *dataset.Event) string { return e.ID }
		if got, want := walk(t, name, list(dyn), id), walk(t, name, list(mem), id); !slices.Equal(got, want) {
			t.Errorf("%s:\nDynamoDB %v\nmemory   %v", name, got, want)
		}
	}
	agencies := []string{"a-000000", "a-000001", "a-000003"}
	stages := []string{"request", "initial", "plan"}
	for i := range 80 {
		q := store.BudgetQuery{Agencies: pick(agencies, 2), Stages: pick(stages, 1), Status: statuses[r.IntN(3)]}
		switch r.IntN(4) {
		case 0:
			q.FiscalYears = []int{1995 + r.IntN(36), 1995 + r.IntN(36)}
		case 1:
			q.FromYear = 1995 + r.IntN(36)
		case 2:
			q.FromYear, q.ToYear = 2000+r.IntN(10), 2008+r.IntN(20)
		}
		if r.IntN(3) == 0 {
			q.Categories = []string{"cyber-total"}
		}
		limit := 1 + r.IntN(12)
		name := fmt.Sprintf("budgets %d %+v", i, q)
		list := func(s store.Store) func(*store.Position) (store.Page[dataset.BudgetLine], error) {
			return func(after *store.Position) (store.Page[dataset.BudgetLine], error) {
				qq := q
				qq.Page = store.PageRequest{Limit: limit, After: after}
				return s.Budgets(ctx, qq)
			}
		}
		id := func(b *dataset.BudgetLine) string { return b.ID }
		if got, want := walk(t, name, list(dyn), id), walk(t, name, list(mem), id); !slices.Equal(got, want) {
			t.Errorf("%s:\nDynamoDB %v\nmemory   %v", name, got, want)
		}
	}
	kinds := []string{"person", "government-agency", "company"}
	for i := range 30 {
		q := store.ListQuery{Filters: map[string][]string{store.DimKind: pick(kinds, 2), store.DimCountry: pick(countries, 2)}, Status: statuses[r.IntN(3)]}
		limit := 1 + r.IntN(12)
		name := fmt.Sprintf("actors %d %+v", i, q)
		list := func(s store.Store) func(*store.Position) (store.Page[dataset.Actor], error) {
			return func(after *store.Position) (store.Page[dataset.Actor], error) {
				qq := q
				qq.Page = store.PageRequest{Limit: limit, After: after}
				return store.List(ctx, s, store.ActorKind, qq)
			}
		}
		id := func(a *dataset.Actor) string { return a.ID }
		if got, want := walk(t, name, list(dyn), id), walk(t, name, list(mem), id); !slices.Equal(got, want) {
			t.Errorf("%s:\nDynamoDB %v\nmemory   %v", name, got, want)
		}
	}
}
