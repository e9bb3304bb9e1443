package memory_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/memory"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, current string, releases ...*dataset.Release) store.Store {
		s, err := memory.NewWith(memory.Options{Current: current, Bundle: storetest.Bundle}, releases...)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestNewRejects(t *testing.T) {
	v1, _ := storetest.Fixture(t)
	if _, err := memory.New(""); err == nil {
		t.Error("no releases accepted")
	}
	if _, err := memory.New("", v1, v1); err == nil {
		t.Error("duplicate release accepted")
	}
	if _, err := memory.New("2.0.0", v1); err == nil {
		t.Error("unknown current release accepted")
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.0.0", "1.0.0", 0}, {"1.10.0", "1.9.0", 1}, {"1.0.0", "1.1.0", -1}, {"2.0.0", "10.0.0", -1},
	} {
		if got := dataset.CompareVersions(tc.a, tc.b); (got > 0) != (tc.want > 0) || (got < 0) != (tc.want < 0) {
			t.Errorf("CompareVersions(%s, %s) = %d, want sign of %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestBundles: the store describes each release's bundle with the function
// it is given, once per release, and a failure of that function fails New.
func TestBundles(t *testing.T) {
	v1, v2 := storetest.Fixture(t)
	var mu sync.Mutex
	calls := map[string]int{}
	s, err := memory.NewWith(memory.Options{Bundle: func(r *dataset.Release) (store.Bundle, error) {
		mu.Lock()
		calls[r.Info.Version]++
		mu.Unlock()
		return storetest.Bundle(r)
	}}, v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	rels, _ := s.Releases(context.Background())
	for _, r := range rels {
		want, _ := storetest.Bundle(&dataset.Release{Info: r.ReleaseInfo})
		if r.Bundle == nil || *r.Bundle != want || calls[r.Version] != 1 {
			t.Errorf("release %s: bundle %+v after %d calls, want %+v after 1", r.Version, r.Bundle, calls[r.Version], want)
		}
	}
	_, err = memory.NewWith(memory.Options{Bundle: func(*dataset.Release) (store.Bundle, error) { return store.Bundle{}, errors.New("disk full") }}, v1)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("a failing Bundle function: %v", err)
	}
	if plain, _ := memory.New("", v1); func() bool { r, _ := plain.Release(context.Background(), ""); return r.Bundle != nil }() {
		t.Error("a store given no Bundle function describes a bundle")
	}
}

// TestPageDocsAreNotShared: a page's Docs may be the release's own (a page
// of consecutive records is not copied), so appending to them must not
// write over the records that follow, which the next page serves.
func TestPageDocsAreNotShared(t *testing.T) {
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	s, err := memory.New("", rels...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	q := store.EventQuery{Page: store.PageRequest{Limit: 3, DocsOnly: true}}
	first, err := s.Events(ctx, q)
	if err != nil || first.Next == nil {
		t.Fatalf("first page: %v, next %v", err, first.Next)
	}
	_ = append(first.Docs, store.Doc{JSON: []byte(`{"id":"planted"}`)})
	q.Page.After = first.Next
	second, err := s.Events(ctx, q)
	if err != nil || len(second.Docs) == 0 {
		t.Fatalf("second page: %v, %d docs", err, len(second.Docs))
	}
	if strings.Contains(string(second.Docs[0].JSON), "planted") {
		t.Error("appending to a page's Docs changed the records of the release")
	}
	// So may the rows of the budget summary.
	all, _, err := s.BudgetSummary(ctx, store.SummaryQuery{})
	if err != nil || len(all) < 2 {
		t.Fatalf("summary: %v, %d rows", err, len(all))
	}
	again, _, _ := s.BudgetSummary(ctx, store.SummaryQuery{})
	mine := append(all, store.BudgetTotal{Agency: "mine"})
	_ = append(again, store.BudgetTotal{Agency: "theirs"})
	if mine[len(all)].Agency != "mine" {
		t.Error("two answers' appends to the summary's rows wrote into the same array")
	}
}
