package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidatePublishedVersion: once a version is published, validating a
// working copy edited under that same version fails and says what to do;
// with a new version it passes again.
func TestValidatePublishedVersion(t *testing.T) {
	dir := newDataset(t, "1.0.0")
	var out bytes.Buffer
	if err := run([]string{"validate", dir}, &out); err != nil {
		t.Fatalf("before publishing: %v", err)
	}
	if _, err := freezeOut(t, dir); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"validate", dir}, &out); err != nil {
		t.Fatalf("published and unchanged: %v", err)
	}
	name := filepath.Join(dir, "budgets.yaml")
	data, _ := os.ReadFile(name)
	if err := os.WriteFile(name, append(data, "# a correction\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"validate", dir}, &out)
	if err == nil || !strings.Contains(err.Error(), "already published") || !strings.Contains(err.Error(), "budgets.yaml differs") || !strings.Contains(err.Error(), "new version") {
		t.Fatalf("edited under a published version: %v", err)
	}
	setVersion(t, dir, "1.0.1")
	if err := run([]string{"validate", dir}, &out); err != nil {
		t.Fatalf("with a new version: %v", err)
	}
}
