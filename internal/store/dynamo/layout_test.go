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
// pages). It changed again, still before any table held them, when each
// release gained its counts (r#V#counts, counts.go): about two hundred
// small items per release.
func TestPublishedReleaseLayoutIsStable(t *testing.T) {
	want := map[string]struct {
		digest string
		items  int
	}{
		"1.0.0": {"3655c78b774810763f715790ebea172a2375c8b9d9f0d472a3205ad7c9f87f4f", 2139},
		"1.1.0": {"1c05f5efd0dae738dbb5231cd077c8513466223ddc0d1474817f5e4756f7fc1f", 2347},
		"1.2.0": {"baa1b2198de8d35e3f1537a3dc3e2c6a5887e30d62d5c922316759fc0fdc0694", 2618},
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
