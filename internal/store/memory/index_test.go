package memory_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/synth"
)

// TestIndexesAgreeWithScans compares every filtered list of a synthetic
// release with a scan of all its records through the shared store.Match*
// functions, for random combinations of filters, both directions and
// several page sizes: the posting lists, the date-range bounds and the lazy
// walk must select exactly what the definitions of the filters select.
func TestIndexesAgreeWithScans(t *testing.T) {
	ctx := context.Background()
	rel, err := synth.Release(synth.Options{Events: 3000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	st, err := memory.New("", rel)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	some := func(values []string, max int) []string {
		if r.IntN(2) == 0 {
			return nil
		}
		var out []string
		for range 1 + r.IntN(max) {
			out = append(out, values[r.IntN(len(values))])
		}
		return out
	}
	var actors, tags, countries, agencies, programs []string
	for _, a := range rel.Actors {
		actors = append(actors, a.ID)
	}
	for _, e := range rel.Events {
		tags = append(tags, e.Tags...)
		countries = append(countries, e.Countries...)
	}
	for _, b := range rel.Budgets {
		agencies = append(agencies, b.Agency)
		if b.Program != "" {
			programs = append(programs, b.Program)
		}
	}
	actors = append(actors[:40], "nobody")
	types := []string{"intrusion", "briefing", "statement", "report", "leak", "other"}
	statuses := []store.Status{store.StatusActive, store.StatusActive, store.StatusWithdrawn, store.StatusAll}
	actorsByID := map[string]*dataset.Actor{}
	for i := range rel.Actors {
		actorsByID[rel.Actors[i].ID] = &rel.Actors[i]
	}
	texts := make([]string, len(rel.Events))
	for i := range rel.Events {
		texts[i] = store.EventText(&rel.Events[i], actorsByID)
	}
	date := func() string {
		y, m := 1994+r.IntN(34), 1+r.IntN(12)
		switch r.IntN(3) {
		case 0:
			return fmt.Sprint(y)
		case 1:
			return fmt.Sprintf("%d-%02d", y, m)
		default:
			return fmt.Sprintf("%d-%02d-%02d", y, m, 1+r.IntN(28))
		}
	}

	nonEmpty := 0
	for n := range 400 {
		q := store.EventQuery{
			Actors: some(actors, 2), Types: some(types, 2), Countries: some(countries, 2), Tags: some(tags, 2),
			Confidences: some([]string{"confirmed", "reported", "disputed"}, 2), Status: statuses[r.IntN(len(statuses))],
			Descending: r.IntN(2) == 0,
		}
		if r.IntN(2) == 0 {
			from, to := date(), ""
			if r.IntN(2) == 0 {
				to = date()
			}
			if sp, err := dataset.SpanOf(from, to); err == nil && !sp.End.Before(sp.Start) {
				q.Range = &sp
			}
		}
		if n%10 == 0 {
			q.Text = []string{"network", "防衛省", "ministry warns"}[r.IntN(3)]
		}
		var want []string
		var all []int
		for i := range rel.Events {
			if store.MatchEvent(&rel.Events[i], texts[i], &q) {
				all = append(all, i)
			}
		}
		slices.SortStableFunc(all, func(a, b int) int {
			pa := store.Position{Key: store.EventKey(&rel.Events[a]), ID: rel.Events[a].ID}
			pb := store.Position{Key: store.EventKey(&rel.Events[b]), ID: rel.Events[b].ID}
			c := cmp.Compare(pa.Key+"#"+pa.ID, pb.Key+"#"+pb.ID)
			if q.Descending {
				return -c
			}
			return c
		})
		for _, i := range all {
			want = append(want, rel.Events[i].ID)
		}
		limit := []int{1, 9, 50, 500}[n%4]
		got := walk(t, limit, func(req store.PageRequest) ([]string, *store.Position, error) {
			q.Page = req
			p, err := st.Events(ctx, q)
			ids := make([]string, len(p.Items))
			for i := range p.Items {
				ids[i] = p.Items[i].ID
			}
			return ids, p.Next, err
		})
		if !slices.Equal(got, want) {
			t.Fatalf("query %+v (limit %d):\ngot  %d %.200v\nwant %d %.200v", q, limit, len(got), got, len(want), want)
		}
		if len(want) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < 100 {
		t.Errorf("only %d of 400 event queries matched anything: the test checks too little", nonEmpty)
	}

	for n := range 300 {
		q := store.BudgetQuery{
			Agencies: some(agencies, 2), Stages: some([]string{"request", "initial", "plan", "spending"}, 2),
			Categories: some([]string{"cyber-total", "cyber-item", "defense-total"}, 2), Programs: some(programs, 2),
			Status: statuses[r.IntN(len(statuses))],
		}
		if r.IntN(2) == 0 {
			q.FiscalYears = []int{1994 + r.IntN(40)}
		}
		if r.IntN(2) == 0 {
			q.FromYear = 1994 + r.IntN(40)
		}
		if r.IntN(2) == 0 {
			q.ToYear = 1994 + r.IntN(40)
		}
		var all []*dataset.BudgetLine
		for i := range rel.Budgets {
			if store.MatchBudget(&rel.Budgets[i], &q) {
				all = append(all, &rel.Budgets[i])
			}
		}
		slices.SortStableFunc(all, func(a, b *dataset.BudgetLine) int {
			return cmp.Or(cmp.Compare(store.BudgetKey(a), store.BudgetKey(b)), cmp.Compare(a.ID, b.ID))
		})
		var want []string
		for _, b := range all {
			want = append(want, b.ID)
		}
		limit := []int{1, 9, 50}[n%3]
		got := walk(t, limit, func(req store.PageRequest) ([]string, *store.Position, error) {
			q.Page = req
			p, err := st.Budgets(ctx, q)
			ids := make([]string, len(p.Items))
			for i := range p.Items {
				ids[i] = p.Items[i].ID
			}
			return ids, p.Next, err
		})
		if !slices.Equal(got, want) {
			t.Fatalf("query %+v (limit %d):\ngot  %v\nwant %v", q, limit, got, want)
		}
	}

	for n := range 100 {
		q := store.ListQuery{Filters: map[string][]string{
			store.DimKind: some([]string{"person", "state", "government-agency"}, 2), store.DimCountry: some(countries, 2),
		}, Status: statuses[n%4]}
		var want []string
		match := store.ActorKind.Matcher(&q)
		for i := range rel.Actors {
			if match(&rel.Actors[i], store.ActorKind.SearchText(&rel.Actors[i])) {
				want = append(want, rel.Actors[i].ID)
			}
		}
		slices.Sort(want)
		got := walk(t, 13, func(req store.PageRequest) ([]string, *store.Position, error) {
			q.Page = req
			p, err := store.List(ctx, st, store.ActorKind, q)
			ids := make([]string, len(p.Items))
			for i := range p.Items {
				ids[i] = p.Items[i].ID
			}
			return ids, p.Next, err
		})
		if !slices.Equal(got, want) {
			t.Fatalf("actors %+v:\ngot  %v\nwant %v", q, got, want)
		}
	}
}

// walk pages through a list and returns its ids.
func walk(t *testing.T, limit int, page func(store.PageRequest) ([]string, *store.Position, error)) []string {
	t.Helper()
	var out []string
	req := store.PageRequest{Limit: limit}
	for range 100000 {
		ids, next, err := page(req)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) > limit {
			t.Fatalf("page of %d items for limit %d", len(ids), limit)
		}
		out = append(out, ids...)
		if next == nil {
			return out
		}
		req.After = next
	}
	t.Fatal("the walk does not end")
	return nil
}
