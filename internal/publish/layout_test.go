package publish

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
// dynamo/counts.go): about two hundred small items per release. It changed once
// more, still before any table held a published release, when the counts
// gained the events of each year (events#years and events#year=YYYY), so
// that the facets and total of a range of whole years are exact at the
// cost of a few small reads: about fifteen items per release; and when the
// budget summary's rows came to be stored as the JSON the API sends.
func TestPublishedReleaseLayoutIsStable(t *testing.T) {
	want := map[string]struct {
		digest string
		items  int
	}{
		"1.0.0": {"62d80efa8b7e5071e99dc869740ed33f858275351afcf86b45e68ca74882d534", 3774},
		"1.1.0": {"8b100a1f6b95d0f50b8e5cc753fbe1a76855616962c3fea2d0dda68dfd2b656d", 4074},
		"1.2.0": {"0eabfe30933aa40a1562caa44eef589511f28199c3e46a2f3a1cd609588a24a5", 4496},
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
