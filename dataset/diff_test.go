package dataset

import (
	"encoding/json"
	"testing"
)

func TestDiff(t *testing.T) {
	event := func(id, title string) Event {
		return Event{ID: id, Title: Text{EN: title}, Summary: Text{EN: "s"}, Type: "other", Occurred: "2020", Precision: "year",
			Confidence: "reported", Sources: []SourceRef{{Source: "s1"}}}
	}
	withdrawn := func(e Event, by, reason string) Event {
		e.Lifecycle = Lifecycle{Status: StatusWithdrawn, SupersededBy: by, WithdrawnReason: reason}
		return e
	}
	edited := event("e-edited", "Old title")
	edited.Notes = "a note the newer release drops"
	older := &Release{
		Info: ReleaseInfo{Version: "1.0.0"},
		Events: []Event{
			edited,
			event("e-withdrawn", "To be withdrawn"),
			withdrawn(event("e-tombstone", "Already withdrawn"), "", "old reason"),
			event("e-vanishes", "Disappears"),
			event("e-same", "Unchanged"),
		},
		Actors:  []Actor{{ID: "a-1", Kind: "person", Name: Text{EN: "A"}}},
		Sources: []Source{{ID: "s1", URL: "https://example.org", Title: "T", Publisher: "P", Language: "en", Kind: "news"}},
	}
	newEdited := event("e-edited", "New title")
	newer := &Release{
		Info: ReleaseInfo{Version: "1.1.0"},
		Events: []Event{
			event("e-added", "New"),
			newEdited,
			withdrawn(event("e-withdrawn", "To be withdrawn"), "e-added", "duplicate"),
			withdrawn(event("e-tombstone", "Already withdrawn"), "", "better reason"),
			event("e-same", "Unchanged"),
			withdrawn(event("e-born-dead", "Added as a tombstone"), "e-added", "never valid"),
		},
		Actors:  []Actor{{ID: "a-1", Kind: "person", Name: Text{EN: "A", JA: "エー"}}},
		Sources: older.Sources,
	}
	got, err := Diff(older, newer)
	if err != nil {
		t.Fatal(err)
	}
	want := Changes{Release: "1.1.0", Since: "1.0.0", Kinds: []KindChanges{
		{Kind: "events",
			Added: []string{"e-added", "e-born-dead"},
			Changed: []RecordChange{
				{ID: "e-edited", Fields: []string{"title", "notes"}},
				{ID: "e-tombstone", Fields: []string{"withdrawn_reason"}},
				{ID: "e-withdrawn", Fields: []string{"status", "superseded_by", "withdrawn_reason"}},
			},
			Withdrawn: []string{"e-born-dead", "e-vanishes", "e-withdrawn"},
		},
		{Kind: "actors", Added: []string{}, Changed: []RecordChange{{ID: "a-1", Fields: []string{"name"}}}, Withdrawn: []string{}},
		{Kind: "budgets", Added: []string{}, Changed: []RecordChange{}, Withdrawn: []string{}},
		{Kind: "programs", Added: []string{}, Changed: []RecordChange{}, Withdrawn: []string{}},
		{Kind: "sources", Added: []string{}, Changed: []RecordChange{}, Withdrawn: []string{}},
	}}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("Diff =\n%s\nwant\n%s", g, w)
	}
	if got.Empty() {
		t.Error("Empty() is true for a diff with changes")
	}

	same, err := Diff(older, older)
	if err != nil || !same.Empty() || len(same.Kinds) != 5 {
		t.Errorf("a release compared with itself: %+v, %v", same, err)
	}
	// Empty lists encode as [], never null.
	if b, _ := json.Marshal(same.Kinds[0]); string(b) != `{"kind":"events","added":[],"changed":[],"withdrawn":[]}` {
		t.Errorf("empty kind encodes as %s", b)
	}
}
