package dynamo

import (
	"slices"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/synth"
)

// An event's item keeps only its actors' names as search text: the text a
// read rebuilds must be the one every other store searches.
func TestEventTextIsRebuiltExactly(t *testing.T) {
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	rels = append(rels, synth.Generate(synth.Options{Events: 300, Seed: 7}))
	for _, r := range rels {
		actors := map[string]*dataset.Actor{}
		for i := range r.Actors {
			actors[r.Actors[i].ID] = &r.Actors[i]
		}
		for i := range r.Events {
			e := &r.Events[i]
			if got, want := eventText(e, store.EventActorText(e, actors)), store.EventText(e, actors); got != want {
				t.Fatalf("release %s, event %s: rebuilt text\n%q\nwant\n%q", r.Info.Version, e.ID, got, want)
			}
		}
	}
}

func TestEventPartitions(t *testing.T) {
	e := dataset.Event{
		ID: "e", Type: "report", Confidence: "reported", Occurred: "2019-11", OccurredTo: "2021-02", Precision: "window",
		Actors:    []dataset.EventActor{{Actor: "a1"}, {Actor: "a2"}},
		Countries: []string{"JP", "US", "JP"}, Tags: []string{"t"},
	}
	got := EventListing.partitions("F", &e)
	want := []string{
		"F", "F#actor#a1", "F#actor#a2",
		"F#type#report#country#JP", "F#type#report#country#US",
		"F#tag#t", "F#type#report", "F#country#JP", "F#country#US", "F#confidence#reported",
	}
	if !slices.Equal(got, want) {
		t.Errorf("partitions:\n got %q\nwant %q", got, want)
	}
	// November 2019 to February 2021 runs into 2020 and 2021.
	if got := EventListing.ongoingYears(&e); !slices.Equal(got, []int{2020, 2021}) {
		t.Errorf("ongoing years %v, want [2020 2021]", got)
	}
	if got := EventListing.ongoingYears(&dataset.Event{Occurred: "2019", Precision: "year"}); len(got) != 0 {
		t.Errorf("a year-long event runs into %v, want no other year", got)
	}
}

func TestPlans(t *testing.T) {
	for _, c := range []struct {
		name   string
		status store.Status
		want   map[string][]string
		pks    []string
	}{
		{"no filter", "", nil, []string{"r#1#events"}},
		{"withdrawn apart", store.StatusWithdrawn, nil, []string{"r#1#events#status#withdrawn"}},
		{"all: both families", store.StatusAll, map[string][]string{"tag": {"x"}},
			[]string{"r#1#events#tag#x", "r#1#events#status#withdrawn#tag#x"}},
		{"actor first", "", map[string][]string{"actor": {"a"}, "type": {"report"}, "country": {"JP"}},
			[]string{"r#1#events#actor#a"}},
		{"pair before its parts", "", map[string][]string{"type": {"report", "statement"}, "country": {"JP", "US"}, "tag": {"x"}},
			[]string{"r#1#events#type#report#country#JP", "r#1#events#type#statement#country#JP",
				"r#1#events#type#report#country#US", "r#1#events#type#statement#country#US"}},
		{"too many combinations", "", map[string][]string{"type": {"a", "b", "c"}, "country": {"JP", "US", "KR"}},
			[]string{"r#1#events#type#a", "r#1#events#type#b", "r#1#events#type#c"}},
		{"repeated values once", "", map[string][]string{"confidence": {"reported", "reported"}},
			[]string{"r#1#events#confidence#reported"}},
	} {
		if got := EventListing.plan("1", c.status, c.want); !slices.Equal(got, c.pks) {
			t.Errorf("%s: plan\n got %q\nwant %q", c.name, got, c.pks)
		}
	}
}
