package publish

import (
	"runtime"
	"testing"
	"unsafe"
	"weak"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/synth"
)

// A release consumed as it is prepared (what jcdd load does) gives the same
// items, keys and digest as one prepared from records it keeps.
func TestConsumeGivesTheSameItems(t *testing.T) {
	published, err := dataset.Releases()
	if err != nil {
		t.Fatal(err)
	}
	twice := func(get func() *dataset.Release) {
		t.Helper()
		kept := get()
		items, meta, err := releaseItems(kept, store.TallyOf(kept), nil)
		if err != nil {
			t.Fatal(err)
		}
		consumed := get()
		p, err := (&Loader{}).Consume(consumed)
		if err != nil {
			t.Fatal(err)
		}
		v := kept.Info.Version
		if p.meta.Digest != meta.Digest || p.items.len() != items.len() || p.meta.Items != meta.Items {
			t.Errorf("release %s consumed: %d items, digest %s; kept: %d items, digest %s", v, p.items.len(), p.meta.Digest, items.len(), meta.Digest)
		}
		for i := range min(items.len(), p.items.len()) {
			if a, b := items.at(i), p.items.at(i); a.pk != b.pk || a.sk != b.sk {
				t.Fatalf("release %s: item %d is %s/%s consumed, %s/%s kept", v, i, b.pk, b.sk, a.pk, a.sk)
			}
		}
		if len(consumed.Events)+len(consumed.Actors)+len(consumed.Budgets)+len(consumed.Programs)+len(consumed.Sources) != 0 {
			t.Errorf("release %s still has records once consumed", v)
		}
	}
	for i := range published {
		twice(func() *dataset.Release {
			rels, err := dataset.Releases()
			if err != nil {
				t.Fatal(err)
			}
			return rels[i]
		})
	}
	twice(func() *dataset.Release { return synth.Generate(synth.Options{Events: 500, Seed: 7}) })
}

// A prepared release holds its records encoded, not as decoded: once the
// release is consumed, nothing it decoded is reachable from what the
// load keeps (at a hundred thousand events the decoded records take
// about 210 MB beside the items).
func TestPreparedHoldsNoDecodedRecord(t *testing.T) {
	rel := synth.Generate(synth.Options{Events: 200, Seed: 7})
	events := weak.Make(&rel.Events[0])
	actors := weak.Make(&rel.Actors[0])
	// A record's own text, allocated apart from the slice that holds it.
	summary := weak.Make(unsafe.StringData(rel.Events[len(rel.Events)/2].Summary.EN))
	p, err := (&Loader{}).Consume(rel)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	if events.Value() != nil || actors.Value() != nil {
		t.Error("the prepared release still holds the records as decoded")
	}
	if summary.Value() != nil {
		t.Error("the prepared release still holds a decoded record's text")
	}
	if p.items.len() == 0 {
		t.Fatal("no items")
	}
	runtime.KeepAlive(p)
	runtime.KeepAlive(rel)
}
