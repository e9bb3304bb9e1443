package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jcdd/jcdd/dataset"
	"github.com/jcdd/jcdd/internal/export"
	"github.com/jcdd/jcdd/internal/release"
)

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
