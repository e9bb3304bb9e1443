package dynamo

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/jcdd/jcdd/internal/store"
)

// PageItem is an item of a page split into parts: the first, under the
// language's own key, says how many parts there are; the others follow
// under PagePartKey. A page that fits in one item is stored as a plain
// RecordItem, which is the same item with Parts left out, so that releases
// loaded before pages were split keep their items and digests. It is part
// of the layout the publisher writes.
type PageItem struct {
	PK    string `json:"pk"`
	SK    string `json:"sk"`
	Doc   []byte `json:"doc"`
	Parts int    `json:"parts,omitempty"`
}

// PagePartKey is the sort key of the i-th part of a page split into parts
// (i from 1). It is part of the layout the publisher writes.
func PagePartKey(lang string, i int) string { return lang + keySep + ChunkKey(i) }

// Page returns a web page of a release by language, as the loader wrote it:
// one GetItem after the release's metadata (one more per further part of a
// page too large for one item). It makes the store the API's page source
// when deployed.
func (s *Store) Page(ctx context.Context, version, lang string) ([]byte, error) {
	m, err := s.meta(ctx, version)
	if err != nil {
		return nil, err
	}
	first, err := s.pagePart(ctx, PagesPK(m.Version), lang)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("page %s of release %s: %w", lang, m.Version, err)
		}
		return nil, err
	}
	gz := first.Doc
	for i := 1; i < first.Parts; i++ {
		p, err := s.pagePart(ctx, PagesPK(m.Version), PagePartKey(lang, i))
		if err != nil {
			return nil, fmt.Errorf("page %s of release %s, part %d of %d: %w", lang, m.Version, i+1, first.Parts, err)
		}
		gz = append(gz, p.Doc...)
	}
	page, err := gunzip(gz)
	if err != nil {
		return nil, fmt.Errorf("page %s of release %s: %w", lang, m.Version, err)
	}
	return page, nil
}

// gunzip reverses the compression of pages and of a year's counts, which
// the publisher writes gzip-compressed.
func gunzip(gz []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func (s *Store) pagePart(ctx context.Context, pk, sk string) (PageItem, error) {
	var p PageItem
	out, err := s.c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: Key(pk, sk)})
	if err != nil {
		return p, fmt.Errorf("reading %s/%s: %w", pk, sk, err)
	}
	if out.Item == nil {
		return p, store.ErrNotFound
	}
	if err := Unmarshal(out.Item, &p); err != nil {
		return p, fmt.Errorf("decoding %s/%s: %w", pk, sk, err)
	}
	return p, nil
}
