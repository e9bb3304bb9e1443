package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/release"
)

// jcdd release is two steps: freeze the working copy as a published
// release, then write the downloads of every published release.

// freeze publishes the working copy in dir as dir/releases/<version>: a
// copy of its YAML files that is never written again. Freezing a version
// that is already published is a no-op when the copy is identical and an
// error when it is not, since a published release is immutable.
func freeze(out io.Writer, dir string) error {
	rel, err := dataset.LoadFS(os.DirFS(dir))
	if err != nil {
		return fmt.Errorf("the working copy in %s cannot be published until it is valid: %w", dir, err)
	}
	version := rel.Info.Version
	releases := filepath.Join(dir, dataset.ReleasesDir)
	target := filepath.Join(releases, version)
	if err := os.MkdirAll(releases, 0o755); err != nil {
		return err
	}
	if err := forgetUnfinished(out, releases, version); err != nil {
		return err
	}
	published, err := dataset.LoadFrozen(os.DirFS(releases))
	if err != nil {
		return err
	}
	files, err := frozenFiles(os.DirFS(dir))
	if err != nil {
		return err
	}
	if isPublished(published, version) {
		if err := samePublished(files, os.DirFS(releases), version); err != nil {
			return fmt.Errorf("%w: give %s a new version", err, filepath.Join(dir, "release.yaml"))
		}
		fmt.Fprintf(out, "release %s is already published in %s: nothing to freeze\n", version, target)
		return nil
	}
	if n := len(published); n > 0 && dataset.CompareVersions(version, published[n-1].Info.Version) < 0 {
		return fmt.Errorf("the working copy is release %s, older than the published release %s: give %s a later version", version, published[n-1].Info.Version, filepath.Join(dir, "release.yaml"))
	}

	// The manifest is written before the directory appears, so that an
	// interrupted freeze leaves either nothing or entries without their
	// directory, which forgetUnfinished clears on the next run.
	manifest, err := readManifest(releases)
	if err != nil {
		return err
	}
	for name, data := range files {
		manifest[version+"/"+name] = dataset.Checksum(data)
	}
	if err := writeFileAtomic(filepath.Join(releases, dataset.FrozenManifest), manifest.Format()); err != nil {
		return err
	}
	// The copy is made in a hidden directory (which loaders and go:embed
	// skip) and renamed into place, so that a release appears whole or not
	// at all.
	tmp, err := os.MkdirTemp(releases, "."+version+"-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(tmp) }() // after the rename there is nothing left; else best effort
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return fmt.Errorf("freezing %s: %w", name, err)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		return fmt.Errorf("publishing release %s: %w", version, err)
	}
	if _, err := dataset.LoadFrozen(os.DirFS(releases)); err != nil {
		return fmt.Errorf("release %s was frozen but does not load back: %w", version, err)
	}
	fmt.Fprintf(out, "published release %s in %s\n", version, target)
	return nil
}

// frozenFiles returns the bytes each file of a working copy is frozen as.
func frozenFiles(working fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, f := range dataset.Files {
		data, err := fs.ReadFile(working, f.Name)
		if err != nil {
			return nil, err
		}
		files[f.Name] = frozenCopy(data)
	}
	return files, nil
}

func isPublished(published []*dataset.Release, version string) bool {
	for _, p := range published {
		if p.Info.Version == version {
			return true
		}
	}
	return false
}

// samePublished reports, as an error, the first file whose frozen copy
// differs from the published release of that version.
func samePublished(files map[string][]byte, releases fs.FS, version string) error {
	for _, f := range dataset.Files {
		old, err := fs.ReadFile(releases, version+"/"+f.Name)
		if err != nil {
			return err
		}
		if !bytes.Equal(old, files[f.Name]) {
			return fmt.Errorf("release %s is already published in %s/%s, and a published release is immutable, but the working copy's %s differs from it. Put the changes in the next release", version, dataset.ReleasesDir, version, f.Name)
		}
	}
	return nil
}

// checkUnpublished fails when the working copy has been edited under the
// version of a published release. The API would go on serving the published
// copy and hide the edits, so the editor must hear it at once: validate runs
// it on every `make test`.
func checkUnpublished(working, releases fs.FS, version string) error {
	published, err := dataset.LoadFrozen(releases)
	if err != nil {
		return err
	}
	if !isPublished(published, version) {
		return nil
	}
	files, err := frozenFiles(working)
	if err != nil {
		return err
	}
	if err := samePublished(files, releases, version); err != nil {
		return fmt.Errorf("%w: give release.yaml a new version (a PATCH for corrections, a MINOR for new records)", err)
	}
	return nil
}

// modeline is the first line of every working file, which points editors at
// its JSON Schema.
const modeline = "# yaml-language-server: $schema="

// frozenCopy returns the bytes a working file is frozen as: the same bytes,
// except that a relative schema path on the modeline is rewritten to work
// from releases/<version>/, two levels down.
func frozenCopy(data []byte) []byte {
	first, rest, found := bytes.Cut(data, []byte("\n"))
	ref, ok := bytes.CutPrefix(first, []byte(modeline))
	if !ok || !found || bytes.Contains(ref, []byte("://")) || path.IsAbs(string(ref)) {
		return data
	}
	var b bytes.Buffer
	b.WriteString(modeline + "../../" + path.Clean(string(ref)) + "\n")
	b.Write(rest)
	return b.Bytes()
}

func readManifest(releases string) (dataset.Manifest, error) {
	data, err := os.ReadFile(filepath.Join(releases, dataset.FrozenManifest))
	if errors.Is(err, fs.ErrNotExist) {
		return dataset.Manifest{}, nil
	}
	if err != nil {
		return nil, err
	}
	return dataset.ParseManifest(data)
}

// forgetUnfinished drops the manifest entries of a version whose directory
// was never created: what a freeze interrupted between its two writes
// leaves behind. That version was never published, so nothing is lost.
func forgetUnfinished(out io.Writer, releases, version string) error {
	if _, err := os.Stat(filepath.Join(releases, version)); err == nil {
		return nil
	}
	m, err := readManifest(releases)
	if err != nil {
		return err
	}
	dropped := false
	for name := range m {
		if strings.HasPrefix(name, version+"/") {
			delete(m, name)
			dropped = true
		}
	}
	if !dropped {
		return nil
	}
	fmt.Fprintf(out, "release %s: clearing the manifest entries of an interrupted freeze\n", version)
	return writeFileAtomic(filepath.Join(releases, dataset.FrozenManifest), m.Format())
}

// writeFileAtomic replaces a file by renaming a complete copy over it, so
// that readers never see half of it.
func writeFileAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+"-")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(f.Name()) }() // after the rename there is nothing left; else best effort
	if _, err := f.Write(data); err != nil {
		return errors.Join(fmt.Errorf("writing %s: %w", name, err), f.Close())
	}
	if err := f.Chmod(0o644); err != nil {
		return errors.Join(fmt.Errorf("writing %s: %w", name, err), f.Close())
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := os.Rename(f.Name(), name); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// writeBundles writes dist/jcdd-<version>.zip and dist/jcdd-<version>.sqlite
// for every release published in dir/releases. A file whose bytes have not
// changed is left as it is.
func writeBundles(out io.Writer, dir, dist string) error {
	releases := filepath.Join(dir, dataset.ReleasesDir)
	var rels []*dataset.Release
	if _, err := os.Stat(releases); err == nil {
		if rels, err = dataset.LoadFrozen(os.DirFS(releases)); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if len(rels) == 0 {
		fmt.Fprintln(out, "no published release yet: no bundle to write")
		return nil
	}
	if err := os.MkdirAll(dist, 0o755); err != nil {
		return err
	}
	// The one build of every release (bundle, changes, pages), as the
	// loader and the local server build them; its zips go to dist/.
	built, err := release.BuildAll(rels)
	if err != nil {
		return err
	}
	for _, b := range built.All() {
		v := b.Release.Info.Version
		// The database goes beside the zip, never inside it: a published
		// zip keeps its bytes.
		for _, f := range []struct {
			name string
			data []byte
		}{{export.BundleName(v), b.Zip}, {export.DatabaseName(v), b.SQLite}} {
			if err := writeDownload(out, filepath.Join(dist, f.name), f.data); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeDownload writes one file of dist/ unless it holds these bytes
// already, and reports it with its checksum.
func writeDownload(out io.Writer, name string, data []byte) error {
	status := "unchanged"
	if old, err := os.ReadFile(name); err != nil || !bytes.Equal(old, data) {
		if err := writeFileAtomic(name, data); err != nil {
			return err
		}
		status = "written"
	}
	fmt.Fprintf(out, "%s  %d bytes  sha256 %s  (%s)\n", name, len(data), dataset.Checksum(data), status)
	return nil
}
