package sdktest

import (
	"context"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	jcdd "github.com/jcdd/jcdd/sdk/go"
)

// walkEvents lists every page of /v1/events through the SDK, following
// next_cursor, and returns the items in order with the number of pages.
func walkEvents(t *testing.T, params jcdd.ListEventsParams) (items []jcdd.Event, pages int) {
	t.Helper()
	c, ctx := newClient(t), testContext(t)
	seen := map[string]bool{}
	for {
		r, err := c.ListEventsWithResponse(ctx, &params)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		if err := jcdd.Check(r); err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		items = append(items, r.JSON200.Items...)
		next := r.JSON200.NextCursor
		if next == nil {
			if r.Headers200 != nil && r.Headers200.Link != nil {
				t.Errorf("last page has a Link header: %s", *r.Headers200.Link)
			}
			return items, pages
		}
		if seen[*next] {
			t.Fatalf("page %d repeats cursor %s", pages, *next)
		}
		seen[*next] = true
		if pages > 1000 {
			t.Fatal("more than 1000 pages: the cursor does not advance")
		}
		params.Cursor = next
	}
}

// TestWalkEventsByCursor walks /v1/events 7 at a time through the SDK and
// checks that the pages together are exactly the dataset's events: each
// once, each equal field by field to dataset.Load()'s record, in the same
// order as one page of 500.
func TestWalkEventsByCursor(t *testing.T) {
	rel := loadDataset(t)
	for _, tc := range []struct {
		name   string
		status *jcdd.StatusFilter
		want   func(dataset.Event) bool
	}{
		{"default (active)", nil, func(e dataset.Event) bool { return !e.Withdrawn() }},
		{"status=all", new(jcdd.StatusFilterAll), func(dataset.Event) bool { return true }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const limit = 7
			got, pages := walkEvents(t, jcdd.ListEventsParams{Limit: new(int64(limit)), Status: tc.status})

			want := map[string]dataset.Event{}
			for _, e := range rel.Events {
				if tc.want(e) {
					want[e.ID] = e
				}
			}
			if len(want) <= limit {
				t.Fatalf("the dataset has %d events: too few to page through at limit=%d", len(want), limit)
			}
			if wantPages := (len(want) + limit - 1) / limit; pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
			ids := eventIDs(got)
			assertSameIDs(t, "events", ids, slices.Collect(maps.Keys(want)))
			for _, e := range got {
				if d, ok := want[e.ID]; ok {
					assertSameJSON(t, e.ID, d, e)
				}
			}

			one, _ := walkEvents(t, jcdd.ListEventsParams{Limit: new(int64(500)), Status: tc.status})
			if oneIDs := eventIDs(one); !slices.Equal(ids, oneIDs) {
				t.Errorf("paged order differs from one page of 500:\n paged: %v\n  one: %v", ids, oneIDs)
			}
		})
	}
}

// TestAllPagesHelper lists the events through jcdd.All, 7 at a time, and
// gets what walking the cursors by hand gets: the same events, in order.
func TestAllPagesHelper(t *testing.T) {
	c, ctx := newClient(t), testContext(t)
	params := &jcdd.ListEventsParams{Limit: new(int64(7))}
	requests := 0
	var got []jcdd.Event
	for e, err := range jcdd.All(ctx, func(ctx context.Context, cursor *string) ([]jcdd.Event, *string, error) {
		requests++
		params.Cursor = cursor
		r, err := c.ListEventsWithResponse(ctx, params)
		if err != nil {
			return nil, nil, err
		}
		if err := jcdd.Check(r); err != nil {
			return nil, nil, err
		}
		return r.JSON200.Items, r.JSON200.NextCursor, nil
	}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	want, pages := walkEvents(t, jcdd.ListEventsParams{Limit: new(int64(7))})
	if !slices.Equal(eventIDs(got), eventIDs(want)) {
		t.Errorf("jcdd.All gives %d events, the cursor walk %d:\n all: %v\nwalk: %v", len(got), len(want), eventIDs(got), eventIDs(want))
	}
	if requests != pages {
		t.Errorf("jcdd.All made %d requests for %d pages", requests, pages)
	}
}

// TestRepeatedQueryParameters checks that the SDK sends array filters as
// repeated parameters (?type=briefing&type=report: style form, explode
// true) and that the API reads them as OR.
func TestRepeatedQueryParameters(t *testing.T) {
	rel := loadDataset(t)
	types := []jcdd.EventType{jcdd.EventTypeBriefing, jcdd.EventTypeReport}
	c, ctx := newClient(t), testContext(t)
	r, err := c.ListEventsWithResponse(ctx, &jcdd.ListEventsParams{Type: types, Limit: new(int64(500))})
	if err != nil {
		t.Fatal(err)
	}
	if err := jcdd.Check(r); err != nil {
		t.Fatal(err)
	}
	sent := r.HTTPResponse.Request.URL.Query()
	if got := sent["type"]; !slices.Equal(got, []string{"briefing", "report"}) {
		t.Errorf("sent type=%q (query %s), want two type parameters", got, r.HTTPResponse.Request.URL.RawQuery)
	}
	var want []string
	for _, e := range rel.Events {
		if !e.Withdrawn() && (e.Type == "briefing" || e.Type == "report") {
			want = append(want, e.ID)
		}
	}
	assertSameIDs(t, "type=briefing&type=report", eventIDs(r.JSON200.Items), want)
}

// TestNotFoundProblem checks that an unknown id surfaces as a typed 404
// carrying the problem details.
func TestNotFoundProblem(t *testing.T) {
	c, ctx := newClient(t), testContext(t)
	r, err := c.GetEventWithResponse(ctx, "no-such-event", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != 404 || r.ApplicationProblemJSON404 == nil {
		t.Fatalf("status %d, problem %v; want 404 with problem details", r.StatusCode(), r.ApplicationProblemJSON404)
	}
	if r.JSON200 != nil {
		t.Errorf("JSON200 = %+v on a 404", r.JSON200)
	}
	if ct := r.ContentType(); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	p := checkProblem(t, r, 404, "Not Found")
	if p.Detail == nil || *p.Detail != `no event with id "no-such-event" in release `+loadDataset(t).Info.Version {
		t.Errorf("detail = %v", deref(p.Detail))
	}
	assertLocations(t, p, "path.id")
	if *r.ApplicationProblemJSON404.Detail != *p.Detail {
		t.Errorf("typed field and error disagree: %q, %q", *r.ApplicationProblemJSON404.Detail, *p.Detail)
	}
}

// TestInvalidParameterProblem checks that invalid parameters surface as a
// typed 422 whose errors name each parameter.
func TestInvalidParameterProblem(t *testing.T) {
	c, ctx := newClient(t), testContext(t)
	r, err := c.ListEventsWithResponse(ctx, &jcdd.ListEventsParams{
		Limit: new(int64(1000)),
		Type:  []jcdd.EventType{jcdd.EventTypeBriefing, "no-such-type"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.StatusCode() != 422 || r.ApplicationProblemJSON422 == nil {
		t.Fatalf("status %d, problem %v; want 422 with problem details", r.StatusCode(), r.ApplicationProblemJSON422)
	}
	p := checkProblem(t, r, 422, "Unprocessable Entity")
	if p.Detail == nil || *p.Detail == "" {
		t.Error("no detail")
	}
	assertLocations(t, p, "query.limit", "query.type[1]")
	for _, e := range p.Errors {
		if e.Message == "" {
			t.Errorf("error at %s has no message", e.Location)
		}
	}

	// A tampered cursor is a 400, typed the same way.
	r2, err := c.ListEventsWithResponse(ctx, &jcdd.ListEventsParams{Cursor: new("not-a-cursor")})
	if err != nil {
		t.Fatal(err)
	}
	if r2.ApplicationProblemJSON400 == nil {
		t.Errorf("tampered cursor: status %d, want a 400 with problem details", r2.StatusCode())
	}
	_ = checkProblem(t, r2, 400, "Bad Request") // it reports through t
}

// checkProblem checks that jcdd.Check turns r into a *jcdd.Problem with this
// status and title, and returns it.
func checkProblem(t *testing.T, r jcdd.Response, status int, title string) *jcdd.Problem {
	t.Helper()
	err := jcdd.Check(r)
	p, ok := err.(*jcdd.Problem)
	if !ok {
		t.Fatalf("Check = %T %v, want *jcdd.Problem", err, err)
	}
	if p.StatusCode != status || p.Status != int64(status) {
		t.Errorf("status %d, problem status %v; want %d", p.StatusCode, p.Status, status)
	}
	if p.Title != title {
		t.Errorf("title %q, want %q", p.Title, title)
	}
	if err.Error() == "" {
		t.Error("empty error message")
	}
	return p
}

func assertLocations(t *testing.T, p *jcdd.Problem, want ...string) {
	t.Helper()
	var got []string
	for _, e := range p.Errors {
		got = append(got, e.Location)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("errors[].location = %q, want %q", got, want)
	}
}

func eventIDs(events []jcdd.Event) []string {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return ids
}

// assertSameIDs checks that got holds each id of want exactly once, in any
// order.
func assertSameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	count := map[string]int{}
	for _, id := range got {
		count[id]++
	}
	for id, n := range count {
		if n > 1 {
			t.Errorf("%s: %s appears %d times", what, id, n)
		}
	}
	g, w := slices.Sorted(maps.Keys(count)), slices.Clone(want)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s: got %d ids, want %d\n got: %v\nwant: %v", what, len(g), len(w), g, w)
	}
}

// assertSameJSON checks that the SDK's record, encoded again, is the
// dataset's record as JSON: no field lost or changed on the way through the
// API and the generated types.
func assertSameJSON(t *testing.T, id string, want, got any) {
	t.Helper()
	w, g := jsonValue(t, want), jsonValue(t, got)
	if !reflect.DeepEqual(w, g) {
		wb, _ := json.Marshal(w)
		gb, _ := json.Marshal(g)
		t.Errorf("%s differs from the dataset:\n  sdk: %s\n want: %s", id, gb, wb)
	}
}

func jsonValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
