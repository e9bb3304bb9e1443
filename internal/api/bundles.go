package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// BundleSource gives the bytes of release bundles to a server that serves
// downloads itself (the local server). A deployed server redirects to the
// bundle bucket instead (Config.BundleBaseURL).
type BundleSource interface {
	// Bundle returns the zip of a release, or an error wrapping
	// ErrNoBundle when the source has none for that version.
	Bundle(ctx context.Context, version string) ([]byte, error)
}

// ErrNoBundle is returned by a BundleSource for a release it cannot build.
var ErrNoBundle = errors.New("no bundle for this release")

// Bundles builds the bundles of releases held in memory (the releases
// embedded in the binary), each at most once, when first asked for, and
// keeps the bytes. It is safe for concurrent use.
//
// The local server gives it to the API as its BundleSource and its Describe
// method to the memory store (memory.Options.Bundle): the checksum in the
// release index is then that of the very bytes the download serves.
type Bundles struct {
	license   []byte
	byVersion map[string]*lazyBundle
}

type lazyBundle struct {
	rel  *dataset.Release
	once sync.Once
	zip  []byte
	err  error
}

// NewBundles returns the bundles of the given releases. license is the
// text of the data licence (dataset.License()).
func NewBundles(license []byte, releases ...*dataset.Release) *Bundles {
	b := &Bundles{license: license, byVersion: make(map[string]*lazyBundle, len(releases))}
	for _, r := range releases {
		b.byVersion[r.Info.Version] = &lazyBundle{rel: r}
	}
	return b
}

// Bundle returns the zip of a release, building it on first use: the same
// bytes as export.WriteBundle and make release write.
func (b *Bundles) Bundle(_ context.Context, version string) ([]byte, error) {
	lb, ok := b.byVersion[version]
	if !ok {
		return nil, fmt.Errorf("release %s: %w", version, ErrNoBundle)
	}
	lb.once.Do(func() {
		var buf bytes.Buffer
		if lb.err = export.WriteBundle(&buf, lb.rel, b.license); lb.err == nil {
			lb.zip = buf.Bytes()
		}
	})
	return lb.zip, lb.err
}

// Describe builds (or reuses) the bundle of a release and describes it:
// the memory store's Bundle function.
func (b *Bundles) Describe(r *dataset.Release) (store.Bundle, error) {
	zip, err := b.Bundle(context.Background(), r.Info.Version)
	if err != nil {
		return store.Bundle{}, err
	}
	return store.BundleOf(export.BundleName(r.Info.Version), zip), nil
}
