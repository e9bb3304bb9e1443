package export

import (
	"bytes"
	"testing"

	"github.com/jcdd/jcdd/dataset"
)

// TestPublishedBundlesAreStable pins the SHA-256 of the bundles of the
// published releases. A published bundle never changes: readers verify it
// against the checksum they downloaded, and a deploy refuses a bundle that
// differs from the one already in the bucket. A change to the exports that
// moves these digests must apply only to releases published after it (see
// ExplicitBooleansSince for how).
func TestPublishedBundlesAreStable(t *testing.T) {
	want := map[string]string{
		"1.0.0": "36492c3bf18e49429151e05598598093ba3200b97f238393ab58679a10f4f799",
		"1.1.0": "484886f15d09dcfa36fa7c8cc320b4ab50d62518ca67c8910363f00b5ad92f11",
	}
	rels, err := dataset.LoadFrozen(dataset.FrozenFS())
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range rels {
		w, ok := want[rel.Info.Version]
		if !ok {
			continue // published after this test was written
		}
		delete(want, rel.Info.Version)
		var buf bytes.Buffer
		if err := WriteBundle(&buf, rel, dataset.License()); err != nil {
			t.Fatal(err)
		}
		if got := dataset.Checksum(buf.Bytes()); got != w {
			t.Errorf("bundle of %s: SHA-256 %s, want %s, the published one", rel.Info.Version, got, w)
		}
	}
	for v := range want {
		t.Errorf("published release %s is no longer embedded", v)
	}
}
