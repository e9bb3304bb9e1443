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
func TestPublishedReleaseLayoutIsStable(t *testing.T) {
	want := map[string]struct {
		digest string
		items  int
	}{
		"1.0.0": {"6e22d64ff25e7ea52656206c21af2461cb61d9e7df835f431d28d2deaccfc71c", 1936},
		"1.1.0": {"d5950cb543ff71e902758564a6c5eed5203d594403fe1339ebe6295666a4f649", 2135},
	}
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		w, ok := want[r.Info.Version]
		if !ok {
			continue // a release published after this test was written
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
