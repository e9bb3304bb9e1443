package dynamo

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jcdd/jcdd/internal/store"
)

// gzipPage compresses a page for its item. The bytes depend only on the
// page (no name, no time in the header), so a release's items and digest
// stay the same from one load to the next.
func gzipPage(page []byte) ([]byte, error) {
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

// Page returns a web page of a release by language, as the loader wrote it:
// one GetItem after the release's metadata. It makes the store the API's
// page source when deployed.
func (s *Store) Page(ctx context.Context, version, lang string) ([]byte, error) {
	m, err := s.meta(ctx, version)
	if err != nil {
		return nil, err
	}
	gz, _, err := getItem[[]byte](ctx, s, m, pagesPK(m.Version), lang)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("page %s of release %s: %w", lang, m.Version, err)
		}
		return nil, err
	}
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("page %s of release %s: %w", lang, m.Version, err)
	}
	page, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("page %s of release %s: %w", lang, m.Version, err)
	}
	return page, nil
}
