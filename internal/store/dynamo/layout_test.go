package dynamo

import (
	"testing"

	"github.com/jcdd/jcdd/dataset"
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
// for an event's type with a country), ongoing partitions for records that
// span years, and an event's search text reduced to what its JSON lacks.
func TestPublishedReleaseLayoutIsStable(t *testing.T) {
	want := map[string]struct {
		digest string
		items  int
	}{
		"1.0.0": {"62b73f6a9834fec9141e3b779636d07bc4129e8fbccc0ed66a9fb631e68c6bc3", 3556},
		"1.1.0": {"ab8f525e3cfb65806309ba1d189a21941505f0d8e43d9973a433bfef7b34497b", 3846},
		"1.2.0": {"bd218a2df15bf634cf86ad56f91fe37ddbb807b9a8399f44eef67933cd8af618", 4256},
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
		_, meta, err := releaseItems(r, nil)
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
