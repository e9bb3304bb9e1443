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
// pages).
func TestPublishedReleaseLayoutIsStable(t *testing.T) {
	want := map[string]struct {
		digest string
		items  int
	}{
		"1.0.0": {"8e255174904dcf7f463ce9b59ca7d7c31b430cb5468b271c3b72b43d520f2dd1", 1936},
		"1.1.0": {"33679acf5ab87d9ce27a2930cfe473ac825a2886a153fc82bc83aa095bb7060f", 2135},
		"1.2.0": {"4654f6b7c12f5e29b26ca76c53a40bd6d8f363d62d78f43aaec5ba52b06fe2bf", 2394},
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
