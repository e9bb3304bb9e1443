package synth_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"testing/fstest"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/synth"
)

// TestValidAndDeterministic checks that a synthetic release passes every
// check of the dataset package, loads back to the same records, and is the
// same for the same seed.
func TestValidAndDeterministic(t *testing.T) {
	for _, n := range []int{0, 7, 1000} {
		rel, err := synth.Release(synth.Options{Events: n, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		files, err := synth.Files(rel)
		if err != nil {
			t.Fatal(err)
		}
		fsys := fstest.MapFS{}
		for name, b := range files {
			fsys[name] = &fstest.MapFile{Data: b}
		}
		loaded, err := dataset.LoadFS(fsys)
		if err != nil {
			t.Fatalf("%d events: the synthetic release is invalid: %v", n, err)
		}
		a, _ := json.Marshal(rel)
		b, _ := json.Marshal(loaded)
		if !bytes.Equal(a, b) {
			t.Errorf("%d events: the release does not load back as generated", n)
		}
		again := synth.Generate(synth.Options{Events: n, Seed: 1})
		if _, err := synth.Files(again); err != nil {
			t.Fatal(err)
		}
		if c, _ := json.Marshal(again); !bytes.Equal(a, c) {
			t.Errorf("%d events: two releases of the same seed differ", n)
		}
		if len(rel.Events) != n {
			t.Errorf("%d events generated, want %d", len(rel.Events), n)
		}
	}
}
