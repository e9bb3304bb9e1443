package sqlitedb_test

import (
	"context"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/sqlitedb"
)

// TestPublishedDatabasesAreStable pins the SHA-256 of the databases of the
// published releases, as export's TestPublishedBundlesAreStable pins their
// zips: a published file never changes, and a deploy refuses one that
// differs from the file already in the bucket. A change to the tables, the
// views or the SQLite library (whose version is written in the file's
// header) moves these digests: make it apply only to releases published
// after it.
func TestPublishedDatabasesAreStable(t *testing.T) {
	want := map[string]string{
		"1.0.0": "b5fa8ad44a9a6b4ea48e863371a723c5d5a575bdb494737c280cf22fb3dacd2b",
		"1.1.0": "224b4c0c5ffc20e5f3486bd7ba53bb4607825a556595354c6e11360944326f09",
		"1.2.0": "e21295d7a7b21c60cf020c79460388919ba1e1ca36e45962b9a7f496cedd39c1",
	}
	rels, err := dataset.LoadFrozen(dataset.FrozenFS())
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range rels {
		w, ok := want[rel.Info.Version]
		if !ok {
			t.Errorf("release %s is published: pin the SHA-256 of its database here (make release prints it)", rel.Info.Version)
			continue
		}
		delete(want, rel.Info.Version)
		db, err := sqlitedb.Build(context.Background(), rel)
		if err != nil {
			t.Fatal(err)
		}
		if got := dataset.Checksum(db); got != w {
			t.Errorf("database of %s: SHA-256 %s, want %s, the published one", rel.Info.Version, got, w)
		}
	}
	for v := range want {
		t.Errorf("published release %s is no longer embedded", v)
	}
}
