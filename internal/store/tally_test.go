package store_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/synth"
)

// TestSumYearsMatchesTheList sums the years' counts of a release for ranges
// of whole years, open at either end or not, and compares them with the
// events that the range selects in a list (store.MatchEvent): the count
// under every status, and the facets of the active ones, counted one event
// at a time. The synthetic release has periods of up to six years, so that
// events that ran into a range from before it are counted.
func TestSumYearsMatchesTheList(t *testing.T) {
	rel := synth.Generate(synth.Options{Events: 1500, Seed: 7})
	years := store.TallyOf(rel).Years
	ranges := [][2]string{{"2020", "2021"}, {"2020", "2020"}, {"1995", "2025"}, {"2003", "2011"}, {"2024", "9999"}, {"0001", "2000"}, {"1900", "1901"}, {"2030", "2031"}}
	for _, r := range ranges {
		sp, err := dataset.SpanOf(r[0], r[1])
		if err != nil {
			t.Fatal(err)
		}
		q := store.EventQuery{Range: &sp}
		from, to, ok := q.YearRange()
		if !ok {
			t.Fatalf("%v: not a range of whole years", r)
		}
		var want store.Count
		var c store.EventCounter
		for i := range rel.Events {
			e := &rel.Events[i]
			all := store.EventQuery{Range: &sp, Status: store.StatusAll}
			if !store.MatchEvent(e, "", &all) {
				continue
			}
			want.All++
			if !e.Withdrawn() {
				want.Active++
				c.Add(e)
			}
		}
		n, f := store.SumYears(years, from, to)
		if n != want {
			t.Errorf("%v: counts %+v, the list has %+v", r, n, want)
		}
		if wf := c.Facets(); f == nil || !reflect.DeepEqual(*f, wf) {
			t.Errorf("%v: facets differ from the list's:\ngot  %.400v\nwant %.400v", r, f, wf)
		}
		if n, f := store.SumYears(store.WithoutFacets(years), from, to); n != want || (f != nil) != (want.Active == 0) {
			t.Errorf("%v: counts alone %+v (facets %v), the list has %+v", r, n, f != nil, want)
		}
	}
}

// TestYearRange tells ranges of whole years from other queries.
func TestYearRange(t *testing.T) {
	span := func(from, to string) *dataset.Span {
		sp, err := dataset.SpanOf(from, to)
		if err != nil {
			t.Fatal(err)
		}
		return &sp
	}
	for _, c := range []struct {
		q        store.EventQuery
		from, to int
		ok       bool
	}{
		{store.EventQuery{Range: span("2020", "2021")}, 2020, 2021, true},
		{store.EventQuery{Range: span("2020", "2021-12"), Status: store.StatusAll}, 2020, 2021, true},
		{store.EventQuery{Range: span("0001", "9999")}, 1, 9999, true},
		{store.EventQuery{Range: span("2020-01", "2021-11")}, 0, 0, false},
		{store.EventQuery{Range: span("2020-03-01", "2021")}, 0, 0, false},
		{store.EventQuery{Range: span("2020", "2021"), Actors: []string{"us-nsa"}}, 0, 0, false},
		{store.EventQuery{Range: span("2020", "2021"), Text: "nsa"}, 0, 0, false},
		{store.EventQuery{}, 0, 0, false},
	} {
		from, to, ok := c.q.YearRange()
		if from != c.from || to != c.to || ok != c.ok {
			t.Errorf("%s: YearRange() = %d, %d, %v; want %d, %d, %v", fmt.Sprintf("%+v", c.q), from, to, ok, c.from, c.to, c.ok)
		}
	}
}
