// Package release builds, once, everything that is derived from a frozen
// release: the records as the API sends them (Encode), the release's zip
// bundle and its SQLite database with their checksums, the changes since
// every older release, and its web pages (package site). A
// published release never changes, so nothing it builds is ever computed
// again on a request: make release writes the bundles it builds, the local
// server's memory store serves what it builds, and the loader writes what it
// builds into DynamoDB.
package release

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/site"
	"github.com/jcdd/jcdd/internal/sqlitedb"
	"github.com/jcdd/jcdd/internal/store"
	"github.com/jcdd/jcdd/internal/store/memory"
)

// Built is a release and what was built from it.
type Built struct {
	Release *dataset.Release
	// Zip is the release's bundle, jcdd-<version>.zip, SQLite its
	// database, jcdd-<version>.sqlite, and Bundle their description
	// (names, SHA-256, sizes) for the release index.
	Zip    []byte
	SQLite []byte
	Bundle store.Bundle
	// Changes holds the changes since every older release it was built
	// with, by the older release's version.
	Changes map[string]dataset.Changes
	// Tally holds the release's counts: the totals of its lists and the
	// facets of its events and budget lines (store.TallyOf).
	Tally *store.Tally
	// Pages holds the release's web pages by language (site.Languages),
	// showing it as the current release among those it was built with.
	Pages map[string][]byte
	// pagesTaken is set once Set.TakePages has dropped Pages.
	pagesTaken bool
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

// BuildSQLite builds the SQLite database of a release: the one database
// builder of the project (package sqlitedb lays out its tables).
func BuildSQLite(r *dataset.Release) ([]byte, error) {
	db, err := sqlitedb.Build(context.Background(), r)
	if err != nil {
		return nil, fmt.Errorf("building the database of release %s: %w", r.Info.Version, err)
	}
	return db, nil
}

// downloads builds the files a release is downloaded as: its zip and its
// database.
func downloads(r *dataset.Release) (*Built, error) {
	zip, err := BuildZip(r)
	if err != nil {
		return nil, err
	}
	db, err := BuildSQLite(r)
	if err != nil {
		return nil, err
	}
	b := store.BundleOf(export.BundleName(r.Info.Version), zip)
	b.SQLite = store.FileOf(export.DatabaseName(r.Info.Version), db)
	return &Built{Release: r, Zip: zip, SQLite: db, Bundle: b}, nil
}

// described builds the downloads of a release only to describe them: the
// zip is summed as it is written and the database from its file, so that
// neither is held in memory.
func described(r *dataset.Release) (*Built, error) {
	zip, err := export.SumOf(func(w io.Writer) error { return export.WriteBundle(w, r, dataset.License()) })
	if err != nil {
		return nil, fmt.Errorf("building the bundle of release %s: %w", r.Info.Version, err)
	}
	b := store.Bundle{Name: export.BundleName(r.Info.Version), SHA256: zip.SHA256, Size: zip.Size}
	err = sqlitedb.BuildFile(context.Background(), r, func(path string) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		h := sha256.New()
		size, err := io.Copy(h, f)
		if err != nil {
			return err
		}
		b.SQLite = &store.File{Name: export.DatabaseName(r.Info.Version), SHA256: hex.EncodeToString(h.Sum(nil)), Size: size}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("building the database of release %s: %w", r.Info.Version, err)
	}
	return &Built{Release: r, Bundle: b}, nil
}

// Describe builds the downloads of a release and describes them: the
// loader's Bundle function when the files themselves are not needed.
func Describe(r *dataset.Release) (store.Bundle, error) {
	b, err := described(r)
	if err != nil {
		return store.Bundle{}, err
	}
	return b.Bundle, nil
}

// Build builds one release, with its changes since each of older and its
// pages (which list older, given oldest first).
func Build(r *dataset.Release, older ...*dataset.Release) (*Built, error) {
	all := append(slices.Clone(older), r)
	zips := make([]*Built, len(all))
	for i, o := range all {
		b, err := downloads(o)
		if err != nil {
			return nil, err
		}
		zips[i] = b
	}
	b := zips[len(zips)-1]
	return b, b.derive(zips[:len(zips)-1])
}

// derive computes what b's release gives together with the older releases
// (already zipped): its changes since each, and its pages.
func (b *Built) derive(older []*Built) error {
	r := b.Release
	b.Changes = make(map[string]dataset.Changes, len(older))
	listed := []site.Release{{Info: r.Info, Bundle: b.Bundle}}
	for i := len(older) - 1; i >= 0; i-- {
		o := older[i]
		c, err := dataset.Diff(o.Release, r)
		if err != nil {
			return fmt.Errorf("changes of %s since %s: %w", r.Info.Version, o.Release.Info.Version, err)
		}
		b.Changes[o.Release.Info.Version] = c
		listed = append(listed, site.Release{Info: o.Release.Info, Bundle: o.Bundle})
	}
	b.Tally = store.TallyOf(r)
	pages, err := site.Render(r, listed, b.Tally)
	if err != nil {
		return err
	}
	b.Pages = pages
	return nil
}

// Set is the built form of several releases, by version.
type Set struct {
	byVersion map[string]*Built
	order     []*Built // as given: oldest first
}

// BuildAll builds releases given oldest first, each with its changes since
// every older one and its pages, on all cores: first every zip and
// database, then what each release derives from the older ones.
func BuildAll(rels []*dataset.Release) (*Set, error) {
	return buildAll(rels, downloads)
}

// BuildAllDescribed is BuildAll for a caller that needs the downloads'
// descriptions but not their bytes (the loader): Zip and SQLite are left
// empty, and the files are never held in memory, one at a time or together.
func BuildAllDescribed(rels []*dataset.Release) (*Set, error) {
	return buildAll(rels, described)
}

func buildAll(rels []*dataset.Release, downloads func(*dataset.Release) (*Built, error)) (*Set, error) {
	out := make([]*Built, len(rels))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, r := range rels {
		g.Go(func() error {
			b, err := downloads(r)
			out[i] = b
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, b := range out {
		g.Go(func() error { return b.derive(out[:i]) })
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

// Database returns the SQLite database of a release: the API's
// BundleSource for a server that serves downloads itself.
func (s *Set) Database(_ context.Context, version string) ([]byte, error) {
	b := s.byVersion[version]
	if b == nil {
		return nil, fmt.Errorf("release %s: %w", version, store.ErrNoBundle)
	}
	return b.SQLite, nil
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

// Page returns a page of a release of the set, by language: the API's
// page source for a server that serves the releases it built.
func (s *Set) Page(_ context.Context, version, lang string) ([]byte, error) {
	b := s.byVersion[version]
	if b == nil || b.Pages[lang] == nil {
		return nil, fmt.Errorf("page %s of release %s: %w", lang, version, store.ErrNotFound)
	}
	return b.Pages[lang], nil
}

// Pages returns the pages of a release of the set: the loader's Pages
// function.
func (s *Set) Pages(r *dataset.Release) (map[string][]byte, error) {
	b := s.byVersion[r.Info.Version]
	if b == nil {
		return nil, fmt.Errorf("release %s was not built", r.Info.Version)
	}
	if b.pagesTaken {
		return nil, fmt.Errorf("the pages of release %s were taken from the set", r.Info.Version)
	}
	return b.Pages, nil
}

// TakePages returns the pages of a release of the set and drops them from
// it: the loader's Pages function, which uses each release's pages once
// (it writes them compressed), so that they are not held beside what it
// makes of them (at a hundred thousand events they are about 50 MB a
// language).
func (s *Set) TakePages(r *dataset.Release) (map[string][]byte, error) {
	pages, err := s.Pages(r)
	if err != nil {
		return nil, err
	}
	b := s.byVersion[r.Info.Version]
	b.Pages, b.pagesTaken = nil, true
	return pages, nil
}

// Forget drops a release from the set, with everything built from it: for
// a caller that is done with it (the loader, once it has made the
// release's items: at a hundred thousand events its records alone take
// about 210 MB).
func (s *Set) Forget(version string) {
	delete(s.byVersion, version)
	s.order = slices.DeleteFunc(s.order, func(b *Built) bool { return b.Release.Info.Version == version })
}

// Tally returns the counts of a release of the set, as built: the memory
// store's Tally function.
func (s *Set) Tally(r *dataset.Release) *store.Tally {
	if b := s.byVersion[r.Info.Version]; b != nil && b.Tally != nil {
		return b.Tally
	}
	return store.TallyOf(r)
}

// Store serves the releases of the set from memory, with their bundles,
// changes and counts as built; the newest is current.
func (s *Set) Store() (*memory.Store, error) {
	return memory.NewWith(memory.Options{Bundle: s.Describe, Changes: s.Changes, Tally: s.Tally}, s.Releases()...)
}
