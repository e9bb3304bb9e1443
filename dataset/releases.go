package dataset

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// ReleasesDir is the directory, beside the working copy, that holds one
// directory per published release: an exact copy of that release's YAML
// files, written by `make release` and never edited by hand.
const ReleasesDir = "releases"

// frozen holds the published releases. The directory always holds a README,
// so that the pattern matches before the first release is published.
//
//go:embed releases
var frozen embed.FS

// Releases loads every published release embedded in the binary and, when
// the working copy's version has not been published yet, the working copy
// as the release in progress, under its version with DevSuffix. Releases
// come oldest first. A store given all of them serves every published
// release by version.
func Releases() ([]*Release, error) {
	return LoadReleases(FrozenFS(), working)
}

// Published loads every published release embedded in the binary, oldest
// first: what a deployment loads, never the working copy.
func Published() ([]*Release, error) {
	return LoadFrozen(FrozenFS())
}

// FrozenFS returns the embedded releases directory.
func FrozenFS() fs.FS {
	sub, err := fs.Sub(frozen, ReleasesDir)
	if err != nil {
		panic(err) // cannot happen: the directory is embedded above
	}
	return sub
}

// LoadReleases loads the published releases in frozen (a releases
// directory) and the working copy, which is added as the newest release,
// under its version with DevSuffix, unless its version is already
// published. A working copy whose version is published is left out even if
// it has been edited since: a published release is immutable, and edits
// belong to the next version (validation says so).
func LoadReleases(frozen, working fs.FS) ([]*Release, error) {
	rels, err := LoadFrozen(frozen)
	if err != nil {
		return nil, err
	}
	wc, err := LoadFS(working)
	if err != nil {
		return nil, fmt.Errorf("the working copy: %w", err)
	}
	v := wc.Info.Version
	if slices.ContainsFunc(rels, func(r *Release) bool { return r.Info.Version == v }) {
		return rels, nil
	}
	if n := len(rels); n > 0 && CompareVersions(v, rels[n-1].Info.Version) < 0 {
		return nil, fmt.Errorf("the working copy is release %s, older than the published release %s: give release.yaml a later version", v, rels[n-1].Info.Version)
	}
	wc.Info.Version = v + DevSuffix
	return append(rels, wc), nil
}

// LoadFrozen loads every published release in fsys, a releases directory,
// oldest first. Each one must be a directory named after its version that
// holds exactly the files of a release, and every file must still have the
// checksum recorded in the manifest when it was frozen.
func LoadFrozen(fsys fs.FS) ([]*Release, error) {
	manifest := Manifest{}
	if data, err := fs.ReadFile(fsys, FrozenManifest); err == nil {
		if manifest, err = ParseManifest(data); err != nil {
			return nil, fmt.Errorf("%s/%w", ReleasesDir, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading %s/%s: %w", ReleasesDir, FrozenManifest, err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", ReleasesDir, err)
	}
	var versions []string
	for _, e := range entries {
		name := e.Name()
		// Files (README.md, the manifest) describe the directory; hidden
		// entries are what an interrupted freeze may leave behind, and
		// go:embed skips them too.
		if !e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		if !IsVersion(name) {
			return nil, fmt.Errorf("%s/%s: not a release version; this directory holds one directory per published release", ReleasesDir, name)
		}
		versions = append(versions, name)
	}
	slices.SortFunc(versions, CompareVersions)
	for name := range manifest {
		v, _, _ := strings.Cut(name, "/")
		if !slices.Contains(versions, v) {
			return nil, fmt.Errorf("%s/%s lists %s, but release %s is missing", ReleasesDir, FrozenManifest, name, v)
		}
	}
	rels := make([]*Release, 0, len(versions))
	for _, v := range versions {
		r, err := loadFrozen(fsys, v, manifest)
		if err != nil {
			return nil, err
		}
		rels = append(rels, r)
	}
	return rels, nil
}

// loadFrozen loads and checks one published release.
func loadFrozen(fsys fs.FS, version string, manifest Manifest) (*Release, error) {
	dir := ReleasesDir + "/" + version
	sub, err := fs.Sub(fsys, version)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	entries, err := fs.ReadDir(sub, ".")
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	for _, e := range entries {
		if !slices.ContainsFunc(Files, func(f File) bool { return f.Name == e.Name() }) {
			return nil, fmt.Errorf("%s/%s: not a file of a release; a published release holds exactly its YAML files", dir, e.Name())
		}
	}
	r, err := LoadFS(sub)
	if err != nil {
		return nil, fmt.Errorf("published release %s (%s): %w", version, dir, err)
	}
	if r.Info.Version != version {
		return nil, fmt.Errorf("%s/release.yaml says version %s; the directory must be named after its release", dir, r.Info.Version)
	}
	for _, f := range Files {
		name := version + "/" + f.Name
		want, ok := manifest[name]
		switch {
		case !ok:
			return nil, fmt.Errorf("%s/%s is not in %s/%s: publish releases with make release, never by hand", dir, f.Name, ReleasesDir, FrozenManifest)
		case want != r.Checksums[f.Name]:
			return nil, fmt.Errorf("%s/%s has changed since release %s was published (its SHA-256 no longer matches %s/%s): a published release is immutable; restore the file and make corrections in the next release", dir, f.Name, version, ReleasesDir, FrozenManifest)
		}
	}
	return r, nil
}
