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

// gzipBytes compresses a page, or a year's counts, for its item. The bytes
// depend only on the input (no name, no time in the header), so a
// release's items and digest stay the same from one load to the next.
func gzipBytes(page []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(page); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pagePartBytes bounds the compressed bytes of a page in one item, below
// DynamoDB's item limit of 400 KB. The dataset's pages are far below it
// (under 30 KB); the landing page of a synthetic release of twenty thousand
// events, whose timeline marks every event, takes about 1.1 MB compressed.
var pagePartBytes = 300_000

// pageItem is an item of a page split into parts: the first, under the
// language's own key, says how many parts there are; the others follow
// under pagePartKey. A page that fits in one item is stored as a plain
// recordItem, which is the same item with Parts left out, so that releases
// loaded before pages were split keep their items and digests.
type pageItem struct {
	PK    string `json:"pk"`
	SK    string `json:"sk"`
	Doc   []byte `json:"doc"`
	Parts int    `json:"parts,omitempty"`
}

func pagePartKey(lang string, i int) string { return lang + keySep + chunkKey(i) }

// addPage adds the items of a compressed page, in sort-key order.
func addPage(b *itemBuilder, pk, lang string, gz []byte) {
	if len(gz) <= pagePartBytes {
		b.add(pk, lang, recordItem[[]byte]{Doc: gz})
		return
	}
	n := (len(gz) + pagePartBytes - 1) / pagePartBytes
	for i := range n {
		part := gz[i*pagePartBytes : min((i+1)*pagePartBytes, len(gz))]
		if i == 0 {
			b.add(pk, lang, pageItem{Doc: part, Parts: n})
		} else {
			b.add(pk, pagePartKey(lang, i), pageItem{Doc: part})
		}
	}
}

// Page returns a web page of a release by language, as the loader wrote it:
// one GetItem after the release's metadata (one more per further part of a
// page too large for one item). It makes the store the API's page source
// when deployed.
func (s *Store) Page(ctx context.Context, version, lang string) ([]byte, error) {
	m, err := s.meta(ctx, version)
	if err != nil {
		return nil, err
	}
	first, err := s.pagePart(ctx, pagesPK(m.Version), lang)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("page %s of release %s: %w", lang, m.Version, err)
		}
		return nil, err
	}
	gz := first.Doc
	for i := 1; i < first.Parts; i++ {
		p, err := s.pagePart(ctx, pagesPK(m.Version), pagePartKey(lang, i))
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

// gunzip reverses gzipBytes.
func gunzip(gz []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func (s *Store) pagePart(ctx context.Context, pk, sk string) (pageItem, error) {
	var p pageItem
	out, err := s.c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.table), Key: key(pk, sk)})
	if err != nil {
		return p, fmt.Errorf("reading %s/%s: %w", pk, sk, err)
	}
	if out.Item == nil {
		return p, store.ErrNotFound
	}
	if err := unmarshal(out.Item, &p); err != nil {
		return p, fmt.Errorf("decoding %s/%s: %w", pk, sk, err)
	}
	return p, nil
}
