package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jcdd/jcdd/internal/export"
)

// TestReleaseCommand runs `jcdd release` as make release does: it publishes
// the working copy and writes its bundle and database, and a second run
// leaves them untouched.
func TestReleaseCommand(t *testing.T) {
	dir := newDataset(t, "1.0.0")
	dist := filepath.Join(t.TempDir(), "dist")
	zipName := filepath.Join(dist, export.BundleName("1.0.0"))

	var out bytes.Buffer
	if err := run(context.Background(), []string{"release", "-dataset", dir, "-dist", dist}, &out, io.Discard); err != nil {
		t.Fatalf("release: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), zipName) || !strings.Contains(out.String(), "(written)") {
		t.Errorf("output does not report the bundle:\n%s", out.String())
	}
	first, err := os.ReadFile(zipName)
	if err != nil {
		t.Fatal(err)
	}

	out.Reset()
	if err := run(context.Background(), []string{"release", "-dataset", dir, "-dist", dist}, &out, io.Discard); err != nil {
		t.Fatalf("second release: %v", err)
	}
	second, err := os.ReadFile(zipName)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) || !strings.Contains(out.String(), "(unchanged)") {
		t.Errorf("a second run changed the bundle:\n%s", out.String())
	}
	dbName := filepath.Join(dist, export.DatabaseName("1.0.0"))
	if db, err := os.ReadFile(dbName); err != nil || !bytes.HasPrefix(db, []byte("SQLite format 3\x00")) || !strings.Contains(out.String(), dbName) {
		t.Errorf("the database %s: %d bytes, %v\n%s", dbName, len(db), err, out.String())
	}
	entries, err := os.ReadDir(dist)
	if err != nil || len(entries) != 2 {
		t.Errorf("dist holds %v, want only the bundle and the database (%v)", entries, err)
	}
}

func TestBundleCommandWithoutReleases(t *testing.T) {
	dir := newDataset(t, "1.0.0")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"bundle", "-dataset", dir, "-dist", filepath.Join(t.TempDir(), "dist")}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "no published release yet") {
		t.Errorf("output: %q", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "releases")); err == nil {
		t.Error("bundle froze a release; only release may")
	}
}
