// Package release builds, once, everything that is derived from a frozen
// release: the records as the API sends them (Encode), the release's zip
// bundle and its checksum, and the changes since every older release. A
// published release never changes, so nothing it builds is ever computed
// again on a request: make release writes the bundles it builds, the local
// server's memory store serves what it builds, and the loader writes what it
// builds into DynamoDB.
package release

import (
	"bytes"
	"context"
	"fmt"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/store"
)

// Built is a release and what was built from it.
type Built struct {
	Release *dataset.Release
	// Zip is the release's bundle, jcdd-<version>.zip, and Bundle its
	// description (name, SHA-256, size) for the release index.
	Zip    []byte
	Bundle store.Bundle
	// Changes holds the changes since every older release it was built
	// with, by the older release's version.
	Changes map[string]dataset.Changes
}

// BuildZip builds the bundle of a release: the one zip builder of the
// project (export.WriteBundle lays out its files).
func BuildZip(r *dataset.Release) ([]byte, error) {
	var buf bytes.Buffer
	if err := export.WriteBundle(&buf, r, dataset.License()); err != nil {
		return nil, fmt.Errorf("building the bundle of release %s: %w", r.Info.Version, err)
	}
	return buf.Bytes(), nil
}

// Describe builds the bundle of a release and describes it: the loader's
// Bundle function when the zip itself is not needed.
func Describe(r *dataset.Release) (store.Bundle, error) {
	zip, err := BuildZip(r)
	if err != nil {
		return store.Bundle{}, err
	}
	return store.BundleOf(export.BundleName(r.Info.Version), zip), nil
}

// Build builds one release, and its changes since each of older.
func Build(r *dataset.Release, older ...*dataset.Release) (*Built, error) {
	zip, err := BuildZip(r)
	if err != nil {
		return nil, err
	}
	b := &Built{
		Release: r, Zip: zip, Bundle: store.BundleOf(export.BundleName(r.Info.Version), zip),
		Changes: make(map[string]dataset.Changes, len(older)),
	}
	for _, o := range older {
		c, err := dataset.Diff(o, r)
		if err != nil {
			return nil, fmt.Errorf("changes of %s since %s: %w", r.Info.Version, o.Info.Version, err)
		}
		b.Changes[o.Info.Version] = c
	}
	return b, nil
}

// Set is the built form of several releases, by version.
type Set struct {
	byVersion map[string]*Built
	order     []*Built // as given: oldest first
}

// BuildAll builds releases given oldest first, each with its changes since
// every older one, on all cores.
func BuildAll(rels []*dataset.Release) (*Set, error) {
	out := make([]*Built, len(rels))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, r := range rels {
		g.Go(func() error {
			b, err := Build(r, rels[:i]...)
			out[i] = b
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	s := &Set{byVersion: make(map[string]*Built, len(out)), order: out}
	for _, b := range out {
		s.byVersion[b.Release.Info.Version] = b
	}
	return s, nil
}

// All returns the built releases, oldest first.
func (s *Set) All() []*Built { return s.order }

// Releases returns the releases, oldest first.
func (s *Set) Releases() []*dataset.Release {
	rels := make([]*dataset.Release, len(s.order))
	for i, b := range s.order {
		rels[i] = b.Release
	}
	return rels
}

// Get returns the built form of a version, or nil.
func (s *Set) Get(version string) *Built { return s.byVersion[version] }

// Bundle returns the zip of a release: the API's BundleSource for a server
// that serves downloads itself.
func (s *Set) Bundle(_ context.Context, version string) ([]byte, error) {
	b := s.byVersion[version]
	if b == nil {
		return nil, fmt.Errorf("release %s: %w", version, store.ErrNoBundle)
	}
	return b.Zip, nil
}

// Describe describes the bundle of a release of the set: the memory
// store's and the loader's Bundle function.
func (s *Set) Describe(r *dataset.Release) (store.Bundle, error) {
	b := s.byVersion[r.Info.Version]
	if b == nil {
		return store.Bundle{}, fmt.Errorf("release %s: %w", r.Info.Version, store.ErrNoBundle)
	}
	return b.Bundle, nil
}

// Changes returns the changes of a release since an older one of the set.
func (s *Set) Changes(version, since string) (dataset.Changes, bool) {
	b := s.byVersion[version]
	if b == nil {
		return dataset.Changes{}, false
	}
	c, ok := b.Changes[since]
	return c, ok
}
