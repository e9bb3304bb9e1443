package release_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/release"
	"github.com/jcdd/jcdd/internal/sqlitedb"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// BuildAll builds each release once, with what depends on the older ones:
// its zip is export.WriteBundle's, its changes are dataset.Diff's since
// each older release, and its pages show it as current among those.
func TestBuildAll(t *testing.T) {
	v1, v2 := storetest.Fixture(t)
	set, err := release.BuildAll([]*dataset.Release{v1, v2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, r := range []*dataset.Release{v1, v2} {
		b := set.Get(r.Info.Version)
		var want bytes.Buffer
		if err := export.WriteBundle(&want, r, dataset.License()); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Zip, want.Bytes()) || !b.Bundle.SameZip(store.BundleOf(export.BundleName(r.Info.Version), want.Bytes())) {
			t.Errorf("%s: the zip or its description is not the bundle's", r.Info.Version)
		}
		if zip, err := set.Bundle(ctx, r.Info.Version); err != nil || !bytes.Equal(zip, b.Zip) {
			t.Errorf("%s: Bundle = %d bytes, %v", r.Info.Version, len(zip), err)
		}
		// The database is sqlitedb's, described beside the zip.
		db, err := sqlitedb.Build(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.SQLite, db) || b.Bundle.SQLite == nil || *b.Bundle.SQLite != *store.FileOf(export.DatabaseName(r.Info.Version), db) {
			t.Errorf("%s: the database or its description is not sqlitedb's: %+v", r.Info.Version, b.Bundle.SQLite)
		}
		if got, err := set.Database(ctx, r.Info.Version); err != nil || !bytes.Equal(got, db) {
			t.Errorf("%s: Database = %d bytes, %v", r.Info.Version, len(got), err)
		}
		if d, err := set.Describe(r); err != nil || !d.Equal(b.Bundle) {
			t.Errorf("%s: Describe = %+v, %v", r.Info.Version, d, err)
		}
		if len(b.Changes) != i {
			t.Errorf("%s: changes since %d releases, want %d", r.Info.Version, len(b.Changes), i)
		}
		for lang, marker := range map[string]string{"en": `<html lang="en">`, "ja": `<html lang="ja">`} {
			page, err := set.Page(ctx, r.Info.Version, lang)
			if err != nil || !strings.Contains(string(page), marker) || !strings.Contains(string(page), `id="current-version">`+r.Info.Version+`<`) {
				t.Errorf("%s %s: page of %d bytes, %v", r.Info.Version, lang, len(page), err)
			}
		}
	}
	want, err := dataset.Diff(v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := set.Changes(v2.Info.Version, v1.Info.Version); !ok || !reflect.DeepEqual(got, want) {
		t.Error("the built changes are not dataset.Diff's")
	}
	// The older release's page does not list the newer one.
	old, _ := set.Page(ctx, v1.Info.Version, "en")
	if strings.Contains(string(old), `data-version="`+v2.Info.Version+`"`) {
		t.Error("release 1.0.0's page lists a later release")
	}
	if _, err := set.Bundle(ctx, "9.9.9"); !errors.Is(err, store.ErrNoBundle) {
		t.Errorf("unknown version: %v", err)
	}
	if _, err := set.Database(ctx, "9.9.9"); !errors.Is(err, store.ErrNoBundle) {
		t.Errorf("unknown version's database: %v", err)
	}
	if _, err := set.Page(ctx, "9.9.9", "en"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown page: %v", err)
	}
	// Build alone gives the same bytes as the set.
	one, err := release.Build(v2, v1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Zip, set.Get(v2.Info.Version).Zip) || !bytes.Equal(one.SQLite, set.Get(v2.Info.Version).SQLite) || !bytes.Equal(one.Pages["ja"], set.Get(v2.Info.Version).Pages["ja"]) {
		t.Error("Build and BuildAll disagree")
	}
}

// BuildAllDescribed describes the same downloads as BuildAll, and renders
// the same pages, without holding the files.
func TestBuildAllDescribed(t *testing.T) {
	v1, v2 := storetest.Fixture(t)
	rels := []*dataset.Release{v1, v2}
	full, err := release.BuildAll(rels)
	if err != nil {
		t.Fatal(err)
	}
	described, err := release.BuildAllDescribed(rels)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		f, d := full.Get(r.Info.Version), described.Get(r.Info.Version)
		if !d.Bundle.Equal(f.Bundle) || d.Bundle.SQLite == nil {
			t.Errorf("%s: described %+v (database %+v), built %+v (database %+v)", r.Info.Version, d.Bundle, d.Bundle.SQLite, f.Bundle, f.Bundle.SQLite)
		}
		if d.Zip != nil || d.SQLite != nil {
			t.Errorf("%s: the described set holds the files' bytes", r.Info.Version)
		}
		if !bytes.Equal(d.Pages["en"], f.Pages["en"]) {
			t.Errorf("%s: the pages differ", r.Info.Version)
		}
		if b, err := release.Describe(r); err != nil || !b.Equal(f.Bundle) {
			t.Errorf("%s: Describe = %+v, %v", r.Info.Version, b, err)
		}
	}
}

// TakePages gives a release's pages once and drops them from the set; the
// set then refuses to give them again rather than give none.
func TestTakePages(t *testing.T) {
	v1, _ := storetest.Fixture(t)
	set, err := release.BuildAllDescribed([]*dataset.Release{v1})
	if err != nil {
		t.Fatal(err)
	}
	want := set.Get(v1.Info.Version).Pages
	got, err := set.TakePages(v1)
	if err != nil || len(got) == 0 || !bytes.Equal(got["en"], want["en"]) {
		t.Fatalf("TakePages = %d pages, %v", len(got), err)
	}
	if set.Get(v1.Info.Version).Pages != nil {
		t.Error("the set still holds the pages")
	}
	if p, err := set.Pages(v1); err == nil {
		t.Errorf("Pages after TakePages = %d pages, no error", len(p))
	}
	if p, err := set.TakePages(v1); err == nil {
		t.Errorf("TakePages again = %d pages, no error", len(p))
	}
}

// Forget drops a release and what was built from it; the others stay.
func TestForget(t *testing.T) {
	v1, v2 := storetest.Fixture(t)
	set, err := release.BuildAllDescribed([]*dataset.Release{v1, v2})
	if err != nil {
		t.Fatal(err)
	}
	set.Forget(v1.Info.Version)
	if set.Get(v1.Info.Version) != nil || len(set.All()) != 1 || set.All()[0].Release != v2 {
		t.Errorf("after Forget(%s): Get = %v, All = %d releases", v1.Info.Version, set.Get(v1.Info.Version), len(set.All()))
	}
	if _, err := set.Describe(v1); err == nil {
		t.Errorf("Describe(%s) after Forget: no error", v1.Info.Version)
	}
	if _, err := set.Describe(v2); err != nil {
		t.Errorf("Describe(%s): %v", v2.Info.Version, err)
	}
}
