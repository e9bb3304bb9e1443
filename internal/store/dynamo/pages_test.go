package dynamo_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/publish"
	"github.com/jcdd/jcdd/internal/store/dynamo"
	"github.com/jcdd/jcdd/internal/testenv/dynamotest"
	"github.com/jcdd/jcdd/internal/testenv/storetest"
)

// TestPageLargerThanAnItem loads a release whose page does not fit in one
// item (DynamoDB refuses items over 400 KB) and reads it back whole, beside
// a page that fits.
func TestPageLargerThanAnItem(t *testing.T) {
	c, table := dynamotest.NewTable(t)
	v1, _ := storetest.Fixture(t)
	// Random bytes do not compress: about three items' worth.
	big := make([]byte, 800_000)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	pages := map[string][]byte{"en": big, "ja": []byte("<p>小さいページ</p>")}
	l := &publish.Loader{C: c, Table: table, DeleteGrace: time.Millisecond,
		Pages: func(*dataset.Release) (map[string][]byte, error) { return pages, nil }}
	if _, err := l.Load(context.Background(), v1, true); err != nil {
		t.Fatal(err)
	}
	s := dynamo.New(c, table, dynamo.WithCacheTTL(0))
	for lang, want := range pages {
		got, err := s.Page(context.Background(), v1.Info.Version, lang)
		if err != nil {
			t.Fatalf("page %s: %v", lang, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("page %s: read back %d bytes other than the %d written", lang, len(got), len(want))
		}
	}
}
