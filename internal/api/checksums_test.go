package api_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/api"
)

// The index of the local server (make run) lists the published releases,
// all of them, and each file checksum it gives is the SHA-256 of the frozen
// file in dataset/releases: a version names one set of bytes.
func TestReleaseChecksumsAreTheFrozenFiles(t *testing.T) {
	rels, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	set := buildSet(t, rels...)
	st, err := set.Store()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessWith(t, api.Config{Store: st, Bundles: set}, rels...)
	r := h.get("/v1/releases")
	var index struct {
		Releases []struct {
			Version string
			Files   []struct{ Name, SHA256 string }
		} `json:"items"`
	}
	if err := json.Unmarshal(r.Body, &index); err != nil {
		t.Fatal(err)
	}
	published, err := os.ReadDir("../../dataset/releases")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, rel := range index.Releases {
		listed[rel.Version] = true
		if dataset.IsDev(rel.Version) {
			continue // the working copy in progress: no frozen files
		}
		if len(rel.Files) == 0 {
			t.Errorf("release %s lists no files", rel.Version)
		}
		for _, f := range rel.Files {
			data, err := os.ReadFile(filepath.Join("../../dataset/releases", rel.Version, f.Name))
			if err != nil {
				t.Fatalf("release %s: %v", rel.Version, err)
			}
			sum := sha256.Sum256(data)
			if got := hex.EncodeToString(sum[:]); got != f.SHA256 {
				t.Errorf("release %s, %s: index says %s, the frozen file is %s", rel.Version, f.Name, f.SHA256, got)
			}
		}
	}
	for _, e := range published {
		if e.IsDir() && !listed[e.Name()] {
			t.Errorf("published release %s is not in the index", e.Name())
		}
	}
}
