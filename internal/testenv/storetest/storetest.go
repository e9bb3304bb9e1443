// Package storetest is the conformance suite of store.Store: every
// implementation runs it unchanged, so that the API behaves the same whatever
// store is behind it.
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/testenv/fixture"
)

// Factory builds the store under test, holding the given releases with
// current as the default ("" for the newest), and describing their bundles
// with the function Bundle (memory.Options.Bundle, publish.Loader.Bundle).
// The releases come in the order the store is to receive them, which need
// not be oldest first. It registers any cleanup with t.
type Factory func(t *testing.T, current string, releases ...*dataset.Release) store.Store

// Fixture returns the two small releases the suite runs on (fixture.Releases).
func Fixture(t testing.TB) (v1, v2 *dataset.Release) {
	t.Helper()
	return fixture.Releases(t)
}

// Run runs the whole suite against stores built by newStore.
func Run(t *testing.T, newStore Factory) {
	v1, v2 := Fixture(t)
	s := newStore(t, "", v1, v2)
	ctx := context.Background()

	t.Run("Releases", func(t *testing.T) { testReleases(ctx, t, s, v1) })
	t.Run("Bundles", func(t *testing.T) { testBundles(ctx, t, s) })
	t.Run("Changes", func(t *testing.T) { testChanges(ctx, t, s, v1, v2) })
	t.Run("ChangesAcrossReleases", func(t *testing.T) { testChangesAcrossReleases(ctx, t, newStore, v1, v2) })
	t.Run("Get", func(t *testing.T) { testGet(ctx, t, s, v1, v2) })
	t.Run("EventFilters", func(t *testing.T) { testEventFilters(ctx, t, s) })
	t.Run("OtherFilters", func(t *testing.T) { testOtherFilters(ctx, t, s) })
	t.Run("Summary", func(t *testing.T) { testSummary(ctx, t, s) })
	t.Run("Positions", func(t *testing.T) { testPositions(ctx, t, s) })
	t.Run("PagingMatchesOracle", func(t *testing.T) {
		for _, rel := range []*dataset.Release{v1, v2} {
			testOracle(ctx, t, s, rel)
		}
	})
	t.Run("Totals", func(t *testing.T) {
		for _, rel := range []*dataset.Release{v1, v2} {
			testTotals(ctx, t, s, rel, 1, 3, 50)
		}
	})
	t.Run("Facets", func(t *testing.T) {
		testEventFacets(ctx, t, s, map[string]store.EventQuery{
			"all": {}, "1.0.0": {Release: "1.0.0"}, "actor": {Actors: []string{"a-nsa"}}, "tag": {Tags: []string{"reaction"}},
			"range": {Range: span(t, "2020", "2021")}, "combination": {Actors: []string{"a-nsa"}, Types: []string{"briefing", "report"}},
			"withdrawn": {Status: store.StatusWithdrawn}, "all statuses": {Status: store.StatusAll, Countries: []string{"JP"}},
			"text": {Text: "the"}, "nothing": {Actors: []string{"a-nobody"}},
			// Ranges of whole years are summed from the years' counts:
			// events that began in them, and those that ran into the
			// first from before (the window of 2021 to 2023).
			"years": {Range: span(t, "2022", "2023")}, "from a year": {Range: span(t, "2023", "9999")},
			"to a year": {Range: span(t, "0001", "2021")}, "no event": {Range: span(t, "2010", "2011")},
			"one year, 1.0.0": {Range: span(t, "2023", ""), Release: "1.0.0"},
			// Ranges with another filter, or not of whole years, are read.
			"years and actor": {Range: span(t, "2020", "2023"), Actors: []string{"a-nsa"}},
			"part of a year":  {Range: span(t, "2020-10", "2023")}, "withdrawn years": {Range: span(t, "2023", "2024"), Status: store.StatusWithdrawn},
		})
		testBudgetFacets(ctx, t, s, map[string]store.BudgetQuery{
			"all": {}, "fiscal year": {FiscalYears: []int{2025}}, "agency": {Agencies: []string{"a-mod"}},
			"range": {FromYear: 2022, ToYear: 2024}, "combination": {Stages: []string{"request"}, Categories: []string{"cyber-total"}},
		})
	})
	t.Run("EmbeddedDataset", func(t *testing.T) {
		if len(dataset.Registered()) > 0 {
			t.Skip("the embedded dataset has no file for the kinds this test added")
		}
		rel, err := dataset.Load()
		if err != nil {
			t.Fatal(err)
		}
		s := newStore(t, "", rel)
		testOracle(ctx, t, s, rel)
		testTotals(ctx, t, s, rel, 50)
		// The counts a reader asks for first: the whole release, the NSA's
		// events, the core story, and 2020–2021.
		testEventFacets(ctx, t, s, map[string]store.EventQuery{
			"all": {}, "actor=us-nsa": {Actors: []string{"us-nsa"}}, "tag=core": {Tags: []string{"core"}},
			"from=2020&to=2021": {Range: span(t, "2020", "2021")}, "from=2015&to=2021": {Range: span(t, "2015", "2021")},
			"from=2022": {Range: span(t, "2022", "9999")}, "from=2020&to=2021&actor=us-nsa": {Range: span(t, "2020", "2021"), Actors: []string{"us-nsa"}},
		})
		testBudgetFacets(ctx, t, s, map[string]store.BudgetQuery{
			"all": {}, "agency=jp-mod": {Agencies: []string{"jp-mod"}}, "fiscal_year=2022": {FiscalYears: []int{2022}},
			"stage=initial&to_year=2022": {Stages: []string{"initial"}, ToYear: 2022},
		})
	})
}

func testReleases(ctx context.Context, t *testing.T, s store.Store, v1 *dataset.Release) {
	rels, err := s.Releases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rels {
		got = append(got, fmt.Sprintf("%s current=%v", r.Version, r.Current))
	}
	if want := []string{"1.1.0 current=true", "1.0.0 current=false"}; !slices.Equal(got, want) {
		t.Errorf("Releases = %v, want %v", got, want)
	}
	cur, err := s.Release(ctx, "")
	if err != nil || cur.Version != "1.1.0" || !cur.Current || cur.Released != "2026-03-01" {
		t.Errorf(`Release("") = %+v, %v`, cur, err)
	}
	old, err := s.Release(ctx, "1.0.0")
	if err != nil || old.Version != "1.0.0" || old.Current {
		t.Errorf(`Release("1.0.0") = %+v, %v`, old, err)
	}
	wantCounts := []dataset.Count{{Kind: "events", N: 8}, {Kind: "actors", N: 5}, {Kind: "budgets", N: 9}, {Kind: "programs", N: 2}, {Kind: "sources", N: 2}}
	for _, k := range dataset.Registered() {
		wantCounts = append(wantCounts, dataset.Count{Kind: k.Plural(), N: k.Count(v1)})
	}
	if !slices.Equal(old.Counts, wantCounts) {
		t.Errorf("1.0.0 counts = %v, want %v", old.Counts, wantCounts)
	}
	if len(old.Checksums) != len(dataset.Files) || old.Checksums["events.yaml"] == cur.Checksums["events.yaml"] {
		t.Errorf("checksums: 1.0.0 %v, 1.1.0 %v", old.Checksums, cur.Checksums)
	}
	if _, err := s.Release(ctx, "9.9.9"); !errors.Is(err, store.ErrUnknownRelease) {
		t.Errorf(`Release("9.9.9") error = %v, want ErrUnknownRelease`, err)
	}
	if _, err := s.Events(ctx, store.EventQuery{Release: "9.9.9"}); !errors.Is(err, store.ErrUnknownRelease) {
		t.Errorf("Events on unknown release: %v", err)
	}
}

func testGet(ctx context.Context, t *testing.T, s store.Store, v1, v2 *dataset.Release) {
	for _, rel := range []*dataset.Release{v1, v2} {
		version := rel.Info.Version
		checkRecords(ctx, t, s, version, store.KindEvents, rel.Events, func(e *dataset.Event) string { return e.ID })
		for _, k := range store.ListKinds {
			checkRecords(ctx, t, s, version, k.Plural(), k.All(rel), func(rec *any) string { return k.RecordID(*rec) })
		}
		for _, want := range rel.Events {
			got, r, err := s.Event(ctx, version, want.ID)
			if err != nil || r.Version != version || !equalJSON(t, got, want) {
				t.Errorf("Event(%s, %s) = %+v, %v", version, want.ID, got, err)
			}
		}
		for _, want := range rel.Actors {
			if got, _, err := store.Get(ctx, s, store.ActorKind, version, want.ID); err != nil || !equalJSON(t, got, want) {
				t.Errorf("Get(actors, %s, %s) = %+v, %v", version, want.ID, got, err)
			}
		}
	}
	// The same id differs between releases: pinning decides which is read.
	old, _, _ := s.Event(ctx, "1.0.0", "e-2023-report")
	cur, r, _ := s.Event(ctx, "", "e-2023-report")
	if old.Title.EN != "A newspaper discloses the breach" || cur.Title.EN != "A newspaper reveals the breach" || r.Version != "1.1.0" {
		t.Errorf("pinned %q, current %q (%s)", old.Title.EN, cur.Title.EN, r.Version)
	}
	// A tombstone is still readable by id.
	if e, _, err := s.Event(ctx, "", "e-2023-year"); err != nil || !e.Withdrawn() || e.SupersededBy != "e-2024-new" {
		t.Errorf("tombstone = %+v, %v", e, err)
	}
	if _, _, err := s.Event(ctx, "1.0.0", "e-2024-new"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("event added in 1.1.0 read from 1.0.0: %v", err)
	}
	for name, get := range map[string]func() error{
		dataset.Events.One: func() error { _, _, err := s.Event(ctx, "", "nope"); return err },
	} {
		if err := get(); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown %s: %v, want ErrNotFound", name, err)
		}
	}
	for _, k := range store.ListKinds {
		if _, _, err := s.Record(ctx, k.Plural(), "", "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown %s: %v, want ErrNotFound", k.Singular(), err)
		}
	}
	if _, _, err := store.Get(ctx, s, store.ActorKind, "0.0.1", "a-mod"); !errors.Is(err, store.ErrUnknownRelease) {
		t.Errorf("unknown release: %v", err)
	}
}

func span(t *testing.T, from, to string) *dataset.Span {
	t.Helper()
	sp, err := dataset.SpanOf(from, to)
	if err != nil {
		t.Fatal(err)
	}
	return &sp
}

func testEventFilters(ctx context.Context, t *testing.T, s store.Store) {
	cases := []struct {
		name string
		q    store.EventQuery
		want []string
	}{
		{"all, oldest first", store.EventQuery{Release: "1.0.0"},
			[]string{"e-2000-report", "e-fall-2020-discovery", "e-oct-2020-briefing", "e-window-assessment", "e-2023-year", "e-2023-report", "e-2023-denial", "e-2023-minister"}},
		{"current release hides the tombstone", store.EventQuery{},
			[]string{"e-2000-report", "e-fall-2020-discovery", "e-oct-2020-briefing", "e-window-assessment", "e-2023-report", "e-2023-denial", "e-2023-minister", "e-2024-new"}},
		{"withdrawn only", store.EventQuery{Status: store.StatusWithdrawn}, []string{"e-2023-year"}},
		{"newest first", store.EventQuery{Release: "1.0.0", Descending: true},
			[]string{"e-2023-minister", "e-2023-denial", "e-2023-report", "e-2023-year", "e-window-assessment", "e-oct-2020-briefing", "e-fall-2020-discovery", "e-2000-report"}},
		{"a day inside a season", store.EventQuery{Release: "1.0.0", Range: span(t, "2020-11-30", "")}, []string{"e-fall-2020-discovery"}},
		{"a month overlaps a season and a month", store.EventQuery{Release: "1.0.0", Range: span(t, "2020-10", "")}, []string{"e-fall-2020-discovery", "e-oct-2020-briefing"}},
		{"a year overlaps a window and a year", store.EventQuery{Release: "1.0.0", Range: span(t, "2022", "")}, []string{"e-window-assessment"}},
		{"open-ended to", store.EventQuery{Release: "1.0.0", Range: span(t, "0001", "2000")}, []string{"e-2000-report"}},
		{"day range", store.EventQuery{Release: "1.0.0", Range: span(t, "2023-08-08", "2023-08-31")},
			[]string{"e-window-assessment", "e-2023-year", "e-2023-denial", "e-2023-minister"}},
		{"actor", store.EventQuery{Release: "1.0.0", Actors: []string{"a-pla"}}, []string{"e-fall-2020-discovery", "e-2023-denial"}},
		{"actors are ORed", store.EventQuery{Release: "1.0.0", Actors: []string{"a-pla", "a-person"}},
			[]string{"e-fall-2020-discovery", "e-2023-denial", "e-2023-minister"}},
		{"filters are ANDed", store.EventQuery{Release: "1.0.0", Actors: []string{"a-nsa"}, Types: []string{"briefing", "report"}},
			[]string{"e-2000-report", "e-oct-2020-briefing"}},
		{"country and tag", store.EventQuery{Release: "1.0.0", Countries: []string{"CN"}, Tags: []string{"reaction"}}, []string{"e-2023-denial"}},
		{"confidence", store.EventQuery{Release: "1.0.0", Confidences: []string{"disputed"}}, []string{"e-2023-denial"}},
		{"unknown value matches nothing", store.EventQuery{Release: "1.0.0", Types: []string{"coup"}}, nil},
		{"text is case-insensitive", store.EventQuery{Release: "1.0.0", Text: "NEWSPAPER"}, []string{"e-2023-report"}},
		{"text in Japanese", store.EventQuery{Release: "1.0.0", Text: "防衛ネットワーク"}, []string{"e-2023-report"}},
		{"text over actor names in Japanese", store.EventQuery{Release: "1.0.0", Text: "浜田"}, []string{"e-2023-minister"}},
		{"text over aliases, full-width", store.EventQuery{Release: "1.0.0", Text: "ｎｓａ"},
			[]string{"e-2000-report", "e-fall-2020-discovery", "e-oct-2020-briefing"}},
		{"range with text, newest first", store.EventQuery{Release: "1.0.0", Range: span(t, "2020", "2023"), Text: "the", Descending: true},
			[]string{"e-2023-minister", "e-2023-denial", "e-2023-report", "e-window-assessment", "e-fall-2020-discovery"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, limit := range []int{1, 3, 500} {
				q := tc.q
				got := walkEvents(ctx, t, s, q, limit)
				if !slices.Equal(got, tc.want) {
					t.Errorf("limit %d: got %v\nwant %v", limit, got, tc.want)
				}
			}
		})
	}
}

func testOtherFilters(ctx context.Context, t *testing.T, s store.Store) {
	check := func(name string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	check("actors by kind", walkList(ctx, t, s, store.KindActors, store.ListQuery{Filters: map[string][]string{store.DimKind: []string{"government-agency", "state"}}}, 2), []string{"a-gov", "a-mod", "a-nsa"})
	check("actors by country", walkList(ctx, t, s, store.KindActors, store.ListQuery{Filters: map[string][]string{store.DimCountry: []string{"CN"}}}, 2), []string{"a-pla"})
	check("actors by Japanese name", walkList(ctx, t, s, store.KindActors, store.ListQuery{Text: "防衛"}, 2), []string{"a-mod"})
	check("actors by alias", walkList(ctx, t, s, store.KindActors, store.ListQuery{Text: "mod"}, 2), []string{"a-mod"})
	check("all budgets", walkBudgets(ctx, t, s, store.BudgetQuery{}, 4), []string{
		"b-fy2021-defense", "b-fy2021-initial", "b-fy2021-initial-range", "b-fy2021-request",
		"b-fy2022-request-a", "b-fy2022-request-b", "b-plan-cyber", "b-plan-usd", "b-fy2024-supp"})
	check("fiscal year inside a plan", walkBudgets(ctx, t, s, store.BudgetQuery{FiscalYears: []int{2025}}, 4), []string{"b-plan-cyber", "b-plan-usd"})
	check("fiscal years ORed", walkBudgets(ctx, t, s, store.BudgetQuery{FiscalYears: []int{2022, 2024}, Agencies: []string{"a-mod"}}, 1), []string{"b-fy2022-request-a", "b-fy2022-request-b", "b-plan-cyber"})
	check("year range", walkBudgets(ctx, t, s, store.BudgetQuery{FromYear: 2024, ToYear: 2024}, 1), []string{"b-plan-cyber", "b-plan-usd", "b-fy2024-supp"})
	check("to year", walkBudgets(ctx, t, s, store.BudgetQuery{ToYear: 2021, Stages: []string{"initial"}}, 1), []string{"b-fy2021-defense", "b-fy2021-initial", "b-fy2021-initial-range"})
	check("stage and category", walkBudgets(ctx, t, s, store.BudgetQuery{Stages: []string{"request"}, Categories: []string{"cyber-total"}}, 1), []string{"b-fy2021-request"})
	check("program", walkBudgets(ctx, t, s, store.BudgetQuery{Programs: []string{"p-command"}}, 1), []string{"b-fy2022-request-b"})
	check("programs by kind", walkList(ctx, t, s, store.KindPrograms, store.ListQuery{Filters: map[string][]string{store.DimKind: []string{"law"}}}, 1), []string{"p-law"})
	check("programs by agency and text", walkList(ctx, t, s, store.KindPrograms, store.ListQuery{Filters: map[string][]string{store.DimAgency: []string{"a-mod"}}, Text: "サイバー"}, 1), []string{"p-command"})
	check("programs by state", walkList(ctx, t, s, store.KindPrograms, store.ListQuery{Filters: map[string][]string{store.DimState: []string{"in-force", "active"}}}, 1), []string{"p-command", "p-law"})
	check("sources by language", walkList(ctx, t, s, store.KindSources, store.ListQuery{Filters: map[string][]string{store.DimLanguage: []string{"ja"}}}, 1), []string{"s-gov"})
	check("sources by text", walkList(ctx, t, s, store.KindSources, store.ListQuery{Text: "example news"}, 1), []string{"s-news"})
	check("sources by kind", walkList(ctx, t, s, store.KindSources, store.ListQuery{Filters: map[string][]string{store.DimKind: []string{"government", "news"}}}, 1), []string{"s-gov", "s-news"})
}

func testSummary(ctx context.Context, t *testing.T, s store.Store) {
	rows, rel, err := s.BudgetSummary(ctx, store.SummaryQuery{})
	if err != nil || rel.Version != "1.1.0" {
		t.Fatal(err, rel.Version)
	}
	var got []string
	for _, r := range rows {
		got = append(got, fmt.Sprintf("%d-%d %s %s %d %s %s defense=%d %v", r.FiscalYear, r.FiscalYearTo, r.Agency, r.Stage, r.CyberJPY, r.CyberBasis, r.Qualifier, r.DefenseJPY, r.Lines))
	}
	want := []string{
		"2021-0 a-mod request 35000000000 reported-total exact defense=0 [b-fy2021-request]",
		"2021-0 a-mod initial 30100000000 reported-total exact defense=5342200000000 [b-fy2021-initial]",
		"2022-0 a-mod request 3000000000 sum-of-items about defense=0 [b-fy2022-request-a b-fy2022-request-b]",
		"2023-2027 a-mod plan 1000000000000 reported-total about defense=0 [b-plan-cyber]",
		"2024-0 a-gov supplementary 28400000000 reported-total exact defense=0 [b-fy2024-supp]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("summary:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rows, _, _ = s.BudgetSummary(ctx, store.SummaryQuery{FromYear: 2022, ToYear: 2025, Stages: []string{"plan"}})
	if len(rows) != 1 || rows[0].Lines[0] != "b-plan-cyber" {
		t.Errorf("filtered summary = %+v", rows)
	}
	rows, _, _ = s.BudgetSummary(ctx, store.SummaryQuery{Agencies: []string{"nobody"}})
	if rows == nil || len(rows) != 0 {
		t.Errorf("empty summary should be an empty, non-nil list: %#v", rows)
	}
}

func testPositions(ctx context.Context, t *testing.T, s store.Store) {
	bad := []struct {
		name string
		call func() error
	}{
		{"event position with an id key", func() error {
			_, err := s.Events(ctx, store.EventQuery{Page: store.PageRequest{Limit: 2, After: &store.Position{Key: "", ID: "a-mod"}}})
			return err
		}},
		{"event position with a bad date", func() error {
			_, err := s.Events(ctx, store.EventQuery{Page: store.PageRequest{Limit: 2, After: &store.Position{Key: "2020-02-30", ID: "x"}}})
			return err
		}},
		{"actor position with a key", func() error {
			_, err := s.List(ctx, store.KindActors, store.ListQuery{Page: store.PageRequest{Limit: 2, After: &store.Position{Key: "2020-01-01", ID: "a-mod"}}})
			return err
		}},
		{"budget position with a date", func() error {
			_, err := s.Budgets(ctx, store.BudgetQuery{Page: store.PageRequest{Limit: 2, After: &store.Position{Key: "2020-01-01", ID: "x"}}})
			return err
		}},
		{"position without an id", func() error {
			_, err := s.List(ctx, store.KindSources, store.ListQuery{Page: store.PageRequest{Limit: 2, After: &store.Position{}}})
			return err
		}},
	}
	for _, tc := range bad {
		if err := tc.call(); !errors.Is(err, store.ErrBadPosition) {
			t.Errorf("%s: %v, want ErrBadPosition", tc.name, err)
		}
	}
	// A position need not name an existing record: it is a place in the order.
	p, err := s.Events(ctx, store.EventQuery{Release: "1.0.0", Page: store.PageRequest{Limit: 2, After: &store.Position{Key: "2020-10-01", ID: "e-zzz"}}})
	if err != nil || len(p.Items) != 2 || p.Items[0].ID != "e-window-assessment" {
		t.Errorf("page after a position between records: %v, %v", ids(p.Items), err)
	}
	// The last page has no next position, even when it is exactly full.
	p, _ = s.Events(ctx, store.EventQuery{Release: "1.0.0", Page: store.PageRequest{Limit: 8}})
	if len(p.Items) != 8 || p.Next != nil {
		t.Errorf("full last page: %d items, next %v", len(p.Items), p.Next)
	}
	// A limit below 1 means the default page size.
	p, _ = s.Events(ctx, store.EventQuery{Release: "1.0.0", Page: store.PageRequest{Limit: 0}})
	if len(p.Items) != 8 {
		t.Errorf("limit 0 gave %d items", len(p.Items))
	}
}

// testOracle walks every list of a release with several page sizes and a
// spread of queries, and compares with a brute-force evaluation of the same
// query over the release's records.
func testOracle(ctx context.Context, t *testing.T, s store.Store, rel *dataset.Release) {
	version := rel.Info.Version
	actorsByID := map[string]*dataset.Actor{}
	for i := range rel.Actors {
		actorsByID[rel.Actors[i].ID] = &rel.Actors[i]
	}
	var queries []store.EventQuery
	queries = append(queries, store.EventQuery{}, store.EventQuery{Descending: true}, store.EventQuery{Status: store.StatusAll})
	seen := map[string]bool{}
	for _, e := range rel.Events {
		for _, a := range e.Actors {
			if !seen["a"+a.Actor] {
				seen["a"+a.Actor] = true
				queries = append(queries, store.EventQuery{Actors: []string{a.Actor}, Descending: len(queries)%2 == 0})
			}
		}
		if !seen["t"+e.Type] {
			seen["t"+e.Type] = true
			queries = append(queries, store.EventQuery{Types: []string{e.Type}, Countries: []string{"JP", "CN"}})
		}
		for _, tag := range e.Tags {
			if !seen["g"+tag] {
				seen["g"+tag] = true
				queries = append(queries, store.EventQuery{Tags: []string{tag}, Confidences: []string{"reported", "confirmed"}})
			}
		}
	}
	for y := 2000; y <= 2026; y += 3 {
		queries = append(queries, store.EventQuery{Range: span(t, fmt.Sprint(y), fmt.Sprint(y+2))}, store.EventQuery{Range: span(t, fmt.Sprintf("%d-10", y), ""), Descending: true})
	}
	queries = append(queries, store.EventQuery{Text: "japan"}, store.EventQuery{Text: "防衛"})
	for _, q := range queries {
		q.Release = version
		var want []string
		var all []*dataset.Event
		for i := range rel.Events {
			e := &rel.Events[i]
			if store.MatchEvent(e, store.EventText(e, actorsByID), &q) {
				all = append(all, e)
			}
		}
		sort.SliceStable(all, func(i, j int) bool {
			a := store.Position{Key: store.EventKey(all[i]), ID: all[i].ID}
			b := store.Position{Key: store.EventKey(all[j]), ID: all[j].ID}
			if q.Descending {
				return store.Less(b, a)
			}
			return store.Less(a, b)
		})
		for _, e := range all {
			want = append(want, e.ID)
		}
		for _, limit := range []int{1, 7, 50} {
			if got := walkEvents(ctx, t, s, q, limit); !slices.Equal(got, want) {
				t.Errorf("release %s, query %+v, limit %d:\ngot  %v\nwant %v", version, q, limit, got, want)
			}
		}
	}
	wantIDs := func(n int, id func(int) string, keep func(int) bool) []string {
		var out []string
		for i := 0; i < n; i++ {
			if keep(i) {
				out = append(out, id(i))
			}
		}
		slices.Sort(out)
		return out
	}
	for _, k := range store.ListKinds {
		records := k.All(rel)
		if got, want := walkList(ctx, t, s, k.Plural(), store.ListQuery{Release: version}, 7),
			wantIDs(len(records), func(i int) string { return k.RecordID(records[i]) }, func(i int) bool { return !k.Lifecycle(records[i]).Withdrawn() }); !slices.Equal(got, want) {
			t.Errorf("%s of %s: got %v want %v", k.Plural(), version, got, want)
		}
	}
	var budgets []*dataset.BudgetLine
	for i := range rel.Budgets {
		if !rel.Budgets[i].Withdrawn() {
			budgets = append(budgets, &rel.Budgets[i])
		}
	}
	sort.SliceStable(budgets, func(i, j int) bool {
		return store.Less(store.Position{Key: store.BudgetKey(budgets[i]), ID: budgets[i].ID}, store.Position{Key: store.BudgetKey(budgets[j]), ID: budgets[j].ID})
	})
	var wantBudgets []string
	for _, b := range budgets {
		wantBudgets = append(wantBudgets, b.ID)
	}
	if got := walkBudgets(ctx, t, s, store.BudgetQuery{Release: version}, 7); !slices.Equal(got, wantBudgets) {
		t.Errorf("budgets of %s: got %v want %v", version, got, wantBudgets)
	}
	rows, _, err := s.BudgetSummary(ctx, store.SummaryQuery{Release: version})
	if err != nil || !equalJSON(t, rows, store.Summarize(rel.Budgets)) {
		t.Errorf("summary of %s differs from store.Summarize: %v", version, err)
	}
}

// walk pages through a list with the given page size, checking that no page
// is larger than asked and that no id repeats, and returns the ids in order.
func walk[T any](t *testing.T, limit int, id func(T) string, list func(store.PageRequest) (store.Page[T], error)) []string {
	t.Helper()
	var out []string
	seen := map[string]bool{}
	req := store.PageRequest{Limit: limit}
	for pages := 0; ; pages++ {
		if pages > 10000 {
			t.Fatal("paging does not end")
		}
		p, err := list(req)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		if len(p.Items) > limit {
			t.Fatalf("page of %d items, limit %d", len(p.Items), limit)
		}
		if p.Next != nil && len(p.Items) < limit {
			t.Fatalf("short page (%d of %d) with a next position", len(p.Items), limit)
		}
		checkDocs(t, p, func(docsOnly store.PageRequest) (store.Page[T], error) { return list(docsOnly) }, req)
		for _, it := range p.Items {
			if seen[id(it)] {
				t.Fatalf("%s returned twice", id(it))
			}
			seen[id(it)] = true
			out = append(out, id(it))
		}
		if p.Next == nil {
			return out
		}
		req.After = p.Next
	}
}

// checkRecords checks Record for every record of a kind: its JSON is the
// record's (json.Marshal, as encode.JSON), and its member offsets select
// fields: keeping only "id" gives {"id":…}. An unknown id is ErrNotFound.
func checkRecords[T any](ctx context.Context, t *testing.T, s store.Store, version, kind string, records []T, id func(*T) string) {
	t.Helper()
	for i := range records {
		r := &records[i]
		doc, rel, err := s.Record(ctx, kind, version, id(r))
		want, _ := json.Marshal(r)
		if err != nil || rel.Version != version || !bytes.Equal(doc.JSON, want) {
			t.Errorf("Record(%s, %s, %s) = %s, %v; want %s", kind, version, id(r), doc.JSON, err, want)
			continue
		}
		wantID, _ := json.Marshal(map[string]string{"id": id(r)})
		if got := doc.AppendJSON(nil, store.Keep{"id": true}); !bytes.Equal(got, wantID) {
			t.Errorf("Record(%s, %s, %s) keeping id = %s, want %s", kind, version, id(r), got, wantID)
		}
	}
	if _, _, err := s.Record(ctx, kind, version, "no-such-id"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Record(%s, %s, no-such-id) error = %v, want ErrNotFound", kind, version, err)
	}
}

// checkDocs checks that a page's Docs are its Items as the API sends them
// (encode.JSON, which is json.Marshal: this package cannot import encode,
// whose own tests use it), and that asking for Docs only gives the same Docs
// and next position.
func checkDocs[T any](t *testing.T, p store.Page[T], list func(store.PageRequest) (store.Page[T], error), req store.PageRequest) {
	t.Helper()
	if len(p.Docs) != len(p.Items) {
		t.Fatalf("page of %d items has %d docs", len(p.Items), len(p.Docs))
	}
	for i := range p.Items {
		want, err := json.Marshal(&p.Items[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(p.Docs[i].JSON, want) {
			t.Fatalf("doc %d is not its item's JSON:\n%s\nwant\n%s", i, p.Docs[i].JSON, want)
		}
	}
	checkRun(t, p.Docs, p.Run)
	req.DocsOnly = true
	only, err := list(req)
	if err != nil {
		t.Fatalf("docs only: %v", err)
	}
	if len(only.Docs) != len(p.Docs) || !reflect.DeepEqual(only.Next, p.Next) {
		t.Fatalf("docs only: %d docs, next %v; with items %d docs, next %v", len(only.Docs), only.Next, len(p.Docs), p.Next)
	}
	for i := range only.Docs {
		if !reflect.DeepEqual(only.Docs[i], p.Docs[i]) {
			t.Fatalf("docs only: doc %d differs", i)
		}
	}
}

// checkRun checks that a page's run, when the store gives one, is its Docs
// laid end to end (store.Run): a list sends the run in their place.
func checkRun(t *testing.T, docs []store.Doc, run store.Run) {
	t.Helper()
	if run.JSON == nil && run.CSV == nil {
		return
	}
	var json, csv []byte
	for i, d := range docs {
		if i > 0 {
			json = append(json, ',')
		}
		json = append(json, d.JSON...)
		csv = append(append(csv, d.CSV...), "\r\n"...)
	}
	if !bytes.Equal(run.JSON, json) || !bytes.Equal(run.CSV, csv) {
		t.Fatalf("the page's run is not its docs laid end to end:\n%q\n%q\nwant\n%q\n%q", run.JSON, run.CSV, json, csv)
	}
}

func walkEvents(ctx context.Context, t *testing.T, s store.Store, q store.EventQuery, limit int) []string {
	return walk(t, limit, func(e dataset.Event) string { return e.ID }, func(r store.PageRequest) (store.Page[dataset.Event], error) {
		q.Page = r
		return s.Events(ctx, q)
	})
}

// walkList lists the ids of the records of a kind listed in id order that
// a query selects, following every position.
func walkList(ctx context.Context, t *testing.T, s store.Store, kind string, q store.ListQuery, limit int) []string {
	k := store.ListKindNamed(kind)
	return walk(t, limit, k.RecordID, func(r store.PageRequest) (store.Page[any], error) {
		q.Page = r
		return s.List(ctx, kind, q)
	})
}

func walkBudgets(ctx context.Context, t *testing.T, s store.Store, q store.BudgetQuery, limit int) []string {
	return walk(t, limit, func(b dataset.BudgetLine) string { return b.ID }, func(r store.PageRequest) (store.Page[dataset.BudgetLine], error) {
		q.Page = r
		return s.Budgets(ctx, q)
	})
}

func ids(events []dataset.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.ID)
	}
	return out
}
