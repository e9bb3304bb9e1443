package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
)

// Bundle is the bundle function the factories of the suite give their
// stores (memory.Options.Bundle, publish.Loader.Bundle): a stand-in for the
// real zip, whose bytes depend only on the release, so that the suite can
// check that every store keeps and returns the description it was given.
func Bundle(r *dataset.Release) (store.Bundle, error) {
	if r.Info.Version == "" {
		return store.Bundle{}, errors.New("a release without a version")
	}
	return store.BundleOf("jcdd-"+r.Info.Version+".zip", []byte("the bundle of release "+r.Info.Version)), nil
}

// testBundles checks that every release describes the bundle it was built
// or loaded with. A store whose factory gives it no Bundle function (no
// release has a bundle) is not checked: the suite says so and skips.
func testBundles(ctx context.Context, t *testing.T, s store.Store) {
	rels, err := s.Releases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rels, func(r store.Release) bool { return r.Bundle != nil }) {
		t.Skip("the factory gives the store no Bundle function (storetest.Bundle); bundle descriptions are not checked")
	}
	for _, r := range rels {
		want, _ := Bundle(&dataset.Release{Info: r.ReleaseInfo})
		if r.Bundle == nil || *r.Bundle != want {
			t.Errorf("Releases: bundle of %s = %+v, want %+v", r.Version, r.Bundle, want)
		}
		one, err := s.Release(ctx, r.Version)
		if err != nil || one.Bundle == nil || *one.Bundle != want {
			t.Errorf("Release(%s): bundle %+v, %v; want %+v", r.Version, one.Bundle, err, want)
		}
	}
	if cur, err := s.Release(ctx, ""); err != nil || cur.Bundle == nil || cur.Bundle.Name != "jcdd-1.1.0.zip" {
		t.Errorf(`Release(""): bundle %+v, %v`, cur.Bundle, err)
	}
}

// fixtureChanges is what 1.1.0 changes in 1.0.0 (see Fixture). The
// withdrawn event is listed under changed, with the fields withdrawing it
// set, and under withdrawn: see dataset.KindChanges.
var fixtureChanges = dataset.Changes{Release: "1.1.0", Since: "1.0.0", Kinds: []dataset.KindChanges{
	{Kind: "events",
		Added: []string{"e-2024-new"},
		Changed: []dataset.RecordChange{
			{ID: "e-2023-report", Fields: []string{"title"}},
			{ID: "e-2023-year", Fields: []string{"status", "superseded_by", "withdrawn_reason"}},
		},
		Withdrawn: []string{"e-2023-year"},
	},
	{Kind: "actors"}, {Kind: "budgets"}, {Kind: "programs"}, {Kind: "sources"},
}}

// withRegistered adds to the expected changes of the fixture's own kinds
// those of the kinds a test added (dataset.Register), as dataset.Diff
// finds them between the two releases: the suite's expectations name the
// fixture's kinds only.
func withRegistered(t *testing.T, want dataset.Changes, older, newer *dataset.Release) dataset.Changes {
	t.Helper()
	if len(dataset.Registered()) == 0 {
		return want
	}
	all, err := dataset.Diff(older, newer)
	if err != nil {
		t.Fatal(err)
	}
	kinds := slices.Clone(want.Kinds)
	for _, k := range dataset.Registered() {
		i := slices.IndexFunc(all.Kinds, func(c dataset.KindChanges) bool { return c.Kind == k.Plural() })
		kinds = append(kinds, all.Kinds[i])
	}
	want.Kinds = kinds
	return want
}

func testChanges(ctx context.Context, t *testing.T, s store.Store, v1, v2 *dataset.Release) {
	for _, version := range []string{"1.1.0", ""} {
		c, rel, err := s.Changes(ctx, version, "1.0.0")
		if err != nil || rel.Version != "1.1.0" {
			t.Fatalf("Changes(%q, 1.0.0): release %q, %v", version, rel.Version, err)
		}
		requireChanges(t, c, withRegistered(t, fixtureChanges, v1, v2))
	}
	want, err := dataset.Diff(v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	c, _, _ := s.Changes(ctx, "1.1.0", "1.0.0")
	requireChanges(t, c, want)

	for _, tc := range []struct {
		version, since string
		want           error
	}{
		{"9.9.9", "1.0.0", store.ErrUnknownRelease},
		{"1.1.0", "0.9.0", store.ErrUnknownSince},
		{"1.1.0", "1.1.0", store.ErrSinceNotOlder},
		{"1.0.0", "1.1.0", store.ErrSinceNotOlder},
		{"", "1.1.0", store.ErrSinceNotOlder},
		{"1.1.0", "latest", store.ErrUnknownSince},
	} {
		if _, _, err := s.Changes(ctx, tc.version, tc.since); !errors.Is(err, tc.want) {
			t.Errorf("Changes(%q, %q) error = %v, want %v", tc.version, tc.since, err, tc.want)
		}
	}
	if _, _, err := s.Changes(ctx, "1.1.0", "0.9.0"); errors.Is(err, store.ErrUnknownRelease) {
		t.Errorf("an unknown since is reported as an unknown release: %v", err)
	}
}

// thirdRelease derives release 1.2.0 from 1.1.0: an actor edited, a budget
// line withdrawn, a program gone (which a real release never does) and a
// source added.
func thirdRelease(t *testing.T, v2 *dataset.Release) *dataset.Release {
	t.Helper()
	v3 := *v2
	v3.Info.Version, v3.Info.Released = "1.2.0", "2026-06-01"
	v3.Actors = slices.Clone(v2.Actors)
	v3.Budgets = slices.Clone(v2.Budgets)
	v3.Programs = slices.DeleteFunc(slices.Clone(v2.Programs), func(p dataset.Program) bool { return p.ID == "p-law" })
	v3.Sources = append(slices.Clone(v2.Sources), dataset.Source{ID: "s-added", URL: "https://example.org/added", Title: "Added", Publisher: "Example", Language: "en", Kind: "report"})
	edit := func(n int) {
		if n != 1 {
			t.Fatalf("thirdRelease: the fixture changed (%d matches)", n)
		}
	}
	n := 0
	for i := range v3.Actors {
		if v3.Actors[i].ID == "a-person" {
			v3.Actors[i].Description.EN = "A former defense minister."
			n++
		}
	}
	edit(n)
	n = 0
	for i := range v3.Budgets {
		if v3.Budgets[i].ID == "b-fy2024-supp" {
			v3.Budgets[i].Lifecycle = dataset.Lifecycle{Status: dataset.StatusWithdrawn, WithdrawnReason: "Counted twice."}
			n++
		}
	}
	edit(n)
	return &v3
}

// testChangesAcrossReleases runs on a store given three releases out of
// order (1.0.0, 1.2.0, then 1.1.0): changes are served between any two of
// them, whatever order they arrived in.
func testChangesAcrossReleases(ctx context.Context, t *testing.T, newStore Factory, v1, v2 *dataset.Release) {
	v3 := thirdRelease(t, v2)
	s := newStore(t, "", v1, v3, v2)
	c, rel, err := s.Changes(ctx, "", "1.1.0")
	if err != nil || rel.Version != "1.2.0" {
		t.Fatalf(`Changes("", 1.1.0): release %q, %v`, rel.Version, err)
	}
	requireChanges(t, c, withRegistered(t, dataset.Changes{Release: "1.2.0", Since: "1.1.0", Kinds: []dataset.KindChanges{
		{Kind: "events"},
		{Kind: "actors", Changed: []dataset.RecordChange{{ID: "a-person", Fields: []string{"description"}}}},
		{Kind: "budgets", Changed: []dataset.RecordChange{{ID: "b-fy2024-supp", Fields: []string{"status", "withdrawn_reason"}}}, Withdrawn: []string{"b-fy2024-supp"}},
		{Kind: "programs", Withdrawn: []string{"p-law"}},
		{Kind: "sources", Added: []string{"s-added"}},
	}}, v2, v3))
	for _, pair := range [][2]*dataset.Release{{v1, v2}, {v1, v3}, {v2, v3}} {
		want, err := dataset.Diff(pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := s.Changes(ctx, pair[1].Info.Version, pair[0].Info.Version)
		if err != nil {
			t.Errorf("Changes(%s, %s): %v", pair[1].Info.Version, pair[0].Info.Version, err)
			continue
		}
		requireChanges(t, got, want)
	}
}

// requireChanges compares change sets, an absent list being an empty one
// (stores may return either).
func requireChanges(t *testing.T, got, want dataset.Changes) {
	t.Helper()
	g, _ := json.Marshal(normalize(got))
	w, _ := json.Marshal(normalize(want))
	if string(g) != string(w) {
		t.Errorf("changes of %s since %s:\ngot  %s\nwant %s", want.Release, want.Since, g, w)
	}
}

func normalize(c dataset.Changes) dataset.Changes {
	out := c
	out.Kinds = make([]dataset.KindChanges, len(c.Kinds))
	for i, k := range c.Kinds {
		if k.Added == nil {
			k.Added = []string{}
		}
		if k.Changed == nil {
			k.Changed = []dataset.RecordChange{}
		}
		if k.Withdrawn == nil {
			k.Withdrawn = []string{}
		}
		out.Kinds[i] = k
	}
	return out
}
