package dynamo

import (
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
)

// The digest of a published release's items is stored with the release, and
// every deploy loads every embedded release again: a release already in the
// table with another digest is refused as changed content. A change to the
// item layout (keys, attribute names, how a record is marshalled) therefore
// fails the next deploy of a table that holds these releases. This test
// makes such a change deliberate: update the digests below only together
// with a plan for the tables already loaded (for example, publishing the
// same data under a new version).
//
// The layout changed once, before any table held a published release:
// records are stored as the JSON the API sends (encode.JSON), and a
// release's pages with it (the digests here are of the records, without
// pages). It changed again, before any table held a published release, so
// that lists read about the page they return: withdrawn records in
// partitions of their own, index partitions for every list filter (and
// for an event's type with a country), copies of records that span years
// under the years they run into, and an event's search text reduced to
// what its JSON lacks; and when each release gained its counts (r#V#counts,
// counts.go): about two hundred small items per release. It changed once
// more, still before any table held a published release, when the counts
// gained the events of each year (events#years and events#year=YYYY), so
// that the facets and total of a range of whole years are exact at the
// cost of a few small reads: about fifteen items per release.
func TestPublishedReleaseLayoutIsStable(t *testing.T) {
	want := map[string]struct {
		digest string
		items  int
	}{
		"1.0.0": {"944c65b9022c248d4944db00d860df0288fd0133b570deab3dbd44cf8e664c98", 3774},
		"1.1.0": {"5c26e216f1213e1955e851c5589f68526b23db9eecddfcb085bf59b4cc19f563", 4074},
		"1.2.0": {"6001a3373a4e245fe7946e765443bd18874f090c85a6aa7c1ccf7b6a5cfef0e6", 4496},
	}
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		w, ok := want[r.Info.Version]
		if !ok {
			if !dataset.IsDev(r.Info.Version) {
				t.Errorf("release %s is published: pin its digest here", r.Info.Version)
			}
			continue
		}
		delete(want, r.Info.Version)
		_, meta, err := releaseItems(r, store.TallyOf(r), nil)
		if err != nil {
			t.Fatalf("release %s: %v", r.Info.Version, err)
		}
		if meta.Digest != w.digest || meta.Items != w.items {
			t.Errorf("release %s: %d items with digest %s, want %d with %s: the item layout changed (see this test's comment)",
				r.Info.Version, meta.Items, meta.Digest, w.items, w.digest)
		}
	}
	for v := range want {
		t.Errorf("published release %s is no longer embedded", v)
	}
}
